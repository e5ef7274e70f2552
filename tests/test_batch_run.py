"""
What lives for one batch run: folder links resolved afresh, rows flushed on time, the progress line, overlapping roots.

Each test here failed on the engine before the fix it guards: a folder link
changed within one process resolved to its old target (a file skipped as
done); rows finished before a slow file stayed in memory until it was read
(lost to a ``kill -9``); the progress line of a lazy list of paths ended on a
stale count; ``batch R R/sub`` wrote the files of ``R/sub`` twice.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main


def _write(path: Path, agency: str = "某局", year: int = 2021) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gd.to_json(gd.AnnualReport(agency=agency, year=year)))


def _rows(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_folder_link_changed_between_two_runs_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second run reads v2/a.json, which the link now names, instead of skipping it as done."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "v1" / "a.json", year=2021)
    _write(tmp_path / "v2" / "a.json", year=2022)
    os.symlink("v1", "cur")
    with gd.BatchWriter("out.jsonl", resume=False) as w:
        assert w.write_all(gd.batch(["cur/a.json"], skip=w.done)) == 1
    os.remove("cur")
    os.symlink("v2", "cur")
    with gd.BatchWriter("out.jsonl") as w:
        assert sorted(w.done) == [str((tmp_path / "v1" / "a.json").resolve())]
        assert w.write_all(gd.batch(["cur/a.json"], skip=w.done)) == 1
    rows = _rows(tmp_path / "out.jsonl")
    assert [(Path(str(r["path"])).parent.name, r["year"]) for r in rows] == [
        ("v1", 2021),
        ("v2", 2022),
    ]


def test_the_progress_line_ends_on_the_last_count_without_a_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lazy list of paths has no total: the last line still says every file, and a rate."""
    for i in range(12):
        _write(tmp_path / f"{i:02}.json", agency=f"局{i}")
    paths = iter(sorted(str(p) for p in tmp_path.glob("*.json")))
    assert sum(1 for _ in gd.batch(paths, jobs=1, progress=True)) == 12
    err = capsys.readouterr().err
    last = err.rstrip("\n").split("\r")[-1]
    assert re.fullmatch(r"12 files, 0 unreadable, [\d,]+\.\d files/s", last), err


def test_the_cli_progress_line_ends_on_the_last_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``batch --progress`` walks lazily (no total): its last progress line agrees with the summary."""
    for i in range(20):
        _write(tmp_path / "in" / f"{i:02}.json", agency=f"局{i}")
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(tmp_path / "in"), "--out", str(out), "-j", "1", "--progress"]) == 0
    err = capsys.readouterr().err
    lines = err.split("\n")
    progress = next(line for line in lines if "files/s" in line).split("\r")[-1]
    assert progress.startswith("20 files, 0 unreadable, "), err
    assert any(line.startswith("20 files read, 0 skipped") for line in lines), err


@pytest.mark.parametrize(
    ("extra", "dropped"),
    [(["{R}"], "{R}"), (["{R}/sub"], "{R}/sub"), (["{R}/sub/c.json"], "{R}/sub/c.json")],
    ids=["same root twice", "a folder inside", "a file inside"],
)
def test_overlapping_roots_read_each_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], dropped: str
) -> None:
    """``batch R R``, ``batch R R/sub``, ``batch R R/sub/c.json``: one row per file, and a note."""
    root = tmp_path / "R"
    for name in ("a.json", "b.json", "sub/c.json", "sub/d.json"):
        _write(root / name, agency=name)
    out = tmp_path / "out.jsonl"
    args = [str(root), *(e.format(R=root) for e in extra)]
    assert main(["batch", *args, "--out", str(out), "-j", "1"]) == 0
    rows = _rows(out)
    assert sorted(Path(str(r["path"])).name for r in rows) == [
        "a.json",
        "b.json",
        "c.json",
        "d.json",
    ]
    err = capsys.readouterr().err
    assert f"note: {dropped.format(R=root)} is read as part of {root}" in err
    assert "holds 4 files" in err


def test_roots_that_do_not_overlap_are_all_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neighbours, a file the walk would not pick up, a hidden folder: nothing dropped."""
    _write(tmp_path / "R" / "a.json")
    _write(tmp_path / "R2" / "b.json")
    _write(tmp_path / "R" / ".hidden" / "c.json")
    out = tmp_path / "out.jsonl"
    roots = [tmp_path / "R", tmp_path / "R2", tmp_path / "R" / ".hidden"]
    assert main(["batch", *map(str, roots), "--out", str(out), "-j", "1"]) == 0
    assert sorted(Path(str(r["path"])).name for r in _rows(out)) == ["a.json", "b.json", "c.json"]
    assert "note:" not in capsys.readouterr().err


#: A run whose third file takes *slow* seconds (the others none): rows flushed every 0.5 s at least.
_SLOW_RUN = textwrap.dedent(
    """
    import sys, time
    import gov_disclosure as gd
    from gov_disclosure.many import _batch, _output

    out, jobs, slow = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    real = _batch.batch_file

    def batch_file(path):
        if path.endswith("slow.json"):
            time.sleep(slow)
        return real(path)

    _batch.batch_file = batch_file  # forked workers inherit it
    _output.FLUSH_SECONDS = 0.5
    paths = sys.argv[4:]
    with gd.BatchWriter(out, resume=False) as w:
        w.write_all(gd.batch(paths, jobs=jobs, chunksize=1, timeout=None))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kill -9, forked workers")
@pytest.mark.parametrize("jobs", [1, 2])
def test_rows_are_flushed_on_time_while_a_slow_file_is_read(tmp_path: Path, jobs: int) -> None:
    """Two fast files, then one that takes a minute: their rows are on disk before a kill -9."""
    paths = []
    for name in ("a.json", "b.json", "slow.json"):
        _write(tmp_path / name, agency=name)
        paths.append(str(tmp_path / name))
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_RUN, str(out), str(jobs), "60", *paths],
        env=env,
        start_new_session=True,
    )
    try:
        # Well before the slow file ends (60 s), the two rows are flushed (0.5 s after they came).
        limit = time.monotonic() + 30
        while time.monotonic() < limit and not (out.exists() and out.read_text().count("\n") >= 2):
            assert proc.poll() is None, "the run ended early"
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert sorted(Path(str(r["path"])).name for r in _rows(out)) == ["a.json", "b.json"]


def test_row_types_are_the_files_columns() -> None:
    """The output files' columns are the row types' keys; the cell rows are ``path`` and a tidy row."""
    from gov_disclosure.many._batch import CELL_FIELDS, RESULT_FIELDS
    from gov_disclosure.serialize._rows import ROW_FIELDS

    assert ("path", *ROW_FIELDS) == CELL_FIELDS
    fields = [a.name for a in attrs.fields(gd.BatchResult)]
    assert list(RESULT_FIELDS) == [f for f in fields if f not in {"cells", "units", "blank_cells"}]
    result = gd.batch_file(__file__)  # not a report: an error row, every field still there
    assert tuple(result.row()) == RESULT_FIELDS
