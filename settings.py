"""One source of configuration for every layer: environment variables prefixed BOLIGSPOR_."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from pydantic import Field, field_validator
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
    municipality: Path | None = Field(
        None,
        description="the municipality's TOML file (name, number, districts, report heading, plan"
        " targets: docs/municipality.md); if unset, Moss's bundled domain/municipalities/moss.toml",
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
    oidc_issuer: str | None = Field(
        None,
        description="The identity provider's issuer URL (OpenID Connect), e.g."
        " https://login.microsoftonline.com/<tenant>/v2.0; unset: token sign-in only",
    )
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_user_claim: str = Field(
        "preferred_username",
        description="The ID token's claim whose value (lower-cased) is the Boligspor user name",
    )
    oidc_scopes: str = "openid profile email"
    oidc_redirect_uri: str | None = Field(
        None,
        description="The callback address registered with the provider (default: this"
        " server's own /app/logg-inn/kommune/svar as the request saw it)",
    )
    access_contact: str = Field(
        "en administrator for Boligspor i kommunen",
        description="Whom a person without a Boligspor user should ask, shown on the refusal"
        " page (Norwegian, e.g. a team or an e-mail address)",
    )
    metrics_token: str | None = Field(
        None,
        description="A token a Prometheus server sends (Authorization: Bearer) to read"
        " /metrics; admins' own tokens are accepted too",
    )
    metrics_directory: Path | None = Field(
        None,
        description="Where the processes of `serve --workers N` keep their metrics samples"
        " (default: a folder in the system's temporary directory)",
    )
    worker_times: dict[str, str] = Field(
        default_factory=dict,
        description="A daily job's time of day instead of its own, e.g."
        ' {"raise_watch_list_alerts": "06:30"} (JSON; HH:MM or HH:MM:SS, local time)',
    )
    worker_leader_poll_seconds: float = Field(
        2.0,
        description="How often a waiting worker asks for the leader's lock, and the leader"
        " checks that it still holds it",
    )
    session_idle_minutes: float = Field(
        60.0, gt=0, description="a web session ends after this long without a request"
    )
    session_lifetime_hours: float = Field(
        12.0, gt=0, description="a web session ends this long after sign-in, however busy"
    )
    login_tries_per_user: int = Field(
        5, ge=1, description="failed sign-ins as one user name within the window, then 429"
    )
    login_tries_per_address: int = Field(
        20, ge=1, description="failed sign-ins from one client address within the window"
    )
    login_window_seconds: float = Field(60.0, gt=0, description="the login limit's window")
    trusted_proxies: tuple[str, ...] = Field(
        (),
        description="addresses or networks (CIDR) of proxies whose X-Forwarded-For is trusted,"
        ' as JSON, e.g. ["10.0.0.0/8"]; from any other peer the header is ignored',
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, proxies: tuple[str, ...]) -> tuple[str, ...]:
        for proxy in proxies:
            ipaddress.ip_network(proxy, strict=False)  # a ValueError names the bad entry
        return proxies


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
