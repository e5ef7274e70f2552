"""Tests of gov_disclosure.serialize: JSON documents, dicts, the schema and tidy rows."""

from __future__ import annotations

import copy
import csv
import gc
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import cattrs
import jsonschema
import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import gov_disclosure as gd
from gov_disclosure import rules, serialize
from gov_disclosure.catalogue import MONEY_UNITS
from gov_disclosure.rules._equations import _equations
from gov_disclosure.serialize import _fast as _serialize_fast
from gov_disclosure.serialize import _strict
from gov_disclosure.serialize._fast import Defer, builder, msgspec_decode
from gov_disclosure.strategies import BREAKABLE_RULES, broken_reports, reports

_VALIDATOR = jsonschema.Draft202012Validator(gd.json_schema())


def _numeric(r: gd.AnnualReport) -> gd.AnnualReport:
    """The numeric projection of a report: what tidy rows carry."""
    return gd.from_cells(gd.cells(r), agency=r.agency, year=r.year, edition=r.edition)


def _set(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    node: Any = out
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    return out


def _delete(doc: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    node: Any = out
    for p in path[:-1]:
        node = node[p]
    del node[path[-1]]
    return out


V2021 = gd.to_dict(gd.AnnualReport(agency="某局", year=2021))
V2019 = gd.to_dict(gd.AnnualReport(agency="某局", year=2020))
_TOTAL = ("requests", "deny", "state_secret", "total")
_FEE = ("proactive", "fees", "amount")

#: Bad documents: (name, document, path of the expected error, start of its message).
BAD: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "bool for int",
        _set(V2021, _TOTAL, True),
        "$.requests.deny.state_secret.total",
        "expected a non-negative int, got true",
    ),
    (
        "float for int",
        _set(V2021, _TOTAL, 1.5),
        "$.requests.deny.state_secret.total",
        "expected a non-negative int, got 1.5",
    ),
    (
        "str for int",
        _set(V2021, _TOTAL, "1"),
        "$.requests.deny.state_secret.total",
        'expected a non-negative int, got "1"',
    ),
    (
        "negative count",
        _set(V2021, _TOTAL, -1),
        "$.requests.deny.state_secret.total",
        "expected a non-negative int, got -1",
    ),
    ("non-str for str", _set(V2021, ("agency",), 12), "$.agency", "expected a string, got 12"),
    (
        "non-str paragraph",
        _set(V2021, ("preamble",), ["a", 3]),
        "$.preamble[1]",
        "expected a string, got 3",
    ),
    (
        "float money",
        _set(V2021, _FEE, 1.5),
        "$.proactive.fees.amount",
        "expected a non-negative decimal amount",
    ),
    (
        "NaN money",
        _set(V2021, _FEE, "NaN"),
        "$.proactive.fees.amount",
        "expected a non-negative decimal amount",
    ),
    (
        "Infinity money",
        _set(V2021, _FEE, "Infinity"),
        "$.proactive.fees.amount",
        "expected a non-negative decimal amount",
    ),
    (
        "negative money",
        _set(V2021, _FEE, "-1.5"),
        "$.proactive.fees.amount",
        "expected a non-negative decimal amount",
    ),
    (
        "missing key",
        _delete(V2021, ("appeals", "review")),
        "$.appeals.review",
        "required key missing",
    ),
    (
        "unknown key",
        _set(V2021, ("requests", "granted", "foo"), 1),
        "$.requests.granted.foo",
        "unknown key",
    ),
    (
        "unknown schema version",
        _set(V2021, ("schema",), "gov-disclosure/2"),
        "$.schema",
        'unknown schema version "gov-disclosure/2"',
    ),
    ("unknown edition", _set(V2021, ("edition",), "2030"), "$.edition", 'unknown edition "2030"'),
    (
        "2019 body under a 2021 tag",
        _set(V2019, ("edition",), "2021"),
        "$.edition",
        'the document says edition "2021" but its body is a 2019-edition body',
    ),
    (
        "2019 body under a 2021 tag, detail",
        _set(V2019, ("edition",), "2021"),
        "$.proactive.licensing.last_year_items",
        "unknown key",
    ),
    (
        "unknown blank cell",
        _set(V2021, ("blank_cells",), ["t3.other.total"]),
        "$.blank_cells[0]",
        "expected a cell key of edition 2021",
    ),
    (
        "year before 2019",
        _set(V2021, ("year",), 2018),
        "$.year",
        "expected a reporting year of 2019 or later",
    ),
]


class TestRoundTrip:
    @given(reports())
    def test_json(self, report: gd.AnnualReport) -> None:
        """from_json(to_json(r)) == r for every valid report of either edition."""
        assert report == gd.from_json(gd.to_json(report))

    @given(reports())
    def test_dict(self, report: gd.AnnualReport) -> None:
        """from_dict(to_dict(r)) == r, and the dict is plain JSON data."""
        d = gd.to_dict(report)
        assert report == gd.from_dict(d)
        assert d == json.loads(json.dumps(d))

    @given(reports(), st.sampled_from(sorted(gd.catalogue("2021").cells)))
    def test_blank_cells_and_extra_rows(self, report: gd.AnnualReport, key: str) -> None:
        """blank_cells (sorted in the document), extra_rows and the 2019 amount unit survive."""
        values = gd.cells(report)
        blank = frozenset(  # cells printed blank hold 0 (or are unstated section 六 figures)
            k
            for k in (key, "t3.granted.total")
            if k in gd.catalogue(report.edition).cells and values.get(k) in (0, None)
        )
        r = attrs.evolve(
            report,
            blank_cells=blank,
            extra_rows=(gd.ExtraRow(table="t3", label="其中：网上申请", values=("3", "")),),
        )
        d = gd.to_dict(r)
        assert sorted(blank) == d["blank_cells"]
        assert r == gd.from_json(gd.to_json(r))

    @given(reports())
    def test_deterministic(self, report: gd.AnnualReport) -> None:
        """The same report gives the same bytes, also through a copy and a round trip."""
        data = gd.to_json(report)
        assert data == gd.to_json(attrs.evolve(report)) == gd.to_json(gd.from_json(data))

    @given(reports())
    def test_stdlib_json_same_bytes(self, report: gd.AnnualReport) -> None:
        """Without orjson the standard library writes the very same bytes."""
        doc = gd.to_dict(report)
        stdlib = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        assert stdlib == gd.to_json(report)


