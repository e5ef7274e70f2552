"""The ``batch`` command walks its folders as the run goes, never listing them whole first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import aggregate as cli_aggregate
from gov_disclosure.cli import main
from gov_disclosure.many._batch import REPORT_SUFFIXES


def test_batch_reads_paths_as_it_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the first result is written, the walk has given no more than that first path."""
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.json").write_bytes(gd.to_json(gd.AnnualReport(agency=f"局{i}", year=2021)))
    walked: list[str] = []
    real_walk = cli_aggregate.report_paths
    real_batch = cli_aggregate.batch

    def walk(root: Any) -> Iterator[Any]:
        for p in real_walk(root):
            walked.append(str(p))
            yield p

    seen_at_first: list[int] = []

    def batch(paths: Iterable[Any], **kw: Any) -> Iterator[Any]:
        assert not isinstance(paths, (list, tuple)), "the paths were listed whole"
        for result in real_batch(iter(paths), **{**kw, "jobs": 1}):
            if not seen_at_first:
                seen_at_first.append(len(walked))
            yield result

    monkeypatch.setattr(cli_aggregate, "report_paths", walk)
    monkeypatch.setattr(cli_aggregate, "batch", batch)
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(folder), "--out", str(out), "--jobs", "1"]) == 0
    assert len(walked) == 5
    assert out.read_text(encoding="utf-8").count("\n") == 5
    # batch() reads ahead at most a chunk, but here with one process it reads one path at a time.
    assert seen_at_first
    assert seen_at_first[0] <= 2


def test_batch_still_refuses_an_empty_folder(tmp_path: Path) -> None:
    """A folder with no report: one line, exit 2, nothing written (as before the walk became lazy)."""
    (tmp_path / "empty").mkdir()
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(tmp_path / "empty"), "--out", str(out)]) == 2
    assert not out.exists()


def test_cli_guide_lists_the_walked_suffixes() -> None:
    """The CLI guide's list of the files a folder is walked for is the one batch uses."""
    guide = (Path(__file__).parent.parent / "docs" / "guides" / "cli.md").read_text("utf-8")
    start = guide.index("a folder is walked")
    paragraph = guide[start : guide.index("\n\n", start)]
    assert set(re.findall(r"`(\.[a-z]+)`", paragraph)) == REPORT_SUFFIXES
