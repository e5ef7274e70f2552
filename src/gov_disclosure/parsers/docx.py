"""
Reading Word documents (``.docx``) safely.

A ``.docx`` file is a zip of XML parts, so a hostile one can be a zip bomb
(tiny compressed, huge uncompressed) or carry XML entity expansion ("billion
laughs").  This reader checks the declared uncompressed size of the parts it
reads before reading them, refuses any document type declaration (Word never
writes one), and parses with entity resolution and network access off.  It
reads ``word/document.xml`` directly: paragraphs become paragraphs (Word's
heading styles become headings), tables become rows of cells, a merged cell
printed once (``gridSpan`` is one cell, a ``vMerge`` continuation is not
printed again).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any

from .._extras import require
from .._messages import M_
from ..errors import ParseError
from ._doc import MAX_CELLS, Location, Row, too_many_cells

__all__ = ["MAX_PART_BYTES", "read_docx"]

#: The largest uncompressed ``word/document.xml`` (and styles part) accepted:
#: the declared size is checked before reading, and reading stops there
#: whatever the header says.  A real report's document part is well under a
#: megabyte (pictures are other parts).
MAX_PART_BYTES = 8 * 1024 * 1024
#: The largest compression ratio accepted for a part (zip bombs exceed it).
MAX_RATIO = 200

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(z: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise ParseError(
            M_(
                "{name} would expand to {file_size} bytes (limit {MAX_PART_BYTES}); refused",
                name=name,
                file_size=info.file_size,
                MAX_PART_BYTES=MAX_PART_BYTES,
            ),
            location=name,
        )
    if (
        info.compress_size
        and info.file_size / info.compress_size > MAX_RATIO
        and info.file_size > 1 << 20
    ):
        raise ParseError(
            M_(
                "{name} is compressed {ratio}:1 (a zip bomb?); refused",
                name=name,
                ratio=info.file_size // info.compress_size,
            ),
            location=name,
        )
    with z.open(info) as f:
        data = f.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:  # pragma: no cover -- zipfile stops at the declared size
        raise ParseError(
            M_("{name} is larger than its header says; refused", name=name), location=name
        )
    return data


#: How the XML parts are parsed: no entities, no network, no DTD, libxml2's
#: default limits on depth and text size; comments and processing
#: instructions dropped as they are parsed (nothing reads them, and kept they
#: were nodes of the tree until their parent ended: 20 times their bytes).
_SAFE = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "remove_comments": True,
    "remove_pis": True,
}


def _refuse_declarations(data: bytes, name: str) -> None:
    head = data[:2048].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise ParseError(
            M_(
                "{name} declares a document type or entities, which Word never writes; refused",
                name=name,
            ),
            location=name,
        )


def _xml(data: bytes, name: str) -> Any:
    etree = require("lxml.etree", extra="docx", feature=M_("parsing DOCX"))

    _refuse_declarations(data, name)
    parser = etree.XMLParser(**_SAFE)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ParseError(
            M_("{name} is not well-formed XML: {e}", name=name, e=e), location=name
        ) from None


def _decompressor_errors() -> tuple[type[Exception], ...]:
    # zipfile reads LZMA and bzip2 entries when Python was built with them;
    # their damaged data raises the modules' own errors.
    out: list[type[Exception]] = []
    try:
        import lzma

        out.append(lzma.LZMAError)
    except ImportError:  # pragma: no cover -- Python built without lzma
        pass
    return tuple(out)


#: What zipfile and its decompressors raise on a damaged or unsupported
#: archive (a mutated header can claim an unknown zip version:
#: NotImplementedError; a damaged LZMA entry: lzma.LZMAError; bzip2: OSError).
_ZIP_ERRORS: tuple[type[Exception], ...] = (
    *_decompressor_errors(),
    zipfile.BadZipFile,
    zlib.error,
    ValueError,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)


def read_docx(data: bytes) -> list[Row]:
    """
    Turn the bytes of a ``.docx`` file into rows.

    Raises:
        ParseError: not a Word document, a zip bomb, entity declarations, or
            malformed XML.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as e:
        raise ParseError(M_("not a Word document (.docx): {e}", e=e)) from None
    with z:
        try:
            doc = _part(z, "word/document.xml")
            styles = _part(z, "word/styles.xml")
        except ParseError:
            raise  # a refusal of _part's own (a ValueError too), already located
        except _ZIP_ERRORS as e:
            raise ParseError(M_("damaged Word document: {e}", e=e)) from None
    if doc is None:
        raise ParseError(M_("not a Word document (.docx): word/document.xml is missing"))
    headings = _heading_styles(_xml(styles, "word/styles.xml")) if styles else set()
    return _read_body(doc, _Reader(headings))


