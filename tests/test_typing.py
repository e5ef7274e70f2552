"""The public TypedDicts describe the real JSON: the document, and the command line's output."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import attrs
import pytest

import gov_disclosure as gd
from gov_disclosure import cli
from gov_disclosure.cli import main


def _keys(cls: type) -> tuple[set[str], set[str]]:
    """(required, all) keys of a TypedDict, from its type hints."""
    hints = typing.get_type_hints(cls)
    required: frozenset[str] = cls.__required_keys__  # type: ignore[attr-defined]
    return set(required), set(hints)


def _check_types(value: object, hint: object) -> bool:
    """Whether JSON *value* fits *hint* (TypedDicts, lists, dicts, unions, literals, scalars)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is type(None):
        return value is None
    if origin is typing.Literal:
        return value in args
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_check_types(value, a) for a in args)
    if origin is list:
        return isinstance(value, list) and all(_check_types(v, args[0]) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            isinstance(k, str) and _check_types(v, args[1]) for k, v in value.items()
        )
    if hint is typing.Any:
        return True
    if isinstance(hint, type) and hasattr(hint, "__required_keys__"):
        if not isinstance(value, dict):
            return False
        required, every = _keys(hint)
        hints = typing.get_type_hints(hint)
        return required <= set(value) <= every and all(
            _check_types(v, hints[k]) for k, v in value.items()
        )
    assert isinstance(hint, type), hint
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_report_document(edition: str) -> None:
    """The edition's TypedDict has the schema's keys, all required, and fits a real document to the leaves."""
    schema = gd.json_schema(edition)
    top = schema["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    cls = getattr(gd, f"ReportDocument{edition}")
    required, every = _keys(cls)
    assert required == every == set(top["properties"]) == set(top["required"])
    assert set(typing.get_type_hints(gd.ReportDocument)) == every
    report = gd.AnnualReport(agency="某局", year=int(edition))
    doc = json.loads(gd.to_json(report))
    assert _check_types(doc, cls)
    assert _check_types(doc, gd.ReportDocument)
    # The check reaches the leaves: a count written as text deep inside does not fit.
    doc["requests"]["granted"]["natural_person"] = "1"
    assert not _check_types(doc, cls)


def test_document_types_generated() -> None:
    """serialize/_document.py is what scripts/document_types.py writes from the JSON Schema today."""
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(
        "document_types", root / "scripts" / "document_types.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (root / "src" / "gov_disclosure" / "serialize" / "_document.py").read_text(
        encoding="utf-8"
    )
    assert written == module.source(), (
        "run: python scripts/document_types.py > src/gov_disclosure/serialize/_document.py"
    )


def _broken() -> gd.AnnualReport:
    r = gd.AnnualReport(agency="某局", year=2021)
    return attrs.evolve(
        r, requests=attrs.evolve(r.requests, granted=gd.ApplicantCounts.of(natural_person=2))
    )


def test_check_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``check --format json`` prints a list of CheckResult: every key typed, each value fitting."""
    path = tmp_path / "r.txt"
    text = gd.render(_broken(), "text")
    assert isinstance(text, str)
    path.write_text(text.replace("规章\t0", "规章\t/", 1), encoding="utf-8")
    junk = tmp_path / "junk.txt"
    junk.write_text("nothing", encoding="utf-8")
    assert main(["check", "--format", "json", "--warnings", str(path), str(junk)]) == 2
    good, bad = json.loads(capsys.readouterr().out)
    # Every key but item (said only for the reports of a JSON array, below).
    assert set(good) == _keys(cli.CheckResult)[1] - {"item"}
    assert good["findings"]
    assert good["warnings"]
    assert set(good["findings"][0]) == _keys(cli.CheckFinding)[1]
    assert any(f["locations"] for f in good["findings"])
    assert _check_types(good, cli.CheckResult)
    assert set(bad) == _keys(cli.CheckResult)[0]
    assert _check_types(bad, cli.CheckResult)
    array = tmp_path / "reports.json"
    array.write_text(f"[{gd.to_json(_broken()).decode()}, {{}}]", encoding="utf-8")
    assert main(["check", "--format", "json", "--warnings", str(array)]) == 2
    first, broken = json.loads(capsys.readouterr().out)
    assert set(first) == _keys(cli.CheckResult)[1]
    assert _check_types(first, cli.CheckResult)
    assert set(broken) == _keys(cli.CheckResult)[0] | {"item"}
    assert _check_types(broken, cli.CheckResult)


def test_parse_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``parse --provenance`` prints a ParseOutput whose report is a ReportDocument."""
    path = tmp_path / "r.txt"
    text = gd.render(_broken(), "text")
    assert isinstance(text, str)
    path.write_text(text, encoding="utf-8")
    assert main(["parse", "--provenance", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == _keys(cli.ParseOutput)[1]
    assert _check_types(out, cli.ParseOutput)
    location = next(iter(out["provenance"].values()))
    assert set(location) == _keys(cli.FindingLocation)[1]
