"""Where the API's resources live: the paths its responses (and the pages) point clients to."""

from __future__ import annotations

from boomerang.domain.integrations import Provider

API_PREFIX = "/api/v1"


def inbound_webhook_path(provider: Provider, merchant_id: str) -> str:
    """Where a merchant's provider portal posts its events."""
    return f"{API_PREFIX}/integrations/{provider.value.lower()}/{merchant_id}/webhook"


def label_pdf_path(return_id: str) -> str:
    """A return's printable label."""
    return f"{API_PREFIX}/returns/{return_id}/label.pdf"


def photo_path(photo_id: str) -> str:
    """Where a stored photo's image is read (the owning merchant and the FC's operators)."""
    return f"{API_PREFIX}/photos/{photo_id}"
