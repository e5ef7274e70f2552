"""
The rules as data: every identity and soft rule of the format, with its id, severity and formula.

Adding a rule is adding an entry to :data:`RULES` plus its equations in
:mod:`._equations` (or a soft check in :mod:`._check`); the docs, the CLI's
``rules`` command and the checks all read this table.
"""

from __future__ import annotations

import enum

from attrs import frozen

from ..catalogue import Edition, Label


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
