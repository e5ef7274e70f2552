"""
CSV cells that a spreadsheet shows as text, not as a formula (OWASP's "CSV injection"), and back.

Used by the tidy rows files (``_rows``) and the batch results files (``many``).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["csv_cell", "csv_text"]

#: What a spreadsheet takes for the start of a formula in a cell (OWASP, "CSV
#: injection"), and the quote that marks a cell as text.
_FORMULA_STARTS = frozenset("=+-@\t\r'")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def csv_cell(value: Any) -> Any:
    """
    *value* as a CSV cell a spreadsheet shows as text: a text starting like a formula gets a leading ``'``.

    Numbers (``-5``, ``+1.5``) stay as they are; a text that starts with a
    quote gets one more, so :func:`csv_text` gives every text back exactly.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-5"), csv_cell("'x"), csv_cell("某局")
    ("'=HYPERLINK(1)", '-5', "''x", '某局')
    """
    if (
        type(value) is str
        and value
        and value[0] in _FORMULA_STARTS
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_text(cell: str) -> str:
    """
    The text :func:`csv_cell` wrote as *cell*: one leading ``'`` dropped.

    >>> csv_text("'=HYPERLINK(1)"), csv_text("''x"), csv_text("-5")
    ('=HYPERLINK(1)', "'x", '-5')
    """
    return cell[1:] if cell.startswith("'") else cell
