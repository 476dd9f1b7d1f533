"""The samples in tests/samples are copies of the shared contract's samples, byte for byte.

The contract's samples arrive in ../shared/samples beside a checkout (not in every clone); new ones
are taken in by copying them into tests/samples, never by tests that read outside the repository.
Where the shared folder is there, this test keeps the two from drifting apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OWN = REPO / "tests" / "samples"
SHARED = REPO.parent / "shared" / "samples"


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_repository_holds_the_samples_the_tests_use() -> None:
    names = files_under(OWN)
    assert any(name.endswith(".jsonl") and "/" not in name for name in names)
    assert any(name.startswith("invalid/") for name in names)
    assert any(".status-" in name for name in names)


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no shared samples beside the checkout ({SHARED})")
def test_the_samples_are_byte_for_byte_the_shared_ones() -> None:
    own, shared = files_under(OWN), files_under(SHARED)
    assert sorted(own) == sorted(shared), "copy ../shared/samples into tests/samples"
    changed = [name for name in shared if own[name] != shared[name]]
    assert changed == [], f"differs from ../shared/samples: {changed}"
