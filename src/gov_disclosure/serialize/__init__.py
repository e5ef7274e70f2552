"""
Every way a report goes in and out: versioned JSON documents, dicts, JSON Schema and tidy rows.

Integrators store reports in databases, send them between services and hand
them to analysts.  The way out is lossless and deterministic; the way in is
strict, because a document is a contract: a count is a JSON integer (never
``true``, ``1.5`` or ``"1"``), money is a JSON string holding the decimal (no
float rounding, ever), and unknown or missing keys are errors.  Every problem
of a document is reported at once, each with its path, in one
:class:`~gov_disclosure.StructureError`.

One cattrs converter (a preconf JSON converter, on orjson when the ``json``
extra is installed) is the strict path; :func:`from_json`,
:func:`from_dict` and :func:`to_dict` use code generated from the model
first (see ``_fast``), and :func:`from_json` and :func:`from_dict` fall back
to the converter's strict hooks, which decide and explain.  The converter
(and cattrs) is imported only when a document needs it, and the rows and the
JSON Schema only when asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from .._messages import M_
from ..catalogue import Edition
from ..errors import StructureError
from ..model import AnnualReport
from ._fast import Defer, builder, msgspec_decode, unstructurer
from ._kinds import SCHEMA

if TYPE_CHECKING:
    from ._rows import from_rows, read_rows, to_rows, write_rows
    from ._schema import json_schema
    from ._types import (
        ReportDocument,
        ReportDocument2019,
        ReportDocument2021,
        TidyRow,
        TidyRowRead,
    )

try:
    import orjson as _orjson
except ImportError:  # pragma: no cover -- exercised only without the ``json`` extra
    _orjson = None  # type: ignore[assignment]

__all__ = [
    "SCHEMA",
    "ReportDocument",
    "ReportDocument2019",
    "ReportDocument2021",
    "TidyRow",
    "TidyRowRead",
    "from_dict",
    "from_json",
    "from_rows",
    "json_schema",
    "read_rows",
    "to_dict",
    "to_json",
    "to_rows",
    "write_rows",
]

_EDITIONS = {e.value: e for e in Edition}

#: The names imported from their module on first use (:pep:`562`): the rows
#: need ``csv`` and the cell tables, the schema ``inspect``.
_LAZY = {
    "from_rows": "_rows",
    "read_rows": "_rows",
    "to_rows": "_rows",
    "write_rows": "_rows",
    "json_schema": "_schema",
    "ReportDocument": "_types",
    "ReportDocument2019": "_types",
    "ReportDocument2021": "_types",
    "TidyRow": "_types",
    "TidyRowRead": "_types",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def to_dict(report: AnnualReport) -> ReportDocument:
    """
    Return *report* as a JSON-compatible dict: the document :func:`to_json` writes.

    Its type is :class:`~gov_disclosure.ReportDocument` (check
    ``d["edition"]`` and ``cast`` to :class:`~gov_disclosure.ReportDocument2019`
    or :class:`~gov_disclosure.ReportDocument2021` for one edition's exact shape).

    The document starts with ``"schema": "gov-disclosure/1"`` and the
    ``edition``; sections follow under the model's attribute names.  Money
    is a string holding the decimal, counts are ints, paragraphs are lists,
    ``blank_cells`` is a sorted list, and every key is present (``null``
    for what a report does not state).

    >>> import gov_disclosure as gd
    >>> d = gd.to_dict(gd.AnnualReport(agency="某局", year=2021))
    >>> list(d)[:4], d["proactive"]["fees"]
    (['schema', 'edition', 'agency', 'year'], {'amount': '0'})

    .. versionadded:: 0.1.0
    """
    return cast("ReportDocument", unstructurer()(report))


def from_dict(data: ReportDocument | ReportDocument2019 | ReportDocument2021) -> AnnualReport:
    """
    Build a report from a document dict, strictly: the inverse of :func:`to_dict`.

    The document and its nested objects are plain ``dict`` and ``list``
    values, as :func:`to_dict` and ``json.loads`` give them.  It is checked
    at run time whatever its static type (a document of another source: ``cast``
    it to :class:`~gov_disclosure.ReportDocument` for a type checker).

    >>> import gov_disclosure as gd
    >>> r = gd.AnnualReport(agency="某局", year=2020)
    >>> gd.from_dict(gd.to_dict(r)) == r
    True

    Raises:
        StructureError: the document breaks the contract; ``errors`` lists
            every problem as ``(path, message)``.

    .. versionadded:: 0.1.0
    """
    if type(data) is dict:
        tag = data.get("edition")
        edition = _EDITIONS.get(tag) if type(tag) is str else None
        if edition is not None:
            try:
                return builder(edition)(data)
            except Defer:
                pass
    return _strict(data)


def _strict(data: Any) -> AnnualReport:
    from cattrs.errors import BaseValidationError

    from ._hooks import Invalid, converter, flatten

    try:
        report: AnnualReport = converter.structure(data, AnnualReport)
    except (BaseValidationError, Invalid) as e:
        raise StructureError(flatten(e)) from None
    return report


def to_json(report: AnnualReport) -> bytes:
    """
    Serialize *report* to a JSON document: UTF-8 bytes, Chinese unescaped, deterministic.

    The same report always gives the same bytes (keys in the model's order,
    no whitespace), with orjson or, without the ``json`` extra, the standard
    library.

    >>> import gov_disclosure as gd
    >>> gd.to_json(gd.AnnualReport(agency="某局", year=2021))[:64].decode()
    '{"schema":"gov-disclosure/1","edition":"2021","agency":"某局",'

    .. versionadded:: 0.1.0
    """
    return _dumps(to_dict(report))


def _dumps(doc: Any) -> bytes:
    if _orjson is not None:
        try:
            return _orjson.dumps(doc)
        except TypeError:  # an int beyond 64 bits: the standard library writes it
            pass
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _loads(data: bytes | str) -> Any:
    try:
        if _orjson is not None:
            return _orjson.loads(data)
        return json.loads(data, parse_constant=_reject_constant)
    except ValueError as e:  # orjson.JSONDecodeError and json.JSONDecodeError are ValueErrors
        raise StructureError([("$", M_("not valid JSON: {e}", e=e))]) from None


def from_json(data: bytes | str) -> AnnualReport:
    """
    Read a report from a JSON document written by :func:`to_json`, strictly.

    >>> import gov_disclosure as gd
    >>> r = gd.AnnualReport(agency="某局", year=2021)
    >>> gd.from_json(gd.to_json(r)) == r
    True
    >>> gd.from_json(b'{"schema": "gov-disclosure/9", "edition": "2021"}')
    Traceback (most recent call last):
    ...
    gov_disclosure.errors.StructureError: invalid document:
      $.schema: unknown schema version "gov-disclosure/9"; this library reads "gov-disclosure/1"

    Raises:
        StructureError: the data is not JSON, or the document breaks the
            contract; ``errors`` lists every problem as ``(path, message)``.

    .. versionadded:: 0.1.0
    """
    try:
        return msgspec_decode(data)
    except Defer:
        return from_dict(_loads(data))


#: The most report documents read from one JSON array (a real report's
#: document is 8-25 KB; an array of millions of empty objects would make as
#: many results).
MAX_DOCUMENTS = 10_000
#: The largest file of report documents read (a JSON array of thousands of
#: reports outgrows ``MAX_INPUT_BYTES``, the bound of one published report).
MAX_DOCUMENT_FILE_BYTES = 256 * 1024 * 1024


def _unwrap(doc: Any) -> Any:
    """The report document of *doc*: itself, or the ``report`` of an envelope of ``parse --envelope``."""
    if type(doc) is dict and "schema" not in doc and type(doc.get("report")) is dict:
        return doc["report"]
    return doc


def split_documents(data: bytes | str) -> tuple[list[Any], bool]:
    """
    The report documents in *data* (envelopes unwrapped), and whether they came as a JSON array.

    What the command line reads from a ``.json`` file: ``parse`` and
    ``convert`` write one document, or an array of them for several reports;
    ``parse --envelope`` wraps each in ``{file, format, report, ...}``.
    """
    doc = _loads(data)
    if type(doc) is list:
        if len(doc) > MAX_DOCUMENTS:
            raise StructureError(
                [
                    (
                        "$",
                        M_(
                            "an array of {n} documents; at most {limit} are read from one file",
                            n=len(doc),
                            limit=MAX_DOCUMENTS,
                        ),
                    )
                ]
            )
        return [_unwrap(item) for item in doc], True
    return [_unwrap(doc)], False


def loads_many(data: bytes | str) -> list[AnnualReport]:
    """Read one document or a JSON array of documents, envelopes unwrapped (used by the command line)."""
    docs, array = split_documents(data)
    if not array:
        return [from_dict(docs[0])]
    out, errors = [], []
    for i, item in enumerate(docs):
        try:
            out.append(from_dict(item))
        except StructureError as e:
            errors += [(f"$[{i}]" + p[1:], m) for p, m in e.errors]
    if errors:
        raise StructureError(errors)
    return out


def dumps_many(reports: Iterable[AnnualReport]) -> bytes:
    """One document for one report, else a JSON array of documents (used by the command line)."""
    docs = [to_dict(r) for r in reports]
    return _dumps(docs[0] if len(docs) == 1 else docs)
