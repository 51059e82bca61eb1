"""Ports: the outside services a use case needs besides storage, built by `bootstrap` and reached through
`uow.providers` (carriers, documents, photo files, the URL guard, the platform parsers), or handed to the
use case (the webhook sender, the clock). The adapters implement them; a test hands in fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from boomerang.domain.addresses import Address
from boomerang.domain.integrations import InboundEvent, Provider
from boomerang.domain.labels import Rate
from boomerang.services.clock import Clock

__all__ = [
    "CarrierRates",
    "Clock",
    "DocumentRenderer",
    "ImageSniffer",
    "InvoiceDocument",
    "LabelDocument",
    "PayloadParser",
    "PhotoStorage",
    "Providers",
    "PurchasedLabel",
    "SendResult",
    "StoredFile",
    "TooManyPixels",
    "UnsafeUrl",
    "UrlGuard",
    "WebhookSender",
]


@dataclass(frozen=True)
class PurchasedLabel:
    carrier: str
    service: str
    tracking_number: str
    rate: Rate


class CarrierRates(Protocol):
    """A carrier or an aggregator: what a label costs on a route, and buying one."""

    def rates(self, *, origin_country: str, destination_country: str, currency: str) -> list[Rate]:
        """Every rate for a parcel on this route, priced in `currency`."""
        ...

    def purchase(self, rate: Rate, *, origin: Address, destination: Address, reference: str) -> PurchasedLabel:
        """Buy a label at `rate`; the carrier's tracking number comes back."""
        ...


@dataclass(frozen=True)
class LabelDocument:
    carrier: str
    service: str | None
    label_type: str
    tracking_number: str
    reference_id: str
    ship_from: list[str]
    ship_to: list[str]


@dataclass(frozen=True)
class InvoiceDocument:
    merchant_name: str
    merchant_id: str
    period: str
    currency: str
    summary: list[tuple[str, int, str]]  # transaction type, count, amount
    total: str
    transactions: list[tuple[str, str, str, str]]  # date, type, reference (return / work order), amount


class DocumentRenderer(Protocol):
    """Printable documents as PDF bytes."""

    def label(self, doc: LabelDocument) -> bytes:
        """A 4x6 inch return label."""
        ...

    def invoice(self, doc: InvoiceDocument) -> bytes:
        """A monthly invoice."""
        ...


class TooManyPixels(ValueError):
    """The image's header declares more pixels than allowed (a decompression bomb, or simply too big)."""

    def __init__(self, width: int, height: int, max_pixels: int) -> None:
        super().__init__(f"{width}x{height} is {width * height:,} pixels; at most {max_pixels:,} are accepted")


class ImageSniffer(Protocol):
    def __call__(self, data: bytes, max_pixels: int) -> tuple[str, str] | None:
        """(content type, extension) if `data` decodes as an accepted image, else None; TooManyPixels first."""
        ...


@dataclass(frozen=True)
class StoredFile:
    """A file in photo storage, as the directory listing sees it."""

    name: str
    modified_at: datetime
    size_bytes: int


class PhotoStorage(Protocol):
    """Where photo files are kept, by storage key."""

    def key_for(self, photo_id: str, extension: str) -> str: ...

    def save(self, key: str, data: bytes) -> None: ...

    def read(self, key: str) -> bytes: ...

    def files_written_before(self, cutoff: datetime) -> Iterator[StoredFile]:
        """Every stored file last written before `cutoff` (left-over partial writes included)."""
        ...

    def remove(self, name: str) -> None: ...


class UnsafeUrl(ValueError):
    """The URL may not be a webhook target; the message says why."""


class UrlGuard(Protocol):
    """The SSRF guard: which URLs may receive our webhooks."""

    def check_subscription_url(self, url: str, *, allow_private: bool) -> None:
        """UnsafeUrl unless `url` is http(s) and every address it resolves to is public (or private is allowed)."""
        ...


PayloadParser = Callable[[bytes], InboundEvent]  # a platform's webhook body -> our inbound event (or MalformedPayload)


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class WebhookSender(Protocol):
    def send(self, url: str, headers: dict[str, str], body: bytes) -> SendResult: ...


class Providers(Protocol):
    """What the use cases of one process reach outside storage, injected into the unit-of-work factory."""

    @property
    def carriers(self) -> CarrierRates: ...

    @property
    def documents(self) -> DocumentRenderer: ...

    @property
    def photo_storage(self) -> PhotoStorage: ...

    @property
    def sniff_image(self) -> ImageSniffer: ...

    @property
    def urls(self) -> UrlGuard: ...

    @property
    def platforms(self) -> Mapping[Provider, PayloadParser]: ...
