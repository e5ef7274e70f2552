"""
What the prose of a report says: its title (agency, year), where the preamble starts, and section 六's fee figures.

The title and fee sentences are matched with the renderers' own message
templates in every locale (:mod:`gov_disclosure.i18n`) plus the phrasings
real reports use (FORMAT.md §7, §10.12).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from decimal import Decimal

from attrs import frozen

from ...catalogue import ValueKind
from ...model import InformationFees
from .norm import norm
from .split import parse_value
from .stream import Stream

__all__ = ["fees_from", "period_year", "preamble_start", "title_from"]


@frozen
class Title:
    agency: str | None
    year: int | None
    offset: int | None
    end: int | None
    #: Where the title begins: *offset*, or the row before it when that row names the agency.
    head: int | None = None


def _spaced(words: str) -> str:
    """A pattern for *words* with line breaks or spaces allowed between their characters."""
    return r"\s*".join(map(re.escape, words))


def _title_patterns() -> list[re.Pattern[str]]:
    from ...i18n import LOCALES, TITLE, localizer

    out = []
    for name in LOCALES:
        template = norm(localizer(name).gettext(TITLE))
        body = re.escape(template)
        body = body.replace(r"\{agency\}", r"(?P<agency>[^\n:,。;《》]{1,80}?)").replace(
            r"\{year\}", r"(?P<year>(?:19|20)\d\d)"
        )
        out.append(re.compile(body))
    out.append(
        re.compile(
            r"(?P<agency>[^\s:,。;《》]{0,40}?)[ \t]*(?P<year>(?:19|20)\d\d)\s*年度?\s*(?P<agency2>[^\s:,。;《》]{0,40}?)"
            # A title wrapped over lines breaks anywhere ("…政府信息公开\n工作年度报告").
            + _spaced("政府信息公开")
            + r"\s*(?:工\s*作)?\s*年\s*度?\s*报\s*告"
        )
    )
    return out


_TITLES = functools.cache(_title_patterns)
#: The data period a preamble states: "本报告所列数据的统计期限自2021年1月1日起至…",
#: "统计时限为2022年01月01日至…", "所列数据为二〇二一年一月一日至…",
#: "统计期限为2020年度".  A period word is required, and the period's
#: shape: a first of January followed by 至/到 (a law "自2026年1月1日起施行" or
#: a plan "2026年1月1日前" is none), or a whole 年度 right after the word; no
#: comparison between the word and the year ("所列数据较2021年度均有增长").
_PERIOD = re.compile(
    r"(?:(?:统计期限|统计时限|统计周期|统计期间|统计区间|统计时间)[^。，,；;较与比同]{0,10}?"
    r"|所列数据的?均?(?:为|是|自|从)\s*)"
    r"((?:19|20)\d\d)\s*年\s*"
    r"(?:(?:0?1|一)\s*月\s*(?:0?1|一)\s*日\s*起?\s*(?:至|到|—|－|-|~|～)|度)"
)
_ANCHOR = re.compile(r"报告|報告|report")
_LABEL_PREFIX = re.compile(r"^[^:\n]{1,6}:\s*")
_ABOUT = re.compile(r"^关于\s*")
_CRUMB = re.compile(r"\s*[>›»|]\s*")


#: A year written in Chinese numerals (二〇二二年); the digits map one to one.
_CN_YEAR = re.compile("[〇零一二三四五六七八九]{4}(?=年)")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _arabic_years(text: str) -> str:
    """*text* with 4-numeral Chinese years in Arabic digits, the same length (offsets hold)."""
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), text)


#: How far into the text the data period is looked for (the preamble says it).
_PERIOD_HEAD = 8000


def period_year(stream: Stream) -> tuple[int, int] | None:
    """
    The year of the data period the preamble states (统计期限自2021年1月1日起…), and its offset.

    ``None`` when the text states none near its start.
    """
    m = _PERIOD.search(_arabic_years(stream.text[:_PERIOD_HEAD]))
    return (int(m.group(1)), m.start(1)) if m else None


def title_from(stream: Stream) -> Title:
    """The agency and year printed in the title (or the data period of the preamble)."""
    text = stream.text
    head = _arabic_years(text[:4000])
    matches: list[re.Match[str]] = []
    # A title ends in 报告 (or "report", "for 2021"): search only just before the
    # first few of those, not the whole head (the patterns are lazy and slow).
    for anchor in list(_ANCHOR.finditer(head))[:6]:
        lo = max(0, anchor.start() - 160)
        hi = min(len(head), anchor.end() + 60)
        matches = [m for m in (p.search(head, lo, hi) for p in _TITLES()) if m is not None]
        if matches:
            break
    if matches:
        m = min(matches, key=lambda x: x.start())
        year = int(m.group("year"))
        groups = m.groupdict()
        agency = ""
        begins = m.start()
        for name in ("agency", "agency2"):
            if groups.get(name) and groups[name].strip():
                a, b = m.span(name)
                raw = " ".join(stream.raw(a, b)).strip()
                agency = _LABEL_PREFIX.sub("", raw).strip()
                if agency:
                    break
        if not agency:
            # The agency on the line before the title ("某局\n2021年政府信息公开工作年度报告").
            i = stream.row_of(m.start())
            if i > 0:
                prev = " ".join(stream.rows[i - 1].cells).strip()
                if 0 < len(prev) <= 60 and "。" not in prev:
                    agency = _LABEL_PREFIX.sub("", prev).strip()
                    begins = stream.row_starts[i - 1]
        # "关于某县人民政府2023年…报告" is about the agency, not by 关于.
        agency = _ABOUT.sub("", agency)
        # A breadcrumb ("首页 > 政务公开 > 某局2021年…报告"): the agency is its last step.
        agency = _CRUMB.split(agency)[-1].strip()
        return Title(agency or None, year, m.start(), m.end(), begins)
    m2 = _PERIOD.search(_arabic_years(text))
    if m2:
        return Title(None, int(m2.group(1)), m2.start(), None)
    return Title(None, None, None, None)


# --- where the preamble starts ----------------------------------------------------

#: What may stand before a title line: the start of a row or cell, a space, a
#: label's colon ("标题：…"), Markdown marks.
_TITLE_BEFORE = frozenset("\n\x1f \t:#*>|")
#: What may follow it: the end of a row or cell, a space, Markdown marks.
_TITLE_AFTER = frozenset("\n\x1f \t*|")
#: Sentence punctuation between two title lines: the later one is prose quoting the
#: title, not a title line (page clutter has none; "、" is "," once normalised).
_SENTENCE_END = re.compile("[。!?,;]")


@frozen
class Preamble:
    """Where the preamble starts, and the lines before it dropped as page clutter."""

    start: int
    clutter: int
    offset: int | None


def _title_lines(stream: Stream, title: Title, end: int) -> list[tuple[int, int]]:
    """Spans of the lines after the title, before *end*, that print the title again (same year)."""
    assert title.end is not None
    text = stream.text
    lo_region = title.end
    region = _arabic_years(text[:end])
    spans: list[tuple[int, int]] = []
    year = str(title.year)
    for anchor in _ANCHOR.finditer(region, lo_region):
        # Titles end in 报告 (or "report ... 2021"): prose goes on after it ("本报告包括").
        if anchor.end() < len(text) and text[anchor.end()] not in _TITLE_AFTER:
            continue
        # Matches begin in the anchor's row or the one before (a title broken in two lines).
        row = stream.row_of(anchor.start())
        lo = max(lo_region, stream.row_starts[max(row - 1, 0)], anchor.start() - 160)
        hi = min(end, anchor.end() + 60)
        if year not in region[lo:hi]:
            continue
        # A title line starts after a row start, a space or a label's colon: try
        # the patterns there only (anchored, not scanned: they are lazy and slow).
        starts = [p for p in range(lo, anchor.start()) if p == 0 or text[p - 1] in _TITLE_BEFORE]
        for p in starts:
            for pattern in _TITLES():
                m = pattern.match(region, p, hi)
                if m is None or int(m.group("year")) != title.year:
                    continue
                b = m.end()
                if b >= len(text) or text[b] in _TITLE_AFTER:
                    spans.append((p, b))
    return sorted(set(spans))


def preamble_start(stream: Stream, title: Title, end: int) -> Preamble:
    """
    Where the preamble (before section 一 at *end*) starts: after the last line that prints the title.

    A web page copied out repeats the title in its navigation (``当前位置：首页
    > 政务公开 > 某局2021年…报告``, ``标题：…``) before the report's own title
    line, with dates, font buttons and share links in between.  The preamble
    starts after the last title line before section 一; a later one that
    follows sentence punctuation (``。``) is prose quoting the title and is not
    taken (nor one after a comma).  ``clutter`` counts the non-blank lines (or parts of lines) before
    the preamble that are not the title itself.
    """
    if title.end is None or title.end > end:
        return Preamble(0, 0, None)
    text = stream.text
    titles = [(title.head if title.head is not None else title.offset or 0, title.end)]
    for a, b in _title_lines(stream, title, end):
        if not _SENTENCE_END.search(text, titles[0][1], a) and a >= titles[-1][1]:
            titles.append((a, b))
    # The lines before the report's title (the last title line; with the
    # agency's line before it when that names the agency); earlier title lines
    # are the page's navigation.
    lead = titles[0][0] if len(titles) == 1 else titles[-1][0]
    lines = (text[:lead] + _TITLE_MARK).replace("\x1f", " ").split("\n")
    clutter = sum(1 for line in lines if _is_clutter(line))
    return Preamble(titles[-1][1], clutter, titles[-1][0])


#: Stands for a title in the lines before the preamble.
_TITLE_MARK = "\x00"
#: Marks around a title line are no text of their own.
_MARKS = " \t#*>|" + _TITLE_MARK


def _is_clutter(line: str) -> bool:
    """Whether *line* (before the preamble) is text of its own, not just the title's marks or label ("标题：")."""
    rest = line.strip(_MARKS)
    if _TITLE_MARK in line and len(rest) <= 7 and rest.endswith(":"):
        return False
    return bool(rest)


