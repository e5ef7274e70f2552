"""The ``gov-disclosure check`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main


def _write(tmp_path: Path, name: str, report: gd.AnnualReport, fmt: str = "text") -> Path:
    out = gd.render(report, fmt)
    path = tmp_path / name
    if isinstance(out, bytes):
        path.write_bytes(out)
    else:
        path.write_text(out, encoding="utf-8")
    return path


def _broken() -> gd.AnnualReport:
    r = gd.AnnualReport(agency="某局", year=2021)
    req = r.requests
    import attrs

    return attrs.evolve(
        r, requests=attrs.evolve(req, granted=gd.ApplicantCounts.of(natural_person=2))
    )


class TestCheck:
    """Exit status and output of ``check``."""

    def test_clean(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A report whose identities hold exits 0 and says so."""
        path = _write(tmp_path, "ok.txt", gd.AnnualReport(agency="某局", year=2021))
        assert main(["check", str(path)]) == 0
        assert "0 error(s)" in capsys.readouterr().out

    def test_errors(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A report that does not add up exits 1 and names the rule."""
        path = _write(tmp_path, "bad.html", _broken(), "html")
        assert main(["check", str(path)]) == 1
        assert "requests.outcome_total" in capsys.readouterr().out

    def test_unreadable(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An input that is not a report exits 2, and the other files are still checked."""
        junk = tmp_path / "junk.txt"
        junk.write_text("nothing to see here", encoding="utf-8")
        ok = _write(tmp_path, "ok.txt", gd.AnnualReport(agency="某局", year=2021))
        assert main(["check", str(junk), str(ok)]) == 2
        out = capsys.readouterr().out
        assert "UNREADABLE" in out
        assert "ok.txt" in out

    def test_missing_file(self, tmp_path: Path) -> None:
        """A file that does not exist is unreadable input (2), not a traceback."""
        assert main(["check", str(tmp_path / "absent.html")]) == 2

    def test_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json lists each file's findings with rule, cells and values."""
        path = _write(tmp_path, "bad.docx", _broken(), "docx")
        assert main(["check", "--format", "json", "--warnings", str(path)]) == 1
        doc = json.loads(capsys.readouterr().out)
        assert doc[0]["file"] == str(path)
        assert doc[0]["edition"] == "2021"
        rules = {f["rule"] for f in doc[0]["findings"]}
        assert "requests.outcome_total" in rules
        assert isinstance(doc[0]["warnings"], list)

    def test_corpus_blank_cells(self, corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """On a real report with blank totals, findings name the blank cells (an unfilled form, not arithmetic)."""
        assert main(["check", "--format", "json", str(corpus_dir / "001.html")]) == 1
        doc = json.loads(capsys.readouterr().out)
        granted = [
            f
            for f in doc[0]["findings"]
            if f["rule"] == "requests.row_total" and f["subject"] == "granted"
        ]
        assert granted
        assert "t3.granted.total" in granted[0]["blank_cells"]


class TestInputs:
    """What ``check`` accepts besides published reports, and what it refuses."""

    def test_report_document(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A .json report document is loaded, not parsed as text: its findings decide the status."""
        path = tmp_path / "broken.json"
        path.write_bytes(gd.to_json(_broken()))
        assert main(["check", str(path)]) == 1
        out = capsys.readouterr().out
        assert "某局 2021" in out
        assert "1 error(s)" in out or "2 error(s)" in out

    def test_text_that_only_mentions_the_format(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A note naming a few labels of the tables is unreadable (2), never a clean report of zeros."""
        path = tmp_path / "note.md"
        path.write_text(
            "# 某市人民政府2025年政府信息公开工作年度报告 说明\n\n"
            "表格列：本年新收政府信息公开申请数量、予以公开、结果维持。\n",
            encoding="utf-8",
        )
        assert main(["check", str(path)]) == 2
        assert "UNREADABLE" in capsys.readouterr().out
