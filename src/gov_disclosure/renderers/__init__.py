"""
Rendering: a report in the national format's layout as text, Markdown, HTML, DOCX or XLSX.

Each format is a renderer class configured once (locale, options) and then
applied to reports; :func:`~gov_disclosure.render` picks one and applies it.  All of them
write the same ``document()`` walk (:meth:`Renderer.document <gov_disclosure.Renderer.document>`) of the
report, whose tables come from :func:`gov_disclosure.layout`: no renderer
spells out a table's shape.

This package is the extension point for output formats: a subclass of
:class:`~gov_disclosure.Renderer` registered with :func:`register` is a format of
:func:`gov_disclosure.render` (and of ``gov-disclosure render``) like the
built-in ones::

    >>> import csv, io
    >>> import gov_disclosure as gd
    >>> from gov_disclosure import renderers
    >>> class CsvRenderer(renderers.Renderer):
    ...     # Each official table as CSV rows of its localized grid.
    ...     def __call__(self, report: gd.AnnualReport) -> str:
    ...         out = io.StringIO()
    ...         writer = csv.writer(out)
    ...         for section in self.document(report).sections:
    ...             for block in section.blocks:
    ...                 if isinstance(block, renderers.Table):
    ...                     for row in block.rows():
    ...                         writer.writerow(cell.text for cell in row)
    ...         return out.getvalue()
    >>> renderers.register("csv", CsvRenderer)
    >>> report = gd.AnnualReport(agency="某局", year=2021)
    >>> print(renderers.render(report, "csv", locale="en").splitlines()[1])  # gd.render is this function
    Information,Issued this year,Repealed this year,Currently in force
    >>> renderers.unregister("csv")

>>> import gov_disclosure as gd
>>> r = gd.AnnualReport(agency="某局", year=2021)
>>> gd.render(r, "text").splitlines()[0]
'某局2021年政府信息公开工作年度报告'
>>> gd.render(r, "pdf")
Traceback (most recent call last):
...
gov_disclosure.errors.GovDisclosureError: render: unknown format 'pdf'; choose one of text, markdown, html, docx, xlsx

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import inspect
from typing import Any, Literal, overload

from babel import Locale

from ..errors import GovDisclosureError
from ..i18n import LOCALES
from ..model import AnnualReport
from ._base import Renderer
from .document import Document, Heading, Paragraph, Section, Table, TableCell
from .docx import DocxRenderer
from .html import HtmlRenderer
from .markdown import MarkdownRenderer
from .text import TextRenderer
from .xlsx import XlsxRenderer

__all__ = [
    "FORMATS",
    "LOCALES",
    "Document",
    "DocxRenderer",
    "Heading",
    "HtmlRenderer",
    "MarkdownRenderer",
    "Paragraph",
    "Renderer",
    "Section",
    "Table",
    "TableCell",
    "TextRenderer",
    "XlsxRenderer",
    "formats",
    "register",
    "render",
    "renderer",
    "unregister",
]

#: The built-in output formats of :func:`~gov_disclosure.render` (:func:`formats` adds the registered ones).
FORMATS: tuple[str, ...] = ("text", "markdown", "html", "docx", "xlsx")

_BUILTIN: dict[str, type[Renderer]] = {
    "text": TextRenderer,
    "markdown": MarkdownRenderer,
    "html": HtmlRenderer,
    "docx": DocxRenderer,
    "xlsx": XlsxRenderer,
}
_RENDERERS: dict[str, type[Renderer]] = dict(_BUILTIN)


def formats() -> tuple[str, ...]:
    """
    Every output format :func:`~gov_disclosure.render` knows now: the built-in ones, then the registered ones.

    .. versionadded:: 0.1.0
    """
    return tuple(_RENDERERS)


def register(format: str, renderer: type[Renderer], *, replace: bool = False) -> None:
    """
    Make *renderer* the renderer of *format* for :func:`~gov_disclosure.render`, :func:`~gov_disclosure.renderer` and the CLI.

    Args:
        format: The format's name (a built-in name only with *replace*).
        renderer: A subclass of :class:`~gov_disclosure.Renderer` whose ``__init__`` takes
            ``locale`` and the format's options as keyword arguments.
        replace: Replace a format that is already registered.

    Raises:
        GovDisclosureError: *format* is taken (and *replace* is false), or
            *renderer* is not a :class:`~gov_disclosure.Renderer` subclass.

    .. versionadded:: 0.1.0
    """
    if not (isinstance(renderer, type) and issubclass(renderer, Renderer)):
        raise GovDisclosureError(
            f"renderers.register: {renderer!r} is not a subclass of gov_disclosure.renderers.Renderer"
        )
    if not isinstance(format, str) or not format:
        raise GovDisclosureError(f"renderers.register: bad format name {format!r}")
    if format in _RENDERERS and not replace:
        raise GovDisclosureError(
            f"renderers.register: format {format!r} is registered already; pass replace=True"
        )
    _RENDERERS[format] = renderer


def unregister(format: str) -> None:
    """
    Forget a registered *format* (a replaced built-in format gets its own renderer back).

    .. versionadded:: 0.1.0
    """
    if format in _BUILTIN:
        _RENDERERS[format] = _BUILTIN[format]
    else:
        _RENDERERS.pop(format, None)


Format = Literal["text", "markdown", "html", "docx", "xlsx"]


# Typed like render(): one overload per built-in format with its renderer's real
# keyword options, so that a type checker refuses a misspelt option.  A format
# known only at run time takes its options as a ``**`` mapping (not checked).
@overload
def renderer(format: Literal["text", "markdown"], *, locale: Locale | str = ...) -> Renderer: ...
@overload
def renderer(
    format: Literal["html"], *, locale: Locale | str = ..., standalone: bool = ...
) -> Renderer: ...
@overload
def renderer(format: Literal["docx", "xlsx"], *, locale: Locale | str = ...) -> Renderer: ...
@overload
def renderer(format: str, *, locale: Locale | str = ...) -> Renderer: ...
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
        options: Format options (``standalone=True`` for ``html``).  They
            are typed as :func:`~gov_disclosure.render`'s: a type checker
            refuses an option the format does not have.  With a format known
            only at run time (a ``str`` variable, a registered format), pass
            them as a mapping, ``renderer(fmt, **options)``, which a type
            checker does not look into (they are checked when called).

    Raises:
        GovDisclosureError: unknown format, locale or option.

    .. versionadded:: 0.1.0
    """
    cls = _RENDERERS.get(format) if isinstance(format, str) else None
    if cls is None:
        raise GovDisclosureError(
            f"render: unknown format {format!r}; choose one of {', '.join(formats())}"
        )
    try:
        # Only a call that does not fit the renderer's signature is a bad option:
        # a TypeError from inside a renderer is its own bug and stays one.
        inspect.signature(cls).bind(locale=locale, **options)
    except TypeError as e:
        raise GovDisclosureError(f"render: bad option for format {format!r}: {e}") from None
    return cls(locale=locale, **options)


