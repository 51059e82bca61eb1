"""CSV downloads: built row by row and streamed, so a list of any size never sits in memory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from starlette.responses import StreamingResponse

from boomerang.spreadsheet_cells import csv_pieces


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingResponse:
    """Written by the one CSV writer: formula-like cells neutralised, control characters quoted."""
    return StreamingResponse(
        csv_pieces(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
