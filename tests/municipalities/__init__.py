"""Municipality files the tests use besides Moss's bundled one."""

from pathlib import Path

TESTVIK = Path(__file__).resolve().parent / "testvik.toml"
