"""Convert the field's event-coding dictionaries into the packaged data the event stage reads.

    python -m service.dev.event_dictionaries DIR [--out service/data/events]

DIR holds the original files, unchanged (their sha256 are pinned below; a changed file is an
error, not a silent new dictionary):

- `CAMEO.2.0.txt`, `Phoenix.Countries.actors.txt`, `Phoenix.International.actors.txt`,
  `Phoenix.MilNonState.actors.txt`, `Phoenix.agents.txt`: PETRARCH2's dictionaries
  (github.com/openeventdata/petrarch2, `petrarch2/data/dictionaries/`, MIT, Open Event Data
  Alliance);
- `CAMEO2PLOVER-2021.txt`: PLOVER's CAMEO-to-PLOVER table (github.com/openeventdata/PLOVER,
  CC BY-SA 4.0, Philip Schrodt and the Open Event Data Alliance).

It writes `cameo_verbs.json` (verb forms, their patterns reduced to the words they need after
or before the verb, and each pattern's PLOVER category and mode through the table; a TABARI
"[:code]", the other party's act on the subject, with a third element "reversed") and
`phoenix_actors.json.gz` (agents: common nouns -> sector; people: name -> country and role with
their dates; international and non-state groups: name -> code), with the licences beside them.
Only data is taken: no PETRARCH code.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from service.core.data.plover import canonical

PINNED = {
    "CAMEO.2.0.txt": "4a442ee42f7574651ec1c594f127353cdffbf18fa97b207ad5d8298a3cfaa08f",
    "CAMEO2PLOVER-2021.txt": "524512a777756e90f6721724d7c5cab4eac2c35178a50ad2ad09bdb3edefbe7e",
    "Phoenix.Countries.actors.txt": (
        "8d4ee11692ccb1636a5cf4421849c420508acbd9b930adab457472b843276506"
    ),
    "Phoenix.International.actors.txt": (
        "6fafbbe39bc47858edb9262411ab005b97977818237f85f3808fd11701a3ad2c"
    ),
    "Phoenix.MilNonState.actors.txt": (
        "78496d642ceb3501137f12a3d8af7820b139319200b5ecffa05f0f91a2508f3b"
    ),
    "Phoenix.agents.txt": "336330de3ae91cb7daeeb50a7320ff4c9f11e5e69b6dd3a4ebedc522751a95c6",
}


def read(folder: Path, name: str) -> str:
    data = (folder / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != PINNED[name]:
        raise SystemExit(f"{name}: sha256 {digest}, pinned {PINNED[name]}: not the converted file")
    return data.decode("utf-8", errors="replace")


# ---------------------------------------------------------------------------------------------
# CAMEO codes -> PLOVER


def plover_table(text: str) -> dict[str, list[str]]:
    """CAMEO code -> [category, mode], in this project's (the gold records') category names."""
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        match = re.match(r"^(\d{3,4}):\s*([A-Z]+)\s*,\s*([^,]*)", body)
        if not match:
            continue
        code, category, mode = match.group(1), match.group(2), match.group(3).strip()
        if code in table:
            continue
        if category == "ACCUSE" and mode == "investigate":
            category, mode = "INVESTIGATE", ""
        elif category == "ASSAULT" and code[:2] == "19":
            category = "FIGHT"  # the table's "conventional military force" family
        # PLOVER 2021 merged categories the gold records (and this project) still name apart;
        # the table's own modes and code families above keep them apart.
        category = canonical(category)
        if mode in ("investigate", "disapprove"):
            mode = ""
        table[code] = [category, mode]
    return table


def plover_of(code: str, table: dict[str, list[str]]) -> list[str] | None:
    """The PLOVER entry of a CAMEO code, by its longest listed prefix (a family's own code)."""
    for size in range(len(code), 2, -1):
        found = table.get(code[:size])
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------------------------------
# CAMEO.2.0.txt: synonym sets, verb forms, patterns

_CODE = re.compile(r"\[([^\]]*)\]")


def _words(text: str) -> list[str]:
    """The words a pattern part needs, lower case; synonym sets as "&NAME"; markers dropped."""
    out: list[str] = []
    for raw in re.split(r"[\s{}()]+", text):
        word = raw.strip()
        if not word or word in ("$", "+", "%", "^", "*", "-") or word.startswith("#"):
            continue
        word = word.lstrip("$+%^").rstrip(",")
        if not word:
            continue
        if word.startswith("&"):
            out.append(word.rstrip("_"))
            continue
        out.extend(w for w in word.lower().split("_") if w)
        if word.endswith("_") and out:
            out[-1] += "_"  # exact word, no suffix
    return out


def _members(text: str) -> list[str]:
    """A synonym set's members on one "+" line, lower case: a word ("rice"; "cash_" exactly),
    or a member of several words as one phrase, its words joined by spaces ("+BOW_AND_ARROW" is
    "bow and arrow", never the words "bow", "and", "arrow" each alone); nested sets dropped."""
    out: list[str] = []
    for raw in text.split():
        word = raw.strip().lstrip("$+%^").rstrip(",")
        if not word or word.startswith(("&", "#")):
            continue
        exact = word.endswith("_")
        parts = [w for w in word.lower().split("_") if w]
        if parts:
            out.append(" ".join(parts) + ("_" if exact else ""))
    return out


def cameo_verbs(text: str, table: dict[str, list[str]]) -> dict[str, Any]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "VERB PATTERNS" in line)
    synsets: dict[str, list[str]] = {}
    name = ""
    for line in lines[:start]:
        body = line.split("#", 1)[0].rstrip()
        if body.startswith("&"):
            name = body.strip()
            synsets[name] = []
        elif body.startswith("+") and name:
            synsets[name].extend(_members(body[1:]))
    blocks: list[dict[str, Any]] = []
    forms: dict[str, list[list[Any]]] = {}
    block: dict[str, Any] | None = None
    for line in lines[start + 1 :]:
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        if body.startswith("---"):
            codes = _CODE.findall(body)
            block = {"code": codes[0] if codes else "---", "patterns": []}
            blocks.append(block)
            continue
        if block is None or body.startswith("~"):
            continue  # "~ a (b . attack) say = ...": PETRARCH2's transformations, not verbs
        if body.startswith("-"):
            codes = _CODE.findall(body)
            if not codes or "*" not in body:
                continue
            # A code outside the table (CAMEO 01 statements, 02 appeals) says the pattern is no
            # PLOVER event; it is kept, so that it still wins over a vaguer pattern.
            entry = plover_of(codes[0].split(":")[0], table)
            if codes[0].startswith(":"):
                # TABARI's "[:111]": no act of the subject; the other party (the pattern's
                # "from"/"by"/"of" phrase) does 111 to it ("came under fire from X": X
                # criticizes the subject). Kept with its flag, read in reverse.
                found = plover_of(codes[0][1:], table)
                entry = [*found, "reversed"] if found else None
            pattern = _CODE.sub("", body[1:])
            before, after = pattern.split("*", 1)
            needs_before, needs_after = _words(before), _words(after)
            # The verb the pattern was written for (the comment's first word, "# RUSH").
            comment = line.split("#", 1)[1].split() if "#" in line else []
            origin = comment[0].lower().strip("+_").replace("_", " ") if comment else ""
            if needs_before or needs_after:
                block["patterns"].append([needs_before, needs_after, entry, origin])
            continue
        # A verb form: "WORD {FORMS} [code]" or "+WORD_PARTICLE {...}".
        codes = _CODE.findall(body)
        own = plover_of(codes[0].split(":")[0], table) if codes else None
        main = _CODE.sub("", body).split("{", 1)[0].strip()
        inflected = re.findall(r"\{([^}]*)\}", body)
        # "{+CRACKED_DOWN , +CRACKS_DOWN}": the inflections, some set off by commas
        variants = [main, *(inflected[0].replace(",", " ").split() if inflected else [])]
        for variant in variants:
            parts = [p for p in variant.split("_") if p]
            if not parts:
                continue
            verb_at = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
            verb = parts[verb_at].lstrip("+").lower()
            extra = [p.lstrip("+").lower() for i, p in enumerate(parts) if i != verb_at]
            forms.setdefault(verb, []).append([len(blocks) - 1, extra, own])
    used = {w for b in blocks for p in b["patterns"] for w in p[0] + p[1] if w.startswith("&")}
    for b in blocks:
        code = b.pop("code")
        b["default"] = plover_of(code, table) if code != "---" else None
    return {
        "blocks": blocks,
        "forms": forms,
        "synsets": {k: sorted(set(v)) for k, v in synsets.items() if k in used},
    }


