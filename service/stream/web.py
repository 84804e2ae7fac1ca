"""The worker's web endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from typing import Any

import faust
from prometheus_client import CONTENT_TYPE_LATEST

from service.stream.metrics import Metrics


def register_pages(app: faust.App, *, is_ready: Any, status: Any, metrics: Metrics) -> None:
    @app.page("/health/live")
    async def live(self: Any, request: Any) -> Any:  # noqa: ARG001
        return self.json({"status": "ok"})

    @app.page("/health/ready")
    async def ready(self: Any, request: Any) -> Any:  # noqa: ARG001
        ok = bool(is_ready())
        return self.json(
            {"status": "ready" if ok else "starting", **status()}, status=200 if ok else 503
        )

    @app.page("/metrics")
    async def prometheus(self: Any, request: Any) -> Any:  # noqa: ARG001
        return self.bytes(metrics.render(), content_type=CONTENT_TYPE_LATEST.split(";")[0])
