"""
Streams as input of ``gd.parse`` (issue #15): read in chunks, refused once over the size limit, sniffed as bytes.

A stream is whatever has ``read(n)``: an open file, ``io.BytesIO``,
``io.StringIO``, ``sys.stdin.buffer``, a socket's reader (no ``seek``).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import CORPUS

import gov_disclosure as gd
from gov_disclosure import parsers
from gov_disclosure.strategies import reports

_LIMIT = gd.MAX_INPUT_BYTES


class Trickle:
    """A socket-like reader: ``read(n)`` only, short reads of the sizes given, no ``seek`` or ``tell``."""

    def __init__(self, data: bytes | str, sizes: list[int] | None = None) -> None:
        self._data = data
        self._sizes = sizes or [4096]
        self._i = 0
        self.asked = 0  # bytes or characters asked for in all
        self.calls = 0

    def read(self, n: int = -1) -> bytes | str:
        self.calls += 1
        self.asked += max(n, 0)
        size = self._sizes[self.calls % len(self._sizes)]
        take = min(n, size) if n >= 0 else len(self._data)
        out = self._data[self._i : self._i + take]
        self._i += len(out)
        return out


class Endless:
    """A stream that never ends: the same block of bytes for ever (``/dev/zero`` from a socket)."""

    def __init__(self, block: bytes | str) -> None:
        self.block = block
        self.given = 0

    def read(self, n: int = -1) -> bytes | str:
        assert n > 0, "an endless stream must not be read whole"
        out = (self.block * (n // len(self.block) + 1))[:n]
        self.given += len(out)
        return out


def _report() -> gd.AnnualReport:
    return gd.parse(CORPUS / "001.html").report


class TestEveryKindOfStream:
    """Each kind of stream gives the same report as the bytes (or str) it holds."""

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html", "docx", "xlsx"])
    def test_binary(self, fmt: str) -> None:
        """io.BytesIO of each rendered format is sniffed and read like its bytes."""
        if fmt == "docx":
            pytest.importorskip("docx")
        if fmt == "xlsx":
            pytest.importorskip("openpyxl")
        report = _report()
        out = gd.render(report, fmt)
        data = out.encode("utf-8") if isinstance(out, str) else out
        from_stream = gd.parse(io.BytesIO(data))
        assert from_stream == gd.parse(data)
        assert from_stream.report == report

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
    def test_text(self, fmt: str) -> None:
        """io.StringIO of a rendered text format reads like the str."""
        report = _report()
        out = gd.render(report, fmt)
        assert isinstance(out, str)
        assert gd.parse(io.StringIO(out)) == gd.parse(out)

    def test_open_files(self, tmp_path: Path) -> None:
        """A file opened in binary and in text mode; the stream is left open, read to its end."""
        path = tmp_path / "report.html"
        path.write_bytes((CORPUS / "001.html").read_bytes())
        with path.open("rb") as fb:
            binary = gd.parse(fb)
            assert not fb.closed
            assert fb.read() == b""
        with path.open(encoding="utf-8") as ft:
            text = gd.parse(ft)
        assert binary.report == text.report == gd.parse(path).report

    def test_from_where_it_stands(self) -> None:
        """A stream is read from its position, not rewound (a header already consumed stays consumed)."""
        text = gd.render(_report(), "text")
        assert isinstance(text, str)
        data = b"HEADER\n" + text.encode("utf-8")
        stream = io.BytesIO(data)
        assert stream.read(7) == b"HEADER\n"
        assert gd.parse(stream) == gd.parse(text.encode("utf-8"))

    def test_name_suffix_is_not_used(self, tmp_path: Path) -> None:
        """An HTML page in a file named .txt is sniffed as HTML from a stream (content, not name)."""
        path = tmp_path / "page.txt"
        path.write_bytes((CORPUS / "001.html").read_bytes())
        with path.open("rb") as f:
            assert gd.parse(f).report == gd.parse((CORPUS / "001.html").read_bytes()).report

    @given(
        fmt=st.sampled_from(["text", "html", "docx"]),
        sizes=st.lists(st.integers(1, 5000), min_size=1, max_size=8),
        report=reports(),
    )
    def test_short_reads(self, fmt: str, sizes: list[int], report: gd.AnnualReport) -> None:
        """Property: a reader that returns short chunks of any sizes gives what its bytes give."""
        out = gd.render(report, fmt)
        data = out.encode("utf-8") if isinstance(out, str) else out
        assert gd.parse(Trickle(data, sizes)) == gd.parse(data)

    @given(text=st.text(max_size=300), sizes=st.lists(st.integers(1, 50), min_size=1, max_size=5))
    def test_any_text(self, text: str, sizes: list[int]) -> None:
        """Property: any text from a text stream has the outcome of the str, result or error alike."""
        text = "\n" + text  # never a path: a str with a line break is text

        def outcome(source: object) -> object:
            try:
                return gd.parse(source, year=2021, agency="某局")  # type: ignore[arg-type]
            except gd.ParseError as e:
                return str(e).removeprefix("the Trickle stream: ")

        assert outcome(Trickle(text, sizes)) == outcome(text)

    def test_stdin(self, tmp_path: Path) -> None:
        """sys.stdin.buffer of a child process fed a DOCX through a pipe."""
        pytest.importorskip("docx")
        data = gd.render(_report(), "docx")
        assert isinstance(data, bytes)
        code = "import sys, gov_disclosure as gd; print(gd.parse(sys.stdin.buffer).report.agency)"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=data,
            capture_output=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        assert done.stdout.decode("utf-8").strip() == _report().agency


class TestSizeLimit:
    """The limit is checked while reading: a stream over it is refused without being read whole."""

    @pytest.mark.parametrize("block", [b"1\n", "1\n", "规", b"\x00"])
    def test_endless(self, block: bytes | str) -> None:
        """A stream that never ends is refused after one byte (a character stream: a chunk) past the limit."""
        stream = Endless(block)
        with pytest.raises(gd.ParseError, match=r"MAX_INPUT_BYTES") as e:
            gd.parse(stream)  # type: ignore[arg-type]
        assert e.value.location == "the Endless stream"
        assert str(e.value).startswith("the Endless stream: the stream is at least ")
        if isinstance(block, bytes):  # never a byte more than needed to know
            assert stream.given == _LIMIT + 1
        else:  # characters: at most a chunk past the limit
            per_char = len(block.encode("utf-8")) // len(block)
            assert stream.given <= _LIMIT // per_char + parsers._STREAM_CHUNK

    def test_refused_in_bounded_memory(self) -> None:
        """An endless stream costs no more than the limit in memory (the bytes kept), not the stream."""
        tracemalloc.start()
        try:
            with pytest.raises(gd.ParseError, match="refused"):
                gd.parse(Endless(b"x" * 4096))  # type: ignore[arg-type]
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 2 * _LIMIT

    def test_at_the_limit(self) -> None:
        """A stream of exactly the limit passes the size check (and meets the next one, the cells)."""
        data = b"1\n" * (_LIMIT // 2)
        with pytest.raises(gd.ParseError, match="cells") as e:
            gd.parse(io.BytesIO(data))
        assert "MAX_INPUT_BYTES" not in str(e.value)

    def test_text_counted_as_utf8(self) -> None:
        """A text stream of fewer characters than the limit but more UTF-8 bytes is refused."""
        text = "规" * (_LIMIT // 3 + 1)
        assert len(text) < _LIMIT
        with pytest.raises(gd.ParseError, match="MAX_INPUT_BYTES"):
            gd.parse(io.StringIO(text))

    def test_file_is_named(self, tmp_path: Path) -> None:
        """An open file over the limit is refused naming the file."""
        path = tmp_path / "big.txt"
        with path.open("wb") as f:
            f.truncate(_LIMIT + 10)
        with path.open("rb") as f, pytest.raises(gd.ParseError) as e:
            gd.parse(f)
        assert e.value.location == str(path)


class TestBadStreams:
    """A stream that fails is one located ParseError, never the stream's own exception."""

    def test_closed(self) -> None:
        """A closed stream (ValueError from io)."""
        stream = io.BytesIO(b"x")
        stream.close()
        with pytest.raises(gd.ParseError, match="cannot read the stream"):
            gd.parse(stream)

    def test_undecodable_text(self) -> None:
        """A text stream over bytes that are not its encoding."""
        stream = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\xfa" * 10), encoding="utf-8")
        with pytest.raises(gd.ParseError, match="cannot be decoded") as e:
            gd.parse(stream)
        assert e.value.location == "the TextIOWrapper stream"

    def test_read_error(self) -> None:
        """An OSError while reading (a reset connection)."""

        class Reset:
            def read(self, n: int = -1) -> bytes:
                raise ConnectionResetError(104, "Connection reset by peer")

        with pytest.raises(gd.ParseError, match="Connection reset by peer") as e:
            gd.parse(Reset())  # type: ignore[arg-type]
        assert e.value.location == "the Reset stream"

    def test_non_blocking(self) -> None:
        """A non-blocking stream with no data (read returns None)."""

        class NonBlocking:
            name = "socket"

            def read(self, n: int = -1) -> None:
                return None

        with pytest.raises(gd.ParseError, match="non-blocking") as e:
            gd.parse(NonBlocking())  # type: ignore[arg-type]
        assert e.value.location == "socket"

    def test_any_exception_of_the_stream(self) -> None:
        """Whatever a home-made stream raises becomes a ParseError naming it."""

        class Broken:
            def read(self, n: int = -1) -> bytes:
                raise RuntimeError("the upload was cancelled")

        with pytest.raises(gd.ParseError, match="RuntimeError: the upload was cancelled"):
            gd.parse(Broken())  # type: ignore[arg-type]

    @pytest.mark.parametrize("chunks", [[b"a", "b"], ["a", b"b"], [1]])
    def test_wrong_types(self, chunks: list[object]) -> None:
        """read() returning something other than bytes or str, or both by turns."""

        class Odd:
            def __init__(self) -> None:
                self.chunks = list(chunks)

            def read(self, n: int = -1) -> object:
                return self.chunks.pop(0) if self.chunks else b""

        with pytest.raises(gd.ParseError, match="returned"):
            gd.parse(Odd())  # type: ignore[arg-type]

    def test_error_inside_the_reader_is_located(self) -> None:
        """A stream that holds no report: the error names the stream."""
        with pytest.raises(gd.ParseError) as e:
            gd.parse(io.BytesIO(b"PK\x03\x04 not a zip"))
        assert e.value.location == "the BytesIO stream"

    def test_not_a_stream(self) -> None:
        """An object without read() is refused naming what is accepted."""
        with pytest.raises(gd.ParseError, match="path, str, bytes or a stream"):
            gd.parse(42)  # type: ignore[arg-type]


def test_chunk_is_bounded() -> None:
    """The reader asks for at most a chunk at a time (a socket's read(n) is not asked for 16 MiB)."""
    stream = Trickle(b"x" * (3 * parsers._STREAM_CHUNK), [1 << 30])
    with pytest.raises(gd.ParseError):
        gd.parse(stream)  # type: ignore[arg-type]
    assert stream.asked <= 4 * parsers._STREAM_CHUNK
