"""
Where batch results go: CSV, JSON Lines or Parquet, written so that an interrupted run resumes.

:class:`~gov_disclosure.BatchWriter` appends whole result rows (and the tidy
cell rows beside them), drops a half-written last line left by a killed run,
and says which paths are done so that :func:`~gov_disclosure.batch` skips them.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from .._extras import require
from .._messages import M_
from ..errors import GovDisclosureError
from ..serialize._csvcell import csv_cell, csv_text
from ._batch import CELL_FIELDS, RESULT_FIELDS, BatchResult, _dumps, _normalise_path

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

    def _write_to(self, fh: IO[str], rows: Iterable[dict[str, Any]], *, header: bool) -> None:
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

    def _write_to(self, fh: IO[str], rows: Iterable[dict[str, Any]], *, header: bool) -> None:
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
            raise GovDisclosureError(
                M_("{path}: cannot resume from this file: {e}", path=self.path, e=e)
            ) from None
        if found != self.schema.names:
            raise GovDisclosureError(
                M_(
                    "{path}: cannot resume: its columns are {found}, expected {expected} (written by another version?); start over without resuming",
                    path=self.path,
                    found=", ".join(found),
                    expected=", ".join(self.schema.names),
                )
            )

    def summary(self) -> Iterator[tuple[str, str, int]]:
        if not self.resume:
            return
        pq = _arrow("pyarrow.parquet")
        try:
            table = pq.read_table(self.path, columns=["path", "error", "n_errors"])
        except Exception as e:  # an unreadable old file is an error, not a silent restart
            raise GovDisclosureError(
                M_("{path}: cannot resume from this file: {e}", path=self.path, e=e)
            ) from None
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