class TestGeneratedWriter:
    """to_dict's generated code writes what the strict cattrs converter writes, to the byte."""

    @given(reports(), st.booleans())
    def test_same_document_as_the_converter(self, report: gd.AnnualReport, extras: bool) -> None:
        from gov_disclosure.serialize._hooks import converter

        if extras:  # the fields most reports leave empty: blank cells, extra rows, no fees
            report = attrs.evolve(
                report,
                blank_cells=frozenset(k for k, v in gd.cells(report).items() if v == 0),
                extra_rows=(gd.ExtraRow(table="t3", label="其中：网上申请", values=("3", "")),),
            )
        expected = converter.unstructure(report, gd.AnnualReport)
        got = gd.to_dict(report)
        assert got == expected
        assert orjson.dumps(got) == orjson.dumps(expected)  # key order too

    def test_corpus(self, corpus_dir: Path) -> None:
        """The corpus reports as parsed (blank cells, extra rows, narratives) give the converter's bytes."""
        from gov_disclosure.serialize._hooks import converter

        docs = [p for p in sorted(corpus_dir.glob("*.*")) if p.suffix in (".txt", ".html")]
        assert docs
        for path in docs:
            report = gd.parse(path.read_bytes()).report
            expected = orjson.dumps(converter.unstructure(report, gd.AnnualReport))
            assert gd.to_json(report) == expected, path.name


class TestWithoutExtras:
    @given(reports())
    def test_stdlib_only(self, report: gd.AnnualReport) -> None:
        """Without orjson and msgspec (the ``json`` extra) documents are the same bytes and load the same."""
        with (
            mock.patch.object(serialize, "_orjson", None),
            mock.patch.object(_serialize_fast, "_msgspec", return_value=None),
        ):
            data = gd.to_json(report)
            assert gd.to_json(report) == data
            assert report == gd.from_json(data)
            with pytest.raises(gd.StructureError):
                gd.from_json(b'{"schema": NaN}')
        assert gd.to_json(report) == data


class TestDocument:
    def test_shape(self) -> None:
        """The document names its schema and edition first; money is a string, counts are ints."""
        r = gd.AnnualReport(
            agency="某局",
            year=2020,
            proactive=gd.Proactive2019(
                procurement=gd.Procurement2019(items=2, amount=Decimal("251000"), amount_unit="元")
            ),
        )
        d = json.loads(gd.to_json(r))
        assert list(d)[:4] == ["schema", "edition", "agency", "year"]
        assert (d["schema"], d["edition"]) == ("gov-disclosure/1", "2019")
        assert d["proactive"]["procurement"] == {
            "items": 2,
            "amount": "251000",
            "amount_unit": "元",
        }
        assert {"natural_person", "total"} <= set(d["requests"]["other"])
        assert d["other_matters"] == {"paragraphs": [], "fees": None}

    def test_chinese_unescaped(self) -> None:
        """Chinese text is written as UTF-8, not as \\u escapes."""
        data = gd.to_json(gd.AnnualReport(agency="某市人民政府办公室", year=2021))
        assert "某市人民政府办公室".encode() in data
        assert b"\\u" not in data

    def test_money_exact(self) -> None:
        """Money keeps every digit: no float in between."""
        amount = Decimal("12345678901234567.123456789")
        r = gd.AnnualReport(
            agency="某局", year=2021, proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=amount))
        )
        assert b'"amount":"12345678901234567.123456789"' in gd.to_json(r)
        back = gd.from_json(gd.to_json(r)).proactive
        assert isinstance(back, gd.Proactive2021)
        assert amount == back.fees.amount

    def test_not_json(self) -> None:
        """Bytes that are not JSON (or use NaN) give a StructureError at $."""
        for data in (b"{", b'{"a": NaN}', b""):
            with pytest.raises(gd.StructureError) as e:
                gd.from_json(data)
            assert e.value.errors[0][0] == "$"


