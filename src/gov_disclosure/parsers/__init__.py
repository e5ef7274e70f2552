"""
Parsing published reports: flattened web text, HTML, Word documents and PDFs into the model.

:func:`~gov_disclosure.parse` sniffs the format, hands the source to its reader (``text``,
``html``, ``docx``, ``xlsx``, ``pdf``, or one registered with :func:`register`), each of which produces the same intermediate rows
(:class:`Row`), and one assembler (``parsers.assemble``) matches them against
the catalogue's tables.  The result is a :class:`~gov_disclosure.Parsed`: the report, every
assumption as a :class:`~gov_disclosure.ParseWarning`, the provenance of every number, and
the cells the text cannot decide.

This package is the extension point for input formats: a function that turns
a document into :class:`Row` objects, registered with :func:`register`, is a
format of :func:`gov_disclosure.parse`, of ``gov-disclosure check`` and of
:func:`gov_disclosure.batch` like the built-in ones, and gets the whole
assembler (labels in every locale, blanks, warnings, provenance) for free::

    >>> import csv, io
    >>> import gov_disclosure as gd
    >>> from gov_disclosure import parsers
    >>> def read_csv(data: bytes | str) -> list[parsers.Row]:
    ...     text = data.decode("utf-8") if isinstance(data, bytes) else data
    ...     return [
    ...         parsers.Row(
    ...             tuple(cells),
    ...             tuple(parsers.Location(line=n, column=c) for c in range(1, len(cells) + 1)),
    ...         )
    ...         for n, cells in enumerate(csv.reader(io.StringIO(text)), start=1)
    ...         if cells
    ...     ]
    >>> _ = parsers.register("csv", read_csv, suffixes=(".csv",))
    >>> report = gd.AnnualReport(agency="某局", year=2021)
    >>> text = gd.render(report, "text").replace("\t", ",")
    >>> parsers.parse(text, format="csv").report == report  # gd.parse is this function
    True
    >>> parsers.unregister("csv")

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from attrs import frozen

from .._messages import M_
from ..errors import ParseError
from ..model import AnnualReport
from ._doc import MAX_CELLS, MAX_TEXT_CHARS, Location, Row, too_long_text, too_many_cells
from ._result import WARNING_CODES, Ambiguity, Parsed, ParseWarning

__all__ = [
    "FORMATS",
    "MAX_INPUT_BYTES",
    "WARNING_CODES",
    "Ambiguity",
    "Location",
    "ParseWarning",
    "Parsed",
    "Reader",
    "Row",
    "formats",
    "parse",
    "reader",
    "register",
    "sniff",
    "unregister",
]

#: The built-in formats :func:`gov_disclosure.parse` reads (:func:`formats` adds the registered ones).
FORMATS: tuple[str, ...] = ("text", "html", "docx", "xlsx", "pdf")
#: The largest input accepted, in bytes (checked before a file is read, and while a stream is).
MAX_INPUT_BYTES = 16 * 1024 * 1024
#: How much of the input a sniffer sees.
_HEAD = 8192

_HTML = re.compile(r"<\s*(?:html|body|table|tr|td|p|div|br|span|h[1-6]|!doctype)\b", re.I)


@frozen(kw_only=True)
class Reader:
    """
    One input format of :func:`~gov_disclosure.parse`: how to read it into rows, and how to recognise it.

    Attributes:
        format: The format's name (``format=`` of :func:`~gov_disclosure.parse`).
        read: Turns the whole input (``bytes`` of a file, or a ``str``) into
            :class:`Row` objects in reading order; raises
            :class:`~gov_disclosure.ParseError` for input it cannot read.
        sniff: Says whether the first 8 KiB of an input (``bytes`` or
            ``str``) look like this format; ``None`` never claims an input.
        suffixes: File name endings (``.csv``) that mark a path as this
            format's file for :func:`~gov_disclosure.parse` and :func:`~gov_disclosure.batch`.

    .. versionadded:: 0.1.0
    """

    format: str
    read: Callable[[bytes | str], Sequence[Row]]
    sniff: Callable[[bytes | str], bool] | None = None
    suffixes: tuple[str, ...] = ()


def _read_text(data: bytes | str) -> list[Row]:
    from .text import read_text

    return read_text(_decode_text(data) if isinstance(data, bytes) else data)


def _read_html(data: bytes | str) -> list[Row]:
    from .html import decode_html, read_html

    return read_html(decode_html(data) if isinstance(data, bytes) else data)


def _read_docx(data: bytes | str) -> list[Row]:
    from .docx import read_docx
    from .xlsx import is_workbook, read_xlsx

    if isinstance(data, str):
        raise ParseError(M_("a .docx document must be given as bytes or a path"))
    if is_workbook(data):  # a zip sniffed as DOCX that is a workbook after all
        return read_xlsx(data)
    return read_docx(data)


def _read_xlsx(data: bytes | str) -> list[Row]:
    from .docx import read_docx
    from .xlsx import is_document, read_xlsx

    if isinstance(data, str):
        raise ParseError(M_("an Excel workbook (.xlsx) must be given as bytes or a path"))
    if is_document(data):  # a zip sniffed as a workbook that is a Word document after all
        return read_docx(data)
    return read_xlsx(data)


def _read_pdf(data: bytes | str) -> list[Row]:
    from .pdf import read_pdf

    if isinstance(data, str):
        raise ParseError(M_("a PDF document must be given as bytes or a path"))
    return read_pdf(data)


def _is_pdf(head: bytes | str) -> bool:
    # The header may follow a little junk (PDF readers accept it in the first KiB).
    return isinstance(head, bytes) and b"%PDF-" in head[:1024]


def _is_zip(head: bytes | str) -> bool:
    return isinstance(head, bytes) and head[:4] == b"PK\x03\x04"


def _is_xlsx(head: bytes | str) -> bool:
    # Both are zips; the names of the first parts tell a workbook (xl/...) from
    # a Word document (word/...).  A zip that names neither in its first 8 KiB
    # is left to the DOCX reader, which hands a workbook on to this one.
    return _is_zip(head) and b"xl/" in head[:_HEAD] and b"word/" not in head[:_HEAD]


def _is_html(head: bytes | str) -> bool:
    text = head.decode("utf-8", "ignore") if isinstance(head, bytes) else head
    return _HTML.search(text) is not None


# Tried in order by sniff(); text claims whatever no other reader does.
_BUILTIN: dict[str, Reader] = {
    "pdf": Reader(format="pdf", read=_read_pdf, sniff=_is_pdf, suffixes=(".pdf",)),
    "xlsx": Reader(format="xlsx", read=_read_xlsx, sniff=_is_xlsx, suffixes=(".xlsx", ".xlsm")),
    "docx": Reader(format="docx", read=_read_docx, sniff=_is_zip, suffixes=(".docx",)),
    "html": Reader(format="html", read=_read_html, sniff=_is_html, suffixes=(".html", ".htm")),
    "text": Reader(format="text", read=_read_text, suffixes=(".txt", ".md", ".text")),
}
_READERS: dict[str, Reader] = dict(_BUILTIN)


def register(
    format: str,
    read: Callable[[bytes | str], Sequence[Row]],
    *,
    sniff: Callable[[bytes | str], bool] | None = None,
    suffixes: Sequence[str] = (),
    replace: bool = False,
) -> Reader:
    """
    Make *read* the reader of *format* for :func:`~gov_disclosure.parse`, the CLI and :func:`~gov_disclosure.batch`.

    Registered readers are sniffed before the built-in ones, so a format that
    recognises its own inputs wins over the text fallback.

    Args:
        format: The format's name (a built-in name only with *replace*).
        read: See :attr:`Reader.read`.
        sniff: See :attr:`Reader.sniff`.
        suffixes: See :attr:`Reader.suffixes` (``".csv"``; lower case).
        replace: Replace a format that is already registered.

    Returns:
        The registered :class:`Reader`.

    Raises:
        ParseError: *format* is taken (and *replace* is false) or *read* is
            not callable.

    .. versionadded:: 0.1.0
    """
    if not isinstance(format, str) or not format:
        raise ParseError(M_("parsers.register: bad format name {format!r}", format=format))
    if not callable(read):
        raise ParseError(
            M_("parsers.register: the reader of {format!r} is not callable", format=format)
        )
    if sniff is not None and not callable(sniff):
        raise ParseError(
            M_("parsers.register: the sniff of {format!r} is not callable", format=format)
        )
    if isinstance(suffixes, str) or not all(
        isinstance(x, str) and len(x) > 1 and x.startswith(".") for x in suffixes
    ):
        raise ParseError(
            M_(
                "parsers.register: suffixes of {format!r} must be a sequence of endings such as ('.csv',), got {suffixes!r}",
                format=format,
                suffixes=suffixes,
            )
        )
    if format in _READERS and not replace:
        raise ParseError(
            M_(
                "parsers.register: format {format!r} is registered already; pass replace=True",
                format=format,
            )
        )
    entry = Reader(
        format=format,
        read=_guarded_read(format, read),
        sniff=_guarded_sniff(format, sniff) if sniff is not None else None,
        suffixes=tuple(x.lower() for x in suffixes),
    )
    # Newest first, before the built-in ones.
    others = {k: v for k, v in _READERS.items() if k != format}
    _READERS.clear()
    _READERS[format] = entry
    _READERS.update(others)
    return entry


def _guarded_read(
    format: str, read: Callable[[bytes | str], Sequence[Row]]
) -> Callable[[bytes | str], Sequence[Row]]:
    """*read*, with what a third-party reader gets wrong said as a ParseError naming the format."""

    def guarded(data: bytes | str) -> Sequence[Row]:
        try:
            rows = read(data)
        except ParseError:
            raise
        except Exception as e:
            raise ParseError(
                M_(
                    "the {format!r} reader failed: {type}: {e}",
                    format=format,
                    type=type(e).__name__,
                    e=e,
                )
            ) from e
        if not all(isinstance(r, Row) for r in rows):
            raise ParseError(
                M_(
                    "the {format!r} reader must return gov_disclosure.parsers.Row objects",
                    format=format,
                )
            )
        return rows

    return guarded


def _guarded_sniff(
    format: str, sniff: Callable[[bytes | str], bool]
) -> Callable[[bytes | str], bool]:
    def guarded(head: bytes | str) -> bool:
        try:
            return bool(sniff(head))
        except Exception as e:
            raise ParseError(
                M_(
                    "the {format!r} sniff failed: {type}: {e}",
                    format=format,
                    type=type(e).__name__,
                    e=e,
                )
            ) from e

    return guarded


def unregister(format: str) -> None:
    """
    Forget a registered *format* (a replaced built-in format gets its own reader back).

    .. versionadded:: 0.1.0
    """
    registered = {k: v for k, v in _READERS.items() if k != format and _BUILTIN.get(k) is not v}
    _READERS.clear()
    _READERS.update(registered)  # registered ones first, newest first, as register() keeps them
    for k, v in _BUILTIN.items():
        _READERS.setdefault(k, v)  # then the built-in ones in their own order


def formats() -> tuple[str, ...]:
    """
    Every input format :func:`~gov_disclosure.parse` reads now: the registered ones, then the built-in ones.

    .. versionadded:: 0.1.0
    """
    return tuple(_READERS)


def reader(format: str) -> Reader:
    """
    The :class:`Reader` of *format*.

    Raises:
        ParseError: no reader reads *format*.

    .. versionadded:: 0.1.0
    """
    found = _READERS.get(format) if isinstance(format, str) else None
    if found is None:
        raise ParseError(
            M_(
                "unknown format {format!r}; expected one of {formats}",
                format=format,
                formats=", ".join(formats()),
            )
        )
    return found


def _suffix_format(name: str) -> str | None:
    ending = os.path.splitext(name)[1].lower()
    for r in _READERS.values():
        if ending in r.suffixes:
            return r.format
    return None


#: The formats whose content says what it is (a zip, a PDF header): it wins over a name.
_MAGIC = {"pdf": _is_pdf, "docx": _is_zip, "xlsx": _is_zip}
#: The built-in formats of plain text, whose name a zip or a PDF overrides.
_PLAIN = frozenset({"text", "html"})


def _path_format(name: str | None, data: bytes | str) -> str:
    """
    The format to read *data* with: the reader of its file name's suffix, unless the content says otherwise.

    A Word document, workbook or PDF is known by its first bytes, whatever it
    is named: one named ``.txt`` (an upload renamed, a download saved with
    the page's name) is read as what it is, and a file named ``.docx`` or
    ``.pdf`` that is not one is sniffed.  Between text and HTML the name
    decides (a text report may quote markup), and a registered reader's
    suffix is that reader's (its format may be a zip: OFD).  Without a
    name, sniffed.
    """
    named = _suffix_format(name) if name is not None else None
    if named is None:
        return sniff(data)
    content = sniff(data)
    is_magic = _MAGIC.get(named)
    if is_magic is not None and not is_magic(data[:_HEAD]):
        return content  # named .docx/.xlsx/.pdf, but no zip or PDF inside
    if content in _MAGIC and named in _PLAIN:
        return content  # a zip or a PDF named .txt, .html (a registered reader's name is kept)
    return named


def suffixes() -> frozenset[str]:
    """The file name endings of every reader (internal: used to tell paths and report files)."""
    return frozenset(s for r in _READERS.values() for s in r.suffixes)


def sniff(data: bytes | str) -> str:
    """
    Guess the format of *data*: ``"pdf"``, ``"xlsx"`` (a zip of ``xl/`` parts), ``"docx"`` (another zip), ``"html"`` (markup) or ``"text"``.

    Registered readers are asked first; ``"text"`` is the answer when no
    reader claims the input.

    >>> sniff("<p>一、总体情况</p>"), sniff("规章 | 0 | 0 | 0"), sniff(b"PK\\x03\\x04...")
    ('html', 'text', 'docx')
    >>> sniff(b"%PDF-1.7\\n...")
    'pdf'
    >>> sniff(b"PK\\x03\\x04...xl/workbook.xml...")
    'xlsx'

    .. versionadded:: 0.1.0
    """
    head = data[:_HEAD]
    for r in _READERS.values():
        if r.sniff is not None and r.sniff(head):
            return r.format
    return "text"


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


def _os_reason(e: OSError) -> object:
    """The operating system's reason, as a message the command line translates when it knows the text."""
    reason = e.strerror
    if not reason:
        return e
    # The C library's text is the template (it holds no braces to format).
    return M_(reason) if "{" not in reason and "}" not in reason else reason


def _too_big(size: int, what: str, *, at_least: bool = False) -> ParseError:
    return ParseError(
        M_(
            "{what} is {at_least}{size} bytes, more than the {limit} accepted (gov_disclosure.MAX_INPUT_BYTES); refused (annual reports are well under a megabyte)",
            what=what,
            at_least=M_("at least ") if at_least else "",
            size=size,
            limit=MAX_INPUT_BYTES,
        )
    )


#: How many characters of a ``str`` are encoded at a time to measure it.
_MEASURE_CHUNK = 1 << 20


def _check_str_size(text: str) -> None:
    """Refuse *text* if its UTF-8 encoding is over the limit, encoding at most a chunk over it."""
    if len(text) > MAX_INPUT_BYTES:  # every character is at least one byte
        raise _too_big(len(text), M_("the input (as UTF-8)"), at_least=True)
    size = 0
    for i in range(0, len(text), _MEASURE_CHUNK):
        size += _utf8_size(text[i : i + _MEASURE_CHUNK])
        if size > MAX_INPUT_BYTES:
            raise _too_big(size, M_("the input (as UTF-8)"), at_least=True)


#: How much of a stream is read at a time.
_STREAM_CHUNK = 1 << 20


def _stream_name(stream: object) -> str:
    """What a stream is called in errors: its file name, or what it is."""
    name = getattr(stream, "name", None)
    if isinstance(name, str) and name:
        return name
    return M_("the {type} stream", type=type(stream).__name__)


def _read_stream(stream: BinaryIO | TextIO) -> str | bytes:
    """
    Read a binary or text stream to its end, in chunks, refusing it once it passes the limit.

    At most :data:`MAX_INPUT_BYTES` and one byte are read from a binary stream
    (a text stream: at most one chunk of characters past it); only ``read(n)``
    is called (no ``seek``, no ``tell``: a pipe or a socket reads as a file).
    A text stream is measured as UTF-8, as a ``str`` is.
    """
    where = _stream_name(stream)
    chunks: list[Any] = []
    size = 0  # bytes, a text chunk counted as its UTF-8
    kind: type | None = None
    while True:
        try:
            # A byte past the limit is enough to refuse (a character may be 4 bytes).
            chunk = stream.read(min(_STREAM_CHUNK, MAX_INPUT_BYTES + 1 - size))
        except UnicodeDecodeError as e:
            raise ParseError(
                M_(
                    "the text stream cannot be decoded ({encoding}: {reason}) after {size} bytes",
                    encoding=e.encoding,
                    reason=e.reason,
                    size=size,
                ),
                location=where,
            ) from None
        except Exception as e:  # OSError (a reset socket), ValueError (a closed file)...
            raise ParseError(
                M_("cannot read the stream: {type}: {e}", type=type(e).__name__, e=e),
                location=where,
            ) from None
        if chunk is None:
            raise ParseError(
                M_("the stream is non-blocking and has no data ready; give a blocking stream"),
                location=where,
            )
        if isinstance(chunk, (bytearray, memoryview)):
            chunk = bytes(chunk)
        if not isinstance(chunk, (bytes, str)):
            raise ParseError(
                M_(
                    "the stream's read() returned a {type}, not bytes or str",
                    type=type(chunk).__name__,
                ),
                location=where,
            )
        if not chunk:
            break
        if kind is None:
            kind = bytes if isinstance(chunk, bytes) else str
        elif not isinstance(chunk, kind):
            raise ParseError(M_("the stream's read() returned both bytes and str"), location=where)
        size += len(chunk) if isinstance(chunk, bytes) else _utf8_size(chunk)
        if size > MAX_INPUT_BYTES:
            raise ParseError(
                _too_big(size, M_("the stream"), at_least=True).message, location=where
            )
        chunks.append(chunk)
    if kind is str:
        return "".join(chunks)
    return b"".join(chunks)


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _load(
    source: str | bytes | os.PathLike[str] | BinaryIO | TextIO,
) -> tuple[str | bytes, str | None, str | None]:
    """Return the content, the file name if it came from a path, and the place to name in errors."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > MAX_INPUT_BYTES:
            raise _too_big(len(data), M_("the input"))
        return data, None, None
    if isinstance(source, str):
        looks_like_path = "\n" not in source and len(source) < 1024 and "<" not in source
        ending = os.path.splitext(source.strip())[1].lower()
        if looks_like_path and (ending in suffixes() or os.path.isfile(source)):
            path = Path(source)
        else:
            # The limit is in bytes whatever the input's type: a str counts as
            # its UTF-8 encoding (a CJK character is 3 bytes), as a file would.
            if len(source) * 3 > MAX_INPUT_BYTES:
                _check_str_size(source)
            return source, None, None
    elif isinstance(source, os.PathLike):
        path = Path(source)
    elif callable(getattr(source, "read", None)):
        # Sniffed like bytes or a str: a stream's name may be anything ("<stdin>").
        return _read_stream(source), None, _stream_name(source)
    else:
        raise ParseError(
            M_(
                "cannot parse a {type}; give a path, str, bytes or a stream",
                type=type(source).__name__,
            )
        )
    data = _read_path(path)
    return data, str(path), str(path)


def _read_path(path: Path, limit: int | None = None) -> bytes:
    """
    The bytes of the file at *path*, refused before reading when it cannot be a report.

    Every input read from a path goes through here, report documents
    (``.json``) too: a path that is not a regular file (a FIFO would block,
    a device never end) and a file over :data:`MAX_INPUT_BYTES` are refused
    from their ``stat``, and no more than the limit and one byte is read
    (a file that grew meanwhile is refused by its length).

    *limit* is another bound than :data:`MAX_INPUT_BYTES`: a file of many
    report documents (``MAX_DOCUMENT_FILE_BYTES``) may hold thousands.

    Raises:
        ParseError: the file cannot be read, is not a regular file or is too
            big; located at the path.
    """
    bound = MAX_INPUT_BYTES if limit is None else limit
    try:
        st = path.stat()
    except OSError as e:
        raise ParseError(
            M_("cannot read {path}: {reason}", path=path, reason=_os_reason(e)),
            location=str(path),
        ) from None
    if not stat.S_ISREG(st.st_mode):
        # A FIFO or a device would block or never end: only files are read.
        raise ParseError(
            M_("cannot read {path}: not a regular file", path=path), location=str(path)
        )
    size = st.st_size
    if size > bound:
        # The location names the file: the message says "the file", not its path again.
        raise _file_too_big(size, bound, limit is None, path)
    try:
        with path.open("rb") as f:
            data = f.read(bound + 1)
    except OSError as e:
        raise ParseError(
            M_("cannot read {path}: {reason}", path=path, reason=_os_reason(e)),
            location=str(path),
        ) from None
    if len(data) > bound:
        raise _file_too_big(len(data), bound, limit is None, path)
    return data


def _file_too_big(size: int, bound: int, report: bool, path: Path) -> ParseError:
    if report:
        return ParseError(_too_big(size, M_("the file")).message, location=str(path))
    return ParseError(
        M_(
            "the file is {size} bytes, more than the {limit} read from one file of report documents; refused",
            size=size,
            limit=bound,
        ),
        location=str(path),
    )


def _read_binary(stream: BinaryIO) -> bytes:
    """The bytes of a binary *stream* (standard input), at most :data:`MAX_INPUT_BYTES`; else a :class:`ParseError`."""
    data = _read_stream(stream)
    return data.encode("utf-8") if isinstance(data, str) else data


def parse(
    source: str | bytes | os.PathLike[str] | BinaryIO | TextIO,
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
            report (``str``), the bytes of a file (text, HTML, ``.docx``,
            ``.xlsx``, PDF), or a stream of either: an open file, an
            ``io.BytesIO`` or ``io.StringIO``, ``sys.stdin.buffer``,
            a socket's reader, anything with a ``read(n)`` method (no
            ``seek`` needed).  A ``str`` without line breaks that names an existing file,
            or ends in a suffix of a reader (``.html``, ``.txt``, ``.docx``,
            ``.pdf``...), is a path.  A stream is read from where it stands
            to its end in chunks of 1 MiB, refused as soon as it passes
            :data:`~gov_disclosure.MAX_INPUT_BYTES` (a text stream counted as
            UTF-8), and its format is sniffed from the content, as for bytes
            (its name's suffix is not used).  The stream is not closed.
        format: One of :func:`gov_disclosure.parsers.formats` (``"text"``, ``"html"``, ``"docx"``,
            ``"xlsx"``, ``"pdf"``, or a registered one).  When ``None``, a file whose
            suffix belongs to a reader is read by it, anything else is sniffed;
            a Word document, workbook or PDF is read as what its first bytes
            say whatever its name (a ``.docx`` named ``.txt``), and a file
            named ``.docx``, ``.xlsx`` or ``.pdf`` that is none is sniffed.
        agency: The agency, used when the title does not print one.
        year: The reporting year; overrides the title's (with a warning when
            they differ).
        previous: Last year's report of the same agency: a tie-breaker for
            cells the text cannot decide (the reading closest to it under
            :func:`~gov_disclosure.continuity` wins).

    Returns:
        The :class:`~gov_disclosure.Parsed` result.

    Raises:
        ParseError: the input is unreadable, too large, not a report, or
            gives no agency or year (and the caller neither); the error's
            ``location`` names the place (for a stream, its file name or what
            it is).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       Streams (binary and text) are read, with the size limit checked
       while reading.
    .. versionchanged:: 0.1.0
       A path's content decides between the binary formats and the others.
    """
    from .assemble import assemble, without_surrogates

    data, name, where = _load(source)
    fmt = format or _path_format(name, data)
    if fmt == "markdown":
        fmt = "text"
    read = reader(fmt).read
    replaced = 0
    if isinstance(data, str) and fmt != "text":
        # Before the reader: lxml stops reading a str at a lone surrogate.  (The
        # text reader keeps them; the assembler replaces them, naming the line.)
        data, replaced = without_surrogates(data)
    try:
        rows = read(data)
        if not rows:
            raise ParseError(M_("the input is empty"))
        if len(rows) > MAX_CELLS:  # a registered reader's rows (the built-in ones stop sooner)
            raise too_many_cells()
        chars = sum(len(c) for row in rows for c in row.cells)
        if chars > MAX_TEXT_CHARS:
            raise too_long_text(chars)
        return assemble(
            rows, agency=agency, year=year, previous=previous, fmt=fmt, replaced=replaced
        )
    except ParseError as e:
        if where is not None and e.location is None:
            raise ParseError(e.message, location=where) from None
        raise
    except RecursionError:
        raise ParseError(M_("the document is nested too deeply to read"), location=where) from None
