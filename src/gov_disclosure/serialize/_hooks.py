"""
The strict cattrs converter behind :mod:`gov_disclosure.serialize`, configured once.

cattrs' default hooks are lenient: ``int("1")`` turns a string into a count,
``int(1.5)`` truncates, ``int(True)`` is 1, and any value passes for a
``str``.  A serialized report is a contract between systems, so every field
of the model gets a strict hook here, chosen from the field's own validator
(a count, a signed count, money, text...), and every class gets a hook that
rejects unknown keys and missing keys.  Errors are collected by cattrs'
detailed validation and turned into ``(path, message)`` pairs, every problem
at once.

The unions of the model (section 二 and （六）其他处理) are resolved by the
document's ``edition``: each edition has its own generated hooks for
:class:`~gov_disclosure.AnnualReport` and :class:`~gov_disclosure.Requests`.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .._messages import M_
from ..catalogue import FIRST_YEAR, Edition, catalogue, last_year
from ..model import (
    AnnualReport,
    ApplicantCounts,
    ExtraRow,
    InformationFees,
    OtherHandling,
    Proactive2019,
    Proactive2021,
    Requests,
    Subsection,
    _common,
)
from ._kinds import (
    _COUNT,
    _MONEY,
    _MONEY_RE,
    _OPT_COUNT,
    _OPT_MONEY,
    _OPTIONAL_TEXT,
    _SIGNED,
    _TEXT,
    _TEXTS,
    _YEAR,
    MISSING,
    MONEY_PATTERN,
    MONEY_PATTERN_PY,
    SCHEMA,
    Kind,
    describe,
    field_kind,
    section_types,
)

_make_preconf: Callable[..., cattrs.Converter]
try:  # orjson is the optional ``json`` extra; the standard library gives the same bytes.
    from cattrs.preconf.orjson import make_converter as _orjson_converter

    _make_preconf = _orjson_converter
except ImportError:  # pragma: no cover -- exercised only without the extra
    from cattrs.preconf.json import make_converter as _json_converter

    _make_preconf = _json_converter

__all__ = [
    "MISSING",
    "MONEY_PATTERN",
    "MONEY_PATTERN_PY",
    "SCHEMA",
    "Invalid",
    "Kind",
    "converter",
    "describe",
    "field_kind",
    "flatten",
    "section_types",
]


class Invalid(Exception):
    """One bad value; the path is added by cattrs' notes."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def note(e: Exception, *notes: str) -> Exception:
    """Attach cattrs validation notes to *e* (``add_note`` is Python 3.11+)."""
    e.__notes__ = [*getattr(e, "__notes__", []), *notes]  # type: ignore[attr-defined]
    return e


def _int(value: object, *, signed: bool = False) -> int:
    if value is MISSING:
        raise Invalid(M_("required key missing"))
    if type(value) is not int:
        if signed:
            raise Invalid(M_("expected an int, got {got}", got=describe(value)))
        raise Invalid(M_("expected a non-negative int, got {got}", got=describe(value)))
    if not _common.count_in_domain(value, signed=signed):
        if value < 0 and not signed:
            raise Invalid(M_("expected a non-negative int, got {got}", got=describe(value)))
        raise Invalid(
            M_("expected an int between -2**63 and 2**63, got {got}", got=describe(value))
        )
    return value


def _money(value: object) -> Decimal:
    if value is MISSING:
        raise Invalid(M_("required key missing"))
    if type(value) is not str or not _MONEY_RE.match(value):
        raise Invalid(
            M_(
                'expected a non-negative decimal amount as a JSON string (e.g. "4068.208"), got {got}',
                got=describe(value),
            )
        )
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover -- the pattern admits only decimals
        raise Invalid(M_("expected a decimal amount, got {got}", got=describe(value))) from None


def _text(value: object) -> str:
    if value is MISSING:
        raise Invalid(M_("required key missing"))
    if type(value) is not str:
        raise Invalid(M_("expected a string, got {got}", got=describe(value)))
    if not _common.encodable(value):
        raise Invalid(M_("expected text encodable as UTF-8, got a lone surrogate"))
    return value


def _list(value: object) -> list[Any]:
    if value is MISSING:
        raise Invalid(M_("required key missing"))
    if type(value) is not list:
        raise Invalid(M_("expected an array, got {got}", got=describe(value)))
    return value


