"""Boligspor's benchmark harness: `python -m bench --scale moss|country` (docs/performance.md)."""
