"""`python -m bench.report RESULTS.json`: the results of a run as the Markdown table of docs/performance.md."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def figure(result: dict[str, Any]) -> str:
    value = result["figure"]
    if value is None:
        return "—"
    return f"{value:.0f} MiB" if result["row"] == "7" else f"{value:.2f}×"


def markdown(payload: dict[str, Any]) -> str:
    lines = [
        "| # | db | workload | figure | target | met | absolute numbers |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in sorted(payload["results"], key=lambda r: (int(r["row"]) if r["row"].isdigit() else 99, r["db"])):
        met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
        cells = [r["row"], r["db"], r["workload"], figure(r), r["target"], met, r["detail"]]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def main() -> None:
    payload = json.loads(Path(sys.argv[1]).read_text())
    print(f"Run of {payload['at']}: sizes {payload['sizes']}, {payload['skus']:,} SKUs, {payload['machine']}\n")
    print(markdown(payload))


if __name__ == "__main__":
    main()
