"""
Stage 1 of reading a PDF: every page's glyphs with their boxes, and its ruling lines (PDFium).

Only this module knows the PDF library (PDFium through ``pypdfium2``, the
``pdf`` extra); :mod:`._layout` works on what it returns.  Coordinates are PDF
points with the origin at the page's top left (y grows downwards).
"""

from __future__ import annotations

import ctypes
import functools
import re
from typing import Any, NamedTuple

from ..._extras import require
from ..._messages import M_
from ...errors import ParseError
from ._guard import check_streams

__all__ = [
    "MAX_CHARS",
    "MAX_DOCUMENT_CHARS",
    "MAX_DOCUMENT_DRAWINGS",
    "MAX_OBJECTS",
    "MAX_PAGES",
    "MAX_TEXT_WORK",
    "Box",
    "Glyph",
    "Page",
    "PageBox",
    "Seg",
    "extract",
]

#: A rectangle: x0, top, x1, bottom (points, origin top left).
Box = tuple[float, float, float, float]
#: Where a cell (or one part of it) is printed: 1-based page and box.
PageBox = tuple[int, Box]

#: Largest document accepted, in pages (a hostile file can claim millions;
#: an annual report with its annexes has a few dozen).
MAX_PAGES = 200
#: Most characters on one page (a dense page of small CJK type has ~5,000).
MAX_CHARS = 100_000
#: Most objects (text runs, paths, images, forms) on one page, forms' included.
MAX_OBJECTS = 100_000
#: Most characters in the whole document: sixty dense pages of 2,000 (a real
#: annual report has a few thousand to a few tens of thousands).  Pages that
#: share one content stream cost little to store and their characters each
#: cost the reading time, so this bounds the reader's time: measured (CPU
#: time, min of two rounds, through ``gd.parse``), a character costs 6.7 µs
#: in dense lines, 8.5 µs in unruled table rows, 11 µs when every glyph is its
#: own text object, and 16 µs when on top of that two pages take up
#: :data:`MAX_TEXT_WORK`; so the worst PDF within the limits reads in about
#: 1.9 s of CPU on the development machine (1.85 s measured), within the
#: 2 s of issue #15.
MAX_DOCUMENT_CHARS = 120_000
#: Most drawn objects (paths, images, forms: all but text) in the whole
#: document.  Each costs PDFium's reading of the page and ours of its box and
#: colours, 3 to 6 µs of CPU (a line: 6 µs), so 50,000 take at most 0.3 s;
#: the :data:`MAX_OBJECTS` of a page, repeated on pages that share one content
#: stream, took a second a page.  A table page drawn by Word paints a few
#: hundred (a thin bar per cell side); the corpus PDF at most 174 a page.
MAX_DOCUMENT_DRAWINGS = 50_000
#: The most text-extraction work in the whole document, as the sum over the
#: pages of the square of each page's number of text objects: PDFium compares
#: every text object of a page with the others, so a page of 20,000 separately
#: placed glyphs takes it 6 s, 10,000 1.3 s (0.5 s of CPU; a real page has a few hundred
#: objects; a generator that places each glyph alone, a few thousand).  Two
#: pages of 10,000 pass, or a hundred pages of 1,400 each.
MAX_TEXT_WORK = 200_000_000


class Glyph(NamedTuple):
    """One printed glyph: its text and the box of its type (advance by ascent..descent)."""

    ch: str  # one character, or several for a ligature ("ff", "fi": one glyph, one box)
    x0: float  # the glyph's advance (origin to origin + width)
    x1: float
    top: float  # of the font's box (ascent..descent): the same for a whole line of one font
    bottom: float
    size: float  # em size estimate, for tolerances
    space: bool = False  # a space character is printed before it
    bold: bool = False  # in a bold or heavy (黑体) font: a heading's


class Seg(NamedTuple):
    """A ruling line: horizontal (``pos`` = y, ``lo..hi`` = x) or vertical (``pos`` = x, ``lo..hi`` = y)."""

    pos: float
    lo: float
    hi: float


class Page(NamedTuple):
    number: int
    width: float
    height: float
    glyphs: list[Glyph]
    hsegs: list[Seg]
    vsegs: list[Seg]
    images: int  # image objects: a page with images and no glyphs is a scan