class TestStrict:
    @pytest.mark.parametrize(("name", "doc", "path", "message"), BAD, ids=[b[0] for b in BAD])
    def test_rejected_with_path(
        self, name: str, doc: dict[str, Any], path: str, message: str
    ) -> None:
        """Each bad input is rejected by from_json with the path and a message saying what was expected."""
        with pytest.raises(gd.StructureError) as e:
            gd.from_json(orjson.dumps(doc))
        found = dict(e.value.errors)
        assert path in found, e.value.errors
        assert found[path].startswith(message)

    @pytest.mark.parametrize(("name", "doc", "path", "message"), BAD, ids=[b[0] for b in BAD])
    def test_schema_rejects_too(
        self, name: str, doc: dict[str, Any], path: str, message: str
    ) -> None:
        """The generated JSON Schema rejects every bad input from_json rejects."""
        assert not _VALIDATOR.is_valid(doc)

    def test_every_problem_at_once(self) -> None:
        """All problems of a document come in one error, each with its path."""
        doc = _set(V2021, _TOTAL, "1")
        doc = _set(doc, ("appeals", "review", "upheld"), True)
        doc = _set(doc, ("requests", "granted", "foo"), 1)
        doc = _delete(doc, ("problems",))
        with pytest.raises(gd.StructureError) as e:
            gd.from_dict(doc)
        assert e.value.errors == [
            ("$.requests.granted.foo", "unknown key"),
            ("$.requests.deny.state_secret.total", 'expected a non-negative int, got "1"'),
            ("$.appeals.review.upheld", "expected a non-negative int, got true"),
            ("$.problems", "required key missing"),
        ]
        assert '$.requests.deny.state_secret.total: expected a non-negative int, got "1"' in str(
            e.value
        )

    def test_structure_error_is_a_value_error(self) -> None:
        """StructureError is a GovDisclosureError and a ValueError."""
        with pytest.raises(ValueError, match="schema"):
            gd.from_dict({})

    def test_default_cattrs_str_is_lenient(self) -> None:
        """Measured: cattrs' default str hook turns any value into text; ours rejects a non-string."""
        lenient = cattrs.Converter().structure({"heading": 12, "paragraphs": []}, gd.Subsection)
        assert lenient.heading == "12"
        doc = _set(V2021, ("general", "subsections"), [{"heading": 12, "paragraphs": []}])
        with pytest.raises(
            gd.StructureError, match=r"subsections\[0\]\.heading: expected a string"
        ):
            gd.from_dict(doc)

    @pytest.mark.parametrize("bad", ["1", 1.5, True, 1.0])
    def test_default_cattrs_is_lenient(self, bad: Any) -> None:
        """Measured: cattrs' default hooks turn "1", 1.5, true into a count; ours reject them."""
        row = gd.to_dict(gd.AnnualReport(agency="某局", year=2021))["requests"]["granted"]
        row = {**row, "natural_person": bad}
        lenient = cattrs.Converter().structure(row, gd.ApplicantCounts)
        assert lenient.natural_person == 1  # accepted and silently converted
        doc = _set(V2021, ("requests", "granted", "natural_person"), bad)
        with pytest.raises(gd.StructureError):
            gd.from_dict(doc)


