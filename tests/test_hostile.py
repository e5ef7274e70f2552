"""
Hostile input (issue #15): parse time linear in the input, sizes refused before the work, no foreign exception.

Each reproducer is scaled so that the bug it guards against would cost far
more than the generous time bound (seconds to hours), while the fixed code
takes a fraction of it.  The bounds are enforced with ``SIGALRM``: a
regression fails with a timeout rather than hanging the suite.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import signal
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from tests.conftest import CORPUS

import gov_disclosure as gd
from gov_disclosure.catalogue import YEARS_AHEAD, last_year
from gov_disclosure.parsers import MAX_INPUT_BYTES
from gov_disclosure.parsers._doc import MAX_CELLS
from gov_disclosure.parsers.assemble import split

needs_alarm = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")


class _Slow(Exception):
    """The operation ran over its bound."""


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail the test if the block runs longer than *seconds* (a bound for a hang, not a timing)."""

    def ring(signum: int, frame: object) -> None:
        raise _Slow(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _outcome(source: str | bytes, **kw: object) -> gd.Parsed | gd.ParseError:
    try:
        return gd.parse(source, **kw)  # type: ignore[arg-type]
    except gd.ParseError as e:
        return e


def _real() -> str:
    return (CORPUS / "000.txt").read_text(encoding="utf-8")


def _with_row(row: str) -> str:
    """The real report 000 with its section-three row 予以公开 replaced by *row*."""
    lines = _real().splitlines()
    k = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
    # The label line and its seven value lines.
    return "\n".join([*lines[:k], row, *lines[k + 8 :]])


@needs_alarm
class TestSuperLinear:
    """The four patterns the outside probe found, each well past where the bug took minutes."""

    def test_rule_line_of_dashes(self) -> None:
        """A line of 20,000 dashes and a letter (cubic backtracking took hours) is read at once."""
        with within(10):
            assert isinstance(_outcome("-" * 20_000 + "x"), gd.ParseError)

    def test_long_digit_run_in_a_row(self) -> None:
        """A row label, 53 nines, a tab and 000023 (26 s with the combinatorial split) parses."""
        with within(10):
            p = gd.parse(_with_row("\t（一）予以公开\t" + "9" * 53 + "\t000023"))
        assert "row_too_short" in p.codes() or "unreadable_cell" in p.codes()

    def test_digit_runs_that_must_be_split(self) -> None:
        """Two runs of 30 digits for seven cells: the search is bounded, and says it was cut."""
        toks = [split.Token("9" * 30, 0), split.Token("9" * 30, 40)]
        with within(10):
            readings, cut = split.candidates(toks, 7, lambda texts: False)
        assert (readings, cut) == ([], True)

    def test_dead_ends_are_not_searched(self) -> None:
        """'000023' is at least five cells: a 35-digit run before it is split at most once."""
        toks = [split.Token("9" * 35, 0), split.Token("000023", 40)]
        with within(10):
            readings, cut = split.candidates(toks, 7)
        assert not cut
        # 000023 as 0,0,0,0,2,3 (first run whole) or 0,0,0,0,23 (first run cut once: 34 ways).
        assert len(readings) == 1 + 34

    def test_run_of_numerals_in_the_preamble(self) -> None:
        """40,000 一 inside the preamble (13.5 s with the quadratic heading search) parse."""
        real = _real()
        j = real.index("全文包括")
        with within(10):
            p = gd.parse(real[:j] + "一" * 40_000 + real[j:])
        assert p.report.agency

    def test_deep_inline_markup_in_a_cell(self) -> None:
        """Deeply nested <font> in a label cell (seconds per cell when quadratic) parses or is refused."""
        html = (CORPUS / "001.html").read_text(encoding="utf-8")
        j = html.index("予以公开")
        for depth in (2000, 4000):
            page = html[:j] + "<font>" * depth + html[j : j + 4] + "</font>" * depth + html[j + 4 :]
            with within(10):
                assert isinstance(_outcome(page), (gd.Parsed, gd.ParseError))


def _patterns(size: int) -> dict[str, str]:
    """Pathological inputs of about *size* bytes."""
    real = _real()
    head = real[: real.index("全文包括")]
    rest = real[len(head) :]
    return {
        "dashes": "-" * size + "x",
        "numerals in a paragraph": head + "一" * (size // 3) + rest,
        # Section titles inside sentences: each is a heading match the stream rejects.
        "titles in prose": head + "本局存在的主要问题和其他事项。" * (size // 45) + rest,
        "long line": real + "\n" + "表" * (size // 3),
        "many short lines": "1\n" * (size // 2),
        "many cells": real + "\n" + "1\t" * (size // 2),
        "many tables": "<table><tr><td>予以公开</td><td>1</td></tr></table>" * (size // 50),
        "paragraphs": "<p>一、总体情况</p>" * (size // 30),
        "nested tables": "<table><tr><td>" * (size // 16) + "1",
    }


def _cost(source: str) -> float:
    """
    The best of two parses' CPU time, the garbage collector held off.

    CPU time: other work on the machine does not count.  No collection: in a
    full test run the process holds the whole suite's objects, and a
    collection's cost, which scales with them, fell on whichever parse
    triggered it (a quadrupling measured 12-14 times in the suite, 4 alone).
    """
    best = float("inf")
    for _ in range(2):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            _outcome(source, year=2021, agency="某局")
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


@needs_alarm
@pytest.mark.parametrize("name", list(_patterns(0)))
def test_cost_grows_linearly(name: str) -> None:
    """
    At 64 KB, 256 KB and 1 MB: each quadrupling costs well under 12 times as much (linear: 4, quadratic: 16), sixteen times under 64.

    Ratios, not times, are asserted (a floor under the smaller time keeps a
    few milliseconds of noise from deciding); the alarm only stops a
    regression from hanging the suite.
    """
    with within(90):
        small = _cost(_patterns(64 * 1024)[name])
        mid = _cost(_patterns(256 * 1024)[name])
        big = _cost(_patterns(1024 * 1024)[name])
    assert mid < 12 * max(small, 0.005), (name, small, mid, big)
    assert big < 12 * max(mid, 0.02), (name, small, mid, big)
    assert big < 64 * max(small, 0.005), (name, small, mid, big)


class TestSizeLimits:
    """Limits are checked before the expensive step."""

    def test_str_over_the_limit_is_not_encoded_whole(self) -> None:
        """A str just over the limit in UTF-8 is refused after encoding at most a chunk past it."""
        text = "规" * (MAX_INPUT_BYTES // 3 + 4096)
        tracemalloc.start()
        try:
            with pytest.raises(gd.ParseError, match="refused"):
                gd.parse(text)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        # Encoding it whole would allocate its 16 MB of UTF-8.
        assert peak < MAX_INPUT_BYTES // 2

    def test_str_longer_than_the_limit(self) -> None:
        """A str with more characters than the limit has bytes is refused without measuring."""
        with pytest.raises(gd.ParseError, match="at least"):
            gd.parse("1\n" * (MAX_INPUT_BYTES // 2 + 1))

    @needs_alarm
    def test_many_short_lines(self) -> None:
        """16 MB of one-digit lines (47 s and 4 GB before) is refused at the cell limit."""
        with within(20), pytest.raises(gd.ParseError, match=f"more than {MAX_CELLS} cells") as e:
            gd.parse("1\n" * (MAX_INPUT_BYTES // 2 - 1))
        assert e.value.location == f"line {MAX_CELLS + 1}"

    @needs_alarm
    def test_many_paragraphs(self) -> None:
        """An HTML page of 16 MB of paragraphs is refused at the cell limit."""
        page = "<p>一、总体情况</p>" * (MAX_INPUT_BYTES // 30)
        with within(30), pytest.raises(gd.ParseError, match="cells"):
            gd.parse(page)

    def test_docx_part_limit(self) -> None:
        """A document part over the uncompressed limit is refused from its declared size."""
        from gov_disclosure.parsers.docx import MAX_PART_BYTES

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            body = b"<w:p><w:r><w:t>1</w:t></w:r></w:p>" * (MAX_PART_BYTES // 34 + 1)
            z.writestr(
                "word/document.xml", b"<w:document><w:body>" + body + b"</w:body></w:document>"
            )
        with pytest.raises(gd.ParseError, match="would expand") as e:
            gd.parse(buf.getvalue())
        assert e.value.location == "word/document.xml"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_device_is_refused(device: str, tmp_path: Path) -> None:
    """A device (endless or empty, named .txt or .json through a link) is refused as not a regular file."""
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    for name in ("d.txt", "d.json"):
        link = tmp_path / name
        link.symlink_to(device)
        with pytest.raises(gd.ParseError, match="not a regular file"):
            gd.parse(link)
        result = gd.batch_file(link)
        assert result.error is not None
        assert "not a regular file" in result.error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@needs_alarm
def test_fifo_is_refused(tmp_path: Path) -> None:
    """A FIFO with no writer is refused as not a regular file, not waited on."""
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    with within(10), pytest.raises(gd.ParseError, match="not a regular file") as e:
        gd.parse(fifo)
    assert e.value.location == str(fifo)


class TestForeignExceptions:
    """Exceptions the probe saw escape now arrive as ParseError."""

    def test_unsupported_compression_method(self) -> None:
        """A Word file whose entries claim a compression method zipfile cannot read (99: AES) is a ParseError."""
        data = bytearray(gd.render(gd.AnnualReport(agency="某局", year=2021), "docx"))
        for signature, at in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
            start = data.find(signature)
            while start >= 0:
                data[start + at : start + at + 2] = (99).to_bytes(2, "little")
                start = data.find(signature, start + 4)
        with pytest.raises(gd.ParseError) as e:
            gd.parse(bytes(data), format="docx")
        assert "Word document" in str(e.value)

    def test_damaged_lzma_entry(self) -> None:
        """A Word file stored with LZMA whose data is damaged (lzma.LZMAError before)."""
        good = gd.render(gd.AnnualReport(agency="某局", year=2021), "docx")
        assert isinstance(good, bytes)
        source = zipfile.ZipFile(io.BytesIO(good))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_LZMA) as z:
            for name in source.namelist():
                z.writestr(name, source.read(name))
        data = bytearray(buf.getvalue())
        info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        outcomes = set()
        for i in range(start, start + 40):
            bad = bytearray(data)
            bad[i] ^= 0x80
            outcome = _outcome(bytes(bad))
            outcomes.add(type(outcome))
        assert gd.ParseError in outcomes
        assert outcomes <= {gd.Parsed, gd.ParseError}

    @pytest.mark.parametrize("attribute", ["colspan", "rowspan"])
    def test_huge_span(self, attribute: str) -> None:
        """A span of 100,001 digits (Python's integer string limit) is clamped like a browser does."""
        html = (CORPUS / "001.html").read_text(encoding="utf-8")
        j = html.index("<td")
        page = html[:j] + f'<td {attribute}="' + "9" * 100_001 + '">x</td>' + html[j:]
        assert isinstance(_outcome(page), (gd.Parsed, gd.ParseError))


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """
    Make reading a file whose name is a key take ten minutes.

    ``True``: in a way the per-file timer can stop (a sleep); ``False``: with
    the timer's signal blocked, as a C library that never returns would.
    """
    from gov_disclosure.many import _batch

    stalls: dict[str, bool] = {}
    real = _batch.batch_file

    def stall(path: str | os.PathLike[str]) -> gd.BatchResult:
        stoppable = stalls.get(Path(path).name)
        if stoppable is False:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        if stoppable is not None:
            time.sleep(600)
        return real(path)

    monkeypatch.setattr(_batch, "batch_file", stall)
    return stalls


def _folder(root: Path, n: int) -> list[str]:
    for i in range(n):
        report = gd.AnnualReport(agency=f"第{i}局", year=2021)
        (root / f"{i:02}.json").write_bytes(gd.to_json(report))
    return list(gd.report_paths(root))


def _in_a_fresh_process(test: str) -> None:
    """
    Run ``TestBatchTimeout.<test>`` in a new Python process and fail if it fails there.

    The slow stand-in is patched into this process, so it reaches the pool's
    workers only when they are forked; the library forks only while this
    process has one thread, which the rest of the suite (a Dask client, say)
    may have ended.  A new process has one thread again.
    """
    import subprocess

    node = f"{Path(__file__).resolve()}::TestBatchTimeout::{test}"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", node],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith("1 passed"), done.stdout[-2000:]  # run, not skipped


@needs_alarm
class TestBatchTimeout:
    """A file that holds its reader too long becomes a failure row, and the run goes on."""

    def test_in_process(self, tmp_path: Path, slow: dict[str, bool]) -> None:
        """jobs=1: the slow file is stopped at the limit."""
        paths = _folder(tmp_path, 3)
        slow["01.json"] = True
        with within(30):
            results = list(gd.batch(paths, timeout=0.5))
        assert [r.path for r in results] == paths
        assert [r.ok for r in results] == [True, False, True]
        assert results[1].error is not None
        assert results[1].error.startswith("TimeoutError: reading took more than 0.5 s")

    def test_in_a_worker(self, tmp_path: Path, slow: dict[str, bool]) -> None:
        """In a pool, the worker's own timer stops the file; every other file has its row."""
        from gov_disclosure.many import _batch

        if _batch._mp_context().get_start_method() != "fork":
            _in_a_fresh_process("test_in_a_worker")
            return
        paths = _folder(tmp_path, 6)
        slow["02.json"] = True
        with within(60):
            results = list(gd.batch(paths, jobs=2, chunksize=2, timeout=0.5))
        assert [r.path for r in results] == paths
        assert [Path(r.path).name for r in results if not r.ok] == ["02.json"]

    def test_stuck_worker_is_killed(
        self, tmp_path: Path, slow: dict[str, bool], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A worker its timer cannot stop is killed after a grace period; the run goes on."""
        from gov_disclosure.many import _batch

        if _batch._mp_context().get_start_method() != "fork":
            _in_a_fresh_process("test_stuck_worker_is_killed")
            return
        monkeypatch.setattr(_batch, "_GRACE", 0.5)
        paths = _folder(tmp_path, 4)
        slow["01.json"] = False
        with within(60):
            results = list(gd.batch(paths, jobs=2, chunksize=1, timeout=0.5))
        assert [r.path for r in results] == paths
        bad = [r for r in results if not r.ok]
        assert [Path(r.path).name for r in bad] == ["01.json"]
        assert bad[0].error is not None
        assert bad[0].error.startswith("TimeoutError")

    @pytest.mark.parametrize("timeout", [0, -1, float("nan"), True, "1"])
    def test_bad_timeout(self, timeout: object) -> None:
        """A limit that is not a positive number of seconds is refused at the call."""
        with pytest.raises(gd.GovDisclosureError, match="timeout"):
            gd.batch([], timeout=timeout)  # type: ignore[arg-type]


class TestBatchOutput:
    """``batch --out`` naming a file that is not a batch output: one clear line, exit 2, the file untouched."""

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("damaged.csv", b"\xff\xfe\x00garbage"),  # UnicodeDecodeError before
            ("damaged.jsonl", b'{"a": 1\n'),  # JSONDecodeError before
            ("list.jsonl", b"[1]\n"),
            ("other.jsonl", b'{"x": 1}'),
            ("notes.csv", b"x,y\n1,2\n3"),
        ],
    )
    def test_refused_unchanged(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes
    ) -> None:
        """The run stops before reading anything, and the file keeps every byte (no partial line cut)."""
        from gov_disclosure.cli import main

        (tmp_path / "in").mkdir()
        paths = _folder(tmp_path / "in", 1)
        out = tmp_path / name
        out.write_bytes(content)
        assert main(["batch", paths[0], "--out", str(out), "--jobs", "1"]) == 2
        err = capsys.readouterr().err
        assert "cannot resume" in err
        assert "Traceback" not in err
        assert out.read_bytes() == content

    @pytest.mark.parametrize("value", ["0", "-3", "nan", "inf", "soon"])
    def test_bad_timeout_option(self, capsys: pytest.CaptureFixture[str], value: str) -> None:
        """--timeout takes a positive, finite number of seconds; anything else is a usage error."""
        from gov_disclosure.cli import main

        with pytest.raises(SystemExit) as e:
            main(["batch", "x", "--out", "r.csv", "--timeout", value])
        assert e.value.code == 2
        assert "--timeout: expected a positive number of seconds" in capsys.readouterr().err


def test_docx_long_agency() -> None:
    """An agency of 300 characters renders to DOCX: the title property is cut, the body keeps it whole."""
    docx = pytest.importorskip("docx")
    agency = "某" * 300
    data = gd.render(gd.AnnualReport(agency=agency, year=2021), "docx")
    assert isinstance(data, bytes)
    document = docx.Document(io.BytesIO(data))
    title = document.core_properties.title
    assert len(title) == 255
    assert title.endswith("…")
    assert agency in document.paragraphs[0].text


def _doc(**changes: object) -> dict[str, object]:
    """A valid 2020 report on the 2021 table, as a document, with *changes*."""
    doc = gd.to_dict(gd.AnnualReport(agency="某局", year=2020, edition=gd.Edition.V2021))
    doc.update(changes)
    return doc


class TestImplausibleValues:
    """What no real report can be is refused, by the model and by both loaders, naming the field."""

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"year": 99999999999999999999}, "year"),
            ({"year": last_year() + 1}, "year"),
            ({"year": 2019}, "edition"),  # a 2021-edition document for 2019
            ({"agency": ""}, "agency"),
            ({"agency": " \u3000\t"}, "agency"),
        ],
    )
    def test_refused(self, changes: dict[str, object], field: str) -> None:
        """The constructor raises InvalidValueError naming the field; from_dict and from_json a StructureError."""
        with pytest.raises(gd.InvalidValueError, match=rf"AnnualReport\.{field}") as e:
            gd.AnnualReport(
                **{"agency": "某局", "year": 2020, "edition": gd.Edition.V2021, **changes}  # type: ignore[arg-type]
            )
        assert e.value.field == f"AnnualReport.{field}"
        doc = _doc(**changes)
        for load in (gd.from_dict, lambda d: gd.from_json(json.dumps(d))):
            with pytest.raises(gd.StructureError, match=field):
                load(doc)

    @pytest.mark.parametrize(
        ("year", "edition"),
        [(2019, "2019"), (2020, "2021"), (2022, "2019"), (2021, "2021")],
    )
    def test_accepted(self, year: int, edition: str) -> None:
        """Editions in use for the year load: a late 2020 report on the 2021 table, a 2022 one on the 2019 table."""
        r = gd.AnnualReport(agency="某局", year=year, edition=gd.Edition(edition))
        assert gd.from_json(gd.to_json(r)) == r
        assert gd.from_dict(gd.to_dict(r)) == r

    def test_last_year_is_a_few_years_ahead(self) -> None:
        """The bound moves with the calendar: this year and the next few load."""
        import datetime

        this = datetime.date.today().year
        assert last_year() == this + YEARS_AHEAD
        gd.AnnualReport(agency="某局", year=this + YEARS_AHEAD)

    def test_last_year_moves_at_new_year(self) -> None:
        """The bound follows the clock (local time) across a new year, and back when the clock is set back."""
        import datetime
        import types

        from gov_disclosure.catalogue import _types

        def at(*when: int) -> int:
            clock = types.SimpleNamespace(time=lambda: datetime.datetime(*when).timestamp())
            with mock.patch.object(_types, "time", clock):
                return last_year()

        assert at(2030, 12, 31, 23, 59, 59) == 2030 + YEARS_AHEAD
        assert at(2031, 1, 1, 0, 0, 1) == 2031 + YEARS_AHEAD
        assert at(2030, 6, 1) == 2030 + YEARS_AHEAD
        assert last_year() == datetime.date.today().year + YEARS_AHEAD

    @pytest.mark.parametrize(
        ("kw", "match"),
        [
            ({"year": 99999999999999999999}, "reporting year 99999999999999999999 is not one of"),
            ({"agency": "  "}, "agency is blank"),
        ],
    )
    def test_parse_refuses(self, kw: dict[str, object], match: str) -> None:
        """gd.parse refuses them as ParseError before reading the tables."""
        text = gd.render(gd.AnnualReport(agency="某局", year=2021), "text")
        assert isinstance(text, str)
        with pytest.raises(gd.ParseError, match=match):
            gd.parse(text, **kw)  # type: ignore[arg-type]

    def test_cli_year(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """check --year 99999999999999999999: one line, exit 2."""
        from gov_disclosure.cli import main

        f = tmp_path / "r.txt"
        text = gd.render(gd.AnnualReport(agency="某局", year=2021), "text")
        assert isinstance(text, str)
        f.write_text(text, encoding="utf-8")
        assert main(["check", str(f), "--year", "99999999999999999999"]) == 2
        err = capsys.readouterr()
        assert "is not one of 2019 to" in err.out + err.err


class TestSchemaAgrees:
    """gd.json_schema() states the model's bounds on year, edition and agency: both accept or both refuse."""

    @staticmethod
    def _agree(doc: dict[str, object]) -> bool:
        """Whether the document is valid, after checking that the schema and from_dict say the same."""
        jsonschema = pytest.importorskip("jsonschema")
        by_schema = jsonschema.Draft202012Validator(gd.json_schema()).is_valid(doc)
        try:
            gd.from_dict(doc)
            by_model = True
        except gd.StructureError:
            by_model = False
        assert by_schema == by_model, doc
        return by_model

    @pytest.mark.parametrize("edition", ["2019", "2021"])
    def test_boundary_years(self, edition: str) -> None:
        """Around each edition's first year, the first reporting year and the last: the same answer."""
        ed = gd.Edition(edition)
        doc = gd.to_dict(gd.AnnualReport(agency="某局", year=2021, edition=ed))
        years = {2018, 2019, 2020, 2021, last_year(), last_year() + 1, 10**20}
        valid = {y for y in sorted(years) if self._agree({**doc, "year": y})}
        assert valid == {y for y in years if ed.earliest_year <= y <= last_year()}
        # A 2021-edition document for 2019 is refused by both; for 2020 it loads.
        assert (2019 in valid, 2020 in valid) == (ed is gd.Edition.V2019, True)

    @pytest.mark.parametrize(
        "agency",
        [
            "",
            " ",
            "\u3000",
            "\t\n",
            "\x1c",
            "\x85",
            "\u2028",
            "\ufeff",
            "某局",
            " 某局 ",
            "\u3000a",
            "某\u3000局",
            "某局\n::error file=x::y",
            "某局\n",
            "某局\r",
            "\x00某局",
            "某\x7f局",
            "某\x9f局",
            "某\u2029局",
            "某\xa0局",
        ],
    )
    def test_agency(self, agency: str) -> None:
        """Blank agencies (Python's white space, in any dialect of regular expressions) and control characters are refused by both."""
        doc = gd.to_dict(gd.AnnualReport(agency="某局", year=2021))
        one_line = not any(c in agency for c in "\n\r\x00\x1c\x7f\x85\x9f\u2028\u2029\t")
        assert self._agree({**doc, "agency": agency}) == (bool(agency.strip()) and one_line)

    def test_bound_is_stated(self) -> None:
        """The year's description says where its maximum comes from; the schema follows the calendar."""
        from gov_disclosure.serialize import _schema

        year = gd.json_schema("2021")["$defs"]["AnnualReport2021"]["properties"]["year"]
        assert (year["minimum"], year["maximum"]) == (2020, last_year())
        assert (
            f"{YEARS_AHEAD} years after the year this schema was generated" in year["description"]
        )
        with pytest.MonkeyPatch.context() as m:  # a process that runs into a new year
            m.setattr(_schema, "last_year", lambda: last_year() + 1)
            later = gd.json_schema("2021")["$defs"]["AnnualReport2021"]["properties"]["year"]
        assert later["maximum"] == last_year() + 1


#: Texts a spreadsheet runs as formulas (OWASP), as agencies.  A tab or a
#: carriage return, OWASP's other two, cannot start an agency (the model
#: refuses control characters in it): they start file names below.
_HOSTILE_TEXTS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "'=1", "'"]


class TestFormulaInjection:
    """Tidy CSV cells that a spreadsheet would run as formulas are written as text, and read back exactly."""

    @pytest.mark.parametrize("agency", _HOSTILE_TEXTS)
    def test_write_rows(self, tmp_path: Path, agency: str) -> None:
        """write_rows: the agency cell starts with a quote; read_rows and from_rows give it back."""
        import csv

        report = gd.AnnualReport(agency=agency, year=2021)
        path = tmp_path / "r.csv"
        gd.write_rows([report], path)
        with path.open(encoding="utf-8", newline="") as fh:
            cells = [row[0] for row in list(csv.reader(fh))[1:]]
        assert cells
        assert all(c == "'" + agency for c in cells)
        assert gd.from_rows(gd.read_rows(path)) == [report]

    @pytest.mark.parametrize(
        "text", ["=某局", '=HYPERLINK("http://x","y")', "=1+1", "+1+1", "@SUM(A1)"]
    )
    def test_workbook_holds_no_formula(self, text: str) -> None:
        """
        The filing workbook writes the report's text as text: openpyxl typed a text starting with = a formula.

        An agency or a paragraph ``=HYPERLINK(…)`` became a formula cell (the
        cover, both titles, the paragraph), run when the workbook is opened.
        Every cell is a string or a number, and the text reads back.
        """
        openpyxl = pytest.importorskip("openpyxl")
        import io

        base = gd.AnnualReport(agency="某局", year=2021)
        report = attrs.evolve(base, problems=attrs.evolve(base.problems, paragraphs=(text,)))
        if ":" not in text and "," not in text:  # what a title can hold as the agency
            report = attrs.evolve(report, agency=text)
        data = gd.render(report, "xlsx")
        assert isinstance(data, bytes)
        book = openpyxl.load_workbook(io.BytesIO(data))
        typed = {c.data_type for ws in book.worksheets for row in ws.iter_rows() for c in row}
        assert "f" not in typed
        texts = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert text in texts
        assert gd.parse(data).report == report

    def test_negative_numbers_stay_numbers(self, tmp_path: Path) -> None:
        """A negative count (a change) is a number, not neutralised."""
        import csv

        values = gd.cells(gd.AnnualReport(agency="某局", year=2020))
        change = next(k for k in values if k.endswith(".change"))
        report = gd.from_cells({**values, change: -7}, agency="某局", year=2020)
        path = tmp_path / "r.csv"
        gd.write_rows([report], path)
        with path.open(encoding="utf-8", newline="") as fh:
            values_written = {row[3]: row[4] for row in csv.reader(fh)}
        assert values_written[change] == "-7"
        assert gd.from_rows(gd.read_rows(path)) == [report]

    def test_batch_csv(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Batch CSV rows and cells: no cell starts like a formula (agencies, relative paths); resuming reads the paths back."""
        import csv

        root = tmp_path / "in"
        root.mkdir()
        for i, agency in enumerate(_HOSTILE_TEXTS):
            (root / f"-{i}.json").write_bytes(gd.to_json(gd.AnnualReport(agency=agency, year=2021)))
        if sys.platform != "win32":  # file names starting with a tab or a carriage return
            for start in "\t\r":
                (root / f"{start}x.json").write_bytes(
                    gd.to_json(gd.AnnualReport(agency="某局", year=2021))
                )
        out = tmp_path / "out.csv"
        # Relative paths: the path cells start with the file names' first characters.
        monkeypatch.chdir(root)
        paths = sorted(os.listdir("."))
        assert any(p[0] in "-\t\r" for p in paths)
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(paths))
        for f in (out, tmp_path / "out.cells.csv"):
            with f.open(encoding="utf-8", newline="") as fh:
                for row in list(csv.reader(fh))[1:]:
                    for cell in row:
                        assert not cell or cell[0] not in "=+@\t\r" or cell.startswith("'"), cell
                        assert (
                            not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit()
                        )
        with gd.BatchWriter(out) as w:
            assert len(w.done) == len(paths)
        assert {r["agency"] for r in gd.read_rows(tmp_path / "out.cells.csv")} == {
            *_HOSTILE_TEXTS,
            *(["某局"] if sys.platform != "win32" else []),
        }


def test_pdf_page_that_cannot_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF whose page PDFium cannot load (found by the fuzzer: PdfiumError escaped) is a ParseError."""
    pdfium = pytest.importorskip("pypdfium2")

    def broken(self: object, i: int) -> object:
        raise pdfium.PdfiumError("Failed to load page.")

    monkeypatch.setattr(pdfium.PdfDocument, "__getitem__", broken)
    with pytest.raises(gd.ParseError, match=r"page 1: the page cannot be read \(a damaged PDF\?\)"):
        gd.parse(CORPUS / "pdf" / "013.pdf")


def _fuzz_module() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"
    spec = importlib.util.spec_from_file_location("gov_disclosure_fuzz", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@needs_alarm
def test_fuzz_smoke() -> None:
    """A short run of the fuzzing campaign (make fuzz): only results and library errors, none slow."""
    fuzz = _fuzz_module()
    stats = fuzz.run(8.0, seed=15, slow=10.0, limit=400)
    assert stats.runs > 0
    assert [(name, what) for name, what, _ in stats.failures] == []
    assert stats.outcomes["crash"] == 0


def test_fuzz_finds_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness reports an exception that is not the library's as a crash, with the input kept."""
    fuzz = _fuzz_module()

    def boom(source: object, **kw: object) -> object:
        raise KeyError("not a library error")

    monkeypatch.setattr(gd, "parse", boom)
    stats = fuzz.run(5.0, seed=1, limit=20)
    assert stats.outcomes["crash"] > 0
    assert "KeyError" in stats.failures[0][1]


class TestUnreadableFolder:
    """A folder batch cannot list is reported, not skipped."""

    @pytest.fixture
    def locked(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A tree whose folder ``b`` cannot be listed (as without permission; tests may run as root)."""
        root = tmp_path / "reports"
        for sub in ("a", "b"):
            (root / sub).mkdir(parents=True)
            _folder(root / sub, 2)
        real = os.scandir

        def scandir(path: Any = ".") -> Any:
            if Path(os.fsdecode(path)).name == "b":
                raise PermissionError(13, "Permission denied", os.fsdecode(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
        return root

    def test_report_paths_and_batch(self, locked: Path) -> None:
        """The folder is among the paths, and its batch row has the listing's error."""
        paths = list(gd.report_paths(locked))
        assert [Path(p).relative_to(locked).as_posix() for p in paths] == [
            "a/00.json",
            "a/01.json",
            "b",
        ]
        results = list(gd.batch(paths))
        assert [r.ok for r in results] == [True, True, False]
        assert results[2].error is not None
        assert results[2].error.startswith("PermissionError: [Errno 13] Permission denied")

    def test_cli_exit(
        self, locked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """batch exits 2 and counts the folder as unreadable."""
        from gov_disclosure.cli import main

        assert main(["batch", str(locked), "--out", str(tmp_path / "r.jsonl"), "-j", "1"]) == 2
        assert "1 unreadable" in capsys.readouterr().err


_ORPHAN_SCRIPT = """
import sys, time
import gov_disclosure as gd
from gov_disclosure import parsers

def read(data):
    time.sleep(600)
    return []

parsers.register("slow", read, suffixes=(".slow",))
for result in gd.batch(sys.argv[1:], jobs=2, chunksize=1, timeout=None):
    pass
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_workers_end_with_the_main_process(tmp_path: Path) -> None:
    """Killing the main batch process (kill -9) ends its pool workers within seconds."""
    import subprocess

    files = []
    for i in range(4):
        f = tmp_path / f"{i}.slow"
        f.write_text("x", encoding="utf-8")
        files.append(str(f))
    script = tmp_path / "run.py"
    script.write_text(_ORPHAN_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    main = subprocess.Popen([sys.executable, str(script), *files], env=env)
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            out = subprocess.run(
                ["pgrep", "-P", str(main.pid)], capture_output=True, text=True, check=False
            ).stdout
            workers = [int(p) for p in out.split()]
        assert len(workers) >= 2, "the pool did not start"
    finally:
        main.kill()
        main.wait()
    deadline = time.monotonic() + 15
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in alive if _alive(p)]
    for p in alive:  # do not leave them behind, whatever the outcome
        os.kill(p, signal.SIGKILL)
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie waiting for init to reap it is gone for this purpose.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


@needs_alarm
class TestFoundByTheFuzzer:
    """Inputs of the campaign (make fuzz) that took over 30 s, scaled down to their pattern."""

    def test_unclosed_parenthesis_in_a_cell(self) -> None:
        """A value cell with "(" and 150,000 characters without ")" (quadratic note search) is read at once."""
        with within(10):
            toks, text = split.tokens("1 (" + "说" * 150_000, 0, whole_cell=True)
        assert ([t.text for t in toks], text) == (["1"], True)

    def test_notes_are_still_dropped(self) -> None:
        """A note in parentheses after a value is skipped; digits in parentheses are not a note."""
        toks, _ = split.tokens("3 (含转办) 4", 0, whole_cell=True)
        assert [t.text for t in toks] == ["3", "4"]
        # "(4)" is no note (only digits): kept, so the cell has text besides its value.
        assert split.tokens("3 (4)", 0, whole_cell=True) == ([split.Token("3", 0)], True)

    def test_many_paragraphs_under_a_subheading(self) -> None:
        """Section 一 with a subheading and 20,000 paragraphs (each re-made the subsection) parses."""
        html = gd.render(gd.AnnualReport(agency="某局", year=2021), "html")
        assert isinstance(html, str)
        head = "<h2>一、总体情况</h2>"
        body = "<h3>（一）主动公开</h3>" + "<p>段落。</p>" * 20_000
        with within(20):
            p = gd.parse(html.replace(head, head + body))
        assert len(p.report.general.subsections[0].paragraphs) == 20_000


class TestBlankCellsFoundByTheProbe:
    """The probe's two round-trip reproducers: a blank cell keeps its place when read back."""

    @pytest.mark.parametrize("fmt", ["text", "markdown"])
    @pytest.mark.parametrize("locale", ["zh_Hans_CN", "zh_Hant_TW", "en"])
    def test_review_group_with_first_cell_blank(self, fmt: str, locale: str) -> None:
        """Section 四 review printed ' 3 0 2 5' (first cell blank) read back as '3 0 2 0 5' before."""
        values = gd.cells(gd.AnnualReport(agency="某局", year=2021))
        review = [
            "t4.review.upheld",
            "t4.review.corrected",
            "t4.review.other",
            "t4.review.pending",
            "t4.review.total",
        ]
        values.update(zip(review, [0, 3, 0, 2, 5], strict=True))
        report = gd.from_cells(values, agency="某局", year=2021)
        report = attrs.evolve(report, blank_cells=frozenset({"t4.review.upheld"}))
        out = gd.render(report, fmt, locale=locale)
        assert isinstance(out, str)
        back = gd.parse(out).report
        assert [gd.cells(back)[k] for k in review] == [0, 3, 0, 2, 5]
        assert back.blank_cells == report.blank_cells

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
    def test_2019_procurement_count_blank(self, fmt: str) -> None:
        """A 2019 report whose procurement count is blank read its amount back as 0 before."""
        values = gd.cells(gd.AnnualReport(agency="某局", year=2019))
        values["t2.procurement.amount"] = Decimal("12.5")
        report = gd.from_cells(values, agency="某局", year=2019)
        report = attrs.evolve(report, blank_cells=frozenset({"t2.procurement.items"}))
        out = gd.render(report, fmt)
        assert isinstance(out, str)
        back = gd.parse(out).report
        assert gd.cells(back)["t2.procurement.amount"] == Decimal("12.5")
        assert back.blank_cells == report.blank_cells


def test_cli_render_docx_long_agency(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """gov-disclosure render of an agency over 255 characters to DOCX (a traceback before): exit 0, a file."""
    docx = pytest.importorskip("docx")
    from gov_disclosure.cli import main

    src = tmp_path / "r.json"
    src.write_bytes(gd.to_json(gd.AnnualReport(agency="某" * 300, year=2021)))
    out = tmp_path / "r.docx"
    assert main(["render", str(src), "--format", "docx", "--output", str(out)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert "某" * 300 in docx.Document(str(out)).paragraphs[0].text
