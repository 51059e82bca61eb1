"""Every error code the service answers, as `StrEnum`s per feature (Saleor's convention): the codes are part
of the public contract (`{"error": {"code": ...}}`), so they are written once, here, and referred to by name.

Naming: `<thing>_not_found` is a 404 for the resource a path names; `unknown_<thing>` is a 422 for a body
field naming one that does not exist (products, shipments, fulfillment centers alike). They are two
situations with two statuses, not two names for one.
"""

from __future__ import annotations

from enum import StrEnum


class CommonErrorCode(StrEnum):
    """Codes any feature may answer: the HTTP-level and generic ones."""

    DOMAIN_ERROR = "domain_error"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID_TRANSITION = "invalid_transition"
    VALIDATION_ERROR = "validation_error"
    PRECONDITION_FAILED = "precondition_failed"
    FORBIDDEN = "forbidden"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    VERSION_CONFLICT = "version_conflict"
    INVALID_CURSOR = "invalid_cursor"
    TOO_MANY_ROWS = "too_many_rows"
    MALFORMED_JSON = "malformed_json"
    MALFORMED_BODY = "malformed_body"
    BAD_REQUEST = "bad_request"
    INTERNAL_ERROR = "internal_error"
    DATABASE_UNAVAILABLE = "database_unavailable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    SECRET_UNREADABLE = "secret_unreadable"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    SERVICE_UNAVAILABLE = "service_unavailable"
    REQUEST_TIMEOUT = "request_timeout"


class AuthErrorCode(StrEnum):
    """Credentials, users, merchants and operators."""

    UNAUTHENTICATED = "unauthenticated"
    RATE_LIMITED = "rate_limited"
    INVALID_CREDENTIALS = "invalid_credentials"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    API_KEY_NOT_FOUND = "api_key_not_found"
    USER_NOT_FOUND = "user_not_found"
    DUPLICATE_EMAIL = "duplicate_email"
    MERCHANT_NOT_FOUND = "merchant_not_found"
    UNKNOWN_MERCHANT = "unknown_merchant"
    OPERATOR_NOT_FOUND = "operator_not_found"


class IdempotencyErrorCode(StrEnum):
    """The Idempotency-Key header."""

    IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"


class ReturnErrorCode(StrEnum):
    """Return orders: creating, editing, receiving and completing them."""

    RETURN_NOT_FOUND = "return_not_found"
    ALREADY_ARRIVED = "already_arrived"
    RETURN_NOT_EDITABLE = "return_not_editable"
    DUPLICATE_REFERENCE_ID = "duplicate_reference_id"
    DUPLICATE_TRACKING_NUMBER = "duplicate_tracking_number"
    UNKNOWN_SHIPMENT = "unknown_shipment"
    INSPECTION_MISSING = "inspection_missing"
    NOT_PROCESSABLE = "not_processable"
    ALREADY_COMPLETED = "already_completed"
    UNKNOWN_PHOTO = "unknown_photo"


class WarehouseErrorCode(StrEnum):
    """The dock: fulfillment centers, scans, unidentified packages, photos and shipments."""

    FULFILLMENT_CENTER_NOT_FOUND = "fulfillment_center_not_found"
    UNKNOWN_FULFILLMENT_CENTER = "unknown_fulfillment_center"
    FULFILLMENT_CENTER_MISMATCH = "fulfillment_center_mismatch"
    ALREADY_RESOLVED = "already_resolved"
    CANDIDATE_NOT_FOUND = "candidate_not_found"
    AMBIGUOUS = "ambiguous"
    UNIDENTIFIED_PACKAGE_NOT_FOUND = "unidentified_package_not_found"
    PHOTO_NOT_FOUND = "photo_not_found"
    IMAGE_TOO_LARGE = "image_too_large"
    TOO_MANY_PHOTOS = "too_many_photos"
    SHIPMENT_NOT_FOUND = "shipment_not_found"


class ProductErrorCode(StrEnum):
    """Products, return preferences and stock."""

    PRODUCT_NOT_FOUND = "product_not_found"
    UNKNOWN_PRODUCT = "unknown_product"
    DUPLICATE_SKU = "duplicate_sku"
    INVALID_CSV = "invalid_csv"
    INSUFFICIENT_STOCK = "insufficient_stock"


class LabelErrorCode(StrEnum):
    """Return labels and rates."""

    LABEL_NOT_FOUND = "label_not_found"
    LABEL_ALREADY_PURCHASED = "label_already_purchased"
    LABEL_COUNTRY_MISMATCH = "label_country_mismatch"
    NO_RATE_AVAILABLE = "no_rate_available"
    DANGEROUS_GOODS_REQUIRES_PREPAID = "dangerous_goods_requires_prepaid"


class WorkOrderErrorCode(StrEnum):
    """Quarantine work orders."""

    WORK_ORDER_NOT_FOUND = "work_order_not_found"
    INSUFFICIENT_QUARANTINE_STOCK = "insufficient_quarantine_stock"
    REMOVAL_COUNTRY_MISMATCH = "removal_country_mismatch"


class BillingErrorCode(StrEnum):
    """Fees, accrual and invoices."""

    INVALID_PERIOD = "invalid_period"
    DAY_NOT_FINISHED = "day_not_finished"
    CURRENCY_MISMATCH = "currency_mismatch"


class IntegrationErrorCode(StrEnum):
    """AfterShip, Loop, carrier events and the ShipBob mount."""

    INTEGRATION_NOT_CONFIGURED = "integration_not_configured"
    INVALID_SIGNATURE = "invalid_signature"
    MALFORMED_PAYLOAD = "malformed_payload"
    CHANNEL_FORBIDDEN = "channel_forbidden"


class WebhookErrorCode(StrEnum):
    """Outbound webhook endpoints."""

    WEBHOOK_NOT_FOUND = "webhook_not_found"
    WEBHOOK_DISABLED = "webhook_disabled"
    INVALID_TOPICS = "invalid_topics"
    UNSAFE_WEBHOOK_URL = "unsafe_webhook_url"


ErrorCode = (
    CommonErrorCode
    | AuthErrorCode
    | IdempotencyErrorCode
    | ReturnErrorCode
    | WarehouseErrorCode
    | ProductErrorCode
    | LabelErrorCode
    | WorkOrderErrorCode
    | BillingErrorCode
    | IntegrationErrorCode
    | WebhookErrorCode
)
ERROR_CODE_ENUMS: tuple[type[StrEnum], ...] = (
    CommonErrorCode,
    AuthErrorCode,
    IdempotencyErrorCode,
    ReturnErrorCode,
    WarehouseErrorCode,
    ProductErrorCode,
    LabelErrorCode,
    WorkOrderErrorCode,
    BillingErrorCode,
    IntegrationErrorCode,
    WebhookErrorCode,
)
