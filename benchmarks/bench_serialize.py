"""
Serialization speed: from_json + check, to_json and check, as ratios to orjson.loads on the same bytes.

The synthetic document is a realistic 2021-edition report of about 9 KB (a
city bureau's numbers and narrative); the corpus documents are the reports
of ``tests/corpus`` as parsed (their cells are the hand-verified ground
truth; some have findings and over a hundred blank cells), written with
``to_json``.  Alternatives decode the same bytes in the same run: msgspec
Structs with the identity checks, pydantic v2 strict models with one model
validator, and cattrs with default settings (lenient).  The mirrors are
generated from the model, so they have the same shape.

The targets are ratios, measured by ``test_ratios_*``: every contender timed
in alternation in one process (``benchmarks/_ratios.py``), ``to_json`` on a
freshly decoded report each call (encoding one object again and again lets
the encoder reuse what it cached on its strings); min and median; written to
``benchmarks/results/serialize.json`` for ``docs/performance.md``.  The
other tests give pytest-benchmark's own table of each contender alone.
"""

from __future__ import annotations

import operator
import re
import statistics
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import attrs
import msgspec
import orjson
import pydantic
import pytest
from cattrs.preconf.orjson import make_converter

import gov_disclosure as gd
from gov_disclosure.rules._check import _clean
from gov_disclosure.rules._equations import _equations
from gov_disclosure.serialize._kinds import field_kind, section_types

from ._ratios import alternate, record, same

ED = gd.Edition.V2021

_SENTENCES = (
    "我局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，"
    "认真执行《中华人民共和国政府信息公开条例》，进一步加强政府信息公开工作。",
    "围绕优化营商环境、市场监管执法、民生保障等重点领域，及时准确公开政策文件、"
    "行政许可、行政处罚等信息，全年通过门户网站主动公开政府信息一千余条。",
    "严格落实依申请公开办理程序，规范受理、登记、审核、答复等环节，做到依法依规、"
    "按时答复，申请人满意度持续提升。",
    "加强政府信息公开平台建设，优化网站栏目设置，完善政务新媒体管理，拓宽公开渠道。",
)


def _paragraphs(n: int, seed: int) -> tuple[str, ...]:
    return tuple(_SENTENCES[(seed + i) % 4] + _SENTENCES[(seed + i + 1) % 4] for i in range(n))


def realistic_report() -> gd.AnnualReport:
    """A 2021-edition report as a city bureau publishes it: every table filled, narratives."""
    row = gd.ApplicantCounts.of
    requests = gd.Requests.of(
        new_received=row(
            natural_person=412, commercial=37, research=2, legal_service=9, other_org=5
        ),
        carried_over=row(natural_person=21, commercial=3),
        granted=row(natural_person=198, commercial=17, legal_service=3, other_org=2),
        partial=row(natural_person=41, commercial=6, research=1),
        deny=gd.Denials(
            state_secret=row(natural_person=2),
            third_party=row(natural_person=7, commercial=2),
            process_info=row(natural_person=11),
            enforcement_file=row(natural_person=4, legal_service=1),
        ),
        unable=gd.Unable(
            not_held=row(natural_person=88, commercial=8, legal_service=2),
            needs_creation=row(natural_person=9),
            unclear_after_correction=row(natural_person=6),
        ),
        not_processed=gd.NotProcessed(
            petition=row(natural_person=14), duplicate=row(natural_person=8, commercial=1)
        ),
        other=gd.OtherHandling(
            no_correction=row(natural_person=5),
            unpaid_fee=row(natural_person=1),
            other=row(natural_person=3, research=1),
        ),
    )
    appeals = gd.Appeals(
        review=gd.AppealCounts.of(upheld=9, corrected=2, other=1, pending=1),
        litigation_direct=gd.AppealCounts.of(upheld=4, pending=2),
        litigation_after_review=gd.AppealCounts.of(upheld=1),
    )
    docs = gd.Documents2021
    return gd.AnnualReport(
        agency="某市市场监督管理局",
        year=2023,
        preamble=_paragraphs(1, 0),
        general=gd.General(
            paragraphs=_paragraphs(2, 1),
            subsections=tuple(
                gd.Subsection(heading=h, paragraphs=_paragraphs(2, i))
                for i, h in enumerate(
                    ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）平台建设")
                )
            ),
        ),
        proactive=gd.Proactive2021(
            regulations=docs(issued=0, repealed=0, in_force=3),
            normative_documents=docs(issued=6, repealed=2, in_force=41),
            licensing=gd.Decisions(decisions=18234),
            punishment=gd.Decisions(decisions=2107),
            coercion=gd.Decisions(decisions=96),
            fees=gd.FeeAmount(amount=Decimal("4068.208")),
        ),
        requests=requests,
        appeals=appeals,
        problems=gd.Problems(paragraphs=_paragraphs(2, 2)),
        other_matters=gd.OtherMatters(
            paragraphs=_paragraphs(1, 3),
            fees=gd.InformationFees(
                notices=1, notified_amount=Decimal("120.00"), collected_amount=Decimal("0")
            ),
        ),
    )


