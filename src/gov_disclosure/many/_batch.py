"""
Corpus-scale processing: parse and check every report in a folder tree, one result row per file.

Researchers process whole provinces' worth of reports.  This module gives
them one per-file function (:func:`batch_file`: read, check, flatten; a bad
file becomes a result with its error, never an exception), a process pool
over it with bounded memory (:func:`batch`: at most a few chunks of files in
flight, results streamed in input order, no report kept; a file that kills
its worker process becomes an error row too), and a streaming,
resumable writer (:class:`BatchWriter`: Parquet, CSV or JSON Lines by the
file's extension).  The same :func:`batch_file` runs on Dask
(``dask.bag.from_sequence(paths).map(gd.batch_file)``), so a cluster gives
the same rows as one machine; there is no home-made scheduler.
"""

from __future__ import annotations

import collections
import concurrent.futures
import concurrent.futures.process
import csv
import importlib
import io
import json
import multiprocessing
import multiprocessing.connection
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from attrs import frozen

from ..errors import GovDisclosureError
from ..model import AnnualReport
from ..rules import Finding, Severity, check
from ..serialize._rows import ROW_FIELDS, report_cells, value_text

__all__ = ["BatchResult", "BatchWriter", "batch", "batch_file", "report_paths"]

#: The columns of a result row, in order (see :meth:`BatchResult.row`).
RESULT_FIELDS: tuple[str, ...] = (
    "path",
    "agency",
    "year",
    "edition",
    "n_errors",
    "n_warnings",
    "n_parse_warnings",
    "findings",
    "parse_warnings",
    "error",
)
#: The columns of a cell row: the file's path, then the columns of the tidy rows of
#: :func:`gov_disclosure.to_rows` (``agency`` … ``value``, ``unit``, ``blank``).
CELL_FIELDS: tuple[str, ...] = ("path", *ROW_FIELDS)

#: File suffixes :func:`report_paths` picks up when walking a folder.
REPORT_SUFFIXES: frozenset[str] = frozenset({".json", ".txt", ".md", ".html", ".htm", ".docx"})


@frozen(kw_only=True)
class BatchResult:
    """
    What :func:`batch_file` found in one file: who, which year, how many findings, and the cells.

    A file that could not be read has ``error`` set and no report fields.

    Attributes:
        path: The file, as given.
        agency: The report's agency, or ``None`` when unreadable.
        year: The reporting year, or ``None``.
        edition: The edition (``"2019"``/``"2021"``), or ``None``.
        n_errors: Findings of severity error, or ``None``.
        n_warnings: Findings of severity warning, or ``None``.
        n_parse_warnings: Assumptions the parser made, or ``None``.
        findings: Every finding, as a JSON array of objects (``rule``,
            ``severity``, ``subject``, ``cells``, ``expected``, ``actual``,
            ``blank_cells``, ``years``, ``message``; money as strings).
        parse_warnings: The parser's warnings, as a JSON array of strings.
        error: Why the file could not be read (``ParseError: …``), or ``None``.
        cells: ``(key, value)`` pairs, every cell of the report, the value as
            exact decimal text.
        units: ``(key, unit)`` pairs, one per money cell: the unit the amount
            is printed in (``"元"``, ``"万元"``), or ``""`` when the report
            prints none (a 2019-edition procurement amount without a unit).
        blank_cells: The keys of the cells printed blank (held as 0), sorted.

    .. versionadded:: 0.1.0
    """

    path: str
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    n_errors: int | None = None
    n_warnings: int | None = None
    n_parse_warnings: int | None = None
    findings: str = "[]"
    parse_warnings: str = "[]"
    error: str | None = None
    cells: tuple[tuple[str, str], ...] = ()
    units: tuple[tuple[str, str], ...] = ()
    blank_cells: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """``True`` when the file was read (whatever its findings)."""
        return self.error is None

    def row(self) -> dict[str, Any]:
        """The result row: every field but the cells (``path``, ``agency`` … ``error``), as a dict."""
        return {name: getattr(self, name) for name in RESULT_FIELDS}

    def cell_rows(self) -> list[dict[str, Any]]:
        """
        The tidy cell rows, one per cell: ``path``, ``agency``, ``year``, ``edition``, ``key``, ``value``, ``unit``, ``blank``.

        ``path`` followed by the row :func:`gov_disclosure.to_rows` gives for
        the report, with ``value`` as its exact decimal text (as in the output
        files): ``unit`` is the printed unit of a money cell (``""`` for
        counts and for an amount printed without a unit); ``blank`` is
        ``True`` when the cell was printed blank (its ``value`` is then
        ``"0"``), ``False`` for a printed number.
        """
        return self._cell_rows(self.path)

    def _cell_rows(self, path: str) -> list[dict[str, Any]]:
        agency, year, edition = self.agency, self.year, self.edition
        units = dict(self.units)
        blank = frozenset(self.blank_cells)
        return [
            # A literal, not dict(zip(CELL_FIELDS, ...)): three times faster;
            # tests hold it to CELL_FIELDS and to the rows of to_rows().
            {
                "path": path,
                "agency": agency,
                "year": year,
                "edition": edition,
                "key": k,
                "value": v,
                "unit": units.get(k, ""),
                "blank": k in blank,
            }
            for k, v in self.cells
        ]


