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
import errno
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
from typing import Any

from attrs import frozen

from .._messages import M_
from ..errors import GovDisclosureError, ParseError
from ..model import AnnualReport
from ..parsers import suffixes as parser_suffixes
from ..rules import Finding, Severity, check
from ..serialize._rows import report_cells, value_text
from ._rows import BatchCellRow, BatchRow
from ._run import _IDLE_EVERY, _idle, _normaliser, _ticking

__all__ = ["BatchResult", "batch", "batch_file", "report_paths"]

#: The columns of a result row, in order (see :meth:`BatchResult.row`).
RESULT_FIELDS: tuple[str, ...] = tuple(BatchRow.__annotations__)
#: The columns of a cell row: the file's path, then the columns of the tidy rows of
#: :func:`gov_disclosure.to_rows` (``agency`` … ``value``, ``unit``, ``blank``).
CELL_FIELDS: tuple[str, ...] = tuple(BatchCellRow.__annotations__)

#: File suffixes :func:`report_paths` picks up when walking a folder: report
#: documents and the files of the built-in readers (those of readers
#: registered with :func:`gov_disclosure.parsers.register` are added).
_DOCUMENT_SUFFIXES = frozenset({".json"})
#: Seconds one file may take in :func:`batch` before it is stopped and
#: becomes a failure row (a report parses in well under a second).
FILE_TIMEOUT = 60.0
REPORT_SUFFIXES: frozenset[str] = _DOCUMENT_SUFFIXES | parser_suffixes()


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

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """
        Pickle compactly: the cell keys as one shared tuple, the values as one string.

        A worker of :func:`batch` sends every result to the main process; as
        plain pickles, a report's 200 cells were 200 tuples of two strings,
        and pickling and unpickling them cost half as much as reading a JSON
        report.  The keys of every report of an edition are the same, so they
        go as one tuple that pickle writes once per chunk of files.
        """
        keys = tuple([k for k, _ in self.cells])
        keys = _KEYS.setdefault(keys, keys) if len(_KEYS) < 64 else keys
        values = _SEP.join([v for _, v in self.cells])
        fields = tuple(getattr(self, name) for name in RESULT_FIELDS)
        return (_unpickle, (fields, keys, values, self.units, self.blank_cells))

    @property
    def ok(self) -> bool:
        """``True`` when the file was read (whatever its findings)."""
        return self.error is None

    def row(self) -> BatchRow:
        """The result row: every field but the cells (``path``, ``agency`` … ``error``), as a dict."""
        return {  # a literal, so that the type checker holds it to BatchRow
            "path": self.path,
            "agency": self.agency,
            "year": self.year,
            "edition": self.edition,
            "n_errors": self.n_errors,
            "n_warnings": self.n_warnings,
            "n_parse_warnings": self.n_parse_warnings,
            "findings": self.findings,
            "parse_warnings": self.parse_warnings,
            "error": self.error,
        }

    def cell_rows(self) -> list[BatchCellRow]:
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

    def _cell_rows(self, path: str) -> list[BatchCellRow]:
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


#: The cell keys of the results pickled in this process, one tuple per edition (see
#: :meth:`BatchResult.__reduce__`); bounded, in case readers registered give other keys.
_KEYS: dict[tuple[str, ...], tuple[str, ...]] = {}
#: Joins the values of pickled cells (never in a decimal text).
_SEP = "\x1f"


