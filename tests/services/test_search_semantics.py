"""`q` finds exactly the returns whose search text contains the needle, whichever way it is searched.

The merchant-keyed index (tables/search.py) only narrows the candidates; these tests compare every page
of every search, followed by its cursors, and the counts per status, with the plain substring test done
in Python over the same rows: for dense, sparse, short and LIKE-special needles, for each merchant (who
never sees another's returns) and an admin, along each route (as configured, always the index, always
phrase, always LIKE), on both databases.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, event, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.repositories import returns as returns_module
from boomerang.adapters.repositories.returns import ReturnFilters, ReturnRepository
from boomerang.adapters.tables import core, search
from boomerang.domain.returns import ReturnStatus
from boomerang.domain.tenants import Principal, Role
from boomerang.sample.bench_seed import SeedSpec, seed

# The bench seed commits and runs VACUUM ANALYZE outside a transaction.
pytestmark = pytest.mark.several_connections

rt = core.return_orders

# Written over some seeded returns' search texts: LIKE's metacharacters, quotes, non-ASCII, a line break,
# and a token shared by two merchants.
ODD_TEXTS = (
    "50% off_sale\\path",
    "a_b 100%",
    "back\\slash",
    'say "hi" there',
    "ünïcødé straße",
    "first line\nsecond line",
    "zq-7781 shared",
)
NEEDLES = (
    "sku-000",  # dense: in nearly every return
    "sku-0000",
    "kowals",
    "zq-7781",  # sparse, and in two merchants
    "ko",  # shorter than a trigram
    "a",
    "%",
    "_",
    "\\",
    "0%",
    "f_s",
    "\\p",
    '"hi"',
    "ünï",
    "STRASSE",
    "straße",
    "line\nsec",
    "-sku-",
    "no such text",
)


@pytest.fixture
def merchants(engine: Engine) -> list[str]:
    summary = seed(engine, SeedSpec(returns=400, merchants=3))
    with engine.begin() as conn:
        ids = conn.execute(select(rt.c.id, rt.c.merchant_id).order_by(rt.c.id)).all()
        chosen: dict[str, list[str]] = {}
        for return_id, merchant_id in ids:
            chosen.setdefault(merchant_id, []).append(return_id)
        for n, odd in enumerate(ODD_TEXTS):
            for merchant_id in summary.merchant_ids[:2]:
                return_id = chosen[merchant_id][n * 7]
                conn.execute(update(rt).where(rt.c.id == return_id).values(search_text=f"rma-x{n}\n{odd}"))
    return summary.merchant_ids


@pytest.fixture(params=["configured", "index", "phrase", "like"])
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The route the merchant's search takes: as configured, the index for every needle (on SQLite its rarest
    trigrams, or the whole phrase in the merchant's range when they have too many candidates), or LIKE."""
    if request.param in ("index", "phrase"):
        monkeypatch.setattr(returns_module, "DENSE_HITS", 10**9)
        monkeypatch.setattr(search, "COMMON_SHARE", 2.0)
    if request.param == "phrase":
        monkeypatch.setattr(returns_module, "FTS_CANDIDATE_LIMIT", 0)
    elif request.param == "like":
        monkeypatch.setattr(returns_module, "DENSE_HITS", 0)
    return str(request.param)


def _principal(merchant_id: str | None) -> Principal:
    if merchant_id is None:
        return Principal(Role.Admin, credential_id="t", name="t")
    return Principal(Role.Merchant, credential_id="t", name="t", merchant_id=merchant_id)


def _rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return conn.execute(select(rt.c.id, rt.c.merchant_id, rt.c.status, rt.c.search_text)).all()


def _expected(rows: list[Any], merchant_id: str | None, needle: str) -> list[Any]:
    """Newest first: the rows the caller sees whose search text contains the needle (lower-cased)."""
    mine = [r for r in rows if merchant_id is None or r.merchant_id == merchant_id]
    return sorted((r for r in mine if needle.lower() in r.search_text), key=lambda r: r.id, reverse=True)


