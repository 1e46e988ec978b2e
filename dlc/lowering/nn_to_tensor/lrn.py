"""nn-to-tensor pattern for ``nn.lrn``: a channel-window sum, then the formula.

The sum of squares is a ``reduce add`` over the ``size`` channels of each window,
reading channel ``c + k - before``; reads outside ``[0, C)`` give 0, which clips the
window as ONNX does. A second, elementwise compute divides the input by
``(bias + alpha / size * sum) ^ beta``::

    %y = nn.lrn %x {size = 3 : i64} : tensor<1x4x2x2xf32>

becomes::

    %square_sum = tensor.compute (%n, %c, %d0, %d1) reduce add (%k) in [3] init 0.0
        : tensor<1x4x2x2xf32> {
      %c1 = arith.constant 1 : index
      %0 = arith.addi %c, %k : index
      %1 = arith.subi %0, %c1 : index
      %v = tensor.read %x[%n, %1, %d0, %d1] pad 0.0 : tensor<1x4x2x2xf32>
      %sq = arith.mulf %v, %v : f32
      tensor.yield %sq : f32
    }
    %y = tensor.compute (%i0, %i1, %i2, %i3) : tensor<1x4x2x2xf32> {
      ... x / powf(1.0 + 3.33e-05 * square_sum, 0.75)
    }
"""

from __future__ import annotations

from xdsl.dialects import arith, math
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import lrn as nn
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import elementwise_compute, float_constant
from dlc.lowering.nn_to_tensor.indexing import affine_index, name_indices


class LrnToTensorPattern(RewritePattern):
    """``nn.lrn`` -> the windowed sum of squares, then one elementwise compute."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.LrnOp, rewriter: PatternRewriter) -> None:
        p = op.parameters()
        x = op.input
        result_type = op.result.type
        rank = len(result_type.get_shape())
        # A 1-channel window never leaves [0, C); wider ones reach past both ends.
        pad = 0.0 if p.size > 1 else None

        def square(*indices: SSAValue) -> Operation:
            names = ["n", "c", *(f"d{dim}" for dim in range(rank - 2)), "k"]
            name_indices(indices, names)
            n, c, *rest, k = indices
            channel = affine_index([(c, 1), (k, 1)], -p.before)
            value = ReadOp(x, [n, channel, *rest], pad)
            return arith.MulfOp(value, value)

        sums = ComputeOp.from_callable(result_type, square, reduce_extents=[p.size])
        sums.result.name_hint = "square_sum"

        def normalize(value: SSAValue, square_sum: SSAValue) -> Operation:
            element = value.type
            scaled = arith.MulfOp(float_constant(p.alpha / p.size, element), square_sum)
            base = arith.AddfOp(float_constant(p.bias, element), scaled)
            return arith.DivfOp(
                value, math.PowFOp(base, float_constant(p.beta, element))
            )

        normalized = elementwise_compute(result_type, [x, sums.result], normalize)
        rewriter.replace(op, [sums, normalized])


LRN_PATTERNS: list[RewritePattern] = [LrnToTensorPattern()]
