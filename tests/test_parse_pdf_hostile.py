"""
Hostile and broken PDFs: encrypted, damaged, bombs.  Each is a clear ParseError, never a crash or a hang.

PDFium is C code: a damaged input that crashed it would kill the test run, and
one that looped would hang it.  So the damaged inputs and the bombs are parsed
in a child Python with a timeout: a crash or a hang fails the test (naming the
input) instead of taking pytest down.  Every fixture is made here, from the
corpus PDF or by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.parsers import pdf as pdf_reader
from gov_disclosure.parsers.pdf import _extract, _grid, _guard

from .test_parse_pdf import PDF_013, _pdf, _pdf_file

_FONT = b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"
_TEXT = b"BT /F1 12 Tf 20 150 Td (Annual report 2021) Tj ET"

# -- isolation ----------------------------------------------------------------------

_CHILD = """
import json, sys, pathlib
import gov_disclosure as gd
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.pdf")):
    print(json.dumps({"name": f.stem, "started": True}), flush=True)
    try:
        gd.parse(f.read_bytes())
        out = {"name": f.stem, "error": None}
    except gd.ParseError as e:
        out = {"name": f.stem, "error": str(e), "location": e.location}
    print(json.dumps(out), flush=True)
"""


def _parse_isolated(
    tmp_path: Path, cases: dict[str, bytes], timeout: float = 120
) -> dict[str, dict[str, object]]:
    """
    Parse each of *cases* in a child Python: name -> {"error": message or None, "location"}.

    Fails the test, naming the input, if the child crashes (a signal), raises
    anything but ParseError, or runs past *timeout* seconds in all.
    """
    folder = tmp_path / "cases"
    folder.mkdir()
    for name, data in cases.items():
        (folder / f"{name}.pdf").write_bytes(data)
    env = dict(os.environ)
    src = str(Path(gd.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
        stdout, stderr, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        last = [json.loads(x) for x in out.splitlines()][-1:] or [{"name": "(none)"}]
        pytest.fail(f"parsing {last[0]['name']!r} ran past {timeout} s (a hang)")
    results: dict[str, dict[str, object]] = {}
    last_started = "(none)"
    for line in stdout.splitlines():
        record = json.loads(line)
        if record.get("started"):
            last_started = str(record["name"])
        else:
            results[str(record["name"])] = record
    assert code == 0, (
        f"parsing {last_started!r} ended the child with code {code}:\n{stderr[-3000:]}"
    )
    assert results.keys() == cases.keys()
    return results


# -- encryption (the standard security handler, RC4 40-bit: PDF 1.1's, simple to write) ----

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted(user: bytes, owner: bytes) -> bytes:
    """A one-page PDF with a line of text, encrypted (PDF 1.7 algorithms 2, 3 and 4; revision 2)."""

    def pad(password: bytes) -> bytes:
        return (password + _PAD)[:32]

    file_id = hashlib.md5(b"gov-disclosure test").digest()
    perms = -64  # no printing, no copying, no changes: what an owner password restricts
    o = _rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
    key = hashlib.md5(pad(user) + o + struct.pack("<i", perms) + file_id).digest()[:5]
    u = _rc4(key, _PAD)
    object_key = hashlib.md5(key + (4).to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[
        :10
    ]
    encrypt = b"<</Filter/Standard/V 1/R 2/O <%s>/U <%s>/P %d>>" % (
        o.hex().encode(),
        u.hex().encode(),
        perms,
    )
    return _pdf(
        _rc4(object_key, _TEXT),
        resources=b"<</Font<</F1 5 0 R>>>>",
        extra=(_FONT, encrypt),
        trailer=b"/Encrypt 6 0 R/ID[<%s><%s>]" % (file_id.hex().encode(), file_id.hex().encode()),
    )


class TestEncrypted:
    def test_plain_fixture_reads(self) -> None:
        """The unencrypted twin of the fixtures reads its line (so the tests below test encryption)."""
        plain = _pdf(_TEXT, resources=b"<</Font<</F1 5 0 R>>>>", extra=(_FONT,))
        assert [r.cells for r in pdf_reader.read_pdf(plain)] == [("Annual report 2021",)]

    def test_user_password_is_refused(self) -> None:
        """A PDF that needs a password to open is a ParseError saying so and what to do."""
        with pytest.raises(
            gd.ParseError, match=r"encrypted and needs a password.*unencrypted copy"
        ):
            gd.parse(_encrypted(user=b"secret", owner=b"owner"))

    def test_owner_password_only_reads(self) -> None:
        """A PDF with only an owner password (printing/copying restricted) opens and reads normally."""
        rows = pdf_reader.read_pdf(_encrypted(user=b"", owner=b"owner"))
        assert [r.cells for r in rows] == [("Annual report 2021",)]


# -- damaged files ----------------------------------------------------------------------


def _damaged() -> dict[str, bytes]:
    """The corpus PDF damaged in the ways files get damaged: cut short, bytes flipped, xref broken."""
    data = PDF_013.read_bytes()
    n = len(data)
    cases = {f"truncated_{p:02d}pct": data[: n * p // 100] for p in (1, 10, 50, 90, 99)}
    cases["header_only"] = data[:16]
    rng = random.Random(13)
    for k in range(6):
        flipped = bytearray(data)
        for pos in rng.sample(range(n), 50 * (k + 1)):
            flipped[pos] ^= 0xFF
        cases[f"flipped_{k}"] = bytes(flipped)
    start = data.rindex(b"startxref")
    cases["startxref_wrong"] = data[:start] + b"startxref\n12345\n%%EOF\n"
    # The cross-reference section (a table or, as here, a stream) where startxref points.
    xref = int(data[start:].split()[1])
    assert 0 < xref < start
    cases["xref_garbage"] = (
        data[:xref] + bytes(rng.randrange(256) for _ in range(start - xref)) + data[start:]
    )
    cases["no_xref_no_trailer"] = data[:xref]
    # Every stream's compressed bytes damaged in the middle.
    broken = bytearray(data)
    streams = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    assert len(streams) > 10
    for pos in streams:
        if pos + 48 < len(data):
            broken[pos + 40 : pos + 48] = b"\x00" * 8
    cases["streams_damaged"] = bytes(broken)
    return cases


class TestDamaged:
    def test_damaged_is_a_parse_error_or_a_reading(self, tmp_path: Path) -> None:
        """
        Every damaged file is read (PDFium repairs what it can) or refused with a ParseError; none crashes.

        The refusals say what is wrong (not a readable PDF, a page that
        cannot be read, no text, no title): never a traceback from inside.
        """
        cases = _damaged()
        results = _parse_isolated(tmp_path, cases)
        for name in ("truncated_01pct", "header_only"):
            assert results[name]["error"], name
        for name, r in results.items():
            if r["error"] is not None:
                assert isinstance(r["error"], str)
                assert r["error"].strip(), name
        # The short ones are refused as unreadable, not as empty reports.
        assert "not a readable PDF" in str(results["header_only"]["error"])

    def test_page_that_cannot_be_loaded_is_located(self) -> None:
        """
        A page PDFium cannot load (its page object is a font) is named in the error.

        Some PDFium builds (pypdfium2 5.0) load such a page as an empty page
        instead: then the document reads as its good page.
        """
        data = _pdf(_TEXT, resources=b"<</Font<</F1 5 0 R>>>>", extra=(_FONT,))
        data = data.replace(b"/Kids[3 0 R]/Count 1", b"/Kids[3 0 R 5 0 R]/Count 2")
        outcome: object
        try:
            outcome = [r.cells for r in pdf_reader.read_pdf(data)]
        except gd.ParseError as e:
            outcome = e
        if isinstance(outcome, gd.ParseError):
            assert str(outcome).startswith("page 2: the page cannot be read (a damaged PDF?)")
            assert outcome.location == "page 2"
        else:
            assert outcome == [("Annual report 2021",)]


# -- bombs ----------------------------------------------------------------------------


def _pages(count: int, claimed: int | None = None) -> bytes:
    """A PDF of *count* pages (all sharing one content stream), its page tree claiming *claimed*."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    pages = [
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 3 0 R/Resources<</Font<</F1 4 0 R>>>>>>"
    ] * count
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, claimed if claimed is not None else count),
        b"<</Length %d>>stream\n" % len(_TEXT) + _TEXT + b"\nendstream",
        _FONT,
        *pages,
    ]
    return _pdf_file(objects)