def _unpickle(
    fields: tuple[Any, ...],
    keys: tuple[str, ...],
    values: str,
    units: tuple[tuple[str, str], ...],
    blank_cells: tuple[str, ...],
) -> BatchResult:
    cells = tuple(zip(keys, values.split(_SEP), strict=True)) if keys else ()
    return BatchResult(
        **dict(zip(RESULT_FIELDS, fields, strict=True)),
        cells=cells,
        units=units,
        blank_cells=blank_cells,
    )


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
    if path.is_dir():
        # A folder report_paths could not list: the listing's own error (permission...).
        with os.scandir(path):
            pass
        raise IsADirectoryError(errno.EISDIR, "a folder, not a report file", str(path))
    if path.suffix.lower() == ".json":
        from ..parsers import _read_path
        from ..serialize import from_json

        # Bounded, and a FIFO or a device refused, as parse() does for the other files.
        return from_json(_read_path(path)), []
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
        (``"StructureError: …"``, ``"ParseError: …"``; an unexpected
        exception of the parser is caught too, so that one bad file never
        stops a run of thousands).

    >>> import gov_disclosure as gd, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.json").write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
    >>> r = gd.batch_file(d / "a.json")
    >>> (r.agency, r.year, r.n_errors, r.error, len(r.cells))
    ('某局', 2021, 0, None, 200)
    >>> gd.batch_file(d / "missing.json").error
    'ParseError: cannot read it: No such file or directory'
    >>> gd.batch_file(d / "missing.txt").error
    'ParseError: cannot read it: No such file or directory'

    .. versionadded:: 0.1.0
    """
    p = Path(path)
    name = os.fspath(path)
    try:
        report, warnings = _load(p)
        findings = check(report)
        body = report_cells(report)  # the tidy rows' cells: one source of units and blanks
    except Exception as e:  # one bad file must never stop a batch: it becomes an error row
        return BatchResult(path=name, error=_error_text(e, name))
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


def _error_text(e: Exception, path: str) -> str:
    """
    ``"Type: message"`` of a failure row, without the file's path (the row's ``path`` names it).

    A ParseError located at the file says where, not the file again;
    "cannot read /a/b.txt: …" is "cannot read it: …".
    """
    text = str(e)
    if isinstance(e, ParseError) and e.location == path:
        text = str(e.message)
    return f"{type(e).__name__}: " + text.replace(f"cannot read {path}: ", "cannot read it: ")


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


def _chunk(paths: Sequence[str], timeout: float | None = None) -> list[BatchResult]:
    return [_timed(p, timeout) for p in paths]


def _timed(path: str, timeout: float | None) -> BatchResult:
    """
    :func:`batch_file` stopped after *timeout* seconds: the file then gives a ``TimeoutError`` row.

    The limit is a timer signal (``SIGALRM``) in the process reading the
    file, so it needs the main thread of a POSIX process; elsewhere the file
    is read without a limit.
    """
    if (
        timeout is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        return batch_file(path)

    def ring(signum: int, frame: object) -> None:
        raise TimeoutError(f"reading took more than {timeout:g} s; stopped (see batch(timeout=))")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        # batch_file turns the TimeoutError raised inside it into the file's error row.
        return batch_file(path)
    except TimeoutError as e:  # the timer rang just after batch_file returned
        return BatchResult(path=path, error=f"TimeoutError: {e}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def report_paths(root: str | os.PathLike[str]) -> Iterator[str]:
    """
    The report files under *root* (a file, or a folder walked recursively), sorted, lazily.

    Files with a suffix ``.json``, ``.txt``, ``.md``, ``.html``, ``.htm``,
    ``.docx``, ``.xlsx``, ``.xlsm`` or ``.pdf``, or one of a reader registered with
    :func:`gov_disclosure.parsers.register`, are picked up; hidden files and
    folders (``.git``) are skipped.  A folder that cannot be listed (no
    permission) is yielded itself, so that :func:`batch` gives it an error
    row rather than skipping its files without a word.

    .. versionadded:: 0.1.0
    """
    top = Path(root)
    if not top.is_dir():
        yield os.fspath(top)
        return
    wanted = _DOCUMENT_SUFFIXES | parser_suffixes()  # readers registered since import too
    unreadable: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(top, onerror=lambda e: unreadable.append(e)):
        # A folder that cannot be listed is yielded itself: batch_file gives
        # it an error row, so its files are not missing without a word.
        yield from _drain(unreadable)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith(".") and Path(f).suffix.lower() in wanted:
                yield os.path.join(dirpath, f)
    yield from _drain(unreadable)


def _drain(errors: list[OSError]) -> Iterator[str]:
    while errors:
        e = errors.pop(0)
        if getattr(e, "filename", None) is not None:
            yield os.fsdecode(e.filename)


class _Progress:
    """A one-line progress counter on stderr, shown only on a terminal."""

    def __init__(self, total: int | None, enabled: bool | None) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.done = 0
        self.bad = 0
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = 0

    def update(self, result: BatchResult) -> None:
        self.done += 1
        self.bad += not result.ok
        now = time.monotonic()
        if self.enabled and (now - self.last > 0.2 or self.done == self.total):
            self.show(now)

    def show(self, now: float) -> None:
        """Write the line: the count (of the total, when known) and the rate."""
        self.last = now
        self.shown = self.done
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
            if self.shown != self.done:  # the last count, also without a total
                self.show(time.monotonic())
            sys.stderr.write("\n")
            sys.stderr.flush()


def batch(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = 1,
    skip: Iterable[str | os.PathLike[str]] = (),
    chunksize: int | None = None,
    progress: bool | None = None,
    timeout: float | None = FILE_TIMEOUT,
) -> Iterator[BatchResult]:
    """
    Run :func:`batch_file` over many files, in worker processes, streaming the results in input order.

    Memory stays flat however many files there are: paths are consumed
    lazily, at most ``2 * jobs`` chunks of files are in flight,
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
            a list of its files).  A path given twice is read twice, and
            gives two results (keeping no set of the paths seen is what
            keeps memory flat); :func:`report_paths` of folders that do not
            overlap lists each file once.
        jobs: Worker processes; ``1`` runs in this process (no pool),
            ``None`` uses every CPU.
        skip: Paths not to process (those already in an output, see
            :attr:`BatchWriter.done`); compared as absolute paths with
            symbolic links resolved, so ``reports/a.json`` skips
            ``/home/me/reports/a.json``.
        chunksize: Files per task sent to a worker; by default 8 at
            first, then as many as take about a twentieth of a second
            (measured on the run), from 8 to 64: fast files (report
            documents) go in larger tasks, so that the pool's cost per
            task, paid in the main process, does not eat the second core.
        progress: Show a progress line on stderr; by default only when
            stderr is a terminal.
        timeout: Seconds one file may take (60 by default); a file that
            takes longer is stopped and gives an error row
            ``"TimeoutError: …"``, and the run goes on.  ``None``: no limit.
            (A timer signal in the process reading the file: on POSIX, in a
            main thread; elsewhere files are read without a limit.)

    Returns:
        An iterator of one :class:`BatchResult` per file, in input order;
        unreadable files give results with ``error`` set.

    Raises:
        GovDisclosureError: *paths* is a single path (a ``str``, ``bytes``
            or path object: use :func:`report_paths` to list a folder's
            files); *jobs* or *chunksize* is not a positive int (or ``None``), *timeout*
            not a positive number or ``None``.

    >>> import gov_disclosure as gd, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for y in (2021, 2022):
    ...     _ = (d / f"{y}.json").write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=y)))
    >>> _ = (d / "bad.json").write_text("{")
    >>> [(pathlib.Path(r.path).name, r.year, r.ok) for r in gd.batch(gd.report_paths(d))]
    [('2021.json', 2021, True), ('2022.json', 2022, True), ('bad.json', None, False)]

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0 *timeout*; *chunksize* sized on the run by default.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise GovDisclosureError(
            M_(
                "batch(paths): got the single path {path!r}, expected a list of files; use gov_disclosure.report_paths({path!r}) to list the report files of a folder",
                path=os.fsdecode(paths),
            )
        )
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise GovDisclosureError(
            M_("batch(jobs): expected a positive int or None, got {jobs!r}", jobs=jobs)
        )
    if chunksize is not None and (
        isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1
    ):
        raise GovDisclosureError(
            M_(
                "batch(chunksize): expected a positive int or None, got {chunksize!r}",
                chunksize=chunksize,
            )
        )
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not 0 < timeout < float("inf")
    ):
        raise GovDisclosureError(
            M_(
                "batch(timeout): expected a positive number of seconds or None, got {timeout!r}",
                timeout=timeout,
            )
        )
    normalise = _normaliser()  # its cache of resolved folders lives for this run only
    done = {normalise(p) for p in skip}
    total = None
    if isinstance(paths, Sequence):
        total = len(paths)
        if done:
            total -= sum(normalise(p) in done for p in paths)
    names = (os.fspath(p) for p in paths)
    todo = (q for q in names if normalise(q) not in done) if done else names
    return _batch(todo, jobs, chunksize, _Progress(total, progress), timeout)