# ---------------------------------------------------------------------------
# Stage 1: extraction (PDFium)
# ---------------------------------------------------------------------------

#: A path painted in a colour this close to white is a background, not a line.
_WHITE = 235
#: The thickest painted path that is still a line rather than a filled area.
_THIN = 3.0
#: The shortest segment kept as a ruling line (shorter: dots, glyph-like marks).
_MIN_RULE = 4.0


def extract(data: bytes) -> list[Page]:
    """
    Every page's glyphs and ruling lines.

    Raises:
        ParseError: not a PDF, damaged (the page that cannot be read is
            named), encrypted (a password is needed), too many pages, or a
            PDF bomb (see :mod:`._guard`; a page with more than
            :data:`MAX_CHARS` characters or :data:`MAX_OBJECTS` objects).
    """
    pdfium, R = _pdfium()
    check_streams(data)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        # PDFium's error code says why.  A PDF encrypted with only an owner
        # password (printing/copying restrictions) opens and reads normally.
        if getattr(e, "err_code", None) == R.FPDF_ERR_PASSWORD:
            raise ParseError(
                M_(
                    "the PDF is encrypted and needs a password to open; save an unencrypted copy (or remove the password) and parse that"
                )
            ) from None
        raise ParseError(M_("not a readable PDF (damaged?): {e}", e=e)) from None
    pages: list[Page] = []
    try:
        n = len(doc)
        if n > MAX_PAGES:
            raise ParseError(
                M_("the PDF has {n} pages (limit {MAX_PAGES}); refused", n=n, MAX_PAGES=MAX_PAGES)
            )
        left = [MAX_DOCUMENT_CHARS, MAX_TEXT_WORK, MAX_DOCUMENT_DRAWINGS]
        for i in range(n):
            try:
                pages.append(_page(R, doc, i, left))
            except pdfium.PdfiumError as e:
                raise ParseError(
                    M_("the page cannot be read (a damaged PDF?): {e}", e=e),
                    location=f"page {i + 1}",
                ) from None
    finally:
        doc.close()
    return pages


def _page(R: Any, doc: Any, i: int, left: list[int]) -> Page:
    """The glyphs and ruling lines of page *i* (0-based) of *doc*; *left*: the document's characters still allowed."""
    page = doc[i]
    try:
        # The origin of the page's user space is the media box's corner;
        # boxes are measured from its top so y grows downwards.
        ml, mb, mr, mt = page.get_mediabox()
        # Counted before PDFium's text extraction, whose cost grows with the
        # square of the page's text objects.
        budget = [MAX_OBJECTS]
        texts = _text_objects(R, page.raw, 0, budget)
        if budget[0] < 0:
            raise ParseError(
                M_(
                    "the page has more than {MAX_OBJECTS} objects; refused", MAX_OBJECTS=MAX_OBJECTS
                ),
                location=f"page {i + 1}",
            )
        left[1] -= texts * texts
        if left[1] < 0:
            raise ParseError(
                M_(
                    "the page has {texts} separate text objects, too many to read in bounded time with the pages before it (limit: {limit} for the sum of their squares); refused",
                    texts=texts,
                    limit=MAX_TEXT_WORK,
                ),
                location=f"page {i + 1}",
            )
        tp = page.get_textpage()
        try:
            raw = tp.raw
            chars = tp.count_chars()
            if chars > MAX_CHARS:
                raise ParseError(
                    M_(
                        "the page has {chars} characters (limit {MAX_CHARS}); refused",
                        chars=chars,
                        MAX_CHARS=MAX_CHARS,
                    ),
                    location=f"page {i + 1}",
                )
            left[0] -= chars
            if left[0] < 0:
                raise ParseError(
                    M_(
                        "the PDF has more than {limit} characters by this page (the document limit; an annual report has a few tens of thousands); refused",
                        limit=MAX_DOCUMENT_CHARS,
                    ),
                    location=f"page {i + 1}",
                )
            glyphs = _glyphs(R, raw, chars, mt)
        finally:
            tp.close()
        hsegs: list[Seg] = []
        vsegs: list[Seg] = []
        budget = [MAX_OBJECTS, left[2]]
        images = _paths(R, page.raw, None, mt, hsegs, vsegs, 0, budget)
        if budget[0] < 0:
            raise ParseError(
                M_(
                    "the page has more than {MAX_OBJECTS} objects; refused", MAX_OBJECTS=MAX_OBJECTS
                ),
                location=f"page {i + 1}",
            )
        left[2] = budget[1]
        if left[2] < 0:
            raise ParseError(
                M_(
                    "the PDF has more than {limit} drawn objects (paths, images, forms) by this page (the document limit; an annual report draws a few thousand); refused",
                    limit=MAX_DOCUMENT_DRAWINGS,
                ),
                location=f"page {i + 1}",
            )
        return Page(i + 1, mr - ml, mt - mb, glyphs, hsegs, vsegs, images)
    finally:
        page.close()


