"""
GitHub-flavoured Markdown: headings, paragraphs and pipe tables.

Pipe tables have no merged cells, so spans are written as in the flattened
text: a spanning cell's text is in the position where it starts (its top-left
corner) and every other position it covers is an empty cell; each table row
has exactly as many cells as the table has grid columns.  The first grid row
is the pipe table's header row (a caption, or the top header row).  ``|`` and
Markdown punctuation in any text are backslash-escaped, so an agency name or
a paragraph cannot inject markup.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import re

from ..layout import CellKind
from ..model import AnnualReport
from ._base import Renderer
from .document import Heading, Paragraph, Table

__all__ = ["MarkdownRenderer", "escape"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|&!~])")
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])(\s)")
_LINE_START = re.compile(r"^(\s*)([-+=])")


def escape(text: str) -> str:
    """
    Escape *text* so Markdown shows it literally inline (backslash escapes, one line).

    >>> print(escape("<b>A|B</b> & *c*"))
    \\<b\\>A\\|B\\</b\\> \\& \\*c\\*
    """
    return _SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def _block(text: str) -> str:
    """Escape a paragraph, including what would start a list, quote or heading."""
    out = _LIST_START.sub(r"\1\2\\\3\4", escape(text))
    return _LINE_START.sub(r"\1\\\2", out)


_cell = functools.lru_cache(maxsize=4096)(escape)  # labels repeat across reports


def _table(table: Table) -> str:
    grid = table.grid()
    lines = []
    for r, row in enumerate(grid):
        fields = [
            _cell(cell.text) if (cell.row, cell.col) == (r, c) else "" for c, cell in enumerate(row)
        ]
        # A value spanning the last columns (section 二's 2019 rows) ends its
        # row (GFM fills a short row): trailing empty cells after a value
        # would read like blank values, and a blank value must stay in place.
        end = len(row)
        while end > 1 and row[end - 1].kind is CellKind.VALUE and row[end - 1].col < end - 1:
            end -= 1
        fields = fields[:end]
        lines.append("| " + " | ".join(fields) + " |")
        if r == 0:
            lines.append("|" + "|".join("---" for _ in row) + "|")
    return "\n".join(lines)


class MarkdownRenderer(Renderer):
    """
    Render a report as GitHub-flavoured Markdown.

    .. versionadded:: 0.1.0
    """

    def __call__(self, report: AnnualReport) -> str:
        """Render *report*; return the Markdown text, ending with a newline."""
        doc = self.document(report)
        blocks = ["# " + escape(doc.title)]
        blocks += [_block(p.text) for p in doc.preamble]
        for section in doc.sections:
            blocks.append("## " + escape(section.heading))
            for block in section.blocks:
                if isinstance(block, Table):
                    blocks.append(_table(block))
                elif isinstance(block, Heading):
                    blocks.append("### " + escape(block.text))
                elif isinstance(block, Paragraph):
                    blocks.append(_block(block.text))
        return "\n\n".join(blocks) + "\n"