REPORT = realistic_report()
DATA = gd.to_json(REPORT)


# --- mirrors of the model, generated from it --------------------------------

_NONNEG = Annotated[int, msgspec.Meta(ge=0)]
# msgspec reads a Decimal from a JSON string (and, leniently, from a number; no bound).
_MONEY = Decimal


def _mirror(kind_of: Any, make: Any, cls: type, done: dict[type, Any]) -> Any:
    if cls in done:
        return done[cls]
    fields = []
    for f in attrs.fields(cls):
        if cls is gd.AnnualReport and f.name == "edition":
            fields.append((f.name, str))
            continue
        fields.append((f.name, kind_of(cls, f, done)))
    if cls is gd.AnnualReport:
        fields.insert(0, ("schema", str))
    done[cls] = make(cls.__name__, fields)
    return done[cls]


def _kind(scalars: dict[str, Any], seq: Any, opt: Any, make: Any) -> Any:
    def kind_of(cls: type, f: attrs.Attribute[Any], done: dict[type, Any]) -> Any:
        types = section_types(ED)
        if cls is gd.AnnualReport and f.name == "proactive":
            return _mirror(kind_of, make, types["proactive"], done)
        if cls is gd.AnnualReport and f.name == "requests":
            return _mirror(kind_of, make, gd.Requests, done)
        if cls is gd.AnnualReport and f.name == "blank_cells":
            return seq(str)
        if cls is gd.Requests and f.name == "other":
            return _mirror(kind_of, make, types["other"], done)
        k = field_kind(cls, f)
        if isinstance(k, str):
            return scalars[k]
        if isinstance(k, tuple) and k[0] == "seq":
            return seq(_mirror(kind_of, make, k[1], done))
        if isinstance(k, tuple) and k[0] == "optional":
            return opt(_mirror(kind_of, make, k[1], done))
        return _mirror(kind_of, make, k, done)

    return kind_of


_MS_SCALARS = {
    "count": _NONNEG,
    "signed": int,
    "year": int,
    "money": _MONEY,
    "text": str,
    "texts": list[str],
    "optional_count": _NONNEG | None,
    "optional_money": _MONEY | None,
    "optional_text": str | None,
}
_ms_make = lambda name, fields: msgspec.defstruct(name, fields, forbid_unknown_fields=True)  # noqa: E731
MsReport = _mirror(
    _kind(_MS_SCALARS, lambda t: list[t], lambda t: t | None, _ms_make),
    _ms_make,
    gd.AnnualReport,
    {},
)
_MS_DECODER = msgspec.json.Decoder(MsReport)

