"""Tests of batch processing: gov_disclosure.batch_file(), batch(), BatchWriter, Dask and the CLI."""

from __future__ import annotations

import csv
import json
import os
import signal
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.many import _batch
from gov_disclosure.serialize import dumps_many


def _report(i: int, year: int = 2021, *, broken: bool = False) -> gd.AnnualReport:
    row = gd.ApplicantCounts.of(natural_person=i % 7, commercial=i % 3)
    other: gd.ApplicantCounts | gd.OtherHandling = (
        gd.ApplicantCounts.zero() if year < 2021 else gd.OtherHandling()
    )
    req = gd.Requests.of(new_received=row, granted=row, other=other)
    if broken:
        req = attrs.evolve(req, total_processed=gd.ApplicantCounts.of(natural_person=99))
    return gd.AnnualReport(agency=f"第{i}局", year=year, requests=req)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Twelve report documents in two sub-folders, one broken report and one unreadable file."""
    root = tmp_path / "reports"
    for i in range(12):
        sub = root / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:02}.json").write_bytes(gd.to_json(_report(i, broken=i == 5)))
    (root / "b" / "zz_bad.json").write_text('{"schema": "gov-disclosure/1"', encoding="utf-8")
    (root / "b" / "notes.csv").write_text("not a report", encoding="utf-8")
    return root


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read(path: Path) -> list[dict[str, Any]]:
    """Rows of a results or cells file of any of the three formats."""
    if path.suffix == ".csv":
        return _csv(path)
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _second_broken(folder: Path) -> list[str]:
    """Three report files, the second with a broken identity."""
    files = []
    for i in range(3):
        p = folder / f"{i}.json"
        p.write_bytes(gd.to_json(_report(i, broken=i == 1)))
        files.append(str(p))
    return files


class TestBatchFile:
    def test_good_file(self, tmp_path: Path) -> None:
        """A readable report gives its identity, counts of findings and every cell as exact text."""
        p = tmp_path / "r.json"
        r = _report(3)
        p.write_bytes(gd.to_json(r))
        res = gd.batch_file(p)
        assert (res.path, res.agency, res.year, res.edition, res.error) == (
            str(p),
            "第3局",
            2021,
            "2021",
            None,
        )
        assert (res.n_errors, res.n_warnings, json.loads(res.findings)) == (0, 0, [])
        assert dict(res.cells) == {k: str(v) for k, v in gd.cells(r).items()}
        assert res.ok

    def test_findings_as_json(self, tmp_path: Path) -> None:
        """The findings of a broken report are counted and listed as JSON objects."""
        p = tmp_path / "r.json"
        p.write_bytes(gd.to_json(_report(5, broken=True)))
        res = gd.batch_file(p)
        findings = json.loads(res.findings)
        assert res.n_errors == len([f for f in findings if f["severity"] == "error"]) > 0
        assert {f["rule"] for f in findings} >= {"requests.outcome_total"}
        assert all(set(f) >= {"rule", "cells", "expected", "actual", "message"} for f in findings)

    def test_unreadable_file_is_a_row(self, tmp_path: Path) -> None:
        """A file that cannot be read gives a result with its error, not an exception."""
        p = tmp_path / "bad.json"
        p.write_text("[1, 2", encoding="utf-8")
        res = gd.batch_file(p)
        assert not res.ok
        assert res.error is not None
        assert res.error.startswith("StructureError:")
        assert (res.agency, res.n_errors, res.cells) == (None, None, ())

    def test_missing_file_is_a_row(self, tmp_path: Path) -> None:
        """A missing file is an error row too."""
        res = gd.batch_file(tmp_path / "nope.txt")
        assert res.path == str(tmp_path / "nope.txt")
        # The reason, without the path again (the row's path names the file).
        assert res.error == "ParseError: cannot read it: No such file or directory"


class TestBatch:
    def test_report_paths(self, folder: Path) -> None:
        """report_paths walks the tree, sorted, picking report files only."""
        names = [Path(p).name for p in gd.report_paths(folder)]
        assert names == [f"{i:02}.json" for i in (1, 3, 5, 7, 9, 11)] + [
            f"{i:02}.json" for i in (0, 2, 4, 6, 8, 10)
        ] + ["zz_bad.json"]

    def test_pool_gives_the_in_process_results(self, folder: Path) -> None:
        """Two worker processes give the same results, in the same order, as one process."""
        paths = list(gd.report_paths(folder))
        one = list(gd.batch(paths, jobs=1))
        two = list(gd.batch(paths, jobs=2, chunksize=2))
        assert one == two
        assert [r.path for r in two] == paths
        assert [r.ok for r in two].count(False) == 1

    def test_never_stops_on_a_bad_file(self, folder: Path) -> None:
        """An unreadable file in the middle does not stop the files after it."""
        paths = list(gd.report_paths(folder))
        paths.insert(3, str(folder / "missing.json"))
        results = list(gd.batch(paths, jobs=2, chunksize=1))
        assert len(results) == len(paths)
        assert results[3].error is not None

    def test_skip(self, folder: Path) -> None:
        """Skipped paths are not processed."""
        paths = list(gd.report_paths(folder))
        results = list(gd.batch(paths, skip=paths[:5]))
        assert [r.path for r in results] == paths[5:]

    def test_skip_matches_any_spelling(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A skipped file is skipped whether given relative, absolute or with ``..`` in it."""
        monkeypatch.chdir(folder)
        paths = [str(folder / "a" / "01.json"), "b/00.json", "a/../a/03.json", "a/05.json"]
        skip = ["a/01.json", str(folder / "b" / "00.json"), str(folder / "a" / "03.json")]
        assert [r.path for r in gd.batch(paths, skip=skip)] == ["a/05.json"]

    def test_bounded_in_flight(self, tmp_path: Path) -> None:
        """Paths are consumed lazily: the first result arrives before most paths are even read."""
        p = tmp_path / "r.json"
        p.write_bytes(gd.to_json(_report(1)))
        pulled = 0

        def paths() -> Iterator[str]:
            nonlocal pulled
            for _ in range(1000):
                pulled += 1
                yield str(p)

        it = gd.batch(paths(), jobs=2, chunksize=4)
        next(it)
        assert pulled <= (2 * 2 + 1) * 4 + 1
        it.close()

    def test_chunks_sized_on_the_run(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """By default tasks grow with the throughput (fast files, fewer tasks), within 8 and 64 files."""
        clock = [0.0]
        monkeypatch.setattr(_batch.time, "monotonic", lambda: clock[0])
        size = _batch._ChunkSize(None, workers=2)
        assert size.size == 8
        clock[0] = 1.0
        size.update(1000)  # 1,000 files/s on two workers: 0.05 s is 25 files
        assert size.size == 25
        size.update(100_000)
        assert size.size == 64
        clock[0] = 1000.0
        size.update(1)  # slow files: never below 8
        assert size.size == 8
        given = _batch._ChunkSize(3, workers=2)
        given.update(100_000)
        assert given.size == 3

    def test_pickled_results_are_equal(self, folder: Path) -> None:
        """Results travel compactly between processes (keys shared, values joined) and come back equal."""
        import pickle

        results = list(gd.batch(gd.report_paths(folder)))
        assert any(r.cells for r in results)
        assert any(not r.ok for r in results)
        data = pickle.dumps(results)
        assert pickle.loads(data) == results
        # The keys of reports of one edition are pickled once, not once per report.
        key = results[0].cells[0][0].encode()
        assert data.count(key) == 1

    def test_progress_on_request(self, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """With progress=True a progress line counting files and unreadable ones goes to stderr."""
        paths = list(gd.report_paths(folder))
        list(gd.batch(paths, progress=True))
        err = capsys.readouterr().err
        assert f"{len(paths)}/{len(paths)} files, 1 unreadable" in err

    def test_no_progress_off_a_terminal(
        self, folder: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """By default nothing is drawn when stderr is not a terminal."""
        list(gd.batch(gd.report_paths(folder)))
        assert capsys.readouterr().err == ""

    @pytest.fixture
    def crashing(self, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
        """Make reading a file whose name is a key kill its process (exit code, or -signal)."""
        if _batch._mp_context().get_start_method() != "fork":
            pytest.skip("the crashing stand-in reaches the workers only when they are forked")
        deadly: dict[str, int] = {}
        real = _batch.batch_file

        def crash(path: str | os.PathLike[str]) -> gd.BatchResult:
            code = deadly.get(Path(path).name)
            if code is not None and code < 0:
                os.kill(os.getpid(), -code)
            if code is not None:
                os._exit(code)
            return real(path)

        monkeypatch.setattr(_batch, "batch_file", crash)
        return deadly

    @pytest.mark.parametrize(("jobs", "chunksize"), [(2, 2), (2, 1), (3, 4)])
    def test_dead_worker_is_an_error_row(
        self, folder: Path, crashing: dict[str, int], jobs: int, chunksize: int
    ) -> None:
        """A file that kills its worker becomes a WorkerDied row; every other file gets its row."""
        paths = list(gd.report_paths(folder))
        expected = [r.row() for r in gd.batch(paths)]
        crashing["03.json"] = 1
        results = list(gd.batch(paths, jobs=jobs, chunksize=chunksize))
        assert [r.path for r in results] == paths
        dead = [r for r in results if r.error and r.error.startswith("WorkerDied")]
        assert [Path(r.path).name for r in dead] == ["03.json"]
        assert dead[0].error is not None
        assert dead[0].error.startswith("WorkerDied: exit code 1")
        others = [r.row() for r in results if r not in dead]
        assert others == [e for e in expected if not e["path"].endswith("03.json")]

    def test_run_carries_on_after_several_deaths(
        self, folder: Path, crashing: dict[str, int]
    ) -> None:
        """Deaths early and late in a run, by exit or by signal, each cost one row only."""
        paths = list(gd.report_paths(folder))
        crashing.update({"01.json": 3, "10.json": -signal.SIGKILL})
        results = list(gd.batch(paths, jobs=2, chunksize=1))
        assert [r.path for r in results] == paths
        errors = {Path(r.path).name: r.error for r in results if r.error}
        assert set(errors) == {"01.json", "10.json", "zz_bad.json"}
        assert errors["01.json"].startswith("WorkerDied: exit code 3")
        assert errors["10.json"].startswith("WorkerDied: exit code -9 (killed by SIGKILL)")
        assert errors["zz_bad.json"].startswith("StructureError")

    def test_dead_worker_counts_as_unreadable(
        self, folder: Path, crashing: dict[str, int], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The progress line counts a dead worker's file as unreadable."""
        paths = list(gd.report_paths(folder))
        crashing["00.json"] = 1
        list(gd.batch(paths, jobs=2, chunksize=2, progress=True))
        assert f"{len(paths)}/{len(paths)} files, 2 unreadable" in capsys.readouterr().err

    @pytest.mark.parametrize("given", ["reports", Path("reports"), b"reports"])
    def test_single_path_refused(self, given: object) -> None:
        """A folder's name is not a list of files: it is refused, pointing to report_paths()."""
        with pytest.raises(gd.GovDisclosureError, match=r"report_paths\('reports'\)"):
            gd.batch(given)  # type: ignore[arg-type]

    def test_bad_jobs(self) -> None:
        """A non-positive number of jobs or chunk size is refused at the call."""
        with pytest.raises(gd.GovDisclosureError, match="jobs"):
            gd.batch([], jobs=0)
        with pytest.raises(gd.GovDisclosureError, match="chunksize"):
            gd.batch([], chunksize=0)


class TestWriter:
    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_rows_and_cells(self, folder: Path, tmp_path: Path, suffix: str) -> None:
        """One row per file in the results file and every cell beside it, whatever the format."""
        out = tmp_path / f"results{suffix}"
        paths = list(gd.report_paths(folder))
        with gd.BatchWriter(out, batch_size=4) as w:
            assert w.write_all(gd.batch(paths)) == len(paths)
        rows = _read(out)
        assert [r["path"] for r in rows] == paths
        bad = [r for r in rows if r["error"]]
        assert [Path(r["path"]).name for r in bad] == ["zz_bad.json"]
        good = next(r for r in rows if r["path"].endswith("05.json"))
        assert int(good["n_errors"]) > 0
        assert int(good["year"]) == 2021
        cells = _read(tmp_path / f"results.cells{suffix}")
        assert len(cells) == 12 * len(gd.catalogue("2021").cells) - 12 * 3
        first = [c for c in cells if c["path"] == paths[0]]
        assert {c["key"]: c["value"] for c in first} == {
            k: str(v) for k, v in gd.cells(gd.from_json(Path(paths[0]).read_bytes())).items()
        }
        assert set(first[0]) == set(_batch.CELL_FIELDS)

    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_resume(self, folder: Path, tmp_path: Path, suffix: str) -> None:
        """A second run skips the files already written and adds the rest, each file once."""
        out = tmp_path / f"results{suffix}"
        paths = list(gd.report_paths(folder))
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(paths[:4]))
        with gd.BatchWriter(out) as w:
            assert w.done == frozenset(str(Path(p).resolve()) for p in paths[:4])
            assert w.write_all(gd.batch(paths, skip=w.done)) == len(paths) - 4
        assert sorted(r["path"] for r in _read(out)) == sorted(paths)
        cells = _read(tmp_path / f"results.cells{suffix}")
        assert len({(c["path"], c["key"]) for c in cells}) == len(cells)

    @pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
    def test_resume_after_a_crash(self, folder: Path, tmp_path: Path, suffix: str) -> None:
        """A half-written last line and cells of an unfinished file are dropped before resuming."""
        out = tmp_path / f"results{suffix}"
        paths = list(gd.report_paths(folder))
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(paths[:3]))
        cells_out = tmp_path / f"results.cells{suffix}"
        extra = gd.batch_file(paths[3])
        with gd.BatchWriter(tmp_path / f"other{suffix}") as w2:
            w2.write(extra)
        # The cells of paths[3] made it to disk, its result row only half.
        cells_out.write_text(
            cells_out.read_text(encoding="utf-8")
            + "".join(
                (tmp_path / f"other.cells{suffix}")
                .read_text(encoding="utf-8")
                .splitlines(True)[suffix == ".csv" :]
            ),
            encoding="utf-8",
        )
        with out.open("a", encoding="utf-8") as fh:
            fh.write(paths[3][:10])
        with gd.BatchWriter(out) as w:
            assert w.done == frozenset(str(Path(p).resolve()) for p in paths[:3])
            w.write_all(gd.batch(paths, skip=w.done))
        assert sorted(r["path"] for r in _read(out)) == sorted(paths)
        cells = _read(cells_out)
        assert len({(c["path"], c["key"]) for c in cells}) == len(cells)

    def test_no_resume_overwrites(self, folder: Path, tmp_path: Path) -> None:
        """With resume=False an existing output is replaced."""
        out = tmp_path / "r.jsonl"
        paths = list(gd.report_paths(folder))
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(paths))
        with gd.BatchWriter(out, resume=False) as w:
            assert w.done == frozenset()
            w.write_all(gd.batch(paths[:2]))
        assert len(_read(out)) == 2

    def test_unknown_format(self, tmp_path: Path) -> None:
        """An output extension other than the three is refused."""
        with pytest.raises(gd.GovDisclosureError, match=r"\.xlsx"):
            gd.BatchWriter(tmp_path / "r.xlsx")


def _procurement(agency: str, amount: str, unit: str | None) -> gd.AnnualReport:
    """A 2019 report whose procurement amount is printed in *unit*, with section 六 fees in 元."""
    r = gd.AnnualReport(agency=agency, year=2019)
    assert isinstance(r.proactive, gd.Proactive2019)
    proc = gd.Procurement2019(items=1, amount=Decimal(amount), amount_unit=unit)
    return attrs.evolve(
        r,
        proactive=attrs.evolve(r.proactive, procurement=proc),
        other_matters=gd.OtherMatters(fees=gd.InformationFees(collected_amount=Decimal(3))),
        blank_cells={"t3.granted.total"},
    )


def _truthy(value: object) -> bool:
    """A bool column read back from CSV (text ``true``/``false``, as write_rows spells it), JSON Lines or Parquet."""
    assert value in (True, False, "true", "false"), value
    return value is True or value == "true"


class TestCellColumns:
    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_unit_and_blank(self, tmp_path: Path, suffix: str) -> None:
        """Cell rows say each amount's printed unit and whether the cell was printed blank."""
        files = []
        for name, amount, unit in (
            ("yuan", "251000", "元"),
            ("wan", "25.1", "万元"),
            ("none", "7", None),
        ):
            p = tmp_path / f"{name}.json"
            p.write_bytes(gd.to_json(_procurement(name, amount, unit)))
            files.append(p)
        new = tmp_path / "new.json"
        new.write_bytes(gd.to_json(_report(2)))
        files.append(new)
        out = tmp_path / f"r{suffix}"
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch([str(f) for f in files]))
        rows = {(Path(c["path"]).stem, c["key"]): c for c in _read(tmp_path / f"r.cells{suffix}")}
        assert [rows[(n, "t2.procurement.amount")]["unit"] for n in ("yuan", "wan", "none")] == [
            "元",
            "万元",
            "",
        ]
        assert rows[("yuan", "t6.fees.collected_amount")]["unit"] == "元"
        assert rows[("new", "t2.fees.amount")]["unit"] == "万元"
        assert rows[("yuan", "t3.granted.total")]["unit"] == ""
        granted = rows[("yuan", "t3.granted.total")]
        assert (granted["value"], _truthy(granted["blank"])) == ("0", True)
        partial = rows[("yuan", "t3.partial.total")]
        assert (partial["value"], _truthy(partial["blank"])) == ("0", False)
        assert not any(_truthy(c["blank"]) for (n, _), c in rows.items() if n == "new")

    def test_parquet_cells_are_cell_rows(self, folder: Path, tmp_path: Path) -> None:
        """The Parquet cells file (written as columns) holds exactly the rows of BatchResult.cell_rows()."""
        pytest.importorskip("pyarrow")
        p = tmp_path / "units.json"
        p.write_bytes(gd.to_json(_procurement("wan", "25.1", "万元")))
        paths = [*gd.report_paths(folder), str(p)]
        results = list(gd.batch(paths))
        out = tmp_path / "r.parquet"
        with gd.BatchWriter(out, batch_size=3) as w:
            w.write_all(results)
        expected = [
            {**c, "path": str(Path(r.path).resolve())} for r in results for c in r.cell_rows()
        ]
        assert _read(tmp_path / "r.cells.parquet") == expected
        assert any(c["unit"] == "万元" for c in expected)
        assert any(c["blank"] for c in expected)

    def test_result_fields(self, tmp_path: Path) -> None:
        """batch_file records the units of the money cells and the blank cells of the report."""
        p = tmp_path / "r.json"
        p.write_bytes(gd.to_json(_procurement("甲局", "3", "万元")))
        res = gd.batch_file(p)
        assert dict(res.units) == {
            "t2.procurement.amount": "万元",
            "t6.fees.collected_amount": "元",
        }
        assert res.blank_cells == ("t3.granted.total",)


def _batched_procurements(tmp_path: Path, suffix: str) -> tuple[list[gd.AnnualReport], Path]:
    """Three 2019 reports, their procurement amount in each unit and none, batched to a *suffix* output: the reports and the cells file."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    rs = [_procurement(f"第{i}局", "25.1", u) for i, u in enumerate(("元", "万元", None))]
    files = []
    for i, r in enumerate(rs):
        files.append(tmp_path / f"{i}.json")
        files[-1].write_bytes(gd.to_json(r))
    with gd.BatchWriter(tmp_path / f"r{suffix}") as w:
        w.write_all(gd.batch([str(f) for f in files]))
    return rs, tmp_path / f"r.cells{suffix}"


class TestOneRowSchema:
    """Batch cell rows are the tidy rows of gov_disclosure.to_rows() with the file's path in front."""

    @staticmethod
    def _expected(path: Path, report: gd.AnnualReport) -> list[dict[str, Any]]:
        def text(v: object) -> str:
            return format(v, "f") if isinstance(v, Decimal) else str(v)

        return [
            {"path": str(path), **row, "value": text(row["value"])} for row in gd.to_rows([report])
        ]

    @pytest.mark.parametrize("unit", ["元", "万元", None])
    def test_cell_rows_are_to_rows(self, tmp_path: Path, unit: str | None) -> None:
        """cell_rows() is path + the to_rows() row, same columns in the same order, value as its text."""
        r = _procurement("甲局", "1E+2", unit)
        p = tmp_path / "r.json"
        p.write_bytes(gd.to_json(r))
        got = gd.batch_file(p).cell_rows()
        assert got == self._expected(p, r)
        assert [list(row) for row in got] == [list(_batch.CELL_FIELDS)] * len(got)
        assert "100" in {row["value"] for row in got if row["key"] == "t2.procurement.amount"}

    def test_2021_blank(self, tmp_path: Path) -> None:
        """A 2021 report with blank cells (one of them an optional 六 figure) gives the same rows."""
        r = attrs.evolve(
            _report(4),
            other_matters=gd.OtherMatters(fees=gd.InformationFees(notices=0)),
            blank_cells={"t6.fees.notices", "t2.licensing.decisions"},
        )
        p = tmp_path / "r.json"
        p.write_bytes(gd.to_json(r))
        assert gd.batch_file(p).cell_rows() == self._expected(p, r)

    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_cells_file_reads_as_rows(self, tmp_path: Path, suffix: str) -> None:
        """The rows of a cells file, without their path, give the reports back with gov_disclosure.from_rows()."""
        rs, cells_file = _batched_procurements(tmp_path, suffix)
        rows = [{k: v for k, v in c.items() if k != "path"} for c in _read(cells_file)]
        if suffix == ".csv":
            rows = [{**c, "year": int(c["year"])} for c in rows]
        assert [gd.from_cells(gd.cells(r), agency=r.agency, year=r.year) for r in rs] != rs
        assert gd.from_rows(rows) == rs

    @pytest.mark.parametrize("suffix", [".parquet", ".csv"])
    def test_read_rows_reads_cells_files(self, tmp_path: Path, suffix: str) -> None:
        """gov_disclosure.read_rows() reads a batch cells file as it is (its path column dropped)."""
        rs, cells_file = _batched_procurements(tmp_path, suffix)
        rows = gd.read_rows(cells_file)
        assert all("path" not in row for row in rows)
        assert gd.from_rows(rows) == rs


class TestResume:
    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_relative_then_absolute(
        self, folder: Path, tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A run given relative paths and one given absolute paths write each file once, as an absolute path."""
        monkeypatch.chdir(folder)
        relative = [os.path.relpath(p, folder) for p in gd.report_paths(folder)]
        out = tmp_path / f"r{suffix}"
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(relative[:5], skip=w.done))
        absolute = [str(folder / p) for p in relative]
        with gd.BatchWriter(out) as w:
            assert w.write_all(gd.batch(absolute, skip=w.done)) == len(absolute) - 5
        paths = [r["path"] for r in _read(out)]
        assert sorted(paths) == sorted(str(Path(p).resolve()) for p in absolute)
        cells = _read(tmp_path / f"r.cells{suffix}")
        assert {c["path"] for c in cells} <= set(paths)
        assert len({(c["path"], c["key"]) for c in cells}) == len(cells)

    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_unreadable_files_are_retried(self, folder: Path, tmp_path: Path, suffix: str) -> None:
        """A file recorded as unreadable is read again; its new row replaces the old one."""
        paths = list(gd.report_paths(folder))
        bad = folder / "b" / "zz_bad.json"
        out = tmp_path / f"r{suffix}"
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(paths))
            assert (w.files, w.unreadable) == (13, 1)
        bad.write_bytes(gd.to_json(_report(20)))
        with gd.BatchWriter(out) as w:
            assert w.retry == {str(bad.resolve())}
            assert str(bad.resolve()) not in w.done
            assert w.write_all(gd.batch(paths, skip=w.done)) == 1
            assert (w.files, w.unreadable, w.with_errors) == (13, 0, 1)
        rows = _read(out)
        assert len(rows) == 13
        assert not [r for r in rows if r["error"]]
        cells = _read(tmp_path / f"r.cells{suffix}")
        assert {c["path"] for c in cells} == {str(Path(p).resolve()) for p in paths}

    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_unreadable_rows_not_retried_are_kept(
        self, folder: Path, tmp_path: Path, suffix: str
    ) -> None:
        """An unreadable file not among a resumed run's inputs keeps its error row."""
        paths = list(gd.report_paths(folder))
        out = tmp_path / f"r{suffix}"
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(paths))
        with gd.BatchWriter(out) as w:
            assert w.write_all(gd.batch(paths[:2], skip=w.done)) == 0
            assert (w.files, w.unreadable) == (13, 1)
        assert (w.files, w.unreadable, w.with_errors) == (13, 1, 1)
        rows = _read(out)
        assert sorted(r["path"] for r in rows) == sorted(str(Path(p).resolve()) for p in paths)
        assert [Path(r["path"]).name for r in rows if r["error"]] == ["zz_bad.json"]

    def test_error_row_beside_a_readable_row_goes(self, folder: Path, tmp_path: Path) -> None:
        """An old error row of a file that also has a readable row (a killed run) is dropped, not retried."""
        paths = list(gd.report_paths(folder))
        out = tmp_path / "r.jsonl"
        with gd.BatchWriter(out) as w:
            w.write_all(gd.batch(paths[:3]))
        first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        stale = {**first, "error": "OSError: gone", "n_errors": None}
        with out.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(stale) + "\n")
        with gd.BatchWriter(out) as w:
            assert (w.retry, w.files, w.unreadable) == (frozenset(), 3, 0)
            assert w.write_all(gd.batch(paths[:3], skip=w.done)) == 0
        assert [r["error"] for r in _read(out)] == [None] * 3

    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_still_unreadable_is_one_row(self, folder: Path, tmp_path: Path, suffix: str) -> None:
        """A file still unreadable when retried has one error row, the new one."""
        paths = list(gd.report_paths(folder))
        out = tmp_path / f"r{suffix}"
        for _ in range(2):
            with gd.BatchWriter(out) as w:
                w.write_all(gd.batch(paths, skip=w.done))
        rows = _read(out)
        assert len(rows) == 13
        assert [Path(r["path"]).name for r in rows if r["error"]] == ["zz_bad.json"]

    @pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
    def test_other_columns_refused(self, tmp_path: Path, suffix: str) -> None:
        """A cells file written with other columns (by another version) is not resumed into a mix."""
        out = tmp_path / f"r{suffix}"
        with gd.BatchWriter(out):
            pass
        old = {"path": "a.json", "agency": "某局", "year": 2021, "edition": "2021", "key": "k"}
        cells = tmp_path / f"r.cells{suffix}"
        if suffix == ".parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pylist([old]), cells)
        elif suffix == ".csv":
            cells.write_text(",".join(old) + "\n", encoding="utf-8")
        else:
            cells.write_text(json.dumps(old) + "\n", encoding="utf-8")
        with pytest.raises(gd.GovDisclosureError, match="cannot resume: its columns are"):
            gd.BatchWriter(out)