def _jsonable(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _finding_doc(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "subject": f.subject,
        "cells": list(f.cells),
        "expected": _jsonable(f.expected),
        "actual": _jsonable(f.actual),
        "blank_cells": list(f.blank_cells),
        "years": list(f.years),
        "message": f.message,
    }


def _load(path: Path) -> tuple[AnnualReport, list[str]]:
    """Read one report: a ``.json`` document, or a published report through the parser."""
    if path.suffix.lower() == ".json":
        from ..serialize import from_json

        return from_json(path.read_bytes()), []
    from ..parsers import parse

    parsed = parse(path)
    return parsed.report, [str(w) for w in parsed.warnings]


def _dumps(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def batch_file(path: str | os.PathLike[str]) -> BatchResult:
    """
    Read, check and flatten one report file; never raises for a bad file.

    ``.json`` files are read with ``gov_disclosure.from_json()``; every
    other file goes through ``gov_disclosure.parse()``.  This is the
    function :func:`batch` runs in its worker processes, and the one to map
    over paths on Dask.

    Args:
        path: The file.

    Returns:
        A :class:`BatchResult`: the report's identity, finding counts,
        findings and cells; or, when the file cannot be read, its ``error``
        (``"StructureError: …"``, ``"FileNotFoundError: …"``; an unexpected
        exception of the parser is caught too, so that one bad file never
        stops a run of thousands).

    >>> import gov_disclosure as gd, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.json").write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
    >>> r = gd.batch_file(d / "a.json")
    >>> (r.agency, r.year, r.n_errors, r.error, len(r.cells))
    ('某局', 2021, 0, None, 200)
    >>> gd.batch_file(d / "missing.json").error
    "FileNotFoundError: [Errno 2] No such file or directory: '...missing.json'"

    .. versionadded:: 0.1.0
    """
    p = Path(path)
    name = os.fspath(path)
    try:
        report, warnings = _load(p)
        findings = check(report)
        body = report_cells(report)  # the tidy rows' cells: one source of units and blanks
    except Exception as e:  # one bad file must never stop a batch: it becomes an error row
        return BatchResult(path=name, error=f"{type(e).__name__}: {e}")
    n_errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return BatchResult(
        path=name,
        agency=report.agency,
        year=report.year,
        edition=report.edition.value,
        n_errors=n_errors,
        n_warnings=len(findings) - n_errors,
        n_parse_warnings=len(warnings),
        findings=_dumps([_finding_doc(f) for f in findings]),
        parse_warnings=_dumps(warnings),
        cells=tuple([(k, str(v) if type(v) is int else value_text(v)) for k, v, _, _ in body]),
        units=tuple([(k, u) for k, v, u, _ in body if type(v) is not int]),  # the money cells
        blank_cells=tuple(sorted([k for k, _, _, b in body if b])),
    )


def _mp_context() -> multiprocessing.context.BaseContext:
    """
    Fork when it is safe (POSIX, this process has one thread), else a fork server or spawn.

    Forking is the fast start (workers inherit the imported parsers), but
    forking a process that runs other threads (a Dask client, a web server)
    can deadlock, and Python 3.12+ warns about it.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _chunk(paths: Sequence[str]) -> list[BatchResult]:
    return [batch_file(p) for p in paths]


def report_paths(root: str | os.PathLike[str]) -> Iterator[str]:
    """
    The report files under *root* (a file, or a folder walked recursively), sorted, lazily.

    Files with a suffix ``.json``, ``.txt``, ``.md``, ``.html``, ``.htm`` or ``.docx`` are picked up; hidden
    files and folders (``.git``) are skipped.

    .. versionadded:: 0.1.0
    """
    top = Path(root)
    if not top.is_dir():
        yield os.fspath(top)
        return
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith(".") and Path(f).suffix.lower() in REPORT_SUFFIXES:
                yield os.path.join(dirpath, f)


class _Progress:
    """A one-line progress counter on stderr, shown only on a terminal."""

    def __init__(self, total: int | None, enabled: bool | None) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.done = 0
        self.bad = 0
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, result: BatchResult) -> None:
        self.done += 1
        self.bad += not result.ok
        now = time.monotonic()
        if self.enabled and (now - self.last > 0.2 or self.done == self.total):
            self.last = now
            rate = self.done / max(now - self.start, 1e-9)
            of = f"/{self.total}" if self.total is not None else ""
            bar = ""
            if self.total:
                filled = int(30 * self.done / self.total)
                bar = "[" + "#" * filled + "." * (30 - filled) + "] "
            sys.stderr.write(
                f"\r{bar}{self.done}{of} files, {self.bad} unreadable, {rate:,.1f} files/s"
            )
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\n")
            sys.stderr.flush()


def batch(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = 1,
    skip: Iterable[str | os.PathLike[str]] = (),
    chunksize: int = 8,
    progress: bool | None = None,
) -> Iterator[BatchResult]:
    """
    Run :func:`batch_file` over many files, in worker processes, streaming the results in input order.

    Memory stays flat however many files there are: paths are consumed
    lazily, at most ``2 * jobs`` chunks of *chunksize* files are in flight,
    and each result is yielded (and can be written) before the next is
    awaited; no report is kept.

    **A file that kills its worker** (a crash in a C library, the system
    killing a process out of memory) does not stop the run.  The pool is
    lost with every file in flight, so those files are read again, each in
    a fresh process of its own; a file whose process dies again gets an
    error row ``"WorkerDied: exit code N"`` (``N`` negative: killed by
    signal ``-N``), and the remaining files go to a new pool.  With
    ``jobs=1`` files are read in this process, without that protection.

    Args:
        paths: The files: a list or any other iterable of paths, e.g.
            :func:`report_paths`; not a single path (a folder's name is not
            a list of its files).
        jobs: Worker processes; ``1`` runs in this process (no pool),
            ``None`` uses every CPU.
        skip: Paths not to process (those already in an output, see
            :attr:`BatchWriter.done`); compared as absolute paths with
            symbolic links resolved, so ``reports/a.json`` skips
            ``/home/me/reports/a.json``.
        chunksize: Files per task sent to a worker.
        progress: Show a progress line on stderr; by default only when
            stderr is a terminal.

    Returns:
        An iterator of one :class:`BatchResult` per file, in input order;
        unreadable files give results with ``error`` set.

    Raises:
        GovDisclosureError: *paths* is a single path (a ``str``, ``bytes``
            or path object: use :func:`report_paths` to list a folder's
            files); *jobs* or *chunksize* is not a positive int.

    >>> import gov_disclosure as gd, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for y in (2021, 2022):
    ...     _ = (d / f"{y}.json").write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=y)))
    >>> _ = (d / "bad.json").write_text("{")
    >>> [(pathlib.Path(r.path).name, r.year, r.ok) for r in gd.batch(gd.report_paths(d))]
    [('2021.json', 2021, True), ('2022.json', 2022, True), ('bad.json', None, False)]

    .. versionadded:: 0.1.0
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise GovDisclosureError(
            f"batch(paths): got the single path {os.fsdecode(paths)!r}, expected a list of files; "
            f"use gov_disclosure.report_paths({os.fsdecode(paths)!r}) to list the report files "
            "of a folder"
        )
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise GovDisclosureError(f"batch(jobs): expected a positive int or None, got {jobs!r}")
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise GovDisclosureError(f"batch(chunksize): expected a positive int, got {chunksize!r}")
    done = {_normalise_path(p) for p in skip}
    total = None
    if isinstance(paths, Sequence):
        total = len(paths)
        if done:
            total -= sum(_normalise_path(p) in done for p in paths)
    names = (os.fspath(p) for p in paths)
    todo = (q for q in names if _normalise_path(q) not in done) if done else names
    return _batch(todo, jobs, chunksize, _Progress(total, progress))