_P = pydantic.Field
_PD_SCALARS = {
    "count": Annotated[int, _P(ge=0)],
    "signed": int,
    "year": int,
    "money": Annotated[Decimal, _P(ge=0, allow_inf_nan=False)],
    "text": str,
    "texts": list[str],
    "optional_count": Annotated[int, _P(ge=0)] | None,
    "optional_money": Annotated[Decimal, _P(ge=0, allow_inf_nan=False)] | None,
    "optional_text": str | None,
}
_PD_CONFIG = pydantic.ConfigDict(strict=True, extra="forbid", frozen=True)


def _pd_make(name: str, fields: list[tuple[str, Any]]) -> Any:
    ns: dict[str, Any] = {n: (t, ...) for n, t in fields if n != "schema"}
    if any(n == "schema" for n, _ in fields):  # BaseModel.schema exists: use an alias
        ns["schema_"] = (str, _P(alias="schema"))
    if name == "AnnualReport":
        return pydantic.create_model(
            name, __config__=_PD_CONFIG, __validators__={"identities": _pd_identities}, **ns
        )  # type: ignore[call-overload]
    return pydantic.create_model(name, __config__=_PD_CONFIG, __base__=None, **ns)  # type: ignore[call-overload]


#: The same straight-line checks as gov_disclosure.check's clean test, usable on any
#: object of the report's shape (the mirrors have the same attribute names).
_CLEAN = _clean(ED)

_GETTERS = [
    (
        tuple(operator.attrgetter(".".join(gd.catalogue(ED).cells[k].attr_path)) for k in eq.lhs),
        tuple(operator.attrgetter(".".join(gd.catalogue(ED).cells[k].attr_path)) for k in eq.rhs),
    )
    for eq in _equations(ED)
]


def _identities(obj: Any) -> list[int]:
    """The hard identities on any object of the report's shape: indexes of broken equations."""
    return [
        i
        for i, (lhs, rhs) in enumerate(_GETTERS)
        if sum(g(obj) for g in lhs) != sum(g(obj) for g in rhs)
    ]


@pydantic.model_validator(mode="after")
def _pd_identities(self: Any) -> Any:
    if not _CLEAN(self):
        _identities(self)
    return self


PdReport = _mirror(
    _kind(_PD_SCALARS, lambda t: list[t], lambda t: t | None, _pd_make),
    _pd_make,
    gd.AnnualReport,
    {},
)

_DEFAULT = make_converter()
_DEFAULT.register_structure_hook(Decimal, lambda v, _: Decimal(v))
_DEFAULT.register_structure_hook(
    gd.Proactive2019 | gd.Proactive2021,
    lambda v, _: _DEFAULT.structure(
        v, gd.Proactive2021 if "issued" in v["regulations"] else gd.Proactive2019
    ),
)
_DEFAULT.register_structure_hook(
    gd.ApplicantCounts | gd.OtherHandling,
    lambda v, _: _DEFAULT.structure(
        v, gd.OtherHandling if "unpaid_fee" in v else gd.ApplicantCounts
    ),
)


def _cattrs_default(data: bytes) -> gd.AnnualReport:
    d = orjson.loads(data)
    del d["schema"]
    return _DEFAULT.structure(d, gd.AnnualReport)


# --- benchmarks -------------------------------------------------------------


@pytest.mark.benchmark(group="from_json")
def test_orjson_loads(benchmark: Any) -> None:
    """Baseline: orjson.loads into dicts (after checking that every contender reads the document)."""
    # A realistic ~11 KB report that checks clean, read alike by every contender.
    assert 9_000 < len(DATA) < 13_000, len(DATA)
    assert gd.check(REPORT) == []
    assert _cattrs_default(DATA) == REPORT
    assert gd.from_json(DATA) == REPORT
    assert _identities(_MS_DECODER.decode(DATA)) == []
    assert _CLEAN(_MS_DECODER.decode(DATA))
    assert PdReport.model_validate_json(DATA).agency == REPORT.agency
    benchmark(orjson.loads, DATA)


@pytest.mark.benchmark(group="from_json")
def test_from_json_check(benchmark: Any) -> None:
    """gov_disclosure.from_json then check(): bytes to strict model to findings."""
    benchmark(lambda: gd.check(gd.from_json(DATA)))


