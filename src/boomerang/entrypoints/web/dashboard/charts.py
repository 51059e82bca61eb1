"""Server-rendered SVG charts (no script); every chart sits beside a table with its numbers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

PALETTE = ("#1d4ed8", "#d97706", "#15803d", "#b91c1c")
# Patterns as well as colours, so a series is never told apart by colour alone.
PATTERNS = ("", "url(#hatch)", "url(#dots)", "url(#cross)")
_DEFS = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#d97706"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/>'
    '</pattern><pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" '
    'fill="#15803d"/><circle cx="3" cy="3" r="1.3" fill="#fff"/></pattern><pattern id="cross" width="6" height="6" '
    'patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#b91c1c"/><path d="M0 0L6 6M6 0L0 6" '
    'stroke="#fff"/></pattern></defs>'
)


def _fill(index: int) -> str:
    return PATTERNS[index] or PALETTE[index]


def stacked_columns(title: str, labels: Sequence[str], series: dict[str, Sequence[int]]) -> Markup:
    """Columns per label, stacked by series (e.g. returns per day, Regular vs RTS)."""
    width, height, pad = 720, 240, 30
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    step = (width - pad * 2) / max(len(labels), 1)
    bars = []
    for i in range(len(labels)):
        y: float = height - pad
        for s, values in enumerate(series.values()):
            h = (height - pad * 2) * values[i] / top
            if h:
                bars.append(
                    f'<rect x="{pad + i * step:.1f}" y="{y - h:.1f}" width="{max(step - 1, 1):.1f}" '
                    f'height="{h:.1f}" fill="{_fill(s)}"/>'
                )
            y -= h
    axis = (
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#52606d"/>'
        f'<text x="{pad}" y="{pad - 10}" font-size="12" fill="#1f2933">max {top}</text>'
    )
    if labels:
        axis += (
            f'<text x="{pad}" y="{height - 8}" font-size="12" fill="#1f2933">{escape(labels[0])}</text>'
            f'<text x="{width - pad}" y="{height - 8}" font-size="12" fill="#1f2933" text-anchor="end">'
            f"{escape(labels[-1])}</text>"
        )
    return _svg(title, width, height, "".join(bars) + axis + _legend(list(series), width))


def horizontal_bars(title: str, values: dict[str, int]) -> Markup:
    """One bar per category (e.g. units per disposition)."""
    width, row = 480, 34
    height = row * max(len(values), 1) + 10
    top = max(values.values(), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(values.items()):
        y = 5 + i * row
        w = 300 * value / top
        parts.append(
            f'<text x="0" y="{y + 20}" font-size="13" fill="#1f2933">{escape(label)}</text>'
            f'<rect x="110" y="{y + 4}" width="{w:.1f}" height="{row - 10}" fill="{_fill(i % len(PALETTE))}"/>'
            f'<text x="{116 + w:.1f}" y="{y + 20}" font-size="13" fill="#1f2933">{value}</text>'
        )
    return _svg(title, width, height, "".join(parts))


def _legend(names: list[str], width: int) -> str:
    out = []
    for i, name in enumerate(names):
        x = width - 30 - (len(names) - i) * 110
        out.append(
            f'<rect x="{x}" y="6" width="14" height="14" fill="{_fill(i)}"/>'
            f'<text x="{x + 18}" y="18" font-size="12" fill="#1f2933">{escape(name)}</text>'
        )
    return "".join(out)


def _svg(title: str, width: int, height: int, body: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{_DEFS}{body}</svg>'
    )
