"""The keyed search index: HMAC-SHA256 tokens of normalised name parts, national ids, phone
numbers, refs and dwelling addresses, each pointing at a case (or a dwelling) stream.

Nothing in the table can be read back: a token is HMAC-SHA256 (cut to 16 bytes) of a kind and
a normalised value under the search key, a random key wrapped by the master key and kept with
the case keys (`stream_keys`, stream `search-index`), so `keys rotate-master` rewraps it with
them and the tokens stay valid. Without the key a token says nothing; with it, only a guess
can be confirmed.

What is a part of a name (and of an address): every word (letters and digits between other
characters) and every prefix of a word of at least MIN_PREFIX letters, so "Øst" and "østby"
find "Kari Østby-Hansen", "stby" does not. Letters are folded: lower case, accents dropped,
ø -> o, å -> a, æ -> ae, and each word is indexed in its other spellings too (ø as oe, å as
aa, and a written "aa" or "oe" as å or ø), so "ostby", "oestby" and "østby" find "Østby", and
"aase", "åse" and "ase" find "Åse" and "Aase". A query of several words finds what holds
every one of them. A national id is exact (spaces ignored); a phone number its digits, and
the last eight of a longer one (so "+47 912 34 567" and "91234567" meet).

Written with the events (the recorders insert `search_rows` in the events' transaction);
`forget` deletes a case's rows when it is erased and leaves no copy in the database files
(SQLite's secure delete and a checkpoint; PostgreSQL's VACUUM FULL of the table).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain import sealing
from domain.storage import Sql

TABLE = "search_index"
KEY_STREAM = "search-index"  # the search key's row in `stream_keys`
TOKEN_BYTES = 16
MIN_PREFIX = 2
# No row is indexed for words longer than this (a name word, an address word).
MAX_WORD = 40

SQLITE_TABLES = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " token BLOB NOT NULL, stream TEXT NOT NULL, PRIMARY KEY (token, stream)) WITHOUT ROWID",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_stream ON {TABLE} (stream)",
)
POSTGRES_TABLE = (
    f"{TABLE} (token bytea NOT NULL, stream text NOT NULL, PRIMARY KEY (token, stream))"
)
POSTGRES_INDEX = f"{TABLE}_stream ON {{schema}}.{TABLE} (stream)"

SearchRow = tuple[bytes, str]  # token, stream ("case:REF" or "dwelling:REF")

_FOLD = str.maketrans({"ø": "o", "å": "a", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l"})
_DOUBLE = str.maketrans({"ø": "oe", "å": "aa", "æ": "ae"})
_WORD = re.compile(r"[^\W_]+")
_DIGITS_ONLY = re.compile(r"[\d\s+().-]+")


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(word: str) -> str:
    """The one spelling a query word is looked up by: lower case, ø o, å a, æ ae, no accents."""
    return _strip_marks(unicodedata.normalize("NFC", word).lower().translate(_FOLD))


def spellings(word: str) -> set[str]:
    """The spellings a word is indexed under (see the module's docstring)."""
    lower = unicodedata.normalize("NFC", word).lower()
    folded = fold(lower)
    doubled = _strip_marks(lower.translate(_DOUBLE).translate(_FOLD))
    single = folded.replace("aa", "a").replace("oe", "o")
    return {folded, doubled, single}


def words(text: str) -> list[str]:
    """The words of a text (letters and digits), in order."""
    return [w for w in _WORD.findall(unicodedata.normalize("NFC", text)) if len(w) <= MAX_WORD]


def parts(text: str) -> set[str]:
    """Every indexed part of a name or address: each spelling of each word and its prefixes."""
    found: set[str] = set()
    for word in words(text):
        for spelling in spellings(word):
            found.add(spelling)
            found.update(spelling[:n] for n in range(MIN_PREFIX, len(spelling)))
    return found


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit() and c.isascii())


def phone_values(phone: str) -> set[str]:
    number = digits(phone)
    if not number:
        return set()
    return {number, number[-8:]}


def is_number_query(text: str) -> bool:
    """Whether a search is a national id or phone number (digits, spaces, + - . ( ))."""
    return bool(_DIGITS_ONLY.fullmatch(text.strip())) and bool(digits(text))


@dataclass
class Query:
    """A search text, as tokens: each group's streams are intersected within the group."""

    number: list[bytes] = field(default_factory=list)  # any of them (national id, phone)
    name_words: list[bytes] = field(default_factory=list)  # all of them
    address_words: list[bytes] = field(default_factory=list)  # all of them
    refs: list[bytes] = field(default_factory=list)  # case and dwelling refs (any)