@pytest.mark.benchmark(group="from_json")
def test_from_json(benchmark: Any) -> None:
    """gov_disclosure.from_json alone."""
    benchmark(gd.from_json, DATA)


@pytest.mark.benchmark(group="from_json")
def test_from_json_decode_part(benchmark: Any) -> None:
    """The C half of from_json: msgspec decoding and checking into the mirror Structs."""
    from gov_disclosure.serialize._fast import _msgspec

    fast = _msgspec()
    assert fast is not None
    decode, _ = fast
    benchmark(decode, DATA)


@pytest.mark.benchmark(group="from_json")
def test_from_json_build_part(benchmark: Any) -> None:
    """The Python half of from_json: the frozen attrs objects built from the mirror."""
    from gov_disclosure.serialize._fast import _msgspec

    fast = _msgspec()
    assert fast is not None
    decode, builders = fast
    doc = decode(DATA)
    build = builders[type(doc)]
    assert build(doc) == REPORT
    # How much the generated code may build (rows of zeros are shared, not built).
    source = build.__doc__ or ""
    benchmark.extra_info.update(
        max_objects=source.count("new("), max_slot_writes=len(re.findall(r"\bS_\w+\(", source))
    )
    benchmark(build, doc)


@pytest.mark.benchmark(group="from_json")
def test_from_dict_orjson(benchmark: Any) -> None:
    """The dict fast path: orjson.loads then the generated builder (from_json without msgspec)."""
    benchmark(lambda: gd.from_dict(orjson.loads(DATA)))


@pytest.mark.benchmark(group="from_json")
def test_from_json_strict_path(benchmark: Any) -> None:
    """The strict cattrs hooks alone (the path that explains errors)."""
    from gov_disclosure.serialize import _strict

    benchmark(lambda: _strict(orjson.loads(DATA)))


@pytest.mark.benchmark(group="from_json")
def test_msgspec_structs_check(benchmark: Any) -> None:
    """msgspec Structs of the same shape (constraints, no unknown fields) + the identities."""
    benchmark(lambda: _CLEAN(_MS_DECODER.decode(DATA)) or _identities(_MS_DECODER.decode(DATA)))


@pytest.mark.benchmark(group="from_json")
def test_pydantic_strict(benchmark: Any) -> None:
    """pydantic v2 strict models of the same shape with one model validator (the identities)."""
    benchmark(PdReport.model_validate_json, DATA)


@pytest.mark.benchmark(group="from_json")
def test_cattrs_default(benchmark: Any) -> None:
    """cattrs with default settings (lenient) into the same attrs classes."""
    benchmark(_cattrs_default, DATA)


@pytest.mark.benchmark(group="from_json")
def test_to_json(benchmark: Any) -> None:
    """gov_disclosure.to_json of a freshly decoded report each round (never one object twice)."""
    benchmark.pedantic(
        gd.to_json, setup=lambda: ((gd.from_json(DATA),), {}), rounds=2000, warmup_rounds=20
    )


@pytest.mark.benchmark(group="from_json")
def test_check(benchmark: Any) -> None:
    """gov_disclosure.check alone."""
    benchmark(gd.check, REPORT)


def _retained(build: Any) -> float:
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    objs = [build() for _ in range(200)]
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    size = sum(s.size_diff for s in after.compare_to(before, "filename"))
    del objs
    return size / 200


def test_memory_per_report(benchmark: Any) -> None:
    """Memory per report instance (tracemalloc), attrs model vs a msgspec Struct of the same shape."""
    ours = benchmark.pedantic(_retained, args=(lambda: gd.from_json(DATA),), rounds=1)
    theirs = _retained(lambda: _MS_DECODER.decode(DATA))
    benchmark.extra_info.update(attrs_bytes=ours, msgspec_bytes=theirs)
    print(
        f"\nmemory per report: attrs {ours:.0f} B, msgspec {theirs:.0f} B, ratio {ours / theirs:.2f}"
    )
    assert ours > 0
    assert theirs > 0


