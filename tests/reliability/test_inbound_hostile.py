"""Signed but hostile AfterShip and Loop bodies: deep nesting, huge integers, overlong text → 4xx with
the envelope, and no return is created."""

from __future__ import annotations

import pytest

from tests.reliability.portals import Portal, aftership_body, configure_portals, loop_body
from tests.support.builders import Api

HOSTILE = {
    "loop deep arrays": ("loop", "[" * 100_000),
    "loop deep objects": ("loop", '{"a":' * 50_000),
    "loop 5000-digit id": ("loop", loop_body(return_id="9" * 5_000)),
    "loop 25-digit id": ("loop", loop_body(return_id="9" * 25)),
    "loop nested id": ("loop", loop_body(return_id="[" * 40 + "]" * 40)),
    "aftership deep arrays": ("aftership", "[" * 100_000),
    "aftership deep objects": ("aftership", '{"data":' * 50_000),
    "aftership 5000-digit rma": ("aftership", aftership_body(rma="9" * 5_000)),
    "aftership 25-digit data id": ("aftership", aftership_body(data_id="9" * 25)),
}
# Overlong text is either cut to the column (ids, references: the portal's own limits are unknown) or
# refused; never a database error.
OVERLONG = {
    "loop 5000-char id": ("loop", loop_body(return_id='"' + "7" * 5_000 + '"')),
    "loop 5000-char sku": ("loop", loop_body(sku="S" * 5_000)),
    "loop 5000-char tracking": ("loop", loop_body(tracking="T" * 5_000)),
    "aftership 5000-char rma": ("aftership", aftership_body(rma='"' + "R" * 5_000 + '"')),
    "aftership 5000-char data id": ("aftership", aftership_body(data_id='"' + "d" * 5_000 + '"')),
    "aftership 5000-char sku": ("aftership", aftership_body(sku="S" * 5_000)),
}


@pytest.fixture
def portal(api: Api) -> Portal:
    return configure_portals(api)


@pytest.mark.parametrize(("provider", "body"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_signed_hostile_body_is_a_4xx_and_creates_nothing(portal: Portal, provider: str, body: str) -> None:
    response = portal.send(provider, body.encode())
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]["code"] in ("malformed_json", "malformed_payload")
    assert portal.return_count() == 0


@pytest.mark.parametrize(("provider", "body"), OVERLONG.values(), ids=OVERLONG.keys())
def test_signed_overlong_text_is_cut_or_refused_never_a_5xx(portal: Portal, provider: str, body: str) -> None:
    response = portal.send(provider, body.encode())
    assert response.status_code in (200, 422), response.text
    assert portal.return_count() == (1 if response.status_code == 200 else 0)


def test_the_hostile_body_is_logged_as_rejected_and_a_good_one_still_works(portal: Portal) -> None:
    assert portal.send("loop", ("[" * 100_000).encode()).status_code == 400
    events = portal.client.get("/api/v1/integrations/events", headers=portal.merchant.headers).json()["items"]
    assert [(e["result"], e["error"]["code"]) for e in events] == [("Rejected", "malformed_json")]
    assert portal.send("loop", loop_body().encode()).status_code == 200
    assert portal.return_count() == 1
