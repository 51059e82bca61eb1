"""Floor speed of the operator station: keyboard actions, page loads and seconds per return.

Starts `boomerang serve` on a fresh SQLite database, drives Debian's Chromium like an operator with a
keyboard-wedge scanner (a scan is one action: the scanner types the code and Enter), and processes
50 returns of each scenario:
  (a) one line, no inspection steps: scan+Enter, Enter, Ctrl+Enter
  (b) two lines, three inspection steps, one lot-tracked line (lot number, expiry date and a photo)
Typing the lot number and the date is not counted (UI.md's target counts the keys beyond them).

    make bench-station            # or: .venv/bin/python -m bench.station_speed [--returns N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from tests.api.dock import image_bytes
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, demo_server
from tests.browser.floor import Floor, build_floor

TARGETS = {"a": (3, 3), "b": (10, None)}  # (keyboard actions, page loads)


@dataclass
class Operator:
    """The page, with every keyboard action and page load counted."""

    page: Any
    actions: int = 0
    loads: int = 0
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("load", lambda _: self._loaded())

    def _loaded(self) -> None:
        self.loads += 1

    def scan(self, code: str) -> None:
        """A keyboard-wedge scanner: types the code, then Enter (one action)."""
        self.actions += 1
        self.page.keyboard.type(code)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def press(self, key: str, navigates: bool = False) -> None:
        self.actions += 1
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press(key)
        else:
            self.page.keyboard.press(key)

    def type_data(self, text: str) -> None:
        """Lot number and date: typed data, not counted as actions."""
        self.page.keyboard.type(text)

    def take_photo(self, line_id: str) -> None:
        """The camera button of a tablet: one action."""
        self.actions += 1
        self.page.locator(f"#photos-{line_id}").set_input_files(
            files=[{"name": "lot.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG", (64, 64))}]
        )

    def reset(self) -> None:
        self.actions = self.loads = 0


def one_line_no_steps(floor: Floor) -> tuple[dict[str, Any], Callable[[Operator, dict[str, Any]], None]]:
    product = floor.product()

    def make() -> dict[str, Any]:
        return floor.return_order([(product, 1)])

    def work(op: Operator, order: dict[str, Any]) -> None:
        op.scan(order["reference_id"])
        op.press("Enter", navigates=True)  # open: Arrived -> Processing
        op.press("Control+Enter", navigates=True)  # complete

    return {"make": make}, work


def two_lines_three_steps_one_lot(floor: Floor) -> tuple[dict[str, Any], Callable[[Operator, dict[str, Any]], None]]:
    steps = floor.product({"return_action": "Restock", "inspection_steps": ["Tags on", "No stains", "Folded"]})
    lot = floor.product({"return_action": "Restock"}, is_lot_tracked=True, minimum_shelf_life_days=30)
    expiry = (date.today() + timedelta(days=400)).strftime("%m%d%Y")

    def make() -> dict[str, Any]:
        return floor.return_order([(steps, 1), (lot, 2)])

    def work(op: Operator, order: dict[str, Any]) -> None:
        lot_line = order["inventory"][1]["id"]
        op.scan(order["reference_id"])
        op.press("Enter", navigates=True)
        for key in ("p", "p", "f"):  # three steps, one key each; focus then moves to Lot number
            op.press(key)
        op.type_data("LOT-2027-A")
        op.press("Enter")  # to Expiration date
        op.type_data(expiry)
        op.take_photo(lot_line)
        op.press("Control+Enter", navigates=True)  # waits for the photo upload, then completes

    return {"make": make}, work


SCENARIOS = {
    "a": ("1 line, no inspection steps", one_line_no_steps),
    "b": ("2 lines, 3 steps, 1 lot-tracked line", two_lines_three_steps_one_lot),
}


def run(returns: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = demo_server(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp)).start()
        floor = build_floor(server.base_url, server.admin)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
                page = browser.new_page(base_url=server.base_url, viewport={"width": 1024, "height": 768})
                page.goto("/login")
                page.get_by_label("Email").fill(floor.operator_login[0])
                page.get_by_label("Password").fill(floor.operator_login[1])
                with page.expect_navigation():
                    page.get_by_role("button", name="Sign in").click()
                operator = Operator(page)
                for key, (title, scenario) in SCENARIOS.items():
                    builders, work = scenario(floor)
                    orders = [builders["make"]() for _ in range(returns)]
                    actions, loads, seconds = [], [], []
                    for order in orders:
                        operator.reset()
                        started = time.perf_counter()
                        work(operator, order)
                        seconds.append(time.perf_counter() - started)
                        actions.append(operator.actions)
                        loads.append(operator.loads)
                    completed = sum(floor.get_return(o["id"])["status"] == "Completed" for o in orders)
                    assert completed == returns, f"{title}: only {completed} of {returns} completed"
                    results[key] = {
                        "actions": max(actions),
                        "loads": max(loads),
                        "seconds_mean": statistics.mean(seconds),
                        "seconds_p95": sorted(seconds)[int(0.95 * (len(seconds) - 1))],
                    }
                browser.close()
        finally:
            floor.api.close()
            server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--returns", type=int, default=50)
    args = parser.parse_args()
    results = run(args.returns)
    print(f"\nStation floor speed over {args.returns} returns per scenario (SQLite, headless Chromium)")
    print(f"{'scenario':42} {'keys':>5} {'target':>7} {'loads':>6} {'target':>7} {'s/return':>9} {'p95 s':>7}")
    failed = False
    for key, (title, _) in SCENARIOS.items():
        r = results[key]
        key_target, load_target = TARGETS[key]
        ok = r["actions"] <= key_target and (load_target is None or r["loads"] <= load_target)
        failed = failed or not ok
        print(
            f"({key}) {title:38} {int(r['actions']):5} {'≤' + str(key_target):>7} {int(r['loads']):6} "
            f"{('≤' + str(load_target)) if load_target else '-':>7} {r['seconds_mean']:9.2f} {r['seconds_p95']:7.2f}"
            f"  {'ok' if ok else 'MISSED'}"
        )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
