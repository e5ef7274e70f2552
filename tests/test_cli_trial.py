"""What a new user's trial of the command line found (Chinese first, a filing pipeline's habits)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main

CORPUS = Path(__file__).resolve().parent / "corpus"


def _run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


def _report(tmp_path: Path) -> Path:
    path = tmp_path / "r.json"
    path.write_bytes(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
    return path


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize("argv", [["--help"], ["check", str(CORPUS / "003.txt")]])
def test_output_that_cannot_encode_chinese_is_escaped_not_a_traceback(
    encoding: str, argv: list[str]
) -> None:
    """A pipe in ASCII or Latin-1 got UnicodeEncodeError from the first Chinese line."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "LANG": "zh_CN.UTF-8", "LC_ALL": ""}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(gd.__file__).parent.parent), *sys.path])
    code = "import sys; from gov_disclosure.cli import main; sys.exit(main())"
    run = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, env=env, timeout=120
    )
    assert b"Traceback" not in run.stderr
    assert run.returncode in (0, 1)
    assert b"\\u" in run.stdout  # the Chinese, escaped


@pytest.mark.parametrize(("suffix", "magic"), [(".docx", b"PK"), (".xlsx", b"PK"), (".html", b"<")])
def test_render_takes_the_format_from_the_output_suffix(
    tmp_path: Path, suffix: str, magic: bytes
) -> None:
    """render -o x.docx wrote plain text into a .docx (exit 0)."""
    out = tmp_path / f"x{suffix}"
    assert _run("render", _report(tmp_path), "-o", out)[0] == 0
    assert out.read_bytes().startswith(magic)


def test_render_refuses_an_output_suffix_of_no_format(tmp_path: Path) -> None:
    """render -o x.pdf: one line, exit 2, nothing written (it wrote text)."""
    out = tmp_path / "x.pdf"
    status, _, err = _run("render", _report(tmp_path), "-o", out, "--locale", "zh_Hans_CN")
    assert status == 2
    assert "'pdf'" in err
    assert "--format" in err
    assert "没有格式" in err
    assert not out.exists()


@pytest.mark.parametrize("command", [["schema"], ["rules"]])
def test_locale_after_every_command(command: list[str]) -> None:
    """--locale after batch, aggregate, convert and schema was an unrecognized argument."""
    status, out, err = _run(*command, "--locale", "en")
    assert status == 0, err
    assert out


def test_locale_after_batch_and_aggregate(tmp_path: Path) -> None:
    """The guide says --locale goes before or after the command: batch and aggregate too."""
    report = _report(tmp_path)
    status, _, err = _run(
        "batch", report, "--out", tmp_path / "b.csv", "--no-progress", "--locale", "en"
    )
    assert status == 0, err
    assert "1 file read" in err
    status, _, err = _run("aggregate", report, "--agency", "汇总", "--locale", "zh_Hans_CN")
    assert status == 0, err


def test_a_prefix_of_locale_chooses_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """--loc en was accepted by argparse but the output stayed in the system's Chinese."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    status, out, _ = _run("check", CORPUS / "003.txt", "--loc", "en")
    assert status == 1
    assert "error(s)" in out
    status, out, _ = _run("check", CORPUS / "003.txt")
    assert "个错误" in out


def test_convert_speaks_the_run_language(tmp_path: Path) -> None:
    """convert's own messages were English in a Chinese run."""
    status, _, err = _run(
        "convert", CORPUS / "003.txt", tmp_path / "x.csv", "--locale", "zh_Hans_CN"
    )
    assert status == 2
    assert "无法从其后缀" in err
    empty = tmp_path / "empty.json"
    empty.write_text(" ", encoding="utf-8")
    status, _, err = _run("convert", empty, tmp_path / "x.csv", "--locale", "zh_Hant_TW")
    assert status == 2
    assert "為空" in err


def _two_parsed(tmp_path: Path, *flags: str) -> Path:
    """What ``parse`` writes for two published reports: a JSON array of documents (or envelopes)."""
    out = tmp_path / "both.json"
    status, _, _ = _run("parse", CORPUS / "003.txt", CORPUS / "006.txt", "-o", out, *flags)
    assert status == 0
    return out


