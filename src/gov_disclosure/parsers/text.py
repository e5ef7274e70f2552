"""
Reading plain text: the layouts real pages have when their text is copied out.

One cell per line, pipe-separated (markdown-like) rows, tab-separated rows,
or whole tables run together on one line: every layout becomes rows of cells
the same way, and the assembler does the rest.  A line with ``|`` is split on
pipes, a line with tabs between non-empty parts on tabs; any other line is
one cell.  Empty lines, markdown rule lines (``|---|---|``) and lines that
hold only a page number (``- 2 -``, ``第 3 页``: :func:`_is_page_number`) are
dropped.
"""

from __future__ import annotations

import functools
import re

from ._doc import Location, Row

__all__ = ["read_text"]

_RULE = re.compile(r"^[\s|:\-+=]*-{3,}[\s|:\-+=]*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
#: Markdown's backslash escapes (CommonMark: a backslash before ASCII
#: punctuation stands for that character; ``\&`` is ``&``), and the cell
#: separators a pipe table does not escape.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PIPE = re.compile(r"(?<!\\)\|")


#: A line holding only a page number, in the forms Word and PDF tools print:
#: "- 2 -", "— 1 —", "·3·", "第 2 页", "第2页 共5页", "共5页 第2页", "Page 2 of 5", "2 / 5".
_PAGE_NUMBER = re.compile(
    r"[-－—–─~～·•]\s*\d{1,4}\s*[-－—–─~～·•]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/／]?\s*第\s*\d{1,4}\s*页"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|(\d{1,4})\s*[/／]\s*(\d{1,4})"
)


def _is_page_number(line: str) -> bool:
    """
    Whether *line* (stripped) is only a page number; "n / m" only when n <= m.

    >>> [_is_page_number(s) for s in ("- 2 -", "— 1 —", "第 3 页 共 5 页", "Page 2", "2 / 5", "5 / 2", "2")]
    [True, True, True, True, True, False, False]
    """
    if len(line) > 24:
        return False
    m = _PAGE_NUMBER.fullmatch(line)
    if m is None:
        return False
    n, of = m.group(1), m.group(2)
    return n is None or int(n) <= int(of)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text) if "\\" in text else text


def read_text(text: str) -> list[Row]:
    """
    Split *text* into rows of cells.

    >>> [r.cells for r in read_text("规章 | 1 | 0 | 1\\n\\n|---|---|\\n\\t行政许可\\t3")]
    [('规章', '1', '0', '1'), ('行政许可', '3')]
    """
    rows: list[Row] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or _RULE.match(line) or _is_page_number(line):
            continue
        if "\t" in raw and "|" not in line:
            # Keep a trailing tab: it ends an empty (blank) cell.
            line = raw.lstrip().rstrip(" \r\n\u3000")
        kind = "line"
        if _MD_HEADING.match(line):
            line = _MD_HEADING.sub("", line)
            kind = "h"
        if "|" in line:
            body = line.strip()
            if body.startswith("|"):
                body = body[1:]
            if body.endswith("|"):
                body = body[:-1]
            cells = [_unescape(c).strip() for c in _PIPE.split(body)]
        elif "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
        else:
            cells = [_unescape(line)]
        if not any(cells):
            continue
        if len(cells) > 1:
            locs = tuple([_cell_loc(n, i) for i in range(1, len(cells) + 1)])
        else:
            locs = (_cell_loc(n, None),)
        rows.append(Row(tuple(cells), locs, kind))
    return rows


@functools.lru_cache(maxsize=8192)
def _cell_loc(line: int, column: int | None) -> Location:
    """The (immutable, so shared) location of a cell of a line."""
    return Location(line=line, column=column)