class TestDask:
    def test_same_rows_as_the_process_pool(self, folder: Path) -> None:
        """batch_file mapped over a dask.bag on a local two-worker cluster gives the process pool's rows."""
        db = pytest.importorskip("dask.bag")
        distributed = pytest.importorskip("distributed")
        paths = list(gd.report_paths(folder))
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            bag = db.from_sequence(paths, npartitions=4).map(gd.batch_file)
            on_dask = bag.compute(scheduler=client.get)
        pool = list(gd.batch(paths, jobs=2))
        assert [r.row() for r in on_dask] == [r.row() for r in pool]
        assert [r.cells for r in on_dask] == [r.cells for r in pool]


class TestCli:
    def test_aggregate(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """aggregate reads the inputs, writes the sum and exits 0 when it is clean."""
        files = []
        for i in range(3):
            p = tmp_path / f"{i}.json"
            p.write_bytes(gd.to_json(_report(i)))
            files.append(str(p))
        out = tmp_path / "total.json"
        assert main(["aggregate", *files, "--agency", "某市（汇总）", "-o", str(out)]) == 0
        total = gd.from_json(out.read_bytes())
        assert total.agency == "某市（汇总）"
        assert total.requests.new_received.total == sum(
            _report(i).requests.new_received.total for i in range(3)
        )

    def test_aggregate_traces_errors(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A broken contributor makes aggregate exit 1 and name its file on stderr."""
        files = _second_broken(tmp_path)
        assert main(["aggregate", *files, "--agency", "汇总", "-o", str(tmp_path / "t.json")]) == 1
        err = capsys.readouterr().err
        assert f"[from {files[1]} 第1局: expected" in err
        assert "reports[" not in err

    @pytest.mark.parametrize(
        ("locale", "expected"), [("zh_Hans_CN", "：应为"), ("zh_Hant_TW", "：應為")]
    )
    def test_aggregate_traces_errors_by_file_in_chinese(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], locale: str, expected: str
    ) -> None:
        """In Chinese too the broken contributor is named by its file, not by its position."""
        files = _second_broken(tmp_path)
        args = ["--locale", locale, "aggregate", *files, "--agency", "汇总"]
        assert main([*args, "-o", str(tmp_path / "t.json")]) == 1
        err = capsys.readouterr().err
        assert f"{files[1]} 第1局{expected}" in err
        assert "第2份" not in err
        # The severity before the message with the full-width colon, not "错误: ".
        assert ("错误：" if locale == "zh_Hans_CN" else "錯誤：") in err
        assert ": " not in err.replace(str(tmp_path), "")

    def test_aggregate_unusable(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A mix of years or an unreadable input exits 2 with the reason."""
        a, b = tmp_path / "a.json", tmp_path / "b.json"
        a.write_bytes(gd.to_json(_report(1, 2021)))
        b.write_bytes(gd.to_json(_report(2, 2022)))
        assert main(["aggregate", str(a), str(b), "--agency", "汇总"]) == 2
        assert f"{b} (第2局) is year 2022, edition 2021, but {a} (第1局)" in capsys.readouterr().err
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")
        assert main(["aggregate", str(a), str(bad), "--agency", "汇总"]) == 2
        assert "bad.json" in capsys.readouterr().err

    def test_aggregate_names_reports_of_a_many_report_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Reports of a file holding several are named by the file and their position in it."""
        many = tmp_path / "many.json"
        many.write_bytes(dumps_many([_report(1), _report(2), _report(1)]))
        assert main(["aggregate", str(many), "--agency", "汇总"]) == 2
        assert f"{many}[2] (第1局) repeats {many}[0] (第1局)" in capsys.readouterr().err

    @pytest.mark.parametrize("name", ["total.xlsx", "total", "total.jsonl"])
    def test_aggregate_unknown_output_format(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
    ) -> None:
        """An output extension aggregate cannot write is refused (exit 2), nothing written."""
        a = tmp_path / "a.json"
        a.write_bytes(gd.to_json(_report(1)))
        out = tmp_path / name
        assert main(["aggregate", str(a), "--agency", "汇总", "-o", str(out)]) == 2
        assert "unknown format" in capsys.readouterr().err
        assert not out.exists()

    @pytest.mark.parametrize("suffix", [".csv", ".parquet"])
    def test_aggregate_rows(self, tmp_path: Path, suffix: str) -> None:
        """-o .csv or .parquet writes the sum's tidy rows."""
        a, b = tmp_path / "a.json", tmp_path / "b.json"
        a.write_bytes(gd.to_json(_report(1)))
        b.write_bytes(gd.to_json(_report(2)))
        out = tmp_path / f"total{suffix}"
        assert main(["aggregate", str(a), str(b), "--agency", "汇总", "-o", str(out)]) == 0
        rows = {r["key"]: r for r in _read(out)}
        assert int(rows["t3.new_received.total"]["value"]) == sum(
            _report(i).requests.new_received.total for i in (1, 2)
        )

    def test_batch(self, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """batch writes every file's row, exits 2 while an unreadable file is in the output, and resumes."""
        out = tmp_path / "results.jsonl"
        assert main(["batch", str(folder), "--out", str(out), "--jobs", "2"]) == 2
        assert "13 files read, 0 skipped (already done in" in capsys.readouterr().err
        assert len(_read(out)) == 13
        # The unreadable file is retried, and is still unreadable: still exit 2.
        assert main(["batch", str(folder), "--out", str(out), "--jobs", "2"]) == 2
        err = capsys.readouterr().err
        assert "1 file read, 12 skipped (already done in" in err
        assert "holds 13 files: 1 unreadable, 1 with errors" in err
        assert len(_read(out)) == 13

    def test_batch_resumed_status_counts_old_rows(
        self, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A resumed run with nothing left to do still exits 1 when a report in the output has errors."""
        (folder / "b" / "zz_bad.json").unlink()
        out = tmp_path / "results.csv"
        assert main(["batch", str(folder), "--out", str(out), "--jobs", "1"]) == 1
        assert main(["batch", str(folder), "--out", str(out), "--jobs", "1"]) == 1
        assert "0 files read, 12 skipped (already done in" in capsys.readouterr().err
        assert main(["batch", str(folder / "a" / "01.json"), "--out", str(out)]) == 1
        # Skipped counts this run's inputs, not the rows of the output.
        err = capsys.readouterr().err
        assert "0 files read, 1 skipped (already done in" in err
        assert "holds 12 files" in err

    def test_batch_fixed_file_clears_status(
        self, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Once the unreadable file is fixed, the resumed run reads it and the exit status drops to 1."""
        out = tmp_path / "results.parquet"
        assert main(["batch", str(folder), "--out", str(out), "--jobs", "1"]) == 2
        (folder / "b" / "zz_bad.json").write_bytes(gd.to_json(_report(30)))
        assert main(["batch", str(folder), "--out", str(out), "--jobs", "1"]) == 1
        assert "holds 13 files: 0 unreadable, 1 with errors" in capsys.readouterr().err
        assert [r for r in _read(out) if r["error"]] == []


class TestCorpus:
    def test_real_reports(self, corpus_dir: Path, tmp_path: Path) -> None:
        """Every published report of the corpus goes through batch into Parquet, with the year its ground truth states."""
        paths = sorted(
            str(p) for p in corpus_dir.iterdir() if p.suffix in (".txt", ".html", ".htm", ".docx")
        )
        out = tmp_path / "corpus.parquet"
        with gd.BatchWriter(out) as w:
            assert w.write_all(gd.batch(paths, jobs=2, chunksize=1)) == len(paths)
        rows = {r["path"]: r for r in _read(out)}
        assert set(rows) == {str(Path(p).resolve()) for p in paths}
        for p in paths:
            truth = json.loads(Path(p).with_suffix(".json").read_text(encoding="utf-8"))
            row = rows[str(Path(p).resolve())]
            assert row["error"] is None, row["error"]
            assert row["year"] == truth["year"], p
            assert row["edition"] == str(truth["edition"]), p


class TestMissingRoot:
    """A root that does not exist is refused before any output is written."""

    def test_nothing_written(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``batch nosuch --out x.parquet`` exits 2, names the root and writes no file."""
        from gov_disclosure.cli import main

        out = tmp_path / "x.csv"
        assert main(["batch", str(tmp_path / "nosuch"), "--out", str(out)]) == 2
        assert "nosuch" in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []


class TestJsonLinesValues:
    def test_findings_are_json_values(self, tmp_path: Path) -> None:
        """A JSON line holds the findings and parser warnings as arrays, not JSON text inside JSON."""
        (tmp_path / "in").mkdir()
        (tmp_path / "in" / "a.json").write_bytes(gd.to_json(_report(5, broken=True)))
        out = tmp_path / "r.jsonl"
        assert main(["batch", str(tmp_path / "in"), "--out", str(out), "-j", "1"]) == 1
        (row,) = _read(out)
        assert isinstance(row["findings"], list)
        assert isinstance(row["parse_warnings"], list)
        assert {f["rule"] for f in row["findings"]} >= {"requests.outcome_total"}
        # A resumed run rewrites the old rows: still values, not strings.
        (tmp_path / "in" / "b.json").write_bytes(gd.to_json(_report(3)))
        assert main(["batch", str(tmp_path / "in"), "--out", str(out), "-j", "1"]) == 1
        rows = _read(out)
        assert len(rows) == 2
        assert all(isinstance(r["findings"], list) for r in rows)
