"""
Where batch results go: CSV, JSON Lines or Parquet, written so that an interrupted run resumes.

:class:`~gov_disclosure.BatchWriter` appends whole result rows (and the tidy
cell rows beside them), drops a half-written last line left by a killed run,
and says which paths are done so that :func:`~gov_disclosure.batch` skips them.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from .._extras import require
from .._messages import M_
from ..errors import GovDisclosureError
from ..serialize._csvcell import csv_cell, csv_text
from ._batch import CELL_FIELDS, RESULT_FIELDS, BatchResult, _dumps
from ._run import _WAITING, _drop_partial_line, _normaliser

__all__ = ["BatchWriter", "output_format"]

# --- output -----------------------------------------------------------------

Format = Literal["parquet", "csv", "jsonl"]
_FORMATS: dict[str, Format] = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl"}


def output_format(out: Path) -> Format:
    """The format of a batch output file by its extension, or a :class:`GovDisclosureError` naming it."""
    fmt = _FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise GovDisclosureError(
            M_(
                "{out}: unknown output format {suffix!r}; use {formats}",
                out=out,
                suffix=out.suffix,
                formats=", ".join(_FORMATS),
            )
        )
    return fmt


#: Seconds at most between two flushes of a :class:`BatchWriter`: what a killed run can lose.
FLUSH_SECONDS = 10.0


def _parts_path(out: Path) -> Path:
    """Where a Parquet output's part files wait to be merged into it."""
    return out.with_name(out.name + ".parts")


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
    in memory), ``.csv`` or ``.jsonl``.  The ``findings`` and
    ``parse_warnings`` columns hold JSON text in Parquet and CSV, and the JSON
    arrays themselves in JSON Lines.  The ``path`` column holds each
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
    Parquet file cannot be appended to, so each flush is committed as a
    part file in ``<name>.parts/`` (written aside and renamed, so a part is
    whole or absent), and when the writer closes, also after an error or
    Ctrl-C, the old file and the parts are merged into a new file that
    replaces the old one.  A run killed outright (``kill -9``, a power cut)
    leaves the old file and whole parts, never a half-written ``.parquet``
    file: the next run reads both, so it loses at most the rows not yet
    flushed, and merges them at its close.  Rows are flushed every
    *batch_size* results and at least every 10 seconds, in every format,
    also while :func:`batch` waits for a slow file.

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
        self._normalise = _normaliser()  # folders resolved once, for this writer's run
        # A run waiting for a slow file flushes through _idle (from a thread when files
        # are read in this process): one writer at a time.
        self._lock = threading.RLock()
        self.cells_out = _cells_path(self.out)
        self.batch_size = batch_size
        #: Files already in the output with a readable row, to skip (absolute, resolved paths).
        self.done: frozenset[str] = frozenset()
        #: Files the output records as unreadable, to read again (absolute, resolved paths).
        self.retry: frozenset[str] = frozenset()
        self._rows: list[dict[str, Any]] = []
        self._cells: list[tuple[str, BatchResult]] = []  # whose cells to write, by path
        self._n_cells = 0
        self._flushed = time.monotonic()
        self._old_with_errors: set[str] = set()
        # Per file only what the counts need: the retried files written again,
        # and how many new ones (a set of every path would grow with the run).
        self._written: set[str] = set()
        self._new = 0
        self._new_bad: set[str] = set()
        self._new_with_errors: set[str] = set()
        self._stale: list[dict[str, Any]] = []
        # A Parquet run killed before its first merge left only parts.
        resume = resume and (self.out.exists() or _parts_path(self.out).is_dir())
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
        _WAITING.add(self)

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
            norm = self._normalise(path)
            done.add(norm)
            if n_errors:
                self._old_with_errors.add(norm)
        self.done = frozenset(done)
        retry = {self._normalise(p) for p in unreadable}
        self.retry = frozenset(retry - done)
        # Old error rows leave the file now and are written back at close
        # unless the file is read again; the cells keep their readable files.
        results.drop_errors = bool(unreadable)
        results.stale = self._stale
        cell_sink.keep = frozenset(readable)

    @property
    def files(self) -> int:
        """How many files the whole output holds a row for (old rows included; a new file written twice counts twice)."""
        return len(self.done) + len(self.retry) + self._new

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
        with self._lock:
            self._write(result)

    def _idle(self) -> None:
        """Flush when due and the writer is free: called while a run waits for a slow file."""
        if self._lock.acquire(blocking=False):
            try:
                if (
                    self._rows or self._cells
                ) and time.monotonic() - self._flushed >= FLUSH_SECONDS:
                    self.flush()
            finally:
                self._lock.release()

    def _write(self, result: BatchResult) -> None:
        norm = self._normalise(result.path)
        # Cells first: a result row is the mark that a file is done.
        if result.cells:
            self._cells.append((norm, result))
            self._n_cells += len(result.cells)
        self._rows.append({**result.row(), "path": norm})
        if norm in self.retry:
            self._written.add(norm)
        elif norm not in self.done:
            self._new += 1
        self._new_bad.discard(norm)
        self._new_with_errors.discard(norm)
        if not result.ok:
            self._new_bad.add(norm)
        elif result.n_errors:
            self._new_with_errors.add(norm)
        if (
            len(self._rows) >= self.batch_size
            or self._n_cells >= 50 * self.batch_size
            or time.monotonic() - self._flushed >= FLUSH_SECONDS
        ):
            self.flush()

    def write_all(self, results: Iterable[BatchResult]) -> int:
        """Write every result of *results* and return how many there were."""
        n = 0
        for r in results:
            self.write(r)
            n += 1
        return n

    def flush(self) -> None:
        """Write the buffered rows (in Parquet: commit them as one part file)."""
        with self._lock:
            self._flushed = time.monotonic()
            if self._cells:
                self._sinks[1].write_cells(self._cells)
                self._cells = []
                self._n_cells = 0
            if self._rows:
                self._sinks[0].write(self._rows)
                self._rows = []

    def close(self) -> None:
        """Flush and close both files (in Parquet: merge the old files and the parts into new ones)."""
        _WAITING.discard(self)
        with self._lock:
            self._close()

    def _close(self) -> None:
        try:
            self.flush()
            # The old error row of a file not read again in this run stays (one
            # per file; those of files with a readable row go).
            kept: dict[str, dict[str, Any]] = {}
            for r in self._stale:
                norm = self._normalise(r["path"])
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

    def write(self, rows: Sequence[Mapping[str, Any]]) -> None:  # pragma: no cover -- overridden
        raise NotImplementedError

    def write_cells(self, results: list[tuple[str, BatchResult]]) -> None:
        """Write the cell rows of *results* (each with its path as written)."""
        self.write([row for path, r in results for row in r._cell_rows(path)])

    def close(self) -> None:  # pragma: no cover -- overridden
        raise NotImplementedError