# --- section 六 fees --------------------------------------------------------------

_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"


@functools.cache
def _fee_templates() -> list[tuple[str, re.Pattern[str]]]:
    from ...i18n import FEE_SENTENCES, LOCALES, localizer

    out = []
    for name in LOCALES:
        loc = localizer(name)
        for field, message in FEE_SENTENCES:
            body = re.escape(norm(loc.gettext(message)).strip()).replace(r"\{value\}", _NUMBER)
            out.append((field, re.compile(body)))
    return out


#: Phrasings of real reports (FORMAT.md §7): field, pattern over normalised text.
_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "collected_amount",
        re.compile(r"(?:实际)?收取(?:了)?(?:信息处理费)?(?:共计|合计|共|总计)?" + _NUMBER + r"元"),
    ),
    (
        "notices",
        re.compile(r"发出(?:信息处理费)?收费通知(?:书)?(?:共计|共)?" + _NUMBER + r"(?:件|份)"),
    ),
    (
        "notified_amount",
        re.compile(r"收费通知(?:书)?(?:金额|载明金额)(?:共计|合计|共)?" + _NUMBER + r"元"),
    ),
)
_NONE_COLLECTED = re.compile(
    r"(?:未|没有|无)收取(?:任何)?(?:政府信息公开)?信息处理费|未发生(?:政府信息公开)?(?:信息处理费)?收费"
)