def _child(
    path: str, conn: multiprocessing.connection.Connection, timeout: float | None = None
) -> None:
    """Read one file in an isolated process and send the result back."""
    conn.send(_timed(path, timeout))
    conn.close()


def _isolated(
    path: str, ctx: multiprocessing.context.BaseContext, timeout: float | None = None
) -> BatchResult:
    """
    Read one file in a process of its own; a process that dies gives a ``WorkerDied`` row.

    A process still busy a grace period after *timeout* (stuck where its
    timer cannot stop it, in a C library) is killed: a ``TimeoutError`` row.
    """
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(path, send, timeout), daemon=True)  # type: ignore[attr-defined]
    proc.start()
    send.close()
    result: BatchResult | None = None
    stuck = False
    try:
        if timeout is None or recv.poll(timeout + _GRACE):
            result = recv.recv()
        else:
            stuck = True
            proc.kill()
    except Exception:  # the process died before or while sending: no result
        result = None
    finally:
        recv.close()
        proc.join()
    if isinstance(result, BatchResult):
        return result
    if stuck:
        return BatchResult(
            path=path,
            error=f"TimeoutError: reading took more than {timeout:g} s; the process was killed",
        )
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


#: Seconds past the per-file limit before a stuck process is killed.
_GRACE = 5.0