def _normalise_path(path: str | os.PathLike[str]) -> str:
    """
    The absolute form of *path*, symbolic links resolved (``Path(path).resolve()``): a batch output's ``path``.

    Two spellings of one file (``reports/a.json``, ``./reports/a.json``,
    ``/home/me/reports/a.json``) give one string, so a resumed run
    recognises the files already done however they were named.

    >>> import os
    >>> _normalise_path("a.json") == _normalise_path(os.path.join(os.getcwd(), ".", "a.json"))
    True
    """
    try:
        return str(Path(path).resolve())
    except (OSError, RuntimeError):  # a symlink loop: keep the unresolved absolute path
        return os.path.abspath(path)


def _child(path: str, conn: multiprocessing.connection.Connection) -> None:
    """Read one file in an isolated process and send the result back."""
    conn.send(batch_file(path))
    conn.close()


def _isolated(path: str, ctx: multiprocessing.context.BaseContext) -> BatchResult:
    """Read one file in a process of its own; a process that dies gives a ``WorkerDied`` row."""
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(path, send), daemon=True)  # type: ignore[attr-defined]
    proc.start()
    send.close()
    result: BatchResult | None = None
    try:
        result = recv.recv()
    except Exception:  # the process died before or while sending: no result
        result = None
    finally:
        recv.close()
        proc.join()
    if isinstance(result, BatchResult):
        return result
    code = proc.exitcode
    how = ""
    if code is not None and code < 0:
        try:
            how = f" (killed by {signal.Signals(-code).name})"
        except ValueError:
            how = f" (killed by signal {-code})"
    return BatchResult(
        path=path,
        error=f"WorkerDied: exit code {code}{how}; the process reading this file died "
        "(a crash, or killed by the system, e.g. out of memory)",
    )