# ---------------------------------------------------------------------------------------------
# Phoenix actor and agent dictionaries


def phoenix_agents(text: str) -> dict[str, str]:
    """Agent phrase (lower case, words by spaces) -> sector code ("riot police" -> COP)."""
    agents: dict[str, str] = {}
    substitutions: dict[str, list[str]] = {}
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        definition = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", body)
        if definition:
            words = [w.strip().lower() for w in definition.group(2).split(",")]
            substitutions[definition.group(1).lower()] = [w for w in words if w]
            continue
        match = re.match(r"^([A-Z0-9_'\-.!]+)\s*(?:\{[^}]*\})?\s*\[~?([A-Z]{3})[^\]]*\]", body)
        if not match:
            continue
        phrases = [match.group(1).strip("_").lower()]
        for key, words in substitutions.items():
            if key in phrases[0]:
                phrases = [p.replace(key, w) for p in phrases for w in words]
        for phrase in phrases:
            phrase = " ".join(w for w in phrase.split("_") if w)
            if phrase and "!" not in phrase and phrase not in agents:
                sector = match.group(2)
                agents[phrase] = "REL" if sector in _RELIGIONS else sector
    return agents


_ROLE = re.compile(r"\[([A-Z]{3})([A-Z]{0,9})(?:\s+([<>]?)(\d{6})(?:-(\d{6}))?)?\]")


