"""A monthly invoice as an A4 PDF: summary by transaction type, then every transaction."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from boomerang.services.ports.providers import InvoiceDocument


def render_invoice(doc: InvoiceDocument) -> bytes:
    out = BytesIO()
    pdf = SimpleDocTemplate(
        out, pagesize=A4, title=f"Invoice {doc.period}", author="Boomerang", leftMargin=18 * mm, rightMargin=18 * mm
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(f"Invoice {doc.period}", styles["Title"]),
        Paragraph(f"{doc.merchant_name} ({doc.merchant_id}) · amounts in {doc.currency}", styles["Normal"]),
        Spacer(1, 6 * mm),
        _table(
            [
                ("Transaction type", "Count", "Amount"),
                *[(t, str(n), a) for t, n, a in doc.summary],
                ("Total", "", doc.total),
            ],
            bold_last=True,
        ),
        Spacer(1, 8 * mm),
        Paragraph("Transactions", styles["Heading2"]),
        _table([("Date (UTC)", "Type", "Return / work order", "Amount"), *doc.transactions]),
    ]
    pdf.build(story)
    return out.getvalue()


def _table(rows: list[tuple[str, ...]], bold_last: bool = False) -> Table:
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
    if bold_last:
        style += [
            ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ]
    table.setStyle(TableStyle(style))
    return table
