"""
JSON Schema (draft 2020-12) of the report document, generated from the model and the catalogue.

Written by walking the same attrs classes and field kinds the strict hooks
use, so the schema and :func:`gov_disclosure.from_json` cannot drift apart:
a document the schema rejects is rejected by ``from_json`` too (the tests
check it).  ``from_json`` is the stricter of the two: JSON Schema's
``integer`` admits ``1.0``, ``from_json`` does not.
"""

from __future__ import annotations

import copy
import functools
import inspect
from typing import Any

import attrs

from ..catalogue import FIRST_YEAR, YEARS_AHEAD, Edition, catalogue, last_year
from ..model import AnnualReport, Requests
from ._kinds import MONEY_PATTERN, SCHEMA, field_kind, section_types

__all__ = ["json_schema"]

_SCALARS: dict[str, dict[str, Any]] = {
    "count": {"type": "integer", "minimum": 0},
    "signed": {"type": "integer"},
    "year": {"type": "integer", "minimum": FIRST_YEAR},
    "money": {
        "type": "string",
        "pattern": MONEY_PATTERN,
        "description": "A non-negative decimal amount, as a string (no float rounding).",
    },
    "text": {"type": "string"},
    "texts": {"type": "array", "items": {"type": "string"}},
}


def _space_ranges() -> str:
    """Python's white space (``str.isspace``, what ``str.strip`` removes) as escaped ranges."""
    codes = [c for c in range(0x10000) if chr(c).isspace()]
    out: list[str] = []
    start = prev = codes[0]
    for c in [*codes[1:], -1]:
        if c == prev + 1:
            prev = c
            continue
        out.append(f"\\u{start:04x}" + (f"-\\u{prev:04x}" if prev != start else ""))
        start = prev = c
    return "".join(out)


#: Some character that is not white space, as the model's ``not value.strip()``
#: tests it.  Spelled out rather than ``\S``, whose meaning differs between
#: regular expression dialects (ECMA 262 counts U+FEFF, Python U+001C-U+001F).
_NOT_BLANK = f"[^{_space_ranges()}]"


#: A character the model forbids in an agency's name (a class, unanchored:
#: "$" before a final newline differs between regular expression dialects).
_FORBIDDEN = (
    "["
    + "".join(
        f"\\u{ord(a):04x}-\\u{ord(b):04x}"
        for a, b in (("\x00", "\x1f"), ("\x7f", "\x9f"), ("\u2028", "\u2029"))
    )
    + "]"
)


