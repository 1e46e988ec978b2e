"""nn-to-tensor patterns for the nn reduction ops: one reducing compute each.

The reduced axes become the compute's reduction domain and the other dims (all of
them, the reduced ones as size 1, with ``keepdims``) its output domain. A mean sums
each element times 1/n, so the accumulator never holds more than the largest element
(an f16 sum of n elements could overflow where the mean does not)::

    %m = nn.reduce_mean %x {axes = array<i64: -1>} : tensor<4x5xf32> -> tensor<4xf32>

becomes::

    %m = tensor.compute (%i) reduce add (%j) in [5] init 0.0 : tensor<4xf32> {
      %v = tensor.read %x[%i, %j] : tensor<4x5xf32>
      %w = arith.constant 0.2 : f32
      %t = arith.mulf %v, %w : f32
      tensor.yield %t : f32
    }

``reduce_max`` starts from -inf and combines with ``max``, which propagates NaN as
the nn op does; ``reduce_min`` and ``reduce_prod`` are the same with ``min`` from
+inf and ``mul`` from 1. On integers and booleans the combiners and their identities
are the tensor dialect's (signed max from the lowest value, "any" for i1 max).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from math import prod

from xdsl.dialects import arith
from xdsl.ir import SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import reduction as nn
from dlc.dialects.tensor import Combiner, ReadOp
from dlc.lowering.nn_to_tensor.common import (
    Scalar,
    element_type_of,
    elementwise_compute,
    float_constant,
    reduction_compute,
    shape_of,
    tensor_type,
)

COMBINERS: dict[type[nn.ReduceOp], Combiner] = {
    nn.ReduceSumOp: Combiner.ADD,
    nn.ReduceMeanOp: Combiner.ADD,
    nn.ReduceMaxOp: Combiner.MAX,
    nn.ReduceMinOp: Combiner.MIN,
    nn.ReduceProdOp: Combiner.MUL,
}


def reduced_term(op: nn.ReduceOp) -> Callable[[Sequence[SSAValue]], Scalar]:
    """What each input element contributes: itself, or itself times 1/n for a mean."""
    x = op.input
    if not isinstance(op, nn.ReduceMeanOp):
        return lambda point: ReadOp(x, point)
    weight = 1 / reduced_count(op)
    return lambda point: arith.MulfOp(
        ReadOp(x, point), float_constant(weight, element_type_of(x))
    )


def reduced_count(op: nn.ReduceOp) -> int:
    """How many input elements each output element reduces."""
    return prod(shape_of(op.input)[axis] for axis in op.reduced_axes())


class ReduceToCompute(RewritePattern):
    """``nn.reduce_<sum|mean|max|min|prod>`` -> one reducing compute.

    Over no elements at all (an axis of size 0), each is its init (0, -inf, +inf,
    1); the mean is NaN, as numpy's, so it is a NaN fill.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ReduceOp, rewriter: PatternRewriter) -> None:
        if isinstance(op, nn.ReduceMeanOp) and reduced_count(op) == 0:
            element_type = element_type_of(op.input)
            fill = elementwise_compute(
                tensor_type(op.result),
                [],
                lambda: float_constant(math.nan, element_type),
            )
            rewriter.replace(op, fill)
            return
        compute = reduction_compute(
            tensor_type(op.result),
            shape_of(op.input),
            op.reduced_axes(),
            reduced_term(op),
            combiner=COMBINERS[type(op)],
            keepdims=op.keeps_dims(),
        )
        rewriter.replace(op, compute)


REDUCTION_PATTERNS: list[RewritePattern] = [ReduceToCompute()]
