"""nn-to-tensor pattern for nn.gather (:mod:`dlc.dialects.nn.indexing`).

The read position along the gathered dim is data: each output point reads its
index, makes it a position in ``[0, n)`` (a negative one counts from the end, any
other outside is clamped, as ``nn.gather`` defines), and reads the data there. The
clamp is what keeps the data read in bounds whatever the indices hold, so compiled
code never needs a check::

    %g = nn.gather %x, %i {axis = 0} : (tensor<5x3xf32>, tensor<2xi64>)
        -> tensor<2x3xf32>

becomes::

    %g = tensor.compute (%i0, %i1) : tensor<2x3xf32> {
      %k = tensor.read %i[%i0] : tensor<2xi64>
      %p = arith.index_cast %k : i64 to index
      %c0 = arith.constant 0 : index
      %negative = arith.cmpi slt, %p, %c0 : index
      %c5 = arith.constant 5 : index
      %from_end = arith.addi %p, %c5 : index
      %wrapped = arith.select %negative, %from_end, %p : index
      %low = arith.maxsi %wrapped, %c0 : index
      %c4 = arith.constant 4 : index
      %position = arith.minsi %low, %c4 : index
      %v = tensor.read %x[%position, %i1] : tensor<5x3xf32>
      tensor.yield %v : f32
    }

(This module is the lowering of the indexing family; :mod:`.indexing` holds the
index arithmetic that the contraction, pooling and shape lowerings share.)
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import indexing as nn
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import index_constant, shape_of, tensor_type
from dlc.lowering.nn_to_tensor.indexing import name_indices


def gathered_position(index: SSAValue, size: int) -> SSAValue:
    """The data position an index value reads: wrapped once, then clamped."""
    position = arith.IndexCastOp(index, IndexType()).result
    zero = index_constant(0).result
    negative = arith.CmpiOp(position, zero, "slt")
    from_end = arith.AddiOp(position, index_constant(size))
    wrapped = arith.SelectOp(negative, from_end, position)
    low = arith.MaxSIOp(wrapped, zero)
    return arith.MinSIOp(low, index_constant(size - 1)).result


class GatherToTensorPattern(RewritePattern):
    """``nn.gather`` -> one compute that reads an index, then the data there."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.GatherOp, rewriter: PatternRewriter) -> None:
        axis = op.gathered_axis()
        size = shape_of(op.data)[axis]
        index_rank = len(shape_of(op.indices))

        def body(*output: SSAValue) -> Operation:
            name_indices(output, [f"i{dim}" for dim in range(len(output))])
            before = output[:axis]
            at = output[axis : axis + index_rank]
            after = output[axis + index_rank :]
            index = ReadOp(op.indices, at).result
            position = gathered_position(index, size)
            return ReadOp(op.data, [*before, position, *after])

        compute = ComputeOp.from_callable(tensor_type(op.result), body)
        rewriter.replace(op, compute)


GATHER_PATTERNS: list[RewritePattern] = [GatherToTensorPattern()]
