"""nn-to-tensor patterns for the nn elementwise ops: one compute per op.

Each op becomes one compute over its result's shape whose body reads every operand at
the output point (numpy-broadcast: size-1 dims at index 0, missing leading dims left
out) and applies the op's scalar function in the element type::

    %s = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>

becomes::

    %s = tensor.compute (%i, %j) : tensor<4x3xf32> {
      %c0 = arith.constant 0 : index
      %x = tensor.read %a[%i, %c0] : tensor<4x1xf32>
      %y = tensor.read %b[%j] : tensor<3xf32>
      %z = arith.addf %x, %y : f32
      tensor.yield %z : f32
    }

The ops differ only by their scalar function, so there is one pattern for the unary
ops and one for the binary ops, each driven by a table of scalar builders. On
integers the scalar ops are arith's signed ones (``addi``, ``maxsi``, ...), and a
division is guarded so that it has nn's meaning (:func:`divide_integers`) rather
than C's undefined behaviour; a power is square-and-multiply
(:func:`integer_power`).
"""

from __future__ import annotations

import math as pymath
from collections.abc import Callable
from dataclasses import dataclass

from xdsl.dialects import arith, math
from xdsl.dialects.builtin import IntegerType, f64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import elementwise as nn
from dlc.dialects.nn.base import is_float
from dlc.dialects.tensor import scalar_attr
from dlc.lowering.nn_to_tensor.common import (
    Scalar,
    elementwise_compute,
    float_constant,
    tensor_type,
)

UnaryScalar = Callable[[nn.UnaryElementwiseOp, SSAValue], Scalar]
"""Builds an op's scalar function of one element; the op supplies properties."""
BinaryScalar = Callable[[SSAValue, SSAValue], Scalar]


def scalar_constant(value: int | float, element_type: Attribute) -> arith.ConstantOp:
    """A scalar constant of any element type: float, integer or ``i1``."""
    return arith.ConstantOp(scalar_attr(value, element_type))


def divide_integers(lhs: SSAValue, rhs: SSAValue) -> Scalar:
    """Signed division truncated toward zero, with nn's values where C has none.

    ``divsi`` by 0, and of the most negative value by -1, is undefined (x86 traps),
    so both divide by 1 instead: ``x / 0`` is then replaced by 0, ``x / -1`` by the
    wrapping negation ``0 - x``::

        %zero = arith.constant 0 : i32
        %is_zero = arith.cmpi eq, %rhs, %zero : i32
        %is_minus_one = arith.cmpi eq, %rhs, %minus_one : i32
        %unsafe = arith.ori %is_zero, %is_minus_one : i1
        %divisor = arith.select %unsafe, %one, %rhs : i32
        %q = arith.divsi %lhs, %divisor : i32
        %negated = arith.subi %zero, %q : i32
        %signed = arith.select %is_minus_one, %negated, %q : i32
        %r = arith.select %is_zero, %zero, %signed : i32
    """
    zero = scalar_constant(0, lhs.type)
    is_zero = arith.CmpiOp(rhs, zero, "eq")
    is_minus_one = arith.CmpiOp(rhs, scalar_constant(-1, lhs.type), "eq")
    unsafe = arith.OrIOp(is_zero, is_minus_one)
    divisor = arith.SelectOp(unsafe, scalar_constant(1, lhs.type), rhs)
    quotient = arith.DivSIOp(lhs, divisor)
    negated = arith.SubiOp(zero, quotient)
    signed = arith.SelectOp(is_minus_one, negated, quotient)
    return arith.SelectOp(is_zero, zero, signed)


def integer_power(base: SSAValue, exponent: SSAValue) -> Scalar:
    """nn.pow on integers: square-and-multiply over the exponent's bits, unrolled
    (a compute body has no loops), so the power wraps around like ``muli``.

    Bit k of the exponent multiplies in base ** (2 ** k); the sign bit is left out.
    A negative exponent keeps that product only for a base of 1 or -1 (its low
    bit gives -1's sign) and is 0 otherwise, nn's truncated real power::

        %square2 = arith.muli %square, %square : i32  // for each bit 2 ** k
        %bit = arith.andi %n, %c2 : i32
        %set = arith.cmpi ne, %bit, %c0 : i32
        %times = arith.muli %acc, %square2 : i32
        %acc2 = arith.select %set, %times, %acc : i32
        ...
        %keep = arith.ori %nonnegative, %is_unit : i1
        %r = arith.select %keep, %acc_last, %c0 : i32
    """
    element_type = base.type
    assert isinstance(element_type, IntegerType)
    zero = scalar_constant(0, element_type)
    power: SSAValue = scalar_constant(1, element_type).result
    square = base
    for bit in range(element_type.width.data - 1):
        if bit:
            square = arith.MuliOp(square, square).result
        mask = scalar_constant(1 << bit, element_type)
        is_set = arith.CmpiOp(arith.AndIOp(exponent, mask), zero, "ne")
        power = arith.SelectOp(is_set, arith.MuliOp(power, square), power).result
    is_one = arith.CmpiOp(base, scalar_constant(1, element_type), "eq")
    is_minus_one = arith.CmpiOp(base, scalar_constant(-1, element_type), "eq")
    nonnegative = arith.CmpiOp(exponent, zero, "sge")
    keep = arith.OrIOp(nonnegative, arith.OrIOp(is_one, is_minus_one))
    return arith.SelectOp(keep, power, zero)


