from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, StrictInt, StringConstraints

from boomerang.domain.products import Action, BackupAction, Category
from boomerang.entrypoints.api.schemas.common import RequestModel

Sku = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Step = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ReturnPreferencesIn(RequestModel):
    return_action: Action = Action.Restock
    rts_action: Action = Action.Restock
    backup_action: BackupAction = BackupAction.Quarantine
    inspection_steps: Annotated[list[Step], Field(max_length=3)] = []


class ReturnPreferencesRead(BaseModel):
    return_action: Action
    rts_action: Action
    backup_action: BackupAction
    inspection_steps: list[str]
    preferences_configured: bool


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