def _deep_page_tree(depth: int) -> bytes:
    """A page tree *depth* levels deep (each /Pages node has one kid, the next)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R>>"]
    for level in range(depth):
        objects.append(b"<</Type/Pages/Kids[%d 0 R]/Count 1>>" % (3 + level))
    objects.append(b"<</Type/Page/MediaBox[0 0 200 200]/Contents %d 0 R>>" % (4 + depth))
    objects.append(b"<</Length %d>>stream\n" % len(_TEXT) + _TEXT + b"\nendstream")
    return _pdf_file(objects)


def _bombs() -> dict[str, bytes]:
    drawing = b"0 0 m 1 1 l S\n" * (100 * 1024 * 1024 // 14)  # 100 MiB of operators
    self_drawing_form = (
        b"<</Type/XObject/Subtype/Form/BBox[0 0 200 200]/Resources<</XObject<</X 5 0 R>>>>"
        b"/Length 6>>stream\n/X Do\nendstream"
    )
    return {
        "pages_201": _pages(201),
        "pages_claimed_1e9": _pages(1, claimed=10**9),
        "nested_arrays": _pdf(
            _TEXT,
            resources=b"<</Font<</F1 5 0 R>>/X " + b"[" * 100_000 + b"]" * 100_000 + b">>",
            extra=(_FONT,),
        ),
        "nested_dicts": _pdf(
            _TEXT,
            resources=b"<</Font<</F1 5 0 R>>/X "
            + b"<</A " * 50_000
            + b"1"
            + b">>" * 50_000
            + b">>",
            extra=(_FONT,),
        ),
        "nested_page_tree": _deep_page_tree(5_000),
        "form_draws_itself": _pdf(
            b"/X Do", resources=b"<</XObject<</X 5 0 R>>>>", extra=(self_drawing_form,)
        ),
        "nested_q": _pdf(
            b"q " * 200_000 + _TEXT + b" Q" * 200_000,
            resources=b"<</Font<</F1 5 0 R>>>>",
            extra=(_FONT,),
        ),
        "flate_100MiB": _pdf(zlib.compress(drawing, 9), stream_dict=b"/Filter/FlateDecode"),
    }


class TestBombs:
    def test_each_bomb_is_refused_or_read_in_bounded_time(self, tmp_path: Path) -> None:
        """
        Huge page counts, deep nesting and a huge decompressed stream end in bounded time, with located errors.

        The limits: :data:`~gov_disclosure.parsers.pdf.MAX_PAGES` pages, and
        compressed streams expanding no more than 200:1 beyond 1 MiB (a
        DOCX part's rule) and to no more than what an uncompressed input may
        hold.  Deep nesting is PDFium's to refuse (its parser limits depth).
        """
        results = _parse_isolated(tmp_path, _bombs(), timeout=120)
        assert (
            results["pages_201"]["error"]
            == f"the PDF has 201 pages (limit {pdf_reader.MAX_PAGES}); refused"
        )
        # PDFium counts the pages it finds, not the count claimed: the one page is read.
        assert results["pages_claimed_1e9"]["error"]
        flate = results["flate_100MiB"]
        assert "PDF bomb" in str(flate["error"])
        assert str(flate["location"]).startswith("the stream at byte ")
        for name in (
            "nested_arrays",
            "nested_dicts",
            "nested_page_tree",
            "form_draws_itself",
            "nested_q",
        ):
            # Read or refused, but never the wrong report: none of them is one.
            assert results[name]["error"], name

    def test_content_budget(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Content streams expanding past the content budget are refused, even at a modest ratio."""
        monkeypatch.setattr(_guard, "MAX_CONTENT_BYTES", 10_000)
        rng = random.Random(7)
        # Numbers that compress about 2:1: no ratio rule would catch them.
        ops = b"".join(
            b"%d %d m %d %d l S\n" % tuple(rng.randrange(999) for _ in range(4))
            for _ in range(2000)
        )
        data = _pdf(zlib.compress(ops), stream_dict=b"/Filter/FlateDecode")
        with pytest.raises(gd.ParseError, match=r"content streams to more than 10000.*PDF bomb"):
            gd.parse(data)

    def test_stream_under_the_limits_is_read(self) -> None:
        """A compressed content stream within the limits is expanded and read (the guard is no blanket refusal)."""
        data = _pdf(
            zlib.compress(_TEXT),
            resources=b"<</Font<</F1 5 0 R>>>>",
            extra=(_FONT,),
            stream_dict=b"/Filter/FlateDecode",
        )
        assert [r.cells for r in pdf_reader.read_pdf(data)] == [("Annual report 2021",)]

    def test_objects_per_page(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A page with more objects than the limit is refused, naming the page."""
        monkeypatch.setattr(_extract, "MAX_OBJECTS", 10)
        data = _pdf(
            b"0 0 m 9 9 l S\n" * 11 + _TEXT, resources=b"<</Font<</F1 5 0 R>>>>", extra=(_FONT,)
        )
        with pytest.raises(gd.ParseError, match=r"^page 1: the page has more than 10 objects"):
            gd.parse(data)

    def test_characters_per_page(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A page with more characters than the limit is refused, naming the page."""
        monkeypatch.setattr(_extract, "MAX_CHARS", 10)
        data = _pdf(_TEXT, resources=b"<</Font<</F1 5 0 R>>>>", extra=(_FONT,))
        with pytest.raises(
            gd.ParseError, match=r"^page 1: the page has \d+ characters \(limit 10\)"
        ):
            gd.parse(data)


# -- work bounded over the whole document ----------------------------------------------


def _glyphs_apart(n: int) -> bytes:
    """A page of *n* glyphs, each its own text object at its own place (PDFium's worst case)."""
    text = b"".join(
        b"BT /F1 6 Tf 1 0 0 1 %d %d Tm (1) Tj ET " % (i % 190, (i // 190) % 200) for i in range(n)
    )
    return _pdf(text, resources=b"<</Font<</F1 5 0 R>>>>", extra=(_FONT,))


def _shared_font_pdf(contents: list[bytes]) -> bytes:
    """A PDF of one page per content stream of *contents* (Helvetica as /F1; equal streams shared)."""
    streams = list(dict.fromkeys(contents))
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"", _FONT]
    objects += [b"<</Length %d>>stream\n" % len(c) + c + b"\nendstream" for c in streams]
    first = len(objects) + 1
    for c in contents:
        objects.append(
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents %d 0 R"
            b"/Resources<</Font<</F1 3 0 R>>>>>>" % (4 + streams.index(c))
        )
    kids = b" ".join(b"%d 0 R" % (first + k) for k in range(len(contents)))
    objects[1] = b"<</Type/Pages/Kids[%s]/Count %d>>" % (kids, len(contents))
    return _pdf_file(objects)


class TestDocumentBudgets:
    """Limits over the whole document, checked before PDFium's text extraction of each page."""

    def test_many_separate_glyphs(self) -> None:
        """20,000 glyphs placed one by one (6 s in PDFium's text extraction) are refused before it."""
        with pytest.raises(gd.ParseError, match="20000 separate text objects") as e:
            gd.parse(_glyphs_apart(20_000))
        assert e.value.location == "page 1"

    def test_text_work_adds_up(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The squares of the pages' text objects add up: the page that passes the limit is named."""
        monkeypatch.setattr(_extract, "MAX_TEXT_WORK", 2 * 300 * 300)
        kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(3))
        text = b"".join(b"BT /F1 6 Tf 1 0 0 1 %d 50 Tm (1) Tj ET " % i for i in range(300))
        page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 3 0 R/Resources<</Font<</F1 4 0 R>>>>>>"
        data = _pdf_file(
            [
                b"<</Type/Catalog/Pages 2 0 R>>",
                b"<</Type/Pages/Kids[%s]/Count 3>>" % kids,
                b"<</Length %d>>stream\n" % len(text) + text + b"\nendstream",
                _FONT,
                page,
                page,
                page,
            ]
        )
        with pytest.raises(gd.ParseError, match="300 separate text objects") as e:
            gd.parse(data)
        assert e.value.location == "page 3"

    def test_characters_add_up(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Pages sharing one content stream: the document's characters are counted over the pages."""
        monkeypatch.setattr(_extract, "MAX_DOCUMENT_CHARS", 2 * len(b"Annual report 2021") + 5)
        with pytest.raises(gd.ParseError, match="characters by this page") as e:
            gd.parse(_pages(5))
        assert e.value.location == "page 3"

    def test_document_characters_limit(self) -> None:
        """A PDF one character over the document limit is refused at the page that passes it; at the limit it is read."""
        run = b"BT /F1 1 Tf 1 0 0 1 5 100 Tm (" + b"0123456789" * 1000 + b") Tj ET"
        full, rest = divmod(_extract.MAX_DOCUMENT_CHARS, 10_000)
        pages = [run] * full + (
            [b"BT /F1 1 Tf 1 0 0 1 5 100 Tm (" + b"7" * rest + b") Tj ET"] if rest else []
        )
        at_limit = _extract.extract(_shared_font_pdf(pages))
        assert sum(len(p.glyphs) for p in at_limit) == _extract.MAX_DOCUMENT_CHARS
        over = _shared_font_pdf([*pages, b"BT /F1 6 Tf 1 0 0 1 5 50 Tm (7) Tj ET"])
        limit = _extract.MAX_DOCUMENT_CHARS
        with pytest.raises(
            gd.ParseError, match=rf"more than {limit} characters by this page \(the document limit"
        ) as e:
            gd.parse(over)
        assert e.value.location == f"page {len(pages) + 1}"

    def test_drawn_objects_add_up(self) -> None:
        """Pages sharing a stream of many small paths: the document's drawn objects are counted over the pages."""
        marks = b"0 0 m 1 1 l S " * (_extract.MAX_DOCUMENT_DRAWINGS * 3 // 5)
        with pytest.raises(
            gd.ParseError,
            match=rf"more than {_extract.MAX_DOCUMENT_DRAWINGS} drawn objects .*\(the document limit",
        ) as e:
            gd.parse(_shared_font_pdf([marks + _TEXT] * 3))
        assert e.value.location == "page 2"

    def test_ruling_lines_add_up(self) -> None:
        """
        A page's ruling lines can make (horizontal × vertical) table cells; over the document that is limited.

        The lines do not even touch: finding which do is the work bounded
        (it took 4.8 s for 4,000 of each on one page).
        """
        n = 4 + int((_grid.MAX_SLOTS / 2) ** 0.5)  # two pages of n × n pass the limit, one does not
        rules = b"".join(
            b"-20 %.1f m -10 %.1f l S %.1f -10 m %.1f -5 l S " % (y, y, y, y)
            for y in (5 + 1.2 * i for i in range(n))
        )
        with pytest.raises(
            gd.ParseError,
            match=rf"{n} horizontal and {n} vertical ruling lines.* more than {_grid.MAX_SLOTS} table cells",
        ) as e:
            gd.parse(_shared_font_pdf([rules + _TEXT] * 2))
        assert e.value.location == "page 2"

    def test_real_report_is_within(self) -> None:
        """The corpus PDF is far inside both budgets."""
        assert gd.parse(PDF_013).report.agency
