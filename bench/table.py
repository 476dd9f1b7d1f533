"""Render result files as the Markdown table of docs/performance.md.

python -m bench.table bench/results/latest-moss.json bench/results/latest-country.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def rows(path: Path) -> list[str]:
    body = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for figure in body["figures"]:
        ratio = f"{figure['ratio']:.2f} × {figure['baseline']:,.0f}" if figure["ratio"] else ""
        verdict = {True: "met", False: "**missed**", None: ""}[figure["met"]]
        goal = f"{figure['goal']} {verdict}".strip()
        value = f"{figure['value']:,.1f} {figure['unit']}"
        scale = body["meta"]["scale"]
        cells = (scale, figure["name"], value, ratio, goal, figure["note"])
        out.append("| " + " | ".join(cells) + " |")
    return out


def main(paths: list[str]) -> None:
    print("| scale | figure | value | ratio × baseline | goal | note |")
    print("|---|---|---|---|---|---|")
    for path in paths:
        print("\n".join(rows(Path(path))))


if __name__ == "__main__":
    main(sys.argv[1:])
