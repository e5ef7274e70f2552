"""
Core speed: ``check()`` and construction per report, next to a plain-dict implementation of the same work.

The workload is a fixed batch of 40 valid reports per edition (seeded, so every
run measures the same numbers): a mix of all-zero reports, as small agencies
publish, and busy ones with thousands of applications.  Each benchmark
processes the whole batch; divide by the batch size for the time per report.

Alternatives, in the same run:

- ``check``: :func:`gov_disclosure.check` on the model (it flattens the report
  to cells, evaluates every identity and soft rule, builds findings) versus a
  plain-dict checker written below, given the cell dict directly, with its
  key lists prepared once (as the library caches its equations).  A third
  variant times the plain checker including the flattening, :func:`gov_disclosure.cells`.
- ``construct``: :func:`gov_disclosure.from_cells` (key check, per-value
  validation, attrs classes with validators) versus a plain-dict loader that
  checks the same keys and values and returns the dict; and the attrs model
  built directly from its nested constructors (no key mapping).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

import gov_disclosure as gd

BATCH = 40
AC = gd.ApplicantCounts


def _row(rng: random.Random, top: int) -> gd.ApplicantCounts:
    if top == 0:
        return AC.zero()
    return AC.of(
        natural_person=rng.randint(0, top),
        commercial=rng.randint(0, top // 5),
        research=rng.choice((0, 0, rng.randint(0, 3))),
        social_welfare=rng.choice((0, 0, rng.randint(0, 3))),
        legal_service=rng.randint(0, top // 10),
        other_org=rng.randint(0, top // 10),
    )


def _groups(rng: random.Random, cls: type, top: int) -> Any:
    return cls(**{f.name: _row(rng, rng.choice((0, top))) for f in attrs.fields(cls)})


def make_report(edition: gd.Edition, seed: int) -> gd.AnnualReport:
    """A valid report of *edition*: zero for every fourth seed, else busy (up to ~1000 per cell)."""
    rng = random.Random(seed)
    top = 0 if seed % 4 == 0 else rng.choice((5, 50, 1000))
    other = _row(rng, top) if edition is gd.Edition.V2019 else _groups(rng, gd.OtherHandling, top)
    req = gd.Requests.of(
        granted=_row(rng, top),
        partial=_row(rng, top),
        deny=_groups(rng, gd.Denials, top),
        unable=_groups(rng, gd.Unable, top),
        not_processed=_groups(rng, gd.NotProcessed, top),
        other=other,
        carried_forward=AC.zero(),
    )
    # New applications are what the outcomes used, plus a little carried forward.
    forward = _row(rng, top // 10)
    new = req.total_processed + forward
    req = gd.Requests(
        new_received=new,
        carried_over=AC.zero(),
        granted=req.granted,
        partial=req.partial,
        deny=req.deny,
        unable=req.unable,
        not_processed=req.not_processed,
        other=req.other,
        total_processed=req.total_processed,
        carried_forward=forward,
    )
    appeals = gd.Appeals(
        review=gd.AppealCounts.of(upheld=rng.randint(0, 3), corrected=rng.randint(0, 1)),
        litigation_direct=gd.AppealCounts.of(upheld=rng.randint(0, 2), pending=rng.randint(0, 2)),
    )
    if edition is gd.Edition.V2021:
        docs = gd.Documents2021(
            issued=rng.randint(0, 9), repealed=rng.randint(0, 3), in_force=rng.randint(0, 90)
        )
        proactive: gd.Proactive2019 | gd.Proactive2021 = gd.Proactive2021(
            regulations=docs,
            normative_documents=docs,
            licensing=gd.Decisions(decisions=rng.randint(0, top * 10)),
            fees=gd.FeeAmount(amount=Decimal(rng.randint(0, 10**6)) / 100),
        )
    else:
        items = gd.Items2019(
            last_year_items=rng.randint(0, 90),
            change=rng.randint(-5, 5),
            decisions=rng.randint(0, top),
        )
        proactive = gd.Proactive2019(
            licensing=items,
            punishment=items,
            procurement=gd.Procurement2019(
                items=rng.randint(0, 20), amount=Decimal(rng.randint(0, 10**6))
            ),
        )
    return gd.AnnualReport(
        agency="某局",
        year=2020 if edition is gd.Edition.V2019 else 2022,
        edition=edition,
        proactive=proactive,
        requests=req,
        appeals=appeals,
        other_matters=gd.OtherMatters(paragraphs=("本年度未收取信息处理费。",)),
    )


# --- the plain-dict implementation -----------------------------------------


class PlainChecker:
    """H1, A2, A1 and A3 over a ``{cell key: value}`` dict, key lists prepared once per edition."""

    def __init__(self, edition: gd.Edition) -> None:
        part = gd.catalogue(edition).table("t3").parts[0]
        rows = [r.key for r in part.rows]
        cols = [c.key for c in part.columns]
        outcomes = rows[rows.index("granted") : rows.index("total_processed")]
        self.balance = [
            (
                c,
                (f"t3.new_received.{c}", f"t3.carried_over.{c}"),
                (f"t3.total_processed.{c}", f"t3.carried_forward.{c}"),
            )
            for c in cols
        ]
        self.outcome = [
            (c, tuple(f"t3.{r}.{c}" for r in outcomes), f"t3.total_processed.{c}") for c in cols
        ]
        self.row = [(r, tuple(f"t3.{r}.{c}" for c in cols[:-1]), f"t3.{r}.total") for r in rows]
        self.appeals = [
            (
                g,
                tuple(f"t4.{g}.{p}" for p in ("upheld", "corrected", "other", "pending")),
                f"t4.{g}.total",
            )
            for g in ("review", "litigation_direct", "litigation_after_review")
        ]

    def __call__(self, c: dict[str, Any]) -> list[tuple[str, str, int, int]]:
        out = []
        for col, (a, b), (x, y) in self.balance:
            lhs, rhs = c[a] + c[b], c[x] + c[y]
            if lhs != rhs:
                out.append(("requests.balance", col, lhs, rhs))
        for col, parts, total in self.outcome:
            s = sum(c[k] for k in parts)
            if s != c[total]:
                out.append(("requests.outcome_total", col, s, c[total]))
        for r, parts, total in self.row:
            s = sum(c[k] for k in parts)
            if s != c[total]:
                out.append(("requests.row_total", r, s, c[total]))
        for g, parts, total in self.appeals:
            s = sum(c[k] for k in parts)
            if s != c[total]:
                out.append(("appeals.total", g, s, c[total]))
        return out


class PlainLoader:
    """Checks the keys and values of a cell dict as ``from_cells`` does, and returns the dict."""

    def __init__(self, edition: gd.Edition) -> None:
        cat = gd.catalogue(edition)
        self.kinds = {k: c.kind for k, c in cat.cells.items()}
        self.required = frozenset(k for k, c in cat.cells.items() if not c.optional)

    def __call__(self, values: dict[str, Any]) -> dict[str, Any]:
        unknown = [k for k in values if k not in self.kinds]
        missing = self.required - values.keys()
        bad = []
        for k, v in values.items():
            kind = self.kinds.get(k)
            if kind is gd.ValueKind.MONEY:
                if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
                    bad.append(k)
            elif type(v) is not int or (kind is gd.ValueKind.COUNT and v < 0):
                bad.append(k)
        if unknown or missing or bad:
            raise ValueError((unknown, sorted(missing), bad))
        return dict(values)


# --- fixtures ----------------------------------------------------------------

EDITIONS = [gd.Edition.V2019, gd.Edition.V2021]


@pytest.fixture(scope="module", params=EDITIONS, ids=lambda e: e.value)
def batch(
    request: pytest.FixtureRequest,
) -> tuple[gd.Edition, list[gd.AnnualReport], list[dict[str, Any]]]:
    """The reports of one edition and their cell dicts; sanity-checked before timing."""
    edition: gd.Edition = request.param
    reports = [make_report(edition, seed) for seed in range(BATCH)]
    cells = [gd.cells(r) for r in reports]
    plain = PlainChecker(edition)
    for r, c in zip(reports, cells, strict=True):
        assert [f for f in gd.check(r) if f.severity is gd.Severity.ERROR] == []
        assert plain(c) == []
    # Both checkers see the same broken cell.
    broken = dict(cells[1], **{"t3.granted.total": cells[1]["t3.granted.total"] + 1})
    ours = {
        (f.rule, f.subject)
        for f in gd.check(gd.from_cells(broken, agency="某局", year=reports[1].year))
    }
    assert {(r, s) for r, s, _, _ in plain(broken)} <= ours
    return edition, reports, cells


@pytest.fixture(scope="module")
def broken(batch: Any) -> tuple[gd.Edition, list[gd.AnnualReport], list[dict[str, Any]]]:
    """The same batch with one more 自然人 granted in each report: findings of A1 and A2 to build."""
    edition, reports, cells = batch
    out_cells = [
        dict(c, **{"t3.granted.natural_person": c["t3.granted.natural_person"] + 1}) for c in cells
    ]
    out = [
        attrs.evolve(gd.from_cells(c, agency="某局", year=r.year), other_matters=r.other_matters)
        for r, c in zip(reports, out_cells, strict=True)
    ]
    plain = PlainChecker(edition)
    for r, c in zip(out, out_cells, strict=True):
        assert {(f.rule, f.subject) for f in gd.check(r)} == {(a, b) for a, b, _, _ in plain(c)}
    return edition, out, out_cells


def _each(fn: Callable[[Any], Any], items: list[Any]) -> Callable[[], None]:
    def run() -> None:
        for item in items:
            fn(item)

    return run


# --- check ---------------------------------------------------------------------


@pytest.mark.benchmark(group="check")
def test_check_model(benchmark: Any, batch: Any) -> None:
    """gd.check() over the batch."""
    _, reports, _ = batch
    benchmark(_each(gd.check, reports))


@pytest.mark.benchmark(group="check")
def test_check_plain_dict(benchmark: Any, batch: Any) -> None:
    """The plain-dict checker over the batch's cell dicts."""
    edition, _, cells = batch
    benchmark(_each(PlainChecker(edition), cells))


