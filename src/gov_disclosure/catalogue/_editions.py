"""
The two editions written down: every section, table, row, column and label of the format.

This is the data of :mod:`gov_disclosure.catalogue`; :func:`catalogue` builds
and caches one :class:`~gov_disclosure.Catalogue` per edition from it.
"""

from __future__ import annotations

import functools

from ..errors import UnsupportedEditionError
from ._types import (
    Catalogue,
    CellDef,
    ColumnDef,
    Edition,
    Label,
    PartDef,
    RowDef,
    SectionDef,
    TableDef,
    ValueKind,
)

__all__ = ["APPEAL_GROUPS", "APPLICANT_COLUMNS", "catalogue"]


# --- shared labels --------------------------------------------------------


def _l(zh: str, en: str) -> Label:
    return Label(zh, en)


_INFO = _l("信息内容", "Information")

_ART20 = {
    n: _l(f"第二十条第（{n}）项", f"Article 20, item ({en})")
    for n, en in (("一", "1"), ("五", "5"), ("六", "6"), ("八", "8"), ("九", "9"))
}


def _cols(*specs: tuple[str, str, str] | tuple[str, str, str, ValueKind]) -> tuple[ColumnDef, ...]:
    out = []
    for spec in specs:
        key, zh, en = spec[0], spec[1], spec[2]
        kind = spec[3] if len(spec) == 4 else ValueKind.COUNT
        out.append(ColumnDef(key, (_l(zh, en),), kind))
    return tuple(out)


def _rows(*specs: tuple[str, str, str], group: tuple[Label, ...] = ()) -> tuple[RowDef, ...]:
    return tuple(RowDef(key, (*group, _l(zh, en))) for key, zh, en in specs)


# --- section 二 -----------------------------------------------------------

_DOCS_2021 = PartDef(
    caption=_ART20["一"],
    corner=_INFO,
    columns=_cols(
        ("issued", "本年制发件数", "Issued this year"),
        ("repealed", "本年废止件数", "Repealed this year"),
        ("in_force", "现行有效件数", "Currently in force"),
    ),
    rows=_rows(
        ("regulations", "规章", "Regulations"),
        ("normative_documents", "行政规范性文件", "Administrative normative documents"),
    ),
)
_DECISIONS_2021 = _cols(("decisions", "本年处理决定数量", "Decisions made this year"))

_T2_2021 = TableDef(
    key="t2",
    section="proactive",
    parts=(
        _DOCS_2021,
        PartDef(
            _ART20["五"],
            _INFO,
            _DECISIONS_2021,
            _rows(("licensing", "行政许可", "Administrative licensing")),
        ),
        PartDef(
            _ART20["六"],
            _INFO,
            _DECISIONS_2021,
            _rows(
                ("punishment", "行政处罚", "Administrative penalties"),
                ("coercion", "行政强制", "Administrative compulsion"),
            ),
        ),
        PartDef(
            _ART20["八"],
            _INFO,
            _cols(
                (
                    "amount",
                    "本年收费金额（单位：万元）",
                    "Fees collected this year (10k CNY)",
                    ValueKind.MONEY,
                )
            ),
            _rows(("fees", "行政事业性收费", "Administrative fees")),
        ),
    ),
)

_LAST_YEAR = ("last_year_items", "上一年项目数量", "Items at end of previous year")
_CHANGE = ("change", "本年增/减", "Net change this year", ValueKind.SIGNED)
_ITEMS_2019 = _cols(_LAST_YEAR, _CHANGE, ("decisions", "处理决定数量", "Decisions made"))

_T2_2019 = TableDef(
    key="t2",
    section="proactive",
    parts=(
        PartDef(
            _ART20["一"],
            _INFO,
            _cols(
                ("new_made", "本年新制作数量", "Newly made this year"),
                ("new_published", "本年新公开数量", "Newly published this year"),
                ("total_published", "对外公开总数量", "Total published"),
            ),
            _rows(
                ("regulations", "规章", "Regulations"),
                ("normative_documents", "规范性文件", "Normative documents"),
            ),
        ),
        PartDef(
            _ART20["五"],
            _INFO,
            _ITEMS_2019,
            _rows(
                ("licensing", "行政许可", "Administrative licensing"),
                (
                    "other_management_services",
                    "其他对外管理服务事项",
                    "Other external management & service matters",
                ),
            ),
        ),
        PartDef(
            _ART20["六"],
            _INFO,
            _ITEMS_2019,
            _rows(
                ("punishment", "行政处罚", "Administrative penalties"),
                ("coercion", "行政强制", "Administrative compulsion"),
            ),
        ),
        PartDef(
            _ART20["八"],
            _INFO,
            _cols(_LAST_YEAR, _CHANGE),
            _rows(("fees", "行政事业性收费", "Administrative fees")),
        ),
        PartDef(
            _ART20["九"],
            _INFO,
            _cols(
                ("items", "采购项目数量", "Procurement projects"),
                ("amount", "采购总金额", "Total procurement amount", ValueKind.MONEY),
            ),
            _rows(("procurement", "政府集中采购", "Government centralized procurement")),
        ),
    ),
)

