"""Settings: API keys, webhook endpoints with their delivery log, AfterShip/Loop secrets."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from boomerang.domain.errors import DomainError, NotFound
from boomerang.domain.events import TOPICS
from boomerang.domain.integrations import Provider
from boomerang.entrypoints.web.deps import MerchantPage, verify_csrf
from boomerang.entrypoints.web.templating import flash, page
from boomerang.schemas.urls import inbound_webhook_path
from boomerang.services import api_keys, integrations, webhooks
from boomerang.services.read_models.settings import endpoint_deliveries, settings_view

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _settings_page(request: Request, uow: MerchantPage, extra: dict[str, object], status: int = 200) -> Response:
    with uow:
        view = settings_view(uow)
        merchant_id = uow.require_merchant()
        context = {
            "v": view,
            "topics": list(TOPICS),
            "base_url": str(request.base_url).rstrip("/"),
            "webhook_paths": {p: inbound_webhook_path(p, merchant_id) for p in Provider},
            **extra,
        }
        return page(request, "dashboard/settings.html", context, status_code=status)


def _errors(error: DomainError) -> list[str]:
    return [f"{d.field}: {d.message}" for d in error.details] or [error.message]


@router.get("/settings")
def settings(request: Request, uow: MerchantPage) -> Response:
    return _settings_page(request, uow, {})


@router.post("/settings/api-keys")
async def create_key(request: Request, uow: MerchantPage) -> Response:
    name = str((await request.form()).get("name") or "")
    try:
        with uow:
            created = api_keys.create_api_key(uow, name=name)
    except DomainError as error:
        return _settings_page(request, uow, {"key_errors": _errors(error)}, status=422)
    # Shown on this response only (never stored in clear, never in a redirect or cookie).
    return _settings_page(request, uow, {"new_key": created})


@router.post("/settings/api-keys/{key_id}/revoke")
def revoke_key(request: Request, uow: MerchantPage, key_id: str) -> Response:
    with uow:
        api_keys.revoke_api_key(uow, key_id=key_id)
    response = RedirectResponse("/settings", status_code=303)
    flash(request, response, "API key revoked.")
    return response


@router.post("/settings/webhooks")
async def create_webhook(request: Request, uow: MerchantPage) -> Response:
    form = await request.form()
    topics = [str(t) for t in form.getlist("topics")]
    try:
        with uow:
            created = webhooks.create_subscription(uow, url=str(form.get("url") or "").strip(), topics=topics)
    except DomainError as error:
        return _settings_page(request, uow, {"webhook_errors": _errors(error)}, status=422)
    return _settings_page(request, uow, {"new_webhook": created})


@router.post("/settings/webhooks/{subscription_id}/reenable")
def reenable_webhook(request: Request, uow: MerchantPage, subscription_id: str) -> Response:
    with uow:
        webhooks.reenable_subscription(uow, subscription_id=subscription_id)
    response = RedirectResponse(f"/settings/webhooks/{subscription_id}", status_code=303)
    flash(request, response, "Endpoint enabled again: new events will be delivered.")
    return response


@router.post("/settings/webhooks/{subscription_id}/test")
def test_webhook(request: Request, uow: MerchantPage, subscription_id: str) -> Response:
    response = RedirectResponse(f"/settings/webhooks/{subscription_id}", status_code=303)
    try:
        with uow:
            webhooks.send_test_event(uow, subscription_id=subscription_id)
        flash(request, response, "Test event queued: it appears below once the worker has sent it.")
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        flash(request, response, error.message, "error")
    return response


@router.post("/settings/webhooks/{subscription_id}/delete")
def delete_webhook(request: Request, uow: MerchantPage, subscription_id: str) -> Response:
    with uow:
        webhooks.delete_subscription(uow, subscription_id=subscription_id)
    response = RedirectResponse("/settings", status_code=303)
    flash(request, response, "Webhook endpoint deleted.")
    return response


@router.get("/settings/webhooks/{subscription_id}")
def webhook_page(request: Request, uow: MerchantPage, subscription_id: str, cursor: str | None = None) -> Response:
    with uow:
        endpoint, deliveries, next_cursor = endpoint_deliveries(uow, subscription_id=subscription_id, cursor=cursor)
    context = {"e": endpoint, "deliveries": deliveries, "next_cursor": next_cursor}
    return page(request, "dashboard/webhook_detail.html", context)


@router.post("/settings/integrations/{provider}")
async def configure_integration(request: Request, uow: MerchantPage, provider: Provider) -> Response:
    form = await request.form()
    secret = str(form.get("webhook_secret") or "").strip()
    try:
        with uow:
            integrations.configure(
                uow,
                provider=provider,
                webhook_secret=secret,
                fulfillment_center_id=str(form.get("fulfillment_center_id") or ""),
            )
    except DomainError as error:
        return _settings_page(request, uow, {"integration_errors": _errors(error)}, status=422)
    response = RedirectResponse("/settings#integrations", status_code=303)
    flash(request, response, f"{provider.value} connected.")
    return response
