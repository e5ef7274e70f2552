"""Tests of the ``convert`` and ``schema`` subcommands."""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.serialize import dumps_many


def _numeric(r: gd.AnnualReport) -> gd.AnnualReport:
    """What rows keep of a report: the numbers, the blank-cell marks and the procurement unit."""
    out = gd.from_cells(gd.cells(r), agency=r.agency, year=r.year, edition=r.edition)
    out = attrs.evolve(out, blank_cells=r.blank_cells)
    if isinstance(r.proactive, gd.Proactive2019):
        out = attrs.evolve(out, proactive=r.proactive)  # every 2019 section 二 number is a cell
    return out


REPORTS = [
    gd.AnnualReport(
        agency="某局",
        year=2021,
        requests=gd.Requests.of(
            other=gd.OtherHandling(),
            new_received=gd.ApplicantCounts.of(natural_person=3),
            granted=gd.ApplicantCounts.of(natural_person=3),
        ),
        problems=gd.Problems(paragraphs=("我局仍有不足。",)),
    ),
    gd.AnnualReport(
        agency="某县政府",
        year=2020,
        proactive=gd.Proactive2019(
            procurement=gd.Procurement2019(items=2, amount=Decimal("251000"), amount_unit="元")
        ),
        blank_cells={"t3.carried_over.total", "t4.review.pending"},
    ),
]