def _glyphs(R: Any, raw: object, chars: int, mt: float) -> list[Glyph]:
    """
    The glyphs of the text page *raw* (its *chars* characters); *mt*: the page's top.

    This loop runs once per character of the document, so it is written for
    speed (see the parsing guide's figures): the PDFium functions and the
    ctypes fields are read once into locals, and glyphs are built as tuples.
    """
    get_unicode, get_generated = R.FPDFText_GetUnicode, R.FPDFText_IsGenerated
    get_box, get_loose, get_font = (
        R.FPDFText_GetCharBox,
        R.FPDFText_GetLooseCharBox,
        R.FPDFText_GetFontInfo,
    )
    lb, bb, rb, tb = (ctypes.c_double() for _ in range(4))
    loose = R.FS_RECTF()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    new, bold_face = tuple.__new__, _bold
    glyphs: list[Glyph] = []
    append = glyphs.append
    last_box: tuple[float, ...] = ()
    space = False
    for k in range(chars):
        u = get_unicode(raw, k)
        # PDFium gives a hyphen that ends a line (one the text
        # prints: "Public-" over "interest") as U+0002.
        ch = "-" if u == 2 else chr(u) if 0 < u < 0x110000 else "\ufffd"
        # Whitespace is not a glyph; a space printed in the text (not
        # one PDFium generated from a gap) marks the next glyph, as
        # it may be narrower than any gap rule (Helvetica's: 0.28 em).
        if ch.isspace() or u == 0xFFFE:
            last_box = ()
            space = space or (ch == " " and not get_generated(raw, k))
            continue
        get_box(raw, k, lb, rb, bb, tb)
        box = (x0, x1, b, t) = (lb.value, rb.value, bb.value, tb.value)
        if box == last_box:
            # One glyph that stands for several characters (a
            # ligature: LibreOffice prints "ff" as one glyph)
            # comes as consecutive characters with the same box.
            glyphs[-1] = glyphs[-1]._replace(ch=glyphs[-1].ch + ch)
            continue
        last_box = box
        get_font(raw, k, name, 256, flags)
        bold = bold_face(name.value)
        itop, ibot = mt - t, mt - b
        # The loose box is the font's ascent..descent: the same
        # for every glyph of a line, so lines group cleanly.
        # PDFium gets it wrong under odd text matrices (seen: a
        # 199 pt box around a 9 pt glyph); then use the ink box.
        # Its horizontal extent is the glyph's advance, so the
        # gap to the next glyph is the real spacing (the ink of
        # "：" or "1" is much narrower than its place).
        get_loose(raw, k, loose)
        left, right = loose.left, loose.right
        ltop, lbot = mt - loose.top, mt - loose.bottom
        ink = max(ibot - itop, x1 - x0, 1.0)
        # Sane: not far taller than the ink, or (full-width
        # punctuation: the ink of "。" is a fifth of its place) not
        # taller than its advance, which is not far wider than the ink.
        lh, lw = lbot - ltop, right - left
        sane = 0 < lh <= 2.5 * ink or (0 < lh <= 1.5 * lw <= 12 * max(x1 - x0, 1.0))
        if sane and left <= x0 + 1 and right >= x1 - 1:
            append(new(Glyph, (ch, left, right, ltop, lbot, lbot - ltop, space, bold)))
        else:
            append(new(Glyph, (ch, x0, x1, itop, ibot, ink * 1.1, space, bold)))
        space = False
    return glyphs


