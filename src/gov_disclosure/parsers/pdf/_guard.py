"""
Refuse PDF bombs before PDFium parses a page: compressed streams that expand past the limits.

A 16 MiB PDF (the input limit, :data:`~gov_disclosure.parsers.MAX_INPUT_BYTES`)
can hold Flate streams that expand a thousandfold; PDFium would expand a page's
content stream whole and build an object for every operator in it (measured:
100 MiB of drawing operators, 200 KiB compressed, take 43 s and 2 GiB).  So
every Flate stream is expanded here first, in bounded steps, and the document
refused when one expands more than :data:`MAX_RATIO` times its size (beyond
1 MiB, as the DOCX reader's zip-bomb rule), or when the streams PDFium expands
to read text (every stream but images, which are not decoded to read text)
expand to more than :data:`MAX_EXPANDED_BYTES` in all, or those other than
fonts (page contents, forms, object streams: what PDFium parses into objects)
to more than :data:`MAX_CONTENT_BYTES`.  A stream's kind is read from its
dictionary; a bomb that lies about its kind is still held by the ratio and by
:data:`MAX_EXPANDED_BYTES`.

The scan reads streams by their ``stream``/``endstream`` keywords, not by the
cross-reference table, so a damaged table hides none.  Streams in another
filter first (``ASCII85Decode`` then Flate) and streams of an encrypted PDF
are not expanded here (their bytes are not a Flate stream until decoded).
"""

from __future__ import annotations

import re
import zlib

from ..._messages import M_
from ...errors import ParseError

__all__ = ["MAX_CONTENT_BYTES", "MAX_EXPANDED_BYTES", "MAX_RATIO", "check_streams"]

#: The most bytes the PDF's streams (images aside) may expand to, in all.
MAX_EXPANDED_BYTES = 64 * 1024 * 1024
#: The most bytes the content streams (pages, forms, object streams) may
#: expand to, in all: what an uncompressed input may hold (``MAX_INPUT_BYTES``).
MAX_CONTENT_BYTES = 16 * 1024 * 1024
#: The largest compression ratio of one stream expanding past 1 MiB.
MAX_RATIO = 200

_SMALL = 1 << 20
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_STEP = 1 << 20


def check_streams(data: bytes) -> None:
    """
    Expand every Flate stream of *data* within the limits, or refuse the PDF.

    Raises:
        ParseError: a stream expands more than :data:`MAX_RATIO` times its size
            (beyond 1 MiB), or the streams other than images to more than
            :data:`MAX_EXPANDED_BYTES` (the content streams to more than
            :data:`MAX_CONTENT_BYTES`); the location is the stream's byte offset.
    """
    total = content = 0
    view = memoryview(data)
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 512) : m.start()]
        if not head.rstrip().endswith(b">>"):
            continue  # the word "stream" in text, not a stream keyword
        head = head[head.rfind(b"obj") + 1 :]
        if not _FLATE.search(head):
            continue
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        image = _IMAGE.search(head) is not None
        font = _FONT.search(head) is not None
        budget = MAX_EXPANDED_BYTES if image else MAX_EXPANDED_BYTES - total
        if not (image or font):
            budget = min(budget, MAX_CONTENT_BYTES - content)
        # Past the ratio limit the answer is known: expand no further.
        size = _expanded(view[start:end], min(budget, max(_SMALL, MAX_RATIO * (end - start))))
        where = f"the stream at byte {start}"
        if size > _SMALL and size > MAX_RATIO * (end - start):
            raise ParseError(
                M_(
                    "a compressed stream expands more than {MAX_RATIO} times its {size} bytes (a PDF bomb?); refused",
                    MAX_RATIO=MAX_RATIO,
                    size=end - start,
                ),
                location=where,
            )
        if image:
            continue
        total += size
        if not font:
            content += size
        if total > MAX_EXPANDED_BYTES or content > MAX_CONTENT_BYTES:
            raise ParseError(
                M_(
                    "the PDF's compressed streams expand to more than {MAX_EXPANDED_BYTES} bytes, or its content streams to more than {MAX_CONTENT_BYTES} (a PDF bomb?); refused",
                    MAX_EXPANDED_BYTES=MAX_EXPANDED_BYTES,
                    MAX_CONTENT_BYTES=MAX_CONTENT_BYTES,
                ),
                location=where,
            )


def _expanded(raw: memoryview, budget: int) -> int:
    """The expanded size of a Flate stream, counted no further than *budget* + 1 (0 when it is not Flate)."""
    d = zlib.decompressobj()
    size = 0
    data: bytes | memoryview = raw
    try:
        while not d.eof and size <= budget:
            chunk = d.decompress(data, _STEP)
            data = d.unconsumed_tail
            if not chunk and not data:
                break
            size += len(chunk)
    except zlib.error:
        # Damaged, encrypted or not Flate after all: PDFium decides; what
        # expanded so far still counts.
        pass
    return size
