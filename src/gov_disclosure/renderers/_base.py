"""
What every renderer shares: the locale option, set once, and the document walk.

A renderer is configured once (locale and format options) and then applied to
any number of reports, as structlog's processors are; :func:`gov_disclosure.render`
only picks the renderer and calls it.
"""

from __future__ import annotations

from babel import Locale

from ..errors import InvalidTypeError
from ..i18n import Localizer, localizer
from ..model import AnnualReport
from ._document import Document, document

__all__ = ["Renderer"]


class Renderer:
    """
    Base of the format renderers: holds the locale and walks the report for its subclass.

    .. versionadded:: 0.1.0
    """

    #: Whether numbers are written with the locale's group separator.
    grouping = True

    def __init__(self, *, locale: Locale | str = "zh_Hans_CN") -> None:
        self._loc: Localizer = localizer(locale)

    @property
    def locale(self) -> str:
        """The locale name the renderer writes (one of ``LOCALES``)."""
        return self._loc.name

    def _document(self, report: AnnualReport) -> Document:
        if not isinstance(report, AnnualReport):
            raise InvalidTypeError("render: report", report, "an AnnualReport")
        return document(report, self._loc, grouping=self.grouping)
