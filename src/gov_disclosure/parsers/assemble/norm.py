"""
Normalisation shared by every reader and the assembler: one way to compare printed text with labels.

Published reports print the official labels with full- or half-width
brackets, in Traditional characters, broken by spaces and line breaks, in
upper or lower case (English renderings).  Labels are compared after the same
normalisation on both sides: NFKC (full-width to half-width), lower case,
Traditional to Simplified (a character map derived from the catalogue's own
labels in every locale, plus the small alias table below), and whitespace
and cell separators deleted (label patterns allow them between any two
characters instead).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from ...catalogue import Edition, Label, catalogue

__all__ = [
    "CELL",
    "ROW",
    "alternation",
    "integral_part",
    "label_forms",
    "label_pattern",
    "norm",
    "norm_label",
    "norm_stream",
]

#: Separator between the cells of one row in the assembler's stream.
CELL = "\x1f"
#: Separator between rows in the assembler's stream.
ROW = "\n"

#: Traditional characters and regional words seen on real pages that the
#: catalogue's own labels do not teach (FORMAT.md §10.9).  Data only.
ALIASES: tuple[tuple[str, str], ...] = (
    ("檔案", "文件"),
    ("档案", "文件"),
    ("減", "减"),
    ("數", "数"),
    ("項", "项"),
    ("處", "处"),
    ("強", "强"),
    ("與", "与"),
    ("機", "机"),
    ("關", "关"),
    ("並", "并"),
    ("製", "制"),
    ("書", "书"),
    ("資訊", "信息"),
)

_WS = re.compile(r"[\s\u3000\u200b\ufeff]+")
#: "1、" and "1．" number list items like "1."
_ITEM = re.compile(r"[、．](?<=\d[、．])")  # the mark first: the engine skips to it (3x faster)


@functools.cache
def _char_map() -> dict[int, str]:
    """Traditional -> Simplified characters from the catalogue's zh_Hant_TW labels."""
    table: dict[int, str] = {}
    try:
        from ...i18n import localizer

        hant = localizer("zh_Hant_TW")
    except Exception:  # pragma: no cover -- the locale catalogues are optional
        return table
    for label in _all_labels():
        t = hant.label(label)
        if len(t) == len(label.zh):
            for a, b in zip(t, label.zh, strict=True):
                if a != b and ord(a) > 0x2E80 and ord(b) > 0x2E80:
                    table.setdefault(ord(a), b)
    for a, b in ALIASES:
        if len(a) == 1 and len(b) == 1:
            table[ord(a)] = b
    return table


def _all_labels() -> Iterator[Label]:
    for ed in Edition:
        cat = catalogue(ed)
        for section in cat.sections:
            yield section.heading
            if section.table is None:
                continue
            for part in section.table.parts:
                for lab in (part.caption, part.corner):
                    if lab is not None:
                        yield lab
                for col in part.columns:
                    yield from col.path
                for row in part.rows:
                    yield from row.path


_WORD_ALIASES = tuple((a, b) for a, b in ALIASES if len(a) > 1)


@functools.cache
def _unit_words() -> tuple[re.Pattern[str], dict[str, str], tuple[str, ...]] | None:
    """
    The units of money as the renderers write them in every locale, to read back as printed in Chinese.

    From the gettext catalogue (:data:`gov_disclosure.i18n.MONEY_UNITS` and
    the ``{value}{unit}`` template): English ``251,000 yuan`` is the
    ``251,000元`` the parser knows.  Returns the regular expression of the
    normalised forms (after a digit, not before a letter), form -> the
    Chinese unit padded with spaces to the form's length (so that
    :func:`norm_stream` keeps offsets), and the words to look for first.
    """
    try:
        from ...i18n import AMOUNT_WITH_UNIT, LOCALES, MONEY_UNITS, localizer
    except Exception:  # pragma: no cover -- the locale catalogues are optional
        return None
    forms: dict[str, str] = {}
    for name in LOCALES:
        loc = localizer(name)
        template = loc.gettext(AMOUNT_WITH_UNIT)
        start, end = template.find("{value}"), template.find("{unit}")
        gap = template[start + len("{value}") : end] if 0 <= start < end else ""
        for unit in MONEY_UNITS:
            word = _norm_chars(loc.gettext(unit))
            if any(c.isdigit() for c in word):
                # "10,000 yuan" after "1" would read 110,000 as 1万元: a unit
                # word with digits cannot be told from the number before it.
                continue
            for form in {word, _norm_chars(gap) + word}:
                # Shorter than the unit: offsets cannot hold (and no locale needs it).
                if form != unit and len(form) >= len(unit):
                    forms.setdefault(form, unit + " " * (len(form) - len(unit)))
    if not forms:
        return None
    pattern = re.compile(r"(?<=\d)(?:" + alternation(forms) + r")(?![^\W\d_])")
    words = tuple({f.strip() for f in forms})
    return pattern, forms, words


