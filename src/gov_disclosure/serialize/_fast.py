"""
The fast paths of :func:`gov_disclosure.from_json` and :func:`gov_disclosure.from_dict`: code generated from the model that decodes into the same attrs classes.

The strict cattrs hooks of :mod:`gov_disclosure.serialize._hooks` collect
every problem with its path, which costs time on every field.  Most documents
are valid, so the loaders first try a path generated here per edition:

- :func:`msgspec_decode` (``from_json``, when msgspec is installed) decodes
  the bytes in C into msgspec Struct mirrors of the model, which check every
  type, bound, required key and unknown key, then converts them;
- :func:`builder` (``from_dict``, and ``from_json`` without msgspec) checks a
  dict field by field in straight-line code (the same checks as the strict
  hooks) and builds.

Both create the objects without running the attrs validators again (every
value they would check has just been checked), and share one frozen instance
for rows of zeros, as the model's defaults do.  Any doubt raises
:class:`Defer`, and the strict hooks then decide, with every error and its
path.  The fast paths never accept a document the strict hooks reject, and
build equal objects: the property tests of ``tests/test_serialize.py`` check
both.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

import attrs

from .._codecache import compile_cached
from ..catalogue import FIRST_YEAR, Edition, catalogue, last_year
from ..model import AnnualReport, Requests
from ..model._common import MAX_COUNT, encodable, money_text
from ..model.report import agency_forbidden
from ..rules._check import CLEAN_NAMESPACE, clean_conditions, mark_clean
from ._kinds import MONEY_PATTERN_PY, SCHEMA, field_kind, section_types

__all__ = ["Defer", "builder", "msgspec_decode", "unstructurer"]


class Defer(Exception):
    """The fast path is not sure: let the strict hooks decide."""


#: Field kinds whose every check the msgspec mirror makes (type, bounds): nothing to convert.
_CHECKED_BY_MSGSPEC = frozenset(
    {"count", "signed", "year", "optional_count", "text", "optional_text"}
)


class _Gen:
    """Writes the builder source: nested classes inline, sequences as their own functions."""

    def __init__(self, edition: Edition, *, struct: bool = False) -> None:
        # struct: the input is msgspec's mirror Structs, whose decoder already
        # checked every type, bound and key; only the conversions remain.
        self.struct = struct
        self.edition = edition
        self.types = section_types(edition)
        self.ns: dict[str, Any] = {
            "D": Defer,
            "new": object.__new__,
            "Dec": Decimal,
            "M": re.compile(MONEY_PATTERN_PY).match,
            "SCHEMA": SCHEMA,
            "ED": edition,
            "EDV": edition.value,
            "FIRST": FIRST_YEAR,
            "EARLIEST": edition.earliest_year,
            "LAST": last_year,
            "AGENCY_BAD": agency_forbidden,
            "MAXC": MAX_COUNT,
            "U": encodable,
            "KNOWN": frozenset(catalogue(edition).cells),
            "fs": frozenset,
            "MARK": mark_clean,
            **CLEAN_NAMESPACE,
        }
        self.functions: dict[type, str] = {}
        self.src: list[str] = []
        self.n = 0
        # The locals of the top function holding each value or object read at
        # an attribute path of the report (not those under an optional object).
        self.locals: dict[tuple[str, ...], str] = {}

    def var(self) -> str:
        self.n += 1
        return f"v{self.n}"

    def function(self, cls: type) -> str:
        """A function building one *cls* from a dict (for items of sequences)."""
        if cls not in self.functions:
            name = self.functions[cls] = f"{'s' if self.struct else 'b'}_{cls.__name__}"
            lines = [f"def {name}(d):", *self.body(cls, "d", "o", "    ", None), "    return o"]
            self.src.append("\n".join(lines))
        return self.functions[cls]

    def body(
        self, cls: type, src: str, dst: str, ind: str, path: tuple[str, ...] | None
    ) -> list[str]:
        """
        Lines that check the dict in *src* and leave the built *cls* in *dst*.

        *path* is the attribute path of the object in the report when its
        values stay in locals of the top function (``None`` otherwise).
        """
        self.ns[f"C_{cls.__name__}"] = cls
        fields = attrs.fields(cls)
        top = cls is AnnualReport
        keys = (("schema",) if top else ()) + tuple(f.name for f in fields)
        names = {k: self.var() for k in keys}
        if self.struct:
            out = [f"{ind}{names[k]} = {src}.{k}" for k in keys if k not in ("schema", "edition")]
        else:
            out = [f"{ind}if type({src}) is not dict or len({src}) != {len(keys)}: raise D"]
            # Every key present and no other (the length): no unknown, no missing key.
            out.append(f"{ind}try:")
            out += [f"{ind}    {names[k]} = {src}[{k!r}]" for k in keys]
            out.append(f"{ind}except KeyError: raise D from None")
            if top:
                out.append(f"{ind}if {names['schema']} != SCHEMA: raise D")
        ints, nonneg = [], []
        children: list[tuple[str, type]] = []  # the fields built inline, with their class
        for f in fields:
            v = names[f.name]
            kind = field_kind(cls, f)
            if path is not None:
                at = (*path, f.name)
                self.locals[at] = v
            if top and f.name == "edition":
                out += (
                    [f"{ind}{v} = ED"]
                    if self.struct
                    else [f"{ind}if {v} != EDV: raise D", f"{ind}{v} = ED"]
                )
                continue
            if self.struct and kind in _CHECKED_BY_MSGSPEC:
                if kind in ("count", "signed"):
                    ints.append(v)
                continue
            if self.struct and kind in ("money", "optional_money", "texts"):
                conv = "Dec" if kind != "texts" else "tuple"
                guard = f"if {v} is not None: " if kind == "optional_money" else ""
                out.append(f"{ind}{guard}{v} = {conv}({v})")
                continue
            if top and f.name == "blank_cells":
                if not self.struct:  # (the mirror reads a list of the edition's cell keys)
                    out += [
                        f"{ind}if type({v}) is not list: raise D",
                        f"{ind}for x in {v}:",
                        f"{ind}    if type(x) is not str or x not in KNOWN: raise D",
                    ]
                out += [
                    f"{ind}n = len({v})",
                    f"{ind}{v} = fs({v})",
                    f"{ind}if len({v}) != n: raise D",
                ]
                continue
            if top and f.name in ("proactive", "requests"):
                kind = self.types["proactive"] if f.name == "proactive" else Requests
            if cls is Requests and f.name == "other":
                kind = self.types["other"]
            if kind == "count":
                ints.append(v)
                nonneg.append(v)
            elif kind == "signed":
                ints.append(v)
            elif kind == "year":
                out.append(f"{ind}if type({v}) is not int or {v} < FIRST: raise D")
            elif kind in ("money", "optional_money"):
                inner = ind
                if kind == "optional_money":
                    out.append(f"{ind}if {v} is not None:")
                    inner = ind + "    "
                out += [
                    f"{inner}if type({v}) is not str or not M({v}): raise D",
                    f"{inner}{v} = Dec({v})",
                ]
            elif kind == "optional_count":
                out.append(
                    f"{ind}if {v} is not None and (type({v}) is not int or not 0 <= {v} <= MAXC):"
                    " raise D"
                )
            elif kind == "text":
                out.append(f"{ind}if type({v}) is not str or not U({v}): raise D")
            elif kind == "optional_text":
                out.append(
                    f"{ind}if {v} is not None and (type({v}) is not str or not {v} or not U({v})):"
                    " raise D"
                )
            elif kind == "texts":
                out += [
                    f"{ind}if type({v}) is not list: raise D",
                    f"{ind}for x in {v}:",
                    f"{ind}    if type(x) is not str or not U(x): raise D",
                    f"{ind}{v} = tuple({v})",
                ]
            elif isinstance(kind, tuple) and kind[0] == "seq":
                fn = self.function(kind[1])
                out += [
                    f"{ind}if type({v}) is not list: raise D",
                    f"{ind}{v} = tuple([{fn}(x) for x in {v}])",
                ]
            elif isinstance(kind, tuple) and kind[0] == "optional":
                out.append(f"{ind}if {v} is not None:")
                out += self.body(kind[1], v, v, ind + "    ", None)
            elif isinstance(kind, type):
                out += self.body(kind, v, v, ind, None if path is None else (*path, f.name))
                children.append((v, kind))
            else:  # pragma: no cover
                raise AssertionError((cls, f.name, kind))
        if ints and not self.struct:
            out.append(
                f"{ind}if " + " or ".join(f"type({v}) is not int" for v in ints) + ": raise D"
            )
        if nonneg:
            out.append(f"{ind}if " + " or ".join(f"{v} < 0" for v in nonneg) + ": raise D")
        if ints and not self.struct:
            # The model's 64-bit bound (msgspec's mirror types check it themselves).
            out.append(
                f"{ind}if " + " or ".join(f"not -MAXC <= {v} <= MAXC" for v in ints) + ": raise D"
            )
        obj = self.var()
        make = ind
        zero = f"Z_{cls.__name__}"
        if len(ints) == len(fields):
            # A row of zeros (most rows of most reports) is one shared frozen
            # instance, as the model's own defaults are: no object to create.
            self.ns.setdefault(zero, cls(**{f.name: 0 for f in fields}))
            out.append(f"{ind}if not ({' or '.join(ints)}): {obj} = {zero}")
            out.append(f"{ind}else:")
            make = ind + "    "
        elif len(children) == len(fields) and all(
            f"Z_{c.__name__}" in self.ns for _, c in children
        ):
            # A group of rows of zeros (a whole outcome group, the whole table
            # of a report that received no application) is shared likewise.
            zeros = {
                f.name: self.ns[f"Z_{c.__name__}"]
                for f, (_, c) in zip(fields, children, strict=True)
            }
            self.ns.setdefault(zero, cls(**zeros))
            test = " and ".join(f"{v} is Z_{c.__name__}" for v, c in children)
            out.append(f"{ind}if {test}: {obj} = {zero}")
            out.append(f"{ind}else:")
            make = ind + "    "
        out.append(f"{make}{obj} = new(C_{cls.__name__})")
        for f in fields:
            setter = f"S_{cls.__name__}_{f.name}"
            self.ns[setter] = getattr(cls, f.name).__set__
            out.append(f"{make}{setter}({obj}, {names[f.name]})")
        out.append(f"{ind}{dst} = {obj}")
        if top:
            # The model's rules the builder bypasses: blank cells hold 0; the
            # year is in range and the edition in use for it; an agency is named.
            blank = names["blank_cells"]
            out.append(f"{ind}if {blank} and ({self.blank_held(blank)}): raise D")
            year, agency = names["year"], names["agency"]
            out.append(
                f"{ind}if not EARLIEST <= {year} <= LAST() or not {agency}.strip()"
                f" or AGENCY_BAD({agency}): raise D"
            )
            # What check() would test first, on the values still in locals:
            # when nothing is broken, check() of this very object is a lookup.
            conditions = clean_conditions(self.edition, cell=self.cell, obj=self.obj, blanks=blank)
            out.append(f"{ind}if not (")
            out += [f"{ind}    ({c}) or" for c in conditions]
            out += [f"{ind}    False", f"{ind}): MARK({obj})"]
        return out

    def obj(self, path: tuple[str, ...]) -> str:
        """The expression of the built object at *path* (a local, or attributes of one)."""
        if not path:
            return "o"
        return self.locals.get(path) or f"{self.obj(path[:-1])}.{path[-1]}"

    def cell(self, key: str) -> str:
        """The expression of a cell's value: the local it was read into, when there is one."""
        return self.obj(catalogue(self.edition).cells[key].attr_path)

    def blank_held(self, blank: str) -> str:
        """
        The condition that a cell of the blank cells *blank* holds something other than 0.

        What :func:`~gov_disclosure.model.report.blank_held` decides, on the
        values still in locals: one truth test per cell, and a set lookup
        only for a cell that holds something.  A value "holds something"
        when it is truthy: 0, ``Decimal("0.00")`` and ``None`` (an unstated
        section 六 figure) do not.
        """
        tests = []
        for key, cell in catalogue(self.edition).cells.items():
            parent = self.obj(cell.attr_path[:-1])
            guard = f"{parent} is not None and " if cell.optional else ""
            tests.append(f"({guard}{self.obj(cell.attr_path)} and {key!r} in {blank})")
        return " or ".join(tests)


