"""
Batch under faults, end to end: corrupt files, a pool worker killed, the main process killed and run again.

For every output format (CSV, JSON Lines, Parquet) a folder with 5 % corrupt
files is run in a separate Python process (two workers, every file slowed
down so that the run can be interrupted in its middle).  One pool worker is
killed with ``SIGKILL`` while it reads; later the main process itself is
killed with ``SIGKILL``; a second run resumes.  The final output must hold
exactly the rows and cells of an uninterrupted run: one row per file, the
corrupt ones as failure rows with their reason, nothing lost or duplicated;
the second run must not have started over; and no half-written file may be
left under a name of the output format where it cannot be appended to
(Parquet), nor any part or temporary file once the run is complete.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import gov_disclosure as gd

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="finds the pool's workers in /proc and slows them down through fork",
)

N_FILES = 40
CORRUPT = {7: b'{"schema": "gov-disclosure/1", "agency": ', 23: b"\x00\xff\xfe garbage \x89PNG"}

#: The batch run: every file slowed down by argv[3] seconds in the (forked) workers.
_DRIVER = textwrap.dedent(
    """
    import sys, time
    import gov_disclosure as gd
    from gov_disclosure.many import _batch

    root, out, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
    real = _batch.batch_file

    def slow(path):
        time.sleep(delay)
        return real(path)

    _batch.batch_file = slow
    with gd.BatchWriter(out, batch_size=4) as w:
        done = len(w.done)
        n = w.write_all(gd.batch(gd.report_paths(root), jobs=2, chunksize=2, skip=w.done))
    print(done, n)
    """
)


def _report(i: int) -> gd.AnnualReport:
    row = gd.ApplicantCounts.of(natural_person=i % 7, commercial=i % 3)
    req = gd.Requests.of(new_received=row, granted=row, other=gd.OtherHandling())
    return gd.AnnualReport(agency=f"第{i}局", year=2021, requests=req)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Forty report documents, two of them (5 %) corrupt."""
    root = tmp_path / "reports"
    root.mkdir()
    for i in range(N_FILES):
        (root / f"{i:02}.json").write_bytes(CORRUPT.get(i) or gd.to_json(_report(i)))
    return root


def _read(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _committed(out: Path) -> int:
    """How many result rows a run has committed to disk so far."""
    if out.suffix == ".parquet":
        import pyarrow.parquet as pq

        parts = out.with_name(out.name + ".parts")
        files = list(parts.glob("*.parquet")) if parts.is_dir() else []
        return sum(pq.read_metadata(p).num_rows for p in files)
    if not out.exists():
        return 0
    lines = out.read_bytes().count(b"\n")
    return lines - (out.suffix == ".csv")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _wait(condition: Any, what: str, proc: subprocess.Popen[str], limit: float = 60) -> None:
    end = time.monotonic() + limit
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.communicate()}")
        if time.monotonic() > end:
            proc.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