@pytest.mark.benchmark(group="check")
def test_check_plain_dict_with_flattening(benchmark: Any, batch: Any) -> None:
    """gd.cells() then the plain-dict checker: what check() does before building findings."""
    edition, reports, _ = batch
    plain = PlainChecker(edition)
    benchmark(_each(lambda r: plain(gd.cells(r)), reports))


@pytest.mark.benchmark(group="check-findings")
def test_check_model_with_findings(benchmark: Any, broken: Any) -> None:
    """gd.check() over reports that each have two findings (the general path, findings built)."""
    _, reports, _ = broken
    benchmark(_each(gd.check, reports))


@pytest.mark.benchmark(group="check-findings")
def test_check_plain_dict_with_findings(benchmark: Any, broken: Any) -> None:
    """The plain-dict checker over the same broken cell dicts (tuples instead of findings)."""
    edition, _, cells = broken
    benchmark(_each(PlainChecker(edition), cells))


# --- construction ----------------------------------------------------------------


@pytest.mark.benchmark(group="construct")
def test_construct_from_cells(benchmark: Any, batch: Any) -> None:
    """gd.from_cells() over the batch's cell dicts."""
    _, reports, cells = batch
    year = reports[0].year
    benchmark(_each(lambda c: gd.from_cells(c, agency="某局", year=year), cells))


@pytest.mark.benchmark(group="construct")
def test_construct_plain_dict(benchmark: Any, batch: Any) -> None:
    """The plain-dict loader (same key and value checks, no objects) over the batch."""
    edition, _, cells = batch
    benchmark(_each(PlainLoader(edition), cells))


@pytest.mark.benchmark(group="construct")
def test_construct_attrs_direct(benchmark: Any, batch: Any) -> None:
    """The model rebuilt with its own constructors (every validator runs), no cell-key mapping."""
    _, reports, _ = batch

    def rebuild(obj: Any) -> Any:
        if attrs.has(type(obj)):
            return type(obj)(
                **{f.name: rebuild(getattr(obj, f.name)) for f in attrs.fields(type(obj))}
            )
        return obj

    benchmark(_each(rebuild, reports))
