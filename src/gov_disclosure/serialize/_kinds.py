"""
What serialization knows of the model without cattrs: the schema name, the money pattern and each field's kind.

The strict cattrs hooks (:mod:`._hooks`), the fast paths (:mod:`._fast`), the
JSON Schema and the rows share these; keeping them here lets the fast paths
load without cattrs, which only the strict path (errors, explained) needs.
"""

from __future__ import annotations

import functools
import json
import re
import typing
from typing import Any

import attrs

from .._messages import M_
from ..catalogue import Edition
from ..model import (
    AnnualReport,
    ApplicantCounts,
    OtherHandling,
    Proactive2019,
    Proactive2021,
    Requests,
    _common,
)

__all__ = [
    "MISSING",
    "MONEY_PATTERN",
    "MONEY_PATTERN_PY",
    "SCHEMA",
    "Kind",
    "describe",
    "field_kind",
    "section_types",
]

#: The schema version every document names.
SCHEMA = "gov-disclosure/1"
#: The text of an amount of money, as JSON Schema (ECMA-262) reads it: plain
#: digits (at most 18) and an optional fraction (at most 12 digits), never an
#: exponent; the same bounds as the model's money domain.
MONEY_PATTERN = r"^[0-9]{1,18}(\.[0-9]{1,12})?$"
#: The same pattern for Python's ``re`` (whose ``$`` also matches before a final newline).
MONEY_PATTERN_PY = r"\A[0-9]{1,18}(?:\.[0-9]{1,12})?\Z"
_MONEY_RE = re.compile(MONEY_PATTERN_PY)


class _Missing:
    """Stands for a key the document lacks, so that every field reports it."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()


def describe(value: object) -> str:
    """A short JSON-like rendering of a bad value for an error message."""
    if value is MISSING:
        return M_("nothing")
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = f"{type(value).__name__} {value!r}"
    return text if len(text) <= 60 else text[:57] + "..."


# --- value kinds (derived from the model's field validators) ----------------

Kind = str
_COUNT, _SIGNED, _MONEY, _TEXT, _TEXTS, _YEAR = "count", "signed", "money", "text", "texts", "year"
#: A ``str | None`` field: the printed unit of an amount, non-empty when given.
_OPTIONAL_TEXT = "optional_text"
_OPT_COUNT, _OPT_MONEY = "optional_count", "optional_money"


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """The resolved annotations of a model class (resolving them compiles each one: once is enough)."""
    return typing.get_type_hints(cls)


def field_kind(cls: type, f: attrs.Attribute[Any]) -> Kind | type | tuple[str, type] | None:
    """
    The kind of a model field: a scalar kind name, a nested attrs class, or ``("seq", cls)``.

    Returns ``None`` for the fields the report hook handles itself (edition,
    unions, blank cells).
    """
    v = f.validator
    if v is _common.count:
        return _COUNT
    if v is _common.signed:
        return _SIGNED
    if v is _common.money:
        return _MONEY
    if v is _common.text:
        return _TEXT
    if v is _common.texts:
        return _TEXTS
    if v is _common.optional_count:
        return _OPT_COUNT
    if v is _common.optional_money:
        return _OPT_MONEY
    hint = _hints(cls)[f.name]
    if cls is AnnualReport and f.name == "year":
        return _YEAR
    if cls is AnnualReport and f.name == "agency":
        return _TEXT  # text, and not blank: the model's own validator says so
    if cls is AnnualReport and f.name in ("edition", "proactive", "requests", "blank_cells"):
        return None
    if cls is Requests and f.name == "other":
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis and attrs.has(args[0]):
        return ("seq", args[0])
    if attrs.has(hint):
        return typing.cast(type, hint)
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1 and attrs.has(rest[0]):
            return ("optional", rest[0])
        if rest == [str]:
            return _OPTIONAL_TEXT
    raise TypeError(f"no serialization kind for {cls.__name__}.{f.name}")  # pragma: no cover


def section_types(edition: Edition) -> dict[str, type]:
    """The classes that fill the edition-dependent fields (the model's unions)."""
    v2019 = edition is Edition.V2019
    return {
        "proactive": Proactive2019 if v2019 else Proactive2021,
        "other": ApplicantCounts if v2019 else OtherHandling,
    }
