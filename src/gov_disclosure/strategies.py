"""
Hypothesis strategies for annual reports, for the property tests of integrators' own code.

Needs the ``hypothesis`` extra (``pip install "gov-disclosure[hypothesis]"``).

:func:`reports` draws valid reports of either edition: every identity of
section 三 and 四 holds, magnitudes range from the all-zero reports small
agencies publish to very large ones.  :func:`broken_reports` draws reports in
which exactly one named identity is broken (and every other holds), for
testing that a system notices.

>>> from hypothesis import given
>>> import gov_disclosure as gd
>>> @given(reports())
... def test_valid(report):
...     assert not [f for f in gd.check(report) if f.severity is gd.Severity.ERROR]
>>> test_valid()

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from .catalogue import APPLICANT_COLUMNS, MONEY_UNITS, Edition, last_year
from .cells import cells
from .errors import MissingExtraError
from .model import (
    AnnualReport,
    AppealCounts,
    Appeals,
    ApplicantCounts,
    Decisions,
    Denials,
    Documents2019,
    Documents2021,
    FeeAmount,
    FeeItems2019,
    General,
    InformationFees,
    Items2019,
    NotProcessed,
    OtherHandling,
    OtherMatters,
    Proactive2019,
    Proactive2021,
    Problems,
    Procurement2019,
    Requests,
    Subsection,
    Unable,
)

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as _missing:  # pragma: no cover -- tests/test_extras.py
    raise MissingExtraError(
        "gov_disclosure.strategies", "hypothesis", _missing.name or "hypothesis"
    ) from None

__all__ = [
    "BREAKABLE_RULES",
    "appeal_counts",
    "applicant_counts",
    "broken_reports",
    "counts",
    "editions",
    "money",
    "paragraphs",
    "reports",
]

T = TypeVar("T")

#: The rules :func:`broken_reports` can break: the hard identities.
BREAKABLE_RULES: tuple[str, ...] = (
    "requests.balance",
    "requests.outcome_total",
    "requests.row_total",
    "appeals.total",
)

_PARTS = tuple(c.key for c in APPLICANT_COLUMNS[:-1])

_AGENCIES = (
    "某市人民政府办公室",
    "某县科技和工业信息化局",
    "某区市场监督管理局",
    "某省自然资源厅",
    "某镇人民政府",
    "某市信访局",
)


def editions() -> st.SearchStrategy[Edition]:
    """Either edition."""
    return st.sampled_from(list(Edition))


@st.composite
def counts(draw: st.DrawFn, max_value: int | None = None) -> int:
    """
    A count as reports print them: often 0, often small, sometimes large.

    Args:
        max_value: The largest value; drawn per call from a ladder of
            magnitudes (0 to 1,000,000) when ``None``.
    """
    top = max_value if max_value is not None else draw(st.sampled_from((0, 3, 50, 5000, 10**6)))
    return draw(_count_values(top))


@functools.cache
def _count_values(top: int) -> st.SearchStrategy[int]:
    # Built once per magnitude: a fresh strategy object per draw would be
    # validated again each time, which made drawing a report ~3x slower.
    if top == 0:
        return st.just(0)
    return st.one_of(st.just(0), st.integers(0, min(top, 9)), st.integers(0, top))


@functools.cache
def _row_parts(top: int) -> st.SearchStrategy[tuple[int, ...]]:
    return st.tuples(*(_count_values(top),) * len(_PARTS))


def money(max_value: int = 10**7) -> st.SearchStrategy[Decimal]:
    """
    A non-negative amount with up to four decimals, as printed (``4068.208``).

    Whole amounts have exponent 0 (``Decimal('100')``, never ``Decimal('1E+2')``),
    so that they print as agencies write them.
    """
    return st.decimals(
        min_value=0, max_value=max_value, places=4, allow_nan=False, allow_infinity=False
    ).map(lambda d: d.to_integral_value() if d == d.to_integral_value() else d)


@st.composite
def applicant_counts(draw: st.DrawFn, max_value: int | None = None) -> ApplicantCounts:
    """A section 三 row whose total is the sum of its parts."""
    top = max_value if max_value is not None else draw(st.sampled_from((0, 3, 50, 5000)))
    return ApplicantCounts.of(**dict(zip(_PARTS, draw(_row_parts(top)), strict=True)))


@st.composite
def appeal_counts(draw: st.DrawFn, max_value: int | None = None) -> AppealCounts:
    """A section 四 group whose total is the sum of its parts."""
    top = max_value if max_value is not None else draw(st.sampled_from((0, 3, 50)))
    c = _count_values(top)
    return AppealCounts.of(upheld=draw(c), corrected=draw(c), other=draw(c), pending=draw(c))


def _fill(draw: st.DrawFn, cls: type[T], row: st.SearchStrategy[Any]) -> T:
    return cls(**{f.name: draw(row) for f in attrs.fields(cls)})  # type: ignore[arg-type]


@st.composite
def _requests(draw: st.DrawFn, edition: Edition, top: int) -> Requests:
    row = applicant_counts(top)
    other: ApplicantCounts | OtherHandling = (
        draw(row) if edition is Edition.V2019 else _fill(draw, OtherHandling, row)
    )
    shell = Requests.of(
        granted=draw(row),
        partial=draw(row),
        deny=_fill(draw, Denials, row),
        unable=_fill(draw, Unable, row),
        not_processed=_fill(draw, NotProcessed, row),
        other=other,
        carried_forward=ApplicantCounts.zero(),
    )
    # Split "outcomes + carried forward" of each column between new and carried over.
    forward = draw(row)
    new, over = {}, {}
    for p in _PARTS:
        due = getattr(shell.total_processed, p) + getattr(forward, p)
        over[p] = draw(st.integers(0, due)) if due and draw(st.booleans()) else 0
        new[p] = due - over[p]
    return attrs.evolve(
        shell,
        new_received=ApplicantCounts.of(**new),
        carried_over=ApplicantCounts.of(**over),
        carried_forward=forward,
    )


@st.composite
def _proactive(draw: st.DrawFn, edition: Edition, top: int) -> Proactive2019 | Proactive2021:
    c = _count_values(top)
    if edition is Edition.V2021:
        docs = st.builds(Documents2021, issued=c, repealed=c, in_force=c)
        dec = st.builds(Decisions, decisions=c)
        return Proactive2021(
            regulations=draw(docs),
            normative_documents=draw(docs),
            licensing=draw(dec),
            punishment=draw(dec),
            coercion=draw(dec),
            fees=FeeAmount(amount=draw(money(10**5 - 1))),
        )
    change = st.integers(-top, top)
    items = st.builds(Items2019, last_year_items=c, change=change, decisions=c)

    @st.composite
    def docs19(d: st.DrawFn) -> Documents2019:
        new_published = d(c)
        return Documents2019(
            new_made=d(c),
            new_published=new_published,
            total_published=new_published + d(c),
        )

    return Proactive2019(
        regulations=draw(docs19()),
        normative_documents=draw(docs19()),
        licensing=draw(items),
        other_management_services=draw(items),
        punishment=draw(items),
        coercion=draw(items),
        fees=FeeItems2019(last_year_items=draw(c), change=draw(change)),
        procurement=Procurement2019(
            items=draw(c),
            amount=draw(money()),
            amount_unit=draw(st.sampled_from((None, *MONEY_UNITS))),
        ),
    )


_TEXT_ALPHABET = st.sampled_from(
    "政府信息公开工作年度报告本机关申请办理结果主动依法规范平台建设监督保障"
    "我局年月日进一步加强完善推进落实情况问题改进其他事项"
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "，、；：（）《》“”% "
)


def paragraphs() -> st.SearchStrategy[str]:
    """
    One paragraph as agencies write them: Chinese text with digits and punctuation, ending in 。.

    The text starts with a Chinese character and never looks like a section
    heading, a table cell or a number on its own, so it survives rendering and
    parsing unchanged.
    """
    head = st.sampled_from("我本在今全各为对")
    body = st.text(_TEXT_ALPHABET, max_size=60).map(lambda t: " ".join(t.split()))
    return st.builds(lambda h, b: f"{h}{b}。", head, body)


@st.composite
def reports(
    draw: st.DrawFn,
    edition: Edition | str | None = None,
    *,
    text: bool = True,
    max_count: int | None = None,
    blank_cells: bool = False,
) -> AnnualReport:
    """
    Valid reports: every identity of sections 三 and 四 holds.

    Args:
        edition: The edition to draw, or ``None`` for either.
        text: Draw narratives (preamble, sections 一, 五, 六) too; with
            ``False`` they are empty.
        max_count: The largest count; drawn per report from a ladder of
            magnitudes when ``None``, so that all-zero reports come up as
            often as large ones.
        blank_cells: Mark some of the zero cells as printed blank
            (``AnnualReport.blank_cells``), as parsed reports have them;
            with ``False`` (the default) no cell is blank, so that a report
            renders and parses back without blank-cell warnings.

    The 2019-edition procurement amount is drawn with and without a printed
    unit (``amount_unit`` ``None``, ``"元"``, ``"万元"``); an amount marked
    blank has none (the unit is printed in the amount's cell).

    The soft rules may still give warnings (e.g. a fee row without a
    section 六 mention): only the identities are guaranteed.
    """
    ed = Edition(edition) if edition is not None else draw(editions())
    top = max_count if max_count is not None else draw(st.sampled_from((0, 3, 50, 5000)))
    # Every year the model accepts for the edition's prescribed use (catalogue.last_year()).
    year = draw(st.integers(2019, 2020) if ed is Edition.V2019 else st.integers(2021, last_year()))
    texts = st.lists(paragraphs(), max_size=3).map(tuple) if text else st.just(())
    requests = draw(_requests(ed, top))
    fees = None
    if ed is Edition.V2021 and draw(st.booleans()):
        # At least one figure is stated: a record stating nothing prints as
        # nothing, and reads back as no record (fees=None).
        fees = draw(
            st.builds(
                InformationFees,
                notices=st.none() | counts(top),
                notified_amount=st.none() | money(10**6),
                collected_amount=st.none() | money(10**6),
            ).filter(
                lambda f: (f.notices, f.notified_amount, f.collected_amount) != (None, None, None)
            )
        )
    report = AnnualReport(
        agency=draw(st.sampled_from(_AGENCIES)),
        year=year,
        edition=ed,
        preamble=draw(texts),
        general=General(
            paragraphs=draw(texts),
            subsections=tuple(
                Subsection(heading=h, paragraphs=draw(texts))
                for h in draw(st.lists(paragraphs(), max_size=2 if text else 0))
            ),
        ),
        proactive=draw(_proactive(ed, top)),
        requests=requests,
        appeals=_fill(draw, Appeals, appeal_counts(top)),
        problems=Problems(paragraphs=draw(texts)),
        other_matters=OtherMatters(paragraphs=draw(texts), fees=fees),
    )
    if not blank_cells:
        return report
    zeros = [key for key, value in cells(report).items() if value == 0]
    if not zeros:
        return report
    blank = draw(st.lists(st.sampled_from(zeros), unique=True, max_size=20))
    if isinstance(report.proactive, Proactive2019) and "t2.procurement.amount" in blank:
        # An amount printed blank prints no unit either (the unit is printed
        # in the amount's cell): as parsed reports have it, no unit.
        procurement = attrs.evolve(report.proactive.procurement, amount_unit=None)
        report = attrs.evolve(
            report, proactive=attrs.evolve(report.proactive, procurement=procurement)
        )
    return attrs.evolve(report, blank_cells=frozenset(blank))


def _bump(row: ApplicantCounts, column: str, k: int, *, total: bool) -> ApplicantCounts:
    changes = {column: getattr(row, column) + k}
    if total and column != "total":
        changes["total"] = row.total + k
    return attrs.evolve(row, **changes)


def broken_reports(
    rule: str, edition: Edition | str | None = None
) -> st.SearchStrategy[AnnualReport]:
    """
    Reports in which exactly the identity *rule* is broken and every other identity holds.

    Args:
        rule: One of :data:`BREAKABLE_RULES`.
        edition: The edition to draw, or ``None`` for either.

    Raises:
        ValueError: *rule* is not a breakable identity (raised by the call,
            not at the first draw).
    """
    if rule not in BREAKABLE_RULES:
        raise ValueError(f"rule must be one of {BREAKABLE_RULES}, got {rule!r}")
    return _broken_reports(rule, edition)


@st.composite
def _broken_reports(draw: st.DrawFn, rule: str, edition: Edition | str | None) -> AnnualReport:
    report = draw(reports(edition, text=False))
    req = report.requests
    k = draw(st.integers(1, 1000))
    if rule == "appeals.total":
        group = draw(st.sampled_from([f.name for f in attrs.fields(Appeals)]))
        g = getattr(report.appeals, group)
        appeals = attrs.evolve(report.appeals, **{group: attrs.evolve(g, total=g.total + k)})
        return attrs.evolve(report, appeals=appeals)
    if rule == "requests.balance":
        # Carried forward grows in one column and its row total: balance breaks
        # in that column and the total column, every row still adds up.
        column = draw(st.sampled_from(_PARTS))
        req = attrs.evolve(req, carried_forward=_bump(req.carried_forward, column, k, total=True))
    elif rule == "requests.outcome_total":
        # An outcome row grows in one column and its total; total_processed is
        # left alone, so only the column sums break.
        column = draw(st.sampled_from(_PARTS))
        req = attrs.evolve(req, granted=_bump(req.granted, column, k, total=True))
    else:  # requests.row_total
        # The total column grows consistently down the table (an outcome row,
        # total_processed, new_received), so every column identity still holds
        # but those three rows no longer add up across.
        req = attrs.evolve(
            req,
            partial=_bump(req.partial, "total", k, total=False),
            total_processed=_bump(req.total_processed, "total", k, total=False),
            new_received=_bump(req.new_received, "total", k, total=False),
        )
    return attrs.evolve(report, requests=req)
