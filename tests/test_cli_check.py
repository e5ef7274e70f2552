"""The ``gov-disclosure check`` command."""

from __future__ import annotations

import json
import re
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


#: Python API wording that a command line user cannot act on.
_API_WORDS = re.compile(r"\b\w+=|\w+\(\w+(?:\[\d+\])?\):|=True\b|gov_disclosure\.\w+\(")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit status and everything printed (stdout and stderr), for commands that refuse their input."""
    try:
        status = main(argv)
    except SystemExit as e:  # argparse refusals
        status = int(e.code or 0)
    out = capsys.readouterr()
    return status, out.out + out.err


def _no_year(tmp_path: Path) -> Path:
    """A report whose title (first line) is gone: neither agency nor year is printed."""
    text = gd.render(gd.AnnualReport(agency="某局", year=2021), "text")
    assert isinstance(text, str)
    path = tmp_path / "untitled.txt"
    path.write_text(text.split("\n", 1)[1], encoding="utf-8")
    return path


def _said_once(output: str) -> None:
    """No line repeats a prefix ("X: X: ...") and none speaks Python (year=, batch(jobs):)."""
    for line in output.splitlines():
        assert not re.search(r"(?:^|\s)([^\s:]+: )\1", line), line
        prefixes = re.findall(r"([^\s:]+): ", line)
        assert len(prefixes) == len(set(prefixes)), line
        assert not _API_WORDS.search(line), line


class TestMessages:
    """Messages that reach a command line user name options and files, once, never Python parameters."""

    def test_missing_year_names_the_option(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A report without a year in its title: check says to give --year, not year=."""
        path = _no_year(tmp_path)
        status, out = _run(["check", str(path)], capsys)
        assert status == 2
        assert "--year" in out
        _said_once(out)
        # And --year does what the message says.
        status, out = _run(["check", "--year", "2021", "--agency", "某局", str(path)], capsys)
        assert status == 0, out

    def test_python_message_unchanged(self, tmp_path: Path) -> None:
        """The library keeps speaking to Python callers: parse() says year=."""
        with pytest.raises(gd.ParseError, match="year="):
            gd.parse(_no_year(tmp_path))

    def test_aggregate_without_the_option_drops_the_hint(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """aggregate has no --year: the message says what is wrong without a hint it cannot follow."""
        status, out = _run(["aggregate", "--agency", "汇总", str(_no_year(tmp_path))], capsys)
        assert status == 2
        assert "year" in out
        assert "--year" not in out
        _said_once(out)

    def test_aggregate_does_not_offer_its_own_agency_for_an_input(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """aggregate's --agency names the sum: an input without an agency is not told to give it."""
        text = gd.render(gd.AnnualReport(agency="某局", year=2021), "text")
        assert isinstance(text, str)
        path = tmp_path / "no_agency.txt"
        path.write_text(text.replace("某局", "", 1), encoding="utf-8")
        status, out = _run(["aggregate", "--agency", "汇总", str(path)], capsys)
        assert status == 2
        assert "agency is not printed" in out
        assert "--agency" not in out.split("agency is not printed", 1)[1]
        _said_once(out)

    def test_duplicates_name_the_flag(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Two copies of one report: aggregate says --allow-duplicates, once prefixed, and the flag works."""
        path = tmp_path / "a.json"
        path.write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
        status, out = _run(["aggregate", "--agency", "汇总", str(path), str(path)], capsys)
        assert status == 2
        assert "--allow-duplicates" in out
        assert "allow_duplicates" not in out
        _said_once(out)
        argv = ["aggregate", "--agency", "汇总", "--allow-duplicates", str(path), str(path)]
        assert _run(argv, capsys)[0] == 0

    def test_mixed_editions(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Reports of two editions: both files named, the command's prefix said once."""
        paths = []
        for year in (2020, 2021):
            path = tmp_path / f"{year}.json"
            path.write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=year)))
            paths.append(str(path))
        status, out = _run(["aggregate", "--agency", "汇总", *paths], capsys)
        assert status == 2
        assert all(p in out for p in paths)
        assert out.count("aggregate:") == 1
        _said_once(out)

    @pytest.mark.parametrize("jobs", ["0", "-2", "x"])
    def test_bad_jobs(self, jobs: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """batch --jobs 0 is refused naming --jobs, not batch(jobs)."""
        argv = ["batch", str(tmp_path), "--out", str(tmp_path / "out.jsonl"), "--jobs", jobs]
        status, out = _run(argv, capsys)
        assert status == 2
        assert "--jobs" in out
        _said_once(out)

    @pytest.mark.parametrize("command", ["check", "aggregate", "render"])
    def test_missing_file_and_folder(
        self, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A missing file or a folder where a file belongs: named once, with the reason, exit 2."""
        extra = ["--agency", "汇总"] if command == "aggregate" else []
        for target, reason in ((tmp_path / "absent.txt", "No such file"), (tmp_path, "folder")):
            status, out = _run([command, str(target), *extra], capsys)
            assert status == 2
            assert reason in out or (command == "render" and "directory" in out), out
            assert out.count(str(target)) == 1, out
            _said_once(out)

    @pytest.mark.parametrize("command", ["check", "aggregate", "render"])
    def test_not_a_report_document(
        self, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """JSON that is no report document: the file is named once and the problem said."""
        path = tmp_path / "other.json"
        path.write_text('{"a": 1}', encoding="utf-8")
        extra = ["--agency", "汇总"] if command == "aggregate" else []
        status, out = _run([command, str(path), *extra], capsys)
        assert status == 2
        assert out.count(str(path)) == 1, out
        assert "schema" in out
        _said_once(out)

    def test_empty_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """batch over a folder without reports refuses (exit 2) and writes nothing: most likely the wrong folder."""
        (tmp_path / "in").mkdir()
        argv = ["batch", str(tmp_path / "in"), "--out", str(tmp_path / "out.jsonl")]
        status, out = _run(argv, capsys)
        assert status == 2
        assert "no report files" in out
        assert not (tmp_path / "out.jsonl").exists()
        _said_once(out)

    def test_one_empty_folder_among_others(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A mistyped, empty folder next to a good one is named, not silently skipped."""
        (tmp_path / "empty").mkdir()
        (tmp_path / "good").mkdir()
        (tmp_path / "good" / "a.json").write_bytes(
            gd.to_json(gd.AnnualReport(agency="某局", year=2021))
        )
        argv = [
            "batch",
            str(tmp_path / "empty"),
            str(tmp_path / "good"),
            "--out",
            str(tmp_path / "o.csv"),
        ]
        status, out = _run(argv, capsys)
        assert status == 2
        assert "no report files" in out
        assert str(tmp_path / "empty") in out
        assert str(tmp_path / "good") not in out

    def test_bad_out_suffix_before_anything_else(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A wrong --out extension is the one thing said, before the folder is read."""
        (tmp_path / "in").mkdir()
        argv = ["batch", str(tmp_path / "in"), "--out", str(tmp_path / "out.xlsx")]
        status, out = _run(argv, capsys)
        assert status == 2
        assert "unknown output format '.xlsx'" in out
        assert "no report files" not in out

    @pytest.mark.parametrize("locale", gd.LOCALES)
    def test_rules_in_every_locale(self, locale: str, capsys: pytest.CaptureFixture[str]) -> None:
        """rules --locale accepts every supported locale and prints the descriptions in it."""
        status, out = _run(["rules", "--locale", locale], capsys)
        assert status == 0
        lines = out.splitlines()
        assert len(lines) == len(gd.RULES)
        first = gd.RULES[0].description
        expected = {"en": first.en, "zh_Hans_CN": first.zh}.get(locale)
        if expected is not None:
            assert lines[0].endswith(expected)
        else:
            # Traditional: not the Simplified text, and the same text as the catalogue's translation.
            assert not lines[0].endswith(first.zh)
            assert "結轉" in lines[0]

    def test_rules_json_every_locale(self, capsys: pytest.CaptureFixture[str]) -> None:
        """rules --format json describes every rule in every locale."""
        status, out = _run(["rules", "--format", "json"], capsys)
        assert status == 0
        doc = json.loads(out)
        assert all(set(r["description"]) == set(gd.LOCALES) for r in doc)


class TestChineseWords:
    """What the user reads in Chinese has no English word the code inserted."""

    def test_blank_cell_warning(self, corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An empty cell's warning says 空白, not the quoted English word 'blank'."""
        main(["check", "--warnings", "--locale", "zh_Hans_CN", str(corpus_dir / "001.html")])
        lines = [x for x in capsys.readouterr().out.splitlines() if "blank_cell" in x]
        assert lines
        assert all("印为空白；按 0 读取" in x and "'blank'" not in x for x in lines), lines[:3]

    def test_rules_severity(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`rules` says the severity in the words `check` prints (错误/警告)."""
        assert main(["rules", "--locale", "zh_Hans_CN"]) == 0
        words = {line.split()[1] for line in capsys.readouterr().out.splitlines()}
        assert words == {"错误", "警告"}