def _texts(value: object) -> tuple[str, ...]:
    items = _list(value)
    errors: list[Exception] = []
    for i, item in enumerate(items):
        if type(item) is not str:
            e = Invalid(M_("expected a string, got {got}", got=describe(item)))
        elif not _common.encodable(item):
            e = Invalid(M_("expected text encodable as UTF-8, got a lone surrogate"))
        else:
            continue
        note(e, IterableValidationNote(f"Structuring item @ index {i}", i, str))
        errors.append(e)
    if errors:
        raise IterableValidationError("invalid paragraphs", errors, tuple[str, ...])
    return tuple(items)


def _scalar_hook(kind: Kind) -> Callable[[Any, Any], Any]:
    if kind == _COUNT:
        return lambda v, _: _int(v)
    if kind == _SIGNED:
        return lambda v, _: _int(v, signed=True)
    if kind == _MONEY:
        return lambda v, _: _money(v)
    if kind == _TEXT:
        return lambda v, _: _text(v)
    if kind == _TEXTS:
        return lambda v, _: _texts(v)
    if kind == _OPT_COUNT:
        return lambda v, _: None if v is None else _int(v)
    if kind == _OPT_MONEY:
        return lambda v, _: None if v is None else _money(v)
    if kind == _OPTIONAL_TEXT:
        return lambda v, _: None if v is None else _unit_text(v)
    if kind == _YEAR:
        return lambda v, _: _year(v)
    raise AssertionError(kind)  # pragma: no cover


def _unit_text(value: object) -> str:
    """An optional text field (the printed unit of an amount): a non-empty string when given."""
    text = _text(value)
    if text == "":
        raise Invalid(
            M_('expected a unit as printed or null, got "" (null says no unit was printed)')
        )
    return text


def _year(value: object) -> int:
    year = _int(value, signed=True)
    if year < FIRST_YEAR:
        raise Invalid(
            M_(
                "expected a reporting year of {FIRST_YEAR} or later (the national format starts then), got {got}",
                FIRST_YEAR=FIRST_YEAR,
                got=describe(value),
            )
        )
    if year > last_year():
        raise Invalid(
            M_(
                "expected a reporting year up to {last}, got {got}",
                last=last_year(),
                got=describe(value),
            )
        )
    return year


# --- the converter -----------------------------------------------------------


def _object_hook(conv: cattrs.Converter, cls: type, **extra: Any) -> Callable[[Any, Any], Any]:
    """A strict hook for an attrs class: every key required, no unknown key, strict fields."""
    overrides: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if f.name in extra:
            overrides[f.name] = override(struct_hook=extra[f.name])
            continue
        kind = field_kind(cls, f)
        if isinstance(kind, str):
            overrides[f.name] = override(struct_hook=_scalar_hook(kind))
        elif isinstance(kind, tuple) and kind[0] == "seq":
            overrides[f.name] = override(struct_hook=_seq_hook(conv, kind[1]))
        elif isinstance(kind, tuple) and kind[0] == "optional":
            overrides[f.name] = override(struct_hook=_nested_hook(conv, kind[1], optional=True))
        elif isinstance(kind, type):
            overrides[f.name] = override(struct_hook=_nested_hook(conv, kind))
    gen: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls,
        conv,
        _cattrs_forbid_extra_keys=True,
        _cattrs_detailed_validation=True,
        _cattrs_prefer_attrib_converters=False,
        **overrides,
    )
    names = tuple(f.name for f in attrs.fields(cls))

    def hook(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise Invalid(M_("expected an object, got {got}", got=describe(value)))
        missing = [n for n in names if n not in value]
        if missing:
            value = {**value, **dict.fromkeys(missing, MISSING)}
        return gen(value, cls)

    return hook


def _nested_hook(
    conv: cattrs.Converter, cls: type, *, optional: bool = False
) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _: Any) -> Any:
        return None if optional and value is None else _nested(conv, value, cls)

    return hook


def _nested(conv: cattrs.Converter, value: Any, cls: type) -> Any:
    if value is MISSING:
        raise Invalid(M_("required key missing"))
    return conv.structure(value, cls)