_Window = collections.deque[tuple[list[str], concurrent.futures.Future[list[BatchResult]]]]


def _submit(
    pool: concurrent.futures.Executor, window: _Window, todo: Iterator[str], chunksize: int
) -> bool:
    """Send the next chunk of *todo* to *pool*; ``False`` when there is none or the pool is broken."""
    chunk = [p for _, p in zip(range(chunksize), todo, strict=False)]
    if not chunk:
        return False
    try:
        future = pool.submit(_chunk, chunk)
    except concurrent.futures.process.BrokenProcessPool as e:
        # The chunk is taken from the paths already: keep it, failed, to be read again.
        future = concurrent.futures.Future()
        future.set_exception(e)
        window.append((chunk, future))
        return False
    window.append((chunk, future))
    return True


def _batch(
    todo: Iterator[str], jobs: int | None, chunksize: int, bar: _Progress
) -> Iterator[BatchResult]:
    try:
        if jobs == 1:
            for p in todo:
                result = batch_file(p)
                bar.update(result)
                yield result
            return
        workers = jobs or os.cpu_count() or 1
        # Import the parsers once here: forked workers inherit them instead of
        # each importing them on its first file.
        from .. import parsers  # noqa: F401
        ctx = _mp_context()
        while True:
            lost: _Window = collections.deque()
            with concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=ctx
            ) as pool:
                window: _Window = collections.deque()
                while len(window) < 2 * workers and _submit(pool, window, todo, chunksize):
                    pass
                while window:
                    chunk, future = window.popleft()
                    try:
                        results = future.result()
                    except concurrent.futures.process.BrokenProcessPool:
                        # A worker died: the pool fails every file in flight.
                        lost = collections.deque([(chunk, future), *window])
                        window.clear()
                        break
                    _submit(pool, window, todo, chunksize)
                    for result in results:
                        bar.update(result)
                        yield result
            if not lost:
                return
            # Read the lost files again, one process each, so that only the
            # file that kills its process fails; then carry on with a new pool.
            for chunk, future in lost:
                if future.done() and not future.cancelled() and future.exception() is None:
                    results = future.result()
                else:
                    results = [_isolated(p, ctx) for p in chunk]
                for result in results:
                    bar.update(result)
                    yield result
    finally:
        bar.close()


