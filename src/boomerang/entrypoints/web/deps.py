"""Who is signed in, and a unit of work bound to them; unsigned visitors go to /login."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from boomerang.domain.tenants import Role
from boomerang.entrypoints.web.security import CSRF_FIELD, SESSION_COOKIE, csrf_token_is_valid, unsign
from boomerang.services.auth import SYSTEM
from boomerang.services.unit_of_work import UnitOfWork
from boomerang.services.web_sessions import WebSession, resolve_session


class LoginRequired(Exception):
    """Not signed in (or the session ended): answered with 303 to /login?next=…"""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class WrongArea(Exception):
    """Signed in, but this page belongs to the other kind of user: answered with 303 to their home."""

    def __init__(self, home: str) -> None:
        super().__init__(home)
        self.home = home


class CsrfRejected(Exception):
    """A state-changing form without a valid CSRF token: answered with the 403 page."""


def optional_session(request: Request) -> WebSession | None:
    if hasattr(request.state, "web_session"):
        return request.state.web_session  # type: ignore[no-any-return]
    token = unsign(request, request.cookies.get(SESSION_COOKIE))
    session = None
    if token:
        with request.app.state.uow_factory(SYSTEM) as uow:
            session = resolve_session(uow, token=token)
    request.state.web_session = session
    return session


def required_session(request: Request) -> WebSession:
    session = optional_session(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(quote(target, safe="/"))
    return session


async def verify_csrf(request: Request) -> None:
    """Every POST from a page carries the form field `csrf_token` bound to its session."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    optional_session(request)
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not isinstance(token, str) or not csrf_token_is_valid(request, token):
        raise CsrfRejected()


def _uow(request: Request, session: WebSession, *, may_lag: bool = False) -> UnitOfWork:
    return request.app.state.uow_factory(  # type: ignore[no-any-return]
        session.principal, read_only=may_lag, may_lag=may_lag
    )


def merchant_uow(request: Request, session: Annotated[WebSession, Depends(required_session)]) -> UnitOfWork:
    if session.principal.role is not Role.Merchant:
        raise WrongArea("/station")
    return _uow(request, session)


def operator_uow(request: Request, session: Annotated[WebSession, Depends(required_session)]) -> UnitOfWork:
    if session.principal.role is not Role.Operator:
        raise WrongArea("/")
    return _uow(request, session)


def merchant_lagging_uow(request: Request, session: Annotated[WebSession, Depends(required_session)]) -> UnitOfWork:
    """Dashboard lists, analytics and exports: read-only, and served by the read replica if there is one."""
    if session.principal.role is not Role.Merchant:
        raise WrongArea("/station")
    return _uow(request, session, may_lag=True)


MerchantPage = Annotated[UnitOfWork, Depends(merchant_uow)]
MerchantLaggingPage = Annotated[UnitOfWork, Depends(merchant_lagging_uow)]
OperatorPage = Annotated[UnitOfWork, Depends(operator_uow)]
SignedIn = Annotated[WebSession, Depends(required_session)]
