"""Hypothesis against the parsers of untrusted input: the AfterShip and Loop webhook parsers, the
bulk-preference CSV import and carrier events. Whatever arrives, the answer is a result or a 4xx with
the envelope; never an unexpected exception, never a 5xx."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from boomerang.adapters.integrations import aftership, loop
from boomerang.domain.errors import DomainError
from boomerang.entrypoints.preferences_csv import parse_preferences_csv
from tests.reliability.fuzz import fuzz_settings, json_documents
from tests.reliability.portals import Portal, aftership_body, configure_portals, loop_body
from tests.support.builders import Api

PARSERS = {"aftership": aftership.parse, "loop": loop.parse}


def parses_or_refuses(parse: Any, body: bytes) -> None:
    with contextlib.suppress(DomainError):  # a refusal names the field; anything else is a bug
        parse(body)


def mutate(document: Any, path: list[Any], value: Any) -> Any:
    """`document` with the value at `path` (indices wrap) replaced by `value`."""
    if not path or not isinstance(document, dict | list) or not document:
        return value
    if isinstance(document, dict):
        key = sorted(document)[hash(str(path[0])) % len(document)]
        return {**document, key: mutate(document[key], path[1:], value)}
    index = path[0] % len(document) if isinstance(path[0], int) else 0
    return [*document[:index], mutate(document[index], path[1:], value), *document[index + 1 :]]


VALID = {"aftership": json.loads(aftership_body()), "loop": json.loads(loop_body())}
paths = st.lists(st.integers(0, 10) | st.text(max_size=3), max_size=4)
encodings = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-32"])


@pytest.mark.parametrize("provider", PARSERS)
@fuzz_settings(normal=300, long=5_000)
@given(body=st.binary(max_size=2_000))
def test_random_bytes_never_crash_a_portal_parser(provider: str, body: bytes) -> None:
    parses_or_refuses(PARSERS[provider], body)


@pytest.mark.parametrize("provider", PARSERS)
@fuzz_settings(normal=300, long=5_000)
@given(document=json_documents, path=paths, encoding=encodings)
def test_valid_payloads_with_any_part_replaced_never_crash_a_portal_parser(
    provider: str, document: Any, path: list[Any], encoding: str
) -> None:
    mutated = mutate(VALID[provider], path, document)
    try:
        body = json.dumps(mutated, ensure_ascii=False).encode(encoding)
    except UnicodeEncodeError:
        body = json.dumps(mutated).encode(encoding)
    parses_or_refuses(PARSERS[provider], body)


@fuzz_settings(normal=300, long=5_000)
@given(text=st.text(max_size=2_000) | st.binary(max_size=2_000).map(lambda b: b.decode("latin-1")))
def test_random_text_never_crashes_the_csv_parser(text: str) -> None:
    with contextlib.suppress(DomainError):
        parse_preferences_csv(text)


csv_cells = st.text(max_size=40) | st.sampled_from(["Restock", "Dispose", "Quarantine", "", '"', "\r\n", ","])
csv_rows = st.lists(st.lists(csv_cells, max_size=8), max_size=20)
csv_headers = st.lists(
    st.sampled_from(["sku", "return_action", "rts_action", "backup_action", "inspection_step_1", "x"]), max_size=7
)


@pytest.fixture
def portal(api: Api) -> Portal:
    return configure_portals(api)


def assert_4xx_or_ok(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}


@fuzz_settings(normal=40, long=1_000)
@given(header=csv_headers, rows=csv_rows, encoding=encodings, bom=st.booleans())
def test_any_csv_upload_is_answered_without_a_5xx(
    portal: Portal, header: list[str], rows: list[list[str]], encoding: str, bom: bool
) -> None:
    text = "\n".join(",".join(cells) for cells in [header, *rows])
    body = ("\ufeff" if bom else "") + text
    content = body.encode(encoding, errors="replace")
    headers = {**portal.merchant.headers, "Content-Type": "text/csv"}
    response = portal.client.post("/api/v1/products/return-preferences/bulk", content=content, headers=headers)
    assert_4xx_or_ok(response)


@pytest.mark.parametrize("provider", PARSERS)
@fuzz_settings(normal=30, long=1_000)
@given(document=json_documents, path=paths)
def test_any_signed_portal_delivery_is_answered_without_a_5xx(
    portal: Portal, provider: str, document: Any, path: list[Any]
) -> None:
    body = json.dumps(mutate(VALID[provider], path, document)).encode()
    assert_4xx_or_ok(portal.send(provider, body))


offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
occurred = st.datetimes(timezones=offsets).map(lambda d: d.isoformat()) | st.text(max_size=40)


@fuzz_settings(normal=60, long=2_000)
@given(
    tracking=st.text(max_size=120) | st.integers(),
    status=st.sampled_from(["InTransit", "Delivered", "ReturnToSender", "Exception"]) | st.text(max_size=20),
    occurred_at=occurred,
    description=st.none() | st.text(max_size=600),
)
def test_any_carrier_event_is_answered_without_a_5xx(
    api: Api, tracking: Any, status: str, occurred_at: str, description: str | None
) -> None:
    token = carrier_token(api)
    body = {"tracking_number": tracking, "status": status, "occurred_at": occurred_at, "description": description}
    assert_4xx_or_ok(api.client.post("/api/v1/carrier-events", json=body, headers=token))


_tokens: dict[int, dict[str, str]] = {}


def carrier_token(api: Api) -> dict[str, str]:
    """One integration token per test database (the `api` fixture is shared by all examples)."""
    if id(api) not in _tokens:
        _tokens[id(api)] = api.integration_token()
    return _tokens[id(api)]


def test_year_1_and_9999_with_offsets_are_4xx_not_500(api: Api) -> None:
    token = carrier_token(api)
    for moment in (
        datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=5))),
        datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
    ):
        body = {"tracking_number": "1Z999", "status": "InTransit", "occurred_at": moment.isoformat()}
        assert_4xx_or_ok(api.client.post("/api/v1/carrier-events", json=body, headers=token))
