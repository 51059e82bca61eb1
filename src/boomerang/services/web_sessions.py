"""Dashboard sign-in: server-side sessions, idle expiry, revocation and throttled failures."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from boomerang.domain.error_codes import AuthErrorCode, ErrorCode
from boomerang.domain.errors import DomainError, NotFound
from boomerang.domain.tenants import Principal, Role
from boomerang.services.auth import Unauthenticated
from boomerang.services.passwords import dummy_hash, verify_password
from boomerang.services.unit_of_work import UnitOfWork

IDLE_TIMEOUT = timedelta(hours=12)
# Sign-in throttling. Per client address: THROTTLE_FAILURES failures within THROTTLE_WINDOW and that address
# waits. Per email, never a lockout (anyone who knows an email could lock its owner out): once an email had
# THROTTLE_FAILURES failures within THROTTLE_WINDOW, each address may try it once per BACKOFF_WINDOW, so a
# right password from an address within its own budget still signs in, while guessing from many addresses
# is paced per address.
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_FAILURES = 10
BACKOFF_WINDOW = timedelta(minutes=1)
TOUCH_EVERY = timedelta(minutes=1)


class FailureCounter(Protocol):
    """Failed sign-ins per key over the last THROTTLE_WINDOW (adapters/rate_limits.py: `limits`, in memory
    or in Redis shared by every process)."""

    def count(self, key: str, now: datetime, within: timedelta | None = None) -> int:
        """Failures of `key` over the last THROTTLE_WINDOW, or over the last `within` (whole minutes)."""
        ...

    def add(self, key: str, now: datetime) -> None: ...

    def forget(self, key: str, now: datetime) -> None: ...


class InvalidCredentials(Unauthenticated):
    code: ErrorCode = AuthErrorCode.INVALID_CREDENTIALS


class SignInThrottled(DomainError):
    code: ErrorCode = AuthErrorCode.SIGN_IN_THROTTLED

    def __init__(self, message: str, *, retry_after: timedelta) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class WebSession:
    """A signed-in browser: `session_id` is the stored hash of the cookie's token."""

    session_id: str
    principal: Principal
    email: str


@dataclass(frozen=True)
class SignedIn:
    token: str
    session: WebSession


def session_id_for(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(uow: UnitOfWork, *, email: str, password: str, client_address: str, failures: FailureCounter) -> SignedIn:
    """Check a dashboard login and open a session, or count the failure (see THROTTLE_WINDOW for the limits)."""
    email = email.strip().lower()[:320]
    keys = _ThrottleKeys.of(email, client_address[:64])
    _check_throttle(keys, failures, uow.now)
    user = uow.tenants.user_by_email(email)
    valid = verify_password(user.password_hash if user else dummy_hash(uow.settings), password)
    if user is None or not valid or user.disabled_at is not None:
        for key in (keys.email, keys.address, keys.pair):
            failures.add(key, uow.now)
        raise InvalidCredentials("the email or password is not right")
    token = secrets.token_urlsafe(32)
    uow.web_sessions.add(session_id=session_id_for(token), user_id=user.id, now=uow.now)
    uow.commit()
    # Nothing is forgotten: the address keeps its count (one right password must not reset guessing), and
    # so does the email (an attack on it stays paced however often its owner signs in).
    return SignedIn(token, WebSession(session_id_for(token), principal_for_user(user), user.email))


@dataclass(frozen=True)
class _ThrottleKeys:
    """Counter keys of an email, a client address and the two together (emails hashed: the counters may
    live in a shared Redis)."""

    email: str
    address: str
    pair: str

    @classmethod
    def of(cls, email: str, address: str) -> _ThrottleKeys:
        hashed = hashlib.sha256(email.encode()).hexdigest()[:32]
        pair = hashlib.sha256(f"{email}\0{address}".encode()).hexdigest()[:32]
        return cls("email:" + hashed, "address:" + address, "email-address:" + pair)


def _check_throttle(keys: _ThrottleKeys, failures: FailureCounter, now: datetime) -> None:
    if failures.count(keys.address, now) >= THROTTLE_FAILURES:
        raise SignInThrottled(
            "too many failed sign-ins from this address; try again in 15 minutes", retry_after=THROTTLE_WINDOW
        )
    under_attack = failures.count(keys.email, now) >= THROTTLE_FAILURES
    if under_attack and failures.count(keys.pair, now, within=BACKOFF_WINDOW) > 0:
        raise SignInThrottled(
            "too many failed sign-ins for this email; try again in a minute", retry_after=BACKOFF_WINDOW
        )


def resolve_session(uow: UnitOfWork, *, token: str) -> WebSession | None:
    """The live session a cookie's token names; None once revoked, idle too long or its user disabled."""
    session_id = session_id_for(token)
    row = uow.web_sessions.live_with_user(session_id)
    if row is None or row.disabled_at is not None or uow.now - row.last_seen_at > IDLE_TIMEOUT:
        return None
    if uow.now - row.last_seen_at > TOUCH_EVERY:
        uow.web_sessions.touch(session_id, uow.now)
        uow.commit()
    return WebSession(session_id, principal_for_user(row), row.email)


def sign_out(uow: UnitOfWork, *, session_id: str) -> None:
    """Revoke one session at once."""
    uow.web_sessions.revoke(session_id, uow.now)
    uow.commit()


def disable_user(uow: UnitOfWork, *, user_id: str) -> bool:
    """Stop a dashboard user from signing in and end its open sessions now."""
    changed = uow.web_sessions.disable_user(user_id, uow.now)
    uow.web_sessions.revoke_all_of(user_id, uow.now)
    uow.commit()
    return changed


def disable_user_by_email(uow: UnitOfWork, *, email: str) -> str:
    """disable_user for the user with this email (the admin's handle on a person); returns its id."""
    user = uow.tenants.user_by_email(email.strip().lower())
    if user is None:
        raise NotFound(f"no dashboard user {email}", code=AuthErrorCode.USER_NOT_FOUND)
    disable_user(uow, user_id=user.id)
    return str(user.id)


def principal_for_user(user: Any) -> Principal:
    user_id = getattr(user, "user_id", None) or user.id
    role = Role(user.role)
    if role is Role.Merchant:
        return Principal(role, credential_id=f"web:{user_id}", name=user.email, merchant_id=user.merchant_id)
    # An operator user acts as its own operator at its FCs (status histories read "operator:<user id>").
    return Principal(
        role,
        credential_id=f"web:{user_id}",
        name=user.email,
        operator_id=user_id,
        fulfillment_center_ids=frozenset(user.fulfillment_center_ids),
    )
