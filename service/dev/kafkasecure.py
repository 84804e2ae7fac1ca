"""The secured development broker: SASL/SCRAM-SHA-512 over TLS, and ACLs, on Apache Kafka.

`dateline broker --engine kafka --secure --port P --data-dir D` runs KafkaBroker with a
`SecureSetup`, which adds to it:

- at first start, into D/tls/: a CA and a broker certificate for 127.0.0.1 and localhost, made
  with Java's keytool (Kafka needs Java anyway), the CA as PEM for clients (D/tls/ca.pem);
- a SASL_SSL client listener (SCRAM-SHA-512), the controller listener on SASL_PLAINTEXT with
  PLAIN (KRaft controllers cannot use SCRAM: its credentials live in the metadata log they
  serve), KRaft's StandardAuthorizer with `allow.everyone.if.no.acl.found=false`;
- three SCRAM users created when the log dir is formatted (KIP-900): `admin` (the broker's own
  principal and the only super user), `dateline` (the worker's ACLs, service/stream/preflight.py,
  and no more) and `reader` (read on the event outputs, groups named `reader-…`);
- D/client.json: bootstrap_servers, security_protocol, sasl_mechanism, ssl_cafile and the users'
  passwords (`users`), plus `admin` for tests and people who manage ACLs. D/secure.json keeps
  every generated secret; both files are readable by their owner only.

The ACLs are granted through the broker's own CreateAcls API, as `admin`, right after start.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import shutil
import socket
import ssl
import struct
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service.dev.brokerproc import BrokerError

log = logging.getLogger(__name__)

MECHANISM = "SCRAM-SHA-512"
ADMIN = "admin"
USERS = ("dateline", "reader")
CLIENT_FILE = "client.json"
SECRETS_FILE = "secure.json"
TLS_DIR = "tls"
LISTENER = "SASL_SSL"
AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"
SAN = "SAN=dns:localhost,ip:127.0.0.1"
VALIDITY_DAYS = "3650"


def _private(path: Path, text: str) -> None:
    """Write `text` readable and writable by the owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(path, 0o600)


def _jaas_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def find_keytool() -> str:
    """Java's keytool: beside the `java` on PATH (the one Kafka runs on), else on PATH."""
    java = shutil.which("java")
    if java is not None:
        beside = Path(java).resolve().parent / "keytool"
        if beside.is_file():
            return str(beside)
    keytool = shutil.which("keytool")
    if keytool is None:
        raise BrokerError(
            "the secured broker makes its certificates with Java's keytool: none found"
        )
    return keytool