_Window = collections.deque[tuple[list[str], concurrent.futures.Future[list[BatchResult]]]]


def _submit(
    pool: concurrent.futures.Executor,
    window: _Window,
    todo: Iterator[str],
    chunksize: int,
    timeout: float | None,
) -> bool:
    """Send the next chunk of *todo* to *pool*; ``False`` when there is none or the pool is broken."""
    chunk = [p for _, p in zip(range(chunksize), todo, strict=False)]
    if not chunk:
        return False
    try:
        future = pool.submit(_chunk, chunk, timeout)
    except concurrent.futures.process.BrokenProcessPool as e:
        # The chunk is taken from the paths already: keep it, failed, to be read again.
        future = concurrent.futures.Future()
        future.set_exception(e)
        window.append((chunk, future))
        return False
    window.append((chunk, future))
    return True


#: How often a worker checks that the process that started it is alive (seconds).
_WATCH_EVERY = 1.0


def _watch_parent(parent: int) -> None:
    """
    End this worker when *parent* (the batch's main process) is gone.

    A pool's workers wait for work from the main process; if it is killed
    (``kill -9``) they would wait for ever.  A daemon thread notices that the
    parent changed (the worker was re-parented) and exits the process.
    """

    def watch() -> None:
        while True:
            time.sleep(_WATCH_EVERY)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="gov-disclosure-parent-watch", daemon=True).start()


def _chunk_deadline(chunk: Sequence[str], timeout: float | None) -> float | None:
    """
    How long to wait for a chunk's results (``None``: no limit): the limit and grace of 8 files at most.

    A chunk of more than 8 files is one of fast files; if more than 8 of them
    run to the limit, the pool is ended and its files are read again one
    process each, each with its full limit, so no file loses its time.
    """
    return None if timeout is None else min(len(chunk), _MIN_CHUNK) * (timeout + _GRACE)


