"""Platform administration: merchants, fulfillment centers, operators, users and tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from boomerang.domain.countries import is_country
from boomerang.domain.error_codes import AuthErrorCode
from boomerang.domain.errors import FieldError, ValidationFailed, require
from boomerang.domain.ids import new_id
from boomerang.domain.money import MINOR_UNIT_DIGITS
from boomerang.domain.tenants import FulfillmentCenter, Merchant, Operator, Role
from boomerang.services.auth import CREDENTIAL_NAME_MAX, issue_credential
from boomerang.services.passwords import hash_password
from boomerang.services.queries import Page
from boomerang.services.unit_of_work import UnitOfWork

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class NewMerchant:
    merchant: Merchant
    api_key: str  # the secret of its first API key, shown only this once


@dataclass(frozen=True)
class IssuedApiKey:
    merchant_id: str
    api_key: str  # shown only this once


@dataclass(frozen=True)
class MerchantSummary:
    id: str
    name: str
    return_count: int


@dataclass(frozen=True)
class NewOperator:
    operator: Operator
    token: str  # shown only this once


@dataclass(frozen=True)
class DashboardUser:
    id: str
    email: str
    role: Role
    merchant_id: str | None
    fulfillment_center_ids: list[str]


@dataclass(frozen=True)
class IssuedToken:
    name: str
    token: str  # shown only this once


def _require_name(name: str) -> str:
    name = name.strip()
    require(1 <= len(name) <= 200, "name", "name is 1 to 200 characters")
    return name


def api_key_name(merchant_name: str) -> str:
    """`<merchant name> API key`, the merchant name shortened so the whole fits the 200-character column."""
    suffix = " API key"
    return merchant_name[: CREDENTIAL_NAME_MAX - len(suffix)].rstrip() + suffix


def create_merchant(uow: UnitOfWork, *, name: str, currency_code: str = "USD") -> NewMerchant:
    """A new merchant with its first API key (shown only in this response)."""
    name = _require_name(name)
    require(currency_code in MINOR_UNIT_DIGITS, "currency_code", f"currency must be one of {sorted(MINOR_UNIT_DIGITS)}")
    merchant = Merchant(id=new_id("mch"), name=name, created_at=uow.now, currency_code=currency_code)
    uow.tenants.add(merchant)
    uow.flush()
    api_key = issue_credential(uow, Role.Merchant, api_key_name(name), merchant_id=merchant.id)
    uow.commit()
    return NewMerchant(merchant, api_key)


def create_api_key(uow: UnitOfWork, *, merchant_id: str) -> IssuedApiKey:
    """Another API key for a merchant (e.g. for rotation)."""
    merchant = uow.tenants.merchant(merchant_id)
    api_key = issue_credential(uow, Role.Merchant, api_key_name(merchant.name), merchant_id=merchant.id)
    uow.commit()
    return IssuedApiKey(merchant.id, api_key)


def list_merchants(uow: UnitOfWork, *, cursor: str | None, limit: int) -> Page[MerchantSummary]:
    """Merchants with their return counts, largest first."""
    page = uow.tenants.merchants_by_return_count(cursor, limit)
    return Page([MerchantSummary(r["id"], r["name"], r["return_count"]) for r in page.items], page.next_cursor)


def create_fulfillment_center(
    uow: UnitOfWork,
    *,
    name: str,
    country: str,
    address_line1: str | None = None,
    city: str | None = None,
    postal_code: str | None = None,
) -> FulfillmentCenter:
    """A new FC; `country` is an ISO 3166-1 alpha-2 code."""
    name = _require_name(name)
    require(is_country(country), "country", "country must be an ISO 3166-1 alpha-2 code such as US")
    fc = FulfillmentCenter(
        id=new_id("fc"),
        name=name,
        country=country,
        created_at=uow.now,
        address_line1=address_line1,
        city=city,
        postal_code=postal_code,
    )
    uow.tenants.add(fc)
    uow.commit()
    return fc


def _require_fcs(uow: UnitOfWork, fc_ids: list[str], field: str = "fulfillment_center_ids") -> None:
    known = {fc.id for fc in uow.tenants.fulfillment_centers(fc_ids)}
    errors = [
        FieldError(f"{field}[{i}]", f"unknown fulfillment center {fc}")
        for i, fc in enumerate(fc_ids)
        if fc not in known
    ]
    if errors:
        raise ValidationFailed("unknown fulfillment center", details=errors)


def create_operator(uow: UnitOfWork, *, name: str, fulfillment_center_ids: list[str]) -> NewOperator:
    """A warehouse operator acting at the given FCs, with its token (shown once)."""
    name = _require_name(name)
    require(bool(fulfillment_center_ids), "fulfillment_center_ids", "an operator needs at least one fulfillment center")
    _require_fcs(uow, fulfillment_center_ids)
    operator = Operator(
        id=new_id("op"),
        name=name,
        created_at=uow.now,
        fulfillment_center_ids=list(dict.fromkeys(fulfillment_center_ids)),
    )
    uow.tenants.add(operator)
    uow.flush()
    token = issue_credential(uow, Role.Operator, name, operator_id=operator.id)
    uow.commit()
    return NewOperator(operator, token)


def create_user(
    uow: UnitOfWork,
    *,
    email: str,
    password: str,
    role: str,
    merchant_id: str | None = None,
    fulfillment_center_ids: list[str] | None = None,
) -> DashboardUser:
    """A dashboard login; the password is stored as an argon2 hash."""
    email = email.strip().lower()
    require(bool(EMAIL_PATTERN.fullmatch(email)), "email", "email is not a valid address")
    require(8 <= len(password) <= 200, "password", "password is 8 to 200 characters")
    require(role in (Role.Merchant.value, Role.Operator.value), "role", "role is Merchant or Operator")
    fc_ids = list(dict.fromkeys(fulfillment_center_ids or []))
    if role == Role.Merchant.value:
        require(merchant_id is not None, "merchant_id", "a Merchant user needs merchant_id")
        try:
            uow.tenants.merchant(merchant_id or "")
        except Exception:
            raise ValidationFailed("unknown merchant", details=[FieldError("merchant_id", "unknown merchant")])
    else:
        require(bool(fc_ids), "fulfillment_center_ids", "an Operator user needs fulfillment_center_ids")
        _require_fcs(uow, fc_ids)
    from boomerang.domain.errors import Conflict

    if uow.tenants.email_taken(email):
        raise Conflict("a user with this email exists", code=AuthErrorCode.DUPLICATE_EMAIL)
    user_id = new_id("usr")
    uow.tenants.add_user(
        id=user_id,
        email=email,
        password_hash=hash_password(password, uow.settings),
        role=role,
        merchant_id=merchant_id if role == Role.Merchant.value else None,
        fulfillment_center_ids=fc_ids,
        created_at=uow.now,
    )
    uow.commit()
    return DashboardUser(user_id, email, Role(role), merchant_id if role == Role.Merchant.value else None, fc_ids)


def create_integration_token(uow: UnitOfWork, *, name: str) -> IssuedToken:
    """A token for carrier tracking pushes (carrier events)."""
    name = _require_name(name)
    token = issue_credential(uow, Role.Integration, name)
    uow.commit()
    return IssuedToken(name, token)


def create_admin_token(uow: UnitOfWork, *, name: str) -> IssuedToken:
    """A platform administrator's API token."""
    name = _require_name(name)
    token = issue_credential(uow, Role.Admin, name)
    uow.commit()
    return IssuedToken(name, token)


def list_fulfillment_centers(uow: UnitOfWork) -> list[FulfillmentCenter]:
    """Every fulfillment center."""
    return uow.tenants.fulfillment_centers()


def rotate_secret_key(uow: UnitOfWork) -> int:
    """Re-encrypt every stored secret with the current BOOMERANG_SECRET_KEY; all or nothing."""
    count = uow.stored_secrets.reencrypt_all()
    uow.commit()
    return count
