"""Products and their return preferences."""

from __future__ import annotations

import unicodedata
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

# What the warehouse cannot do in an inspection step: a step that needs one of these cannot be followed
# (the operator marks the instructions unclear and the units go to the backup action).
INSPECTION_LIMITATIONS: tuple[str, ...] = (
    "Plug in electronic devices",
    "Disassemble products",
    "Re-kit un-kitted items",
    "Scan serial numbers",
    "Log data in external documents",
    "Sort by lot numbers",
    "Take standard product photos",
)


MAX_SKU_LENGTH = 100
MAX_NAME_LENGTH = 300
MAX_BARCODE_LENGTH = 100
# Control characters (C0, DEL, C1 with NEL), line and paragraph separators: they end rows and lines in
# files and screens that show a product. A code (SKU, barcode) also refuses the invisible format
# characters (zero-width spaces, bidirectional overrides) that make two codes look alike; a name may
# keep them (a zero-width joiner inside an emoji, a soft hyphen).
_NOT_IN_TEXT = frozenset({"Cc", "Zl", "Zp"})
_NOT_IN_CODES = _NOT_IN_TEXT | {"Cf"}


def _unprintable(text: str, categories: frozenset[str]) -> list[str]:
    found = dict.fromkeys(c for c in text if unicodedata.category(c) in categories)
    return [f"U+{ord(c):04X}" for c in found]


def _text_errors(field: str, text: str, max_length: int, refused: frozenset[str]) -> list[FieldError]:
    errors = []
    if not 1 <= len(text.strip()) <= max_length:
        errors.append(FieldError(field, f"{field.split('[')[0]} is 1 to {max_length} characters"))
    if bad := _unprintable(text, refused):
        errors.append(FieldError(field, f"control characters are not allowed ({', '.join(bad[:5])})"))
    return errors


def product_field_errors(
    *, sku: str | None, name: str | None, minimum_shelf_life_days: int | None, barcodes: list[str] | None
) -> list[FieldError]:
    """The problems of a product's fields (None: not given, so not checked)."""
    errors: list[FieldError] = []
    if sku is not None:
        errors += _text_errors("sku", sku, MAX_SKU_LENGTH, _NOT_IN_CODES)
    if name is not None:
        errors += _text_errors("name", name, MAX_NAME_LENGTH, _NOT_IN_TEXT)
    if minimum_shelf_life_days is not None and not 0 <= minimum_shelf_life_days <= MAX_SHELF_LIFE_DAYS:
        errors.append(FieldError("minimum_shelf_life_days", f"0 to {MAX_SHELF_LIFE_DAYS} days"))
    for i, code in enumerate(barcodes or []):
        if not 1 <= len(code) <= MAX_BARCODE_LENGTH:
            errors.append(FieldError(f"barcodes[{i}]", f"each barcode is 1 to {MAX_BARCODE_LENGTH} characters"))
        if bad := _unprintable(code, _NOT_IN_CODES):
            errors.append(FieldError(f"barcodes[{i}]", f"control characters are not allowed ({', '.join(bad[:5])})"))
    return errors


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
class SkuPreferences:
    """A product's preferences as the preview of a bulk update reads them (the before of each row)."""

    product_id: str
    sku: str
    preferences: ReturnPreferences


@dataclass(frozen=True)
class PreferenceValues:
    """The preferences one row of a bulk update sets, already checked; None keeps the product's value."""

    return_action: Action | None = None
    rts_action: Action | None = None
    backup_action: BackupAction | None = None
    inspection_steps: tuple[str, ...] | None = None

    def given(self) -> tuple[str, ...]:
        """The names of the preferences this sets, in the order of the fields."""
        return tuple(
            name
            for name, value in (
                ("return_action", self.return_action),
                ("rts_action", self.rts_action),
                ("backup_action", self.backup_action),
                ("inspection_steps", self.inspection_steps),
            )
            if value is not None
        )

    def applied_to(self, current: ReturnPreferences) -> ReturnPreferences:
        """`current` with these values set, marked configured (as `Product.set_preferences` leaves it)."""
        return ReturnPreferences(
            return_action=current.return_action if self.return_action is None else self.return_action,
            rts_action=current.rts_action if self.rts_action is None else self.rts_action,
            backup_action=current.backup_action if self.backup_action is None else self.backup_action,
            inspection_steps=current.inspection_steps if self.inspection_steps is None else self.inspection_steps,
            preferences_configured=True,
        )


class AdviceCode(StrEnum):
    """The codes of `PreferenceAdvice` (the product API's `advice[].code`)."""

    RestockNotAdvised = "restock_not_advised"
    PreferencesNotConfigured = "preferences_not_configured"


@dataclass(frozen=True)
class PreferenceAdvice:
    """A dashboard warning: not a block."""

    code: AdviceCode
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

    @property
    def restock_risks(self) -> list[str]:
        """Why restocking a returned unit is risky: lot-tracked, kitted, ships in its own container."""
        return [
            label
            for flag, label in (
                (self.is_lot_tracked, "lot-tracked"),
                (self.is_kitted, "kitted"),
                (self.is_sioc, "ships in its own container"),
            )
            if flag
        ]

    def advice(self) -> list[PreferenceAdvice]:
        """Warnings about the preferences (never blocks): risky products that restock, unconfigured ones."""
        notes = []
        risks = self.restock_risks
        restocking = [
            name
            for name, action in (("return", self.preferences.return_action), ("RTS", self.preferences.rts_action))
            if action is Action.Restock
        ]
        if risks and restocking:
            notes.append(
                PreferenceAdvice(
                    AdviceCode.RestockNotAdvised,
                    f"The product is {' and '.join(risks)}: use Quarantine or Dispose "
                    f"(the {' and '.join(restocking)} action is Restock)",
                )
            )
        if not self.preferences.preferences_configured:
            notes.append(PreferenceAdvice(AdviceCode.PreferencesNotConfigured, "Return preferences use the defaults"))
        return notes
