"""A Hypothesis state machine over create / receive / inspect / complete / cancel / adjust.

After every step: each return's status history follows the status table, the ledger sums equal
the on-hand figures (and what completed returns and adjustments put there), no bucket is
negative, and a completed return's units equal its lines' received + missing quantities.
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from PIL import Image

from boomerang.bootstrap import make_uow_factory
from boomerang.config import Settings
from boomerang.domain.errors import DomainError
from boomerang.domain.inventory import Bucket
from boomerang.domain.products import Action, BackupAction, Category, Product, ReturnPreferences
from boomerang.domain.returns import TRANSITIONS, Inspection, ReturnStatus
from boomerang.domain.tenants import Principal, Role
from boomerang.services import admin, inventory, photos, processing, products, receiving, returns
from boomerang.services.auth import SYSTEM
from boomerang.services.products import ProductFields
from boomerang.services.queries import StockFilters
from boomerang.services.returns import LineRequest
from boomerang.services.unit_of_work import UnitOfWork
from tests.support.builders import FrozenClock

FINAL = (ReturnStatus.Completed, ReturnStatus.Cancelled)
BUCKET_OF = {"Restock": "Sellable", "Quarantine": "Quarantine", "Dispose": "Disposed"}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()

product_specs = st.fixed_dictionaries(
    {
        "category": st.sampled_from([Category.General, Category.General, Category.Food]),
        "is_lot_tracked": st.booleans(),
        "minimum_shelf_life_days": st.sampled_from([0, 30]),
        "return_action": st.sampled_from(list(Action)),
        "rts_action": st.sampled_from(list(Action)),
        "backup_action": st.sampled_from(list(BackupAction)),
        "steps": st.integers(0, 2),
    }
)


class WarehouseLedger(RuleBasedStateMachine):
    session_factory: Any
    clock: FrozenClock
    app_settings: Settings

    completions = 0

    def uow(self, principal: Principal) -> UnitOfWork:
        return make_uow_factory(self.session_factory, self.app_settings, self.clock)(principal)

    def attempt(self, principal: Principal, action: Any, **kwargs: Any) -> tuple[bool, Any]:
        with self.uow(principal) as uow:
            try:
                return True, action(uow, **kwargs)
            except DomainError as error:
                return False, error

    @initialize(specs=st.lists(product_specs, min_size=1, max_size=3))
    def tenants(self, specs: list[dict[str, Any]]) -> None:
        with self.uow(SYSTEM) as uow:
            self.merchant_id = admin.create_merchant(uow, name="Prop merchant").merchant.id
        with self.uow(SYSTEM) as uow:
            self.fc_id = admin.create_fulfillment_center(uow, name="Prop FC", country="US").id
        self.merchant = Principal(Role.Merchant, "m", "m", merchant_id=self.merchant_id)
        self.operator = Principal(
            Role.Operator, "o", "o", operator_id="op", fulfillment_center_ids=frozenset({self.fc_id})
        )
        self.products: list[Product] = []
        for i, spec in enumerate(specs):
            prefs = ReturnPreferences(
                spec["return_action"],
                spec["rts_action"],
                spec["backup_action"],
                tuple(f"step {n}" for n in range(spec["steps"])),
            )
            details = ProductFields(
                sku=f"P-{i}",
                name=f"P {i}",
                category=spec["category"],
                is_lot_tracked=spec["is_lot_tracked"],
                minimum_shelf_life_days=spec["minimum_shelf_life_days"],
            )
            with self.uow(self.merchant) as uow:
                self.products.append(products.create_product(uow, details=details, preferences=prefs))
        self.status: dict[str, ReturnStatus] = {}
        self.inspected: dict[str, set[str]] = {}
        # (product, lot, expiration date as ISO text or None, bucket) -> units
        self.expected: Counter[tuple[str, str, str | None, str]] = Counter()

    @rule(picks=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), min_size=1, max_size=2))
    def create(self, picks: list[tuple[int, int]]) -> None:
        chosen = {self.products[i % len(self.products)].id: q for i, q in picks}
        lines = [LineRequest(quantity=q, product_id=p) for p, q in chosen.items()]
        with self.uow(self.merchant) as uow:
            view = returns.create_return_and_commit(
                uow, reference_id=f"PROP-{len(self.status):05d}", fulfillment_center_id=self.fc_id, lines=lines
            )
        self.status[view.order.id] = ReturnStatus.AwaitingArrival
        self.inspected[view.order.id] = set()

    def _pick(self, data: st.DataObject, wanted: ReturnStatus) -> str:
        """Mostly a return in the status the rule needs (progress), sometimes any (the 409 paths)."""
        fitting = sorted(r for r, s in self.status.items() if s is wanted)
        if fitting and data.draw(st.integers(0, 4), label="any return") < 4:
            return str(data.draw(st.sampled_from(fitting), label="return"))
        return str(data.draw(st.sampled_from(sorted(self.status)), label="return"))

    def _reference(self, return_id: str) -> str:
        with self.uow(self.merchant) as uow:
            return str(returns.get_return(uow, return_id=return_id).order.reference_id)

    @precondition(lambda self: bool(getattr(self, "status", None)))
    @rule(data=st.data())
    def receive(self, data: st.DataObject) -> None:
        self._receive(self._pick(data, ReturnStatus.AwaitingArrival))

    def _receive(self, ret: str) -> None:
        ok, _ = self.attempt(
            self.operator, receiving.receive, fulfillment_center_id=self.fc_id, scanned=self._reference(ret)
        )
        # A cancelled return's reference goes to the unidentified queue (a 201 that changes nothing).
        expected = self.status[ret] in (ReturnStatus.AwaitingArrival, ReturnStatus.Cancelled)
        assert ok == expected
        if self.status[ret] is ReturnStatus.AwaitingArrival:
            self.status[ret] = ReturnStatus.Arrived

    @precondition(lambda self: bool(getattr(self, "status", None)))
    @rule(data=st.data())
    def start(self, data: st.DataObject) -> None:
        self._start(self._pick(data, ReturnStatus.Arrived))

    def _start(self, ret: str) -> None:
        ok, _ = self.attempt(self.operator, processing.start_processing, return_id=ret)
        assert ok == (self.status[ret] is ReturnStatus.Arrived)
        if ok:
            self.status[ret] = ReturnStatus.Processing

    @precondition(lambda self: bool(getattr(self, "status", None)))
    @rule(data=st.data())
    def inspect(self, data: st.DataObject) -> None:
        self._inspect(self._pick(data, ReturnStatus.Processing), data)

    def _inspect(self, ret: str, data: st.DataObject) -> None:
        with self.uow(self.merchant) as uow:
            view = returns.get_return(uow, return_id=ret)
        for line in view.order.lines:
            product = next(p for p in self.products if p.id == line.product_id)
            inspection = self._draw_inspection(data, ret, line.quantity, product)
            ok, _ = self.attempt(
                self.operator, processing.record_inspection, return_id=ret, line_id=line.id, inspection=inspection
            )
            assert ok == (self.status[ret] is ReturnStatus.Processing)
            if ok:
                self.inspected[ret].add(line.id)

    def _draw_inspection(self, data: st.DataObject, ret: str, quantity: int, product: dict[str, Any]) -> Inspection:
        lot: dict[str, Any] = {}
        if product.is_lot_tracked and data.draw(st.booleans()):
            photo_ids: tuple[str, ...] = ()
            if self.status[ret] is ReturnStatus.Processing and data.draw(st.booleans()):
                ok, uploaded = self.attempt(
                    self.operator, photos.upload_photo, return_id=ret, data=PNG, kind=("image/png", "png")
                )
                photo_ids = (uploaded.id,) if ok else ()
            expiry = self.clock.now.date() + timedelta(days=data.draw(st.sampled_from([-1, 10, 30, 400])))
            lot = {
                "lot_number": data.draw(st.sampled_from(["L1", "L2"])),
                "expiration_date": expiry,
                "photo_ids": photo_ids,
            }
        return Inspection(
            quantity_received=data.draw(st.integers(0, quantity)),
            step_results=tuple(
                data.draw(
                    st.lists(
                        st.booleans(),
                        min_size=len(product.preferences.inspection_steps),
                        max_size=len(product.preferences.inspection_steps),
                    )
                )
            ),
            instructions_unclear=data.draw(st.booleans()),
            **lot,
        )

    @precondition(lambda self: bool(getattr(self, "status", None)))
    @rule(data=st.data())
    def complete(self, data: st.DataObject) -> None:
        self._complete(self._pick(data, ReturnStatus.Processing))

    def _complete(self, ret: str) -> None:
        ok, result = self.attempt(self.operator, processing.complete_return, return_id=ret)
        line_count = len(self.inspected[ret]) if ok else None
        can = self.status[ret] is ReturnStatus.Processing and self._all_inspected(ret)
        assert ok == can, result
        if ok:
            event("return completed")
            type(self).completions += 1
            self.status[ret] = ReturnStatus.Completed
            assert line_count == len(result.order.lines)
            for line in result.order.lines:
                for action in line.actions_taken:
                    if action.action in BUCKET_OF:
                        expiry = action.expiration_date.isoformat() if action.expiration_date else None
                        key = (line.product_id, action.lot_number or "", expiry, BUCKET_OF[action.action])
                        self.expected[key] += action.quantity_processed

    def _all_inspected(self, ret: str) -> bool:
        with self.uow(self.merchant) as uow:
            view = returns.get_return(uow, return_id=ret)
        return all(line.inspection is not None for line in view.order.lines)

    @precondition(lambda self: bool(getattr(self, "status", None)))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        ret = self._pick(data, ReturnStatus.AwaitingArrival)
        ok, _ = self.attempt(self.merchant, returns.cancel_return, return_id=ret)
        assert ok == (self.status[ret] is ReturnStatus.AwaitingArrival)
        if ok:
            self.status[ret] = ReturnStatus.Cancelled

    @rule(
        index=st.integers(0, 2),
        bucket=st.sampled_from([Bucket.Sellable, Bucket.Quarantine]),
        quantity=st.integers(-3, 3).filter(bool),
        lot=st.sampled_from(["", "L1"]),
        expiry_days=st.sampled_from([None, 400]),
    )
    def adjust(self, index: int, bucket: Bucket, quantity: int, lot: str, expiry_days: int | None) -> None:
        product_id = self.products[index % len(self.products)].id
        # lot L1 with an expiry is the position a return restocked (or quarantined) with that expiry
        expiry = self.clock.now.date() + timedelta(days=expiry_days) if lot and expiry_days else None
        key = (product_id, lot, expiry.isoformat() if expiry else None, bucket.value)
        ok, _ = self.attempt(
            SYSTEM,
            inventory.adjust_inventory,
            merchant_id=self.merchant_id,
            product_id=product_id,
            fulfillment_center_id=self.fc_id,
            bucket=bucket,
            quantity=quantity,
            lot_number=lot or None,
            expiration_date=expiry,
            note="prop",
        )
        assert ok == (self.expected[key] + quantity >= 0)
        if ok:
            self.expected[key] += quantity

    @precondition(lambda self: any(s not in FINAL for s in getattr(self, "status", {}).values()))
    @rule(data=st.data())
    def advance(self, data: st.DataObject) -> None:
        """Move one open return a step forward (weights the machine toward completed returns)."""
        ret = data.draw(
            st.sampled_from(sorted(r for r, s in self.status.items() if s not in FINAL)), label="open return"
        )
        status = self.status[ret]
        if status is ReturnStatus.AwaitingArrival:
            self._receive(ret)
        elif status is ReturnStatus.Arrived:
            self._start(ret)
        elif self._all_inspected(ret):
            self._complete(ret)
        else:
            self._inspect(ret, data)

    advance_again = advance

    @invariant()
    def ledger_sums_are_on_hand_and_never_negative(self) -> None:
        if not hasattr(self, "merchant"):
            return
        with self.uow(self.merchant) as uow:
            totals = uow.stock.totals(self.merchant_id)
            stock = inventory.list_inventory(uow, filters=StockFilters(), cursor=None, limit=200).items
        assert all(q >= 0 for q in totals.values())
        assert {(p, lot, e.isoformat() if e else None, b): q for (p, _, lot, e, b), q in totals.items() if q} == {
            k: q for k, q in self.expected.items() if q
        }
        for item in stock:
            position = (item.product_id, self.fc_id, item.lot_number or "", item.expiration_date)
            assert item.sellable == totals.get((*position, "Sellable"), 0)
            assert item.quarantine == totals.get((*position, "Quarantine"), 0)

    @invariant()
    def histories_follow_the_status_table_and_completed_units_add_up(self) -> None:
        if not getattr(self, "status", None):
            return
        with self.uow(self.merchant) as uow:
            orders = [
                v.order
                for v in returns.list_returns(uow, filters=returns.ReturnFilters(), cursor=None, limit=200).items
            ]
        for order in orders:
            statuses = [None] + [h.status for h in order.status_history]
            assert all(
                any(
                    TRANSITIONS.get((a, e)) is b
                    for e in ("create", "cancel", "receive", "start_processing", "complete")
                )
                for a, b in itertools.pairwise(statuses)
            )
            assert statuses[-1] is order.status is self.status[order.id]
            if order.status is ReturnStatus.Completed:
                for line in order.lines:
                    received = sum(a.quantity_processed for a in line.actions_taken if a.action != "Missing")
                    missing = sum(a.quantity_processed for a in line.actions_taken if a.action == "Missing")
                    assert received == line.quantity_received and received + missing == line.quantity


@pytest.mark.slow
def test_ledger_invariants_hold_over_random_warehouse_histories(
    session_factory: Any, clock: FrozenClock, settings: Settings
) -> None:
    WarehouseLedger.completions = 0
    WarehouseLedger.session_factory = session_factory
    WarehouseLedger.clock = clock
    WarehouseLedger.app_settings = settings
    run_state_machine_as_test(
        WarehouseLedger,
        settings=settings_for_run(),
    )
    assert WarehouseLedger.completions > 0, "the machine never completed a return: it proves nothing"


def settings_for_run() -> Any:
    return settings(
        max_examples=10,
        stateful_step_count=25,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )
