"""
The one exception hierarchy of gov-disclosure.

Every error the library raises on purpose derives from
:class:`GovDisclosureError`, and also from the builtin it resembles
(``ValueError`` for a bad value, ``TypeError`` for a wrong type), so callers
can catch either.  Exceptions carry their data (the field, the path, the
location) as attributes, not only in the message.
"""

from __future__ import annotations

from ._messages import M_

__all__ = [
    "CellsError",
    "GovDisclosureError",
    "InvalidTypeError",
    "InvalidValueError",
    "MissingExtraError",
    "ParseError",
    "ReportsError",
    "StructureError",
    "UnsupportedEditionError",
]


class GovDisclosureError(Exception):
    """
    Base class of every error raised by gov-disclosure.

    .. versionadded:: 0.1.0
    """


class InvalidValueError(GovDisclosureError, ValueError):
    """
    A model field was given a value of the right type but out of its domain.

    Attributes:
        field: ``Class.field`` of the offending field.
        value: The rejected value.

    .. versionadded:: 0.1.0
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: expected {expected}, got {value!r}")


class InvalidTypeError(GovDisclosureError, TypeError):
    """
    A model field was given a value of the wrong type (a ``bool`` for a count, a ``float`` for money...).

    Attributes:
        field: ``Class.field`` of the offending field.
        value: The rejected value.

    .. versionadded:: 0.1.0
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: expected {expected}, got {type(value).__name__} {value!r}")


class UnsupportedEditionError(GovDisclosureError, ValueError):
    """
    The reporting year (or edition) is outside the formats this library knows.

    The national format exists from reporting year 2019 on; earlier reports
    followed different rules and are out of scope.

    Attributes:
        year: The offending year, when a year was given.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, year: int | None = None) -> None:
        self.year = year
        super().__init__(message)


class CellsError(GovDisclosureError, ValueError):
    """
    A flat cell mapping does not fit the edition: unknown, missing or badly typed keys.

    Attributes:
        unknown: Keys that the edition does not have.
        missing: Keys that the edition requires but the mapping lacks.
        invalid: ``(key, message)`` pairs for values of the wrong type or domain.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        *,
        unknown: tuple[str, ...] = (),
        missing: tuple[str, ...] = (),
        invalid: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.unknown = unknown
        self.missing = missing
        self.invalid = invalid
        parts = []
        if unknown:
            parts.append("unknown keys: " + ", ".join(unknown))
        if missing:
            parts.append("missing keys: " + ", ".join(missing))
        for key, msg in invalid:
            parts.append(f"{key}: {msg}")
        super().__init__("; ".join(parts))


class StructureError(GovDisclosureError, ValueError):
    """
    Serialized data does not match the document contract.

    Attributes:
        errors: ``(path, message)`` pairs, one per problem, with JSONPath-like
            paths such as ``$.requests.granted.total``.

    .. versionadded:: 0.1.0
    """

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("invalid document:\n" + "\n".join(f"  {p}: {m}" for p, m in errors))


class ParseError(GovDisclosureError, ValueError):
    """
    A published report could not be read.

    Attributes:
        location: Where in the source the problem is (``line 12``,
            ``table 2, row 3, column 4``), or ``None`` for the whole input.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, location: str | None = None) -> None:
        self.location = location
        #: The message without the location.
        self.message = message
        super().__init__(f"{location}: {message}" if location else message)


class ReportsError(GovDisclosureError, ValueError):
    """
    A set of reports cannot be combined as asked.

    Raised by :func:`aggregate` (no reports, mixed editions or years,
    duplicates, money in units that cannot be reconciled) and by
    :func:`~gov_disclosure.continuity_chain` (no reports, two reports of one
    year, several agencies).  The message names the odd report out by its
    position in the input and its agency.

    Attributes:
        index: Position in the input of the report at fault, or ``None`` when
            the input as a whole is at fault (an empty list).
        agency: That report's agency, or ``None``.
        other_index: Position of the report it conflicts with, when there is
            one (the first report of another edition, the first copy of a
            duplicate).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        message: str,
        *,
        index: int | None = None,
        agency: str | None = None,
        other_index: int | None = None,
    ) -> None:
        self.index = index
        self.agency = agency
        self.other_index = other_index
        super().__init__(message)


class MissingExtraError(GovDisclosureError, ImportError):
    """
    An optional feature was used without the extra that installs its library.

    The message names the extra to install, e.g. ``parsing HTML needs lxml:
    pip install "gov-disclosure[html]"``.

    Attributes:
        feature: What was asked for (``parsing HTML``, ``writing Parquet``...).
        extra: The extra of ``gov-disclosure`` that installs it (``html``).
        module: The module that could not be imported (also ``name``, as for
            any ``ImportError``).

    .. versionadded:: 0.1.0
    """

    def __init__(self, feature: str, extra: str, module: str, *, detail: str = "") -> None:
        self.feature = feature
        self.extra = extra
        self.module = module
        top = module.partition(".")[0]
        message = (
            M_(
                '{feature} needs {module} ({detail}): pip install "gov-disclosure[{extra}]"',
                feature=feature,
                module=top,
                detail=detail,
                extra=extra,
            )
            if detail
            else M_(
                '{feature} needs {module}: pip install "gov-disclosure[{extra}]"',
                feature=feature,
                module=top,
                extra=extra,
            )
        )
        super().__init__(message, name=module)