# What an element is to the reader, decided when its start tag is parsed
# from its parent's role and its own tag (see _role).  The containers come
# first: an element whose parent's role is _PARAGRAPH or above is inside
# something being read whole, or skipped.
_ROOT = 0  # the document element
_BLOCKS = 1  # holds blocks read in order: the body, a content control's content, custom XML
_SDT = 2  # a block-level content control (its first sdtContent holds blocks)
_SDT_READ = 3  # a content control whose content was found (a second one is not read)
_TABLE = 4  # a table read row by row
_ROWS = 5  # holds a table's rows: a row-level content control's content, custom XML
_ROW_SDT = 6  # a row-level content control (its first sdtContent holds rows)
_PARAGRAPH = 7  # a paragraph, read when it ends
_ROW = 8  # a table's row, read when it ends
_INSIDE = 9  # inside a paragraph or row: kept until that ends
_SKIP = 10  # not read: dropped when it ends


#: The role of each element a container reads, by the container's role and
#: the element's tag; any other element is not read (_SKIP).  Blocks are
#: read in the body, content controls and custom XML; a table's rows in the
#: table and in the row-level content controls and custom XML around them.
_CHILDREN: dict[int, dict[str, int]] = {
    _ROOT: {f"{_W}body": _BLOCKS},
    _BLOCKS: {
        f"{_W}p": _PARAGRAPH,
        f"{_W}tbl": _TABLE,
        f"{_W}sdt": _SDT,
        f"{_W}customXml": _BLOCKS,
    },
    _SDT: {f"{_W}sdtContent": _BLOCKS},
    _TABLE: {f"{_W}tr": _ROW, f"{_W}sdt": _ROW_SDT, f"{_W}customXml": _ROWS},
    _ROWS: {f"{_W}tr": _ROW, f"{_W}sdt": _ROW_SDT, f"{_W}customXml": _ROWS},
    _ROW_SDT: {f"{_W}sdtContent": _ROWS},
}


def _role(parent: int, tag: str) -> int:
    """The role of an element with *tag* whose parent has the role *parent* (a container's)."""
    children = _CHILDREN.get(parent)
    return _SKIP if children is None else children.get(tag, _SKIP)


def _read_body(doc: bytes, out: _Reader) -> list[Row]:
    """
    Read the body of ``word/document.xml`` one paragraph or table row at a time.

    Blocks are read where Word puts them: in the body, and at any depth of
    the block-level content controls (``w:sdt``, their first
    ``w:sdtContent``) and custom XML elements (``w:customXml``) in it; a
    table's rows and a row's cells likewise, in the row-level and
    cell-level content controls and custom XML that wrap them.  A
    paragraph is read when its end tag is parsed, a table row by row; every
    element is dropped from the tree once read or, if the reader does not
    read it, once it ends.  The tree never holds more than one paragraph or
    row and the open elements around it: memory stays near the size of the
    rows, not a multiple of the part's XML, however the blocks are wrapped.
    """
    etree = require("lxml.etree", extra="docx", feature=M_("parsing DOCX"))

    name = "word/document.xml"
    _refuse_declarations(doc, name)
    found = False
    roles: list[int] = []
    try:
        for event, el in etree.iterparse(io.BytesIO(doc), events=("start", "end"), **_SAFE):
            if event == "start":
                if not roles:
                    roles.append(_ROOT)
                    continue
                parent = roles[-1]
                if parent >= _PARAGRAPH:  # the common case, decided first
                    roles.append(_SKIP if parent == _SKIP else _INSIDE)
                    continue
                role = _role(parent, el.tag)
                if (parent == _SDT and role == _BLOCKS) or (parent == _ROW_SDT and role == _ROWS):
                    roles[-1] = _SDT_READ
                elif parent == _ROOT and role == _BLOCKS:
                    found = True
                elif role == _TABLE:
                    out.start_table()
                roles.append(role)
                continue
            role = roles.pop()
            if role == _INSIDE or not roles:
                continue  # part of a paragraph or row being read; or the root
            if role == _PARAGRAPH:
                out.paragraph(el)
            elif role == _ROW:
                out.row(el)
            # Read or never to be read: drop it (the idiom of iterparse: clear
            # it and delete what came before it; it is then its parent's only child).
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    except etree.XMLSyntaxError as e:
        raise ParseError(
            M_("{name} is not well-formed XML: {e}", name=name, e=e), location=name
        ) from None
    if not found:
        raise ParseError(M_("word/document.xml has no body"), location=name)
    return out.rows


