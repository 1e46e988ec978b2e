"""Scalars of the tensor dialect: element types, combiners, init and pad literals.

A compute's init and a read's pad are constants of the tensor's element type, and a
reduction's combiner is one of a fixed set of commutative monoids. This module holds
those definitions and the custom syntax of the literals, shared by
:mod:`.compute` and :mod:`.read`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple, TypeAlias

from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
)
from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.printer import Printer

FLOAT_TYPES = (Float16Type, Float32Type, Float64Type)
SCALAR_TYPES = (IntegerType, IndexType, *FLOAT_TYPES)
"""Element types a compute may produce and a read may load."""

ScalarAttr: TypeAlias = IntegerAttr | FloatAttr
"""An init or pad value: a constant of the tensor's element type."""


class Combiner(StrEnum):
    """How a reduction folds the body's values; max and min propagate NaN."""

    ADD = "add"
    MUL = "mul"
    MAX = "max"
    MIN = "min"


COMBINERS = tuple(combiner.value for combiner in Combiner)


def is_scalar_type(attr: Attribute) -> bool:
    return isinstance(attr, SCALAR_TYPES)


def scalar_attr(value: int | float, element_type: Attribute) -> ScalarAttr:
    """``value`` as a constant of ``element_type``, for init and pad values."""
    if isinstance(element_type, FLOAT_TYPES):
        return FloatAttr(float(value), element_type)
    assert isinstance(element_type, IntegerType | IndexType)
    return IntegerAttr(int(value), element_type)


def combiner_identity(combiner: Combiner, element_type: Attribute) -> ScalarAttr:
    """The init value that makes a reduction a plain sum, product, max or min.

    Integers are signed, except i1, a boolean: max is "any" and min is "all".
    """
    if isinstance(element_type, FLOAT_TYPES):
        lowest, highest = float("-inf"), float("inf")
    elif element_type == IntegerType(1):
        lowest, highest = 0, 1
    else:
        width = element_type.width.data if isinstance(element_type, IntegerType) else 64
        lowest, highest = -(2 ** (width - 1)), 2 ** (width - 1) - 1
    identity = {
        Combiner.ADD: 0,
        Combiner.MUL: 1,
        Combiner.MAX: lowest,
        Combiner.MIN: highest,
    }[combiner]
    return scalar_attr(identity, element_type)


class ScalarLiteral(NamedTuple):
    """An init or pad literal, read before the element type that gives it its type.

    As in MLIR, a hexadecimal integer stands for the bit pattern of a float, which is
    how infinities and NaN are written (``0xFF800000`` is -inf in f32).
    """

    value: int | float
    hexadecimal: bool
    start: int
    end: int

    def to_attr(self, element_type: Attribute, parser: Parser) -> Attribute:
        if isinstance(element_type, FLOAT_TYPES) and self.hexadecimal:
            assert isinstance(self.value, int)
            size = element_type.compile_time_size
            if not 0 <= self.value < 2 ** (8 * size):
                parser.raise_error(
                    f"bit pattern {hex(self.value)} does not fit {element_type}",
                    self.start,
                    self.end,
                )
            raw = self.value.to_bytes(size, "little")
            return FloatAttr(next(element_type.iter_unpack(raw)), element_type)
        if isinstance(element_type, FLOAT_TYPES):
            return FloatAttr(float(self.value), element_type)
        if isinstance(element_type, IntegerType | IndexType) and isinstance(
            self.value, int
        ):
            return IntegerAttr(self.value, element_type)
        # A mismatch (a float for an integer tensor) is left for the verifier.
        return FloatAttr(float(self.value), Float64Type())


def parse_scalar_literal(parser: Parser) -> ScalarLiteral:
    token = parser._current_token  # pyright: ignore[reportPrivateUsage]
    hexadecimal = token.text.lower().startswith("0x")
    start = parser.pos
    if (boolean := parser.parse_optional_boolean()) is not None:
        return ScalarLiteral(int(boolean), False, start, parser.pos)
    return ScalarLiteral(parser.parse_number(), hexadecimal, start, parser.pos)


def print_scalar(printer: Printer, attr: ScalarAttr) -> None:
    if isinstance(attr, FloatAttr):
        printer.print_float(attr.value.data, attr.type)
    else:
        printer.print_int(attr.value.data, attr.type)