@functools.cache
def builder(edition: Edition, *, struct: bool = False) -> Callable[[Any], AnnualReport]:
    """
    The fast builder of a whole report document of *edition* (raises :class:`Defer`).

    With *struct*, the builder converts the msgspec mirror of the document
    (see :func:`msgspec_decode`) instead of a dict.
    """
    gen = _Gen(edition, struct=struct)
    top = ["def build(d):", *gen.body(AnnualReport, "d", "o", "    ", ()), "    return o"]
    source = "\n\n".join([*gen.src, "\n".join(top)])
    code = compile_cached(source, f"<gov_disclosure fast path {edition.value} {struct=}>")
    exec(code, gen.ns)
    fn: Callable[[Any], AnnualReport] = gen.ns["build"]
    fn.__doc__ = source  # kept for debugging: the generated code
    return fn


# --- msgspec: decoding in C into mirror Structs, then the same classes ------------

#: msgspec bounds must fit in an int64.  Beyond 2**64 orjson reads floats (which
#: the strict path rejects); in between, the mirror rejects and the other paths decide.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _mirror(edition: Edition) -> Any:
    """The msgspec Struct mirror of the document of *edition*, generated from the model."""
    import msgspec

    types = section_types(edition)
    count = Annotated[int, msgspec.Meta(ge=0, le=_INT_MAX)]
    scalars: dict[str, Any] = {
        "count": count,
        "signed": Annotated[int, msgspec.Meta(ge=_INT_MIN, le=_INT_MAX)],
        "year": Annotated[int, msgspec.Meta(ge=FIRST_YEAR, le=_INT_MAX)],
        "money": Annotated[str, msgspec.Meta(pattern=MONEY_PATTERN_PY)],
        "text": str,
        "texts": list[str],
        "optional_count": count | None,
        "optional_text": Annotated[str, msgspec.Meta(min_length=1)] | None,
    }
    scalars["optional_money"] = scalars["money"] | None
    done: dict[type, Any] = {}

    def struct(cls: type) -> Any:
        if cls in done:
            return done[cls]
        fields: list[tuple[str, Any]] = []
        for f in attrs.fields(cls):
            kind: Any = field_kind(cls, f)
            if cls is AnnualReport and f.name == "edition":
                continue  # the tag
            if cls is AnnualReport and f.name == "blank_cells":
                # The cell keys of the edition, checked in C (duplicates by the builder).
                fields.append((f.name, list[Literal[tuple(catalogue(edition).cells)]]))  # type: ignore[misc]
                continue
            if cls is AnnualReport and f.name in ("proactive", "requests"):
                kind = types["proactive"] if f.name == "proactive" else Requests
            if cls is Requests and f.name == "other":
                kind = types["other"]
            if isinstance(kind, str):
                fields.append((f.name, scalars[kind]))
            elif isinstance(kind, tuple) and kind[0] == "seq":
                fields.append((f.name, list[struct(kind[1])]))  # type: ignore[misc]
            elif isinstance(kind, tuple) and kind[0] == "optional":
                fields.append((f.name, struct(kind[1]) | None))
            else:
                fields.append((f.name, struct(kind)))
        # gc=False: a mirror holds scalars, lists of str and other mirrors, read
        # from JSON (a tree), so it is never in a reference cycle, and the
        # collector need not track the fifty objects of each document.
        options: dict[str, Any] = {"forbid_unknown_fields": True, "gc": False}
        name = cls.__name__
        if cls is AnnualReport:
            fields.insert(0, ("schema", Literal[SCHEMA]))
            options.update(tag_field="edition", tag=edition.value)
        if cls in (AnnualReport, Requests):
            name += edition.value
        done[cls] = msgspec.defstruct(name, fields, **options)
        return done[cls]

    return struct(AnnualReport)


