"""Photos of unidentified packages: same checks as return photos, listed on the package, FC-scoped,
and visible to the merchant once the package is linked to its return."""

from __future__ import annotations

from typing import Any

from tests.api.dock import image_bytes, scan
from tests.errors import assert_error
from tests.support.builders import Api, Operator


def unidentified(api: Api, operator: Operator, fc_id: str, scanned: str = "TORN-LABEL-77") -> str:
    body = scan(api, operator, fc_id, scanned).json()
    assert body["outcome"] == "unidentified"
    return str(body["unidentified_package_id"])


def upload(api: Api, operator: Operator, package_id: str, data: bytes, name: str = "box.jpg") -> Any:
    files = {"file": (name, data, "image/jpeg")}
    return api.client.post(f"/api/v1/warehouse/unidentified/{package_id}/photos", files=files, headers=operator.headers)


def test_a_photo_of_an_unidentified_package_is_stored_listed_and_served_to_the_fc(api: Api) -> None:
    _, fc, operator = api.setup()
    package_id = unidentified(api, operator, fc["id"])
    data = image_bytes("JPEG")
    response = upload(api, operator, package_id, data)
    assert response.status_code == 201, response.text
    photo = response.json()
    assert photo["unidentified_package_id"] == package_id and photo["content_type"] == "image/jpeg"
    listed = api.client.get("/api/v1/warehouse/unidentified", headers=operator.headers).json()["items"]
    assert [p["photo_ids"] for p in listed] == [[photo["photo_id"]]]
    served = api.client.get(photo["url"], headers=operator.headers)
    assert served.status_code == 200 and served.content == data


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_listed(api: Api) -> None:
    _, fc, operator = api.setup()
    package_id = unidentified(api, operator, fc["id"])
    response = upload(api, operator, package_id, b"GIF89a not really", name="box.png")
    assert_error(response, 422, "unsupported_media_type")
    listed = api.client.get("/api/v1/warehouse/unidentified", headers=operator.headers).json()["items"]
    assert listed[0]["photo_ids"] == []


def test_a_photo_over_the_size_limit_is_too_large(api: Api, settings: Any) -> None:
    _, fc, operator = api.setup()
    package_id = unidentified(api, operator, fc["id"])
    response = upload(api, operator, package_id, image_bytes("PNG") + b"\0" * (settings.max_photo_bytes + 1))
    assert_error(response, 413, "payload_too_large")


def test_another_fcs_operator_and_merchants_cannot_add_or_see_package_photos(api: Api) -> None:
    merchant, fc, operator = api.setup()
    elsewhere = api.operator(api.fulfillment_center()["id"])
    package_id = unidentified(api, operator, fc["id"])
    assert_error(upload(api, elsewhere, package_id, image_bytes()), 404, "unidentified_package_not_found")
    photo = upload(api, operator, package_id, image_bytes()).json()
    assert_error(api.client.get(photo["url"], headers=elsewhere.headers), 404, "photo_not_found")
    assert_error(api.client.get(photo["url"], headers=merchant.headers), 404, "photo_not_found")
    files = {"file": ("box.png", image_bytes(), "image/png")}
    url = f"/api/v1/warehouse/unidentified/{package_id}/photos"
    assert_error(api.client.post(url, files=files, headers=merchant.headers), 403, "forbidden")


def test_once_resolved_the_package_photos_are_the_merchants_too(api: Api) -> None:
    merchant, fc, operator = api.setup()
    order = api.return_order(merchant, fc["id"])
    package_id = unidentified(api, operator, fc["id"])
    photo = upload(api, operator, package_id, image_bytes()).json()
    url = f"/api/v1/warehouse/unidentified/{package_id}/resolve"
    assert api.client.post(url, json={"return_id": order["id"]}, headers=operator.headers).status_code == 200
    assert api.client.get(photo["url"], headers=merchant.headers).status_code == 200
