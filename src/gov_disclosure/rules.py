"""
The accounting identities and soft rules of the format, and the checks that apply them.

Rules are data (:data:`RULES`): a stable id, a severity, the formula and a
description in Chinese and English.  Each rule expands, for an edition, into
equations over cell keys taken from the catalogue; :func:`check` evaluates
every equation of one report and returns every finding (it never stops at the
first), :func:`continuity` does the same across two consecutive years.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

import attrs
from attrs import frozen

from ._catalogue import APPEAL_GROUPS, APPLICANT_COLUMNS, Edition, Label, catalogue
from .cells import CellValue, cells
from .errors import InvalidTypeError, InvalidValueError
from .model import AnnualReport, OtherMatters, Proactive2019, Proactive2021

__all__ = ["RULES", "Finding", "Rule", "Severity", "check", "continuity", "rule"]


class Severity(str, enum.Enum):
    """
    How bad a finding is.

    .. versionadded:: 0.1.0
    """

    #: An identity of the format is broken, so the printed numbers cannot all be right.
    ERROR = "error"
    #: Something is likely wrong, or worth a look, yet may be legitimate.
    WARNING = "warning"


@frozen(kw_only=True)
class Rule:
    """
    One rule of the format.

    Attributes:
        id: Stable identifier (``requests.balance``).
        severity: Severity of its findings.
        basis: The item of the format specification it implements
            (``H1``, ``A1``... ``S9``).
        scope: ``"report"`` (one report) or ``"continuity"`` (two
            consecutive years).
        editions: The editions it applies to (for continuity rules: the
            edition of both years).
        formula: The identity, in cell-key terms.
        description: What it means, in Chinese and English.

    .. versionadded:: 0.1.0
    """

    id: str
    severity: Severity
    basis: str
    scope: str
    editions: frozenset[Edition]
    formula: str
    description: Label


_BOTH = frozenset(Edition)
_E2019 = frozenset({Edition.V2019})
_E2021 = frozenset({Edition.V2021})
_E, _W = Severity.ERROR, Severity.WARNING

#: Every rule the library checks, in the order findings are reported.
RULES: tuple[Rule, ...] = (
    Rule(
        id="requests.balance",
        severity=_E,
        basis="H1",
        scope="report",
        editions=_BOTH,
        formula="t3.new_received.C + t3.carried_over.C == t3.total_processed.C + t3.carried_forward.C, for every column C",
        description=Label(
            "第三部分每一列：本年新收加上年结转，等于办理结果总计加结转下年度继续办理（表内注明的勾稽关系）。",
            "Section 3, every column: new applications plus those carried over equal "
            "the total outcomes plus those carried forward (the table's own note).",
        ),
    ),
    Rule(
        id="requests.outcome_total",
        severity=_E,
        basis="A2",
        scope="report",
        editions=_BOTH,
        formula="t3.total_processed.C == sum of the outcome rows （一）…（六）.C, for every column C",
        description=Label(
            "第三部分每一列：（七）总计等于（一）至（六）各项办理结果之和。",
            "Section 3, every column: (7) total outcomes equals the sum of outcomes (1) to (6).",
        ),
    ),
    Rule(
        id="requests.row_total",
        severity=_E,
        basis="A1",
        scope="report",
        editions=_BOTH,
        formula="t3.R.total == t3.R.natural_person + commercial + research + social_welfare + legal_service + other_org, for every row R",
        description=Label(
            "第三部分每一行：总计等于自然人与各类法人或其他组织之和。",
            "Section 3, every row: the total equals natural persons plus every kind of "
            "legal person or other organization.",
        ),
    ),
    Rule(
        id="appeals.total",
        severity=_E,
        basis="A3",
        scope="report",
        editions=_BOTH,
        formula="t4.G.total == t4.G.upheld + t4.G.corrected + t4.G.other + t4.G.pending, for every group G",
        description=Label(
            "第四部分每一组：总计等于结果维持、结果纠正、其他结果与尚未审结之和。",
            "Section 4, every group: the total equals upheld plus corrected plus other "
            "plus not yet concluded.",
        ),
    ),
    Rule(
        id="requests.blank_total",
        severity=_W,
        basis="S9",
        scope="report",
        editions=_BOTH,
        formula="t3.R.total printed blank while its parts sum to more than 0",
        description=Label(
            "第三部分某行总计栏空白，而分项不为零：源表缺陷，按分项之和推断。",
            "Section 3: a row's total was printed blank next to non-zero parts; a defect "
            "of the source, the total is inferred from the parts.",
        ),
    ),
    Rule(
        id="appeals.blank_total",
        severity=_W,
        basis="S9",
        scope="report",
        editions=_BOTH,
        formula="t4.G.total printed blank while its parts sum to more than 0",
        description=Label(
            "第四部分某组总计栏空白，而分项不为零：源表缺陷，按分项之和推断。",
            "Section 4: a group's total was printed blank next to non-zero parts; a "
            "defect of the source, the total is inferred from the parts.",
        ),
    ),
    Rule(
        id="requests.unpaid_fee_mention",
        severity=_W,
        basis="S5",
        scope="report",
        editions=_E2021,
        formula="t3.other.unpaid_fee.total > 0 implies section 六 reports 信息处理费",
        description=Label(
            "第三部分有逾期未缴费不再处理的申请，说明发出过收费通知，第六部分应报告信息处理费情况。",
            "Section 3 counts applications dropped for an unpaid fee, so fee notices "
            "were sent; section 6 should report the information processing fees.",
        ),
    ),
    Rule(
        id="proactive.fee_unit",
        severity=_W,
        basis="S6",
        scope="report",
        editions=_E2021,
        formula="t2.fees.amount is in 万元: a whole number of 100000 or more suggests 元",
        description=Label(
            "行政事业性收费金额的单位是万元；很大的整数可能是按元填报的。",
            "Administrative fees are stated in 10k CNY; a very large whole number "
            "suggests the amount was entered in CNY.",
        ),
    ),
    Rule(
        id="proactive.total_published",
        severity=_W,
        basis="S4",
        scope="report",
        editions=_E2019,
        formula="t2.R.total_published >= t2.R.new_published, for 规章 and 规范性文件",
        description=Label(
            "对外公开总数量不应小于本年新公开数量。",
            "The total published cannot be less than the number newly published this year.",
        ),
    ),
    Rule(
        id="continuity.carried_over",
        severity=_W,
        basis="A5",
        scope="continuity",
        editions=_BOTH,
        formula="t3.carried_over.C[Y] == t3.carried_forward.C[Y-1], for every column C",
        description=Label(
            "本年上年结转应等于上一年度结转下年度继续办理（机构调整、数据更正会打破此关系）。",
            "This year's carried-over applications equal last year's carried-forward "
            "ones (reorganisations and restatements break it).",
        ),
    ),
    Rule(
        id="continuity.in_force",
        severity=_W,
        basis="S1",
        scope="continuity",
        editions=_E2021,
        formula="t2.R.in_force[Y] == t2.R.in_force[Y-1] + t2.R.issued[Y] - t2.R.repealed[Y]",
        description=Label(
            "现行有效件数应等于上年现行有效件数加本年制发减本年废止（修订与统计口径不同时可能不符）。",
            "Documents in force equal last year's plus those issued minus those "
            "repealed (amendments and counting conventions may differ).",
        ),
    ),
    Rule(
        id="continuity.repealed",
        severity=_W,
        basis="S2",
        scope="continuity",
        editions=_E2021,
        formula="t2.R.repealed[Y] <= t2.R.in_force[Y-1] + t2.R.issued[Y]",
        description=Label(
            "本年废止件数不应超过上年现行有效件数加本年制发件数。",
            "No more documents can be repealed than were in force last year plus "
            "those issued this year.",
        ),
    ),
    Rule(
        id="continuity.last_year_items",
        severity=_W,
        basis="S3",
        scope="continuity",
        editions=_E2019,
        formula="t2.R.last_year_items[Y] == t2.R.last_year_items[Y-1] + t2.R.change[Y-1]",
        description=Label(
            "上一年项目数量应等于上一年度报告的上一年项目数量加本年增/减。",
            "Items at the end of last year equal the previous report's items plus its net change.",
        ),
    ),
    Rule(
        id="continuity.total_published",
        severity=_W,
        basis="S4",
        scope="continuity",
        editions=_E2019,
        formula="t2.R.total_published[Y] == t2.R.total_published[Y-1] + t2.R.new_published[Y]",
        description=Label(
            "对外公开总数量应约等于上年对外公开总数量加本年新公开数量。",
            "The total published is about last year's total plus those newly published this year.",
        ),
    ),
)

_RULES_BY_ID = {r.id: r for r in RULES}


def rule(id: str) -> Rule:
    """
    Return the rule with id *id*.

    >>> rule("requests.balance").basis
    'H1'

    Raises:
        KeyError: no such rule.

    .. versionadded:: 0.1.0
    """
    return _RULES_BY_ID[id]


@frozen(kw_only=True)
class Finding:
    """
    One broken rule, located.

    Attributes:
        rule: The rule id (see :data:`RULES`).
        severity: Error or warning.
        subject: The column, row or group the finding is about, as a key
            (``total``, ``deny.state_secret``, ``review``).
        cells: Every cell key taking part in the broken equation, in
            reading order.
        expected: The value the identity calls for (computed from the
            other cells), or the bound that was crossed.
        actual: The value as printed.
        blank_cells: The cells among :attr:`cells` that were printed blank
            and read as 0: when not empty, the finding may come from an
            unfilled form rather than an arithmetic error.
        years: The reporting years concerned (one for a report rule; previous
            and current for a continuity rule).
        message: A one-line English description (see :meth:`text` for
            Chinese).
        contributions: On the sum of several reports (an
            :class:`~gov_disclosure.Aggregate`), the contributing reports that
            break the same rule for the same subject on their own, in input
            order; empty on a sum when the finding comes from the adding up
            itself (see :attr:`from_sum`); ``None`` on a single report.

    .. versionadded:: 0.1.0
    """

    rule: str
    severity: Severity
    subject: str
    cells: tuple[str, ...]
    expected: CellValue | None
    actual: CellValue | None
    blank_cells: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    message: str = attrs.field(default="", eq=False)
    contributions: tuple[Contribution, ...] | None = None

    @property
    def from_sum(self) -> bool:
        """
        ``True`` for a finding on a sum that no contributing report breaks on its own (``False`` on a single report).

        The identities of sections 三 and 四 are sums, so a sum of reports that
        all satisfy one cannot break it: an error on an aggregate always has
        contributions.  A soft finding may come from the total alone (a fee
        amount that only looks as if it were entered in 元).
        """
        return self.contributions == ()

    def text(self, locale: str = "en") -> str:
        """
        The message in *locale*: ``"en"`` (:attr:`message`), ``"zh_Hans_CN"`` or ``"zh_Hant_TW"``.

        ``zh``/``zh_CN`` mean ``zh_Hans_CN`` and ``zh_TW`` means ``zh_Hant_TW``.

        Raises:
            GovDisclosureError: the locale is not supported.
        """
        from ._i18n import finding_text

        return finding_text(self, locale)


@frozen(kw_only=True)
class Contribution:
    """
    A contributing report that breaks, on its own, the rule a finding on a sum is about.

    Attributes:
        index: The report's position in the input of :func:`~gov_disclosure.aggregate`
            (and in :attr:`Aggregate.contributors <gov_disclosure.Aggregate.contributors>`).
        agency: The report's agency.
        finding: The report's own finding for the same rule and subject (itself
            with contributions when the contributor is a sum too).

    .. versionadded:: 0.1.0
    """

    index: int
    agency: str
    finding: Finding


# --- equations ------------------------------------------------------------


@frozen
class _Equation:
    """``sum(lhs) == sum(rhs)`` (or ``<=``) over cell keys; ``expected`` is the lhs."""

    rule: str
    subject: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    keys: tuple[str, ...]
    relation: str = "=="


@functools.cache
def _rows_with(edition: Edition, table: str, column: str) -> tuple[str, ...]:
    """The keys of the rows of *table* whose part has the column *column* (from the catalogue)."""
    return tuple(
        row.key
        for part in catalogue(edition).table(table).parts
        if any(c.key == column for c in part.columns)
        for row in part.rows
    )


def _appeal_parts() -> tuple[str, ...]:
    """The parts of a section 四 group that add up to its total (from the catalogue)."""
    part = catalogue(Edition.V2021).table("t4").parts[0]
    first = APPEAL_GROUPS[0][0]
    return tuple(
        c.key.split(".", 1)[1]
        for c in part.columns
        if c.key.startswith(f"{first}.") and not c.key.endswith(".total")
    )


_APPEAL_PARTS = _appeal_parts()


def fees_mentioned(other_matters: OtherMatters) -> bool:
    """
    Whether section 六 reports the 信息处理费 (rule S5): a stated figure, or the word in its text.

    A fee record that states no figure does not count.
    """
    fees = other_matters.fees
    if fees is not None and (
        fees.notices is not None
        or fees.notified_amount is not None
        or fees.collected_amount is not None
    ):
        return True
    return any(_FEE_WORD in p for p in other_matters.paragraphs)


def fee_amount_suspect(amount: Decimal) -> bool:
    """Whether a 万元 fee amount looks entered in 元 (rule S6): a whole number of 100000 or more."""
    return amount >= _FEE_UNIT_THRESHOLD and amount == amount.to_integral_value()


#: The word section 六 uses for the information processing fee.
_FEE_WORD = "信息处理费"


def _t3_row_keys(edition: Edition) -> list[str]:
    part = catalogue(edition).table("t3").parts[0]
    return [r.key for r in part.rows]


def _outcome_rows(edition: Edition) -> list[str]:
    rows = _t3_row_keys(edition)
    return rows[rows.index("granted") : rows.index("total_processed")]


def _ordered(edition: Edition, keys: Iterable[str]) -> tuple[str, ...]:
    order = _order(edition)
    return tuple(sorted(set(keys), key=order.__getitem__))


@functools.cache
def _order(edition: Edition) -> dict[str, int]:
    return {k: i for i, k in enumerate(catalogue(edition).cells)}


@functools.cache
def _equations(edition: Edition) -> tuple[_Equation, ...]:
    cols = [c.key for c in APPLICANT_COLUMNS]
    parts = cols[:-1]
    rows = _t3_row_keys(edition)
    outcomes = _outcome_rows(edition)
    eqs: list[_Equation] = []

    def add(rule: str, subject: str, lhs: Sequence[str], rhs: Sequence[str]) -> None:
        eqs.append(
            _Equation(rule, subject, tuple(lhs), tuple(rhs), _ordered(edition, (*lhs, *rhs)))
        )

    for c in cols:
        add(
            "requests.balance",
            c,
            [f"t3.new_received.{c}", f"t3.carried_over.{c}"],
            [f"t3.total_processed.{c}", f"t3.carried_forward.{c}"],
        )
    for c in cols:
        add(
            "requests.outcome_total",
            c,
            [f"t3.{r}.{c}" for r in outcomes],
            [f"t3.total_processed.{c}"],
        )
    for r in rows:
        add("requests.row_total", r, [f"t3.{r}.{p}" for p in parts], [f"t3.{r}.total"])
    for g, _ in APPEAL_GROUPS:
        add(
            "appeals.total",
            g,
            [f"t4.{g}.{p}" for p in _APPEAL_PARTS],
            [f"t4.{g}.total"],
        )
    return tuple(eqs)


def _require_report(value: object, where: str) -> None:
    if not isinstance(value, AnnualReport):
        raise InvalidTypeError(where, value, "an AnnualReport")


def _sum(values: dict[str, CellValue], keys: tuple[str, ...]) -> CellValue:
    total: CellValue = 0
    for k in keys:
        total += values[k]
    return total


def _finding(
    rule_id: str,
    subject: str,
    keys: tuple[str, ...],
    expected: CellValue | None,
    actual: CellValue | None,
    blank: frozenset[str],
    years: tuple[int, ...],
    edition: Edition,
) -> Finding:
    f = Finding(
        rule=rule_id,
        severity=_RULES_BY_ID[rule_id].severity,
        subject=subject,
        cells=keys,
        expected=expected,
        actual=actual,
        blank_cells=tuple(k for k in keys if k in blank),
        years=years,
    )
    return attrs.evolve(f, message=_message(f, zh=False, edition=edition))


def check(report: AnnualReport) -> list[Finding]:
    """
    Check every rule of one report and return every finding, errors and warnings.

    An empty list means every identity holds.  Findings come in the order of
    :data:`RULES`, then in reading order of the table.

    >>> from gov_disclosure import AnnualReport, ApplicantCounts, Requests, OtherHandling
    >>> ok = AnnualReport(agency="某局", year=2021)
    >>> check(ok)
    []
    >>> bad = attrs.evolve(ok, requests=attrs.evolve(ok.requests,
    ...     granted=ApplicantCounts.of(natural_person=2)))
    >>> [(f.rule, f.subject, f.expected, f.actual) for f in check(bad)][:2]
    [('requests.outcome_total', 'natural_person', 2, 0), ('requests.outcome_total', 'total', 2, 0)]

    On the sum of several reports (an :class:`~gov_disclosure.Aggregate`),
    each finding names the contributing reports that break the same rule on
    their own (:attr:`Finding.contributions`), and its message says so.

    .. versionadded:: 0.1.0
    """
    _require_report(report, "check(report)")
    edition = report.edition
    if _clean(edition)(report):  # no finding at all: compiled from the same equations
        return []
    values = cells(report)
    blank = report.blank_cells
    years = (report.year,)
    by_rule: dict[str, list[Finding]] = {r.id: [] for r in RULES}
    for eq in _equations(edition):
        lhs = _sum(values, eq.lhs)
        rhs = _sum(values, eq.rhs)
        if lhs != rhs:
            by_rule[eq.rule].append(
                _finding(eq.rule, eq.subject, eq.keys, lhs, rhs, blank, years, edition)
            )
    for rule_id, found in _soft_checks(report, values):
        by_rule[rule_id].extend(found)
    findings = [f for r in RULES for f in by_rule[r.id]]
    if type(report) is not AnnualReport:  # a sum: say which contributors break each rule
        from ._aggregate import with_contributions

        return with_contributions(report, findings)
    return findings


def _soft_checks(
    report: AnnualReport, values: dict[str, CellValue]
) -> Iterator[tuple[str, list[Finding]]]:
    edition = report.edition
    blank = report.blank_cells
    years = (report.year,)

    def mk(
        rule_id: str,
        subject: str,
        keys: Iterable[str],
        expected: CellValue | None,
        actual: CellValue | None,
    ) -> Finding:
        return _finding(
            rule_id, subject, _ordered(edition, keys), expected, actual, blank, years, edition
        )

    # S9: a blank total next to non-zero parts.
    for rule_id, prefix, groups, parts in (
        (
            "requests.blank_total",
            "t3",
            _t3_row_keys(edition),
            [c.key for c in APPLICANT_COLUMNS[:-1]],
        ),
        (
            "appeals.blank_total",
            "t4",
            [g for g, _ in APPEAL_GROUPS],
            list(_APPEAL_PARTS),
        ),
    ):
        found = []
        for g in groups:
            total_key = f"{prefix}.{g}.total"
            if total_key in blank:
                keys = [f"{prefix}.{g}.{p}" for p in parts]
                s = _sum(values, tuple(keys))
                if s:
                    found.append(mk(rule_id, g, (*keys, total_key), s, values[total_key]))
        yield rule_id, found

    if edition is Edition.V2021:
        unpaid = values["t3.other.unpaid_fee.total"]
        mentioned = fees_mentioned(report.other_matters)
        yield (
            "requests.unpaid_fee_mention",
            [
                mk(
                    "requests.unpaid_fee_mention",
                    "other.unpaid_fee",
                    ["t3.other.unpaid_fee.total"],
                    None,
                    unpaid,
                )
            ]
            if unpaid and not mentioned
            else [],
        )
        amount = values["t2.fees.amount"]
        yield (
            "proactive.fee_unit",
            [mk("proactive.fee_unit", "fees", ["t2.fees.amount"], None, amount)]
            if isinstance(amount, Decimal) and fee_amount_suspect(amount)
            else [],
        )
    else:
        found = []
        for r in _rows_with(edition, "t2", "total_published"):
            new = values[f"t2.{r}.new_published"]
            total = values[f"t2.{r}.total_published"]
            if total < new:
                found.append(
                    mk(
                        "proactive.total_published",
                        r,
                        [f"t2.{r}.new_published", f"t2.{r}.total_published"],
                        new,
                        total,
                    )
                )
        yield "proactive.total_published", found


#: A whole number of 万元 at or above this (1 billion CNY) suggests the amount is in 元.
_FEE_UNIT_THRESHOLD = Decimal(100000)


@functools.cache
def _clean(edition: Edition) -> Callable[[AnnualReport], bool]:
    """The compiled "check() would find nothing" test of *edition* (see ``_rules_fast``)."""
    from ._rules_fast import compile_clean

    return compile_clean(
        edition,
        _equations(edition),
        fees_mentioned=fees_mentioned,
        fee_amount_suspect=fee_amount_suspect,
        total_published_rows=_rows_with(edition, "t2", "total_published"),
    )


@functools.cache
def _rules_by_cell(edition: Edition) -> dict[str, tuple[str, ...]]:
    keys = list(catalogue(edition).cells)
    found: dict[str, list[str]] = {k: [] for k in keys}

    def add(rule_id: str, cell_keys: Iterable[str]) -> None:
        if edition not in _RULES_BY_ID[rule_id].editions:
            return
        for k in cell_keys:
            if rule_id not in found[k]:
                found[k].append(rule_id)

    for eq in _equations(edition):
        add(eq.rule, eq.keys)
    add("requests.blank_total", (k for k in keys if k.startswith("t3.")))
    add("appeals.blank_total", (k for k in keys if k.startswith("t4.")))
    add("requests.unpaid_fee_mention", [k for k in keys if k == "t3.other.unpaid_fee.total"])
    add("proactive.fee_unit", [k for k in keys if k == "t2.fees.amount"])
    published = _rows_with(edition, "t2", "total_published")
    add(
        "proactive.total_published",
        [f"t2.{r}.{c}" for r in published for c in ("new_published", "total_published")],
    )
    add(
        "continuity.carried_over",
        (k for k in keys if k.split(".")[1] in ("carried_over", "carried_forward")),
    )
    in_force = _rows_with(edition, "t2", "in_force")
    add(
        "continuity.in_force",
        [f"t2.{r}.{c}" for r in in_force for c in ("in_force", "issued", "repealed")],
    )
    add(
        "continuity.repealed",
        [f"t2.{r}.{c}" for r in in_force for c in ("in_force", "issued", "repealed")],
    )
    items = _rows_with(edition, "t2", "last_year_items")
    add(
        "continuity.last_year_items",
        [f"t2.{r}.{c}" for r in items for c in ("last_year_items", "change")],
    )
    add(
        "continuity.total_published",
        [f"t2.{r}.{c}" for r in published for c in ("new_published", "total_published")],
    )
    order = {r.id: i for i, r in enumerate(RULES)}
    return {k: tuple(sorted(v, key=order.__getitem__)) for k, v in found.items()}


def rules_for_cell(edition: Edition | str, key: str) -> tuple[str, ...]:
    """
    The ids of the rules a cell takes part in, in the order of :data:`RULES`.

    >>> rules_for_cell("2021", "t3.granted.total")
    ('requests.outcome_total', 'requests.row_total', 'requests.blank_total')

    Raises:
        KeyError: *key* is not a cell of *edition*.

    .. versionadded:: 0.1.0
    """
    return _rules_by_cell(catalogue(edition).edition)[key]


# --- continuity -----------------------------------------------------------


def continuity(previous: AnnualReport, current: AnnualReport) -> list[Finding]:
    """
    Check the rules that tie two consecutive years of one agency, and return every finding.

    Across the 2020 → 2021 edition change only the rules that still apply
    are checked (the carry-over of section 三); section 二's movements are
    compared only within one edition, since the two editions count
    different things.  Findings name cells by key with the year in
    :attr:`Finding.years` (previous, current).

    Raises:
        InvalidValueError: *current* is not the year after *previous*.

    .. versionadded:: 0.1.0
    """
    _require_report(previous, "continuity(previous)")
    _require_report(current, "continuity(current)")
    if current.year != previous.year + 1:
        raise InvalidValueError(
            "continuity(current.year)",
            current.year,
            f"{previous.year + 1}, the year after previous.year",
        )
    prev, cur = cells(previous), cells(current)
    years = (previous.year, current.year)
    edition = current.edition
    out: list[Finding] = []

    def mk(
        rule_id: str,
        subject: str,
        prev_keys: Iterable[str],
        cur_keys: Iterable[str],
        expected: CellValue,
        actual: CellValue,
    ) -> Finding:
        # Reading order, as for check(); the years are in Finding.years.  A key
        # is reported blank when it was printed blank in the year it is read from.
        prev_keys, cur_keys = tuple(prev_keys), tuple(cur_keys)
        blank = frozenset(k for k in prev_keys if k in previous.blank_cells) | frozenset(
            k for k in cur_keys if k in current.blank_cells
        )
        keys = _ordered(edition, (*prev_keys, *cur_keys))
        return _finding(rule_id, subject, keys, expected, actual, blank, years, edition)

    for c in APPLICANT_COLUMNS:
        before, now = prev[f"t3.carried_forward.{c.key}"], cur[f"t3.carried_over.{c.key}"]
        if before != now:
            out.append(
                mk(
                    "continuity.carried_over",
                    c.key,
                    [f"t3.carried_forward.{c.key}"],
                    [f"t3.carried_over.{c.key}"],
                    before,
                    now,
                )
            )
    pp, cp = previous.proactive, current.proactive
    if isinstance(pp, Proactive2021) and isinstance(cp, Proactive2021):
        in_force, repealed = [], []
        for r in _rows_with(edition, "t2", "in_force"):
            expected = prev[f"t2.{r}.in_force"] + cur[f"t2.{r}.issued"] - cur[f"t2.{r}.repealed"]
            prev_keys = [f"t2.{r}.in_force"]
            cur_keys = [f"t2.{r}.in_force", f"t2.{r}.issued", f"t2.{r}.repealed"]
            if cur[f"t2.{r}.in_force"] != expected:
                in_force.append(
                    mk(
                        "continuity.in_force",
                        r,
                        prev_keys,
                        cur_keys,
                        expected,
                        cur[f"t2.{r}.in_force"],
                    )
                )
            bound = prev[f"t2.{r}.in_force"] + cur[f"t2.{r}.issued"]
            if cur[f"t2.{r}.repealed"] > bound:
                repealed.append(
                    mk(
                        "continuity.repealed",
                        r,
                        prev_keys,
                        cur_keys,
                        bound,
                        cur[f"t2.{r}.repealed"],
                    )
                )
        out += in_force + repealed
    if isinstance(pp, Proactive2019) and isinstance(cp, Proactive2019):
        for r in _rows_with(edition, "t2", "last_year_items"):
            expected = prev[f"t2.{r}.last_year_items"] + prev[f"t2.{r}.change"]
            if cur[f"t2.{r}.last_year_items"] != expected:
                out.append(
                    mk(
                        "continuity.last_year_items",
                        r,
                        [f"t2.{r}.last_year_items", f"t2.{r}.change"],
                        [f"t2.{r}.last_year_items"],
                        expected,
                        cur[f"t2.{r}.last_year_items"],
                    )
                )
        for r in _rows_with(edition, "t2", "total_published"):
            expected = prev[f"t2.{r}.total_published"] + cur[f"t2.{r}.new_published"]
            if cur[f"t2.{r}.total_published"] != expected:
                out.append(
                    mk(
                        "continuity.total_published",
                        r,
                        [f"t2.{r}.total_published"],
                        [f"t2.{r}.total_published", f"t2.{r}.new_published"],
                        expected,
                        cur[f"t2.{r}.total_published"],
                    )
                )
    order = {r.id: i for i, r in enumerate(RULES)}
    return sorted(out, key=lambda f: order[f.rule])


# --- messages -------------------------------------------------------------

_EN: dict[str, str] = {
    "requests.balance": "{rule} ({subject} column): new_received + carried_over = {expected}, but total_processed + carried_forward = {actual}",
    "requests.outcome_total": "{rule} ({subject} column): the outcome rows add up to {expected}, but total_processed is {actual}",
    "requests.row_total": "{rule} (row {subject}): the applicant columns add up to {expected}, but the total is {actual}",
    "appeals.total": "{rule} ({subject}): upheld + corrected + other + pending = {expected}, but the total is {actual}",
    "requests.blank_total": "{rule} (row {subject}): the total was printed blank but the parts add up to {expected}",
    "appeals.blank_total": "{rule} ({subject}): the total was printed blank but the parts add up to {expected}",
    "requests.unpaid_fee_mention": "{rule}: {actual} applications were dropped for an unpaid fee, but section 6 does not report information processing fees",
    "proactive.fee_unit": "{rule}: the administrative fees amount {actual} (in 10k CNY) is a large whole number; was it entered in CNY?",
    "proactive.total_published": "{rule} ({subject}): total published {actual} is less than newly published {expected}",
    "continuity.carried_over": "{rule} ({subject} column, {y0}→{y1}): carried forward in {y0} = {expected}, but carried over in {y1} = {actual}",
    "continuity.in_force": "{rule} ({subject}, {y0}→{y1}): in force last year + issued - repealed = {expected}, but in force = {actual}",
    "continuity.repealed": "{rule} ({subject}, {y0}→{y1}): {actual} repealed, more than the {expected} in force last year plus issued",
    "continuity.last_year_items": "{rule} ({subject}, {y0}→{y1}): last report's items + change = {expected}, but items at end of last year = {actual}",
    "continuity.total_published": "{rule} ({subject}, {y0}→{y1}): last year's total + newly published = {expected}, but total published = {actual}",
}
_ZH: dict[str, str] = {
    "requests.balance": "{rule}（{subject}列）：本年新收加上年结转为 {expected}，但办理结果总计加结转下年度为 {actual}",
    "requests.outcome_total": "{rule}（{subject}列）：各项办理结果之和为 {expected}，但（七）总计为 {actual}",
    "requests.row_total": "{rule}（{subject}行）：各类申请人之和为 {expected}，但总计为 {actual}",
    "appeals.total": "{rule}（{subject}）：结果维持、结果纠正、其他结果、尚未审结之和为 {expected}，但总计为 {actual}",
    "requests.blank_total": "{rule}（{subject}行）：总计栏空白，但分项之和为 {expected}",
    "appeals.blank_total": "{rule}（{subject}）：总计栏空白，但分项之和为 {expected}",
    "requests.unpaid_fee_mention": "{rule}：有 {actual} 件申请因逾期未缴费不再处理，但第六部分未报告信息处理费情况",
    "proactive.fee_unit": "{rule}：行政事业性收费金额 {actual}（万元）是很大的整数，是否按元填报？",
    "proactive.total_published": "{rule}（{subject}）：对外公开总数量 {actual} 小于本年新公开数量 {expected}",
    "continuity.carried_over": "{rule}（{subject}列，{y0}→{y1}）：{y0}年结转下年度为 {expected}，但{y1}年上年结转为 {actual}",
    "continuity.in_force": "{rule}（{subject}，{y0}→{y1}）：上年现行有效加本年制发减本年废止为 {expected}，但现行有效件数为 {actual}",
    "continuity.repealed": "{rule}（{subject}，{y0}→{y1}）：本年废止 {actual} 件，超过上年现行有效加本年制发的 {expected} 件",
    "continuity.last_year_items": "{rule}（{subject}，{y0}→{y1}）：上年报告项目数量加增减为 {expected}，但上一年项目数量为 {actual}",
    "continuity.total_published": "{rule}（{subject}，{y0}→{y1}）：上年对外公开总数量加本年新公开为 {expected}，但对外公开总数量为 {actual}",
}


def _subject_label(f: Finding, edition: Edition | None) -> str:
    """The Chinese label of a finding's subject, from the catalogue."""
    for ed in (edition,) if edition else tuple(Edition):
        cat = catalogue(ed)
        for key in f.cells:
            cell = cat.cells.get(key)
            if cell is None:
                continue
            if f.rule.startswith("appeals."):
                return "".join(label.zh for label in cell.column.path[:-1])
            if cell.column.key == f.subject and cell.column.label:
                return cell.column.label.zh
            if cell.row.key == f.subject and cell.row.label:
                return cell.row.label.zh
    return f.subject


def _message(f: Finding, *, zh: bool, edition: Edition | None = None) -> str:
    template = (_ZH if zh else _EN)[f.rule]
    y0, y1 = f.years if len(f.years) == 2 else (0, 0)
    return template.format(
        rule=f.rule,
        subject=_subject_label(f, edition) if zh else f.subject,
        expected=f.expected,
        actual=f.actual,
        y0=y0,
        y1=y1,
    ) + (
        ("（含空白单元格：" if zh else " (blank cells read as 0: ")
        + ", ".join(f.blank_cells)
        + ("）" if zh else ")")
        if f.blank_cells
        else ""
    )
