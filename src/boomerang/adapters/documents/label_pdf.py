"""A 4x6 inch thermal-printer return label: addresses, a Code 128 tracking barcode, the RMA in large print."""

from __future__ import annotations

from io import BytesIO

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from boomerang.services.ports.providers import LabelDocument

WIDTH, HEIGHT = 4 * inch, 6 * inch
MARGIN = 0.2 * inch


def render_label(doc: LabelDocument) -> bytes:
    """The label as PDF bytes (one page, 4x6 in)."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH, HEIGHT), pageCompression=1)
    canvas.setTitle(f"Return label {doc.reference_id}")
    canvas.setAuthor("Boomerang")
    _header(canvas, doc)
    _address(canvas, "FROM", doc.ship_from, HEIGHT - 0.9 * inch, size=8)
    _address(canvas, "SHIP TO", doc.ship_to, HEIGHT - 2.0 * inch, size=11)
    _barcode(canvas, doc.tracking_number, 1.5 * inch)
    _reference(canvas, doc.reference_id)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _header(canvas: Canvas, doc: LabelDocument) -> None:
    canvas.setLineWidth(1.5)
    canvas.rect(MARGIN / 2, MARGIN / 2, WIDTH - MARGIN, HEIGHT - MARGIN)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(MARGIN, HEIGHT - 0.45 * inch, f"{doc.carrier} {doc.service or ''}".strip())
    canvas.setFont("Helvetica", 8)
    canvas.drawRightString(WIDTH - MARGIN, HEIGHT - 0.45 * inch, f"RETURN · {doc.label_type}")
    canvas.line(MARGIN / 2, HEIGHT - 0.6 * inch, WIDTH - MARGIN / 2, HEIGHT - 0.6 * inch)


def _address(canvas: Canvas, title: str, lines: list[str], top: float, size: int) -> None:
    canvas.setFont("Helvetica-Bold", 7)
    canvas.drawString(MARGIN, top + 0.12 * inch, title)
    canvas.setFont("Helvetica-Bold" if size > 9 else "Helvetica", size)
    y = top - size * 0.4
    for line in lines:
        canvas.drawString(MARGIN, y, line[:48])
        y -= size * 1.25


def _barcode(canvas: Canvas, tracking_number: str, bottom: float) -> None:
    for bar_width in (1.1, 0.9, 0.8, 0.7, 0.6, 0.5):  # long numbers: narrower bars so the code fits the label
        barcode = Code128(tracking_number, barHeight=0.9 * inch, barWidth=bar_width, humanReadable=False)
        if barcode.width <= WIDTH - MARGIN:
            break
    canvas.line(MARGIN / 2, bottom + 1.25 * inch, WIDTH - MARGIN / 2, bottom + 1.25 * inch)
    canvas.setFont("Helvetica-Bold", 7)
    canvas.drawString(MARGIN, bottom + 1.1 * inch, "TRACKING #")
    barcode.drawOn(canvas, (WIDTH - barcode.width) / 2, bottom + 0.15 * inch)
    canvas.setFont("Courier-Bold", 10)
    canvas.drawCentredString(WIDTH / 2, bottom - 0.05 * inch, tracking_number)


def _reference(canvas: Canvas, reference_id: str) -> None:
    canvas.line(MARGIN / 2, 1.2 * inch, WIDTH - MARGIN / 2, 1.2 * inch)
    canvas.setFont("Helvetica-Bold", 7)
    canvas.drawString(MARGIN, 1.05 * inch, "RMA / REFERENCE")
    size = 28.0
    while size > 10 and canvas.stringWidth(reference_id, "Helvetica-Bold", size) > WIDTH - 2 * MARGIN:
        size -= 1
    canvas.setFont("Helvetica-Bold", size)
    canvas.drawCentredString(WIDTH / 2, 0.5 * inch, reference_id)