#: Files per task at first, and the fewest per task when sized on the run.
_MIN_CHUNK = 8
#: The most files per task when sized on the run (a bound on what a death re-reads).
_MAX_CHUNK = 64
#: Seconds of work a task sized on the run aims at.
_TASK_SECONDS = 0.05


class _ChunkSize:
    """
    Files per task: fixed when given, else sized on the run's throughput.

    The rate is measured in the main process (files done per second since
    the pool started), so a main process that cannot keep up (many tiny
    files) makes the tasks larger too.
    """

    def __init__(self, given: int | None, workers: int) -> None:
        self.given = given
        self.workers = workers
        self.size = given or _MIN_CHUNK
        self.start = time.monotonic()
        self.done = 0

    def update(self, files: int) -> None:
        self.done += files
        if self.given is not None:
            return
        elapsed = time.monotonic() - self.start
        if elapsed > 0:
            per_task = _TASK_SECONDS * self.done / elapsed / self.workers
            self.size = max(_MIN_CHUNK, min(_MAX_CHUNK, int(per_task)))


def _result(
    future: concurrent.futures.Future[list[BatchResult]], deadline: float | None
) -> list[BatchResult]:
    """``future.result(deadline)``, waited for in slices, with :func:`_idle` between them."""
    end = None if deadline is None else time.monotonic() + deadline
    while True:
        left = _IDLE_EVERY if end is None else end - time.monotonic()
        try:
            return future.result(max(0.0, min(_IDLE_EVERY, left)))
        except concurrent.futures.TimeoutError:
            if end is not None and left <= _IDLE_EVERY:
                raise
            _idle()


def _kill_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Kill the processes of *pool* (the executor has no public way to before Python 3.14)."""
    processes = getattr(pool, "_processes", None) or {}
    for proc in list(processes.values()):
        proc.kill()


def _batch(
    todo: Iterator[str],
    jobs: int | None,
    chunksize: int | None,
    bar: _Progress,
    timeout: float | None,
) -> Iterator[BatchResult]:
    try:
        if jobs == 1:
            # The files are read in this thread: a thread lets writers flush meanwhile.
            stop = _ticking()
            try:
                for p in todo:
                    result = _timed(p, timeout)
                    bar.update(result)
                    yield result
            finally:
                stop()
            return
        workers = jobs or os.cpu_count() or 1
        # Import the parsers once here: forked workers inherit them instead of
        # each importing them on its first file.
        from .. import parsers  # noqa: F401

        ctx = _mp_context()
        while True:
            lost: _Window = collections.deque()
            size = _ChunkSize(chunksize, workers)
            with concurrent.futures.ProcessPoolExecutor(
                max_workers=workers,
                mp_context=ctx,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            ) as pool:
                window: _Window = collections.deque()
                while len(window) < 2 * workers and _submit(pool, window, todo, size.size, timeout):
                    pass
                while window:
                    chunk, future = window.popleft()
                    try:
                        results = _result(future, _chunk_deadline(chunk, timeout))
                    except concurrent.futures.TimeoutError:
                        # A worker is stuck where its timer cannot stop it:
                        # the pool is ended, and its files are read again,
                        # one process each, with a kill after the limit.
                        _kill_workers(pool)
                        lost = collections.deque([(chunk, future), *window])
                        window.clear()
                        break
                    except concurrent.futures.process.BrokenProcessPool:
                        # A worker died: the pool fails every file in flight.
                        lost = collections.deque([(chunk, future), *window])
                        window.clear()
                        break
                    size.update(len(results))
                    _submit(pool, window, todo, size.size, timeout)
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
                    results = [_isolated(p, ctx, timeout) for p in chunk]
                for result in results:
                    bar.update(result)
                    yield result
    finally:
        bar.close()
