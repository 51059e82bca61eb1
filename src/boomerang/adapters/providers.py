"""The providers of one process (the `Providers` port), built by `bootstrap` from its settings.

Each is imported when first used: a command that renders no PDF never loads reportlab."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from boomerang.config import Settings
from boomerang.domain.integrations import Provider

if TYPE_CHECKING:
    from boomerang.services.ports.providers import (
        CarrierRates,
        ImageSniffer,
        InvoiceDocument,
        LabelDocument,
        PayloadParser,
        PhotoStorage,
    )


class PdfDocuments:
    """Labels and invoices drawn with reportlab."""

    def label(self, doc: LabelDocument) -> bytes:
        from boomerang.adapters.documents.label_pdf import render_label

        return render_label(doc)

    def invoice(self, doc: InvoiceDocument) -> bytes:
        from boomerang.adapters.documents.invoice_pdf import render_invoice

        return render_invoice(doc)


class SsrfGuard:
    """Webhook URLs checked against the system resolver."""

    def check_subscription_url(self, url: str, *, allow_private: bool) -> None:
        from boomerang.adapters.ssrf import check_subscription_url

        check_subscription_url(url, allow_private=allow_private)


@dataclass(frozen=True)
class LocalProviders:
    """The built-in providers: the carrier rate table, PDFs, photos on the local disk, the SSRF guard."""

    settings: Settings

    @property
    def carriers(self) -> CarrierRates:
        from boomerang.adapters.carriers.table import provider_for

        return provider_for(self.settings.carrier_rates_file)

    @property
    def documents(self) -> PdfDocuments:
        return PdfDocuments()

    @property
    def photo_storage(self) -> PhotoStorage:
        from boomerang.adapters.photo_storage import storage_for

        return storage_for(self.settings.data_dir)

    @property
    def sniff_image(self) -> ImageSniffer:
        from boomerang.adapters.photo_storage import sniff_image

        return sniff_image

    @property
    def urls(self) -> SsrfGuard:
        return SsrfGuard()

    @property
    def platforms(self) -> Mapping[Provider, PayloadParser]:
        from boomerang.adapters.integrations import aftership, loop

        return {Provider.AfterShip: aftership.parse, Provider.Loop: loop.parse}
