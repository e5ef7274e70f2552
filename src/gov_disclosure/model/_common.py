"""
Field validators and field helpers shared by every model class.

Each validator checks one value and names the field in its error, so that a
bad value is reported where it was given, not later in a check.  They are
small frozen callables with a readable ``repr`` (as in ``attrs.validators``)
and reject ``bool`` wherever an ``int`` is expected: ``True`` is an ``int`` to
Python but never a count of applications.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from ..errors import InvalidTypeError, InvalidValueError

__all__ = [
    "count",
    "instance",
    "money",
    "optional_count",
    "optional_money",
    "signed",
    "text",
    "texts",
    "to_tuple",
]


def _where(inst: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attribute.name}"


@frozen(repr=False)
class _Count:
    signed: bool

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidTypeError(_where(inst, attribute), value, self._expected())
        if value < 0 and not self.signed:
            raise InvalidValueError(_where(inst, attribute), value, self._expected())

    def _expected(self) -> str:
        return "an int" if self.signed else "a non-negative int"

    def __repr__(self) -> str:
        return "<signed count validator>" if self.signed else "<count validator>"


@frozen(repr=False)
class _Money:
    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, Decimal):
            raise InvalidTypeError(_where(inst, attribute), value, "a decimal.Decimal")
        if not value.is_finite() or value < 0:
            raise InvalidValueError(
                _where(inst, attribute), value, "a finite, non-negative Decimal"
            )

    def __repr__(self) -> str:
        return "<money validator>"


@frozen(repr=False)
class _Optional:
    inner: Any

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            self.inner(inst, attribute, value)

    def __repr__(self) -> str:
        return f"<optional {self.inner!r}>"


@frozen(repr=False)
class _Text:
    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise InvalidTypeError(_where(inst, attribute), value, "a str")

    def __repr__(self) -> str:
        return "<str validator>"


@frozen(repr=False)
class _Texts:
    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidTypeError(_where(inst, attribute), value, "a tuple of str")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise InvalidTypeError(f"{_where(inst, attribute)}[{i}]", item, "a str")

    def __repr__(self) -> str:
        return "<tuple-of-str validator>"


@frozen(repr=False)
class _Instance:
    types: tuple[type, ...]

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, self.types):
            names = " or ".join(t.__name__ for t in self.types)
            raise InvalidTypeError(_where(inst, attribute), value, f"a {names}")

    def __repr__(self) -> str:
        return f"<instance validator {self.types!r}>"


def instance(*types: type) -> Any:
    """A validator accepting instances of *types* only."""
    return _Instance(types)


#: A non-negative ``int`` (not ``bool``).
count = _Count(signed=False)
#: Any ``int`` (not ``bool``); only the 2019 edition's 本年增/减 is signed.
signed = _Count(signed=True)
#: A finite, non-negative :class:`decimal.Decimal`.
money = _Money()
optional_count = _Optional(count)
optional_money = _Optional(money)
text = _Text()
texts = _Texts()


def to_tuple(value: object) -> object:
    """Lossless normalisation of a list of paragraphs to a tuple; anything else is left for the validator."""
    if isinstance(value, list):
        return tuple(value)
    return value
