"""Who is calling, resolved from the request's head before a byte of its body is read.

A bearer token (API and ShipBob mount) or a dashboard session cookie (pages) is resolved once, here; the
route's dependencies reuse the result (`request.state.principal`, `request.state.web_session`). The rate
limiter and the Idempotency-Key store key on the credential's id, never on the header's spelling
(`Bearer K`, `bearer  K` and `BEARER K` are one credential); a caller without a valid credential is keyed
on its client address. The body gate (body_limit.py) refuses to read a large body from such a caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from boomerang.domain.tenants import Principal
from boomerang.entrypoints.http.errors import is_api_path
from boomerang.entrypoints.web.security import SESSION_COOKIE, unsign
from boomerang.services.auth import SYSTEM, Unauthenticated, authenticate
from boomerang.services.storage_errors import DatabaseUnavailable
from boomerang.services.web_sessions import WebSession, resolve_session

logger = logging.getLogger(__name__)

# Served without a caller: nothing to resolve, nothing to count.
UNCOUNTED_PATHS = ("/static/", "/healthz", "/readyz", "/favicon.ico")


@dataclass(frozen=True)
class Caller:
    """`key` is what limits and idempotency records belong to: `credential:<id>` or `address:<ip>`."""

    key: str
    principal: Principal | None = None
    # The database could not be asked who this is (it is down): the request may not be anonymous at all.
    unresolved: bool = False

    @property
    def authenticated(self) -> bool:
        return self.principal is not None


def caller_of(scope: Scope) -> Caller | None:
    """The caller resolved by CallerMiddleware (None outside it, e.g. for static files)."""
    return scope.get("state", {}).get("caller")  # type: ignore[no-any-return]


def bearer_of(authorization: str) -> str | None:
    """The token of `Bearer <token>` (scheme case-insensitive, any spaces around the token), else None."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class CallerMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(UNCOUNTED_PATHS):
            state = scope.setdefault("state", {})
            state["caller"] = await self._resolve(Request(scope), state)
        await self.app(scope, receive, send)

    async def _resolve(self, request: Request, state: dict[str, object]) -> Caller:
        anonymous = Caller(f"address:{client_address(request.scope)}")
        token = bearer_of(request.headers.get("authorization", ""))
        try:
            if token is not None:
                principal = await run_in_threadpool(self._authenticate, request, token)
                if principal is None:
                    return anonymous
                state["principal"] = principal
                return Caller(f"credential:{principal.credential_id}", principal)
            cookie = request.cookies.get(SESSION_COOKIE)
            if cookie and not is_api_path(request.url.path):
                session = await run_in_threadpool(self._session, request, cookie)
                state["web_session"] = session
                if session is not None:
                    return Caller(f"credential:{session.principal.credential_id}", session.principal)
        except DatabaseUnavailable:
            # The route asks again and answers the database's 503 (API) or the 503 page.
            logger.warning("the caller could not be resolved: database unavailable")
            return Caller(anonymous.key, unresolved=True)
        return anonymous

    @staticmethod
    def _authenticate(request: Request, token: str) -> Principal | None:
        state = request.app.state
        try:
            return authenticate(state.uow_factory, token, state.settings.admin_token)
        except Unauthenticated:
            return None

    @staticmethod
    def _session(request: Request, cookie: str) -> WebSession | None:
        token = unsign(request, cookie)
        if not token:
            return None
        with request.app.state.uow_factory(SYSTEM) as uow:
            return resolve_session(uow, token=token)