def _every_page(session: Session, merchant_id: str | None, needle: str, limit: int = 7) -> list[str]:
    repository, cursor, ids = ReturnRepository(session, _principal(merchant_id)), None, []
    while True:
        page = repository.list(ReturnFilters(q=needle), cursor, limit)
        assert len(page.items) <= limit
        ids += [order.id for order in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


def _check(session_factory: sessionmaker[Session], rows: list[Any], merchants: list[str], needle: str) -> None:
    for merchant_id in [*merchants, None]:
        expected = _expected(rows, merchant_id, needle)
        with session_factory() as session:
            assert _every_page(session, merchant_id, needle) == [r.id for r in expected], (merchant_id, needle)
            counts = ReturnRepository(session, _principal(merchant_id)).count_by_status(ReturnFilters(q=needle))
        assert counts == Counter(ReturnStatus(r.status) for r in expected), (merchant_id, needle)


def test_every_page_and_count_equal_the_plain_substring_test(
    engine: Engine, session_factory: sessionmaker[Session], merchants: list[str], route: str
) -> None:
    rows = _rows(engine)
    assert len(_expected(rows, merchants[0], "sku-000")) > 50  # dense enough to need several pages
    for needle in NEEDLES:
        _check(session_factory, rows, merchants, needle)


def test_a_merchant_never_finds_another_merchants_return(
    engine: Engine, session_factory: sessionmaker[Session], merchants: list[str], route: str
) -> None:
    rows = _rows(engine)
    theirs = next(r for r in rows if r.merchant_id == merchants[1] and "rma-x" not in r.search_text)
    tracking = theirs.search_text.split("\n")[1]  # the seed writes the reference, then the tracking number
    with session_factory() as session:
        assert _every_page(session, merchants[0], tracking) == []
        assert _every_page(session, merchants[1], tracking) == [theirs.id]
        assert _every_page(session, None, tracking) == [theirs.id]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_needle_finds_what_the_substring_test_finds(
    engine: Engine, session_factory: sessionmaker[Session], merchants: list[str], data: st.DataObject
) -> None:
    rows = _rows(engine)
    some_text = data.draw(st.sampled_from(sorted(r.search_text for r in rows)))
    start = data.draw(st.integers(0, max(len(some_text) - 1, 0)))
    piece = some_text[start : start + data.draw(st.integers(1, 14))]
    noise = st.text(alphabet='ab%_\\"-0123sku \nüSK', min_size=1, max_size=6)
    needle = data.draw(st.one_of(st.just(piece), st.just(piece.upper()), noise))
    _check(session_factory, rows, merchants, needle)


def _statements(engine: Engine, session_factory: sessionmaker[Session], merchant_id: str, needle: str) -> list[Any]:
    captured: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        with session_factory() as session:
            ReturnRepository(session, _principal(merchant_id)).list(ReturnFilters(q=needle), None, 50)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return captured


def test_a_rare_needle_is_looked_up_in_the_merchants_own_index_entries(
    engine: Engine, session_factory: sessionmaker[Session], merchants: list[str]
) -> None:
    statements = _statements(engine, session_factory, merchants[0], "zq-7781")
    if engine.dialect.name == "postgresql":
        (listing,) = [(s, p) for s, p in statements if search.TENANT_KEYS in s]
        keys = next(v for v in listing[1].values() if isinstance(v, list))
        assert keys and all(k.startswith(f"{merchants[0]}:") for k in keys), keys
        assert set(keys) <= {f"{merchants[0]}:{t}" for t in ("781", "778", "777")}  # letters+digits only
        return
    (probe,) = [(s, p) for s, p in statements if f"FROM {search.FTS_TABLE}" in s]
    assert "BETWEEN" in probe[0], probe  # the merchant's rowid range only
    assert '"zq-7781"' not in probe[1], probe  # two rare trigrams, not the whole phrase


def test_a_dense_needle_is_searched_by_like_over_the_newest_rows(
    engine: Engine, session_factory: sessionmaker[Session], merchants: list[str]
) -> None:
    statements = _statements(engine, session_factory, merchants[0], "sku-000")
    assert not [s for s, _ in statements if search.TENANT_KEYS in s or f"FROM {search.FTS_TABLE}" in s]
    assert [s for s, _ in statements if "LIKE" in s and "FROM return_orders" in s]


def _insert_return(conn: Any, return_id: str, merchant_id: str, fc_id: str, search_text: str) -> None:
    conn.execute(
        text(
            "INSERT INTO return_orders (id, merchant_id, fulfillment_center_id, reference_id, status, return_type,"
            " channel, insert_date, search_text, version) VALUES (:id, :merchant, :fc, :ref, 'AwaitingArrival',"
            " 'Regular', 'API', '2026-01-01 00:00:00', :search_text, 1)"
        ),
        {"id": return_id, "merchant": merchant_id, "fc": fc_id, "ref": f"RMA-{return_id}", "search_text": search_text},
    )


@pytest.fixture
def fc_id(engine: Engine, merchants: list[str]) -> str:
    with engine.connect() as conn:
        return str(conn.execute(select(core.fulfillment_centers.c.id).limit(1)).scalar_one())


def test_the_index_follows_inserts_updates_and_deletes(
    engine: Engine, session_factory: sessionmaker[Session], merchants: list[str], fc_id: str, route: str
) -> None:
    def found(needle: str) -> list[str]:
        with session_factory() as session:
            return _every_page(session, merchants[2], needle)

    with engine.begin() as conn:
        _insert_return(conn, "ret_zzzzzzzzzzzz", merchants[2], fc_id, "rma-fresh\nqv-90210 fresh")
    assert found("qv-90210") == ["ret_zzzzzzzzzzzz"]
    with engine.begin() as conn:
        conn.execute(update(rt).where(rt.c.id == "ret_zzzzzzzzzzzz").values(search_text="rma-fresh\nqv-31337"))
    assert found("qv-90210") == []
    assert found("qv-31337") == ["ret_zzzzzzzzzzzz"]
    with engine.begin() as conn:
        conn.execute(rt.delete().where(rt.c.id == "ret_zzzzzzzzzzzz"))
    assert found("qv-31337") == []
    _check(session_factory, _rows(engine), merchants, "sku-0001")  # the rest of the index is untouched