class SecureSetup:
    """Everything `--secure` adds to one KafkaBroker, kept in its data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.tls_dir = data_dir / TLS_DIR
        self.secrets = self._load_or_create_secrets()

    # ---------------------------------------------------------------------------- secrets
    def _load_or_create_secrets(self) -> dict[str, str]:
        path = self.data_dir / SECRETS_FILE
        if path.exists():
            stored: dict[str, str] = json.loads(path.read_text())
            return stored
        # URL-safe characters only: they need no quoting in --add-scram or a JAAS line.
        made = {name: secrets.token_urlsafe(18) for name in (ADMIN, *USERS, "keystore")}
        self.data_dir.mkdir(parents=True, exist_ok=True)
        _private(path, json.dumps(made, indent=2) + "\n")
        return made

    def password(self, user: str) -> str:
        return self.secrets[user]

    @property
    def ca_file(self) -> Path:
        return self.tls_dir / "ca.pem"

    @property
    def keystore(self) -> Path:
        return self.tls_dir / "broker.p12"

    @property
    def client_path(self) -> Path:
        return self.data_dir / CLIENT_FILE

    # ------------------------------------------------------------------------ certificates
    def ensure_certificates(self) -> None:
        """A CA and a broker certificate signed by it, made once (keytool, RSA 2048)."""
        if self.ca_file.exists() and self.keystore.exists():
            return
        keytool = find_keytool()
        self.tls_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.tls_dir.iterdir():
            stale.unlink()
        store = self.password("keystore")
        ca_store = str(self.tls_dir / "ca.p12")
        broker_store = str(self.keystore)
        common = ["-storetype", "PKCS12", "-storepass", store, "-keypass", store]

        def run(*args: str, data: bytes | None = None) -> bytes:
            done = subprocess.run(  # noqa: S603 - keytool from the JDK, our arguments
                [keytool, *args], input=data, capture_output=True, timeout=120, check=False
            )
            if done.returncode != 0:
                why = (done.stderr or done.stdout).decode(errors="replace").strip()
                raise BrokerError(f"keytool {args[0]} failed: {why.splitlines()[-1:]}")
            return done.stdout

        run(
            "-genkeypair", "-alias", "ca", "-dname", "CN=Dateline development CA",
            "-keyalg", "RSA", "-keysize", "2048", "-validity", VALIDITY_DAYS,
            "-ext", "bc:c", "-ext", "KU=keyCertSign,cRLSign", "-keystore", ca_store, *common,
        )  # fmt: skip
        ca_pem = run("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca_store, *common)
        run(
            "-genkeypair", "-alias", "broker", "-dname", "CN=localhost",
            "-keyalg", "RSA", "-keysize", "2048", "-validity", VALIDITY_DAYS,
            "-ext", SAN, "-keystore", broker_store, *common,
        )  # fmt: skip
        request = run("-certreq", "-alias", "broker", "-keystore", broker_store, *common)
        signed = run(
            "-gencert", "-rfc", "-alias", "ca", "-keystore", ca_store, *common,
            "-validity", VALIDITY_DAYS, "-ext", SAN,
            "-ext", "KU=digitalSignature,keyEncipherment", "-ext", "EKU=serverAuth,clientAuth",
            data=request,
        )  # fmt: skip
        self.ca_file.write_bytes(ca_pem)
        ca_cert = str(self.ca_file)
        run("-importcert", "-noprompt", "-alias", "ca", "-file", ca_cert,
            "-keystore", broker_store, *common)  # fmt: skip
        chain = self.tls_dir / "broker.pem"
        chain.write_bytes(signed)
        run("-importcert", "-noprompt", "-alias", "broker", "-file", str(chain),
            "-keystore", broker_store, *common)  # fmt: skip
        os.chmod(ca_store, 0o600)
        os.chmod(broker_store, 0o600)

    # ----------------------------------------------------------------- broker configuration
    def server_properties(self, host: str, port: int, controller_port: int) -> dict[str, str]:
        """What replaces or adds to KafkaBroker's plaintext properties."""
        admin = self.password(ADMIN)
        store = self.password("keystore")
        scram = (
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            f"username={_jaas_quote(ADMIN)} password={_jaas_quote(admin)};"
        )
        plain = (
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
            f"username={_jaas_quote(ADMIN)} password={_jaas_quote(admin)} "
            f"user_{ADMIN}={_jaas_quote(admin)};"
        )
        return {
            "listeners": f"{LISTENER}://{host}:{port},CONTROLLER://{host}:{controller_port}",
            "advertised.listeners": f"{LISTENER}://{host}:{port}",
            "listener.security.protocol.map": f"{LISTENER}:SASL_SSL,CONTROLLER:SASL_PLAINTEXT",
            "inter.broker.listener.name": LISTENER,
            "sasl.enabled.mechanisms": MECHANISM,
            "sasl.mechanism.inter.broker.protocol": MECHANISM,
            "sasl.mechanism.controller.protocol": "PLAIN",
            "listener.name.sasl_ssl.sasl.enabled.mechanisms": MECHANISM,
            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": scram,
            "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
            "listener.name.controller.plain.sasl.jaas.config": plain,
            "ssl.keystore.type": "PKCS12",
            "ssl.keystore.location": str(self.keystore),
            "ssl.keystore.password": store,
            "ssl.key.password": store,
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(self.ca_file),
            "ssl.client.auth": "none",
            "authorizer.class.name": AUTHORIZER,
            "super.users": f"User:{ADMIN}",
            "allow.everyone.if.no.acl.found": "false",
        }

    def format_arguments(self) -> list[str]:
        """`kafka-storage format` options that create the SCRAM users (KIP-900)."""
        args: list[str] = []
        for user in (ADMIN, *USERS):
            args += ["--add-scram", f"{MECHANISM}=[name={user},password={self.password(user)}]"]
        return args

    # ------------------------------------------------------------------------------ running
    def answers(self, host: str, port: int, timeout: float = 1.0) -> bool:
        """An ApiVersions v0 over TLS, verified against our CA, gets a Kafka answer (Kafka
        answers ApiVersions before SASL authentication)."""
        client_id = b"dateline-probe"
        body = struct.pack(">hhih", 18, 0, 1, len(client_id)) + client_id
        try:
            context = ssl.create_default_context(cafile=str(self.ca_file))
            with socket.create_connection((host, port), timeout=timeout) as raw:
                with context.wrap_socket(raw, server_hostname=host) as sock:
                    sock.sendall(struct.pack(">i", len(body)) + body)
                    header = sock.recv(8)
        except (OSError, ssl.SSLError):
            return False
        return len(header) == 8 and struct.unpack(">ii", header)[1] == 1

    def password_file(self, user: str) -> Path:
        """D/<user>.password: the password alone, for DATELINE_SASL_PASSWORD_FILE."""
        return self.data_dir / f"{user}.password"

    def client_settings(
        self, bootstrap: str, user: str = "dateline", *, password_file: bool = False
    ) -> dict[str, str]:
        """DATELINE_ variables that connect as `user` (for subprocess environments)."""
        secret = (
            {"DATELINE_SASL_PASSWORD_FILE": str(self.password_file(user))}
            if password_file
            else {"DATELINE_SASL_PASSWORD": self.password(user)}
        )
        return {
            "DATELINE_BOOTSTRAP_SERVERS": bootstrap,
            "DATELINE_SECURITY_PROTOCOL": "SASL_SSL",
            "DATELINE_SASL_MECHANISM": MECHANISM,
            "DATELINE_SASL_USERNAME": user,
            **secret,
            "DATELINE_SSL_CAFILE": str(self.ca_file),
        }

    def settings(self, bootstrap: str, user: str = "dateline", **extra: Any) -> Any:
        from service.settings import Settings

        values = {
            k.removeprefix("DATELINE_").lower(): v
            for k, v in self.client_settings(bootstrap, user).items()
        }
        return Settings(**{**values, **extra})

    def after_start(self, bootstrap: str, timeout: float = 60.0) -> None:
        """Grant the users their ACLs and write D/client.json."""
        from service.settings import Settings
        from service.stream.preflight import reader_acls, worker_acls

        defaults = Settings(bootstrap_servers=bootstrap)  # type: ignore[call-arg]
        acls = [
            *worker_acls(defaults, "User:dateline"),
            *reader_acls(defaults, "User:reader"),
        ]
        asyncio.run(self.grant(bootstrap, acls, timeout=timeout))
        client = {
            "bootstrap_servers": bootstrap,
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": MECHANISM,
            "ssl_cafile": str(self.ca_file),
            "users": {user: {"password": self.password(user)} for user in USERS},
            "admin": {"username": ADMIN, "password": self.password(ADMIN)},
        }
        _private(self.client_path, json.dumps(client, indent=2) + "\n")
        for user in (ADMIN, *USERS):
            _private(self.password_file(user), self.password(user) + "\n")

    async def grant(self, bootstrap: str, acls: Sequence[Any], timeout: float = 60.0) -> None:
        """Create `acls` (preflight.Acl) as admin; retried while the broker finishes starting."""
        await self._acl_requests(bootstrap, acls, delete=False, timeout=timeout)

    async def revoke(self, bootstrap: str, acls: Sequence[Any], timeout: float = 60.0) -> None:
        """Delete `acls` (preflight.Acl) as admin."""
        await self._acl_requests(bootstrap, acls, delete=True, timeout=timeout)

    async def _acl_requests(
        self, bootstrap: str, acls: Sequence[Any], *, delete: bool, timeout: float
    ) -> None:
        from aiokafka.client import AIOKafkaClient
        from aiokafka.errors import KafkaError
        from aiokafka.protocol.admin import CreateAclsRequest, DeleteAclsRequest

        from service.stream.kafka import aiokafka_options
        from service.stream.preflight import ALLOW, OPERATIONS, PATTERN_TYPES, RESOURCE_TYPES

        options = aiokafka_options(self.settings(bootstrap, ADMIN))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            client = AIOKafkaClient(**options)
            try:
                await client.bootstrap()
                node = client.get_random_node()
                for acl in acls:
                    fields = (
                        RESOURCE_TYPES[acl.resource_type],
                        acl.name,
                        PATTERN_TYPES[acl.pattern],
                        acl.principal,
                        acl.host,
                        OPERATIONS[acl.operation],
                        ALLOW,
                    )
                    request = (DeleteAclsRequest if delete else CreateAclsRequest)(*fields)
                    response: Any = await client.send(node, request)
                    codes = _error_codes(response, delete)
                    if any(codes):
                        raise BrokerError(f"the broker refused ACL {acl.describe()}: {codes}")
                return
            except (KafkaError, OSError) as exc:
                if loop.time() > deadline:
                    raise BrokerError(f"could not manage ACLs as {ADMIN}: {exc}") from None
                await asyncio.sleep(0.5)
            finally:
                await client.close()


def _error_codes(response: Any, delete: bool) -> list[int]:
    if delete:
        return [result[0] for result in response.filter_responses]
    return [result[0] for result in response.creation_responses]


def read_client_file(data_dir: str | Path) -> dict[str, Any]:
    """D/client.json of a running secured broker."""
    found: dict[str, Any] = json.loads((Path(data_dir) / CLIENT_FILE).read_text())
    return found