def _units_back(text: str) -> str:
    """*text* with the units of money written in another locale's words (``yuan``) in Chinese, same length."""
    units = _unit_words()
    if units is None:
        return text
    pattern, forms, words = units
    if not any(w in text for w in words):
        return text
    return pattern.sub(lambda m: forms[m.group()], text)


def norm(text: str) -> str:
    """
    Normalise printed text for comparison, keeping its spacing (collapsed to one space).

    >>> norm("（一）予以公開　 3")
    '(一)予以公开 3'
    """
    out = unicodedata.normalize("NFKC", text).lower().translate(_char_map())
    for a, b in _WORD_ALIASES:
        if a in out:
            out = out.replace(a, b)
    out = _ITEM.sub(".", _units_back(out)).replace("、", ",")
    return _WS.sub(" ", out)


@functools.cache
def _stream_map() -> dict[int, str]:
    table = dict(_char_map())
    for c in "\t\r\v\f\u3000\u00a0\u200b\ufeff\u2028\u2029":
        table[ord(c)] = " "
    return table


def norm_stream(text: str) -> str:
    r"""
    :func:`norm` character for character: spaces are not collapsed, ``\n`` and ``\x1f`` stay, so offsets into the result are offsets into *text*.

    >>> norm_stream("（一）\t予以公開\n3")
    '(一) 予以公开\n3'
    """
    try:
        # Every character normalises on its own: one table lookup each.
        out = text.translate(_SIMPLE)
    except _NotSimple:
        out = _norm_chars(text)
    for a, b in _WORD_ALIASES:
        if a in out:
            out = out.replace(a, b)
    return _ITEM.sub(".", _units_back(out)).replace("、", ",")


class _NotSimple(Exception):
    """A character :data:`_SIMPLE` cannot map on its own: normalise the whole text."""


#: Final sigma lowers by context.
_CONTEXTUAL = frozenset("\u03a3")


class _SimpleMap(dict[int, str]):
    """
    Code point -> its NFKC form, lower case and stream mapping, learnt on first sight.

    Only for characters where that is one character computed on its own (no
    canonical composition with a neighbour, no context-dependent case); any
    other raises :class:`_NotSimple` out of ``str.translate``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.not_simple: set[int] = set()

    def __missing__(self, key: int) -> str:
        if key in self.not_simple:
            raise _NotSimple
        ch = chr(key)
        d = unicodedata.normalize("NFKC", ch)
        low = d.lower()
        if (
            len(d) != 1
            or len(low) != 1
            or ch in _CONTEXTUAL
            or d in _CONTEXTUAL
            # Marks, and the jamo and vowel signs that compose with the
            # character before them (canonical composition is the only
            # NFKC step that looks at a neighbour).
            or unicodedata.category(d)[0] == "M"
            or unicodedata.combining(ch)
            or "\u1100" <= d <= "\u11ff"
        ):
            self.not_simple.add(key)
            raise _NotSimple
        out = low.translate(_stream_map())
        self[key] = out
        return out


_SIMPLE = _SimpleMap()


def _norm_chars(text: str) -> str:
    """NFKC, lower case and the stream mapping of *text*, keeping its length."""
    out = unicodedata.normalize("NFKC", text)
    if len(out) == len(text):
        low = out.lower()
        out = low if len(low) == len(out) else out
    if len(out) != len(text):
        # Rare: a character whose normal form has another length; map one by one.
        parts = []
        for ch in text:
            c = unicodedata.normalize("NFKC", ch).lower()
            parts.append(c if len(c) == 1 else ch)
        out = "".join(parts)
    return out.translate(_stream_map())


#: A number whose decimal part is all zeros: "56.0", "1,234.00", "-3.0".
_INTEGRAL = re.compile(r"([+-]?\d+(?:,\d{3})*)\.0+")


def integral_part(text: str) -> str | None:
    """
    The integer printed in *text* when its decimal part is all zeros, else ``None``.

    Counts are integers, but spreadsheets export them as ``56.0``: such a
    number is the integer exactly, and a count cell reads it (with a
    warning).  Any other decimal (``56.5``) is no count: ``None``.  *text*
    is normalised (:func:`norm_stream`: full-width digits and points are
    already half-width).

    >>> integral_part("56.0"), integral_part("1,234.00"), integral_part("56.5"), integral_part("56")
    ('56', '1,234', None, None)
    """
    m = _INTEGRAL.fullmatch(text)
    return m.group(1) if m is not None else None


def norm_label(text: str) -> str:
    """
    Normalise a label for matching: :func:`norm` with every space deleted.

    >>> norm_label("商业 企业")
    '商业企业'
    """
    return norm(text).replace(" ", "")


_PAREN = re.compile(r"\([^()]*\)$")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[,、]|\([一二三四五六七八九十]+\)|\d+\.|\(\d+\))"
)


def label_forms(label: Label, *, loose: bool = True) -> list[str]:
    """
    The normalised forms *label* may be printed in, longest first.

    Every locale's rendering of the label, and (with *loose*) the same
    without a trailing parenthesised note (``（区分处理的，只计这一情形…）``)
    and without its list number, since real pages drop or renumber both.
    """
    forms = {norm_label(t) for t in _translations(label)}
    if loose:
        for f in list(forms):
            bare = _PAREN.sub("", f)
            if bare and bare != f and len(bare) >= 2:
                forms.add(bare)
        for f in list(forms):
            m = _NUMBERING.match(f)
            if m and len(f) - m.end() >= 4:
                forms.add(f[m.end() :])
    return sorted((f for f in forms if f), key=lambda s: (-len(s), s))


def _translations(label: Label) -> Iterable[str]:
    yield label.zh
    yield label.en
    try:
        from ...i18n import localizer

        yield localizer("zh_Hant_TW").label(label)
    except Exception:  # pragma: no cover -- the locale catalogues are optional
        pass


#: Characters deleted from the compact stream that labels are matched in.
GAPS = " \t\n\r\x0b\x0c\x1f|"


def label_pattern(form: str) -> str:
    """
    A regular expression for a normalised label form, to match in the compact stream (spaces and separators deleted).

    >>> import re
    >>> bool(re.search(label_pattern("商业企业"), norm_label("商业 企业")))
    True
    """
    return re.escape(form)


def alternation(forms: Iterable[str]) -> str:
    """
    One regular expression matching any of *forms*, the longest one where several start.

    The same matches as ``"|".join(label_pattern(f) for f in forms)`` with
    the forms sorted longest first, written as a trie: the regex engine
    tries the forms one after another at every position, so sharing their
    prefixes makes the label search several times faster.

    >>> import re
    >>> alternation(["ab", "abcd", "ax"])
    'a(?:b(?:cd)?|x)'
    >>> re.findall(alternation(["规章", "规章总数"]), "规章总数 规章")
    ['规章总数', '规章']
    """
    trie: dict[str, Any] = {}
    for form in forms:
        node = trie
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    # Each branch starts with its own character, so at most one continues a
    # match; a greedy optional continuation makes the longest form win.
    alts = []
    for ch in sorted(k for k in node if k):
        child = node[ch]
        # A chain of single continuations is written as one literal run.
        run = [ch]
        while len(child) == 1 and "" not in child:
            (nxt,) = child
            run.append(nxt)
            child = child[nxt]
        alts.append(label_pattern("".join(run)) + _trie_pattern(child))
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in node:
        return (body if len(alts) > 1 else "(?:" + body + ")") + "?"
    return body