_Matrix = tuple[float, float, float, float, float, float]


def _mul(m: _Matrix, n: _Matrix | None) -> _Matrix:
    """The matrix *m* followed by *n* (PDF row-vector convention)."""
    if n is None:
        return m
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _text_objects(R: Any, parent: object, depth: int, budget: list[int], form: bool = False) -> int:
    """
    The text objects of the page (or form XObject) *parent*, forms' included (as :func:`_paths` walks them).

    *budget* holds the number of objects still to be looked at; it goes below
    zero (and the walk stops) when the page has more.
    """
    count = R.FPDFFormObj_CountObjects if form else R.FPDFPage_CountObjects
    get = R.FPDFFormObj_GetObject if form else R.FPDFPage_GetObject
    n = count(parent)
    budget[0] -= n
    if budget[0] < 0:
        return 0
    texts = 0
    for k in range(n):
        kind = R.FPDFPageObj_GetType(get(parent, k))
        if kind == R.FPDF_PAGEOBJ_TEXT:
            texts += 1
        elif kind == R.FPDF_PAGEOBJ_FORM and depth < 8:
            texts += _text_objects(R, get(parent, k), depth + 1, budget, form=True)
            if budget[0] < 0:
                return texts
    return texts


def _paths(
    R: object,
    parent: object,
    outer: _Matrix | None,
    mt: float,
    hsegs: list[Seg],
    vsegs: list[Seg],
    depth: int,
    budget: list[int],
    form: bool = False,
) -> int:
    """
    Collect the ruling lines of the page (or form XObject) *parent* into *hsegs*/*vsegs*.

    Returns the number of image objects seen (to tell a scan from an empty page).
    A form's objects are in the form's space: *outer* maps them to the page.
    *budget* holds the number of objects still to be read on the page, and
    the number of drawn (not text) objects still to be read in the document;
    one goes below zero (and the walk stops) when there are more.
    """
    r: Any = R  # the pypdfium2.raw module (untyped)
    count = r.FPDFFormObj_CountObjects if form else r.FPDFPage_CountObjects
    get = r.FPDFFormObj_GetObject if form else r.FPDFPage_GetObject
    get_type, get_bounds = r.FPDFPageObj_GetType, r.FPDFPageObj_GetBounds
    image, form_kind, path = r.FPDF_PAGEOBJ_IMAGE, r.FPDF_PAGEOBJ_FORM, r.FPDF_PAGEOBJ_PATH
    text = r.FPDF_PAGEOBJ_TEXT
    images = 0
    fm, st = ctypes.c_int(), ctypes.c_int()
    cr, cg, cb, ca = (ctypes.c_uint() for _ in range(4))
    fl, fb, fr, ft = (ctypes.c_float() for _ in range(4))
    mx = r.FS_MATRIX()
    n = count(parent)
    budget[0] -= n
    if budget[0] < 0:
        return images
    for k in range(n):
        obj = get(parent, k)
        kind = get_type(obj)
        if kind != text:
            budget[1] -= 1
            if budget[1] < 0:
                return images
        if kind == image:
            images += 1
            continue
        if kind == form_kind and depth < 8:
            r.FPDFPageObj_GetMatrix(obj, mx)
            m = _mul((mx.a, mx.b, mx.c, mx.d, mx.e, mx.f), outer)
            images += _paths(r, obj, m, mt, hsegs, vsegs, depth + 1, budget, form=True)
            if budget[0] < 0 or budget[1] < 0:
                return images
            continue
        if kind != path:
            continue
        # The bounds first: a path smaller than the shortest rule both ways
        # holds no rule (its edges, even through a form's matrix, lie in its
        # box), whatever its colours; glyph-like marks are skipped cheaply.
        get_bounds(obj, fl, fb, fr, ft)
        x0, y0, x1, y1 = fl.value, fb.value, fr.value, ft.value
        if outer is not None:
            x0, y0, x1, y1 = _bounds_through(outer, x0, y0, x1, y1)
        w, h = x1 - x0, y1 - y0
        if w < _MIN_RULE and h < _MIN_RULE:
            continue
        r.FPDFPath_GetDrawMode(obj, fm, st)
        stroked = False
        if st.value:
            r.FPDFPageObj_GetStrokeColor(obj, cr, cg, cb, ca)
            stroked = ca.value > 0 and min(cr.value, cg.value, cb.value) < _WHITE
        filled = False
        if fm.value:
            r.FPDFPageObj_GetFillColor(obj, cr, cg, cb, ca)
            filled = ca.value > 0 and min(cr.value, cg.value, cb.value) < _WHITE
        if not (stroked or filled):
            continue  # white backgrounds (Word paints one behind every cell)
        if min(w, h) <= _THIN:
            # A hairline or a thin filled bar: one rule along its length.
            if w >= h and w >= _MIN_RULE:
                hsegs.append(Seg(mt - (y0 + y1) / 2, x0, x1))
            elif h > w and h >= _MIN_RULE:
                vsegs.append(Seg((x0 + x1) / 2, mt - y1, mt - y0))
        elif stroked:
            # A stroked outline (a cell's box, or all of a table's lines in one
            # path): every straight axis-parallel edge is a rule.  A large
            # *filled* area (cell shading) draws no line and is not one.
            r.FPDFPageObj_GetMatrix(obj, mx)
            m = _mul((mx.a, mx.b, mx.c, mx.d, mx.e, mx.f), outer)
            _edges(r, obj, m, mt, hsegs, vsegs)
    return images


