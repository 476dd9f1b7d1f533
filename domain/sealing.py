"""Personal fields sealed with a key per case (AES-GCM), the keys wrapped by a master key.

Destroying a case's key makes its sealed fields unreadable everywhere at once
(crypto-shredding): the events stay, their personal fields read as erased.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ERASED = "[slettet]"
PREFIX = "s1:"


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def decode_key(text: str) -> bytes:
    """A base64 key of 16, 24 or 32 bytes."""
    key = base64.b64decode(text)
    if len(key) not in (16, 24, 32):
        raise ValueError("a key must be 16, 24 or 32 bytes, base64 encoded")
    return key


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode()


def wrap(master: bytes, stream: str, key: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(master).encrypt(nonce, key, stream.encode())


def unwrap(master: bytes, stream: str, wrapped: bytes) -> bytes:
    return AESGCM(master).decrypt(wrapped[:12], wrapped[12:], stream.encode())


def seal(key: bytes, event_id: str, personal: Mapping[str, Any]) -> str | None:
    """Encrypt the personal fields of one event; None when there are none."""
    if not personal:
        return None
    nonce = os.urandom(12)
    plain = json.dumps(personal, ensure_ascii=False, separators=(",", ":")).encode()
    sealed = nonce + AESGCM(key).encrypt(nonce, plain, event_id.encode())
    names = ",".join(sorted(personal))
    return f"{PREFIX}{names}:{base64.b64encode(sealed).decode()}"


def unseal(key: bytes | None, event_id: str, sealed: str | None) -> dict[str, Any]:
    """The personal fields of one event; with no key (erased) each field reads as erased."""
    if sealed is None:
        return {}
    names, _, body = sealed[len(PREFIX) :].partition(":")
    if key is None:
        return {name: {"name": ERASED} if name == "person" else ERASED for name in names.split(",")}
    raw = base64.b64decode(body)
    plain = AESGCM(key).decrypt(raw[:12], raw[12:], event_id.encode())
    result: dict[str, Any] = json.loads(plain)
    return result


def is_erased(personal: Mapping[str, Any]) -> bool:
    """Whether personal fields came back from an erased case."""
    person = personal.get("person")
    return personal.get("note") == ERASED or (
        isinstance(person, dict) and person.get("name") == ERASED and len(person) == 1
    )