def _run(*argv: str | Path) -> tuple[int, str]:
    """Run the CLI; return the exit status and what it printed on stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main([str(a) for a in argv])
    return status, err.getvalue()


class TestConvert:
    @pytest.mark.parametrize("suffix", [".csv", ".parquet"])
    def test_json_to_rows_and_back(self, tmp_path: Path, suffix: str) -> None:
        """JSON -> rows -> JSON keeps every number, blank-cell mark and unit (narratives are not in rows)."""
        if suffix == ".parquet":
            pytest.importorskip("pyarrow")
        src = tmp_path / "in.json"
        src.write_bytes(json.dumps([gd.to_dict(r) for r in REPORTS]).encode())
        rows = tmp_path / f"rows{suffix}"
        back = tmp_path / "back.json"
        status, err = _run("convert", src, rows)
        assert status == 0
        assert f"the text and extra rows of 1 of 2 report(s) are not in {rows}" in err
        assert main(["convert", str(rows), str(back)]) == 0
        got = json.loads(back.read_bytes())
        assert [_numeric(r) for r in REPORTS] == [gd.from_dict(d) for d in got]

    def test_single_document(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """One report converts to one document (not an array), here on stdout."""
        src = tmp_path / "in.json"
        src.write_bytes(gd.to_json(REPORTS[0]))
        assert main(["convert", str(src), "-"]) == 0
        assert REPORTS[0] == gd.from_json(capsys.readouterr().out)

    def test_bad_document(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An invalid document exits 2 and names the path of every problem."""
        doc = gd.to_dict(REPORTS[0])
        doc["requests"]["granted"]["total"] = "3"
        doc["year"] = True
        src = tmp_path / "in.json"
        src.write_text(json.dumps(doc))
        assert main(["convert", str(src), str(tmp_path / "out.csv")]) == 2
        err = capsys.readouterr().err
        assert '$.requests.granted.total: expected a non-negative int, got "3"' in err
        assert "$.year: expected an int, got true" in err

    def test_unknown_suffix(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An output whose format cannot be told exits 2 with a message."""
        src = tmp_path / "in.json"
        src.write_bytes(gd.to_json(REPORTS[0]))
        assert main(["convert", str(src), str(tmp_path / "out.xlsx")]) == 2
        assert "name it .json, .csv or .parquet, or use --to" in capsys.readouterr().err


class TestConvertBadInput:
    """Inputs convert cannot use exit 2 with a message naming the file and what is wrong; no output is written."""

    @pytest.mark.parametrize(
        ("name", "content"),
        [("in.json", "[]"), ("in.csv", "agency,year,edition,key,value,unit,blank\n")],
    )
    def test_no_reports(self, tmp_path: Path, name: str, content: str) -> None:
        """An empty array or a CSV of only a header is refused, not written as an empty file."""
        src = tmp_path / name
        src.write_text(content, encoding="utf-8")
        out = tmp_path / ("out.csv" if name.endswith(".json") else "out.json")
        assert _run("convert", src, out) == (
            2,
            f"gov-disclosure convert: no reports in {src}; nothing to write to {out}\n",
        )
        assert not out.exists()

    def test_missing_columns(self, tmp_path: Path) -> None:
        """A CSV lacking columns names them and the file's line."""
        src = tmp_path / "in.csv"
        src.write_text("agency,year,key,value\n某局,2021,t2.fees.amount,0\n", encoding="utf-8")
        status, err = _run("convert", src, tmp_path / "out.json")
        assert status == 2
        assert err.startswith(
            f"gov-disclosure convert: {src}: line 1: not a file of tidy rows: missing columns edition, unit, blank (expected"
        )

    def test_other_csv(self, tmp_path: Path) -> None:
        """A CSV that shares no column with rows says so briefly, without echoing its header."""
        src = tmp_path / "in.csv"
        src.write_text("name,amount\nx,1\n", encoding="utf-8")
        status, err = _run("convert", src, tmp_path / "out.json")
        assert (status, err.count("\n")) == (2, 1)
        assert "not a file of tidy rows: none of its 2 columns is ours" in err

    def test_not_parquet(self, tmp_path: Path) -> None:
        """A .parquet file that is not Parquet, or a Parquet file of other columns, is named."""
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        src = tmp_path / "in.parquet"
        src.write_text("hello", encoding="utf-8")
        status, err = _run("convert", src, tmp_path / "out.json")
        assert status == 2
        assert f"{src}: not a readable Parquet file" in err
        pq.write_table(pa.table({"x": [1]}), src)
        status, err = _run("convert", src, tmp_path / "out.json")
        assert (status, f"{src}: not a file of tidy rows" in err) == (2, True)

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (
                '{"a": 1}',
                'is not a report document: expected a JSON object with "schema": "gov-disclosure/1"',
            ),
            ("42", "got a JSON number"),
            ('[{"a": 1}]', "got an array of other values"),
            ("hello", "is not valid JSON ("),
            ("", "is empty: no reports"),
        ],
    )
    def test_not_a_document(self, tmp_path: Path, content: str, message: str) -> None:
        """JSON that is no report document (or no JSON) is named as such, not as a list of missing keys."""
        src = tmp_path / "in.json"
        src.write_text(content, encoding="utf-8")
        status, err = _run("convert", src, tmp_path / "out.csv")
        assert status == 2
        assert err.startswith(f"gov-disclosure convert: {src}")
        assert message in err
        assert "$.schema" not in err

    def test_bad_rows_by_line(self, tmp_path: Path) -> None:
        """Bad values, units and blank marks are named by line and column."""
        src = tmp_path / "in.csv"
        gd.write_rows(REPORTS[:1], src)
        lines = src.read_text(encoding="utf-8").splitlines()
        assert lines[10].endswith(",万元,false")  # t2.fees.amount, the 10th cell
        lines[3] = lines[3].replace(",false", ",yes")
        lines[10] = lines[10].replace(",万元,", ",元,")
        src.write_text("\n".join(lines) + "\n", encoding="utf-8")
        status, err = _run("convert", src, tmp_path / "out.json")
        assert status == 2
        assert err.splitlines() == [
            f"gov-disclosure convert: {src}: invalid rows (2 problems):",
            '  line 4, column blank: expected true or false (a bool, or the text "true"/"false"), got "yes"',
            "  line 11, column unit: t2.fees.amount is printed in 万元 (its column header fixes the unit), got '元'",
        ]

    def test_many_problems_are_cut(self, tmp_path: Path) -> None:
        """At most 20 problems are listed, the rest counted."""
        src = tmp_path / "in.csv"
        gd.write_rows(REPORTS[:1], src)
        lines = src.read_text(encoding="utf-8").splitlines()
        src.write_text(
            "\n".join([lines[0]] + [line.replace(",false", ",no") for line in lines[1:]]) + "\n",
            encoding="utf-8",
        )
        status, err = _run("convert", src, tmp_path / "out.json")
        assert status == 2
        assert len(err.splitlines()) == 22
        assert err.splitlines()[-1] == f"  ... and {len(lines) - 1 - 20} more"

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A CSV saved in GBK says it is not UTF-8."""
        src = tmp_path / "in.csv"
        src.write_bytes(
            "agency,year,edition,key,value\n某局,2021,2021,t2.fees.amount,0\n".encode("gbk")
        )
        status, err = _run("convert", src, tmp_path / "out.json")
        assert (status, f"{src}: not UTF-8 text" in err) == (2, True)

    def test_folder(self, tmp_path: Path) -> None:
        """A folder is not a file to convert."""
        assert _run("convert", tmp_path, tmp_path / "out.json") == (
            2,
            f"gov-disclosure convert: {tmp_path} is a folder; convert reads one file\n",
        )

    def test_stdout_takes_json_only(self, tmp_path: Path) -> None:
        """'-' is JSON; asking for CSV on stdout is refused, and no file named '-' appears."""
        src = tmp_path / "in.json"
        src.write_bytes(gd.to_json(REPORTS[0]))
        status, err = _run("convert", src, "-", "--to", "csv")
        assert (status, "'-' (standard output) takes JSON only" in err) == (2, True)
        assert not Path("-").exists()

    def test_stdin(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """'-' as input reads a JSON document from standard input."""
        data = gd.to_json(REPORTS[1])
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
        out = tmp_path / "out.csv"
        assert _run("convert", "-", out) == (0, "")
        assert [REPORTS[1]] == gd.from_rows(gd.read_rows(out))

    def test_indistinct_reports(self, tmp_path: Path) -> None:
        """Two reports of one agency and year cannot go to rows (they would read back as one)."""
        src = tmp_path / "in.json"
        src.write_bytes(dumps_many([REPORTS[1], REPORTS[0], REPORTS[1]]))
        out = tmp_path / "out.csv"
        status, err = _run("convert", src, out)
        assert (status, f"reports 1 and 3 of {src} are both 某县政府 2020" in err) == (2, True)
        assert not out.exists()


class TestSchema:
    def test_prints_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``schema`` prints the same schema as json_schema()."""
        assert main(["schema"]) == 0
        assert gd.json_schema() == json.loads(capsys.readouterr().out)

    def test_one_edition(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``schema --edition 2019`` prints that edition's schema only."""
        assert main(["schema", "--edition", "2019"]) == 0
        assert gd.json_schema("2019") == json.loads(capsys.readouterr().out)
