"""Photos: decoded and checked by content, size-limited, stored under the data dir, served to owners only."""

from __future__ import annotations

import pytest

from tests.api.dock import image_bytes, upload_photo
from tests.errors import assert_error
from tests.support.builders import Api


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_jpeg_png_and_webp_photos_are_stored_and_served(api: Api, fmt: str, content_type: str, settings) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    data = image_bytes(fmt)
    response = upload_photo(api, operator, order["id"], data)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["url"] == f"/api/v1/photos/{body['photo_id']}"
    assert list((settings.data_dir / "photos").iterdir())
    for who in (merchant, operator):
        served = api.client.get(body["url"], headers=who.headers)
        assert served.status_code == 200
        assert served.content == data and served.headers["content-type"] == content_type


def test_a_file_that_is_not_an_image_is_unsupported_whatever_its_name(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    files = {"file": ("photo.jpg", b"%PDF-1.4 not an image", "image/jpeg")}
    response = api.client.post(f"/api/v1/returns/{order['id']}/photos", files=files, headers=operator.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_a_gif_is_unsupported(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = upload_photo(api, operator, order["id"], image_bytes("GIF"))
    assert response.status_code == 422 and response.json()["error"]["code"] == "unsupported_media_type"


def test_a_truncated_image_is_unsupported(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    data = image_bytes("PNG", (64, 64))
    response = upload_photo(api, operator, order["id"], data[: len(data) // 2])
    assert_error(response, 422, "unsupported_media_type")


def test_a_photo_over_the_size_limit_is_too_large(api: Api, settings) -> None:  # type: ignore[no-untyped-def]
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    too_big = image_bytes("PNG") + b"\0" * (settings.max_photo_bytes + 1)
    response = upload_photo(api, operator, order["id"], too_big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_other_merchants_and_other_fcs_cannot_see_a_photo(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    url = upload_photo(api, operator, order["id"]).json()["url"]
    stranger_operator = api.operator(api.fulfillment_center()["id"])
    for who in (api.merchant(), stranger_operator):
        response = api.client.get(url, headers=who.headers)
        assert_error(response, 404, "photo_not_found")


def test_photos_only_go_to_returns_at_the_operators_fc(api: Api) -> None:
    merchant, fc, _ = api.setup()
    order = api.return_order(merchant, fc["id"])
    stranger = api.operator(api.fulfillment_center()["id"])
    assert_error(upload_photo(api, stranger, order["id"]), 404, "return_not_found")


def test_an_upload_without_a_file_is_a_validation_error(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    response = api.client.post(f"/api/v1/returns/{order['id']}/photos", headers=operator.headers)
    assert_error(response, 422, "validation_error", "file")