# --- section 三 -----------------------------------------------------------

_APPLICANTS = _l("申请人情况", "Applicants")
_LEGAL_PERSONS = _l("法人或其他组织", "Legal persons or other organizations")

#: The seven applicant columns, shared by every row of section 三.
APPLICANT_COLUMNS: tuple[ColumnDef, ...] = (
    ColumnDef("natural_person", (_APPLICANTS, _l("自然人", "Natural persons"))),
    ColumnDef(
        "commercial", (_APPLICANTS, _LEGAL_PERSONS, _l("商业企业", "Commercial enterprises"))
    ),
    ColumnDef("research", (_APPLICANTS, _LEGAL_PERSONS, _l("科研机构", "Research institutions"))),
    ColumnDef(
        "social_welfare",
        (_APPLICANTS, _LEGAL_PERSONS, _l("社会公益组织", "Public-interest organizations")),
    ),
    ColumnDef(
        "legal_service",
        (_APPLICANTS, _LEGAL_PERSONS, _l("法律服务机构", "Legal service providers")),
    ),
    ColumnDef("other_org", (_APPLICANTS, _LEGAL_PERSONS, _l("其他", "Other organizations"))),
    ColumnDef("total", (_APPLICANTS, _l("总计", "Total"))),
)

_OUTCOMES = _l("三、本年度办理结果", "3. Outcomes this year")
_DENY = _l("（三）不予公开", "(3) Not disclosed")
_UNABLE = _l("（四）无法提供", "(4) Cannot be provided")
_NOT_PROCESSED = _l("（五）不予处理", "(5) Not processed")
_OTHER = _l("（六）其他处理", "(6) Other handling")

_T3_HEAD = _rows(
    ("new_received", "一、本年新收政府信息公开申请数量", "1. New applications received this year"),
    ("carried_over", "二、上年结转政府信息公开申请数量", "2. Carried over from last year"),
) + _rows(
    ("granted", "（一）予以公开", "(1) Disclosed"),
    (
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "(2) Partly disclosed (count only here when severed)",
    ),
    group=(_OUTCOMES,),
)
_T3_DENY_TO_NOT_PROCESSED = (
    _rows(
        ("deny.state_secret", "1.属于国家秘密", "1. State secret"),
        (
            "deny.prohibited_by_law",
            "2.其他法律行政法规禁止公开",
            "2. Barred by other laws or regulations",
        ),
        (
            "deny.three_safety_one_stability",
            "3.危及“三安全一稳定”",
            '3. Endangers the "three securities and one stability"',
        ),
        ("deny.third_party", "4.保护第三方合法权益", "4. Protects third-party rights"),
        ("deny.internal_affairs", "5.属于三类内部事务信息", "5. Internal-affairs information"),
        ("deny.process_info", "6.属于四类过程性信息", "6. Process information"),
        ("deny.enforcement_file", "7.属于行政执法案卷", "7. Enforcement case files"),
        ("deny.query_matter", "8.属于行政查询事项", "8. Administrative query matters"),
        group=(_OUTCOMES, _DENY),
    )
    + _rows(
        ("unable.not_held", "1.本机关不掌握相关政府信息", "1. Not held by this agency"),
        ("unable.needs_creation", "2.没有现成信息需要另行制作", "2. Would need to be created"),
        (
            "unable.unclear_after_correction",
            "3.补正后申请内容仍不明确",
            "3. Still unclear after correction",
        ),
        group=(_OUTCOMES, _UNABLE),
    )
    + _rows(
        ("not_processed.petition", "1.信访举报投诉类申请", "1. Petitions or complaints"),
        ("not_processed.duplicate", "2.重复申请", "2. Duplicate applications"),
        ("not_processed.publication", "3.要求提供公开出版物", "3. Requests for publications"),
        (
            "not_processed.excessive",
            "4.无正当理由大量反复申请",
            "4. Excessive repeated applications",
        ),
        (
            "not_processed.confirm_existing",
            "5.要求行政机关确认或重新出具已获取信息",
            "5. Confirm or re-issue information already obtained",
        ),
        group=(_OUTCOMES, _NOT_PROCESSED),
    )
)
_T3_OTHER_2019 = (RowDef("other", (_OUTCOMES, _OTHER)),)
_T3_OTHER_2021 = _rows(
    (
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1. Applicant failed to correct in time; no further handling",
    ),
    (
        "other.unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2. Applicant did not pay the fee in time; no further handling",
    ),
    ("other.other", "3.其他", "3. Other"),
    group=(_OUTCOMES, _OTHER),
)
_T3_TAIL = _rows(
    ("total_processed", "（七）总计", "(7) Total outcomes"), group=(_OUTCOMES,)
) + _rows(("carried_forward", "四、结转下年度继续办理", "4. Carried forward to next year"))

_T3_CORNER = _l(
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "(In this column, item 1 plus item 2 equals item 3 plus item 4)",
)


