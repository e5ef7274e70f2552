"""
The filing workbook (XLSX) with openpyxl: the tables to fill in, checking themselves.

Needs the ``xlsx`` extra (``pip install "gov-disclosure[xlsx]"``).

In practice the numbers of the report travel as spreadsheets: a supervising
office sends its agencies a workbook in the official layout, each agency fills
it in, the office collects, checks and adds them up.  This renderer writes
that workbook:

* a cover sheet with the title, the agency, the year and the edition (also in
  the workbook's properties: title, subject, keywords, language and custom
  properties ``agency``, ``year``, ``edition``);
* a text sheet with the title, the preamble and the six sections' headings
  and narratives in order, where a section's table is a link to its sheet;
* one sheet per official table (section 二, 三, 四), laid out by
  :func:`gov_disclosure.layout` with the official merged cells, labels in the
  locale, counts as whole numbers and amounts as numbers (a blank cell stays
  empty, never 0);
* data validation on every value cell (counts: whole numbers of 0 or more;
  the 2019 edition's 本年增/减: whole numbers; amounts: numbers of 0 or more),
  whose input message lists the identities the cell takes part in (rule id
  and description);
* every identity of the rule catalogue that is a sum over cells (row totals,
  the section 三 balance, outcome totals, section 四 group totals) as
  conditional formatting: once the total of an equation is filled in, its
  cells turn red while the sum does not add up.  The formulas are generated
  from the rules' equations, so a new identity appears without code for it.

Totals are left for the filer to type, as the report prints them: a formula
would hide the very errors the checks exist to find.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import copy
import io
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from .._extras import require
from .._messages import M_
from ..catalogue import Edition, ValueKind, catalogue
from ..cells import cells as cell_values
from ..i18n import (
    XLSX_AGENCY,
    XLSX_BAD_VALUE,
    XLSX_CHECKS,
    XLSX_COUNT,
    XLSX_COVER,
    XLSX_EDITION,
    XLSX_EDITION_VALUE,
    XLSX_MONEY,
    XLSX_NARRATIVE,
    XLSX_SEE_SHEET,
    XLSX_SIGNED,
    XLSX_YEAR,
)
from ..layout import CellKind
from ..model import AnnualReport
from ..rules import RULES
from ..rules._equations import _equations
from ._base import Renderer
from .document import Heading, Paragraph, Table

__all__ = ["COVER_NAME", "FormulaCheck", "XlsxRenderer", "check_formula", "formula_checks"]

#: The workbook-level defined name that marks the cover sheet (the reader skips it).
COVER_NAME = "gov_disclosure_cover"

#: Characters a sheet name cannot hold, and its longest length (Excel's limits).
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
#: Fill of a cell whose identity does not add up.
_BROKEN_FILL = "FFC7CE"
_BROKEN_FONT = "9C0006"


def _import_openpyxl() -> Any:
    return require("openpyxl", extra="xlsx", feature=M_('render: the "xlsx" format'))


def _sheet_name(text: str, taken: set[str]) -> str:
    """*text* made a valid, unused sheet name (Excel compares names case-insensitively)."""
    base = _SHEET_BAD.sub(" ", text).strip().strip("'") or "Sheet"
    name = base[:_SHEET_MAX]
    n = 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name = base[: _SHEET_MAX - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


@frozen
class FormulaCheck:
    """
    One identity the workbook checks with a formula: ``sum(lhs) relation sum(rhs)``.

    Attributes:
        rule: The rule's id (``requests.balance``).
        subject: What the equation is about (a column, a row or a group key),
            as in :attr:`Finding.subject <gov_disclosure.Finding.subject>`.
        relation: ``"=="`` or ``"<="``.
        lhs: The cell keys summed on the left.
        rhs: The cell keys summed on the right (the totals the filer types).

    .. versionadded:: 0.1.0
    """

    rule: str
    subject: str
    relation: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


def formula_checks(edition: Edition | str) -> tuple[FormulaCheck, ...]:
    """
    The identities of *edition* that the filing workbook checks with a formula.

    One :class:`FormulaCheck` per equation of the rule catalogue (the rules
    expanded over the catalogue's cells, as :func:`gov_disclosure.check`
    evaluates them), so a new identity is checked in the workbook too.

    >>> checks = formula_checks("2021")
    >>> sorted({c.rule for c in checks})
    ['appeals.total', 'requests.balance', 'requests.outcome_total', 'requests.row_total']

    .. versionadded:: 0.1.0
    """
    ed = edition if isinstance(edition, Edition) else Edition(edition)
    return tuple(FormulaCheck(e.rule, e.subject, e.relation, e.lhs, e.rhs) for e in _equations(ed))


class XlsxRenderer(Renderer):
    """
    Render a report as the filing workbook (bytes of an ``.xlsx`` file).

    ``render(AnnualReport.blank(...), "xlsx")`` is the empty form to send out.

    .. versionadded:: 0.1.0
    """

    grouping = False

    def __call__(self, report: AnnualReport) -> bytes:
        """Render *report*; return the bytes of the ``.xlsx`` file."""
        openpyxl = _import_openpyxl()
        doc = self.document(report)
        loc = self._loc
        wb = openpyxl.Workbook()
        taken: set[str] = set()
        cover = wb.active
        cover.title = _sheet_name(loc.gettext(XLSX_COVER), taken)
        text = wb.create_sheet(_sheet_name(loc.gettext(XLSX_NARRATIVE), taken))
        tables: dict[str, Any] = {}
        for sec in doc.sections:
            for block in sec.blocks:
                if isinstance(block, Table) and block.key != "extra":
                    tables[block.key] = wb.create_sheet(_sheet_name(sec.heading, taken))
        edition = loc.gettext(XLSX_EDITION_VALUE).format(edition=report.edition.value)
        self._cover(openpyxl, cover, doc.title, report, edition)
        self._properties(openpyxl, wb, doc.title, doc.lang, report)
        wb.defined_names[COVER_NAME] = openpyxl.workbook.defined_name.DefinedName(
            COVER_NAME, attr_text=f"{_quote(cover.title)}!$A$1"
        )
        blocks = self._text(openpyxl, text, doc, tables)
        values = cell_values(report)
        places: dict[str, tuple[str, str]] = {}
        for key, ws in tables.items():
            places.update(self._table(openpyxl, ws, blocks[key], values, report.blank_cells))
        self._validation(openpyxl, tables, places, report.edition)
        self._checks(openpyxl, tables, places, report.edition)
        _no_formulas(wb)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    # --- cover, properties, text ------------------------------------------------

    def _cover(
        self, openpyxl: Any, ws: Any, title: str, report: AnnualReport, edition: str
    ) -> None:
        from openpyxl.styles import Alignment, Font

        loc = self._loc
        ws["A1"] = _xml_text(title)
        ws["A1"].font = Font(bold=True, size=16)
        ws["A1"].alignment = Alignment(wrap_text=True, vertical="center")
        ws.merge_cells("A1:B1")
        ws.row_dimensions[1].height = 48
        rows = (
            (loc.gettext(XLSX_AGENCY), _xml_text(report.agency)),
            (loc.gettext(XLSX_YEAR), report.year),
            (loc.gettext(XLSX_EDITION), edition),
        )
        for i, (label, value) in enumerate(rows, start=3):
            ws.cell(row=i, column=1, value=label).font = Font(bold=True)
            ws.cell(row=i, column=2, value=value).alignment = Alignment(horizontal="left")
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 60

    def _properties(
        self, openpyxl: Any, wb: Any, title: str, lang: str, report: AnnualReport
    ) -> None:
        from openpyxl.packaging.custom import IntProperty, StringProperty

        props = wb.properties
        props.title = _xml_text(title)
        props.subject = _xml_text(report.agency)
        props.keywords = (
            f"agency={_xml_text(report.agency)}; year={report.year}; edition={report.edition.value}"
        )
        props.language = lang
        props.creator = "gov-disclosure"
        wb.custom_doc_props.append(StringProperty(name="agency", value=_xml_text(report.agency)))
        wb.custom_doc_props.append(IntProperty(name="year", value=report.year))
        wb.custom_doc_props.append(StringProperty(name="edition", value=report.edition.value))

    def _text(self, openpyxl: Any, ws: Any, doc: Any, tables: dict[str, Any]) -> dict[str, Table]:
        """Write the text sheet; return the rendered tables by key (for their sheets)."""
        from openpyxl.styles import Alignment, Font
        from openpyxl.worksheet.hyperlink import Hyperlink

        loc = self._loc
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 100
        out: dict[str, Table] = {}
        r = 0

        def line(text: str, *, heading: bool = False) -> Any:
            nonlocal r
            r += 1
            cell = ws.cell(row=r, column=1, value=_xml_text(text))
            cell.alignment = wrap
            if heading:
                cell.font = bold
            return cell

        line(doc.title, heading=True).font = Font(bold=True, size=14)
        for p in doc.preamble:
            line(p.text)
        for sec in doc.sections:
            line(sec.heading, heading=True)
            for block in sec.blocks:
                if isinstance(block, Heading):
                    line(block.text, heading=True)
                elif isinstance(block, Paragraph):
                    line(block.text)
                elif block.key in tables:
                    target = tables[block.key].title
                    cell = line(loc.gettext(XLSX_SEE_SHEET).format(sheet=target))
                    cell.hyperlink = Hyperlink(
                        ref=cell.coordinate, location=f"{_quote(target)}!A1", display=cell.value
                    )
                    cell.font = Font(color="0563C1", underline="single")
                    out[block.key] = block
                else:  # extra rows naming no official table, as printed
                    for row in block.rows():
                        r += 1
                        for c in row:
                            ws.cell(row=r, column=c.col + 1, value=_xml_text(c.text) or None)
        return out

    # --- tables -------------------------------------------------------------

    def _table(
        self,
        openpyxl: Any,
        ws: Any,
        table: Table,
        values: Mapping[str, int | Decimal | None],
        blank: frozenset[str],
    ) -> dict[str, tuple[str, str]]:
        """Write *table* on *ws* from A1; return ``{cell key: (sheet, coordinate)}``."""
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.cell_range import CellRange

        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        bold = Font(bold=True)
        styles = _Styles()
        places: dict[str, tuple[str, str]] = {}
        for cell in table.cells:
            r, c = cell.row + 1, cell.col + 1
            target = ws.cell(row=r, column=c)
            number_format = "General"
            if cell.key is not None:
                value = values.get(cell.key)
                if cell.key in blank or value is None:
                    target.value = None
                elif cell.text != self._loc.number(value, grouping=False):
                    target.value = _xml_text(cell.text)  # an amount printed with its unit
                else:
                    target.value = _number(value)
                number_format = "0" if isinstance(value, int) else "General"
                places[cell.key] = (ws.title, target.coordinate)
            else:
                target.value = _xml_text(cell.text) or None
            heading = cell.kind in (CellKind.CAPTION, CellKind.HEADER, CellKind.CORNER)
            styles.apply(
                target,
                alignment=left if cell.kind is CellKind.ROW_LABEL else center,
                font=bold if heading else None,
                border=border,
                number_format=number_format,
            )
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    if (rr, cc) != (r, c):
                        styles.apply(ws.cell(row=rr, column=cc), border=border)
            if cell.rowspan > 1 or cell.colspan > 1:
                # The range is recorded as merged; its other cells are left as
                # written (empty, bordered), which is what openpyxl's
                # merge_cells would do at many times the cost.
                ws.merged_cells.add(
                    CellRange(
                        min_row=r,
                        min_col=c,
                        max_row=r + cell.rowspan - 1,
                        max_col=c + cell.colspan - 1,
                    )
                )
        widths = {0: 14.0, 1: 14.0, 2: 30.0} if table.label_cols == 3 else {}
        for c in range(table.n_cols):
            if c < table.label_cols:
                w = widths.get(c, 36.0 / max(table.label_cols, 1) + 10)
            else:
                w = 11.0
            ws.column_dimensions[get_column_letter(c + 1)].width = w
        _fit_rows(ws, table)
        ws.freeze_panes = None
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return places

    def _validation(
        self,
        openpyxl: Any,
        tables: dict[str, Any],
        places: dict[str, tuple[str, str]],
        edition: Edition,
    ) -> None:
        """Whole numbers or amounts in every value cell; the cell's identities in its input message."""
        from openpyxl.worksheet.datavalidation import DataValidation

        loc = self._loc
        rules = {r.id: r for r in RULES}
        cell_rules: dict[str, list[str]] = defaultdict(list)
        for eq in _equations(edition):
            for key in eq.keys:
                if eq.rule not in cell_rules[key]:
                    cell_rules[key].append(eq.rule)
        groups: dict[tuple[str, ValueKind, str], list[str]] = defaultdict(list)
        cells = catalogue(edition).cells
        for key, (sheet, coord) in places.items():
            kind = cells[key].column.kind
            prompt = " ".join(
                f"{rid}: {loc.label(rules[rid].description)}" for rid in cell_rules.get(key, ())
            )
            groups[(sheet, kind, prompt)].append(coord)
        sheets = {ws.title: ws for ws in tables.values()}
        for (sheet, vk, prompt), coords in groups.items():
            if vk is ValueKind.MONEY:
                dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
                hint = loc.gettext(XLSX_MONEY)
            elif vk is ValueKind.SIGNED:
                dv = DataValidation(
                    type="whole", operator="between", formula1="-999999999", formula2="999999999"
                )
                hint = loc.gettext(XLSX_SIGNED)
            else:
                dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
                hint = loc.gettext(XLSX_COUNT)
            dv.allow_blank = True
            dv.showErrorMessage = True
            dv.errorStyle = "stop"
            dv.errorTitle = _clip(loc.gettext(XLSX_BAD_VALUE), 32)
            dv.error = _clip(hint, 255)
            dv.showInputMessage = True
            dv.promptTitle = _clip(loc.gettext(XLSX_CHECKS) if prompt else hint, 32)
            dv.prompt = _clip(f"{hint} {prompt}".strip(), 255)
            dv.sqref = " ".join(coords)
            sheets[sheet].add_data_validation(dv)

    def _checks(
        self,
        openpyxl: Any,
        tables: dict[str, Any],
        places: dict[str, tuple[str, str]],
        edition: Edition,
    ) -> None:
        """Each equation as conditional formatting over its cells: red while it does not add up."""
        from openpyxl.formatting.formatting import ConditionalFormatting
        from openpyxl.formatting.rule import Rule
        from openpyxl.styles import Font, PatternFill
        from openpyxl.styles.differential import DifferentialStyle
        from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

        fill = PatternFill(start_color=_BROKEN_FILL, end_color=_BROKEN_FILL, fill_type="solid")
        dxf = DifferentialStyle(font=Font(color=_BROKEN_FONT, bold=True), fill=fill)
        ranges: dict[str, Any] = {}  # parsed once per cell: openpyxl parses slowly
        sheets = {ws.title: ws for ws in tables.values()}
        for fc in formula_checks(edition):
            keys = (*fc.lhs, *fc.rhs)
            if not all(k in places for k in keys):
                continue  # an identity over cells without a table cell: not a formula
            home = places[fc.rhs[0]][0]
            lhs = [_ref(places[k], home) for k in fc.lhs]
            formula = check_formula(fc.relation, lhs, [_ref(places[k], home) for k in fc.rhs])
            # Mark the sheet's own cells of the equation (a conditional format
            # applies to the cells of one sheet).
            own = {places[k][1] for k in keys if places[k][0] == home}
            cells = MultiCellRange(
                {ranges.get(c) or ranges.setdefault(c, CellRange(c)) for c in own}
            )
            sheets[home].conditional_formatting.add(
                ConditionalFormatting(sqref=cells),
                Rule(type="expression", formula=[formula], dxf=dxf, stopIfTrue=False),
            )