def _year(edition: Edition) -> dict[str, Any]:
    """The reporting years a document of *edition* may have: the model's bounds, as of today."""
    first, last = edition.earliest_year, last_year()
    return {
        "type": "integer",
        "minimum": first,
        "maximum": last,
        "description": (
            f"The reporting year: from {first} (the first year the {edition.value} edition "
            f"is used for) to {last}, {YEARS_AHEAD} years after the year this schema was "
            "generated (gov_disclosure.json_schema() writes the bound of the day it runs: "
            "it moves with the calendar, as the model's does)."
        ),
    }


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return doc.strip().splitlines()[0] if doc.strip() else cls.__name__


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, cls: type, edition: Edition | None = None) -> dict[str, Any]:
        name = cls.__name__
        if cls in (AnnualReport, Requests):
            assert edition is not None
            name = f"{name}{edition.value}"
        if name not in self.defs:
            self.defs[name] = {}  # reserve the name before recursing
            self.defs[name] = self.obj(cls, edition)
        return {"$ref": f"#/$defs/{name}"}

    def obj(self, cls: type, edition: Edition | None) -> dict[str, Any]:
        props: dict[str, Any] = {}
        if cls is AnnualReport:
            assert edition is not None
            props["schema"] = {"const": SCHEMA}
        for f in attrs.fields(cls):
            props[f.name] = self.field(cls, f, edition)
        return {
            "type": "object",
            "title": cls.__name__ if edition is None else f"{cls.__name__} ({edition.value})",
            "description": _summary(cls),
            "properties": props,
            "required": list(props),
            "additionalProperties": False,
        }

    def field(self, cls: type, f: attrs.Attribute[Any], edition: Edition | None) -> Any:
        if cls is AnnualReport:
            assert edition is not None
            types = section_types(edition)
            if f.name == "edition":
                return {"const": edition.value}
            if f.name == "year":
                return _year(edition)
            if f.name == "agency":
                return {
                    **_SCALARS["text"],
                    "pattern": _NOT_BLANK,
                    "not": {"pattern": _FORBIDDEN},
                    "description": (
                        "The agency's name: not empty, not only white space, on one line "
                        "(no control characters or line separators)."
                    ),
                }
            if f.name == "proactive":
                return self.ref(types["proactive"])
            if f.name == "requests":
                return self.ref(Requests, edition)
            if f.name == "blank_cells":
                return {
                    "type": "array",
                    "items": {"enum": sorted(catalogue(edition).cells)},
                    "uniqueItems": True,
                    "description": "Keys of the cells printed blank and held as 0.",
                }
        if cls is Requests and f.name == "other":
            assert edition is not None
            return self.ref(section_types(edition)["other"])
        kind = field_kind(cls, f)
        if isinstance(kind, str):
            if kind == "optional_text":  # the printed unit of an amount: never ""
                return _nullable({**_SCALARS["text"], "minLength": 1})
            if kind.startswith("optional_"):
                return _nullable(dict(_SCALARS[kind.removeprefix("optional_")]))
            return dict(_SCALARS[kind])
        if isinstance(kind, tuple) and kind[0] == "seq":
            return {"type": "array", "items": self.ref(kind[1])}
        if isinstance(kind, tuple) and kind[0] == "optional":
            return _nullable(self.ref(kind[1]))
        if isinstance(kind, type):
            return self.ref(kind)
        raise AssertionError((cls, f.name))  # pragma: no cover


@functools.cache
def _schema(edition: Edition | None, last: int) -> dict[str, Any]:
    # *last* (the latest year accepted) is in the key: a process that runs
    # into a new year gets the new bound, as the model does.
    b = _Builder()
    editions = [edition] if edition is not None else list(Edition)
    refs = [b.ref(AnnualReport, e) for e in editions]
    head: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gov-disclosure.readthedocs.io/schema/{SCHEMA}"
        + ("" if edition is None else f"/{edition.value}"),
        "title": f"Annual report on government information disclosure ({SCHEMA})",
        "description": "A 政府信息公开工作年度报告 as written by gov_disclosure.to_json().",
    }
    body: dict[str, Any] = refs[0] if len(refs) == 1 else {"oneOf": refs}
    return {**head, **body, "$defs": dict(sorted(b.defs.items()))}


def json_schema(edition: Edition | str | None = None) -> dict[str, Any]:
    """
    Return the JSON Schema (draft 2020-12) of the report document, both editions or one.

    Generated from the model and the catalogue.  Every object is closed
    (``additionalProperties: false``) and every key required; money is a
    string matching a decimal pattern; ``edition`` selects the variant.

    >>> import gov_disclosure as gd
    >>> s = gd.json_schema()
    >>> s["$schema"], [r["$ref"] for r in s["oneOf"]]
    ('https://json-schema.org/draft/2020-12/schema', ['#/$defs/AnnualReport2019', '#/$defs/AnnualReport2021'])
    >>> s["$defs"]["ApplicantCounts"]["properties"]["total"]
    {'type': 'integer', 'minimum': 0}

    Args:
        edition: Only this edition's document, or ``None`` for both.

    Returns:
        A fresh dict (change it freely).

    .. versionadded:: 0.1.0
    """
    return copy.deepcopy(_schema(Edition(edition) if edition is not None else None, last_year()))
