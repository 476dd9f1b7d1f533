"""The `boligspor keys rotate-master` command: the operator's step that makes an erasure final
in the database's write-ahead log, archives and backups too (docs/security.md)."""

from __future__ import annotations

import json
import os

import typer

from cli.context import open_app, settings
from domain import sealing
from domain.errors import KeysMissing
from domain.key_check import master_check
from domain.key_source import key_file_of

keys_app = typer.Typer(help="Keys: rotate the master key.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `keys` commands to the command line."""
    app.add_typer(keys_app, name="keys")


@keys_app.command("rotate-master")
def rotate_master() -> None:
    """Wrap every case key that is not erased with BOLIGSPOR_NEW_MASTER_KEY instead of the
    current master key, in one transaction. Stop `serve` and `worker` first; afterwards start
    them with BOLIGSPOR_MASTER_KEY set to the new key, and destroy the old one."""
    config = settings()
    if not config.new_master_key:
        raise KeysMissing("set BOLIGSPOR_NEW_MASTER_KEY to the new master key (base64)")
    try:
        new_master = sealing.decode_key(config.new_master_key)
    except ValueError:
        raise KeysMissing("BOLIGSPOR_NEW_MASTER_KEY is not a base64 AES key") from None
    service = open_app(config)
    count = service.keys.rewrap_all(new_master, master_check)
    if not config.master_key:  # the master key came from the key file: it holds the new one
        path = key_file_of(config)
        keys = json.loads(path.read_text())
        keys["master_key"] = config.new_master_key
        temporary = path.with_suffix(".new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(keys, out)
        temporary.replace(path)
    service.close()
    print(
        f"{count} case keys wrapped with the new master key. Start every process with it as"
        " BOLIGSPOR_MASTER_KEY and destroy the old master key."
    )