def test_check_reads_one_envelope(tmp_path: Path) -> None:
    """check read an array of envelopes but refused one envelope ("$.schema: required key missing")."""
    one = tmp_path / "one.json"
    assert _run("parse", CORPUS / "006.txt", "--envelope", "-o", one)[0] == 0
    report = gd.parse(CORPUS / "006.txt").report
    status, out, _ = _run("check", one, "--format", "json", "--locale", "en")
    (result,) = json.loads(out)
    assert result["error"] is None
    assert "item" not in result
    assert (result["agency"], result["year"]) == (report.agency, report.year)
    assert status == (1 if any(f.severity is gd.Severity.ERROR for f in gd.check(report)) else 0)
    sums = tmp_path / "sum.json"
    assert _run("aggregate", one, one, "--allow-duplicates", "--agency", "汇总", "-o", sums)[0] in (
        0,
        1,
    )
    assert gd.from_json(sums.read_bytes()).agency == "汇总"
    assert _run("convert", one, tmp_path / "one.csv")[0] == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize(
    "argv",
    [
        ["check", "{f}"],
        ["render", "{f}"],
        ["aggregate", "{f}", "--agency", "x"],
        ["convert", "{f}", "{out}"],
    ],
)
def test_a_json_fifo_is_refused_not_waited_for(tmp_path: Path, argv: list[str]) -> None:
    """A FIFO named .json (no writer) blocked check, render, aggregate and convert for ever."""
    fifo = tmp_path / "f.json"
    os.mkfifo(fifo)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(gd.__file__).parent.parent), *sys.path]),
    }
    code = "import sys; from gov_disclosure.cli import main; sys.exit(main())"
    args = [a.format(f=fifo, out=tmp_path / "o.csv") for a in argv]
    run = subprocess.run(
        [sys.executable, "-c", code, "--locale", "en", *args],
        capture_output=True,
        env=env,
        timeout=60,
        text=True,
    )
    assert run.returncode == 2
    assert "not a regular file" in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_a_huge_array_is_refused_by_its_count(tmp_path: Path) -> None:
    """An array of 100,000 empty objects made 100,000 results (and 200,000 error lines in aggregate)."""
    from gov_disclosure.serialize import MAX_DOCUMENTS

    huge = tmp_path / "huge.json"
    huge.write_text("[" + ",".join(["{}"] * (MAX_DOCUMENTS + 1)) + "]", encoding="utf-8")
    for argv in (["check", huge], ["aggregate", huge, "--agency", "x"], ["render", huge]):
        status, out, err = _run(*argv, "--locale", "en")
        assert status == 2
        assert f"at most {MAX_DOCUMENTS}" in out + err
        assert len((out + err).splitlines()) < 5
    broken = tmp_path / "broken.json"
    broken.write_text("[" + ",".join(["{}"] * 30) + "]", encoding="utf-8")
    status, _, err = _run("aggregate", broken, "--agency", "x", "--locale", "en")
    assert status == 2
    assert "... and 40 more" in err  # 60 problems, 20 listed
    assert len(err.splitlines()) < 25


@pytest.mark.parametrize("flags", [(), ("--envelope",)])
def test_check_reads_the_array_that_parse_writes(tmp_path: Path, flags: tuple[str, ...]) -> None:
    """check refused parse's output for several reports ("expected a JSON object"): one result per report."""
    both = _two_parsed(tmp_path, *flags)
    alone = [gd.parse(CORPUS / name).report for name in ("003.txt", "006.txt")]
    status, out, _ = _run("check", both, "--format", "json", "--locale", "en")
    results = json.loads(out)
    assert [(r["file"], r["item"], r["error"]) for r in results] == [
        (str(both), 0, None),
        (str(both), 1, None),
    ]
    assert [(r["agency"], r["year"]) for r in results] == [(r.agency, r.year) for r in alone]
    assert [len(r["findings"]) for r in results] == [len(gd.check(r)) for r in alone]
    errors = any(f.severity is gd.Severity.ERROR for r in alone for f in gd.check(r))
    assert status == (1 if errors else 0)
    _status, text, _ = _run("check", both, "--locale", "en")
    assert f"{both}[0]: {alone[0].agency}" in text
    assert f"{both}[1]: {alone[1].agency}" in text
    assert "1 file(s) checked" in text