@frozen
class Fees:
    paragraphs: tuple[str, ...]
    fees: InformationFees | None
    #: ``(field, printed figure)`` of figures no report can hold, left unread.
    unreadable: tuple[tuple[str, str], ...] = ()


def _value(field: str, text: str) -> int | Decimal | None:
    """The figure of a fee sentence, or ``None`` when it is no count or amount the model can hold."""
    kind = ValueKind.COUNT if field == "notices" else ValueKind.MONEY
    v, _, _ = parse_value(text, kind)
    return v


def fees_from(paragraphs: Sequence[str]) -> Fees:
    """
    Section 六's 信息处理费 figures, and the paragraphs that are not just the renderers' fee sentences.

    >>> fees_from(["实际收取信息处理费共计400元。"]).fees.collected_amount
    Decimal('400')
    """
    found: dict[str, int | Decimal] = {}
    unreadable: dict[str, str] = {}
    kept: list[str] = []
    templates = _fee_templates()
    for para in paragraphs:
        n = norm(para).strip()
        rest = n
        consumed: dict[str, int | Decimal] = {}
        progress = True
        while rest and progress:
            progress = False
            for field, pattern in templates:
                m = pattern.match(rest)
                if m:
                    v = _value(field, m.group(1))
                    if v is None:
                        # A figure no report can hold (found by the fuzzer): the
                        # paragraph stays in the text, its figures unread.
                        unreadable.setdefault(field, m.group(1))
                        consumed.clear()
                        rest = n
                        break
                    consumed[field] = v
                    rest = rest[m.end() :].lstrip()
                    progress = True
                    break
        if consumed and not rest:
            found.update(consumed)
            continue
        kept.append(para)
        compact = n.replace(" ", "")
        for field, pattern in _PHRASES:
            m = pattern.search(compact)
            if m and field not in found:
                v = _value(field, m.group(1))
                if v is not None:
                    found[field] = v
                else:
                    unreadable.setdefault(field, m.group(1))
        if "collected_amount" not in found and _NONE_COLLECTED.search(compact):
            found["collected_amount"] = Decimal(0)
    fees = InformationFees(**found) if found else None  # type: ignore[arg-type]
    unread = tuple((f, t) for f, t in unreadable.items() if f not in found)
    return Fees(tuple(kept), fees, unread)