# --- the targets: ratios in one run, alternating, on the corpus too -----------

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
_COMMAND = (
    "make bench  # or: pytest benchmarks/bench_serialize.py -k ratios --benchmark-only "
    "-o python_files='bench_*.py' -s"
)


def corpus_documents() -> dict[str, bytes]:
    """Each corpus report, as parsed from its published document (the cells its ground truth lists), as JSON."""
    docs = sorted(p for p in CORPUS.rglob("*.*") if p.suffix not in (".json", ".md"))
    assert len(docs) >= 9, docs
    return {p.name: gd.to_json(gd.parse(p.read_bytes()).report) for p in docs}


def _contenders(data: bytes) -> dict[str, Any]:
    return {
        "orjson.loads": (same(data), orjson.loads),
        "from_json": (same(data), gd.from_json),
        "check(from_json)": (same(data), lambda b: gd.check(gd.from_json(b))),
        # A fresh report each call: decoded in the setup, not timed.
        "to_json": (lambda: gd.from_json(data), gd.to_json),
    }


def _ratios(times: dict[str, tuple[float, float]]) -> dict[str, Any]:
    base_min, base_med = times["orjson.loads"]
    return {
        name: {
            "min_us": round(t_min * 1e6, 2),
            "median_us": round(t_med * 1e6, 2),
            "ratio_min": round(t_min / base_min, 3),
            "ratio_median": round(t_med / base_med, 3),
        }
        for name, (t_min, t_med) in times.items()
    }


def test_ratios_serialize(benchmark: Any) -> None:
    """
    The targets in one run: check(from_json(b)) and to_json against orjson.loads(b).

    On the synthetic report (with msgspec, pydantic and default cattrs
    alongside) and on every corpus document; the mean and the worst ratio
    over the corpus are the figures of the targets (check(from_json) <= 1.5x
    on average and <= 3x at worst, to_json <= 1.2x).
    """
    corpus = corpus_documents()

    def run() -> dict[str, Any]:
        synthetic = _contenders(DATA) | {
            "msgspec Structs + checks": (
                same(DATA),
                lambda b: _CLEAN(_MS_DECODER.decode(b)) or _identities(_MS_DECODER.decode(b)),
            ),
            "pydantic v2 strict + checks": (same(DATA), PdReport.model_validate_json),
            "cattrs, default settings": (same(DATA), _cattrs_default),
        }
        out: dict[str, Any] = {"synthetic": _ratios(alternate(synthetic))}
        out["corpus"] = {}
        for name, data in corpus.items():
            report = gd.from_json(data)
            figures = _ratios(alternate(_contenders(data), rounds=30))
            out["corpus"][name] = {
                "bytes": len(data),
                "findings": len(gd.check(report)),
                "blank_cells": len(report.blank_cells),
                **figures,
            }
        for what in ("check(from_json)", "to_json", "from_json"):
            by_min = [d[what]["ratio_min"] for d in out["corpus"].values()]
            by_med = [d[what]["ratio_median"] for d in out["corpus"].values()]
            out.setdefault("corpus_summary", {})[what] = {
                "mean_ratio_min": round(statistics.mean(by_min), 3),
                "worst_ratio_min": round(max(by_min), 3),
                "mean_ratio_median": round(statistics.mean(by_med), 3),
                "worst_ratio_median": round(max(by_med), 3),
            }
        return out

    result = benchmark.pedantic(run, rounds=1, iterations=1)
    result["synthetic_bytes"] = len(DATA)
    benchmark.extra_info.update(result["corpus_summary"])
    record("serialize", result, command=[_COMMAND])
    summary = result["corpus_summary"]
    print(
        "\ncorpus, x orjson.loads by the min (mean / worst): "
        + "; ".join(
            f"{k} {v['mean_ratio_min']:.2f} / {v['worst_ratio_min']:.2f}"
            for k, v in summary.items()
        )
    )
    assert result["corpus"]
