from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, StrictInt, StringConstraints

from boomerang.domain.products import INSPECTION_LIMITATIONS, Action, BackupAction, Category, Product
from boomerang.schemas.common import RequestModel

Sku = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Step = Annotated[str, StringConstraints(min_length=1, max_length=200)]
STEPS_DESCRIPTION = (
    "0 to 3 short instructions (1-200 characters each) the operator checks, pass or fail, for each returned unit. "
    "The warehouse cannot: "
    + "; ".join(limit[0].lower() + limit[1:] for limit in INSPECTION_LIMITATIONS)
    + ". A step that needs any of these cannot be followed (the units go to the backup action)."
)


class ReturnPreferencesIn(RequestModel):
    return_action: Action = Action.Restock
    rts_action: Action = Action.Restock
    backup_action: BackupAction = BackupAction.Quarantine
    inspection_steps: Annotated[list[Step], Field(max_length=3, description=STEPS_DESCRIPTION)] = []


class ReturnPreferencesRead(BaseModel):
    return_action: Action
    rts_action: Action
    backup_action: BackupAction
    inspection_steps: list[str] = Field(description=STEPS_DESCRIPTION)
    preferences_configured: bool

    @classmethod
    def from_domain(cls, product: Product) -> ReturnPreferencesRead:
        p = product.preferences
        return ReturnPreferencesRead(
            return_action=p.return_action,
            rts_action=p.rts_action,
            backup_action=p.backup_action,
            inspection_steps=list(p.inspection_steps),
            preferences_configured=p.preferences_configured,
        )


class ReturnPreferencesDetail(ReturnPreferencesRead):
    """The preferences as GET/PUT /products/{id}/return-preferences answer them."""

    inspection_limitations: list[str] = Field(
        description="what the warehouse cannot do in an inspection step (show it where steps are edited)",
        examples=[list(INSPECTION_LIMITATIONS)],
    )

    @classmethod
    def from_domain(cls, product: Product) -> ReturnPreferencesDetail:
        read = ReturnPreferencesRead.from_domain(product)
        return cls(**dict(read), inspection_limitations=list(INSPECTION_LIMITATIONS))


class Advice(BaseModel):
    code: str
    message: str


class ProductCreate(RequestModel):
    sku: Sku
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    barcodes: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=100)]], Field(max_length=20)
    ] = []
    category: Category = Category.General
    is_lot_tracked: StrictBool = False
    minimum_shelf_life_days: Annotated[StrictInt, Field(ge=0, le=3650)] = 0
    is_kitted: StrictBool = False
    is_sioc: StrictBool = False
    is_dangerous_goods: StrictBool = False
    return_preferences: ReturnPreferencesIn | None = None


class ProductUpdate(RequestModel):
    sku: Sku | None = None
    name: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    barcodes: (
        Annotated[list[Annotated[str, StringConstraints(min_length=1, max_length=100)]], Field(max_length=20)] | None
    ) = None
    category: Category | None = None
    is_lot_tracked: StrictBool | None = None
    minimum_shelf_life_days: Annotated[StrictInt, Field(ge=0, le=3650)] | None = None
    is_kitted: StrictBool | None = None
    is_sioc: StrictBool | None = None
    is_dangerous_goods: StrictBool | None = None


class ProductRead(BaseModel):
    id: str
    sku: str
    name: str
    barcodes: list[str]
    category: Category
    is_lot_tracked: bool
    minimum_shelf_life_days: int
    is_kitted: bool
    is_sioc: bool
    is_dangerous_goods: bool
    return_preferences: ReturnPreferencesRead
    advice: list[Advice]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_domain(cls, product: Product) -> ProductRead:
        return cls(
            id=product.id,
            sku=product.sku,
            name=product.name,
            barcodes=list(product.barcodes),
            category=product.category,
            is_lot_tracked=product.is_lot_tracked,
            minimum_shelf_life_days=product.minimum_shelf_life_days,
            is_kitted=product.is_kitted,
            is_sioc=product.is_sioc,
            is_dangerous_goods=product.is_dangerous_goods,
            return_preferences=ReturnPreferencesRead.from_domain(product),
            advice=[Advice(code=a.code, message=a.message) for a in product.advice()],
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


class PreferenceRowIn(RequestModel):
    sku: Sku
    return_action: str | None = None
    rts_action: str | None = None
    backup_action: str | None = None
    inspection_steps: list[str] | None = None


class BulkPreferencesIn(RequestModel):
    items: Annotated[list[PreferenceRowIn], Field(min_length=1, max_length=10000)]


class BulkResult(BaseModel):
    updated: int