def test_check_names_the_invalid_report_of_an_array(tmp_path: Path) -> None:
    """A broken document of an array is unreadable on its own; the others are checked."""
    both = _two_parsed(tmp_path)
    docs = json.loads(both.read_bytes())
    docs[1]["year"] = "2021"
    both.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    status, out, _ = _run("check", both, "--format", "json", "--locale", "en")
    first, second = json.loads(out)
    assert status == 2
    assert first["error"] is None
    assert first["item"] == 0
    assert second["item"] == 1
    assert "$.year" in second["error"]
    sarif = json.loads(_run("check", both, "--format", "sarif")[1])
    (notice,) = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notice["message"]["text"].startswith("[1] ")
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    assert _run("check", empty)[0] == 2


def test_render_reads_one_report_of_an_array_or_envelope(tmp_path: Path) -> None:
    """render takes what parse writes for one report, with --envelope too; several are refused by count."""
    one = tmp_path / "one.json"
    assert _run("parse", CORPUS / "006.txt", "--envelope", "-o", one)[0] == 0
    status, text, _ = _run("render", one, "--locale", "zh_Hans_CN")
    assert status == 0
    assert text == gd.render(gd.parse(CORPUS / "006.txt").report, "text")
    status, _, err = _run("render", _two_parsed(tmp_path), "--locale", "en")
    assert status == 2
    assert "holds 2 report documents" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_batch_file_refuses_a_json_fifo(tmp_path: Path) -> None:
    """batch_file read a .json path whole without looking: a FIFO blocked its worker."""
    fifo = tmp_path / "f.json"
    os.mkfifo(fifo)
    result = gd.batch_file(fifo)
    assert result.error is not None
    assert "not a regular file" in result.error


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_check_and_aggregate_read_the_rows_parse_writes(tmp_path: Path, suffix: str) -> None:
    """check of parse's tidy rows said "the reporting year is not printed in the title; give --year"."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    rows = tmp_path / f"rows{suffix}"
    names = ("003.txt", "006.txt")
    assert _run("parse", *(CORPUS / n for n in names), "-o", rows)[0] == 0
    reports = [gd.parse(CORPUS / n).report for n in names]
    status, out, _ = _run("check", rows, "--format", "json", "--locale", "en")
    results = json.loads(out)
    assert [(r["item"], r["error"], r["agency"], r["year"]) for r in results] == [
        (i, None, r.agency, r.year) for i, r in enumerate(reports)
    ]
    # The numbers' rules give the same findings as the reports themselves.
    assert [sorted(f["rule"] for f in r["findings"]) for r in results] == [
        sorted(f.rule for f in gd.check(r)) for r in reports
    ]
    one = tmp_path / f"one{suffix}"
    assert _run("parse", CORPUS / "006.txt", "-o", one)[0] == 0
    total = tmp_path / "sum.json"
    status, _, err = _run("aggregate", one, "--agency", "汇总", "-o", total)
    assert status in (0, 1), err
    assert gd.cells(gd.from_json(total.read_bytes())) == gd.cells(reports[1])


def test_a_file_of_many_documents_over_the_report_limit_is_read(tmp_path: Path) -> None:
    """convert wrote a JSON array over MAX_INPUT_BYTES (16 MiB, one report's bound) that check then refused."""
    from gov_disclosure.serialize import MAX_DOCUMENT_FILE_BYTES

    one = gd.to_json(gd.AnnualReport(agency="某局", year=2021)).decode()
    n = gd.MAX_INPUT_BYTES // len(one) + 10
    assert n < 10_000
    many = tmp_path / "many.json"
    many.write_text("[" + ",".join([one] * n) + "]", encoding="utf-8")
    assert gd.MAX_INPUT_BYTES < many.stat().st_size < MAX_DOCUMENT_FILE_BYTES
    status, out, _ = _run("check", many, "--format", "json")
    assert status == 0
    assert len(json.loads(out)) == n


def test_parse_quiet_prints_no_warnings_and_writes_the_same(tmp_path: Path) -> None:
    """A real page (001.html) printed 136 warning lines; -q prints none, the document is the same."""
    loud, quiet = tmp_path / "loud.json", tmp_path / "quiet.json"
    status, _, err = _run("parse", CORPUS / "001.html", "-o", loud)
    assert status == 0
    assert err.count("warning:") == len(gd.parse(CORPUS / "001.html").warnings) > 100
    status, _, err = _run("parse", CORPUS / "001.html", "-q", "-o", quiet)
    assert (status, err) == (0, "")
    assert quiet.read_bytes() == loud.read_bytes()
