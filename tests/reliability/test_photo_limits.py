"""Photos: the pixel count is capped from the header, before decoding; bombs cost the server nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from boomerang.config import Settings
from tests.api.dock import image_bytes, upload_photo
from tests.reliability.bombs import png_bomb
from tests.support.builders import Api
from tests.support.concurrency import at_once
from tests.support.live_server import LiveServer

BOMB_SIDE = 9_400  # 88 million pixels: just under Pillow's own bomb warning (89.5 million)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_bomb(BOMB_SIDE, BOMB_SIDE)


def test_the_bomb_is_small_on_the_wire(bomb: bytes) -> None:
    assert len(bomb) < 400 * 1024


def test_a_photo_over_the_pixel_cap_is_413_image_too_large_and_nothing_is_stored(
    api: Api, settings: Settings, bomb: bytes
) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = upload_photo(api, operator, order["id"], bomb)
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "image_too_large"
    assert "88,360,000 pixels" in response.json()["error"]["message"]
    assert not (settings.data_dir / "photos").exists()


def test_the_pixel_cap_is_inclusive_and_configurable(api: Api, settings: Settings) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    settings.max_photo_pixels = 64 * 64
    assert upload_photo(api, operator, order["id"], image_bytes("PNG", (64, 64))).status_code == 201
    over = upload_photo(api, operator, order["id"], image_bytes("JPEG", (65, 64)))
    assert over.status_code == 413 and over.json()["error"]["code"] == "image_too_large"


@pytest.fixture
def live(tmp_path: Path, sqlite_template: Path) -> Iterator[LiveServer]:
    db = tmp_path / "boomerang.db"
    db.write_bytes(sqlite_template.read_bytes())
    server = LiveServer(f"sqlite:///{db}", tmp_path / "live").start()
    yield server
    server.stop()


def setup_live(server: LiveServer) -> tuple[str, dict[str, str]]:
    with server.client() as client:
        api = Api(client, "unused")  # type: ignore[arg-type]
        api.admin = server.admin
        merchant, fc, operator = api.setup()
        order = api.return_order(merchant, fc["id"])
    return order["id"], operator.headers


def test_eight_bombs_at_once_leave_the_server_small(live: LiveServer, bomb: bytes) -> None:
    return_id, headers = setup_live(live)
    before = live.peak_rss_mb()

    def send() -> httpx.Response:
        files = {"file": ("bomb.png", bomb, "image/png")}
        return httpx.post(f"{live.base_url}/api/v1/returns/{return_id}/photos", files=files, headers=headers)

    results = at_once([send] * 8)
    assert [r.status_code for r in results] == [413] * 8
    grown = live.peak_rss_mb() - before
    print(f"\nRELIABILITY FIGURES 8 bombs of {len(bomb)} bytes: peak RSS {before:.0f} -> {live.peak_rss_mb():.0f} MB")
    assert grown < 100, f"peak RSS grew by {grown:.0f} MB"