def _seq_hook(conv: cattrs.Converter, cls: type) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _: Any) -> tuple[Any, ...]:
        items = _list(value)
        out: list[Any] = []
        errors: list[Exception] = []
        for i, item in enumerate(items):
            try:
                out.append(conv.structure(item, cls))
            except Exception as e:
                note(e, IterableValidationNote(f"Structuring item @ index {i}", i, cls))
                errors.append(e)
        if errors:
            raise IterableValidationError(f"invalid {cls.__name__} items", errors, tuple)
        return tuple(out)

    return hook


def _blank_hook(edition: Edition) -> Callable[[Any, Any], frozenset[str]]:
    known = catalogue(edition).cells

    def hook(value: Any, _: Any) -> frozenset[str]:
        items = _list(value)
        errors: list[Exception] = []
        for i, item in enumerate(items):
            if type(item) is not str or item not in known:
                e = Invalid(
                    M_(
                        "expected a cell key of edition {edition}, got {got}",
                        edition=edition.value,
                        got=describe(item),
                    )
                )
                note(e, IterableValidationNote(f"Structuring item @ index {i}", i, str))
                errors.append(e)
        result = frozenset(items)
        if not errors and len(result) != len(items):
            errors.append(Invalid(M_("expected each cell key once, got duplicates")))
        if errors:
            raise IterableValidationError("invalid blank cells", errors, frozenset)
        return result

    return hook


def _edition_hooks(conv: cattrs.Converter, edition: Edition) -> Callable[[Any, Any], Any]:
    types = section_types(edition)
    requests = _object_hook(conv, Requests, other=lambda v, _: _nested(conv, v, types["other"]))
    return _object_hook(
        conv,
        AnnualReport,
        edition=lambda v, _: edition,
        proactive=lambda v, _: _nested(conv, v, types["proactive"]),
        requests=lambda v, _: (
            requests(v, Requests) if v is not MISSING else _nested(conv, v, Requests)
        ),
        blank_cells=_blank_hook(edition),
    )


def _structure_report(conv: cattrs.Converter) -> Callable[[Any, Any], AnnualReport]:
    by_edition = {e.value: _edition_hooks(conv, e) for e in Edition}

    def hook(value: Any, _: Any) -> AnnualReport:
        if type(value) is not dict:
            raise Invalid(
                M_("expected a JSON object (a report document), got {got}", got=describe(value))
            )
        head: list[Exception] = []
        schema = value.get("schema", MISSING)
        if schema != SCHEMA or type(schema) is not str:
            head.append(
                _noted(
                    Invalid(
                        M_("required key missing")
                        if schema is MISSING
                        else M_(
                            'unknown schema version {got}; this library reads "{schema}"',
                            got=describe(schema),
                            schema=SCHEMA,
                        )
                    ),
                    "schema",
                )
            )
        edition = value.get("edition", MISSING)
        if type(edition) is not str or edition not in by_edition:
            head.append(
                _noted(
                    Invalid(
                        M_("required key missing")
                        if edition is MISSING
                        else M_(
                            "unknown edition {got}; expected one of {editions}",
                            got=describe(edition),
                            editions=", ".join(f'"{e.value}"' for e in Edition),
                        )
                    ),
                    "edition",
                )
            )
        if head:
            # Without a known schema and edition the body cannot be judged.
            raise ClassValidationError("invalid document", head, AnnualReport)
        body = {k: v for k, v in value.items() if k != "schema"}
        try:
            report: AnnualReport = by_edition[edition](body, AnnualReport)
        except ClassValidationError as e:
            hint = _edition_hint(value, Edition(edition))
            if hint is None:
                raise
            raise ClassValidationError(e.message, [hint, *e.exceptions], AnnualReport) from None
        return report

    return hook


def _edition_hint(value: dict[str, Any], edition: Edition) -> Exception | None:
    """Say so when the body is the other edition's (section 二 or （六）其他处理 has its rows)."""
    (other,) = [e for e in Edition if e is not edition]
    mine, theirs = section_types(edition), section_types(other)
    requests = value.get("requests")
    parts = (
        (value.get("proactive"), mine["proactive"], theirs["proactive"]),
        (requests.get("other") if type(requests) is dict else None, mine["other"], theirs["other"]),
    )
    for part, want, got in parts:
        names = {f.name for f in attrs.fields(got)}
        if type(part) is dict and set(part) == names != {f.name for f in attrs.fields(want)}:
            return _noted(
                Invalid(
                    M_(
                        'the document says edition "{edition}" but its body is a {other}-edition body ({type} rows)',
                        edition=edition.value,
                        other=other.value,
                        type=got.__name__,
                    )
                ),
                "edition",
            )
    return None


