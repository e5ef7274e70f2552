"""
Rendering: a report in the national format's layout as text, Markdown, HTML or DOCX.

Each format is a renderer class configured once (locale, options) and then
applied to reports; :func:`render` picks one and applies it.  All of them
write the same :func:`gov_disclosure.renderers._document.document` walk of the
report, whose tables come from :func:`gov_disclosure.layout`: no renderer
spells out a table's shape.

>>> import gov_disclosure as gd
>>> r = gd.AnnualReport(agency="某局", year=2021)
>>> gd.render(r, "text").splitlines()[0]
'某局2021年政府信息公开工作年度报告'
>>> gd.render(r, "pdf")
Traceback (most recent call last):
...
gov_disclosure.errors.GovDisclosureError: render: unknown format 'pdf'; choose one of text, markdown, html, docx

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any, Literal, overload

from babel import Locale

from ..errors import GovDisclosureError
from ..i18n import LOCALES
from ..model import AnnualReport
from ._base import Renderer
from .docx import DocxRenderer
from .html import HtmlRenderer
from .markdown import MarkdownRenderer
from .text import TextRenderer

__all__ = [
    "FORMATS",
    "LOCALES",
    "DocxRenderer",
    "HtmlRenderer",
    "MarkdownRenderer",
    "Renderer",
    "TextRenderer",
    "render",
    "renderer",
]

#: The output formats of :func:`render`.
FORMATS: tuple[str, ...] = ("text", "markdown", "html", "docx")

_RENDERERS: dict[str, type[Renderer]] = {
    "text": TextRenderer,
    "markdown": MarkdownRenderer,
    "html": HtmlRenderer,
    "docx": DocxRenderer,
}

Format = Literal["text", "markdown", "html", "docx"]


def renderer(format: str, *, locale: Locale | str = "zh_Hans_CN", **options: Any) -> Renderer:
    """
    Return a renderer for *format*, configured once, to apply to many reports.

    >>> import gov_disclosure as gd
    >>> from gov_disclosure import renderer
    >>> to_html = renderer("html", locale="en", standalone=True)
    >>> to_html(gd.AnnualReport(agency="Bureau", year=2021)).startswith("<!DOCTYPE html>")
    True

    Args:
        format: One of :data:`gov_disclosure.FORMATS`.
        locale: One of :data:`gov_disclosure.LOCALES` (a ``babel.Locale`` or its name).
        options: Format options (``standalone=True`` for ``html``).

    Raises:
        GovDisclosureError: unknown format, locale or option.

    .. versionadded:: 0.1.0
    """
    cls = _RENDERERS.get(format) if isinstance(format, str) else None
    if cls is None:
        raise GovDisclosureError(
            f"render: unknown format {format!r}; choose one of {', '.join(FORMATS)}"
        )
    try:
        return cls(locale=locale, **options)
    except TypeError as e:
        raise GovDisclosureError(f"render: bad option for format {format!r}: {e}") from None


@overload
def render(
    report: AnnualReport,
    format: Literal["text", "markdown", "html"],
    *,
    locale: Locale | str = ...,
    **options: Any,
) -> str: ...
@overload
def render(
    report: AnnualReport,
    format: Literal["docx"],
    *,
    locale: Locale | str = ...,
    **options: Any,
) -> bytes: ...
@overload
def render(
    report: AnnualReport, format: str, *, locale: Locale | str = ..., **options: Any
) -> str | bytes: ...
def render(
    report: AnnualReport, format: str, *, locale: Locale | str = "zh_Hans_CN", **options: Any
) -> str | bytes:
    """
    Render *report* in *format* and *locale*.

    ``"text"``, ``"markdown"`` and ``"html"`` return ``str``; ``"docx"``
    returns the bytes of a Word document (needs the ``docx`` extra).  The
    tables follow the national format's layout (:func:`gov_disclosure.layout`);
    labels and messages are in the locale; numbers are formatted with the
    locale's symbols, every digit kept; cells in ``report.blank_cells`` are
    blank.

    Args:
        report: The report.
        format: One of :data:`FORMATS`.
        locale: One of :data:`LOCALES` (``zh_Hans_CN``, the official labels;
            ``zh_Hant_TW``; ``en``), as a name or a ``babel.Locale``.
        options: Format options: ``standalone=True`` makes ``html`` a
            complete page with a print stylesheet.

    Returns:
        The rendered document.

    Raises:
        GovDisclosureError: unknown format, locale or option.
        InvalidTypeError: *report* is not an :class:`~gov_disclosure.AnnualReport`.

    .. versionadded:: 0.1.0
    """
    result: str | bytes = renderer(format, locale=locale, **options)(report)  # type: ignore[operator]
    return result