class _Styles:
    """
    Cell styles set once per combination, then copied: openpyxl hashes every
    style object on every assignment, which dominates writing a workbook.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[int, ...], Any] = {}

    def apply(self, cell: Any, **style: Any) -> None:
        key = tuple(id(v) if not isinstance(v, str) else hash(v) for v in style.values())
        key = (*key, len(style))
        cached = self._cache.get(key)
        if cached is not None:
            cell._style = copy.copy(cached)
            return
        for name, value in style.items():
            if value is not None:
                setattr(cell, name, value)
        self._cache[key] = copy.copy(cell._style)


#: The height of one line of text at the default font, in points.
_LINE_PT = 15


def _fit_rows(ws: Any, table: Table) -> None:
    """
    Give each row the height its wrapped labels need.

    Neither LibreOffice nor Excel fits a row to wrapped text in merged cells,
    and LibreOffice does not fit rows without a height when it opens a
    workbook: a long label (（二）部分公开（区分处理的…）) would print over the
    next row.  A CJK character is about two column-width units wide at the
    default font.
    """
    from openpyxl.utils import get_column_letter

    widths = [
        ws.column_dimensions[get_column_letter(c + 1)].width or 8.43 for c in range(table.n_cols)
    ]
    lines: dict[int, int] = {}
    for cell in table.cells:
        if cell.key is not None or cell.rowspan > 1 or not cell.text:
            continue  # a value, or a label spanning rows (it has their room)
        width = sum(widths[cell.col : cell.col + cell.colspan])
        need = sum(2 if ord(ch) > 0x2E7F else 1 for ch in cell.text)
        n = math.ceil(need / max(width - 1, 1))
        lines[cell.row + 1] = max(lines.get(cell.row + 1, 1), n)
    for r, n in lines.items():
        if n > 1:
            ws.row_dimensions[r].height = _LINE_PT * n


def check_formula(relation: str, lhs: Sequence[str], rhs: Sequence[str]) -> str:
    """
    The spreadsheet formula that is true while ``sum(lhs) relation sum(rhs)`` is broken.

    Nothing is marked until a cell of the right-hand side (the total the filer
    types) is filled in; amounts are compared to four decimals.

    >>> check_formula("==", ["$D$4", "$D$5"], ["$D$27"])
    'AND(COUNT($D$27)>0,ROUND(SUM($D$4,$D$5)-SUM($D$27),4)<>0)'

    Args:
        relation: ``"=="`` or ``"<="``.
        lhs: Cell references summed on the left.
        rhs: Cell references summed on the right.

    .. versionadded:: 0.1.0
    """
    left = f"SUM({','.join(lhs)})"
    right = f"SUM({','.join(rhs)})"
    broken = f"ROUND({left}-{right},4)" + ("<>0" if relation == "==" else ">0")
    return f"AND(COUNT({','.join(rhs)})>0,{broken})"


def _ref(place: tuple[str, str], home: str) -> str:
    sheet, coord = place
    col = coord.rstrip("0123456789")
    absolute = f"${col}${coord[len(col) :]}"
    return absolute if sheet == home else f"{_quote(sheet)}!{absolute}"


def _number(value: int | Decimal) -> int | float | str:
    """A count as an int; an amount as a float when that keeps every digit, else as its text."""
    if isinstance(value, int):
        return value
    f = float(value)
    return f if Decimal(repr(f)) == value else str(value)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# XML 1.0 cannot hold most C0 control characters (see the DOCX renderer).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _no_formulas(wb: Any) -> None:
    """
    Keep every text as text: the workbook's cells hold no formula.

    openpyxl takes a string that starts with ``=`` for a formula, so an
    agency, a label or a paragraph of the report printed so (``=HYPERLINK(…)``,
    ``=1+1``) would run when the workbook is opened (OWASP's formula
    injection).  The checks are conditional formats, not cells: every cell
    typed a formula holds the report's text, and is typed a string again.
    """
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _xml_text(text: str) -> str:
    if not _XML_ILLEGAL.search(text):
        return text
    return _XML_ILLEGAL.sub(lambda m: " " if m.group() in "\x0b\x0c" else "\ufffd", text)
