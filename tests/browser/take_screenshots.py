"""`make screenshots`: the main pages on the demo data, at 1280x800 and a tablet's 768x1024, into docs/screenshots/."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, MERCHANT, demo_server, sign_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": (1280, 800), "tablet": (768, 1024)}
PAGES = {
    "overview": "/?days=90",
    "returns": "/returns",
    "return": None,  # the first completed return
    "new-return": "/returns/new",
    "products": "/products",
    "product": None,  # the first product
    "bulk-preferences": "/products/bulk",
    "quarantine": "/quarantine",
    "billing": "/billing",
    "settings": "/settings",
}


def main() -> int:
    if not CHROMIUM.exists():
        print(f"no {CHROMIUM}: apt-get install -y chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        with demo_server(f"sqlite:///{data / 'boomerang.db'}", data) as server:
            _shoot(server.base_url)
    return 0


def _shoot(base_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        for size, (width, height) in SIZES.items():
            context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
            page = context.new_page()
            sign_in(page, MERCHANT)
            for name, path in PAGES.items():
                if path is None:
                    page.goto("/returns?status=Completed" if name == "return" else "/products")
                    page.locator("tbody a").first.click()
                    page.wait_for_load_state()
                else:
                    page.goto(path)
                target = OUT / f"{name}-{size}.png"
                page.screenshot(path=str(target))
                print(target.relative_to(OUT.parents[1]))
            context.close()
        browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