def _start(folder: Path, out: Path, delay: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(folder), str(out), str(delay)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _gone(pids: list[int], limit: float = 10) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if not [p for p in pids if Path(f"/proc/{p}").exists() and _alive(p)]:
            return True
        time.sleep(0.05)
    return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _key(r: dict[str, Any]) -> str:
    return json.dumps(r, sort_keys=True, ensure_ascii=False, default=str)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_killed_worker_and_killed_run(folder: Path, tmp_path: Path, suffix: str) -> None:
    """One row per file after a worker and then the main process are killed; the rerun resumes."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    ref = tmp_path / "reference" / f"results{suffix}"
    ref.parent.mkdir()
    with gd.BatchWriter(ref) as w:
        w.write_all(gd.batch(gd.report_paths(folder)))
    out = tmp_path / "run" / f"results{suffix}"
    out.parent.mkdir()

    proc = _start(folder, out, delay=0.15)
    try:
        _wait(lambda: len(_children(proc.pid)) >= 2, "the pool started", proc)
        time.sleep(0.3)  # the workers are reading
        workers = _children(proc.pid)
        os.kill(workers[0], signal.SIGKILL)
        _wait(lambda: _committed(out) >= 12, "12 rows were committed", proc)
        left = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert _gone(left), "the workers outlived the killed main process"
    # What a kill leaves: never a half-written Parquet file under a .parquet name.
    for p in out.parent.rglob("*.parquet"):
        import pyarrow.parquet as pq

        pq.read_metadata(p)  # raises on a half-written file

    rerun = _start(folder, out, delay=0)
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    done_before, processed = map(int, stdout.split())
    assert done_before >= 12 - len(CORRUPT)  # resumed, not started over
    assert done_before + processed >= N_FILES
    assert processed < N_FILES

    rows = _read(out)
    expected = _read(ref)
    assert len(rows) == N_FILES == len({r["path"] for r in rows})
    assert sorted(map(_key, rows)) == sorted(map(_key, expected))
    failures = {Path(r["path"]).name: r["error"] for r in rows if r["error"]}
    assert sorted(failures) == ["07.json", "23.json"]
    assert all(e.startswith(("StructureError", "ParseError")) for e in failures.values()), failures
    cells = _read(out.with_name(f"results.cells{suffix}"))
    ref_cells = _read(ref.with_name(f"results.cells{suffix}"))
    assert sorted(map(_key, cells)) == sorted(map(_key, ref_cells))
    # Complete: no part, no temporary file left.
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        [out.name, f"results.cells{suffix}"]
    )


class TestParquetParts:
    """The Parquet part files: what a kill at each step of a run leaves, and how a resume reads it."""

    @pytest.fixture(autouse=True)
    def _pyarrow(self) -> None:
        pytest.importorskip("pyarrow")

    def test_killed_after_the_merge_before_the_parts_went(
        self, folder: Path, tmp_path: Path
    ) -> None:
        """Parts the merged file already holds (its metadata lists them) are not read twice."""
        import shutil

        out = tmp_path / "results.parquet"
        paths = list(gd.report_paths(folder))
        w = gd.BatchWriter(out, batch_size=3)
        w.write_all(gd.batch(paths[:10]))
        w.flush()
        parts = out.with_name("results.parquet.parts")
        shutil.copytree(parts, tmp_path / "saved")
        w.close()
        assert not parts.exists()
        shutil.copytree(tmp_path / "saved", parts)  # as if killed just after the merge
        with gd.BatchWriter(out) as w:
            assert len(w.done) == 9  # 07.json is corrupt: read again
            assert w.write_all(gd.batch(paths, skip=w.done)) == N_FILES - 9
        rows = _read(out)
        assert sorted(r["path"] for r in rows) == sorted(str(Path(p).resolve()) for p in paths)
        assert not parts.exists()

    def test_half_written_leftovers_are_dropped(self, folder: Path, tmp_path: Path) -> None:
        """A part or a merge cut short by a kill (temporary names) is deleted; whole parts are read."""
        out = tmp_path / "results.parquet"
        paths = list(gd.report_paths(folder))
        w = gd.BatchWriter(out, batch_size=4)
        w.write_all(gd.batch(paths[:8]))
        w.flush()  # two parts committed, then the process "dies": no close
        parts = out.with_name("results.parquet.parts")
        (parts / ".0000-000003.parquet.tmp").write_bytes(b"PAR1\x00half")
        (tmp_path / ".results.parquet.tmp").write_bytes(b"PAR1\x00half")
        assert not out.exists()
        with gd.BatchWriter(out) as w2:
            assert len(w2.done) == 7  # 07.json is corrupt: read again
            w2.write_all(gd.batch(paths, skip=w2.done))
        assert len(_read(out)) == N_FILES
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "reports",
            "results.cells.parquet",
            "results.parquet",
        ]

    def test_error_rows_of_killed_runs_are_one_per_file(self, folder: Path, tmp_path: Path) -> None:
        """A corrupt file read in two killed runs and a third one keeps one failure row, the last."""
        out = tmp_path / "results.parquet"
        paths = list(gd.report_paths(folder))
        for _ in range(2):
            w = gd.BatchWriter(out, batch_size=4)
            w.write_all(gd.batch(paths[:12], skip=w.done))
            w.flush()  # killed: no close
        (folder / "07.json").write_bytes(gd.to_json(_report(7)))  # fixed meanwhile
        with gd.BatchWriter(out) as w:
            assert w.retry == frozenset({str((folder / "07.json").resolve())})
            w.write_all(gd.batch(paths, skip=w.done))
        rows = _read(out)
        assert len(rows) == N_FILES == len({r["path"] for r in rows})
        assert [Path(r["path"]).name for r in rows if r["error"]] == ["23.json"]

    def test_no_resume_forgets_parts(self, folder: Path, tmp_path: Path) -> None:
        """resume=False starts over: the parts of a killed run are deleted, not merged."""
        out = tmp_path / "results.parquet"
        paths = list(gd.report_paths(folder))
        w = gd.BatchWriter(out, batch_size=4)
        w.write_all(gd.batch(paths[:8]))
        w.flush()
        with gd.BatchWriter(out, resume=False) as w2:
            w2.write_all(gd.batch(paths[30:]))
        assert sorted(Path(r["path"]).name for r in _read(out)) == [
            f"{i}.json" for i in range(30, 40)
        ]