def _mutations(doc: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Documents one edit away from a valid one: a value replaced, a key dropped or added."""
    paths: list[tuple[Any, ...]] = []

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(doc, ())
    paths = [p for p in paths if p]
    values = st.sampled_from(
        [
            True,
            1.5,
            1.0,
            "1",
            -1,
            None,
            0,
            "0.5",
            "NaN",
            [],
            {},
            "x",
            2018,
            2**63,
            2**64,
            10**20,
            -(2**63) - 1,
        ]
    )

    def edit(path: tuple[Any, ...], value: Any, how: int) -> dict[str, Any]:
        out = copy.deepcopy(doc)
        node: Any = out
        for p in path[:-1]:
            node = node[p]
        if how == 0:
            node[path[-1]] = value
        elif how == 1 and isinstance(node, dict):
            del node[path[-1]]
        elif isinstance(node, dict):
            node["extra"] = value
        return out

    return st.builds(edit, st.sampled_from(paths), values, st.integers(0, 2))


class TestFastPath:
    def test_empty_unit_refused_by_every_path(self) -> None:
        """An amount_unit of "" is refused by the schema, the fast paths and the strict path alike."""
        d = gd.to_dict(gd.AnnualReport(agency="某局", year=2020))
        d["proactive"]["procurement"]["amount_unit"] = ""
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(d, gd.json_schema())
        for load in (lambda: gd.from_dict(copy.deepcopy(d)), lambda: gd.from_json(orjson.dumps(d))):
            with pytest.raises(gd.StructureError, match=r"amount_unit: expected a unit"):
                load()
        with pytest.raises(Defer):
            builder(gd.Edition.V2019)(copy.deepcopy(d))
        with pytest.raises(Defer):
            msgspec_decode(orjson.dumps(d))

    def test_blank_mark_on_a_number_refused_by_both_paths(self) -> None:
        """A document marking a non-zero cell blank is refused, by the fast paths too (they skip the model's post-init)."""
        ok = gd.AnnualReport(agency="某局", year=2021)
        r = attrs.evolve(
            ok, requests=attrs.evolve(ok.requests, granted=gd.ApplicantCounts.of(natural_person=5))
        )
        d = gd.to_dict(r)
        d["blank_cells"] = ["t3.granted.total"]
        for load in (lambda: gd.from_dict(copy.deepcopy(d)), lambda: gd.from_json(orjson.dumps(d))):
            with pytest.raises(gd.StructureError, match="held as 0"):
                load()
        with pytest.raises(Defer):
            builder(gd.Edition.V2021)(copy.deepcopy(d))
        with pytest.raises(Defer):
            msgspec_decode(orjson.dumps(d))

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_same_decisions(self, data: st.DataObject) -> None:
        """On valid and broken documents both fast paths build what the strict path builds, or defer.

        The dict builder (from_dict) and the msgspec decoder (from_json)
        never accept a document the strict hooks reject, never build a
        different report, and never defer on a document to_json wrote.
        """
        report = data.draw(reports(text=data.draw(st.booleans())))
        doc = gd.to_dict(report)
        assert builder(report.edition)(doc) == report
        assert msgspec_decode(gd.to_json(report)) == report
        bad = data.draw(_mutations(doc))
        raw = json.dumps(bad, ensure_ascii=False).encode()
        # The dict path sees the dict; the JSON path sees what orjson reads from
        # the bytes (beyond 64 bits, a float).
        for source, fast_path in (
            (bad, lambda: builder(report.edition)(bad)),
            (orjson.loads(raw), lambda: msgspec_decode(raw)),
        ):
            try:
                strict: gd.AnnualReport | None = _strict(source)
            except gd.StructureError:
                strict = None
            try:
                built: gd.AnnualReport | None = fast_path()
            except Defer:
                built = None
            if strict is None:
                assert built is None  # never accepts what the strict path rejects
            elif built is not None:
                assert strict == built
        if strict is None:
            with pytest.raises(gd.StructureError):
                gd.from_json(raw)
        else:
            assert strict == gd.from_json(raw)

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_same_decisions_on_blank_cells(self, data: st.DataObject) -> None:
        """With blank cells, valid or not, both fast paths decide as the strict path does.

        Reports drawn with blank cells (as parsed reports have them), and the
        list of blank cells edited: an unknown key, a key twice, a cell
        holding a number marked blank, an item not a string.
        """
        report = data.draw(reports(blank_cells=True))
        doc = gd.to_dict(report)
        assert builder(report.edition)(copy.deepcopy(doc)) == report
        assert msgspec_decode(gd.to_json(report)) == report
        held = sorted(k for k, v in gd.cells(report).items() if v)
        blank = list(doc["blank_cells"])
        edits = [
            [*blank, "t9.no.such_cell"],
            [*blank, 7],
            *([[*blank, blank[0]]] if blank else []),
            *([[*blank, held[0]], [held[-1]]] if held else []),
        ]
        bad = copy.deepcopy(doc)
        bad["blank_cells"] = data.draw(st.sampled_from(edits))
        raw = orjson.dumps(bad)
        for fast_path in (
            lambda: builder(report.edition)(copy.deepcopy(bad)),
            lambda: msgspec_decode(raw),
        ):
            with pytest.raises(Defer):
                fast_path()
        with pytest.raises(gd.StructureError) as strict:
            _strict(copy.deepcopy(bad))
        with pytest.raises(gd.StructureError) as loaded:
            gd.from_json(raw)
        assert loaded.value.errors == strict.value.errors

    def test_key_order_free(self) -> None:
        """Keys in any order load the same report (order is not part of the contract)."""
        doc = dict(reversed(list(V2021.items())))
        doc["requests"] = dict(reversed(list(doc["requests"].items())))
        assert gd.from_dict(V2021) == gd.from_dict(doc) == builder(gd.Edition.V2021)(doc)


class TestCompiledCheck:
    @staticmethod
    def _general(report: gd.AnnualReport) -> list[gd.Finding]:
        # Neither the clean test nor a verdict recorded when the report was built.
        with (
            mock.patch.object(rules._check, "_clean", return_value=lambda report: False),
            mock.patch.dict(rules._check._CLEAN_REPORTS, clear=True),
        ):
            return gd.check(report)

    @given(st.data())
    def test_same_findings(self, data: st.DataObject) -> None:
        """check() with the compiled clean test returns what the general path returns.

        The compiled test answers "no finding" exactly when the general path
        finds nothing, on valid reports, reports with one identity broken,
        reports pushed over the soft rules, and reports with blank cells
        (blank totals next to non-zero parts are the rule S9).
        """
        rule = data.draw(st.sampled_from((None, *BREAKABLE_RULES)))
        report = data.draw(reports() if rule is None else broken_reports(rule))
        if data.draw(st.booleans()):
            report = data.draw(_soft_edits(report))
        if data.draw(st.booleans()):
            zeros = sorted(k for k, v in gd.cells(report).items() if v == 0)
            if zeros:
                blank = data.draw(st.lists(st.sampled_from(zeros), max_size=12))
                report = attrs.evolve(report, blank_cells=frozenset(blank))
        general = self._general(report)
        assert general == gd.check(report)
        assert (general == []) == rules._check._clean(report.edition)(report)
        assert _reference_equations(report) == [
            (f.rule, f.subject, f.cells, f.expected, f.actual)
            for f in general
            if f.rule in {eq.rule for eq in _equations(report.edition)}
        ]

    @settings(suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_verdict_when_built(self, data: st.DataObject) -> None:
        """The JSON builders prove a report clean exactly when check() finds nothing.

        Both builders (from_json's and from_dict's) compute the clean test on
        the values they have just read; a report they mark is one the
        general path finds nothing in, and every report they build without
        a finding is marked.  check() of a built report returns what the
        general path returns.
        """
        rule = data.draw(st.sampled_from((None, *BREAKABLE_RULES)))
        report = data.draw(reports(blank_cells=True) if rule is None else broken_reports(rule))
        if data.draw(st.booleans()):
            report = data.draw(_soft_edits(report))
        for load in (
            lambda: msgspec_decode(gd.to_json(report)),
            lambda: builder(report.edition)(gd.to_dict(report)),
        ):
            try:
                built = load()
            except (
                Defer
            ):  # (the model's rules refuse what a soft edit wrote: the strict path decides)
                continue
            general = self._general(built)
            assert _proven_clean(built) == (general == [])
            assert gd.check(built) == general

    def test_verdict_tied_to_the_object(self) -> None:
        """The clean verdict belongs to the object built: an evolved copy is checked afresh, and it leaves with the object."""
        report = gd.from_json(gd.to_json(gd.AnnualReport(agency="某局", year=2021)))
        assert _proven_clean(report)
        assert gd.check(report) == []
        bad = attrs.evolve(
            report,
            requests=attrs.evolve(report.requests, granted=gd.ApplicantCounts.of(natural_person=2)),
        )
        assert not _proven_clean(bad)
        assert [f.rule for f in gd.check(bad)][:1] == ["requests.outcome_total"]
        key = id(report)
        del report
        gc.collect()
        assert key not in rules._check._CLEAN_REPORTS

    def test_blank_total_next_to_parts(self) -> None:
        """A blank total with non-zero parts is a finding (S9), whichever path judges it; with zero parts, none."""
        r = gd.AnnualReport(agency="某局", year=2021, blank_cells=frozenset({"t3.granted.total"}))
        assert rules._check._clean(r.edition)(r)
        assert gd.check(r) == []
        granted = gd.ApplicantCounts(
            natural_person=2,
            commercial=0,
            research=0,
            social_welfare=0,
            legal_service=0,
            other_org=0,
            total=0,
        )
        bad = attrs.evolve(r, requests=attrs.evolve(r.requests, granted=granted))
        assert not rules._check._clean(r.edition)(bad)
        assert "requests.blank_total" in {f.rule for f in gd.check(bad)}


def _proven_clean(report: gd.AnnualReport) -> bool:
    """Whether a builder recorded *report* (this very object) as clean."""
    verdict = rules._check._CLEAN_REPORTS.get(id(report))
    return verdict is not None and verdict() is report


def _reference_equations(report: gd.AnnualReport) -> list[tuple[Any, ...]]:
    """The broken equations by the definition: each side summed over ``cells()``, in the rules' order."""
    values = gd.cells(report)
    found = [
        (
            eq.rule,
            eq.subject,
            eq.keys,
            sum(values[k] for k in eq.lhs),
            sum(values[k] for k in eq.rhs),
        )
        for eq in _equations(report.edition)
    ]
    order = [r.id for r in gd.RULES]
    broken = [f for f in found if f[3] != f[4]]
    return sorted(broken, key=lambda f: order.index(f[0]))


@st.composite
def _soft_edits(draw: st.DrawFn, report: gd.AnnualReport) -> gd.AnnualReport:
    """Push a report toward the soft rules: big whole fee amounts, unpaid fees, shrinking totals."""
    p = report.proactive
    if isinstance(p, gd.Proactive2021):
        amount = draw(
            st.sampled_from(
                [Decimal(0), Decimal(100000), Decimal("100000.5"), Decimal(99999), Decimal(10**7)]
            )
        )
        unpaid = draw(st.integers(0, 3))
        other = report.requests.other
        assert isinstance(other, gd.OtherHandling)
        other = attrs.evolve(other, unpaid_fee=gd.ApplicantCounts.of(natural_person=unpaid))
        paragraphs = draw(st.sampled_from([(), ("本年度未收取信息处理费。",), ("无。",)]))
        fees = draw(st.sampled_from([None, gd.InformationFees()]))
        return attrs.evolve(
            report,
            proactive=attrs.evolve(p, fees=gd.FeeAmount(amount=amount)),
            requests=attrs.evolve(report.requests, other=other),
            other_matters=gd.OtherMatters(paragraphs=paragraphs, fees=fees),
        )
    assert isinstance(p, gd.Proactive2019)
    regs = p.regulations
    total = draw(st.integers(0, regs.new_published + 2))
    return attrs.evolve(
        report, proactive=attrs.evolve(p, regulations=attrs.evolve(regs, total_published=total))
    )


class TestSchema:
    @given(reports())
    def test_documents_validate(self, report: gd.AnnualReport) -> None:
        """Every document to_json writes is valid against the schema."""
        _VALIDATOR.validate(json.loads(gd.to_json(report)))

    def test_schema_is_valid(self) -> None:
        """The schema itself is a valid draft 2020-12 schema; each edition's alone too."""
        jsonschema.Draft202012Validator.check_schema(gd.json_schema())
        for e in gd.Edition:
            s = gd.json_schema(e)
            jsonschema.Draft202012Validator.check_schema(s)
            other = V2019 if e is gd.Edition.V2021 else V2021
            assert not jsonschema.Draft202012Validator(s).is_valid(other)

    def test_derived_from_catalogue(self) -> None:
        """blank_cells enumerates the catalogue's keys; the model's fields are the properties."""
        s = gd.json_schema()
        items = s["$defs"]["AnnualReport2021"]["properties"]["blank_cells"]["items"]["enum"]
        assert sorted(gd.catalogue("2021").cells) == items
        props = s["$defs"]["Denials"]["properties"]
        assert [f.name for f in attrs.fields(gd.Denials)] == list(props)

    @given(st.data())
    def test_schema_rejects_implies_from_json_rejects(self, data: st.DataObject) -> None:
        """Any one-edit document the schema rejects, from_dict rejects too."""
        doc = gd.to_dict(data.draw(reports(text=False)))
        bad = data.draw(_mutations(doc))
        if not _VALIDATOR.is_valid(bad):
            with pytest.raises(gd.StructureError):
                gd.from_dict(bad)


def _rows_projection(r: gd.AnnualReport) -> gd.AnnualReport:
    """What tidy rows carry of a report: its numbers, blank-cell marks and the procurement unit."""
    out = attrs.evolve(_numeric(r), blank_cells=r.blank_cells)
    if isinstance(r.proactive, gd.Proactive2019) and isinstance(out.proactive, gd.Proactive2019):
        unit = r.proactive.procurement.amount_unit
        procurement = attrs.evolve(out.proactive.procurement, amount_unit=unit)
        out = attrs.evolve(out, proactive=attrs.evolve(out.proactive, procurement=procurement))
    return out


def _with_unit(r: gd.AnnualReport, unit: str | None) -> gd.AnnualReport:
    assert isinstance(r.proactive, gd.Proactive2019)
    procurement = attrs.evolve(r.proactive.procurement, amount_unit=unit)
    return attrs.evolve(r, proactive=attrs.evolve(r.proactive, procurement=procurement))


#: A 2019-edition report with blank cells and a procurement amount printed in 万元.
MARKED = _with_unit(
    gd.AnnualReport(
        agency="某局",
        year=2020,
        blank_cells={"t3.granted.total", "t2.fees.change", "t2.procurement.items"},
        proactive=gd.Proactive2019(
            procurement=gd.Procurement2019(items=0, amount=Decimal("25.1"), amount_unit="万元")
        ),
    ),
    "万元",
)

_distinct = st.lists(
    reports(blank_cells=True), max_size=3, unique_by=lambda r: (r.agency, r.year, r.edition)
)


class TestRows:
    @given(_distinct)
    @example([MARKED])
    def test_round_trip(self, rs: list[gd.AnnualReport]) -> None:
        """from_rows(to_rows(rs)) keeps every number, blank-cell mark and the procurement unit."""
        assert [_rows_projection(r) for r in rs] == gd.from_rows(gd.to_rows(rs))

    @pytest.mark.parametrize(
        ("call", "where"),
        [
            (lambda: gd.to_rows([1]), "reports[0]"),
            (lambda: gd.to_rows(None), "to_rows(reports)"),
            (lambda: gd.to_rows(gd.AnnualReport(agency="甲局", year=2021)), "to_rows(reports)"),
            (lambda: gd.from_rows(None), "from_rows(rows)"),
            (lambda: gd.from_rows("abc"), "from_rows(rows)"),
            (lambda: gd.read_rows(None), "read_rows(path)"),
        ],
    )
    def test_wrong_arguments_named(self, call: Any, where: str) -> None:
        """A wrong argument gives a StructureError naming it, not an AttributeError from inside."""
        with pytest.raises(gd.StructureError, match=re.escape(where)):
            call()

    def test_blank_cell_with_a_value_refused(self) -> None:
        """A row marked blank must hold 0: a blank mark on a number is contradictory input."""
        rows = gd.to_rows([gd.AnnualReport(agency="甲局", year=2021)])
        i = next(i for i, row in enumerate(rows) if row["key"] == "t3.granted.total")
        rows[i] = {**rows[i], "value": 5, "blank": True}
        with pytest.raises(gd.StructureError, match=rf"rows\[{i}\]\.blank: .*held as 0"):
            gd.from_rows(rows)

    @pytest.mark.parametrize("text", ["TRUE", "True", "true"])
    def test_blank_text_any_case(self, text: str) -> None:
        """Excel writes TRUE/FALSE, pandas True/False: every case of true/false reads."""
        rows = gd.to_rows([gd.AnnualReport(agency="甲局", year=2021)])
        rows = [
            {**row, "blank": text if row["key"] == "t4.review.total" else "FALSE"} for row in rows
        ]
        (r,) = gd.from_rows(rows)
        assert r.blank_cells == {"t4.review.total"}

    def test_strategy_draws_marks(self) -> None:
        """reports(blank_cells=True) draws blank cells and every procurement unit, so the property covers them."""
        seen_blank, units = False, set()

        @settings(max_examples=200, database=None)
        @given(reports("2019", blank_cells=True, text=False))
        def draw(r: gd.AnnualReport) -> None:
            nonlocal seen_blank
            seen_blank = seen_blank or bool(r.blank_cells)
            assert all(gd.cells(r)[k] == 0 for k in r.blank_cells)
            assert isinstance(r.proactive, gd.Proactive2019)
            units.add(r.proactive.procurement.amount_unit)

        draw()
        assert seen_blank
        assert {None, *MONEY_UNITS} == units  # every unit of the catalogue, and none

    def test_row_shape(self) -> None:
        """A row is agency, year, edition, key, value, unit, blank; money is a Decimal with its unit."""
        r = gd.AnnualReport(
            agency="某局",
            year=2021,
            proactive=gd.Proactive2021(fees=gd.FeeAmount(amount=Decimal("4068.208"))),
            blank_cells={"t2.licensing.decisions"},
        )
        rows = {row["key"]: row for row in gd.to_rows([r])}
        assert {
            "agency": "某局",
            "year": 2021,
            "edition": "2021",
            "key": "t2.fees.amount",
            "value": Decimal("4068.208"),
            "unit": "万元",
            "blank": False,
        } == rows["t2.fees.amount"]
        assert (
            rows["t2.licensing.decisions"]["unit"],
            rows["t2.licensing.decisions"]["blank"],
        ) == ("", True)
        assert list(gd.cells(r)) == list(rows)
        assert list(rows["t2.fees.amount"]) == [
            "agency",
            "year",
            "edition",
            "key",
            "value",
            "unit",
            "blank",
        ]

    def test_procurement_unit(self) -> None:
        """The 2019 procurement amount's row carries its printed unit, "" when none was printed."""
        for unit, text in (("元", "元"), ("万元", "万元"), (None, "")):
            rows = {row["key"]: row for row in gd.to_rows([_with_unit(MARKED, unit)])}
            assert text == rows["t2.procurement.amount"]["unit"]
            assert rows["t2.procurement.items"]["unit"] == ""
            assert _with_unit(MARKED, unit) == gd.from_rows(rows.values())[0]

    def test_five_column_rows(self) -> None:
        """Rows of the older shape (no unit, no blank) still read: nothing blank, no unit recorded."""
        rows = [
            {k: v for k, v in row.items() if k not in ("unit", "blank")}
            for row in gd.to_rows([MARKED])
        ]
        assert [_numeric(MARKED)] == gd.from_rows(rows)

    def test_bad_rows(self) -> None:
        """Bad rows are all reported with their index."""
        rows = gd.to_rows([gd.AnnualReport(agency="某局", year=2021)])
        rows[0] = {**rows[0], "value": 1.5}
        rows[1] = {**rows[1], "key": "t9.nothing"}
        rows[2] = {**rows[2], "value": True}
        with pytest.raises(gd.StructureError) as e:
            gd.from_rows(rows)
        paths = [p for p, _ in e.value.errors]
        assert paths[:3] == ["rows[0].value", "rows[1].key", "rows[2].value"]

    def test_bad_marks(self) -> None:
        """A blank that is no bool, or a unit the cell cannot have, is reported per row and column, all at once."""
        rows = gd.to_rows([MARKED])
        at = {row["key"]: i for i, row in enumerate(rows)}
        bad = {
            "t2.regulations.new_made": {"blank": "yes"},
            "t2.regulations.new_published": {"blank": 1},
            "t2.regulations.total_published": {"blank": None},
            "t3.granted.natural_person": {"unit": "件"},
            "t2.procurement.amount": {"unit": 5},
        }
        for key, change in bad.items():
            rows[at[key]] = {**rows[at[key]], **change}
        with pytest.raises(gd.StructureError) as e:
            gd.from_rows(rows)
        assert [
            (
                f"rows[{at['t2.regulations.new_made']}].blank",
                'expected true or false (a bool, or the text "true"/"false"), got "yes"',
            ),
            (
                f"rows[{at['t2.regulations.new_published']}].blank",
                'expected true or false (a bool, or the text "true"/"false"), got 1',
            ),
            (
                f"rows[{at['t2.regulations.total_published']}].blank",
                'expected true or false (a bool, or the text "true"/"false"), got null',
            ),
            (f"rows[{at['t2.procurement.amount']}].unit", "expected a string, got 5"),
            (
                f"rows[{at['t3.granted.natural_person']}].unit",
                "t3.granted.natural_person is a count and has no unit, got '件'",
            ),
        ] == e.value.errors
        assert "missing cell" not in str(e.value)  # the keys of bad rows are not reported twice

    def test_fixed_unit(self) -> None:
        """An amount whose header fixes the unit cannot be given another one: its value would be misread."""
        r = gd.AnnualReport(agency="某局", year=2021)
        rows = gd.to_rows([r])
        i = next(i for i, row in enumerate(rows) if row["key"] == "t2.fees.amount")
        rows[i] = {**rows[i], "unit": "元"}
        with pytest.raises(gd.StructureError) as e:
            gd.from_rows(rows)
        assert [
            (
                f"rows[{i}].unit",
                "t2.fees.amount is printed in 万元 (its column header fixes the unit), got '元'",
            )
        ] == e.value.errors
        rows[i] = {**rows[i], "unit": ""}  # not restated: fine
        assert [r] == gd.from_rows(rows)

    def test_text_marks(self) -> None:
        """As read from a file, blank is "true"/"false" (or pandas' "True"/"False")."""
        rows = [
            {**row, "value": str(row["value"]), "blank": ("true" if row["blank"] else "False")}
            for row in gd.to_rows([MARKED])
        ]
        assert gd.from_rows(rows) == [MARKED]

    def test_half_new_columns(self) -> None:
        """A row with unit but no blank (or the reverse) is neither shape: the missing column is named."""
        rows = gd.to_rows([MARKED])
        rows[3] = {k: v for k, v in rows[3].items() if k != "blank"}
        with pytest.raises(gd.StructureError) as e:
            gd.from_rows(rows)
        assert ("rows[3].blank", "required column missing") in e.value.errors

    @pytest.mark.parametrize("suffix", [".csv", ".parquet"])
    @settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        rs=st.lists(
            reports(blank_cells=True),
            min_size=1,
            max_size=2,
            unique_by=lambda r: (r.agency, r.year),
        )
    )
    @example(rs=[MARKED])
    def test_files(self, tmp_path: Path, suffix: str, rs: list[gd.AnnualReport]) -> None:
        """CSV and Parquet files round-trip numbers, blank marks and units exactly (money as text, never float)."""
        if suffix == ".parquet":
            pytest.importorskip("pyarrow")
        path = tmp_path / f"rows{suffix}"
        gd.write_rows(rs, path)
        rows = gd.read_rows(path)
        assert gd.to_rows(rs) == rows
        assert [_rows_projection(r) for r in rs] == gd.from_rows(rows)

    def test_csv_text(self, tmp_path: Path) -> None:
        """The CSV holds the decimal text (never an exponent), the unit, and blank as true/false."""
        r = attrs.evolve(
            MARKED,
            proactive=attrs.evolve(
                MARKED.proactive,
                procurement=gd.Procurement2019(items=0, amount=Decimal("1E+2"), amount_unit="元"),
            ),
        )
        path = tmp_path / "r.csv"
        gd.write_rows([r], path)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "agency,year,edition,key,value,unit,blank"
        assert "某局,2020,2019,t2.procurement.amount,100,元,false" in lines
        assert "某局,2020,2019,t3.granted.total,0,,true" in lines
        assert [r] == gd.from_rows(gd.read_rows(path))

    @pytest.mark.parametrize("suffix", [".csv", ".parquet"])
    def test_five_column_files(self, tmp_path: Path, suffix: str) -> None:
        """Files of the older five-column shape still read, their columns in any order."""
        rows = gd.to_rows([MARKED])
        path = tmp_path / f"old{suffix}"
        columns = ["key", "agency", "year", "edition", "value"]
        if suffix == ".csv":
            with path.open("w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(columns)
                w.writerows([[str(row[c]) for c in columns] for row in rows])
        else:
            pa = pytest.importorskip("pyarrow")
            pq = pytest.importorskip("pyarrow.parquet")
            table = pa.table(
                {c: [str(row[c]) if c == "value" else row[c] for row in rows] for c in columns}
            )
            pq.write_table(table, path)
        assert [_numeric(MARKED)] == gd.from_rows(gd.read_rows(path))

    def test_parquet_types(self, tmp_path: Path) -> None:
        """Parquet columns: value and unit are strings (money is never a float), blank is a boolean."""
        pq = pytest.importorskip("pyarrow.parquet")
        path = tmp_path / "r.parquet"
        gd.write_rows([MARKED], path)
        schema = pq.read_schema(path)
        assert schema.names == ["agency", "year", "edition", "key", "value", "unit", "blank"]
        assert tuple(str(schema.field(c).type) for c in ("value", "unit", "blank")) == (
            "string",
            "string",
            "bool",
        )

    def test_empty(self, tmp_path: Path) -> None:
        """No reports give no rows and a CSV of only the header, which reads back as no reports."""
        path = tmp_path / "r.csv"
        gd.write_rows([], path)
        assert gd.to_rows([]) == []
        assert gd.from_rows(gd.read_rows(path)) == []

    def test_corpus_through_parquet(self, corpus_dir: Path, tmp_path: Path) -> None:
        """Every corpus report (ground truth, blank cells and units included) round-trips through one Parquet file."""
        pytest.importorskip("pyarrow")
        rs = [_corpus_report(p) for p in sorted(corpus_dir.glob("*.json"))]
        assert len(rs) >= 9
        assert any(r.blank_cells for r in rs)
        path = tmp_path / "corpus.parquet"
        gd.write_rows(rs, path)
        assert rs == gd.from_rows(gd.read_rows(path))
        for r in rs:  # and through JSON
            assert r == gd.from_json(gd.to_json(r))


class TestRowFiles:
    """Files that are not rows of ours are refused by name, saying what is wrong."""

    def _csv(self, tmp_path: Path, text: str | bytes) -> Path:
        path = tmp_path / "r.csv"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def test_missing_columns(self, tmp_path: Path) -> None:
        """A header lacking columns names them, and the expected columns."""
        path = self._csv(tmp_path, "agency,year,key,value,unit\n某局,2021,t2.fees.amount,0,\n")
        with pytest.raises(gd.StructureError) as e:
            gd.read_rows(path)
        [(where, message)] = e.value.errors
        assert f"{path}: line 1" == where
        assert message.startswith(
            "not a file of tidy rows: missing columns edition, blank (expected"
        )

    def test_unknown_and_repeated_columns(self, tmp_path: Path) -> None:
        """Unknown and repeated columns are named."""
        path = self._csv(tmp_path, "agency,year,edition,key,value,value,colour\n")
        with pytest.raises(gd.StructureError) as e:
            gd.read_rows(path)
        assert "column value repeated; missing columns unit, blank; unknown column colour" in str(
            e.value
        )

    def test_excel_bom(self, tmp_path: Path) -> None:
        """A CSV saved by Excel as UTF-8 (with a byte order mark) reads."""
        text = tmp_path / "plain.csv"
        gd.write_rows([MARKED], text)
        path = self._csv(tmp_path, b"\xef\xbb\xbf" + text.read_bytes())
        assert gd.from_rows(gd.read_rows(path)) == [MARKED]

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A CSV in another encoding (GBK, as Excel saves it in China) is refused, saying so."""
        path = self._csv(
            tmp_path,
            "agency,year,edition,key,value\n某局,2021,2021,t2.fees.amount,0\n".encode("gbk"),
        )
        with pytest.raises(gd.StructureError, match=r"not UTF-8 text .*save it as \"CSV UTF-8\""):
            gd.read_rows(path)

    def test_empty_file(self, tmp_path: Path) -> None:
        """An empty file has no header."""
        with pytest.raises(gd.StructureError, match="empty file: no header line"):
            gd.read_rows(self._csv(tmp_path, ""))

    def test_ragged_lines(self, tmp_path: Path) -> None:
        """Lines with too few or too many fields are all named by line (never silently cut)."""
        path = self._csv(
            tmp_path,
            "agency,year,edition,key,value\n某局,2021,2021\n\n某局,2021,2021,t2.fees.amount,0,9\n",
        )
        with pytest.raises(gd.StructureError) as e:
            gd.read_rows(path)
        assert [
            (f"{path}: line 2", "3 fields, expected 5"),
            (f"{path}: line 4", "6 fields, expected 5"),
        ] == e.value.errors

    def test_not_parquet(self, tmp_path: Path) -> None:
        """A file that is not Parquet is refused by name."""
        pytest.importorskip("pyarrow")
        path = tmp_path / "r.parquet"
        path.write_text("not parquet", encoding="utf-8")
        with pytest.raises(gd.StructureError, match=r"r\.parquet: not a readable Parquet file"):
            gd.read_rows(path)

    def test_other_parquet(self, tmp_path: Path) -> None:
        """A Parquet file of other columns names the missing ones."""
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        path = tmp_path / "r.parquet"
        pq.write_table(pa.table({"agency": ["某局"], "x": [1]}), path)
        with pytest.raises(
            gd.StructureError,
            match="missing columns year, edition, key, value, unit, blank; unknown column x",
        ):
            gd.read_rows(path)
        pq.write_table(pa.table({"x": [1]}), path)
        with pytest.raises(gd.StructureError, match="none of its 1 columns is ours"):
            gd.read_rows(path)

    def test_year_beyond_parquet(self, tmp_path: Path) -> None:
        """A year too large for the Parquet int32 column is no report at all: the model refuses it (#15)."""
        with pytest.raises(gd.InvalidValueError, match=r"AnnualReport\.year"):
            gd.AnnualReport(agency="某局", year=2**31)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is an OSError (not a format error)."""
        pytest.importorskip("pyarrow")
        for name in ("nope.csv", "nope.parquet"):
            with pytest.raises(FileNotFoundError):
                gd.read_rows(tmp_path / name)


def _corpus_report(path: Path) -> gd.AnnualReport:
    """A report from a corpus ground truth: blank cells read as 0 and marked, units split off."""
    truth = json.loads(path.read_text(encoding="utf-8"))
    edition = gd.Edition(truth["edition"])
    cat = gd.catalogue(edition)
    values: dict[str, int | Decimal] = {}
    blank = set()
    unit = None
    for key, cell in cat.cells.items():
        if cell.optional:
            continue
        v = truth["cells"].get(key)
        if v is None:
            blank.add(key)
            v = 0
        if isinstance(v, str):
            digits = v.rstrip("元万")
            unit = v[len(digits) :] or unit
            v = Decimal(digits)
        elif cell.kind is gd.ValueKind.MONEY:
            v = Decimal(v)
        values[key] = v
    r = gd.from_cells(values, agency=truth["agency"], year=truth["year"], edition=edition)
    if unit and isinstance(r.proactive, gd.Proactive2019):
        r = attrs.evolve(
            r,
            proactive=attrs.evolve(
                r.proactive, procurement=attrs.evolve(r.proactive.procurement, amount_unit=unit)
            ),
        )
    return attrs.evolve(r, blank_cells=frozenset(blank))
