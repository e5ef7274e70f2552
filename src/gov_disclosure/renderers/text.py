"""
Plain text: the shape published reports have when flattened, one table row per line.

Layout of the output (the parser reads it back):

* the title on the first line, then the preamble's paragraphs;
* each section: its official heading (``一、总体情况``) on its own line, then
  its paragraphs, its table, and in section 六 one sentence per stated
  信息处理费 figure;
* section 一's subsection headings on their own line after ``### `` (the one
  mark the text adds to the published shape: flattened text cannot otherwise
  tell a heading from a paragraph, and the parser reads it as in Markdown);
* every block (heading, paragraph, table) is separated from the next by one
  blank line; a table has no blank line inside it;
* a table is written one grid row per line, the cells separated by a TAB
  (labels first, then values).  A cell's text is written in the row and
  column where it starts; a row-spanning cell leaves an empty field in the
  rows below it (at its column), a column-spanning cell takes one field only.
  This is how the national format's merged cells come out when a published
  table is flattened: ``\\t（二）部分公开…`` follows ``三、本年度办理结果\\t（一）予以公开…``.
* numbers are written with babel's symbols for the locale and its digit
  grouping (``1,234``; amounts keep every decimal they hold: ``4,068.208``);
  a blank cell (``report.blank_cells``) is an empty field.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from ..model import AnnualReport
from ._base import Renderer
from .document import Heading, Paragraph, Table

__all__ = ["TextRenderer", "table_lines"]

#: The separator between the cells of a table row.
SEP = "\t"
#: The mark before a subsection heading.
HEADING_MARK = "### "


def table_lines(table: Table) -> list[str]:
    """Return *table* as lines of TAB-separated fields (see the module docs)."""
    grid = table.grid()
    lines = []
    for r, row in enumerate(grid):
        fields = []
        for c, cell in enumerate(row):
            if cell.col != c:
                continue  # inside a column span: the cell was written at its left edge
            fields.append(cell.text if cell.row == r else "")
        lines.append(SEP.join(fields))
    return lines


class TextRenderer(Renderer):
    """
    Render a report as plain text (see the module docs for the exact shape).

    >>> import gov_disclosure as gd
    >>> out = TextRenderer(locale="en")(gd.AnnualReport(agency="Bureau", year=2021))
    >>> out.splitlines()[0]
    'Bureau: Annual Report on Government Information Disclosure for 2021'

    .. versionadded:: 0.1.0
    """

    def __call__(self, report: AnnualReport) -> str:
        """Render *report*; return the text, ending with a newline."""
        doc = self.document(report)
        blocks: list[str] = [doc.title]
        blocks += [p.text for p in doc.preamble]
        for section in doc.sections:
            blocks.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Table):
                    blocks.append("\n".join(table_lines(block)))
                elif isinstance(block, Heading):
                    blocks.append(HEADING_MARK + block.text)
                elif isinstance(block, Paragraph):
                    blocks.append(block.text)
        return "\n\n".join(blocks) + "\n"
