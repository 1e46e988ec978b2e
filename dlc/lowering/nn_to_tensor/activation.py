"""nn-to-tensor patterns for the float activations: one elementwise compute per op.

Each op becomes one compute over its result's shape that reads the input at the
output point and applies the op's scalar function, built from arith and math ops in
the element type::

    %s = nn.softplus %x : tensor<4xf32>

becomes::

    %s = tensor.compute (%i) : tensor<4xf32> {
      %v = tensor.read %x[%i] : tensor<4xf32>
      %a = math.absf %v : f32
      %n = arith.negf %a : f32
      %e = math.exp %n : f32
      %l = math.log1p %e : f32
      %zero = arith.constant 0.000000e+00 : f32
      %m = arith.maximumf %v, %zero : f32
      %r = arith.addf %l, %m : f32
      tensor.yield %r : f32
    }

The ops differ only by their scalar function, so one pattern serves them all, driven
by a table of scalar builders; ``nn.prelu`` also reads its slope, numpy-broadcast.
The comparisons ``x > 0`` are ordered (``ogt``), so a NaN takes the second branch,
which keeps it NaN, as the references do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from xdsl.dialects import arith, math
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import activation as nn
from dlc.dialects.nn.base import is_float
from dlc.dialects.tensor import scalar_attr
from dlc.lowering.nn_to_tensor.common import (
    Scalar,
    elementwise_compute,
    float_constant,
    tensor_type,
)

Parameters = Mapping[str, float]
ActivationScalar = Callable[[Parameters, SSAValue], Scalar]
"""Builds an op's scalar function of one element from the op's parameters."""


def _positive(x: SSAValue) -> SSAValue:
    """``x > 0`` (false for NaN)."""
    return arith.CmpfOp(x, float_constant(0.0, x.type), "ogt").result


def _softplus(parameters: Parameters, x: SSAValue) -> Scalar:
    """log1p(exp(-|x|)) + max(x, 0): equal to log(1 + exp(x)), never overflowing."""
    tail = math.Log1pOp(math.ExpOp(arith.NegfOp(math.AbsFOp(x))))
    return arith.AddfOp(tail, arith.MaximumfOp(x, float_constant(0.0, x.type)))


def _hard_sigmoid(parameters: Parameters, x: SSAValue) -> Operation:
    """max(0, min(1, alpha * x + beta)); NaN stays NaN."""
    alpha = float_constant(parameters["alpha"], x.type)
    line = arith.AddfOp(
        arith.MulfOp(alpha, x), float_constant(parameters["beta"], x.type)
    )
    upper = arith.MinimumfOp(float_constant(1.0, x.type), line)
    return arith.MaximumfOp(float_constant(0.0, x.type), upper)


def _hard_swish(parameters: Parameters, x: SSAValue) -> Scalar:
    fixed = {"alpha": nn.HARD_SWISH_ALPHA, "beta": nn.HARD_SWISH_BETA}
    return arith.MulfOp(x, _hard_sigmoid(fixed, x).results[0])


def _elu(parameters: Parameters, x: SSAValue) -> Operation:
    """x where x > 0, else alpha * expm1(x)."""
    positive = _positive(x)
    alpha = float_constant(parameters["alpha"], x.type)
    negative = arith.MulfOp(alpha, math.ExpM1Op(x))
    return arith.SelectOp(positive, x, negative)


def _selu(parameters: Parameters, x: SSAValue) -> Scalar:
    elu = _elu(parameters, x).results[0]
    return arith.MulfOp(float_constant(parameters["gamma"], x.type), elu)


def _abs(parameters: Parameters, x: SSAValue) -> Scalar:
    """absf on floats; max(x, 0 - x) on integers, where INT_MIN stays INT_MIN."""
    if is_float(x.type):
        return math.AbsFOp(x)
    negated = arith.SubiOp(arith.ConstantOp(scalar_attr(0, x.type)), x)
    return arith.MaxSIOp(x, negated)


def _reciprocal(parameters: Parameters, x: SSAValue) -> Scalar:
    return arith.DivfOp(float_constant(1.0, x.type), x)


def _math(op_class: Callable[[SSAValue], Operation]) -> ActivationScalar:
    """The scalar builder of an op that is one math op on the element."""
    return lambda parameters, x: op_class(x)


ACTIVATION_SCALARS: dict[type[nn.ActivationOp], ActivationScalar] = {
    nn.ErfOp: _math(math.ErfOp),
    nn.AbsOp: _abs,
    nn.ReciprocalOp: _reciprocal,
    nn.SoftplusOp: _softplus,
    nn.HardSwishOp: _hard_swish,
    nn.HardSigmoidOp: _hard_sigmoid,
    nn.EluOp: _elu,
    nn.SeluOp: _selu,
    nn.FloorOp: _math(math.FloorOp),
    nn.CeilOp: _math(math.CeilOp),
    nn.SinOp: _math(math.SinOp),
    nn.CosOp: _math(math.CosOp),
}


class ActivationToCompute(RewritePattern):
    """``nn.<activation> %x : T`` -> one compute applying the scalar function."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ActivationOp, rewriter: PatternRewriter) -> None:
        scalar = ACTIVATION_SCALARS[type(op)]
        parameters = op.parameters()
        compute = elementwise_compute(
            tensor_type(op.result), [op.input], lambda x: scalar(parameters, x)
        )
        rewriter.replace(op, compute)


class PReluToCompute(RewritePattern):
    """``nn.prelu %x, %slope`` -> x where x > 0, else x * slope (slope broadcast)::

    %p = tensor.compute (%i, %j) : tensor<2x3xf32> {
      %v = tensor.read %x[%i, %j] : tensor<2x3xf32>
      %s = tensor.read %slope[%j] : tensor<3xf32>
      ...
      %r = arith.select %positive, %v, %scaled : f32
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.PReluOp, rewriter: PatternRewriter) -> None:
        def scalar(x: SSAValue, slope: SSAValue) -> Scalar:
            positive = _positive(x)
            return arith.SelectOp(positive, x, arith.MulfOp(x, slope))

        compute = elementwise_compute(
            tensor_type(op.result), [op.input, op.slope], scalar
        )
        rewriter.replace(op, compute)


ACTIVATION_PATTERNS: list[RewritePattern] = [
    ActivationToCompute(),
    PReluToCompute(),
]