class SearchIndex:
    """Writes, finds and forgets the keyed tokens of cases and dwellings."""

    def __init__(self, sql: Sql, master: bytes) -> None:
        self.sql = sql
        self.table = sql.table(TABLE)
        self.key = b""
        self.master = master

    # --- the key -------------------------------------------------------------------------------

    def ensure_key(self, now: datetime) -> None:
        """Read the search key, made and stored (wrapped by the master key) on first use."""
        table = self.sql.table("stream_keys")
        select = f"SELECT wrapped FROM {table} WHERE stream = ?"
        rows = self.sql.query(select, [KEY_STREAM])
        if not rows:
            wrapped = sealing.wrap(self.master, KEY_STREAM, sealing.new_key())
            self.sql.execute(
                f"INSERT INTO {table} (stream, wrapped, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (stream) DO NOTHING",
                [KEY_STREAM, wrapped, now.isoformat()],
            )
            rows = self.sql.query(select, [KEY_STREAM])
        self.key = sealing.unwrap(self.master, KEY_STREAM, bytes(rows[0][0]))

    def token(self, kind: str, value: str) -> bytes:
        assert self.key, "ensure_key first"
        message = f"{kind}\x00{value}".encode()
        return hmac.new(self.key, message, hashlib.sha256).digest()[:TOKEN_BYTES]

    # --- writing -------------------------------------------------------------------------------

    def case_rows(self, ref: str, person: Mapping[str, Any]) -> list[SearchRow]:
        """The rows of a case opened with this contact person."""
        stream = f"case:{ref}"
        tokens = {self.token("ref", ref.casefold())}
        name = person.get("name")
        if isinstance(name, str):
            tokens.update(self.token("name", part) for part in parts(name))
        national_id = person.get("national_id")
        if isinstance(national_id, str) and digits(national_id):
            tokens.add(self.token("number", digits(national_id)))
        phone = person.get("phone")
        if isinstance(phone, str):
            tokens.update(self.token("number", value) for value in phone_values(phone))
        return [(token, stream) for token in sorted(tokens)]

    def dwelling_rows(self, ref: str, address: str | None) -> list[SearchRow]:
        """The rows of a dwelling registered with this address (an address is not personal,
        but is found the same way as a name)."""
        stream = f"dwelling:{ref}"
        tokens = {self.token("ref", ref.casefold())}
        if address:
            tokens.update(self.token("address", part) for part in parts(address))
        return [(token, stream) for token in sorted(tokens)]

    def forget(self, stream: str) -> int:
        """Delete every row of the stream, and the copies the database files keep of them."""
        statement = f"DELETE FROM {self.table} WHERE stream = ?"
        if self.sql.postgres:
            removed = self.sql.execute(statement, [stream])
            with self.sql.datastore.get_connection() as conn:
                conn.autocommit = True
                conn.execute(f"VACUUM FULL {self.table}")
            return removed
        with self.sql.transaction() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute(statement, [stream])
            removed = int(getattr(cursor, "sqlite_cursor", cursor).rowcount or 0)
        with self.sql.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def replace_all(self, rows: Iterable[SearchRow]) -> int:
        """Every row of the index at once, in one transaction (a rebuild)."""
        mark = "%s" if self.sql.postgres else "?"
        unique = sorted(set(rows))
        with self.sql.transaction() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
            for start in range(0, len(unique), 5000):
                cursor.executemany(
                    f"INSERT INTO {self.table} (token, stream) VALUES ({mark}, {mark})",
                    unique[start : start + 5000],
                )
        return len(unique)

    # --- finding -------------------------------------------------------------------------------

    def query(self, text: str) -> Query:
        """The tokens of a search text (see the module's docstring for what matches)."""
        text = " ".join(text.split())
        found = Query()
        if not text:
            return found
        if is_number_query(text):
            number = digits(text)
            found.number = [self.token("number", v) for v in sorted({number, number[-8:]})]
        else:
            folded = [fold(w) for w in words(text)]
            found.name_words = [self.token("name", w) for w in folded]
            found.address_words = [self.token("address", w) for w in folded]
        found.refs = [self.token("ref", text.casefold())]
        return found

    def refs(self, token: bytes, kind: str) -> set[str]:
        """The refs of the token's streams of one kind ("case" or "dwelling"): a range of the
        primary key (token, stream), the refs cut out and joined into one value by the database
        (a common surname's thousands of rows cost PostgreSQL's client 10 ms as rows, 1 ms so;
        a line break is in no ref's alphabet)."""
        prefix = f"{kind}:"
        joined = "string_agg" if self.sql.postgres else "group_concat"
        rows = self.sql.query(
            f"SELECT {joined}(substr(stream, {len(prefix) + 1}), ?) FROM {self.table}"
            " WHERE token = ? AND stream >= ? AND stream < ?",
            ["\n", token, prefix, f"{kind};"],  # ';' follows ':'
        )
        refs = rows[0][0] if rows else None
        return set(str(refs).split("\n")) if refs else set()

    def find(self, text: str) -> Found:
        """The cases and dwellings the text finds, by refs (each kind of match apart)."""
        query = self.query(text)

        def any_of(tokens: Iterable[bytes], kind: str) -> set[str]:
            return set().union(*(self.refs(t, kind) for t in tokens))

        def all_of(tokens: Sequence[bytes], kind: str) -> set[str]:
            found: set[str] | None = None
            for token in tokens:
                refs = self.refs(token, kind)
                found = refs if found is None else found & refs
                if not found:
                    return set()
            return found or set()

        people = any_of(query.number, "case") | all_of(query.name_words, "case")
        return Found(
            cases=people | any_of(query.refs, "case"),
            dwellings=all_of(query.address_words, "dwelling") | any_of(query.refs, "dwelling"),
            by_person=bool(people),
        )

    def entries_of(self, stream: str) -> int:
        """How many rows the stream has (0 once it is erased)."""
        rows = self.sql.query(f"SELECT COUNT(*) FROM {self.table} WHERE stream = ?", [stream])
        return int(rows[0][0])


@dataclass(frozen=True)
class Found:
    """What a search found: case refs and dwelling refs; whether a person matched."""

    cases: set[str]
    dwellings: set[str]
    by_person: bool
