"""The worker's web endpoints: liveness, readiness and Prometheus metrics, and where they serve."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from typing import Any

import faust
from aiohttp.web import BaseSite, SockSite
from faust.web.drivers.aiohttp import Web as AiohttpWeb
from prometheus_client import CONTENT_TYPE_LATEST

from service.stream.metrics import Metrics

log = logging.getLogger(__name__)


class BoundWeb(AiohttpWeb):
    """Faust's aiohttp server on a socket bound before the worker started, which records and
    logs the port it really serves."""

    def __init__(
        self,
        app: Any,
        *,
        sock: socket.socket | None,
        bind: Callable[[], socket.socket],
        **kwargs: Any,
    ) -> None:
        super().__init__(app, **kwargs)
        self.sock = sock
        self.bind = bind  # when the worker did not bind first (an app started another way)
        self.port: int | None = None

    def _new_transport_tcp(self) -> BaseSite:
        if self.sock is None:
            self.sock = self.bind()
        return SockSite(self._runner, self.sock, ssl_context=self.app.conf.web_ssl_context)

    async def start_server(self) -> None:
        await super().start_server()
        ports = [a[1] for a in self._runner.addresses if isinstance(a, tuple) and len(a) >= 2]
        self.port = ports[0] if ports else None
        log.info("web server on port %s: /health/live, /health/ready, /metrics", self.port)


def served_port(app: faust.App) -> int | None:
    web = app.web
    return web.port if isinstance(web, BoundWeb) else None


def register_pages(app: faust.App, *, is_ready: Any, status: Any, metrics: Metrics) -> None:
    @app.page("/health/live")
    async def live(self: Any, request: Any) -> Any:  # noqa: ARG001
        return self.json({"status": "ok", "web_port": served_port(app)})

    @app.page("/health/ready")
    async def ready(self: Any, request: Any) -> Any:  # noqa: ARG001
        ok = bool(is_ready())
        return self.json(
            {"status": "ready" if ok else "starting", **status(), "web_port": served_port(app)},
            status=200 if ok else 503,
        )

    @app.page("/metrics")
    async def prometheus(self: Any, request: Any) -> Any:  # noqa: ARG001
        return self.bytes(metrics.render(), content_type=CONTENT_TYPE_LATEST.split(";")[0])