def _t3(other_rows: tuple[RowDef, ...]) -> TableDef:
    rows = _T3_HEAD + _T3_DENY_TO_NOT_PROCESSED + other_rows + _T3_TAIL
    return TableDef("t3", "requests", (PartDef(None, _T3_CORNER, APPLICANT_COLUMNS, rows),))


# --- section 四 -----------------------------------------------------------

_APPEAL_PARTS = (
    ("upheld", "结果维持", "Upheld"),
    ("corrected", "结果纠正", "Corrected"),
    ("other", "其他结果", "Other result"),
    ("pending", "尚未审结", "Not yet concluded"),
    ("total", "总计", "Total"),
)
_LITIGATION = _l("行政诉讼", "Administrative litigation")
#: The three groups of section 四 with their header label paths.
APPEAL_GROUPS: tuple[tuple[str, tuple[Label, ...]], ...] = (
    ("review", (_l("行政复议", "Administrative reconsideration"),)),
    (
        "litigation_direct",
        (_LITIGATION, _l("未经复议直接起诉", "Filed without prior reconsideration")),
    ),
    (
        "litigation_after_review",
        (_LITIGATION, _l("复议后起诉", "Filed after reconsideration")),
    ),
)
_T4 = TableDef(
    "t4",
    "appeals",
    (
        PartDef(
            None,
            None,
            tuple(
                ColumnDef(f"{group}.{key}", (*path, _l(zh, en)))
                for group, path in APPEAL_GROUPS
                for key, zh, en in _APPEAL_PARTS
            ),
            (RowDef("", ()),),
        ),
    ),
)

# --- section 六 (optional figures) ----------------------------------------

_T6 = TableDef(
    "t6",
    "other_matters",
    (
        PartDef(
            None,
            None,
            (
                ColumnDef("notices", (_l("收费通知件数", "Fee notices issued"),)),
                ColumnDef(
                    "notified_amount",
                    (_l("收费通知金额（元）", "Amount notified (CNY)"),),
                    ValueKind.MONEY,
                ),
                ColumnDef(
                    "collected_amount",
                    (_l("实际收取金额（元）", "Amount collected (CNY)"),),
                    ValueKind.MONEY,
                ),
            ),
            (RowDef("fees", (_l("信息处理费", "Information processing fees"),)),),
        ),
    ),
    official=False,
)

# --- sections -------------------------------------------------------------


def _sections(t2: TableDef, t3: TableDef) -> tuple[SectionDef, ...]:
    return (
        SectionDef("一", "general", _l("一、总体情况", "1. General")),
        SectionDef(
            "二",
            "proactive",
            _l("二、主动公开政府信息情况", "2. Proactive disclosure"),
            t2,
        ),
        SectionDef(
            "三",
            "requests",
            _l(
                "三、收到和处理政府信息公开申请情况",
                "3. Disclosure requests received and handled",
            ),
            t3,
        ),
        SectionDef(
            "四",
            "appeals",
            _l(
                "四、政府信息公开行政复议、行政诉讼情况",
                "4. Administrative reconsideration and litigation",
            ),
            _T4,
        ),
        SectionDef(
            "五",
            "problems",
            _l("五、存在的主要问题及改进情况", "5. Main problems and improvements"),
        ),
        SectionDef(
            "六",
            "other_matters",
            _l("六、其他需要报告的事项", "6. Other matters to report"),
            _T6,
        ),
    )


def _build(edition: Edition) -> Catalogue:
    if edition is Edition.V2019:
        sections = _sections(_T2_2019, _t3(_T3_OTHER_2019))
    else:
        sections = _sections(_T2_2021, _t3(_T3_OTHER_2021))
    cells: dict[str, CellDef] = {}
    for section in sections:
        table = section.table
        if table is None:
            continue
        for part in table.parts:
            for row in part.rows:
                for column in part.columns:
                    rest = tuple(p for p in (*row.key.split("."), *column.key.split(".")) if p)
                    key = ".".join((table.key, *rest))
                    cells[key] = CellDef(
                        key=key,
                        table=table.key,
                        row=row,
                        column=column,
                        part=part,
                        attr_path=(table.section, *rest),
                        optional=table.key == "t6",
                    )
    return Catalogue(edition, sections, cells)


def catalogue(edition: Edition | str) -> Catalogue:
    """
    Return the catalogue of *edition*: sections, tables, labels and cell keys.

    >>> cat = catalogue(Edition.V2021)
    >>> cat.cells["t3.deny.state_secret.total"].row.label.zh
    '1.属于国家秘密'
    >>> len([k for k in cat.cells if k.startswith("t3.")])
    175

    Raises:
        UnsupportedEditionError: *edition* names no edition.

    .. versionadded:: 0.1.0
    """
    if not isinstance(edition, Edition):
        try:
            edition = Edition(edition)
        except ValueError:
            raise UnsupportedEditionError(
                f"unknown edition {edition!r}; expected one of {[e.value for e in Edition]}"
            ) from None
    return _cached(edition)


@functools.cache
def _cached(edition: Edition) -> Catalogue:
    # One catalogue object per edition, however the edition was spelled.
    return _build(edition)