def _neg(op: nn.UnaryElementwiseOp, x: SSAValue) -> Scalar:
    """negf, or ``0 - x`` on integers (arith has no integer negation)."""
    if is_float(x.type):
        return arith.NegfOp(x)
    return arith.SubiOp(scalar_constant(0, x.type), x)


def _relu(op: nn.UnaryElementwiseOp, x: SSAValue) -> Scalar:
    return arith.MaximumfOp(x, float_constant(0.0, x.type))


def _sigmoid(op: nn.UnaryElementwiseOp, x: SSAValue) -> Scalar:
    one = float_constant(1.0, x.type)
    denominator = arith.AddfOp(one, math.ExpOp(arith.NegfOp(x)))
    return arith.DivfOp(one, denominator)


def _leaky_relu(op: nn.UnaryElementwiseOp, x: SSAValue) -> Scalar:
    """x where x >= 0, else alpha * x; a NaN takes the second branch and stays NaN."""
    assert isinstance(op, nn.LeakyReluOp)
    alpha = float_constant(op.negative_slope(), x.type)
    non_negative = arith.CmpfOp(x, float_constant(0.0, x.type), "oge")
    return arith.SelectOp(non_negative, x, arith.MulfOp(alpha, x))


def _gelu(op: nn.UnaryElementwiseOp, x: SSAValue) -> Scalar:
    """x * Phi(x) as 0.5 * x * (1 + erf(x / sqrt 2)), or with the tanh approximation.

    The tanh form is 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
    In f32 and f16 the exact form computes ``1 + erf(z)`` from erfc, since
    ``1 + erf(z)`` cancels as erf approaches -1: it is ``erfc(|z|)`` for a
    negative x and ``2 - erfc(|z|)`` otherwise, so that gelu keeps its relative
    precision in the negative tail (x = -5: 6% off with ``1 + erf``; see
    tests/regressions/test_gelu_keeps_its_precision_in_the_negative_tail.py).
    """
    assert isinstance(op, nn.GeluOp)
    if op.approximation() == "tanh":
        cube = arith.MulfOp(arith.MulfOp(x, x), x)
        cubic = arith.MulfOp(float_constant(0.044715, x.type), cube)
        inner = arith.MulfOp(
            float_constant(pymath.sqrt(2 / pymath.pi), x.type), arith.AddfOp(x, cubic)
        )
        phi = math.TanhOp(inner)
        one_plus = arith.AddfOp(float_constant(1.0, x.type), phi)
        return arith.MulfOp(arith.MulfOp(float_constant(0.5, x.type), x), one_plus)
    half_x = arith.MulfOp(float_constant(0.5, x.type), x)
    z = arith.MulfOp(x, float_constant(pymath.sqrt(0.5), x.type))
    if x.type == f64:
        erf = math.ErfOp(z)
        one_plus = arith.AddfOp(float_constant(1.0, x.type), erf)
        return arith.MulfOp(half_x, one_plus)
    tail = _erfc_of_nonnegative(math.AbsFOp(z).result)
    # (1 + s) - s * erfc(|z|) with s = copysign(1, x) is erfc(|z|) for a negative
    # x and 2 - erfc(|z|) otherwise, exactly, and needs no select (which would
    # keep a fused epilogue from being vectorized).
    sign = math.CopySignOp(float_constant(1.0, x.type), x)
    one_plus = arith.SubfOp(
        arith.AddfOp(float_constant(1.0, x.type), sign), arith.MulfOp(sign, tail)
    )
    return arith.MulfOp(half_x, one_plus)


ERFC_COEFFICIENTS = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)
"""Chebyshev fit of erfc (Numerical Recipes' ``erfcc``): for z >= 0,
``erfc(z) = t * exp(-z^2 + sum(c_i * t^i))`` with ``t = 1 / (1 + z / 2)``, to a
relative error below 1.2e-7 everywhere, the tail included."""


