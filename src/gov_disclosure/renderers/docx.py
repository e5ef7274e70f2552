"""
Word documents (DOCX) with python-docx: official headings, real merged cells, A4.

Needs the ``docx`` extra (``pip install "gov-disclosure[docx]"``).

The document is A4 portrait with 2 cm margins; text is set in SimSun (宋体)
for Chinese (the East Asian font) and Times New Roman otherwise, headings in
SimHei (黑体), all black.  The title is centred; each section has its official
heading as a level-1 heading, section 一's subsections level-2 headings.
Tables use the built-in ``Table Grid`` style (thin black rules on every cell,
which print cleanly), 9 pt text, the national format's merged cells as real
merges (``gridSpan`` / ``vMerge``), the header rows repeated on every page,
and column widths that give the row labels room (42 % of the width).
Values are centred; blank cells are empty.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import io
import re
from typing import Any

from .._extras import require
from .._messages import M_
from ..model import AnnualReport
from ._base import Renderer
from .document import Heading, Paragraph, Table

__all__ = ["DocxRenderer"]

#: Fonts: Latin, East Asian.
BODY_FONTS = ("Times New Roman", "SimSun")
HEADING_FONTS = ("Times New Roman", "SimHei")


def _import_docx() -> Any:
    return require("docx", extra="docx", feature=M_('render: the "docx" format'))


def _fonts(style: Any, fonts: tuple[str, str], size: float | None, *, bold: bool | None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style.font
    font.name = fonts[0]
    font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), fonts[1])
    rfonts.set(qn("w:ascii"), fonts[0])
    rfonts.set(qn("w:hAnsi"), fonts[0])


#: The longest text python-docx stores in a core property (the title).
_PROPERTY_MAX = 255


def _property(text: str) -> str:
    """*text* cut to fit a document property, with an ellipsis (the body keeps it whole)."""
    return text if len(text) <= _PROPERTY_MAX else text[: _PROPERTY_MAX - 1] + "…"


def _plain_title(style: Any) -> None:
    """Drop the default template's coloured rule under the title."""
    from docx.oxml.ns import qn

    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _widths(table: Table, total_mm: float) -> list[float]:
    """Column widths in mm: row labels get 42 % of the width, data columns share the rest."""
    n_data = table.n_cols - table.label_cols
    if table.label_cols == 0:
        return [total_mm / table.n_cols] * table.n_cols
    shares = {1: (1.0,), 2: (0.3, 0.7), 3: (0.16, 0.26, 0.58)}.get(
        table.label_cols, (1 / table.label_cols,) * table.label_cols
    )
    labels = [0.42 * total_mm * s for s in shares]
    return labels + [0.58 * total_mm / n_data] * n_data


class DocxRenderer(Renderer):
    """
    Render a report as a Word document (bytes of a ``.docx`` file).

    .. versionadded:: 0.1.0
    """

    #: Text width on A4 with 20 mm margins.
    TEXT_WIDTH_MM = 170.0

    def __call__(self, report: AnnualReport) -> bytes:
        """Render *report*; return the bytes of the ``.docx`` file."""
        docx = _import_docx()
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        doc = self.document(report)
        word = docx.Document()
        section = word.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        styles = word.styles
        _fonts(styles["Normal"], BODY_FONTS, 12, bold=None)
        _fonts(styles["Title"], HEADING_FONTS, 18, bold=True)
        _plain_title(styles["Title"])
        _fonts(styles["Heading 1"], HEADING_FONTS, 14, bold=True)
        _fonts(styles["Heading 2"], HEADING_FONTS, 12, bold=True)
        word.core_properties.title = _property(_xml_text(doc.title))
        word.core_properties.language = doc.lang

        title = word.add_paragraph(_xml_text(doc.title), style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for p in doc.preamble:
            word.add_paragraph(_xml_text(p.text))
        for sec in doc.sections:
            word.add_heading(_xml_text(sec.heading), level=1)
            for block in sec.blocks:
                if isinstance(block, Table):
                    self._table(word, block, Mm, Pt, WD_ALIGN_PARAGRAPH)
                elif isinstance(block, Heading):
                    word.add_heading(_xml_text(block.text), level=2)
                elif isinstance(block, Paragraph):
                    word.add_paragraph(_xml_text(block.text))
        buf = io.BytesIO()
        word.save(buf)
        return buf.getvalue()

    def _table(self, word: Any, table: Table, mm: Any, pt: Any, align: Any) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.oxml.ns import qn

        grid = word.add_table(rows=table.n_rows, cols=table.n_cols)
        grid.style = word.styles["Table Grid"]
        grid.autofit = False
        # Narrow cell margins (1 mm) leave room for wide tables (section 四 has 15 columns).
        tblpr = grid._tbl.tblPr
        margins = tblpr.makeelement(qn("w:tblCellMar"), {})
        for side in ("left", "right"):
            margins.append(
                margins.makeelement(qn(f"w:{side}"), {qn("w:w"): "57", qn("w:type"): "dxa"})
            )
        tblpr.append(margins)
        size = pt(9 if table.n_cols <= 10 else 8)
        rows = grid.rows
        cells = [row.cells for row in rows]
        widths = [mm(w) for w in _widths(table, self.TEXT_WIDTH_MM)]
        for c, column in enumerate(grid.columns):
            column.width = widths[c]
            for r in range(table.n_rows):
                cells[r][c].width = widths[c]
        for row in rows:  # a row is never split across pages
            trpr = row._tr.get_or_add_trPr()
            trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))
        if len(set(table.row_parts)) == 1:  # a multi-part table has no single header
            for r in sorted(table.header_rows):
                trpr = rows[r]._tr.get_or_add_trPr()
                trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
        for cell in table.cells:
            target = cells[cell.row][cell.col]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(
                    cells[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1]
                )
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = target.paragraphs[0]
            run = paragraph.add_run(_xml_text(cell.text))
            run.font.size = size
            kind = cell.kind.value
            if kind == "caption":
                run.font.bold = True
            elif kind == "row_label":
                paragraph.alignment = align.LEFT
            else:
                paragraph.alignment = align.CENTER
        word.add_paragraph()


# XML 1.0 cannot hold C0 control characters other than tab, newline and
# carriage return (text copied from PDFs often has form feeds).  Vertical tab
# and form feed become a space; the others, which carry no text, become U+FFFD
# so that their presence stays visible.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """*text* made writable in a Word document (see ``_XML_ILLEGAL``)."""
    if not _XML_ILLEGAL.search(text):
        return text
    return _XML_ILLEGAL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "\ufffd", text)
