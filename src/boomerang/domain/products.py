"""Products and their return preferences."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from boomerang.domain.errors import FieldError, ValidationFailed


class Category(StrEnum):
    General = "General"
    HazardousMaterials = "HazardousMaterials"
    Food = "Food"
    IntimateGoods = "IntimateGoods"
    MedicalSupplies = "MedicalSupplies"
    FluidCollection = "FluidCollection"
    Medicine = "Medicine"


INELIGIBLE_CATEGORIES = frozenset(Category) - {Category.General}


class Action(StrEnum):
    Restock = "Restock"
    Quarantine = "Quarantine"
    Dispose = "Dispose"


class BackupAction(StrEnum):
    Quarantine = "Quarantine"
    Dispose = "Dispose"


MAX_INSPECTION_STEPS = 3
MAX_INSPECTION_STEP_LENGTH = 200
MAX_SHELF_LIFE_DAYS = 3650


@dataclass(frozen=True)
class ReturnPreferences:
    return_action: Action = Action.Restock
    rts_action: Action = Action.Restock
    backup_action: BackupAction = BackupAction.Quarantine
    inspection_steps: tuple[str, ...] = ()
    preferences_configured: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "inspection_steps", tuple(self.inspection_steps))
        errors = inspection_step_errors(self.inspection_steps)
        if errors:
            raise ValidationFailed("invalid inspection steps", details=errors)


def inspection_step_errors(steps: tuple[str, ...] | list[str], field: str = "inspection_steps") -> list[FieldError]:
    errors = []
    if len(steps) > MAX_INSPECTION_STEPS:
        errors.append(FieldError(field, f"at most {MAX_INSPECTION_STEPS} inspection steps"))
    for i, step in enumerate(steps):
        if not len(step.strip()) >= 1 or len(step) > MAX_INSPECTION_STEP_LENGTH:
            errors.append(FieldError(f"{field}[{i}]", f"each step is 1 to {MAX_INSPECTION_STEP_LENGTH} characters"))
    return errors


@dataclass(frozen=True)
class PreferenceAdvice:
    """A dashboard warning: not a block."""

    code: str
    message: str


@dataclass
class Product:
    id: str
    merchant_id: str
    sku: str
    name: str
    created_at: datetime
    updated_at: datetime
    barcodes: list[str] = field(default_factory=list)
    category: Category = Category.General
    is_lot_tracked: bool = False
    minimum_shelf_life_days: int = 0
    is_kitted: bool = False
    is_sioc: bool = False
    is_dangerous_goods: bool = False
    preferences: ReturnPreferences = field(default_factory=ReturnPreferences)
    number: int | None = None

    @property
    def is_ineligible(self) -> bool:
        return self.category in INELIGIBLE_CATEGORIES

    def set_preferences(self, preferences: ReturnPreferences, now: datetime) -> None:
        self.preferences = replace(preferences, preferences_configured=True)
        self.updated_at = now

    def advice(self) -> list[PreferenceAdvice]:
        notes = []
        special = [
            label
            for flag, label in (
                (self.is_lot_tracked, "lot-tracked"),
                (self.is_kitted, "kitted"),
                (self.is_sioc, "ships in its own container"),
            )
            if flag
        ]
        if special and self.preferences.return_action is Action.Restock:
            notes.append(
                PreferenceAdvice(
                    "restock_not_advised",
                    f"{', '.join(special).capitalize()} products should use Quarantine or Dispose",
                )
            )
        if not self.preferences.preferences_configured:
            notes.append(PreferenceAdvice("preferences_not_configured", "Return preferences use the defaults"))
        return notes
