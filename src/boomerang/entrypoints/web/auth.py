"""Sign in and sign out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from boomerang.domain.tenants import Role
from boomerang.entrypoints.web.deps import optional_session, verify_csrf
from boomerang.entrypoints.web.errors import error_page
from boomerang.entrypoints.web.security import (
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    csrf_token_for,
    new_presession,
    safe_next,
    set_cookie,
    sign,
)
from boomerang.entrypoints.web.templating import page
from boomerang.services.auth import SYSTEM
from boomerang.services.web_sessions import IDLE_TIMEOUT, InvalidCredentials, SignInThrottled, sign_in, sign_out

router = APIRouter(dependencies=[Depends(verify_csrf)])


def home_of(role: Role) -> str:
    return "/station" if role is Role.Operator else "/"


def _login_form(
    request: Request, next_path: str, error: str | None = None, email: str = "", status: int = 200
) -> Response:
    presession, cookie = new_presession(request)
    response = page(
        request,
        "login.html",
        {"next": next_path, "error": error, "email": email, "csrf_token": csrf_token_for(request, presession)},
        status_code=status,
    )
    set_cookie(request, response, PRESESSION_COOKIE, cookie)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    session = optional_session(request)
    if session is not None:
        return RedirectResponse(safe_next(next, home_of(session.principal.role)), status_code=303)
    return _login_form(request, safe_next(next, ""))


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    state = request.app.state
    client = request.client.host if request.client else "unknown"
    try:
        with state.uow_factory(SYSTEM) as uow:
            signed_in = sign_in(
                uow, email=email, password=password, client_address=client, failures=state.sign_in_failures
            )
    except SignInThrottled as error:
        retry_after = str(int(error.retry_after.total_seconds()))
        return error_page(request, 429, error.message.capitalize() + ".", {"Retry-After": retry_after})
    except InvalidCredentials:
        return _login_form(request, safe_next(next, ""), "The email or password is not right.", email, status=401)
    target = safe_next(next, home_of(signed_in.session.principal.role))
    response = RedirectResponse(target, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, sign(request, signed_in.token), int(IDLE_TIMEOUT.total_seconds()))
    response.delete_cookie(PRESESSION_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    session = optional_session(request)
    if session is not None:
        state = request.app.state
        with state.uow_factory(SYSTEM) as uow:
            sign_out(uow, session_id=session.session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
