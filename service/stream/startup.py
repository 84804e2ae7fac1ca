"""Before the worker starts: its data dir and its web port, each refused in one plain line; and
after it crashed: an exit that cannot hang."""

from __future__ import annotations

import errno
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from service.settings import Settings, env_name

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """Why the worker cannot start, in one line that names the setting to change."""


def prepare_data_dir(settings: Settings) -> Path:
    """Create the data dir with its parents; refuse a path that cannot be made or written."""
    path = Path(settings.data_dir).expanduser()
    setting = env_name("data_dir")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StartupError(f"data dir {path} ({setting}) exists and is not a directory") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path) else ""
        message = f"cannot create the data dir {path} ({setting}): {reason}{where}"
        raise StartupError(message) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise StartupError(f"cannot write to the data dir {path} ({setting}): permission denied")
    return path


def bind_web_port(settings: Settings) -> socket.socket:
    """Bind and listen on the web address now, before Kafka or the models are touched.

    The worker's web server then serves on this very socket, so a port of 0 (any free port)
    is the one the kernel gave here, and no other process can take it in between.
    """
    host, port = settings.web_host, settings.web_port
    names = f"{env_name('web_host')}, {env_name('web_port')}"
    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as exc:
        message = f"web host {host!r} ({names}) does not resolve: {exc.strerror}"
        raise StartupError(message) from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        # As aiohttp does: a port a stopped worker left in TIME_WAIT is free to take again; a
        # port another process listens on is still refused.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartupError(
                f"web port {port} on {host} is already in use: set {env_name('web_port')} to a "
                "free port, or to 0 for any free port"
            ) from None
        reason = exc.strerror or type(exc).__name__
        raise StartupError(f"cannot listen on {host}:{port} ({names}): {reason}") from None
    sock.setblocking(False)
    return sock


def exit_after(
    seconds: float, status: int = 1, *, exit: Callable[[int], object] = os._exit
) -> threading.Timer:
    """Exit the process with `status` in `seconds` unless it has exited by then.

    Armed when the worker crashes. Faust then stops the app in order, and that stop can wait for
    good: seen once in a fresh-clone CI run (tests/integration/test_secure_kafka.py, a write ACL
    revoked), the app waited in "Wait for streams..." (Consumer.wait_empty, its first commit) for
    the two minutes until the test's SIGTERM, and a crashed worker that does not exit looks alive
    to its supervisor. The timer is a daemon thread: an orderly stop that ends in time exits as
    before, and a stop hung in the event loop or in the interpreter's exit (joining a thread)
    still ends here. Nothing is lost by the hard exit: after a crash nothing past the last
    published batch is committed, and an open transaction is aborted by the broker.
    """

    def fire() -> None:
        log.critical(
            "the worker did not stop within %g s of its crash: exiting with status %d",
            seconds,
            status,
        )
        logging.shutdown()  # flush the log handlers: os._exit skips the atexit hooks
        exit(status)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer
