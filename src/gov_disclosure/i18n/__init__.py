"""
Locales: gettext catalogues for the official labels and messages, and number formatting.

The Simplified Chinese official labels of the catalogue are the gettext
message ids, so no label is typed twice: ``zh_Hans_CN`` needs no catalogue,
the ``en`` catalogue's translations are generated from
:attr:`gov_disclosure.Label.en`, and ``zh_Hant_TW`` is translated in its
``.po`` file.  The catalogues live in ``gov_disclosure/i18n/locale/<locale>/
LC_MESSAGES/gov_disclosure.po``; the compiled ``.mo`` files are built by
``make locale`` (``pybabel compile``) and by the wheel's build hook.  When a
``.mo`` file is missing (a source checkout that was not compiled) the ``.po``
source is read instead with babel, so the result is the same, only slower to
load once.

Locales are never changed process-wide: each :class:`Localizer` holds its own
translations and number symbols.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import gettext
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
from attrs import frozen

from .._messages import M_
from ..catalogue import Label
from ..errors import GovDisclosureError

if TYPE_CHECKING:  # babel is imported when a locale is first used: checking needs none
    from babel import Locale

__all__ = ["LOCALES", "MESSAGES", "Localizer", "locale_name", "localizer"]

#: The supported locales: the official Simplified Chinese, Traditional Chinese, English.
LOCALES: tuple[str, ...] = ("zh_Hans_CN", "zh_Hant_TW", "en")

#: The gettext domain of the package's catalogues.
DOMAIN = "gov_disclosure"

#: Where the ``<locale>/LC_MESSAGES/gov_disclosure.po`` (and ``.mo``) files are.
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(message: str) -> str:
    """Mark *message* for extraction (``pybabel extract -k N_``) without translating it."""
    return message


# Messages the renderers write besides the catalogue's labels.  The message id
# is the Simplified Chinese text; ``{...}`` fields are filled after translation.

#: The report title.
TITLE = N_("{agency}{year}年政府信息公开工作年度报告")
#: Section 六's fee figures, one sentence per stated figure.
FEE_NOTICES = N_("本年度发出收费通知{value}件。")
FEE_NOTIFIED = N_("收费通知金额{value}元。")
FEE_COLLECTED = N_("实际收取信息处理费{value}元。")
#: The note a finding gets when some of its cells were printed blank.
BLANK_CELLS = N_("（含空白单元格：{cells}）")
#: The note a finding on a sum (汇总) gets: the contributing reports that break
#: the rule on their own (numbered from 1), and the note when none does.
CONTRIBUTORS = N_("（出错的报告：{who}）")
CONTRIBUTOR = N_("第{n}份 {agency}：应为 {expected}，实为 {actual}")
CONTRIBUTORS_SEP = N_("；")
CONTRIBUTORS_MORE = N_("；另有 {n} 份")
NO_CONTRIBUTOR = N_("（没有一份报告单独违反此规则，由汇总本身产生）")

#: The units of money a cell may print (the 2019 edition's 采购总金额 keeps its
#: printed unit in :attr:`Procurement2019.amount_unit
#: <gov_disclosure.Procurement2019.amount_unit>`), and an amount written with one.
UNIT_YUAN = N_("元")
UNIT_WAN_YUAN = N_("万元")
UNIT_YI_YUAN = N_("亿元")
AMOUNT_WITH_UNIT = N_("{value}{unit}")

#: The words of a comparison table (:meth:`gov_disclosure.Comparison.render`).
CMP_ITEM = N_("项目")
CMP_KEY = N_("单元格")
CMP_YEAR = N_("{year}年")
CMP_CHANGE = N_("增减")
CMP_RELATIVE = N_("增减率")
CMP_NOTE = N_("说明")
CMP_SUM = N_("与{keys}之和比较")
CMP_NONE = N_("{edition}年版格式无对应项")
CMP_UNSTATED = N_("未填报")
CMP_SEP = N_("、")

#: The words of the filing workbook (``render(report, "xlsx")``) besides the catalogue's labels.
XLSX_COVER = N_("封面")
XLSX_NARRATIVE = N_("正文")
XLSX_AGENCY = N_("报告机关")
XLSX_YEAR = N_("报告年度")
XLSX_EDITION = N_("格式版本")
XLSX_EDITION_VALUE = N_("{edition}年版")
XLSX_SEE_SHEET = N_("见工作表“{sheet}”")
XLSX_CHECKS = N_("勾稽校验")
XLSX_COUNT = N_("请填写非负整数。")
XLSX_SIGNED = N_("请填写整数（可为负数）。")
XLSX_MONEY = N_("请填写非负数。")
XLSX_BAD_VALUE = N_("不是有效的数值")

#: Every message id above, in order (the renderers' own messages).
MESSAGES: tuple[str, ...] = (
    TITLE,
    FEE_NOTICES,
    FEE_NOTIFIED,
    FEE_COLLECTED,
    BLANK_CELLS,
    CONTRIBUTORS,
    CONTRIBUTOR,
    CONTRIBUTORS_SEP,
    CONTRIBUTORS_MORE,
    NO_CONTRIBUTOR,
    UNIT_YUAN,
    UNIT_WAN_YUAN,
    UNIT_YI_YUAN,
    AMOUNT_WITH_UNIT,
    CMP_ITEM,
    CMP_KEY,
    CMP_YEAR,
    CMP_CHANGE,
    CMP_RELATIVE,
    CMP_NOTE,
    CMP_SUM,
    CMP_NONE,
    CMP_UNSTATED,
    CMP_SEP,
    XLSX_COVER,
    XLSX_NARRATIVE,
    XLSX_AGENCY,
    XLSX_YEAR,
    XLSX_EDITION,
    XLSX_EDITION_VALUE,
    XLSX_SEE_SHEET,
    XLSX_CHECKS,
    XLSX_COUNT,
    XLSX_SIGNED,
    XLSX_MONEY,
    XLSX_BAD_VALUE,
)

#: The units of money with a message id: a unit printed otherwise is written as printed.
MONEY_UNITS: tuple[str, ...] = (UNIT_YUAN, UNIT_WAN_YUAN, UNIT_YI_YUAN)

#: The section 六 fee fields with their sentence, in the order they are written.
FEE_SENTENCES: tuple[tuple[str, str], ...] = (
    ("notices", FEE_NOTICES),
    ("notified_amount", FEE_NOTIFIED),
    ("collected_amount", FEE_COLLECTED),
)


def locale_name(locale: Locale | str) -> str:
    """
    Return the supported locale name (one of :data:`LOCALES`) that *locale* designates.

    Accepts a :class:`babel.Locale` or an identifier; ``zh``, ``zh_CN`` and
    ``zh_Hans`` mean ``zh_Hans_CN``, ``zh_TW`` and ``zh_Hant`` mean
    ``zh_Hant_TW``, and any English locale means ``en``.

    >>> locale_name("zh_TW"), locale_name("en_GB"), locale_name("zh-Hans-CN")
    ('zh_Hant_TW', 'en', 'zh_Hans_CN')

    Raises:
        GovDisclosureError: the locale is unknown or not supported.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    if isinstance(locale, Locale):
        loc = locale
    elif isinstance(locale, str):
        try:
            loc = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError, TypeError):
            raise _unsupported(locale) from None
    else:
        raise _unsupported(locale)
    name = str(loc)
    if name in LOCALES:
        return name
    if loc.language == "en":
        return "en"
    likely = get_global("likely_subtags").get(name)
    if likely in LOCALES:
        return str(likely)
    raise _unsupported(locale)


def _unsupported(locale: object) -> GovDisclosureError:
    return GovDisclosureError(
        M_(
            "locale: {locale!r} is not supported; choose one of {choices}",
            locale=locale,
            choices=", ".join(LOCALES),
        )
    )


@frozen
class Localizer:
    """
    The translations and number symbols of one supported locale.

    Obtain one with :func:`localizer`; it is cached per locale.

    >>> from gov_disclosure import catalogue
    >>> loc = localizer("zh_Hant_TW")
    >>> loc.label(catalogue("2021").section("requests").heading)
    '三、收到和處理政府資訊公開申請情況'
    >>> loc.number(Decimal("1234.50"))
    '1,234.50'
    """

    name: str
    locale: Locale
    translations: gettext.NullTranslations
    decimal: str
    group: str
    minus: str
    _symbols: dict[int, str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        table = {",": self.group, ".": self.decimal, "-": self.minus}
        swaps = {ord(k): v for k, v in table.items() if k != v}
        object.__setattr__(self, "_symbols", swaps)

    def gettext(self, message: str) -> str:
        """Translate the message id *message* (Simplified Chinese) into this locale."""
        return self.translations.gettext(message)

    def label(self, label: Label) -> str:
        """The official *label* in this locale."""
        return self.translations.gettext(label.zh)

    def number(self, value: int | Decimal, *, grouping: bool = True) -> str:
        """
        Format a count or an amount with the locale's symbols, every digit kept.

        Integers are written with the locale's group separator (babel's
        ``#,##0`` pattern for all three locales); amounts keep exactly the
        digits they hold (``Decimal("1.50")`` stays ``1.50``): nothing is
        rounded.
        """
        # Python's own formatting groups by three and keeps a Decimal's digits;
        # the locale's symbols are swapped in afterwards.
        if isinstance(value, Decimal):
            text = format(value, ",f" if grouping else "f")
        else:
            text = format(int(value), "," if grouping else "d")
        return text.translate(self._symbols) if self._symbols else text


@functools.cache
def _localizer(name: str) -> Localizer:
    from babel import Locale

    loc = Locale.parse(name)
    table = loc.number_symbols
    # babel 2.14 keys the symbols by numbering system; 2.12 and 2.13 hold the Latin ones flat.
    symbols = table.get("latn", table)
    pattern = loc.decimal_formats[None]
    if pattern.grouping != (3, 3) or pattern.int_prec[0] != 1:  # pragma: no cover -- new locales
        raise GovDisclosureError(
            f"locale {name}: number pattern {pattern.pattern!r} is not #,##0 (grouping by "
            "three), which Localizer.number writes; extend it before adding this locale"
        )
    return Localizer(
        name=name,
        locale=loc,
        translations=_translations(name),
        decimal=symbols["decimal"],
        group=symbols["group"],
        minus=symbols["minusSign"],
    )


def localizer(locale: Locale | str) -> Localizer:
    """
    Return the (cached) :class:`Localizer` of *locale*.

    Raises:
        GovDisclosureError: the locale is not one of :data:`LOCALES`.
    """
    return _localizer(locale_name(locale))


class _DictTranslations(gettext.NullTranslations):
    """Translations read from a ``.po`` source (used when the ``.mo`` is missing)."""

    def __init__(self, messages: dict[str, str]) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message


def _translations(name: str) -> gettext.NullTranslations:
    if name == "zh_Hans_CN":
        return gettext.NullTranslations()  # the message ids are the official labels
    return translations(name, DOMAIN)


def translations(name: str, domain: str) -> gettext.NullTranslations:
    """
    The gettext catalogue of *domain* for the supported locale *name* (the ``.mo``, else the ``.po``).

    The package has two domains: ``gov_disclosure`` (the labels and
    messages, Simplified Chinese message ids) and ``gov_disclosure_cli`` (the
    command line's own texts, English message ids).

    Raises:
        GovDisclosureError: the package lacks the catalogue.
    """
    folder = LOCALE_DIR / name / "LC_MESSAGES"
    mo = folder / f"{domain}.mo"
    if mo.is_file():
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    po = folder / f"{domain}.po"
    if not po.is_file():
        raise GovDisclosureError(
            f"locale {name}: neither {mo} nor {po} exists; the package is incomplete "
            "(reinstall it, or run `make locale` in a source checkout)"
        )
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        cat = read_po(f, locale=name, domain=domain)
    return _DictTranslations(
        {
            m.id: m.string
            for m in cat
            if isinstance(m.id, str)
            and m.id
            and isinstance(m.string, str)
            and m.string
            and not m.fuzzy
        }
    )