@functools.cache
def _msgspec() -> tuple[Callable[[Any], Any], dict[type, Callable[[Any], AnnualReport]]] | None:
    try:
        import msgspec
    except ImportError:  # pragma: no cover -- msgspec is optional (the ``json`` extra)
        return None
    mirrors = {e: _mirror(e) for e in Edition}
    decoder = msgspec.json.Decoder(Union[tuple(mirrors.values())])  # noqa: UP007
    return decoder.decode, _Builders({m: e for e, m in mirrors.items()})


class _Builders(dict[type, Callable[[Any], AnnualReport]]):
    """Mirror type -> its builder, each generated when a document of its edition first comes."""

    def __init__(self, editions: dict[type, Edition]) -> None:
        super().__init__()
        self.editions = editions

    def __missing__(self, mirror: type) -> Callable[[Any], AnnualReport]:
        built = self[mirror] = builder(self.editions[mirror], struct=True)
        return built


def msgspec_decode(data: bytes | str) -> AnnualReport:
    """
    Decode a document with msgspec into its mirror Structs, then build the model (raises :class:`Defer`).

    msgspec checks in C everything the strict hooks check of a value (types,
    bounds, the money pattern, required and unknown keys, the schema and the
    edition tag); the builder converts money to Decimal and checks the blank
    cells.  Any failure defers to the other paths.
    """
    fast = _msgspec()
    if fast is None:  # pragma: no cover
        raise Defer
    decode, builders = fast
    try:
        doc = decode(data)
    except Exception:  # msgspec.MsgspecError, UnicodeDecodeError...: the strict path explains
        raise Defer from None
    return builders[type(doc)](doc)


