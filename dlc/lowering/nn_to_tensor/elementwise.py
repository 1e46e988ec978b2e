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
ops and one for the binary ops, each driven by a table of scalar builders.
"""

from __future__ import annotations

import math as pymath
from collections.abc import Callable

from xdsl.dialects import arith, math
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import elementwise as nn
from dlc.lowering.nn_to_tensor.common import (
    Scalar,
    elementwise_compute,
    float_constant,
    tensor_type,
)

UnaryScalar = Callable[[nn.UnaryElementwiseOp, SSAValue], Scalar]
"""Builds an op's scalar function of one element; the op supplies properties."""


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
    """
    assert isinstance(op, nn.GeluOp)
    if op.approximation() == "tanh":
        cube = arith.MulfOp(arith.MulfOp(x, x), x)
        cubic = arith.MulfOp(float_constant(0.044715, x.type), cube)
        inner = arith.MulfOp(
            float_constant(pymath.sqrt(2 / pymath.pi), x.type), arith.AddfOp(x, cubic)
        )
        phi = math.TanhOp(inner)
    else:
        phi = math.ErfOp(arith.MulfOp(x, float_constant(pymath.sqrt(0.5), x.type)))
    one_plus = arith.AddfOp(float_constant(1.0, x.type), phi)
    half_x = arith.MulfOp(float_constant(0.5, x.type), x)
    return arith.MulfOp(half_x, one_plus)


def _clip(op: nn.UnaryElementwiseOp, x: SSAValue) -> Scalar:
    """max(x, min) then min(., max), skipping an absent bound; NaN stays NaN."""
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
    nn.NegOp: _math(arith.NegfOp),
    nn.LeakyReluOp: _leaky_relu,
    nn.GeluOp: _gelu,
    nn.ClipOp: _clip,
}

BINARY_SCALARS: dict[
    type[nn.BinaryElementwiseOp], Callable[[SSAValue, SSAValue], Operation]
] = {
    nn.AddOp: arith.AddfOp,
    nn.SubOp: arith.SubfOp,
    nn.MulOp: arith.MulfOp,
    nn.DivOp: arith.DivfOp,
    nn.PowOp: math.PowFOp,
    nn.MaximumOp: arith.MaximumfOp,
    nn.MinimumOp: arith.MinimumfOp,
}
"""Each binary op's scalar op; maximumf and minimumf propagate NaN, as nn does."""


class UnaryElementwiseToCompute(RewritePattern):
    """``nn.<unary> %x : T`` -> one compute applying the scalar function to ``x``.

    A clip without bounds is the identity: its uses take the input directly.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: nn.UnaryElementwiseOp, rewriter: PatternRewriter
    ) -> None:
        if isinstance(op, nn.ClipOp) and op.bounds() == (None, None):
            rewriter.replace(op, [], [op.input])
            return
        scalar = UNARY_SCALARS[type(op)]
        compute = elementwise_compute(
            tensor_type(op.result), [op.input], lambda x: scalar(op, x)
        )
        rewriter.replace(op, compute)


class BinaryElementwiseToCompute(RewritePattern):
    """``nn.<binary> %a, %b`` -> one compute reading both operands, broadcast."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: nn.BinaryElementwiseOp, rewriter: PatternRewriter
    ) -> None:
        scalar = BINARY_SCALARS[type(op)]
        compute = elementwise_compute(tensor_type(op.result), [op.lhs, op.rhs], scalar)
        rewriter.replace(op, compute)


ELEMENTWISE_PATTERNS: list[RewritePattern] = [
    UnaryElementwiseToCompute(),
    BinaryElementwiseToCompute(),
]
