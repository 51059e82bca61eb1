"""Return labels: rate quotes, buying or registering a label, printing it.

Included before the returns router so `/returns/rates` is not taken for a return id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from boomerang.entrypoints.http.deps import MerchantUoW
from boomerang.schemas.labels import LabelCreate, RateList, RateRead
from boomerang.schemas.returns import LabelRead
from boomerang.services import labels

router = APIRouter(tags=["labels"])


@router.get("/returns/rates", response_model=RateList)
def list_rates(
    uow: MerchantUoW,
    fulfillment_center_id: Annotated[str, Query(min_length=1, max_length=40)],
    origin_country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
    return_id: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=40,
            description="quote for this return: one holding dangerous goods answers 422 "
            "`dangerous_goods_requires_prepaid`",
        ),
    ] = None,
) -> RateList:
    """Rates to the FC from `origin_country` (default: the FC's country), cheapest first, in the merchant's currency.

    Purchased labels (Optimized, CarrierSpecific) ship only from the FC's country (422 `label_country_mismatch`)
    and never carry dangerous goods: a return with a product that `is_dangerous_goods` or has category
    `HazardousMaterials` ships only on a Prepaid label (422 `dangerous_goods_requires_prepaid`, here when
    `return_id` names such a return, and when buying its label).
    """
    with uow:
        rates = labels.list_rates(
            uow, fulfillment_center_id=fulfillment_center_id, origin_country=origin_country, return_id=return_id
        )
    return RateList(items=[RateRead.from_domain(rate) for rate in rates], next_cursor=None)


@router.post("/returns/{return_id}/label", status_code=201, response_model=LabelRead)
def attach_label(return_id: str, body: LabelCreate, uow: MerchantUoW) -> LabelRead:
    """Buy (Optimized, CarrierSpecific: charged as ReturnLabelInvoice) or register (Prepaid) the return's label.

    422 `label_country_mismatch` (purchased labels ship only from the FC's country),
    `dangerous_goods_requires_prepaid` (a line's product `is_dangerous_goods` or has category HazardousMaterials:
    Prepaid only); 409 `duplicate_tracking_number` (a Prepaid tracking number another live return uses).
    """
    with uow:
        attached = labels.attach_label(
            uow,
            return_id=return_id,
            label_type=body.type,
            origin=body.origin_address.to_domain(),
            carrier=body.carrier,
            service=body.service,
            tracking_number=body.tracking_number,
        )
        return LabelRead.from_domain(attached.return_id, attached.label)


@router.get(
    "/returns/{return_id}/label.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the 4x6 in label"}},
)
def label_pdf(return_id: str, uow: MerchantUoW) -> Response:
    with uow:
        pdf = labels.label_pdf(uow, return_id=return_id)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="label-{return_id}.pdf"'}
    )