# One overload per built-in format with that renderer's real keyword options
# (HtmlRenderer's ``standalone``; the others have none), so that a type checker
# refuses a misspelt option, or one of another format.  The last one, for a
# format only known at run time (a variable, a registered format), takes no
# option: options with such a format go through renderer(fmt, **options).
@overload
def render(
    report: AnnualReport,
    format: Literal["text", "markdown"],
    *,
    locale: Locale | str = ...,
) -> str: ...
@overload
def render(
    report: AnnualReport,
    format: Literal["html"],
    *,
    locale: Locale | str = ...,
    standalone: bool = ...,
) -> str: ...
@overload
def render(
    report: AnnualReport,
    format: Literal["docx", "xlsx"],
    *,
    locale: Locale | str = ...,
) -> bytes: ...
@overload
def render(report: AnnualReport, format: str, *, locale: Locale | str = ...) -> str | bytes: ...
def render(
    report: AnnualReport, format: str, *, locale: Locale | str = "zh_Hans_CN", **options: Any
) -> str | bytes:
    """
    Render *report* in *format* and *locale*.

    ``"text"``, ``"markdown"`` and ``"html"`` return ``str``; ``"docx"``
    returns the bytes of a Word document (needs the ``docx`` extra),
    ``"xlsx"`` those of the filing workbook (needs the ``xlsx`` extra; see
    :class:`~gov_disclosure.XlsxRenderer`).  The
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
            complete page with a print stylesheet.  They are typed: a type
            checker refuses an option the format does not have (a misspelt
            one).  With a format known only at run time (a ``str``
            variable, a registered format), pass options to
            :func:`~gov_disclosure.renderer` as a mapping
            (``renderer(fmt, **options)``).

    Returns:
        The rendered document.

    Raises:
        GovDisclosureError: unknown format, locale or option.
        InvalidTypeError: *report* is not an :class:`~gov_disclosure.AnnualReport`.

    .. versionadded:: 0.1.0
    """
    return renderer(format, locale=locale, **options)(report)
