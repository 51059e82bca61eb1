"""A small demo data set for `boomerang serve --demo`: loaded once, into an empty database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from boomerang.domain.products import Action, BackupAction, Category, ReturnPreferences
from boomerang.domain.returns import RequestedAction
from boomerang.domain.tenants import FulfillmentCenter, Operator, Principal, Role
from boomerang.sample.demo_warehouse import load_warehouse_demo
from boomerang.services import admin, products, returns
from boomerang.services.auth import SYSTEM, issue_credential
from boomerang.services.products import ProductFields
from boomerang.services.returns import LineRequest
from boomerang.services.unit_of_work import UnitOfWork

# Fixed, well-known secrets: demo data is for a developer's machine, never for production.
DEMO_SECRETS = {
    "admin": "demo-admin-token",
    "Acme Outdoor": "demo-key-acme-outdoor",
    "Bloom Beauty": "demo-key-bloom-beauty",
    "operator": "demo-operator-token",
    "carrier": "demo-carrier-token",
}
UnitOfWorkFor = Callable[[Principal], UnitOfWork]
# Dashboard logins: (email, password); the first two are printed by `make run`.
# A demo return left awaiting arrival at Reno NV with no inspection steps: the station walkthrough
# the demo prints (scan it, Enter, Ctrl+Enter) takes it from the dock to Completed.
STATION_WALKTHROUGH = ("Reno NV", "AC-RMA-1005")
DEMO_USERS = [
    ("merchant@acme.example", "acme-demo-pass"),
    ("operator@boomerang.example", "operator-demo-pass"),
    ("merchant@bloom.example", "bloom-demo-pass"),
]

PRODUCTS = [
    ProductFields("TENT-2P", "Two-person tent", barcodes=["0810001000011"]),
    ProductFields("JACKET-M", "Rain jacket, M", barcodes=["0810001000028"]),
    ProductFields("CAMP-STOVE", "Camping stove gas canister", category=Category.HazardousMaterials),
    ProductFields("TRAIL-MIX", "Trail mix 500 g", category=Category.Food),
    ProductFields("SUNSCREEN-50", "Sunscreen SPF 50", is_lot_tracked=True, minimum_shelf_life_days=90),
    ProductFields("FIRST-AID", "First aid kit", category=Category.MedicalSupplies, is_kitted=True),
    ProductFields("VITAMIN-C", "Vitamin C tablets", category=Category.Medicine, is_lot_tracked=True),
    ProductFields("BIDET-TRAVEL", "Travel bidet", category=Category.IntimateGoods),
    ProductFields("SAMPLE-KIT", "Water test sample kit", category=Category.FluidCollection),
    ProductFields("KAYAK-1", "Inflatable kayak", is_sioc=True),
    ProductFields("LANTERN-LI", "Lithium lantern", is_dangerous_goods=True),
]


def database_is_empty(uow: UnitOfWork) -> bool:
    return uow.tenants.count_merchants() == 0


@dataclass(frozen=True)
class LoadedDemo:
    merchants: dict[str, str]  # name -> merchant id
    fulfillment_centers: list[FulfillmentCenter]
    operator: Operator


def load_demo(uow_factory: UnitOfWorkFor) -> LoadedDemo:
    """Create the demo tenants, products and returns; returns the logins to print."""
    with uow_factory(SYSTEM) as uow:
        reno = admin.create_fulfillment_center(
            uow, name="Reno NV", country="US", address_line1="100 Dock Way", city="Reno", postal_code="89502"
        )
    with uow_factory(SYSTEM) as uow:
        toronto = admin.create_fulfillment_center(
            uow, name="Toronto ON", country="CA", address_line1="5 Quay St", city="Toronto", postal_code="M5J 2N8"
        )
    merchants = {}
    for name, currency in (("Acme Outdoor", "USD"), ("Bloom Beauty", "CAD")):
        with uow_factory(SYSTEM) as uow:
            created = admin.create_merchant(uow, name=name, currency_code=currency)
        with uow_factory(SYSTEM) as uow:
            issue_credential(
                uow, Role.Merchant, f"{name} demo key", merchant_id=created.merchant.id, secret=DEMO_SECRETS[name]
            )
            uow.commit()
        merchants[name] = created.merchant.id
    with uow_factory(SYSTEM) as uow:
        operator = admin.create_operator(uow, name="Dock team", fulfillment_center_ids=[reno.id, toronto.id]).operator
    with uow_factory(SYSTEM) as uow:
        issue_credential(
            uow, Role.Operator, "Dock team demo token", operator_id=operator.id, secret=DEMO_SECRETS["operator"]
        )
        issue_credential(uow, Role.Integration, "Demo carrier feed", secret=DEMO_SECRETS["carrier"])
        issue_credential(uow, Role.Admin, "Demo admin", secret=DEMO_SECRETS["admin"])
        uow.commit()
    with uow_factory(SYSTEM) as uow:
        admin.create_user(
            uow,
            email=DEMO_USERS[0][0],
            password=DEMO_USERS[0][1],
            role="Merchant",
            merchant_id=merchants["Acme Outdoor"],
        )
    with uow_factory(SYSTEM) as uow:
        admin.create_user(
            uow,
            email=DEMO_USERS[1][0],
            password=DEMO_USERS[1][1],
            role="Operator",
            fulfillment_center_ids=[reno.id, toronto.id],
        )
    with uow_factory(SYSTEM) as uow:
        admin.create_user(
            uow,
            email=DEMO_USERS[2][0],
            password=DEMO_USERS[2][1],
            role="Merchant",
            merchant_id=merchants["Bloom Beauty"],
        )
    for name, merchant_id in merchants.items():
        _load_catalog_and_returns(uow_factory, name, merchant_id, reno.id if name == "Acme Outdoor" else toronto.id)
    _load_warehouse(uow_factory, merchants, operator, {"Acme Outdoor": reno.id, "Bloom Beauty": toronto.id})
    return LoadedDemo(merchants, [reno, toronto], operator)


def _load_catalog_and_returns(uow_factory: UnitOfWorkFor, name: str, merchant_id: str, fc_id: str) -> None:
    principal = Principal(Role.Merchant, credential_id="demo", name=name, merchant_id=merchant_id)
    prefix = "AC" if name.startswith("Acme") else "BB"
    for i, spec in enumerate(PRODUCTS):
        prefs = None
        if i % 3 == 1:
            prefs = ReturnPreferences(
                Action.Quarantine, Action.Restock, BackupAction.Dispose, ("Seal intact", "No stains")
            )
        with uow_factory(principal) as uow:
            products.create_product(uow, details=replace(spec, sku=f"{prefix}-{spec.sku}"), preferences=prefs)
    skus = [f"{prefix}-{spec.sku}" for spec in PRODUCTS]
    for n in range(8):
        lines = [
            LineRequest(quantity=1 + n % 3, sku=skus[n % len(skus)]),
            LineRequest(
                quantity=1,
                sku=skus[(n + 4) % len(skus)],
                requested_action=RequestedAction.Quarantine if n % 2 else RequestedAction.Default,
            ),
        ]
        with uow_factory(principal) as uow:
            view = returns.create_return_and_commit(
                uow,
                reference_id=f"{prefix}-RMA-{1000 + n}",
                fulfillment_center_id=fc_id,
                lines=lines,
                customer_name=["Ana Silva", "Ben Okafor", "Chloe Martin", "Dev Patel"][n % 4],
                store_order_id=f"#{5000 + n}",
                tracking_number=f"1Z{prefix}{900000 + n}",
            )
        if n == 7:
            with uow_factory(principal) as uow:
                returns.cancel_return(uow, return_id=view.order.id)


def _load_warehouse(
    uow_factory: UnitOfWorkFor, merchants: dict[str, str], operator: Operator, fcs: dict[str, str]
) -> None:
    """Returns in every status, shipments and an RTS, worked by the demo operator."""
    dock = Principal(
        Role.Operator,
        credential_id="demo",
        name="Dock team",
        operator_id=operator.id,
        fulfillment_center_ids=frozenset(operator.fulfillment_center_ids),
    )
    for name, merchant_id in merchants.items():
        merchant = Principal(Role.Merchant, credential_id="demo", name=name, merchant_id=merchant_id)
        load_warehouse_demo(uow_factory, "AC" if name.startswith("Acme") else "BB", merchant, dock, fcs[name])
