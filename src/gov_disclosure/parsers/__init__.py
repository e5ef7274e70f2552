"""
Parsing published reports: flattened web text, HTML and Word documents into the model.

:func:`parse` sniffs the format, hands the source to its reader (``text``,
``html``, ``docx``), each of which produces the same intermediate rows, and
one assembler matches them against the catalogue's tables.  The result is a
:class:`Parsed`: the report, every assumption as a :class:`ParseWarning`,
the provenance of every number, and the cells the text cannot decide.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import ParseError
from ..model import AnnualReport
from ._doc import Location
from ._result import WARNING_CODES, Ambiguity, Parsed, ParseWarning

__all__ = [
    "FORMATS",
    "MAX_INPUT_BYTES",
    "WARNING_CODES",
    "Ambiguity",
    "Location",
    "ParseWarning",
    "Parsed",
    "parse",
    "sniff",
]

#: The formats :func:`gov_disclosure.parse` reads.
FORMATS: tuple[str, ...] = ("text", "html", "docx")
#: The largest input accepted, in bytes (checked before a file is read).
MAX_INPUT_BYTES = 16 * 1024 * 1024

_HTML = re.compile(r"<\s*(?:html|body|table|tr|td|p|div|br|span|h[1-6]|!doctype)\b", re.I)
_PATHLIKE = re.compile(r"\.(?:html?|txt|md|docx|text)$", re.I)


def sniff(data: bytes | str) -> str:
    """
    Guess the format of *data*: ``"docx"`` (a zip), ``"html"`` (markup) or ``"text"``.

    >>> sniff("<p>一、总体情况</p>"), sniff("规章 | 0 | 0 | 0"), sniff(b"PK\\x03\\x04...")
    ('html', 'text', 'docx')

    .. versionadded:: 0.1.0
    """
    if isinstance(data, bytes):
        if data[:4] == b"PK\x03\x04":
            return "docx"
        head = data[:8192].decode("utf-8", "ignore")
    else:
        head = data[:8192]
    return "html" if _HTML.search(head) else "text"


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def _too_big(size: int, what: str) -> ParseError:
    return ParseError(
        f"{what} is {size} bytes, more than the {MAX_INPUT_BYTES} accepted; refused "
        "(annual reports are well under a megabyte)"
    )


def _load(source: str | bytes | os.PathLike[str]) -> tuple[str | bytes, str | None]:
    """Return the content and the file name, if it came from a file."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > MAX_INPUT_BYTES:
            raise _too_big(len(data), "the input")
        return data, None
    if isinstance(source, str):
        looks_like_path = "\n" not in source and len(source) < 1024 and "<" not in source
        if looks_like_path and (_PATHLIKE.search(source.strip()) or os.path.isfile(source)):
            path = Path(source)
        else:
            # The limit is in bytes whatever the input's type: a str counts as
            # its UTF-8 encoding (a CJK character is 3 bytes), as a file would.
            if len(source) * 3 > MAX_INPUT_BYTES:
                size = len(source.encode("utf-8", "surrogatepass"))
                if size > MAX_INPUT_BYTES:
                    raise _too_big(size, "the input (as UTF-8)")
            return source, None
    elif isinstance(source, os.PathLike):
        path = Path(source)
    else:
        raise ParseError(f"cannot parse a {type(source).__name__}; give a path, str or bytes")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ParseError(f"cannot read {path}: {e.strerror or e}", location=str(path)) from None
    if size > MAX_INPUT_BYTES:
        raise ParseError(str(_too_big(size, str(path))), location=str(path))
    try:
        with path.open("rb") as f:
            return f.read(MAX_INPUT_BYTES + 1), str(path)
    except OSError as e:
        raise ParseError(f"cannot read {path}: {e.strerror or e}", location=str(path)) from None


def parse(
    source: str | bytes | os.PathLike[str],
    *,
    format: str | None = None,
    agency: str | None = None,
    year: int | None = None,
    previous: AnnualReport | None = None,
) -> Parsed:
    """
    Read a published report into an :class:`~gov_disclosure.AnnualReport`.

    >>> import gov_disclosure as gd
    >>> p = gd.parse(gd.render(gd.AnnualReport(agency="某局", year=2021), "text"))
    >>> p.report == gd.AnnualReport(agency="某局", year=2021)
    True

    Args:
        source: A path (``str`` or :class:`os.PathLike`), the text of a
            report (``str``), or the bytes of a file (text, HTML or ``.docx``).
            A ``str`` without line breaks that names an existing file, or ends
            in ``.html``/``.txt``/``.docx``, is a path.
        format: ``"text"``, ``"html"`` or ``"docx"``; sniffed when ``None``.
        agency: The agency, used when the title does not print one.
        year: The reporting year; overrides the title's (with a warning when
            they differ).
        previous: Last year's report of the same agency: a tie-breaker for
            cells the text cannot decide (the reading closest to it under
            :func:`~gov_disclosure.continuity` wins).

    Returns:
        The :class:`Parsed` result.

    Raises:
        ParseError: the input is unreadable, too large, not a report, or
            gives no agency or year (and the caller neither); the error's
            ``location`` names the place.

    .. versionadded:: 0.1.0
    """
    from .assemble import assemble

    data, name = _load(source)
    fmt = format or sniff(data)
    if fmt == "markdown":
        fmt = "text"
    if fmt not in FORMATS:
        raise ParseError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    try:
        if fmt == "docx":
            from .docx import read_docx

            if isinstance(data, str):
                raise ParseError("a .docx document must be given as bytes or a path")
            rows = read_docx(data)
        elif fmt == "html":
            from .html import decode_html, read_html

            rows = read_html(decode_html(data) if isinstance(data, bytes) else data)
        else:
            from .text import read_text

            rows = read_text(_decode_text(data) if isinstance(data, bytes) else data)
        if not rows:
            raise ParseError("the input is empty")
        return assemble(rows, agency=agency, year=year, previous=previous, fmt=fmt)
    except ParseError as e:
        if name is not None and e.location is None:
            raise ParseError(str(e), location=name) from None
        raise
    except RecursionError:
        raise ParseError("the document is nested too deeply to read", location=name) from None
