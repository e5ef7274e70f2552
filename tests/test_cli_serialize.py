"""Tests of the ``convert`` and ``schema`` subcommands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main


def _numeric(r: gd.AnnualReport) -> gd.AnnualReport:
    return gd.from_cells(gd.cells(r), agency=r.agency, year=r.year, edition=r.edition)


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
    gd.AnnualReport(agency="某县政府", year=2020),
]


class TestConvert:
    @pytest.mark.parametrize("suffix", [".csv", ".parquet"])
    def test_json_to_rows_and_back(self, tmp_path: Path, suffix: str) -> None:
        """JSON -> rows -> JSON keeps every number (narratives are not in rows)."""
        if suffix == ".parquet":
            pytest.importorskip("pyarrow")
        src = tmp_path / "in.json"
        src.write_bytes(json.dumps([gd.to_dict(r) for r in REPORTS]).encode())
        rows = tmp_path / f"rows{suffix}"
        back = tmp_path / "back.json"
        assert main(["convert", str(src), str(rows)]) == 0
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
        assert "--from/--to" in capsys.readouterr().err


class TestSchema:
    def test_prints_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``schema`` prints the same schema as json_schema()."""
        assert main(["schema"]) == 0
        assert gd.json_schema() == json.loads(capsys.readouterr().out)

    def test_one_edition(self, capsys: pytest.CaptureFixture[str]) -> None:
        """``schema --edition 2019`` prints that edition's schema only."""
        assert main(["schema", "--edition", "2019"]) == 0
        assert gd.json_schema("2019") == json.loads(capsys.readouterr().out)
