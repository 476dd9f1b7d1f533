"""The HTTP baseline: the same stack (uvicorn + FastAPI, a `def` route behind a bearer
token) answering `POST /api/events` with one plain INSERT of the body.

    BENCH_BASELINE_URL=sqlite:///PATH|postgresql://… uvicorn --factory bench.baseline_app:create
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from psycopg_pool import ConnectionPool

from settings import parse_database_url

TOKEN = "bench-baseline-token"
bearer = HTTPBearer(auto_error=False)


def create() -> FastAPI:
    target = parse_database_url(os.environ["BENCH_BASELINE_URL"])
    app = FastAPI()
    local = threading.local()
    pool: ConnectionPool[Any] | None = None
    if target.kind == "postgres":
        pool = ConnectionPool(target.conninfo, min_size=4, max_size=8, open=True)
        with pool.connection() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bench_http (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
            )
    else:
        assert target.sqlite_path is not None
        with sqlite3.connect(target.sqlite_path) as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bench_http (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
            )

    def insert(event_id: str, body: str) -> None:
        if pool is not None:
            with pool.connection() as connection:
                connection.execute("INSERT INTO bench_http VALUES (%s, %s)", (event_id, body))
            return
        connection = getattr(local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(target.sqlite_path, isolation_level=None, timeout=10)
            local.connection = connection
        connection.execute("INSERT INTO bench_http VALUES (?, ?)", (event_id, body))

    async def raw_body(request: Request) -> str:
        return (await request.body()).decode("utf-8")

    def user(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> str:
        if credentials is None or credentials.credentials != TOKEN:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED)
        return "bench"

    @app.post("/api/events", status_code=status.HTTP_201_CREATED)
    def post_event(
        body: Annotated[str, Depends(raw_body)], _: Annotated[str, Depends(user)]
    ) -> dict[str, str]:
        event = json.loads(body)
        insert(str(event["id"]), body)
        return {"id": str(event["id"])}

    return app
