"""Where a process's keys come from: the settings, else a key file at a place that does not
depend on the working directory.

- Both BOLIGSPOR_PAYLOAD_KEY and BOLIGSPOR_MASTER_KEY set: those (production requires them).
- Else the key file BOLIGSPOR_KEY_FILE (an absolute path), made 0600 on first use.
- Else, on SQLite, `boligspor.keys` beside the database file; on PostgreSQL there is no such
  place, so the process refuses to start rather than make a key set in whatever directory it
  was started from.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from domain import sealing
from domain.errors import KeysMissing
from settings import Settings, parse_database_url

KEY_FILE_NAME = "boligspor.keys"


def key_file_of(settings: Settings) -> Path:
    """The key file the settings name (KeysMissing where they name none)."""
    if settings.key_file is not None:
        if not settings.key_file.is_absolute():
            raise KeysMissing(
                f"BOLIGSPOR_KEY_FILE must be an absolute path (got {settings.key_file})"
            )
        return settings.key_file
    target = parse_database_url(settings.database_url)
    if target.sqlite_path is None:
        raise KeysMissing(
            "on PostgreSQL set BOLIGSPOR_PAYLOAD_KEY and BOLIGSPOR_MASTER_KEY,"
            " or BOLIGSPOR_KEY_FILE (an absolute path)"
        )
    return target.sqlite_path.parent / KEY_FILE_NAME


def resolve_keys(settings: Settings) -> tuple[str, bytes]:
    """The payload key (base64) and the master key: from settings, else from the key file."""
    if settings.payload_key and settings.master_key:
        return settings.payload_key, _decoded("BOLIGSPOR_MASTER_KEY", settings.master_key)
    if settings.production:
        raise KeysMissing(
            "BOLIGSPOR_PAYLOAD_KEY and BOLIGSPOR_MASTER_KEY must be set in production"
        )
    path = key_file_of(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = {
            "payload_key": sealing.encode_key(sealing.new_key()),
            "master_key": sealing.encode_key(sealing.new_key()),
        }
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(keys, f)
    keys = json.loads(path.read_text())
    payload = settings.payload_key or keys["payload_key"]
    master = settings.master_key or keys["master_key"]
    _decoded("BOLIGSPOR_PAYLOAD_KEY", payload)
    return payload, _decoded("BOLIGSPOR_MASTER_KEY", master)


def _decoded(name: str, text: str) -> bytes:
    try:
        return sealing.decode_key(text)
    except ValueError:
        raise KeysMissing(f"{name} is not a base64 AES key of 16, 24 or 32 bytes") from None