def _date(yymmdd: str) -> str:
    yy = int(yymmdd[:2])
    year = 1900 + yy if yy > 30 else 2000 + yy
    return f"{year}-{yymmdd[2:4]}-{yymmdd[4:6]}"


_RELIGIONS = frozenset({"BUD", "CHR", "MUS", "JEW", "HIN", "CTH", "ITH", "SHI", "SUN"})


def _role(code: str) -> tuple[str, str]:
    """A Phoenix code as (ISO alpha-2 country or "", sector or ""): USAGOV -> (US, GOV),
    IGOUNO -> ("", IGO), PSEREB -> (PS, REB); a religion is the sector REL."""
    import pycountry

    head, rest = code[:3], code[3:6]
    country = pycountry.countries.get(alpha_3=head)
    if country is None:
        sector = head
    else:
        sector = rest
    if sector in _RELIGIONS:
        sector = "REL"
    return (country.alpha_2 if country is not None else ""), sector


def phoenix_actors(text: str) -> dict[str, list[list[str]]]:
    """Actor name (lower case) -> roles [country, sector, from, to] ("" for open ends).

    A Phoenix entry is a name line with its synonyms ("+OTHER_NAME") and role lines
    ("[USAGOV 090120-130201]", "[IGOUNO]"); a dated role holds for its dates, "<date" until and
    ">date" from."""
    actors: dict[str, list[list[str]]] = {}
    names: list[str] = []
    roles: list[list[str]] = []

    def flush() -> None:
        if names and roles:
            for name in names:
                actors.setdefault(name, roles)

    for line in text.splitlines():
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        stripped = body.strip()
        if stripped.startswith("+"):
            names.append(stripped[1:].split("[", 1)[0].strip("_ \t").lower().replace("_", " "))
            continue
        if not body.startswith((" ", "\t")) and not stripped.startswith("["):
            name = stripped.split("[", 1)[0].strip("_ \t").lower().replace("_", " ")
            if roles or not names:
                flush()
                names, roles = [name], []
            else:
                names.append(name)  # a name line before any role: another spelling
        for match in _ROLE.finditer(stripped):
            head, rest, sign, first, second = match.groups()
            country, sector = _role(head + rest)
            start = end = ""
            if first and second:
                start, end = _date(first), _date(second)
            elif first and sign == "<":
                end = _date(first)
            elif first:
                start = _date(first)
            roles.append([country, sector, start, end])
    flush()
    return {k: v for k, v in actors.items() if k and len(k) > 2}


DATA = Path("data", "events")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.dev.event_dictionaries")
    parser.add_argument("folder", type=Path, help="the original dictionary files")
    # the package's data folder wherever the command is started (not the cwd's service/...)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / DATA)
    args = parser.parse_args(argv)
    table = plover_table(read(args.folder, "CAMEO2PLOVER-2021.txt"))
    verbs = cameo_verbs(read(args.folder, "CAMEO.2.0.txt"), table)
    verbs["sources"] = {name: PINNED[name] for name in ("CAMEO.2.0.txt", "CAMEO2PLOVER-2021.txt")}
    people = phoenix_actors(read(args.folder, "Phoenix.Countries.actors.txt"))
    groups = phoenix_actors(read(args.folder, "Phoenix.International.actors.txt"))
    groups.update(phoenix_actors(read(args.folder, "Phoenix.MilNonState.actors.txt")))
    agents = phoenix_agents(read(args.folder, "Phoenix.agents.txt"))
    actors = {
        "agents": agents,
        "people": people,
        "groups": groups,
        "sources": {name: PINNED[name] for name in PINNED if name.startswith("Phoenix")},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in (("cameo_verbs.json", verbs), ("phoenix_actors.json.gz", actors)):
        path = args.out / name
        text = json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"
        if name.endswith(".gz"):
            # mtime 0: the same input gives the same bytes.
            path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        else:
            path.write_text(text)
        print(f"{path}: {path.stat().st_size // 1024} KiB")
    forms = len(verbs["forms"])
    patterns = sum(len(b["patterns"]) for b in verbs["blocks"])
    print(f"{forms} verb forms, {patterns} patterns")
    print(f"{len(agents)} agents, {len(people)} country actors, {len(groups)} groups")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