def _erfc_of_nonnegative(z: SSAValue) -> SSAValue:
    """erfc(z) for z >= 0 (or NaN), to f32's relative precision in the tail."""
    one = float_constant(1.0, z.type)
    t = arith.DivfOp(
        one, arith.AddfOp(one, arith.MulfOp(float_constant(0.5, z.type), z))
    )
    series: SSAValue = float_constant(ERFC_COEFFICIENTS[-1], z.type).result
    for coefficient in reversed(ERFC_COEFFICIENTS[:-1]):
        series = arith.AddfOp(
            float_constant(coefficient, z.type), arith.MulfOp(t, series)
        ).result
    exponent = arith.SubfOp(series, arith.MulfOp(z, z))
    return arith.MulfOp(t, math.ExpOp(exponent)).result


def _clip(op: nn.UnaryElementwiseOp, x: SSAValue) -> Scalar:
    """max(x, min) then min(., max), skipping an absent bound; NaN stays NaN.

    This order gives max everywhere when min > max, as numpy and ONNX define it.
    """
    assert isinstance(op, nn.ClipOp)
    low, high = op.bounds()
    clipped: SSAValue = x
    if low is not None:
        clipped = arith.MaximumfOp(clipped, float_constant(low, x.type)).result
    if high is not None:
        clipped = arith.MinimumfOp(clipped, float_constant(high, x.type)).result
    return clipped


def _math(op_class: Callable[[SSAValue], Operation]) -> UnaryScalar:
    """The scalar builder of an op that is one math or arith op on the element."""
    return lambda op, x: op_class(x)


UNARY_SCALARS: dict[type[nn.UnaryElementwiseOp], UnaryScalar] = {
    nn.ReluOp: _relu,
    nn.SigmoidOp: _sigmoid,
    nn.TanhOp: _math(math.TanhOp),
    nn.ExpOp: _math(math.ExpOp),
    nn.LogOp: _math(math.LogOp),
    nn.SqrtOp: _math(math.SqrtOp),
    nn.RsqrtOp: _math(math.RsqrtOp),
    nn.NegOp: _neg,
    nn.LeakyReluOp: _leaky_relu,
    nn.GeluOp: _gelu,
    nn.ClipOp: _clip,
}


@dataclass(frozen=True)
class BinaryScalars:
    """A binary op's scalar function on floats and, if it takes them, on integers."""

    on_floats: BinaryScalar
    on_integers: BinaryScalar | None = None

    def of(self, element_type: Attribute) -> BinaryScalar:
        if is_float(element_type):
            return self.on_floats
        assert self.on_integers is not None, "the verifier admits floats only"
        return self.on_integers


BINARY_SCALARS: dict[type[nn.BinaryElementwiseOp], BinaryScalars] = {
    nn.AddOp: BinaryScalars(arith.AddfOp, arith.AddiOp),
    nn.SubOp: BinaryScalars(arith.SubfOp, arith.SubiOp),
    nn.MulOp: BinaryScalars(arith.MulfOp, arith.MuliOp),
    nn.DivOp: BinaryScalars(arith.DivfOp, divide_integers),
    nn.PowOp: BinaryScalars(math.PowFOp, integer_power),
    nn.MaximumOp: BinaryScalars(arith.MaximumfOp, arith.MaxSIOp),
    nn.MinimumOp: BinaryScalars(arith.MinimumfOp, arith.MinSIOp),
}
"""Each binary op's scalar ops; maximumf and minimumf propagate NaN, as nn does."""


class UnaryElementwiseToCompute(RewritePattern):
    """``nn.<unary> %x : T`` -> one compute applying the scalar function to ``x``.

    A clip without bounds is the identity: its uses take the input directly. Ops of
    other families built on the same base (``nn.not``) have their own patterns.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: nn.UnaryElementwiseOp, rewriter: PatternRewriter
    ) -> None:
        if isinstance(op, nn.ClipOp) and op.bounds() == (None, None):
            rewriter.replace(op, [], [op.input])
            return
        scalar = UNARY_SCALARS.get(type(op))
        if scalar is None:
            return
        compute = elementwise_compute(
            tensor_type(op.result), [op.input], lambda x: scalar(op, x)
        )
        rewriter.replace(op, compute)


class BinaryElementwiseToCompute(RewritePattern):
    """``nn.<binary> %a, %b`` -> one compute reading both operands, broadcast.

    Comparisons and logic ops share the base class, not this table: they have
    their own pattern in :mod:`dlc.lowering.nn_to_tensor.logical`.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: nn.BinaryElementwiseOp, rewriter: PatternRewriter
    ) -> None:
        scalars = BINARY_SCALARS.get(type(op))
        if scalars is None:
            return
        scalar = scalars.of(tensor_type(op.lhs).element_type)
        compute = elementwise_compute(tensor_type(op.result), [op.lhs, op.rhs], scalar)
        rewriter.replace(op, compute)


ELEMENTWISE_PATTERNS: list[RewritePattern] = [
    UnaryElementwiseToCompute(),
    BinaryElementwiseToCompute(),
]
