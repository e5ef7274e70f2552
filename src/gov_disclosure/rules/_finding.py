"""
What a check returns: :class:`Finding` (one broken rule, located), its contributions on a sum, and its messages in every locale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from ..catalogue import Edition, catalogue
from ..cells import CellValue
from ..i18n import (
    BLANK_CELLS,
    CONTRIBUTOR,
    CONTRIBUTORS,
    CONTRIBUTORS_MORE,
    CONTRIBUTORS_SEP,
    NO_CONTRIBUTOR,
    Localizer,
    localizer,
)
from ._rules import Severity

if TYPE_CHECKING:
    from babel import Locale

#: How many contributors a message names before "and N more" (the field has them all).
NAMED = 3


@frozen(kw_only=True, repr=False)
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
            Chinese), written when first read: a check that finds much
            pays for no text nobody reads.
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
    # The message as given (``message=``), else ``None`` until first read.
    _message: str | None = attrs.field(default=None, eq=False, alias="message")
    contributions: tuple[Contribution, ...] | None = None

    # No docstring: the class's ``Attributes`` section documents it.
    @property
    def message(self) -> str:
        text = self._message
        if text is None:
            text = _message(self, zh=False) if self.rule in _EN else ""
            object.__setattr__(self, "_message", text)
        return text

    def __repr__(self) -> str:
        names = [a.alias or a.name for a in attrs.fields(Finding)]
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"Finding({fields})"

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


# --- messages in every locale -------------------------------------------------------


def finding_text(finding: Finding, locale: Locale | str = "en") -> str:
    """
    The message of *finding* in *locale*.

    English is :attr:`Finding.message <gov_disclosure.Finding.message>`; the
    Chinese messages come from the Simplified Chinese templates of
    :mod:`gov_disclosure.rules`, translated through the catalogue, with the
    subject named by its official label in that locale.

    Raises:
        GovDisclosureError: the locale is not supported.
    """
    loc = localizer(locale)
    if loc.name == "en":
        return finding.message
    template = loc.gettext(_ZH[finding.rule])
    y0, y1 = finding.years if len(finding.years) == 2 else (0, 0)
    text = template.format(
        rule=finding.rule,
        subject=_localized_subject(finding, loc),
        expected=finding.expected,
        actual=finding.actual,
        y0=y0,
        y1=y1,
    )
    if finding.blank_cells:
        text += loc.gettext(BLANK_CELLS).format(cells=", ".join(finding.blank_cells))
    return text + _contributors_note(finding, loc)


def _contributors_note(finding: Finding, loc: Localizer) -> str:
    """The note naming the contributors at fault of a finding on a sum, or ``""``."""
    if finding.contributions is None:  # a single report's finding
        return ""
    if not finding.contributions:
        return loc.gettext(NO_CONTRIBUTOR)
    who = loc.gettext(CONTRIBUTORS_SEP).join(
        loc.gettext(CONTRIBUTOR).format(
            n=c.index + 1, agency=c.agency, expected=c.finding.expected, actual=c.finding.actual
        )
        for c in finding.contributions[:NAMED]
    )
    more = len(finding.contributions) - NAMED
    if more > 0:
        who += loc.gettext(CONTRIBUTORS_MORE).format(n=more)
    return loc.gettext(CONTRIBUTORS).format(who=who)


def _localized_subject(finding: Finding, loc: Localizer) -> str:
    """The label of a finding's subject (column, row or group) in *loc*, from the catalogue."""
    for ed in Edition:
        cells = catalogue(ed).cells
        for key in finding.cells:
            cell = cells.get(key)
            if cell is None:
                continue
            if finding.rule.startswith("appeals."):
                return "".join(loc.label(label) for label in cell.column.path[:-1])
            if cell.column.key == finding.subject:
                return loc.label(cell.column.label)
            if cell.row.key == finding.subject and cell.row.label is not None:
                return loc.label(cell.row.label)
    return finding.subject
