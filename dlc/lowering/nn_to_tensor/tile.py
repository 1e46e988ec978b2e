"""nn-to-tensor pattern for ``nn.tile``: one compute reading the input modulo its size.

Output index ``o`` of a tiled dim reads input index ``o mod size``; a dim repeated
once keeps its index and a size-1 dim is read at 0::

    %t = nn.tile %x {repeats = array<i64: 2, 1>} : tensor<3x4xf32> -> tensor<6x4xf32>

becomes::

    %t = tensor.compute (%i0, %i1) : tensor<6x4xf32> {
      %c3 = arith.constant 3 : index
      %0 = arith.remui %i0, %c3 : index
      %1 = tensor.read %x[%0, %i1] : tensor<3x4xf32>
      tensor.yield %1 : f32
    }
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.ir import SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import tile as nn
from dlc.dialects.nn.base import ints_property
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import index_constant, shape_of
from dlc.lowering.nn_to_tensor.indexing import name_indices


class TileToTensorPattern(RewritePattern):
    """``nn.tile`` -> one compute whose read wraps each tiled index."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.TileOp, rewriter: PatternRewriter) -> None:
        shape = shape_of(op.input)
        repeats = ints_property(op.properties, "repeats")

        def body(*output: SSAValue) -> ReadOp:
            name_indices(output, [f"i{dim}" for dim in range(len(output))])
            indices: list[SSAValue] = []
            for index, size, count in zip(output, shape, repeats, strict=True):
                if size == 1:
                    index = index_constant(0).result
                elif count > 1:
                    index = arith.RemUIOp(index, index_constant(size)).result
                indices.append(index)
            return ReadOp(op.input, indices)

        rewriter.replace(op, ComputeOp.from_callable(op.result.type, body))


TILE_PATTERNS: list[RewritePattern] = [TileToTensorPattern()]