# --- the way out: straight-line dict building, generated from the model -------


class _Out:
    """Writes the source of the unstructuring functions: nested objects inline as dict literals."""

    def __init__(self) -> None:
        self.ns: dict[str, Any] = {"SCHEMA": SCHEMA, "MT": money_text, "srt": sorted}
        self.functions: dict[type, str] = {}
        self.src: list[str] = []
        self.tables: list[str] = []
        self.n = 0

    def function(self, cls: type) -> str:
        """The name of a function returning the document dict of one *cls*."""
        if cls not in self.functions:
            name = self.functions[cls] = f"u_{cls.__name__}"
            lines: list[str] = []
            expr = self.expr(cls, "o", lines)
            self.src.append("\n".join([f"def {name}(o):", *lines, f"    return {expr}"]))
        return self.functions[cls]

    def union(self, classes: tuple[type, ...], v: str) -> str:
        table = f"T{self.n}"
        self.n += 1
        entries = []
        for c in classes:
            self.ns[f"C_{c.__name__}"] = c
            entries.append(f"C_{c.__name__}: {self.function(c)}")
        self.tables.append(f"{table} = {{{', '.join(entries)}}}")
        return f"{table}[type({v})]({v})"

    def expr(self, cls: type, obj: str, lines: list[str]) -> str:
        """A dict literal for the *cls* instance in variable *obj*; assignments go to *lines*."""
        items: list[str] = []
        top = cls is AnnualReport
        if top:
            items += ['"schema": SCHEMA', f'"edition": {obj}.edition.value']
        for f in attrs.fields(cls):
            a = f"{obj}.{f.name}"
            kind = field_kind(cls, f)
            if top and f.name == "edition":
                continue
            if top and f.name == "blank_cells":
                items.append(f"{f.name!r}: srt({a})")
                continue
            if (top and f.name in ("proactive", "requests")) or (
                cls is Requests and f.name == "other"
            ):
                if f.name == "requests":
                    kind = Requests
                else:
                    both = {e: section_types(e)[f.name] for e in Edition}
                    self.n += 1
                    v = f"w{self.n}"
                    lines.append(f"    {v} = {a}")
                    value = self.union(tuple(both.values()), v)
                    items.append(f"{f.name!r}: {value}")
                    continue
            if kind in ("count", "signed", "year", "optional_count", "text", "optional_text"):
                value = a
            elif kind == "money":
                value = f"MT({a})"
            elif kind == "optional_money":
                self.n += 1
                v = f"w{self.n}"
                lines.append(f"    {v} = {a}")
                value = f"None if {v} is None else MT({v})"
            elif kind == "texts":
                value = f"list({a})"
            elif isinstance(kind, tuple) and kind[0] == "seq":
                value = f"[{self.function(kind[1])}(x) for x in {a}]"
            elif isinstance(kind, tuple) and kind[0] == "optional":
                self.n += 1
                v = f"w{self.n}"
                lines.append(f"    {v} = {a}")
                value = f"None if {v} is None else {self.function(kind[1])}({v})"
            elif isinstance(kind, type):
                self.n += 1
                v = f"w{self.n}"
                lines.append(f"    {v} = {a}")
                value = self.expr(kind, v, lines)
            else:  # pragma: no cover
                raise AssertionError((cls, f.name, kind))
            items.append(f"{f.name!r}: {value}")
        return "{" + ", ".join(items) + "}"


@functools.cache
def unstructurer() -> Callable[[AnnualReport], dict[str, Any]]:
    """
    The function that turns a report into its document dict (what :func:`gov_disclosure.to_dict` returns).

    Generated from the model: one dict literal per class, nested objects
    inline, so writing a report costs a dict per object and nothing else.
    It gives what the strict cattrs converter's ``unstructure`` gives, key
    order included (``tests/test_serialize.py`` checks both on generated
    reports).
    """
    out = _Out()
    name = out.function(AnnualReport)
    source = "\n\n".join([*out.src, *out.tables])
    exec(compile_cached(source, "<gov_disclosure to_dict>"), out.ns)
    fn: Callable[[AnnualReport], dict[str, Any]] = out.ns[name]
    fn.__doc__ = source
    return fn
