"""nn-to-tensor pattern for ``nn.resize``: one compute reading at integer coordinates.

Along H and W, output coordinate ``o`` has the source coordinate
``(a * o + b) / d`` (:func:`dlc.dialects.nn.resize.source_fraction`), so every
rounding of it is a floor division of integers, computed exactly with index
arithmetic: ``floor`` is ``(a*o + b) / d``, ``ceil`` is ``(a*o + b + d - 1) / d``,
``round_prefer_floor`` is ``(2a*o + 2b + d - 1) / 2d`` (round half down) and
``round_prefer_ceil`` is ``(2a*o + 2b + d) / 2d``. A negative numerator (half_pixel
upsampling, at the first positions) is shifted up by a multiple of the divisor,
so that the division is an unsigned one, then shifted back. An index that can
leave ``[0, size)`` is clamped with ``maxsi``/``minsi``; a dim that keeps its size
reads its own index::

    %y = nn.resize %x {sizes = array<i64: 1, 1, 4, 3>}
        : tensor<1x1x2x3xf32> -> tensor<1x1x4x3xf32>

becomes (half_pixel: ``x = (4*oh - 2) / 8``; round_prefer_floor rounds half down:
``h = (8*oh - 4 + 7) / 16``; W keeps its size)::

    %y = tensor.compute (%n, %c, %oh, %ow) : tensor<1x1x4x3xf32> {
      %0 = arith.constant 8 : index
      %1 = arith.muli %oh, %0 : index
      %2 = arith.constant 3 : index
      %3 = arith.addi %1, %2 : index
      %4 = arith.constant 16 : index
      %h = arith.divui %3, %4 : index
      %5 = tensor.read %x[%n, %c, %h, %ow] : tensor<1x1x2x3xf32>
      tensor.yield %5 : f32
    }

Linear mode reads the two neighbours ``floor(x)`` and ``floor(x) + 1`` (clamped)
along each resized dim and weighs them by ``w = ((a*o + b) mod d) / d``: along H
first, then along W, as the reference does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.dialects import arith
from xdsl.dialects.builtin import i64
from xdsl.ir import Attribute, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import resize as nn
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import Scalar, float_constant, index_constant
from dlc.lowering.nn_to_tensor.indexing import affine_index, name_indices


@dataclass(frozen=True)
class FloorDivision:
    """``floor((a * o + b) / d)`` for an output index ``o`` in ``[0, out)``."""

    a: int
    b: int
    d: int
    out: int

    def value(self, output: int) -> int:
        return (self.a * output + self.b) // self.d

    @property
    def shift(self) -> int:
        """How many ``d`` to add so that the numerator is never negative."""
        return max(0, -(self.b // self.d))

    def numerator(self, output: SSAValue) -> SSAValue:
        """``a * o + b``, shifted up by ``shift * d`` so that it is never negative."""
        return affine_index([(output, self.a)], self.b + self.shift * self.d)

    @property
    def is_constant(self) -> bool:
        return self.a == 0 or self.out == 1

    def quotient(self, numerator: SSAValue) -> SSAValue:
        """The floor division, as ``divui`` of the shifted numerator, shifted back."""
        quotient = arith.DivUIOp(numerator, index_constant(self.d)).result
        if self.shift:
            quotient = arith.SubiOp(quotient, index_constant(self.shift)).result
        return quotient

    def remainder(self, numerator: SSAValue) -> SSAValue:
        """``(a * o + b) mod d``, the numerator of the linear weight."""
        return arith.RemUIOp(numerator, index_constant(self.d)).result


def clamp(index: SSAValue, low: int, high: int, size: int) -> SSAValue:
    """``index``, known to lie in ``[low, high]``, clamped into ``[0, size)``: each
    bound is applied only where some output index takes ``index`` past it."""
    if low < 0:
        index = arith.MaxSIOp(index, index_constant(0)).result
    if high > size - 1:
        index = arith.MinSIOp(index, index_constant(size - 1)).result
    return index


def clamped_constant(value: int, size: int) -> SSAValue:
    return index_constant(min(max(value, 0), size - 1)).result


def nearest_division(
    fraction: nn.SourceFraction, nearest_mode: str, out: int
) -> FloorDivision:
    """The rounding of ``(a*o + b) / d`` that ``nearest_mode`` asks for."""
    a, b, d = fraction.a, fraction.b, fraction.d
    if nearest_mode == "floor":
        return FloorDivision(a, b, d, out)
    if nearest_mode == "ceil":
        return FloorDivision(a, b + d - 1, d, out)
    if nearest_mode == "round_prefer_floor":
        return FloorDivision(2 * a, 2 * b + d - 1, 2 * d, out)
    return FloorDivision(2 * a, 2 * b + d, 2 * d, out)


@dataclass(frozen=True)
class Taps:
    """Where one resized dim reads: at ``first`` alone (nearest), or at ``first``
    and ``second`` with weights ``1 - weight`` and ``weight`` (linear)."""

    first: SSAValue
    second: SSAValue | None = None
    weight: SSAValue | None = None
    complement: SSAValue | None = None


def dim_taps(
    output: SSAValue,
    size: int,
    out: int,
    attrs: nn.ResizeAttrs,
    element: Attribute,
    name: str,
) -> Taps:
    """The taps of output index ``output`` along one dim, ``size`` -> ``out``."""
    if out == size:
        return Taps(output)
    fraction = nn.source_fraction(attrs.coordinate_mode, size, out)
    if attrs.mode == "nearest":
        rounded = nearest_division(fraction, attrs.nearest_mode, out)
        if rounded.is_constant:
            index = clamped_constant(rounded.value(0), size)
        else:
            quotient = rounded.quotient(rounded.numerator(output))
            index = clamp(quotient, rounded.value(0), rounded.value(out - 1), size)
        index.name_hint = name
        return Taps(index)
    low = FloorDivision(fraction.a, fraction.b, fraction.d, out)
    first = low.value(0)
    if low.is_constant:
        below = clamped_constant(first, size)
        above = clamped_constant(first + 1, size)
        weight = float_constant(float(fraction.at(0) - first), element).result
    else:
        last = low.value(out - 1)
        numerator = low.numerator(output)
        quotient = low.quotient(numerator)
        below = clamp(quotient, first, last, size)
        next_index = arith.AddiOp(quotient, index_constant(1)).result
        above = clamp(next_index, first + 1, last + 1, size)
        remainder = arith.IndexCastOp(low.remainder(numerator), i64)
        weight = arith.DivfOp(
            arith.SIToFPOp(remainder, element), float_constant(fraction.d, element)
        ).result
    complement = arith.SubfOp(float_constant(1.0, element), weight).result
    for value, suffix in ((below, ""), (above, "_next"), (weight, "_weight")):
        value.name_hint = name + suffix
    return Taps(below, above, weight, complement)


def interpolate(taps: Taps, read: Callable[[SSAValue], Scalar]) -> Scalar:
    """``read(first)``, or ``(1 - w) * read(first) + w * read(second)``."""
    if taps.second is None or taps.weight is None or taps.complement is None:
        return read(taps.first)
    below = arith.MulfOp(taps.complement, read(taps.first))
    above = arith.MulfOp(taps.weight, read(taps.second))
    return arith.AddfOp(below, above)


class ResizeToTensorPattern(RewritePattern):
    """``nn.resize`` -> one compute: nearest reads once, linear four times."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ResizeOp, rewriter: PatternRewriter) -> None:
        attrs = op.attrs()
        x = op.input
        _, _, height, width = x.type.get_shape()
        element = x.type.element_type

        def body(n: SSAValue, c: SSAValue, oh: SSAValue, ow: SSAValue) -> Scalar:
            name_indices([n, c, oh, ow], ["n", "c", "oh", "ow"])
            rows = dim_taps(oh, height, attrs.sizes[2], attrs, element, "h")
            columns = dim_taps(ow, width, attrs.sizes[3], attrs, element, "w")

            def column(w: SSAValue) -> Scalar:
                return interpolate(rows, lambda h: ReadOp(x, [n, c, h, w]))

            return interpolate(columns, column)

        rewriter.replace(op, ComputeOp.from_callable(op.result.type, body))


RESIZE_PATTERNS: list[RewritePattern] = [ResizeToTensorPattern()]
