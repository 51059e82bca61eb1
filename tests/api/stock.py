"""Put stock in the ledger directly (as a completed return would), for tests of what happens next."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from boomerang.bootstrap import make_uow_factory
from boomerang.domain.ids import new_id
from boomerang.domain.inventory import Bucket, LedgerEntry
from boomerang.services.auth import SYSTEM
from tests.support.builders import FrozenClock


def put_in_quarantine(
    session_factory: sessionmaker[Session],
    clock: FrozenClock,
    *,
    merchant_id: str,
    product_id: str,
    fc_id: str,
    quantity: int,
    lot_number: str | None = None,
    expiration_date: date | None = None,
    at: datetime | None = None,
) -> None:
    with make_uow_factory(session_factory, clock=clock)(SYSTEM) as uow:
        uow.ledger.add(
            [
                LedgerEntry(
                    id=new_id("led"),
                    merchant_id=merchant_id,
                    product_id=product_id,
                    fulfillment_center_id=fc_id,
                    bucket=Bucket.Quarantine,
                    quantity=quantity,
                    reason="TestSetup",
                    originator="test",
                    created_at=at or uow.now,
                    lot_number=lot_number,
                    expiration_date=expiration_date,
                )
            ]
        )
        uow.commit()