class _TextSink(_Sink):
    """CSV or JSON Lines, appended to, one file per kind of row."""

    def __init__(self, path: Path, fields: tuple[str, ...], resume: bool) -> None:
        self.path = path
        self.fields = fields
        self.resume = resume and path.exists()
        self.stale = []
        self.fh: IO[str] | None = None
        if self.resume:
            # Before anything is cut: a file that is not a batch output is never changed.
            self._check_head()
            _drop_partial_line(path)
            self._check_columns()

    def _signature(self) -> str:  # pragma: no cover -- overridden
        raise NotImplementedError

    def _check_head(self) -> None:
        """Refuse a file whose first line is not how this sink starts a file (or a cut-off start of it)."""
        with self.path.open("rb") as fh:
            head = fh.read(65536)
        line, newline, _ = head.partition(b"\n")
        sig = self._signature().encode("utf-8")
        line = line.rstrip(b"\r")
        if not line:
            return
        if newline:
            self._check_columns()  # a whole first line: its columns say whose file it is
        if line.startswith(sig) or (not newline and sig.startswith(line)):
            return
        try:
            shown = line[:60].decode("utf-8")
        except UnicodeDecodeError as e:
            raise _not_batch_output(self.path, e) from None
        raise GovDisclosureError(
            M_(
                "{path}: cannot resume from this file: it is not a batch output (it starts {shown!r}, expected {expected!r}); name another file, or start over without resuming",
                path=self.path,
                shown=shown,
                expected=self._signature(),
            )
        )

    def _columns(self) -> list[str] | None:  # pragma: no cover -- overridden
        raise NotImplementedError

    def _check_columns(self) -> None:
        found = self._columns()
        if found is not None and found != list(self.fields):
            raise GovDisclosureError(
                M_(
                    "{path}: cannot resume: its columns are {found}, expected {expected} (written by another version?); start over without resuming",
                    path=self.path,
                    found=", ".join(found),
                    expected=", ".join(self.fields),
                )
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

    def write(self, rows: Sequence[Mapping[str, Any]]) -> None:
        assert self.fh is not None
        self._write_to(self.fh, rows, header=False)
        self.fh.flush()

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None

    def _write_to(self, fh: IO[str], rows: Iterable[Mapping[str, Any]], *, header: bool) -> None:
        raise NotImplementedError  # pragma: no cover -- overridden


def _not_batch_output(path: Path, e: Exception) -> GovDisclosureError:
    return GovDisclosureError(
        M_(
            "{path}: cannot resume from this file: it is not a batch output ({type}: {e}); name another file, or start over without resuming",
            path=path,
            type=type(e).__name__,
            e=e,
        )
    )


class _CsvSink(_TextSink):
    def _signature(self) -> str:
        return ",".join(self.fields)

    def _columns(self) -> list[str] | None:
        try:
            with self.path.open(encoding="utf-8", newline="") as fh:
                return next(csv.reader(fh), None)
        except (UnicodeDecodeError, csv.Error) as e:
            raise _not_batch_output(self.path, e) from None

    def _records(self) -> Iterator[dict[str, Any]]:
        try:
            with self.path.open(encoding="utf-8", newline="") as fh:
                for n, r in enumerate(csv.DictReader(fh), 2):
                    if None in r or r.get("path") is None:
                        raise csv.Error(f"row {n} does not have the header's columns")
                    yield {k: csv_text(v) if v is not None else v for k, v in r.items()}
        except (UnicodeDecodeError, csv.Error) as e:
            raise _not_batch_output(self.path, e) from None

    def _write_to(self, fh: IO[str], rows: Iterable[Mapping[str, Any]], *, header: bool) -> None:
        w = csv.DictWriter(fh, self.fields)
        if header:
            w.writeheader()
        # Booleans as write_rows spells them (``true``/``false``), not Python's ``True``.
        # Text starting like a formula is written as text (OWASP), read back by _records.
        w.writerows(
            {
                k: ("true" if v else "false") if isinstance(v, bool) else csv_cell(v)
                for k, v in r.items()
            }
            for r in rows
        )


class _JsonlSink(_TextSink):
    def _signature(self) -> str:
        return '{"' + self.fields[0] + '":'

    def _columns(self) -> list[str] | None:
        first = next(self._records(), None)
        return None if first is None else list(first)

    def _records(self) -> Iterator[dict[str, Any]]:
        try:
            with self.path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        r = json.loads(line)
                        if not isinstance(r, dict) or "path" not in r:
                            raise ValueError(f"line {n} is not a row of a batch output")
                        yield r
        except (UnicodeDecodeError, ValueError) as e:  # JSONDecodeError is a ValueError
            raise _not_batch_output(self.path, e) from None

    def _write_to(self, fh: IO[str], rows: Iterable[Mapping[str, Any]], *, header: bool) -> None:
        buf = io.StringIO()
        for r in rows:
            # Parquet and CSV columns hold JSON text; a JSON line holds the values
            # themselves (rows read back from an older file may have either).
            for column in _JSON_COLUMNS:
                if isinstance(r.get(column), str):
                    r = {**r, column: json.loads(r[column])}
            buf.write(_dumps(r))
            buf.write("\n")
        fh.write(buf.getvalue())


def _arrow(module: str = "pyarrow") -> Any:
    """Import a pyarrow module (untyped, so imported dynamically), or say which extra is missing."""
    return require(module, extra="parquet", feature=M_("Parquet output"))


def _schema(fields: Sequence[tuple[str, str]]) -> Any:
    pa = _arrow()
    types = {
        "str": pa.string(),
        "json": pa.string(),  # JSON text
        "int": pa.int64(),
        "year": pa.int32(),
        "bool": pa.bool_(),
    }
    return pa.schema([(name, types[kind]) for name, kind in fields])


_RESULT_TYPES = (
    ("path", "str"),
    ("agency", "str"),
    ("year", "year"),
    ("edition", "str"),
    ("n_errors", "int"),
    ("n_warnings", "int"),
    ("n_parse_warnings", "int"),
    ("findings", "json"),
    ("parse_warnings", "json"),
    ("error", "str"),
)
#: The result columns that hold JSON text in Parquet and CSV, and JSON values in JSON Lines.
_JSON_COLUMNS = tuple(name for name, kind in _RESULT_TYPES if kind == "json")
#: The key of a merged Parquet file's metadata that lists the part files it took in.
_MERGED_KEY = b"gov_disclosure.merged_parts"
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
    """
    A Parquet file built from part files, each committed whole, merged into the file at close.

    A Parquet file cannot be appended to, and one half-written is unreadable.
    So every :meth:`write` (one flush of the writer) becomes a part file in
    ``<name>.parts/``, written aside and renamed into place, so a part is
    either whole or absent; the parts are named by the time their run started
    and their number, so their names sort in the order they were written.
    :meth:`close` merges the old file and every part into a new file that
    replaces the old one, recording in its metadata the parts it took in;
    then the parts are deleted.  A run killed at any point leaves the old
    file (or the merged one) and whole parts: the next run reads them all
    (:meth:`summary`), deletes the parts the file already took in, and
    merges the rest at its own close.
    """

    def __init__(self, path: Path, fields: tuple[tuple[str, str], ...], resume: bool) -> None:
        self.path = path
        self.schema = _schema(fields)
        self.parts = _parts_path(path)
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.stale = []
        self.run = f"{time.time_ns():016x}"
        self.written = 0
        self._clean(resume)
        #: What the run started with: the old file and the parts of killed runs.
        self.old = self._sources()
        self.resume = bool(self.old)
        for source in self.old:
            self._check_columns(source)

    def _clean(self, resume: bool) -> None:
        """Delete what a killed run left half-written, and the parts the file already holds."""
        self.tmp.unlink(missing_ok=True)
        if self.parts.is_dir():
            for p in self.parts.glob(".*.tmp"):
                p.unlink(missing_ok=True)
        if not resume:
            self.path.unlink(missing_ok=True)
            self._remove_parts(None)
            return
        if self.path.exists():
            self._remove_parts(self._merged(self.path))

    def _merged(self, path: Path) -> list[str]:
        """The names of the parts the file *path* took in when it was written (its metadata)."""
        pq = _arrow("pyarrow.parquet")
        try:
            meta = pq.read_schema(path).metadata or {}
        except Exception as e:  # an unreadable old file is an error, not a silent restart
            raise GovDisclosureError(
                M_("{path}: cannot resume from this file: {e}", path=path, e=e)
            ) from None
        names = json.loads(meta.get(_MERGED_KEY, b"[]"))
        return [str(n) for n in names]

    def _remove_parts(self, names: Iterable[str] | None) -> None:
        """Delete the parts *names* (``None``: all), and the parts folder once empty."""
        if not self.parts.is_dir():
            return
        for p in self._part_files() if names is None else (self.parts / n for n in names):
            p.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: parts of another run stay
            self.parts.rmdir()

    def _part_files(self) -> list[Path]:
        if not self.parts.is_dir():
            return []
        return sorted(
            p
            for p in self.parts.iterdir()
            if p.name.endswith(".parquet") and not p.name.startswith(".")
        )

    def _sources(self) -> list[Path]:
        return ([self.path] if self.path.exists() else []) + self._part_files()

    def _check_columns(self, source: Path) -> None:
        pq = _arrow("pyarrow.parquet")
        try:
            found = pq.read_schema(source).names
        except Exception as e:  # an unreadable old file is an error, not a silent restart
            raise GovDisclosureError(
                M_("{path}: cannot resume from this file: {e}", path=source, e=e)
            ) from None
        if found != self.schema.names:
            raise GovDisclosureError(
                M_(
                    "{path}: cannot resume: its columns are {found}, expected {expected} (written by another version?); start over without resuming",
                    path=source,
                    found=", ".join(found),
                    expected=", ".join(self.schema.names),
                )
            )

    def _read(self, source: Path, columns: list[str] | None = None) -> Iterator[Any]:
        """The record batches of *source*, cast to this sink's schema."""
        pa, pq = _arrow(), _arrow("pyarrow.parquet")
        try:
            for rb in pq.ParquetFile(source).iter_batches(batch_size=65536, columns=columns):
                yield rb if columns else pa.Table.from_batches([rb]).cast(self.schema)
        except GovDisclosureError:
            raise
        except Exception as e:  # an unreadable old file is an error, not a silent restart
            raise GovDisclosureError(
                M_("{path}: cannot resume from this file: {e}", path=source, e=e)
            ) from None

    def summary(self) -> Iterator[tuple[str, str, int]]:
        for source in self.old:
            for rb in self._read(source, ["path", "error", "n_errors"]):
                for path, error, n_errors in zip(
                    rb.column(0).to_pylist(),
                    rb.column(1).to_pylist(),
                    rb.column(2).to_pylist(),
                    strict=True,
                ):
                    yield str(path), error or "", n_errors or 0

    def open(self) -> None:
        """Nothing to do: the old rows stay where they are until :meth:`close` merges them."""

    def write(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Commit *rows* as one part file: written aside, then renamed into place."""
        self._write_table(_arrow().Table.from_pylist(rows, schema=self.schema))

    def _write_table(self, table: Any) -> None:
        pq = _arrow("pyarrow.parquet")
        self.parts.mkdir(exist_ok=True)
        self.written += 1
        name = f"{self.run}-{self.written:06}.parquet"
        tmp = self.parts / f".{name}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, self.parts / name)

    def write_cells(self, results: list[tuple[str, BatchResult]]) -> None:
        """
        The cell rows of *results* as columns: no dict per cell (the rows of :meth:`BatchResult.cell_rows`).

        A run over many small files spends most of its main process here:
        building a dict per cell and converting them was three quarters of it.
        """
        pa = _arrow()
        # One value per file, repeated by index (taken in C), one per cell else.
        files: dict[str, list[Any]] = {"path": [], "agency": [], "year": [], "edition": []}
        index: list[int] = []
        key: list[str] = []
        value: list[str] = []
        unit: list[str] = []
        blank: list[bool] = []
        for i, (name, r) in enumerate(results):
            files["path"].append(name)
            files["agency"].append(r.agency)
            files["year"].append(r.year)
            files["edition"].append(r.edition)
            keys = [k for k, _ in r.cells]
            index += [i] * len(keys)
            key += keys
            value += [v for _, v in r.cells]
            units = dict(r.units)
            unit += [units.get(k, "") for k in keys]
            blanks = frozenset(r.blank_cells)
            blank += [k in blanks for k in keys]
        take = pa.array(index, pa.int32())
        columns = {
            **{k: pa.array(v, self.schema.field(k).type).take(take) for k, v in files.items()},
            "key": pa.array(key, pa.string()),
            "value": pa.array(value, pa.string()),
            "unit": pa.array(unit, pa.string()),
            "blank": pa.array(blank, pa.bool_()),
        }
        self._write_table(pa.Table.from_pydict(columns, schema=self.schema))

    def _kept_errors(self, sources: list[Path]) -> set[tuple[int, int]]:
        """
        Which error rows stay, by (source, row): one per file without a readable row, the last.

        An error row of a file read again (its new row follows it) or read
        in a killed run (its readable row is in a part) goes.  Only the
        files with an error row are held in memory.
        """
        last: dict[str, tuple[int, int]] = {}
        for i, source in enumerate(sources):
            row = 0
            for rb in self._read(source, ["path", "error"]):
                errors = rb.column(1)
                if errors.null_count < rb.num_rows:
                    paths = rb.column(0).to_pylist()
                    for j, error in enumerate(errors.to_pylist()):
                        if error:
                            last[paths[j]] = (i, row + j)
                row += rb.num_rows
        if not last:
            return set()
        fixed = set()
        for source in sources:
            for rb in self._read(source, ["path", "error"]):
                for path, error in zip(
                    rb.column(0).to_pylist(), rb.column(1).to_pylist(), strict=True
                ):
                    if not error and path in last:
                        fixed.add(path)
        return {where for path, where in last.items() if path not in fixed}

    def close(self) -> None:
        """Merge the old file and the parts into a new file that replaces it, then delete the parts."""
        pa, pq, pc = _arrow(), _arrow("pyarrow.parquet"), _arrow("pyarrow.compute")
        parts = self._part_files()
        sources = ([self.path] if self.path.exists() else []) + parts
        results = "error" in self.schema.names
        kept = self._kept_errors(sources) if results else set()
        keep = None if self.keep is None else pa.array(sorted(self.keep), pa.string())
        merged = json.dumps([p.name for p in parts]).encode()
        schema = self.schema.with_metadata({_MERGED_KEY: merged})
        with pq.ParquetWriter(self.tmp, schema) as writer:
            for i, source in enumerate(sources):
                row = 0
                for table in self._read(source):
                    n = table.num_rows
                    if keep is not None and source in self.old:
                        # Cells of files without a result row (a killed run's last part).
                        table = table.filter(pc.is_in(table["path"], value_set=keep))
                    elif results and table["error"].null_count < n:
                        errors = table["error"].to_pylist()
                        mask = [e is None or (i, row + j) in kept for j, e in enumerate(errors)]
                        table = table.filter(pa.array(mask, pa.bool_()))
                    row += n
                    writer.write_table(table.replace_schema_metadata(schema.metadata))
        os.replace(self.tmp, self.path)
        self._remove_parts(p.name for p in parts)
