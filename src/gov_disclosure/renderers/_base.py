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
from .document import Document, document

__all__ = ["Renderer"]


class Renderer:
    """
    Base of the format renderers: holds the locale and walks the report for its subclass.

    A subclass takes its format options as keyword arguments of ``__init__``
    (calling ``super().__init__(locale=locale)``), and implements
    ``__call__(report)`` returning ``str`` or ``bytes`` from
    :meth:`document`.  Register it with :func:`gov_disclosure.renderers.register`
    to make it a format of :func:`gov_disclosure.render` and of the CLI.

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

    def document(self, report: AnnualReport) -> Document:
        """
        The walk of *report* that the subclass writes out: title, sections, localized tables.

        A new format's renderer calls this in its ``__call__`` and decides only
        how each block looks (see :class:`gov_disclosure.renderers.Document`).

        Raises:
            InvalidTypeError: *report* is not an :class:`~gov_disclosure.AnnualReport`.
        """
        if not isinstance(report, AnnualReport):
            raise InvalidTypeError("render: report", report, "an AnnualReport")
        return document(report, self._loc, grouping=self.grouping)

    def __call__(self, report: AnnualReport) -> str | bytes:
        """Render *report*: ``str`` for a text format, ``bytes`` for a binary one."""
        raise NotImplementedError(f"{type(self).__name__} does not implement __call__")
