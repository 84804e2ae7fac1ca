"""Offline checks of deploy/k8s: schema validation and the cross-references between objects.

kubernetes-validate ships the Kubernetes JSON schemas inside the wheel, so nothing here touches
the network (one test proves it by refusing every socket). The KEDA objects are CRDs it does not
know; their structure is checked by hand below.
"""

from __future__ import annotations

import copy
import socket
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read the manifests (dev extra)")
kv = pytest.importorskip(
    "kubernetes_validate.utils",
    reason="kubernetes-validate is needed for the offline schema check (dev extra)",
)

from service.outputs import RAW  # noqa: E402
from service.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
# Oldest and newest Kubernetes the manifests must be valid for.
K8S_VERSIONS = ("1.27.0", kv.latest_version())


def _load(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _manifest_files() -> list[Path]:
    return sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def _all_docs() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, doc) for p in _manifest_files() for doc in _load(p)]


def _one(kind: str) -> dict[str, Any]:
    found = [doc for _, doc in _all_docs() if doc["kind"] == kind]
    assert len(found) == 1, f"expected exactly one {kind}, found {len(found)}"
    return found[0]


def _container() -> dict[str, Any]:
    containers = _one("Deployment")["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def _configmap_data() -> dict[str, str]:
    return _one("ConfigMap")["data"]


def _setting_env_names() -> set[str]:
    return {f"DATELINE_{name.upper()}" for name in Settings.model_fields}


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


# ------------------------------------------------------------------------------ schema validation
BUILTIN = [(name, doc) for name, doc in _all_docs() if not doc["apiVersion"].startswith("keda.sh/")]


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize(("name", "doc"), BUILTIN, ids=[f"{n}:{d['kind']}" for n, d in BUILTIN])
def test_manifest_validates_strictly(name: str, doc: dict[str, Any], version: str) -> None:
    try:
        kv.validate(doc, version, strict=True)
    except kv.ValidationError as exc:
        path = ".".join(str(p) for p in exc.path)
        pytest.fail(f"{name} {doc['kind']} invalid for Kubernetes {version}: {path}: {exc.message}")


def test_validator_really_rejects_a_bad_manifest() -> None:
    """Guards the check above against being a silent no-op."""
    bad = copy.deepcopy(_one("Deployment"))
    bad["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}  # typo'd field
    with pytest.raises(kv.ValidationError):
        kv.validate(bad, kv.latest_version(), strict=True)
    bad = copy.deepcopy(_one("Service"))
    bad["spec"]["ports"][0]["port"] = "six thousand"
    with pytest.raises(kv.ValidationError):
        kv.validate(bad, kv.latest_version(), strict=True)


def test_validation_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the schema check tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    for _, doc in BUILTIN:
        kv.validate(doc, kv.latest_version(), strict=True)


# ------------------------------------------------------------------------------------ kustomize
def test_kustomization_lists_every_manifest() -> None:
    kust = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert kust["apiVersion"].startswith("kustomize.config.k8s.io/")
    assert kust["kind"] == "Kustomization"
    resources = kust["resources"]
    assert len(resources) == len(set(resources))
    for res in resources:
        assert (K8S / res).is_file(), f"kustomization lists missing file {res}"
    # Everything but the example Secret (credentials are created out of band) is deployed.
    expected = {p.name for p in _manifest_files() if not p.name.endswith(".example.yaml")}
    assert set(resources) == expected
    namespaces = [d for _, d in _all_docs() if d["kind"] == "Namespace"]
    assert [d["metadata"]["name"] for d in namespaces] == [kust["namespace"]]
    images = {i["name"] for i in kust.get("images", [])}
    assert _container()["image"].split(":")[0] in images


def test_object_names_are_unique_per_kind() -> None:
    seen = [(d["kind"], d["metadata"]["name"]) for _, d in _all_docs()]
    assert len(seen) == len(set(seen))


# ------------------------------------------------------------------------------ cross-references
def test_configmap_keys_are_real_settings() -> None:
    unknown = set(_configmap_data()) - _setting_env_names()
    assert not unknown, f"ConfigMap keys that Settings ignores: {sorted(unknown)}"


def test_configmap_values_parse_as_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("DATELINE_"):
            monkeypatch.delenv(key)
    for key, value in _configmap_data().items():
        assert isinstance(value, str), f"{key}: ConfigMap values must be strings"
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATELINE_SASL_USERNAME", "u")
    # The mounted password file, here a temporary one.
    password = tmp_path / "password"
    password.write_text("p\n")
    monkeypatch.setenv("DATELINE_SASL_PASSWORD_FILE", str(password))
    settings = Settings()
    assert settings.sasl_password is not None
    assert settings.sasl_password.get_secret_value() == "p"
    assert settings.bootstrap_servers
    assert settings.log_format == "json"
    assert settings.security_protocol in {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"}


def test_secret_refs() -> None:
    env = {e["name"]: e for e in _container().get("env", [])}
    assert set(env) <= _setting_env_names(), "env names must be Settings fields"
    # The password reaches the worker as a file mounted from the Secret, never as a variable.
    assert "DATELINE_SASL_PASSWORD" not in env
    assert "DATELINE_SASL_PASSWORD" not in _configmap_data(), "the password belongs in a Secret"
    example = _one("Secret")
    keys = set(example.get("stringData", {})) | set(example.get("data", {}))
    for item in env.values():
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["name"] == example["metadata"]["name"]
            assert ref["key"] in keys
    # The example Secret documents every key that the Deployment and KEDA read.
    trigger_auth = _one("TriggerAuthentication")
    for ref in trigger_auth["spec"]["secretTargetRef"]:
        assert ref["name"] == example["metadata"]["name"]
        assert ref["key"] in keys


def _mounted_secret_files() -> dict[str, str]:
    """Path in the container -> key of the Secret `dateline-kafka`, for every mounted item."""
    pod = _one("Deployment")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    files = {}
    for mount in _container().get("volumeMounts", []):
        secret = volumes[mount["name"]].get("secret")
        if secret is None:
            continue
        assert secret["secretName"] == _one("Secret")["metadata"]["name"]
        assert mount.get("readOnly") is True, "a mounted Secret is read-only"
        for item in secret["items"]:
            files[f"{mount['mountPath'].rstrip('/')}/{item['path']}"] = item["key"]
    return files


def test_password_and_ca_are_files_mounted_from_the_secret() -> None:
    files = _mounted_secret_files()
    data = _configmap_data()
    assert files[data["DATELINE_SASL_PASSWORD_FILE"]] == "password"
    assert files[data["DATELINE_SSL_CAFILE"]] == "ca"
    keys = set(_one("Secret").get("stringData", {}))
    assert set(files.values()) <= keys
    # KEDA's mechanism name matches the worker's.
    keda = {"SCRAM-SHA-512": "scram_sha512", "SCRAM-SHA-256": "scram_sha256", "PLAIN": "plaintext"}
    assert _one("Secret")["stringData"]["sasl"] == keda[data["DATELINE_SASL_MECHANISM"]]


def test_envfrom_points_at_the_configmap() -> None:
    refs = [e["configMapRef"]["name"] for e in _container()["envFrom"] if "configMapRef" in e]
    assert refs == [_one("ConfigMap")["metadata"]["name"]]


def test_probes_and_ports() -> None:
    container = _container()
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    web_port = int(
        _configmap_data().get("DATELINE_WEB_PORT", Settings.model_fields["web_port"].default)
    )
    assert ports == {"http-metrics": web_port} and web_port == 6066
    paths = {}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        get = container[probe]["httpGet"]
        assert get["port"] in ports or get["port"] in ports.values(), f"{probe} port {get['port']}"
        paths[probe] = get["path"]
    assert paths["livenessProbe"] == "/health/live"
    assert paths["readinessProbe"] == "/health/ready"
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 60, "room for model load"


def test_service_selects_the_deployment_pods() -> None:
    deployment, service = _one("Deployment"), _one("Service")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert _matches(service["spec"]["selector"], pod_labels)
    assert _matches(deployment["spec"]["selector"]["matchLabels"], pod_labels)
    (port,) = service["spec"]["ports"]
    assert port["name"] == "http-metrics"
    assert port["port"] == 6066
    container_ports = {p["name"]: p["containerPort"] for p in _container()["ports"]}
    assert port["targetPort"] in container_ports or port["targetPort"] in container_ports.values()


def test_pdb_selects_the_deployment_pods() -> None:
    pdb = _one("PodDisruptionBudget")
    pod_labels = _one("Deployment")["spec"]["template"]["metadata"]["labels"]
    assert _matches(pdb["spec"]["selector"]["matchLabels"], pod_labels)
    assert ("minAvailable" in pdb["spec"]) != ("maxUnavailable" in pdb["spec"])


def test_pod_hardening_and_resources() -> None:
    pod = _one("Deployment")["spec"]["template"]["spec"]
    container = _container()
    assert pod["terminationGracePeriodSeconds"] >= 60
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == 10001  # the uid baked into deploy/Dockerfile
    # The Namespace enforces the `restricted` Pod Security Standard; these are what it demands.
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    sec = container["securityContext"]
    assert sec["readOnlyRootFilesystem"] is True
    assert sec["allowPrivilegeEscalation"] is False
    assert sec["capabilities"]["drop"] == ["ALL"]
    # A read-only root needs writable emptyDirs at /tmp and at the Faust data dir.
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    data_dir = _configmap_data()["DATELINE_DATA_DIR"]
    for path in ("/tmp", data_dir):
        assert path in mounts, f"nothing writable mounted at {path}"
        assert "emptyDir" in volumes[mounts[path]]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][kind])
    # The OOM killer must not come before the watchdog's own memory guard (TOO_COMPLEX).
    config = _configmap_data()
    processes = max(1, int(config["DATELINE_PROCESSES"]))
    per_process = int(config["DATELINE_PROCESS_MEMORY_MB"]) * 2**20
    assert _bytes(container["resources"]["limits"]["memory"]) >= 512 * 2**20 + (
        processes * per_process
    )
    assert "replicas" not in _one("Deployment")["spec"], "KEDA owns the replica count"


# ---------------------------------------------------------------------------------------- KEDA
def test_keda_scaled_object() -> None:
    scaled = _one("ScaledObject")
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    spec = scaled["spec"]
    deployment = _one("Deployment")
    target = spec["scaleTargetRef"]
    assert target["name"] == deployment["metadata"]["name"]
    assert target.get("kind", "Deployment") == "Deployment"
    partitions = int(_configmap_data()["DATELINE_TOPIC_PARTITIONS"])
    assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"] <= partitions
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "kafka"
    meta = trigger["metadata"]
    assert {"bootstrapServers", "consumerGroup", "topic", "lagThreshold"} <= set(meta)
    assert all(isinstance(v, str) for v in meta.values()), "KEDA trigger metadata are strings"
    assert int(meta["lagThreshold"]) > 0
    data = _configmap_data()
    assert meta["bootstrapServers"] == data["DATELINE_BOOTSTRAP_SERVERS"]
    # Faust's consumer group id is the app id.
    assert meta["consumerGroup"] == data.get("DATELINE_APP_ID", Settings().app_id) == "dateline"
    assert meta["topic"] == data.get("DATELINE_TOPIC_RAW", RAW.name(Settings())) == "articles.raw"
    auth = trigger["authenticationRef"]["name"]
    assert auth == _one("TriggerAuthentication")["metadata"]["name"]


def test_keda_trigger_authentication() -> None:
    auth = _one("TriggerAuthentication")
    assert auth["apiVersion"] == "keda.sh/v1alpha1"
    params = {ref["parameter"] for ref in auth["spec"]["secretTargetRef"]}
    assert {"sasl", "username", "password"} <= params


def _bytes(quantity: str) -> int:
    """A Kubernetes memory quantity ("2Gi", "1536Mi", "2G") in bytes."""
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}
    for suffix, factor in units.items():
        if quantity.endswith(suffix):
            return int(float(quantity[: -len(suffix)]) * factor)
    return int(quantity)