def _heading_styles(styles: Any) -> set[str]:
    out = set()
    for s in styles.iter(f"{_W}style"):
        sid = s.get(f"{_W}styleId") or ""
        name = s.find(f"{_W}name")
        label = (name.get(f"{_W}val") if name is not None else "") or ""
        if label.lower().startswith(("heading", "title")) or sid.lower().startswith(
            ("heading", "title")
        ):
            out.add(sid)
    return out


def _text(el: Any) -> str:
    parts = []
    for node in el.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return "".join(parts)


class _Reader:
    def __init__(self, headings: set[str]) -> None:
        self.headings = headings
        self.rows: list[Row] = []
        self.paragraphs = 0
        self.tables = 0
        self.table_rows = 0
        self.cells = 0

    def count(self, cells: int, where: str) -> None:
        self.cells += cells
        if self.cells > MAX_CELLS:
            raise too_many_cells(where)

    def paragraph(self, p: Any) -> None:
        text = _text(p).strip()
        if not text:
            return
        self.paragraphs += 1
        self.count(1, f"paragraph {self.paragraphs}")
        style = p.find(f"{_W}pPr/{_W}pStyle")
        sid = style.get(f"{_W}val") if style is not None else None
        kind = "h" if sid is not None and sid in self.headings else "p"
        self.rows.append(Row((text,), (Location(paragraph=self.paragraphs),), kind))

    def start_table(self) -> None:
        """A table begins: its rows are counted from 1."""
        self.tables += 1
        self.table_rows = 0

    def row(self, tr: Any) -> None:
        """
        A row of the current table, each cell located in the table's grid.

        A cell is printed once, in the row where it starts (a vertically
        merged cell's continuations are skipped); its location is the
        logical grid position: the row of the table (every ``<w:tr>``
        counts) and the grid column after the ``gridBefore`` of the row and
        the ``gridSpan`` of the cells before it, merged continuations
        included.
        """
        self.table_rows += 1
        if not len(tr):
            return  # an empty row (no cell, no properties): nothing printed, counted
        n = self.table_rows
        column = 1 + _grid_value(tr.find(f"{_W}trPr/{_W}gridBefore"), 0)
        texts = []
        columns = []
        for tc in _row_cells(tr):
            here = column
            column += max(1, _grid_value(tc.find(f"{_W}tcPr/{_W}gridSpan"), 1))
            vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
            if vmerge is not None and vmerge.get(f"{_W}val") in (None, "continue"):
                continue  # the merged cell was printed in the row above
            texts.append(" ".join(_text(tc).split()))
            columns.append(here)
        if not texts:
            return
        self.count(len(texts), f"table {self.tables}, row {n}")
        locs = tuple(Location(table=self.tables, row=n, column=c) for c in columns)
        self.rows.append(Row(tuple(texts), locs, "tr"))


def _row_cells(tr: Any) -> list[Any]:
    """
    The cells (``w:tc``) of a row in order, those in cell-level wrappers included.

    Word wraps a cell in a content control (``w:sdt``, read through its
    first ``w:sdtContent``) or in custom XML (``w:customXml``), at any depth.
    """
    out = []
    todo = [iter(tr)]
    while todo:
        for child in todo[-1]:
            tag = child.tag
            if tag == _TC:
                out.append(child)
            elif tag == _SDT_TAG:
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    todo.append(iter(content))
                    break
            elif tag == _CUSTOM_XML:
                todo.append(iter(child))
                break
        else:
            todo.pop()
    return out


_TC = f"{_W}tc"
_SDT_TAG = f"{_W}sdt"
_CUSTOM_XML = f"{_W}customXml"

#: The widest span read from a Word table (Word itself allows 63 columns).
_MAX_GRID = 1000


def _grid_value(el: Any, default: int) -> int:
    """The ``w:val`` of a ``gridSpan``/``gridBefore`` element (absent or junk: *default*)."""
    if el is None:
        return default
    value = (el.get(f"{_W}val") or "").strip()
    if not value.isdigit() or not value.isascii():
        return default
    return min(int(value), _MAX_GRID)