def _bounds_through(m: _Matrix, x0: float, y0: float, x1: float, y1: float) -> Box:
    a, b, c, d, e, f = m
    xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
    ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
    return min(xs), min(ys), max(xs), max(ys)


def _edges(
    r: object, obj: object, m: _Matrix, mt: float, hsegs: list[Seg], vsegs: list[Seg]
) -> None:
    a, b, c, d, e, f = m
    px, py = ctypes.c_float(), ctypes.c_float()
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    n = r.FPDFPath_CountSegments(obj)  # type: ignore[attr-defined]
    for i in range(min(n, 10_000)):
        seg = r.FPDFPath_GetPathSegment(obj, i)  # type: ignore[attr-defined]
        r.FPDFPathSegment_GetPoint(seg, px, py)  # type: ignore[attr-defined]
        pt = (a * px.value + c * py.value + e, mt - (b * px.value + d * py.value + f))
        kind = r.FPDFPathSegment_GetType(seg)  # type: ignore[attr-defined]
        if kind == r.FPDF_SEGMENT_MOVETO or prev is None:  # type: ignore[attr-defined]
            start = pt
        elif kind == r.FPDF_SEGMENT_LINETO:  # type: ignore[attr-defined]
            _add_edge(prev, pt, hsegs, vsegs)
        prev = pt
        if r.FPDFPathSegment_GetClose(seg) and start is not None:  # type: ignore[attr-defined]
            _add_edge(pt, start, hsegs, vsegs)
            prev = start


def _add_edge(
    p: tuple[float, float], q: tuple[float, float], hsegs: list[Seg], vsegs: list[Seg]
) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) >= _MIN_RULE:
        hsegs.append(Seg((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= 1.0 and abs(y1 - y0) >= _MIN_RULE:
        vsegs.append(Seg((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


#: Font names of bold and heavy faces ("SimHei", "黑体": the heading face of
#: Chinese documents), after the subset prefix ("ABCDEF+").
_BOLD = re.compile(r"bold|heavy|black|demi|semibold|simhei|\bhei\b|heiti|黑体|粗", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def _bold(name: bytes) -> bool:
    """Whether the font *name* (as the PDF spells it) is a bold or heavy face."""
    return _BOLD.search(name.decode("utf-8", "replace")) is not None


def _pdfium() -> tuple[Any, Any]:
    """Import PDFium's bindings, or say which extra is missing."""
    pdfium = require("pypdfium2", extra="pdf", feature=M_("parsing PDF"))
    raw = require("pypdfium2.raw", extra="pdf", feature=M_("parsing PDF"))
    return pdfium, raw
