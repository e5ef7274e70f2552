"""
HTML: a semantic fragment (or a standalone page) with the official tables as real tables.

The fragment is an ``<article class="gd-report">`` with the locale in its
``lang`` attribute; each section is a ``<section class="gd-section
gd-<id>">`` (``gd-general`` … ``gd-other_matters``) with its ``<h2>``.  Tables
are ``<table class="gd-table gd-t2">`` with the national format's merged cells
as ``rowspan``/``colspan``; labels are ``<th>`` with ``scope`` (``col``,
``colgroup``, ``row``, ``rowgroup``), values are ``<td data-key="…">`` with
the cell key, so the numbers can be read back without matching labels.
Section 三 and 四 put their header rows in ``<thead>``; section 二 puts each
part (caption row, header row, data rows) in its own ``<tbody>``.  The
report's extra rows are ``<tr class="gd-extra">`` after the official rows.

Every piece of text is escaped; the output contains no script and no inline
style.  ``standalone=True`` wraps the fragment in a complete page with a small
print-friendly stylesheet (A4, black rules).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
from html import escape

from babel import Locale

from ..layout import CellKind
from ..model import AnnualReport
from ._base import Renderer
from .document import Heading, Paragraph, Table, TableCell

__all__ = ["STYLESHEET", "HtmlRenderer"]

#: The stylesheet of a standalone page, for screen and print (A4).
STYLESHEET = """\
body{font-family:"Noto Serif CJK SC","Noto Serif CJK TC","Source Han Serif",SimSun,serif;
 color:#000;background:#fff;line-height:1.6;max-width:64em;margin:2em auto;padding:0 1em}
h1{font-size:1.5em;text-align:center}
h2{font-size:1.2em;margin-top:1.5em}
h3{font-size:1em}
p{text-indent:2em;margin:.4em 0}
.gd-table{border-collapse:collapse;width:100%;margin:.8em 0;font-size:.85em}
.gd-table th,.gd-table td{border:1px solid #000;padding:.2em .35em;vertical-align:middle}
.gd-table th{font-weight:normal;text-align:center}
.gd-table th[scope=row],.gd-table th[scope=rowgroup]{text-align:left}
.gd-table .gd-caption{font-weight:bold;text-align:left;background:#f2f2f2}
.gd-table .gd-corner{font-size:.85em}
.gd-table td{text-align:center;font-variant-numeric:tabular-nums;white-space:nowrap}
.gd-t3 td{width:5.5%}
.gd-table tr.gd-extra th,.gd-table tr.gd-extra td{font-style:italic}
@page{size:A4;margin:18mm 15mm}
@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}
 .gd-table{page-break-inside:auto}.gd-table tr{page-break-inside:avoid}
 .gd-table thead{display:table-header-group}h2,h3{page-break-after:avoid}}
"""


def _attrs(cell: TableCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


_SCOPE = {
    CellKind.CAPTION: ("colgroup", "colgroup"),
    CellKind.CORNER: ("col", "colgroup"),
    CellKind.HEADER: ("col", "colgroup"),
    CellKind.ROW_LABEL: ("row", "rowgroup"),
}
_CLASS = {CellKind.CAPTION: ' class="gd-caption"', CellKind.CORNER: ' class="gd-corner"'}


def _cell(cell: TableCell, extra: bool) -> str:
    if cell.kind is CellKind.VALUE:
        key = f' data-key="{escape(cell.key)}"' if cell.key else ""
        return f"<td{key}{_attrs(cell)}>{escape(cell.text)}</td>"
    return _label(cell.kind, cell.text, cell.rowspan, cell.colspan, extra)


@functools.lru_cache(maxsize=4096)
def _label(kind: CellKind, text: str, rowspan: int, colspan: int, extra: bool) -> str:
    """A label cell's HTML (cached: the same labels come back in every report)."""
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    if kind is CellKind.CORNER and rowspan > 1:
        # Section 三's corner is a note about the column, not a header.
        return f'<td class="gd-corner"{spans}>{escape(text)}</td>'
    single, group = _SCOPE[kind]
    spanned = rowspan > 1 if kind is CellKind.ROW_LABEL else colspan > 1
    scope = group if spanned and not extra else single
    return f'<th scope="{scope}"{_CLASS.get(kind, "")}{spans}>{escape(text)}</th>'


def _table(table: Table) -> str:
    rows = table.rows()
    out = [f'<table class="gd-table gd-{escape(table.key)}">']
    single_part = len(set(table.row_parts)) == 1
    group = None
    for r, cells in enumerate(rows):
        if single_part:
            want = "thead" if r in table.header_rows else "tbody"
        else:
            want = f"tbody{table.row_parts[r]}"
        if want != group:
            if group is not None:
                out.append(f"</{group[:5]}>")
            out.append(f"<{want[:5]}>")
            group = want
        extra = r in table.extra_rows
        tr = '<tr class="gd-extra">' if extra else "<tr>"
        out.append(tr + "".join(_cell(c, extra) for c in cells) + "</tr>")
    if group is not None:
        out.append(f"</{group[:5]}>")
    out.append("</table>")
    return "\n".join(out)


class HtmlRenderer(Renderer):
    """
    Render a report as HTML.

    Args:
        locale: The locale (one of ``LOCALES``).
        standalone: Return a complete page (``<!DOCTYPE html>``, ``<head>``
            with the title and :data:`~gov_disclosure.HTML_STYLESHEET`) instead of a fragment.

    .. versionadded:: 0.1.0
    """

    def __init__(self, *, locale: Locale | str = "zh_Hans_CN", standalone: bool = False) -> None:
        super().__init__(locale=locale)
        self.standalone = standalone

    def __call__(self, report: AnnualReport) -> str:
        """Render *report*; return the HTML text."""
        doc = self.document(report)
        out = [
            f'<article class="gd-report gd-edition-{doc.edition.value}" lang="{doc.lang}">',
            f'<h1 class="gd-title">{escape(doc.title)}</h1>',
        ]
        if doc.preamble:
            out.append('<div class="gd-preamble">')
            out += [f"<p>{escape(p.text)}</p>" for p in doc.preamble]
            out.append("</div>")
        for section in doc.sections:
            out.append(f'<section class="gd-section gd-{section.id}">')
            out.append(f"<h2>{escape(section.heading)}</h2>")
            for block in section.blocks:
                if isinstance(block, Table):
                    out.append(_table(block))
                elif isinstance(block, Heading):
                    out.append(f"<h3>{escape(block.text)}</h3>")
                elif isinstance(block, Paragraph):
                    out.append(f"<p>{escape(block.text)}</p>")
            out.append("</section>")
        out.append("</article>")
        fragment = "\n".join(out) + "\n"
        if not self.standalone:
            return fragment
        return (
            f'<!DOCTYPE html>\n<html lang="{doc.lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(doc.title)}</title>\n<style>\n{STYLESHEET}</style>\n</head>\n"
            f"<body>\n{fragment}</body>\n</html>\n"
        )
