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
    "MAX_COUNT",
    "MONEY_DOMAIN",
    "count",
    "count_in_domain",
    "encodable",
    "instance",
    "money",
    "money_in_domain",
    "money_text",
    "optional_count",
    "optional_money",
    "signed",
    "text",
    "texts",
    "to_tuple",
]


def _where(inst: object, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(inst).__name__}.{attribute.name}"


#: The largest count: a signed 64-bit integer, what JSON parsers, Parquet and
#: databases hold exactly.  No agency counts more applications than that.
MAX_COUNT = 2**63 - 1
#: The largest money amount (exclusive): 10**18, whatever the unit.  Bounding
#: the exponent keeps arithmetic on amounts such as ``1E+2000000`` from
#: running for minutes.
MAX_MONEY = Decimal(10) ** 18


@frozen(repr=False)
class _Count:
    signed: bool

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidTypeError(_where(inst, attribute), value, self._expected())
        if not count_in_domain(value, signed=self.signed):
            expected = self._expected() if value < 0 or self.signed else "an int below 2**63"
            raise InvalidValueError(_where(inst, attribute), value, expected)

    def _expected(self) -> str:
        return "an int" if self.signed else "a non-negative int"

    def __repr__(self) -> str:
        return "<signed count validator>" if self.signed else "<count validator>"


#: What a money amount must be, for messages.
MONEY_DOMAIN = "a finite, non-negative Decimal below 10**18 with at most 12 decimals"


def money_in_domain(value: Decimal) -> bool:
    """
    Whether *value* is a valid amount: finite, non-negative, below 10**18, at most 12 decimals.

    ``Decimal("-0")`` is refused (it would not survive a round trip), and the
    bounds keep the exponent small, so that arithmetic on an amount such as
    ``1E+2000000`` never runs for minutes.  The serializers use this same
    predicate.
    """
    if not value.is_finite() or value.is_signed():
        return False
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    return value.adjusted() < 18 and exponent >= -12


def money_text(value: Decimal) -> str:
    """The plain text of an amount, never in exponent form (``Decimal("1E+2")`` -> ``"100"``)."""
    return format(value, "f")


def count_in_domain(value: int, *, signed: bool = False) -> bool:
    """Whether the int *value* is a valid count (non-negative unless *signed*, within 64 bits)."""
    if signed:
        return -MAX_COUNT <= value <= MAX_COUNT
    return 0 <= value <= MAX_COUNT


@frozen(repr=False)
class _Money:
    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, Decimal):
            raise InvalidTypeError(_where(inst, attribute), value, "a decimal.Decimal")
        if not money_in_domain(value):
            raise InvalidValueError(_where(inst, attribute), value, MONEY_DOMAIN)

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
        _encodable(_where(inst, attribute), value)

    def __repr__(self) -> str:
        return "<str validator>"


def encodable(value: str) -> bool:
    """Whether *value* can be written as UTF-8 (JSON, HTML, DOCX): no lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _encodable(where: str, value: str) -> None:
    # Refuse a lone surrogate here, naming the field, rather than deep inside a serializer.
    if not encodable(value):
        raise InvalidValueError(where, value, "text encodable as UTF-8 (no lone surrogates)")


@frozen(repr=False)
class _Texts:
    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidTypeError(_where(inst, attribute), value, "a tuple of str")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise InvalidTypeError(f"{_where(inst, attribute)}[{i}]", item, "a str")
            _encodable(f"{_where(inst, attribute)}[{i}]", item)

    def __repr__(self) -> str:
        return "<tuple-of-str validator>"


@frozen(repr=False)
class _Instance:
    types: tuple[type, ...]

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, self.types):
            names = " or ".join(t.__name__ for t in self.types)
            article = "an" if names[0] in "AEIOU" else "a"
            raise InvalidTypeError(_where(inst, attribute), value, f"{article} {names}")

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
