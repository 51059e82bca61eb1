"""The demo loader fills every status, outcome and fee through the real use cases."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.tables import core
from boomerang.adapters.tables.ledger import ledger_entries, transactions
from boomerang.bootstrap import make_uow_factory
from boomerang.sample import demo, demo_history
from boomerang.services.clock import utcnow


def test_demo_history_spreads_returns_over_every_status_with_fees(session_factory: sessionmaker[Session]) -> None:
    loaded = demo.load_demo(lambda principal: make_uow_factory(session_factory)(principal))
    tenants = demo_history.tenants_of(loaded)
    counted: list[int] = []
    demo_history.load_history(
        make_uow_factory(session_factory),
        tenants,
        demo_history.demo_operator(loaded.operator),
        returns_per_merchant=40,
        advance=counted.append,
    )
    assert sum(counted) == 80
    with session_factory() as session:
        statuses = set(session.execute(select(core.return_orders.c.status).distinct()).scalars())
        fees = set(session.execute(select(transactions.c.transaction_type).distinct()).scalars())
        buckets = set(session.execute(select(ledger_entries.c.bucket).distinct()).scalars())
        oldest = session.execute(select(func.min(core.return_orders.c.insert_date))).scalar_one()
        newest = session.execute(select(func.max(core.return_orders.c.insert_date))).scalar_one()
        moments = (core.return_orders.c.insert_date, core.return_orders.c.arrived_date, transactions.c.created_at)
        latest = max(session.execute(select(func.max(column))).scalar_one() for column in moments)
    assert {"AwaitingArrival", "Arrived", "Completed", "Cancelled"} <= {str(s) for s in statuses}
    assert {"ReturnProcessingFee", "ReturnToSenderFee", "QuarantineStorageFee"} <= {str(f) for f in fees}
    assert {"Sellable", "Quarantine", "Disposed"} <= {str(b) for b in buckets}
    assert (newest - oldest).days >= 85
    assert latest <= utcnow()  # history, never the future (RTS packages refused yesterday included)
