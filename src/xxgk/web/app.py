"""The FastAPI application: ``create_app(store)``; ``xxgk serve`` runs it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..store.base import Store
from . import api_routes, catalogue, errors, pages, report_view, supervise_pages, supervise_routes
from .errors import error_json
from .filing_api import router as filing_api_router
from .filing_pages import router as filing_router
from .ledger_pages import router as ledger_router
from .rectify_api import router as rectify_api_router
from .rectify_pages import router as rectify_router
from .rectify_replies import router as reply_router
from .service import MAX_UPLOAD
from .worker import Worker

HERE = Path(__file__).parent


def create_app(
    store: Store | None = None, worker: bool = True, threads: int | None = None
) -> FastAPI:
    """The app on ``store`` (default: from ``XXGK_DATA`` / ``XXGK_DATABASE_URL``).

    At start the schema is upgraded and, with ``worker``, background threads start
    checking queued reports (``XXGK_WORKERS`` threads, default 1, each checking on
    ``XXGK_JOBS`` processes, default 1) — those left half-done by a restart first.  Without ``worker`` (tests) reports stay queued until
    ``worker.run_pending(store)`` is called."""
    the_store = store if store is not None else Store()
    count = threads if threads is not None else int(os.environ.get("XXGK_WORKERS") or 1)
    jobs = int(os.environ.get("XXGK_JOBS") or 1)
    background = Worker(the_store, count, jobs)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        the_store.upgrade()
        if worker:
            background.start()
        yield
        background.stop()

    app = FastAPI(
        title="xxgk",
        description="政府信息公开工作年度报告核查：上传、核查、查询（/api/v1，Bearer 令牌）",
        version="1",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.store = the_store
    app.state.worker = background
    errors.install(app)

    @app.middleware("http")
    async def drop_empty_query(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """A page's filter form (and the links made from it) sends an empty field as
        ``year=``: on a page that is the field left out, not a bad number (the API
        keeps its strict parameters)."""
        raw = request.scope.get("query_string", b"")
        if raw and not request.url.path.startswith("/api/"):
            kept = [p for p in raw.split(b"&") if p and not p.endswith(b"=")]
            request.scope["query_string"] = b"&".join(kept)
        return await call_next(request)

    @app.middleware("http")
    async def limit_size(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_UPLOAD + 1024 * 1024:
            message = f"请求太大（上限 {MAX_UPLOAD // 1024 // 1024} MB）"
            if errors.is_api(request):
                return error_json(413, message)
            return pages.error_page(request, 413, message)
        return await call_next(request)

    @app.get("/healthz", include_in_schema=True, summary="数据库可用时为 200")
    def healthz() -> Response:
        if the_store.healthy():
            return JSONResponse({"status": "ok"})
        return error_json(503, "数据库无法连接")

    app.include_router(api_routes.router)
    app.include_router(filing_api_router)
    app.include_router(rectify_api_router)
    app.include_router(supervise_routes.router)
    app.include_router(rectify_router)  # before supervise_pages: /notices/issue
    app.include_router(reply_router)
    app.include_router(supervise_pages.router)
    app.include_router(filing_router)
    app.include_router(ledger_router)
    app.include_router(report_view.router)  # before pages: the full report page
    app.include_router(catalogue.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app
