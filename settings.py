"""One source of configuration for every layer: environment variables prefixed BOLIGSPOR_."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/boligspor.sqlite"


class Settings(BaseSettings):
    """Boligspor's settings. Every field can be set as BOLIGSPOR_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="BOLIGSPOR_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="sqlite:///relative/path, sqlite:////absolute/path or postgresql://user@host/db"
        " (optionally ?schema=NAME)",
    )
    payload_key: str | None = Field(
        None,
        description="Base64 AES key for event payloads; if unset, the key file (key_file, else"
        " beside the SQLite database) is made on first use",
    )
    master_key: str | None = Field(
        None,
        description="Base64 AES key that wraps the per-case keys; same default as payload_key",
    )
    new_master_key: str | None = Field(
        None,
        description="Base64 AES key for `boligspor keys rotate-master` only: the master key"
        " that wraps the case keys from then on",
    )
    key_file: Path | None = Field(
        None,
        description="Absolute path of the key file used when the keys are not set (default:"
        " boligspor.keys beside the SQLite database; PostgreSQL needs the keys or this)",
    )
    timezone: str = "Europe/Oslo"
    log_level: str = "INFO"
    log_json: bool = True
    production: bool = False
    alert_stay_nights: tuple[int, ...] = (14, 90)
    alert_lease_days: int = 90
    alert_follow_up_gap_days: int = 14
    alert_complaint_days: int = 30
    worker_catch_up_seconds: float = 5.0
    worker_retry_attempts: int = 5
    worker_retry_first_seconds: float = 1.0
    worker_retry_max_seconds: float = 60.0


@dataclass(frozen=True)
class DatabaseTarget:
    """Where the event store and the read models live, parsed from a database URL."""

    kind: str  # "sqlite" | "postgres"
    sqlite_path: Path | None = None
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "postgres"
    password: str = ""
    dbname: str = "postgres"
    schema: str | None = None

    @property
    def conninfo(self) -> str:
        """A libpq connection string for PostgreSQL targets."""
        parts = [
            f"host={self.host}",
            f"port={self.port}",
            f"user={self.user}",
            f"dbname={self.dbname}",
        ]
        if self.password:
            parts.append(f"password={self.password}")
        return " ".join(parts)


def parse_database_url(url: str) -> DatabaseTarget:
    """Parse sqlite:///PATH or postgresql://user:pw@host:port/db?schema=NAME."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw = url[len("sqlite://") :]
        if not raw.startswith("/") or raw == "/":
            raise ValueError(f"database URL {url!r}: expected sqlite:///PATH")
        path = Path(raw[1:])
        return DatabaseTarget(kind="sqlite", sqlite_path=path)
    if parsed.scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        query = parse_qs(parsed.query)
        schema = query.get("schema", [None])[0]
        return DatabaseTarget(
            kind="postgres",
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            user=unquote(parsed.username or "postgres"),
            password=unquote(parsed.password or ""),
            dbname=(parsed.path.lstrip("/") or "postgres"),
            schema=schema,
        )
    raise ValueError(f"database URL {url!r}: use sqlite:///PATH or postgresql://…")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides winning."""
    return Settings(**overrides)  # type: ignore[arg-type]


def scrub_library_environment() -> None:
    """Remove variables the eventsourcing library would read behind our back.

    The library merges os.environ into its configuration, and an application-name-prefixed
    variable beats an explicit value. Settings builds the library's environment explicitly,
    so nothing else may leak in.
    """
    library_keys = (
        "PERSISTENCE_MODULE",
        "SQLITE_DBNAME",
        "POSTGRES_",
        "CIPHER_",
        "COMPRESSOR_TOPIC",
        "ORIGINATOR_ID_TYPE",
        "IS_SNAPSHOTTING_ENABLED",
        "APPLICATION_RECORDER_TOPIC",
        "BOLIGSPOR_PERSISTENCE",
        "BOLIGSPOR_SQLITE",
        "BOLIGSPOR_POSTGRES",
        "BOLIGSPOR_CIPHER_TOPIC",
        "CREATE_TABLE",
        "SINGLE_ROW_TRACKING",
    )
    for key in list(os.environ):
        if key.startswith(library_keys):
            del os.environ[key]
