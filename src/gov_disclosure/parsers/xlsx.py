"""
Reading Excel workbooks (``.xlsx``) safely, without running or fetching anything.

A workbook is a zip of XML parts, so it gets the defences of the DOCX reader
(``parsers/docx.py``): the declared uncompressed size of every part is checked before
it is read, a part compressed beyond a zip bomb's ratio is refused, and so is
any document type declaration (Excel never writes one).  The XML is read with
the standard library's parser after that check; nothing else of the package
is opened: macros (``vbaProject.bin``), external links (``externalLinks/``),
connections and embedded objects are never read, let alone run or followed.
Formulas are never evaluated: a formula cell is read as the value the
spreadsheet program saved with it.

The rows of every visible sheet are read in workbook order; a cell is read
once, in the row where it starts (a merged range's other cells are empty).
A cell whose internal link (``#'Sheet'!A1``) points at another sheet stands
for that sheet: the linked sheet's rows are read in its place, which keeps
the filing workbook's narratives and tables in the report's order.  The sheet
the workbook names as its cover (:data:`gov_disclosure.renderers.xlsx.COVER_NAME`)
is skipped: the text sheet repeats its title.

A row with two or more non-empty cells, or whose one cell is merged or not in
the sheet's first column, is a table row; a one-cell row in a bold font is a
heading; any other row a paragraph.  Numbers are written as plain decimals
(``1.5E3`` as ``1500``, ``12.0`` as ``12``, the noise of a float sum rounded
away); text is kept as typed (numbers stored as text, full-width digits: the
assembler reads them).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal, InvalidOperation
from posixpath import join as urljoin
from posixpath import normpath

from .._messages import M_
from ..errors import ParseError
from ._doc import Location, Row
from .docx import _ZIP_ERRORS, MAX_PART_BYTES, _part

__all__ = ["MAX_CELLS", "MAX_SHEETS", "is_document", "is_workbook", "number_text", "read_xlsx"]

#: The most non-empty cells read from one workbook, all sheets together (a report has under 400).
MAX_CELLS = 200_000
#: The most sheets read from one workbook.
MAX_SHEETS = 256

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_COVER = "gov_disclosure_cover"


def _refuse_declarations(data: bytes, name: str) -> None:
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise ParseError(
            M_(
                "{name} declares a document type or entities, which Excel never writes; refused",
                name=name,
            ),
            location=name,
        )


def _xml(data: bytes, name: str) -> ET.Element:
    _refuse_declarations(data, name)
    try:
        return ET.fromstring(data)
    except ET.ParseError as e:
        raise ParseError(
            M_("{name} is not well-formed XML: {e}", name=name, e=e), location=name
        ) from None


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _ref(ref: str | None) -> tuple[int, int] | None:
    """``"B7"`` -> ``(7, 2)`` (row, column); ``None`` for anything else."""
    m = _REF.fullmatch((ref or "").strip().upper())
    if m is None:
        return None
    return int(m.group(2)), _column_number(m.group(1))


def _string(si: ET.Element) -> str:
    """The text of a shared or inline string (rich text runs joined, phonetic runs left out)."""
    parts = [t.text or "" for t in si.findall(f"{_M}t")]
    for r in si.findall(f"{_M}r"):
        parts += [t.text or "" for t in r.findall(f"{_M}t")]
    return "".join(parts)


def number_text(value: str) -> str:
    """
    A number as the workbook stores it, written as a plain decimal.

    >>> number_text("12.0"), number_text("1.5E3"), number_text("0.30000000000000004")
    ('12', '1500', '0.3')
    """
    try:
        d = Decimal(value.strip())
    except InvalidOperation:
        return value
    if not d.is_finite():
        return value
    digits = len(d.as_tuple().digits)
    if digits > 15:  # a binary float's noise (a sum computed by the spreadsheet)
        d = Decimal(format(float(d), ".15g"))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


class _Book:
    """The parts of a workbook the reader needs, read with the size checks."""

    def __init__(self, z: zipfile.ZipFile) -> None:
        self.z = z
        self.count = 0  # non-empty cells read, in all sheets
        # Each part is limited on its own when read; all of them together
        # too, before any is read: 256 sheets of 16 MiB each would be 4 GiB.
        xml = sum(i.file_size for i in z.infolist() if i.filename.endswith((".xml", ".rels")))
        if xml > MAX_PART_BYTES:
            raise ParseError(
                M_(
                    "the workbook's XML parts would expand to {xml} bytes in all (limit {limit}); refused",
                    xml=xml,
                    limit=MAX_PART_BYTES,
                )
            )
        workbook = self.part("xl/workbook.xml")
        if workbook is None:
            raise ParseError(M_("not an Excel workbook (.xlsx): xl/workbook.xml is missing"))
        self.root = _xml(workbook, "xl/workbook.xml")
        rels = self.part("xl/_rels/workbook.xml.rels")
        self.targets: dict[str, str] = {}
        if rels is not None:
            for rel in _xml(rels, "xl/_rels/workbook.xml.rels").iter(f"{_PR}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue  # never followed
                target = rel.get("Target") or ""
                path = target.lstrip("/") if target.startswith("/") else urljoin("xl", target)
                self.targets[rel.get("Id") or ""] = normpath(path)
        shared = self.part("xl/sharedStrings.xml")
        self.strings = (
            [_string(si) for si in _xml(shared, "xl/sharedStrings.xml").iter(f"{_M}si")]
            if shared is not None
            else []
        )
        styles = self.part("xl/styles.xml")
        self.bold: list[bool] = []
        if styles is not None:
            root = _xml(styles, "xl/styles.xml")
            fonts = root.find(f"{_M}fonts")
            bold_fonts = [
                f.find(f"{_M}b") is not None
                and (f.find(f"{_M}b").get("val") or "1") not in ("0", "false")  # type: ignore[union-attr]
                for f in (fonts if fonts is not None else [])
            ]
            xfs = root.find(f"{_M}cellXfs")
            for xf in xfs if xfs is not None else []:
                i = _int(xf.get("fontId"))
                self.bold.append(0 <= i < len(bold_fonts) and bold_fonts[i])

    def part(self, name: str) -> bytes | None:
        try:
            return _part(self.z, name)
        except _ZIP_ERRORS as e:
            raise ParseError(M_("damaged Excel workbook: {e}", e=e), location=name) from None

    def sheets(self) -> list[tuple[str, str]]:
        """The visible worksheets in workbook order: ``(name, part)``."""
        out = []
        sheets = self.root.find(f"{_M}sheets")
        for s in sheets if sheets is not None else []:
            if s.get("state") in ("hidden", "veryHidden"):
                continue
            target = self.targets.get(s.get(f"{_R}id") or "")
            if target is None or not target.startswith("xl/worksheets/"):
                continue  # a chart sheet, or a sheet whose part is missing
            out.append((s.get("name") or "", target))
        if len(out) > MAX_SHEETS:
            raise ParseError(
                M_(
                    "the workbook has {n} sheets, more than {MAX_SHEETS}; refused",
                    n=len(out),
                    MAX_SHEETS=MAX_SHEETS,
                )
            )
        return out

    def cover(self) -> str | None:
        """The sheet the writer marked as its cover (a defined name), if any."""
        names = self.root.find(f"{_M}definedNames")
        for dn in names if names is not None else []:
            if dn.get("name") == _COVER and dn.text:
                sheet = dn.text.rsplit("!", 1)[0]
                if sheet.startswith("'") and sheet.endswith("'"):
                    sheet = sheet[1:-1].replace("''", "'")
                return sheet
        return None


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1


# What an element of a worksheet is to the reader, decided when its start tag
# is parsed from its parent's role and its own tag (Sheet._read).  Roles from
# _KEEP on are kept until the cell they are in is read; the others are
# dropped when they end, once read if they are read.
_ROOT = 0  # (the parent of the worksheet element)
_SHEET = 1  # the worksheet
_DATA = 2  # its first sheetData
_ROW = 3  # a row (any child of sheetData)
_CELL = 4  # a cell of a row, read when it ends
_MERGES = 5  # the first mergeCells
_MERGE = 6  # a merged range (any child of mergeCells), read when it ends
_LINKS = 7  # the first hyperlinks
_LINK = 8  # a link (any child of hyperlinks), read when it ends
_SKIP = 9  # not read
_KEEP = 10  # a cell's first value (v) or a text (t) of its inline string
_STRING = 11  # a cell's first inline string (is)
_RUN = 12  # a rich text run of an inline string
_FIRST = {f"{_M}sheetData": _DATA, f"{_M}mergeCells": _MERGES, f"{_M}hyperlinks": _LINKS}


class _Sheet:
    """One worksheet: its non-empty cells, merged ranges and internal links."""

    def __init__(self, book: _Book, name: str, index: int, data: bytes, part: str) -> None:
        self.name = name
        self.index = index
        self.cells: dict[int, list[tuple[int, str, bool]]] = {}  # row -> (column, text, bold)
        # The top-left cell of every merged range, and the range's other cells.
        self.merged: set[tuple[int, int]] = set()
        self.covered: set[tuple[int, int]] = set()
        # The columns that hold something in some row (a column empty in every
        # row, as a spacer between labels and values, is no column of a table).
        self.columns: set[int] = set()
        self.links: dict[tuple[int, int], str] = {}  # cell -> the sheet it links to
        self._read(book, data, part)
        self.columns.update(c for cells in self.cells.values() for c, _, _ in cells)

    def _read(self, book: _Book, data: bytes, part: str) -> None:
        """
        Read the sheet's cells, merged ranges and links as their end tags are parsed.

        Every element is dropped from the tree once read or, if the reader
        does not read it (column widths, formulas, anything unknown), once it
        ends: the tree never holds more than one cell, merged range or link
        and the open elements around it, so memory stays near the size of
        the cells kept, not a multiple of the part's XML.  As before, only
        the first ``sheetData``, ``mergeCells`` and ``hyperlinks`` of the
        worksheet count, every child of ``sheetData`` is a row, and a cell's
        value is its first ``v`` or ``is``.
        """
        _refuse_declarations(data, part)
        elements: list[ET.Element] = []
        roles: list[int] = []
        # How many children each open element keeps (those not dropped): the
        # index of the next child to drop.  The parser runs ahead of the
        # events, so a child ending is not always its parent's last one yet.
        kept: list[int] = []
        seen: set[str] = set()  # the worksheet's children met so far
        r = c = 0  # the current row's number, the column of its last cell read
        value = inline = False  # the current cell's v, is met
        try:
            for event, el in ET.iterparse(io.BytesIO(data), events=("start", "end")):
                if event == "start":
                    parent = roles[-1] if roles else _ROOT
                    role = _SKIP
                    if parent == _ROOT:
                        role = _SHEET
                    elif parent == _SHEET:
                        if el.tag not in seen:
                            role = _FIRST.get(el.tag, _SKIP)
                        seen.add(el.tag)
                    elif parent == _DATA:
                        role = _ROW
                        r = _int(el.get("r")) if el.get("r") else r + 1
                        c = 0
                    elif parent == _ROW:
                        if el.tag == f"{_M}c":
                            role = _CELL
                            value = inline = False
                    elif parent == _CELL:
                        if el.tag == f"{_M}v" and not value:
                            role, value = _KEEP, True
                        elif el.tag == f"{_M}is" and not inline:
                            role, inline = _STRING, True
                    elif parent in (_STRING, _RUN):
                        if el.tag == f"{_M}t":
                            role = _KEEP
                        elif el.tag == f"{_M}r" and parent == _STRING:
                            role = _RUN
                    elif parent in (_MERGES, _LINKS):
                        role = parent + 1  # _MERGE, _LINK: any child, as before
                    elements.append(el)
                    roles.append(role)
                    kept.append(0)
                    continue
                elements.pop()
                role = roles.pop()
                kept.pop()
                if role >= _KEEP:
                    kept[-1] += 1
                    continue  # part of the cell being read
                if role == _CELL:
                    c = self._cell(book, el, r, c)
                elif role == _MERGE:
                    self._merge(el)
                elif role == _LINK:
                    self._link(el)
                if elements:
                    del elements[-1][kept[-1]]  # el, after the siblings kept
        except ET.ParseError as e:
            raise ParseError(
                M_("{name} is not well-formed XML: {e}", name=part, e=e), location=part
            ) from None

    def _cell(self, book: _Book, cell: ET.Element, r: int, c: int) -> int:
        """Read *cell* of row *r* (the previous cell of the row in column *c*): its column."""
        pos = _ref(cell.get("r"))
        c = pos[1] if pos is not None else c + 1
        text = self._text(book, cell)
        if text is None or not text.strip():
            return c
        book.count += 1
        if book.count > MAX_CELLS:
            raise ParseError(
                M_(
                    "the workbook has more than {MAX_CELLS} non-empty cells; refused",
                    MAX_CELLS=MAX_CELLS,
                ),
                location=f"sheet {self.name}",
            )
        s = _int(cell.get("s"))
        bold = 0 <= s < len(book.bold) and book.bold[s]
        self.cells.setdefault(r, []).append((c, text, bold))
        return c

    def _merge(self, m: ET.Element) -> None:
        ref = (m.get("ref") or "").split(":")
        if len(ref) != 2:
            return
        a, b = _ref(ref[0]), _ref(ref[1])
        if a is None or b is None or a == b:
            return
        self.merged.add(a)
        if (b[0] - a[0] + 1) * (b[1] - a[1] + 1) > MAX_CELLS:
            raise ParseError(
                M_(
                    "sheet {name} merges more than {MAX_CELLS} cells; refused",
                    name=self.name,
                    MAX_CELLS=MAX_CELLS,
                ),
                location=f"sheet {self.name}",
            )
        for rr in range(a[0], b[0] + 1):
            for cc in range(a[1], b[1] + 1):
                if (rr, cc) != a:
                    self.covered.add((rr, cc))

    def _link(self, h: ET.Element) -> None:
        where = h.get("location")
        pos = _ref(h.get("ref"))
        if where and pos is not None and "!" in where:
            sheet = where.lstrip("#").rsplit("!", 1)[0]
            if sheet.startswith("'") and sheet.endswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            self.links[pos] = sheet

    @staticmethod
    def _text(book: _Book, cell: ET.Element) -> str | None:
        kind = cell.get("t") or "n"
        if kind == "inlineStr":
            inline = cell.find(f"{_M}is")
            return _string(inline) if inline is not None else None
        v = cell.find(f"{_M}v")
        if v is None or v.text is None:
            return None
        if kind == "s":
            i = _int(v.text)
            if not 0 <= i < len(book.strings):
                raise ParseError(
                    M_(
                        "cell {cell} points at shared string {text}, which does not exist",
                        cell=cell.get("r"),
                        text=v.text,
                    ),
                )
            return book.strings[i]
        if kind == "n":
            return number_text(v.text)
        return v.text  # str (a formula's text), b (0/1), e (#REF!...), d (ISO date)


def _location(sheet: _Sheet, row: int, column: int) -> Location:
    return Location(
        table=sheet.index,
        row=row,
        column=column,
        sheet=sheet.name,
        cell=f"{_column_letters(column)}{row}",
    )


def _names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist())
    except _ZIP_ERRORS:
        return set()


def is_workbook(data: bytes) -> bool:
    """Whether *data* is a zip holding ``xl/workbook.xml`` and no ``word/document.xml``."""
    names = _names(data)
    return "xl/workbook.xml" in names and "word/document.xml" not in names


def is_document(data: bytes) -> bool:
    """Whether *data* is a zip holding ``word/document.xml`` and no ``xl/workbook.xml``."""
    names = _names(data)
    return "word/document.xml" in names and "xl/workbook.xml" not in names


def read_xlsx(data: bytes) -> list[Row]:
    """
    Turn the bytes of an ``.xlsx`` file into rows.

    Raises:
        ParseError: not a workbook, a zip bomb, entity declarations, malformed
            XML, or more cells or sheets than a report could have.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as e:
        raise ParseError(M_("not an Excel workbook (.xlsx): {e}", e=e)) from None
    with z:
        book = _Book(z)
        sheets: dict[str, _Sheet] = {}
        for index, (name, part) in enumerate(book.sheets(), start=1):
            raw = book.part(part)
            if raw is None:
                raise ParseError(
                    M_("the workbook's sheet {name} ({part}) is missing", name=name, part=part),
                    location=part,
                )
            sheets[name] = _Sheet(book, name, index, raw, part)
    if not sheets:
        raise ParseError(M_("the workbook has no worksheet"))
    cover = book.cover()
    linked = {t for s in sheets.values() for t in s.links.values() if t in sheets and t != s.name}
    rows: list[Row] = []
    done: set[str] = set()

    def emit(sheet: _Sheet) -> None:
        done.add(sheet.name)
        first = min((c for cells in sheet.cells.values() for c, _, _ in cells), default=1)
        # The first column of the table row just above (a row of the same
        # table starts there: its empty leading cells are blank values).
        above: tuple[int, int] | None = None
        for r in sorted(sheet.cells):
            cells = sorted(sheet.cells[r])
            target = next((sheet.links[(r, c)] for c, _, _ in cells if (r, c) in sheet.links), None)
            if target is not None and target in sheets and target not in done:
                emit(sheets[target])
                continue
            locs: tuple[Location, ...] = (_location(sheet, r, cells[0][0]),)
            c0, _, bold = cells[0]
            # (A lone label right under a table row, not bold, is a row of
            # that table whose values are all blank.)
            if (
                len(cells) > 1
                or (r, c0) in sheet.merged
                or c0 != first
                or (above is not None and above[0] == r - 1 and not bold)
            ):
                # A table row: every cell from the first, empty ones too (a
                # blank cell holds its place), but not the other cells of a
                # merged range nor columns that are empty in the whole sheet.
                kind = "tr"
                found = {c: t for c, t, _ in cells}
                start = min(c0, above[1]) if above is not None and above[0] == r - 1 else c0
                above = (r, start)
                columns = [
                    c for c in sorted(sheet.columns) if c >= start and (r, c) not in sheet.covered
                ]
                texts = tuple(" ".join(found.get(c, "").split()) for c in columns)
                locs = tuple(_location(sheet, r, c) for c in columns)
            else:
                kind = "h" if bold else "p"
                texts = (cells[0][1].strip(),)
            rows.append(Row(texts, locs, kind))

    for name, sheet in sheets.items():
        if name == cover and len(sheets) > 1:
            continue
        if name in linked or name in done:
            continue
        emit(sheet)
    for name, sheet in sheets.items():  # sheets linked only from the cover or from each other
        if name not in done and name != cover:
            emit(sheet)
    return rows