def _noted(e: Exception, name: str) -> Exception:
    return note(e, AttributeValidationNote(f"Structuring class @ attribute {name}", name, Any))


def _unstructure_report(conv: cattrs.Converter) -> Callable[[AnnualReport], dict[str, Any]]:
    fields = make_dict_unstructure_fn(AnnualReport, conv)

    def hook(report: AnnualReport) -> dict[str, Any]:
        body = fields(report)
        # schema and edition first: a reader sees what it holds before the body.
        out = {"schema": SCHEMA, "edition": report.edition.value}
        out.update(body)
        out["edition"] = report.edition.value
        return out

    return hook


def _build() -> cattrs.Converter:
    conv = _make_preconf(forbid_extra_keys=True, detailed_validation=True)
    conv.register_unstructure_hook(Decimal, _common.money_text)
    # Sets have no order: sorted, so the same report always gives the same bytes.
    conv.register_unstructure_hook_func(
        lambda t: t is frozenset or typing.get_origin(t) is frozenset,  # type: ignore[comparison-overlap]
        sorted,
    )
    # Tuples become JSON arrays: paragraphs directly, nested classes item by item.
    conv.register_unstructure_hook_func(lambda t: t == tuple[str, ...], list)
    conv.register_unstructure_hook_factory(
        lambda t: (
            typing.get_origin(t) is tuple  # type: ignore[comparison-overlap]
            and attrs.has(typing.get_args(t)[0])
        ),
        lambda t: _tuple_unstructure(conv, typing.get_args(t)[0]),
    )
    for cls in _model_classes():
        conv.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, conv))
        if cls not in (AnnualReport, Requests):  # edition-dependent: see _edition_hooks
            conv.register_structure_hook(cls, _object_hook(conv, cls))
    conv.register_unstructure_hook(AnnualReport, _unstructure_report(conv))
    conv.register_structure_hook(AnnualReport, _structure_report(conv))
    return conv


def _tuple_unstructure(conv: cattrs.Converter, cls: type) -> Callable[[Any], list[Any]]:
    item = conv.get_unstructure_hook(cls)
    return lambda t: [item(x) for x in t]


def _model_classes() -> list[type]:
    """Every attrs class reachable from :class:`AnnualReport`, in field order."""
    seen: list[type] = []

    def walk(cls: type) -> None:
        if cls in seen:
            return
        seen.append(cls)
        hints = typing.get_type_hints(cls)
        for f in attrs.fields(cls):
            for t in (hints[f.name], *typing.get_args(hints[f.name])):
                if attrs.has(t):
                    walk(t)

    roots: tuple[type, ...] = (
        AnnualReport,
        Proactive2019,
        Proactive2021,
        ApplicantCounts,
        OtherHandling,
        ExtraRow,
        Subsection,
        InformationFees,
    )
    for cls in roots:
        walk(cls)
    return seen


#: The one converter of the library: every function of :mod:`gov_disclosure.serialize` uses it.
converter: cattrs.Converter = _build()


# --- errors ------------------------------------------------------------------


def _key(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return (
        f"{path}.{name}"
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)
        else f"{path}[{json.dumps(name, ensure_ascii=False)}]"
    )


def flatten(exc: BaseException, path: str = "$") -> list[tuple[str, str]]:
    """Turn a cattrs validation error tree into ``(path, message)`` pairs, in document order."""
    out: list[tuple[str, str]] = []

    def walk(e: BaseException, p: str) -> None:
        if isinstance(e, (ClassValidationError, IterableValidationError)):
            with_notes, without = e.group_exceptions()
            for sub, note in with_notes:
                name = note.name if isinstance(note, AttributeValidationNote) else note.index
                walk(sub, _key(p, name))
            for sub in without:
                walk(sub, p)
        elif isinstance(e, ForbiddenExtraKeysError):
            for k in sorted(e.extra_fields):
                out.append((_key(p, k), M_("unknown key")))
        elif isinstance(e, Invalid):
            out.append((p, e.message))
        elif isinstance(e, KeyError):  # pragma: no cover -- every field has a strict hook
            out.append((p, M_("required key missing")))
        else:
            out.append((p, M_("{type}: {e}", type=type(e).__name__, e=e)))

    walk(exc, path)
    return out