# --- output -----------------------------------------------------------------

Format = Literal["parquet", "csv", "jsonl"]
_FORMATS: dict[str, Format] = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl"}


def output_format(out: Path) -> Format:
    """The format of a batch output file by its extension, or a :class:`GovDisclosureError` naming it."""
    fmt = _FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise GovDisclosureError(
            f"{out}: unknown output format {out.suffix!r}; use {', '.join(_FORMATS)}"
        )
    return fmt


def _cells_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.cells{out.suffix}")


def _count(value: object) -> int:
    """A count column read back from any of the formats (``""``/``None`` when unreadable)."""
    if value is None or value == "":
        return 0
    return int(str(value))


class BatchWriter:
    """
    Write batch results to a file, streaming, resumably: results by extension, cells beside them.

    ``out`` gets one row per file (:meth:`BatchResult.row`); a sibling file
    ``<stem>.cells<suffix>`` gets the tidy cells (:meth:`BatchResult.cell_rows`,
    the value as exact decimal text, the printed unit and the blank mark).
    The format comes from the extension: ``.parquet`` (pyarrow, the
    ``parquet`` extra; written in row groups of *batch_size* rows, never all
    in memory), ``.csv`` or ``.jsonl``.  The ``path`` column holds each
    file's absolute path with symbolic links resolved (``Path(p).resolve()``),
    however the path was given.

    **Resuming.**  When ``out`` exists, the files it holds a readable row for
    are in :attr:`done` (absolute, resolved paths): pass them to
    :func:`batch` as ``skip`` and only the remaining files are processed.
    Files recorded as unreadable are *not* in :attr:`done`: they are read
    again (in :attr:`retry`), their new row replaces the old one, and the old
    row is kept for those not read again in this run.  CSV and JSON Lines
    files are appended to (a line cut short by a crash is dropped first;
    cell rows of files without a readable result row are dropped too).  A
    Parquet file cannot be appended to, so it is rewritten: the old rows are
    copied in row groups to a temporary file, the new ones follow, and the
    temporary file replaces the old one when the writer closes, also after
    an error or Ctrl-C.  A process killed outright loses the new rows of a
    Parquet run (never the old ones); use ``.jsonl`` for runs expected to be
    killed.

    >>> import gov_disclosure as gd, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.json").write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
    >>> with gd.BatchWriter(d / "out.csv") as w:
    ...     w.write_all(gd.batch([str(d / "a.json")], skip=w.done))
    1
    >>> with gd.BatchWriter(d / "out.csv") as w:   # resumed: nothing left to do
    ...     sorted(pathlib.Path(p).name for p in w.done), w.write_all(gd.batch([str(d / "a.json")], skip=w.done))
    (['a.json'], 0)
    >>> (w.files, w.unreadable, w.with_errors)
    (1, 0, 0)

    Args:
        out: The results file (``.parquet``, ``.csv`` or ``.jsonl``).
        resume: Keep what ``out`` holds and skip it; with ``False`` an
            existing file is overwritten.
        batch_size: Rows buffered before a write (a Parquet row group).

    Raises:
        GovDisclosureError: the extension is not one of the three; an
            existing output cannot be resumed (unreadable, or written with
            other columns by another version: use ``resume=False``).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, out: str | os.PathLike[str], *, resume: bool = True, batch_size: int = 1000
    ) -> None:
        self.out = Path(out)
        self.format: Format = output_format(self.out)
        self.cells_out = _cells_path(self.out)
        self.batch_size = batch_size
        #: Files already in the output with a readable row, to skip (absolute, resolved paths).
        self.done: frozenset[str] = frozenset()
        #: Files the output records as unreadable, to read again (absolute, resolved paths).
        self.retry: frozenset[str] = frozenset()
        self._rows: list[dict[str, Any]] = []
        self._cells: list[dict[str, Any]] = []
        self._old_with_errors: set[str] = set()
        self._written: set[str] = set()
        self._new_bad: set[str] = set()
        self._new_with_errors: set[str] = set()
        self._stale: list[dict[str, Any]] = []
        resume = resume and self.out.exists()
        results: _Sink
        cell_sink: _Sink
        if self.format == "parquet":
            results = _ParquetSink(self.out, _RESULT_TYPES, resume)
            cell_sink = _ParquetSink(self.cells_out, _CELL_TYPES, resume)
        else:
            cls = _CsvSink if self.format == "csv" else _JsonlSink
            results = cls(self.out, RESULT_FIELDS, resume)
            cell_sink = cls(self.cells_out, CELL_FIELDS, resume)
        self._sinks = [results, cell_sink]
        if resume:
            self._scan(results, cell_sink)
        for s in self._sinks:
            s.open()

    def _scan(self, results: _Sink, cell_sink: _Sink) -> None:
        """Read what the old output holds: the files done, those to retry, the counts."""
        readable: set[str] = set()  # as written, to match the cell rows
        unreadable: set[str] = set()
        done: set[str] = set()
        for path, error, n_errors in results.summary():
            if error:
                unreadable.add(path)
                continue
            readable.add(path)
            norm = _normalise_path(path)
            done.add(norm)
            if n_errors:
                self._old_with_errors.add(norm)
        self.done = frozenset(done)
        retry = {_normalise_path(p) for p in unreadable}
        self.retry = frozenset(retry - done)
        # Old error rows leave the file now and are written back at close
        # unless the file is read again; the cells keep their readable files.
        results.drop_errors = bool(unreadable)
        results.stale = self._stale
        cell_sink.keep = frozenset(readable)

    @property
    def files(self) -> int:
        """How many files the whole output holds a row for (old rows included)."""
        return len(self.done | self._written | self.retry)

    @property
    def unreadable(self) -> int:
        """How many files of the whole output are recorded as unreadable (old rows not read again included)."""
        return len(self._new_bad | (self.retry - self._written))

    @property
    def with_errors(self) -> int:
        """How many reports of the whole output have a finding of severity error (old rows included)."""
        return len(self._old_with_errors | self._new_with_errors)

    def write(self, result: BatchResult) -> None:
        """Add one result (its row and its cells), its ``path`` made absolute and resolved."""
        norm = _normalise_path(result.path)
        # Cells first: a result row is the mark that a file is done.
        self._cells += result._cell_rows(norm)
        self._rows.append({**result.row(), "path": norm})
        self._written.add(norm)
        self._new_bad.discard(norm)
        self._new_with_errors.discard(norm)
        if not result.ok:
            self._new_bad.add(norm)
        elif result.n_errors:
            self._new_with_errors.add(norm)
        if len(self._rows) >= self.batch_size or len(self._cells) >= 50 * self.batch_size:
            self.flush()

    def write_all(self, results: Iterable[BatchResult]) -> int:
        """Write every result of *results* and return how many there were."""
        n = 0
        for r in results:
            self.write(r)
            n += 1
        return n

    def flush(self) -> None:
        """Write the buffered rows."""
        if self._cells:
            self._sinks[1].write(self._cells)
            self._cells = []
        if self._rows:
            self._sinks[0].write(self._rows)
            self._rows = []

    def close(self) -> None:
        """Flush and close both files (replacing the old Parquet files by the new ones)."""
        try:
            self.flush()
            # The old error row of a file not read again in this run stays (one
            # per file; those of files with a readable row go).
            kept: dict[str, dict[str, Any]] = {}
            for r in self._stale:
                norm = _normalise_path(r["path"])
                if norm in self.retry and norm not in self._written:
                    kept.setdefault(norm, r)
            if kept:
                self._sinks[0].write(list(kept.values()))
            self._stale.clear()
        finally:
            for s in self._sinks:
                s.close()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Sink:
    #: Results sink: take the old rows with an error out of the file, into ``stale``.
    drop_errors: bool = False
    stale: list[dict[str, Any]]
    #: Cells sink: keep only the old rows of these paths (as written).
    keep: frozenset[str] | None = None

    def summary(self) -> Iterator[tuple[str, str, int]]:  # pragma: no cover -- overridden
        raise NotImplementedError

    def open(self) -> None:  # pragma: no cover -- overridden
        raise NotImplementedError

    def write(self, rows: list[dict[str, Any]]) -> None:  # pragma: no cover -- overridden
        raise NotImplementedError

    def close(self) -> None:  # pragma: no cover -- overridden
        raise NotImplementedError


def _drop_partial_line(path: Path) -> None:
    """Cut a file after its last newline (a line half-written by a killed run)."""
    size = path.stat().st_size
    if not size:
        return
    with path.open("rb+") as fh:
        fh.seek(max(0, size - 1))
        if fh.read(1) == b"\n":
            return
        pos = size
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            block = fh.read(step)
            i = block.rfind(b"\n")
            if i >= 0:
                fh.truncate(pos + i + 1)
                return
        fh.truncate(0)


class _TextSink(_Sink):
    """CSV or JSON Lines, appended to, one file per kind of row."""

    def __init__(self, path: Path, fields: tuple[str, ...], resume: bool) -> None:
        self.path = path
        self.fields = fields
        self.resume = resume and path.exists()
        self.stale = []
        self.fh: IO[str] | None = None
        if self.resume:
            _drop_partial_line(path)
            self._check_columns()

    def _columns(self) -> list[str] | None:  # pragma: no cover -- overridden
        raise NotImplementedError

    def _check_columns(self) -> None:
        found = self._columns()
        if found is not None and found != list(self.fields):
            raise GovDisclosureError(
                f"{self.path}: cannot resume: its columns are {', '.join(found)}, "
                f"expected {', '.join(self.fields)} (written by another version?); "
                "start over without resuming"
            )

    def _records(self) -> Iterator[dict[str, Any]]:  # pragma: no cover -- overridden
        raise NotImplementedError

    def summary(self) -> Iterator[tuple[str, str, int]]:
        if self.resume:
            for r in self._records():
                yield str(r["path"]), r.get("error") or "", _count(r.get("n_errors"))

    def _rewrite(self) -> None:
        """Drop the old rows that must go (error rows, cells of unfinished files), if any."""
        keep = self.keep
        drop_errors = self.drop_errors

        def stays(r: dict[str, Any]) -> bool:
            if drop_errors and r.get("error"):
                self.stale.append(r)
                return False
            return keep is None or r["path"] in keep

        if keep is not None and all(r["path"] in keep for r in self._records()):
            keep = None
        if keep is None and not drop_errors:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            self._write_to(fh, (r for r in self._records() if stays(r)), header=True)
        os.replace(tmp, self.path)

    def open(self) -> None:
        new = not self.resume
        if not new:
            self._rewrite()
        self.fh = self.path.open("w" if new else "a", encoding="utf-8", newline="")
        if new:
            self._write_to(self.fh, (), header=True)

    def write(self, rows: list[dict[str, Any]]) -> None:
        assert self.fh is not None
        self._write_to(self.fh, rows, header=False)
        self.fh.flush()

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None

    def _write_to(self, fh: IO[str], rows: Iterable[dict[str, Any]], *, header: bool) -> None:
        raise NotImplementedError  # pragma: no cover -- overridden


class _CsvSink(_TextSink):
    def _columns(self) -> list[str] | None:
        with self.path.open(encoding="utf-8", newline="") as fh:
            return next(csv.reader(fh), None)

    def _records(self) -> Iterator[dict[str, Any]]:
        with self.path.open(encoding="utf-8", newline="") as fh:
            yield from csv.DictReader(fh)

    def _write_to(self, fh: IO[str], rows: Iterable[dict[str, Any]], *, header: bool) -> None:
        w = csv.DictWriter(fh, self.fields)
        if header:
            w.writeheader()
        # Booleans as write_rows spells them (``true``/``false``), not Python's ``True``.
        w.writerows(
            {k: ("true" if v else "false") if isinstance(v, bool) else v for k, v in r.items()}
            for r in rows
        )


class _JsonlSink(_TextSink):
    def _columns(self) -> list[str] | None:
        first = next(self._records(), None)
        return None if first is None else list(first)

    def _records(self) -> Iterator[dict[str, Any]]:
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)

    def _write_to(self, fh: IO[str], rows: Iterable[dict[str, Any]], *, header: bool) -> None:
        buf = io.StringIO()
        for r in rows:
            buf.write(_dumps(r))
            buf.write("\n")
        fh.write(buf.getvalue())


def _arrow(module: str = "pyarrow") -> Any:
    """Import a pyarrow module (untyped, so imported dynamically), or say which extra is missing."""
    try:
        return importlib.import_module(module)
    except ImportError:  # pragma: no cover -- the parquet extra is installed by make install
        raise GovDisclosureError(
            "Parquet output needs pyarrow: pip install 'gov-disclosure[parquet]'"
        ) from None


def _schema(fields: Sequence[tuple[str, str]]) -> Any:
    pa = _arrow()
    types = {"str": pa.string(), "int": pa.int64(), "year": pa.int32(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in fields])


_RESULT_TYPES = (
    ("path", "str"),
    ("agency", "str"),
    ("year", "year"),
    ("edition", "str"),
    ("n_errors", "int"),
    ("n_warnings", "int"),
    ("n_parse_warnings", "int"),
    ("findings", "str"),
    ("parse_warnings", "str"),
    ("error", "str"),
)
_CELL_TYPES = (
    ("path", "str"),
    ("agency", "str"),
    ("year", "year"),
    ("edition", "str"),
    ("key", "str"),
    ("value", "str"),
    ("unit", "str"),
    ("blank", "bool"),
)


class _ParquetSink(_Sink):
    """A Parquet file written in row groups to a temporary file that replaces the target at close."""

    def __init__(self, path: Path, fields: tuple[tuple[str, str], ...], resume: bool) -> None:
        self.path = path
        self.schema = _schema(fields)
        self.resume = resume and path.exists()
        self.tmp = path.with_name(path.name + ".tmp")
        self.stale = []
        self.writer: Any = None
        if self.resume:
            self._check_columns()

    def _check_columns(self) -> None:
        pq = _arrow("pyarrow.parquet")
        try:
            found = pq.read_schema(self.path).names
        except Exception as e:  # an unreadable old file is an error, not a silent restart
            raise GovDisclosureError(f"{self.path}: cannot resume from this file: {e}") from None
        if found != self.schema.names:
            raise GovDisclosureError(
                f"{self.path}: cannot resume: its columns are {', '.join(found)}, "
                f"expected {', '.join(self.schema.names)} (written by another version?); "
                "start over without resuming"
            )

    def summary(self) -> Iterator[tuple[str, str, int]]:
        if not self.resume:
            return
        pq = _arrow("pyarrow.parquet")
        try:
            table = pq.read_table(self.path, columns=["path", "error", "n_errors"])
        except Exception as e:  # an unreadable old file is an error, not a silent restart
            raise GovDisclosureError(f"{self.path}: cannot resume from this file: {e}") from None
        for path, error, n_errors in zip(
            table.column("path").to_pylist(),
            table.column("error").to_pylist(),
            table.column("n_errors").to_pylist(),
            strict=True,
        ):
            yield str(path), error or "", n_errors or 0

    def open(self) -> None:
        pa, pq, pc = _arrow(), _arrow("pyarrow.parquet"), _arrow("pyarrow.compute")
        self.writer = pq.ParquetWriter(self.tmp, self.schema)
        if self.resume:
            old = pq.ParquetFile(self.path)
            keep = None if self.keep is None else pa.array(sorted(self.keep), pa.string())
            for rb in old.iter_batches(batch_size=65536):
                table = pa.Table.from_batches([rb]).cast(self.schema)
                if keep is not None:
                    table = table.filter(pc.is_in(table["path"], keep))
                if self.drop_errors:
                    bad = pc.invert(pc.is_null(table["error"]))
                    self.stale += table.filter(bad).to_pylist()
                    table = table.filter(pc.is_null(table["error"]))
                self.writer.write_table(table)

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.writer.write_table(_arrow().Table.from_pylist(rows, schema=self.schema))

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            os.replace(self.tmp, self.path)
