"""
Reading PDF reports: the text layer of a PDF rebuilt into rows by its geometry.

A PDF has no tables and no paragraphs, only glyphs at positions and painted
paths.  This reader rebuilds the rows every other reader produces from that
geometry, in two stages kept apart so their cost can be measured apart:

1. *Extraction* (:func:`extract`, the PDF library's work): every page's glyphs
   with their boxes, and the ruling lines (thin painted paths, or the straight
   edges of stroked paths) as horizontal and vertical segments.  Only this
   stage knows the library (PDFium through ``pypdfium2``).
2. *Layout* (:func:`layout`, pure Python): ruled tables are rebuilt as grids
   from their lines (a cell is a region no line crosses, so merged cells come
   out whole); text between tables becomes lines and then paragraphs; page
   headers, footers and page numbers are dropped; a table that continues on the
   next page stays one table.  Rows of unruled text that line up in columns
   become table rows by their alignment.

Coordinates are PDF points with the origin at the page's top left (y grows
downwards), so "top" and "bottom" read naturally.
"""

from __future__ import annotations

import attrs

from ..._messages import M_
from ...errors import ParseError
from .._doc import Row
from ._extract import MAX_PAGES, extract
from ._layout import layout

__all__ = ["MAX_PAGES", "read_pdf"]


def read_pdf(data: bytes) -> list[Row]:
    """
    The rows of a PDF report; each cell's :class:`~gov_disclosure.Location` has its page and box.

    Raises:
        ParseError: not a PDF, damaged, encrypted with a password, too many
            pages, or no text layer (a scan: the pages hold images and no
            glyphs; OCR it first); the ``pdf`` extra is not installed.
    """
    pages = extract(data)
    if not any(p.glyphs for p in pages):
        if any(p.images for p in pages):
            raise ParseError(
                M_(
                    "the PDF has no text layer (scanned pages?): run OCR on it first (for example ocrmypdf) and parse the result"
                )
            )
        raise ParseError(M_("the PDF has no text"))
    rows, places = layout(pages)
    out = []
    for row, row_places in zip(rows, places, strict=False):
        locs = [
            attrs.evolve(loc, page=where[0][0], box=where[0][1]) if where else loc
            for loc, where in zip(row.locs, row_places, strict=False)
        ]
        out.append(Row(row.cells, tuple(locs), row.kind))
    return out
