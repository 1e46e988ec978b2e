"""Canonicalization patterns for the tensor dialect.

Kept apart from the op definitions, as in xDSL; ``tensor.compute`` and ``tensor.read``
reach them through their canonicalization traits. Both patterns only remove work:
neither duplicates a computation (that is fusion's decision, not canonicalization's).
"""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.traits import ConstantLike

from dlc.dialects.tensor import ComputeOp, ReadOp, is_defined_inside


class FoldIdentityCompute(RewritePattern):
    """A compute that copies a tensor of its own type element by element is that tensor.

    Such copies come from lowering no-op reshapes and transposes::

        %y = tensor.compute (%i, %j) : tensor<4x8xf32> {
          %v = tensor.read %x[%i, %j] : tensor<4x8xf32>
          tensor.yield %v : f32
        }
        // every use of %y becomes a use of %x

    A pad on the read does not matter: the indices range over the tensor's own shape.
    A copy of a computed-at compute stays: that compute may only be read in the loop
    nest it runs in.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ComputeOp, rewriter: PatternRewriter) -> None:
        if op.has_reduction:
            return
        read = op.yielded.owner
        if not isinstance(read, ReadOp) or read.parent is not op.body.block:
            return
        if read.tensor.type != op.result.type:
            return
        source = read.tensor.owner
        if isinstance(source, ComputeOp) and source.computed_at is not None:
            return
        if tuple(read.indices) != op.output_indices:
            return
        rewriter.replace(op, [], [read.tensor])


class FoldReadOfUniformCompute(RewritePattern):
    """Reading a compute whose elements are all one value gives that value.

    The value is either defined above the producer, or a constant of its body, which
    is cloned into the reader's body::

        %z = tensor.compute (%i) : tensor<8xf32> {
          %c = arith.constant 0.0 : f32
          tensor.yield %c : f32
        }
        ... %v = tensor.read %z[%k] : tensor<8xf32>
    becomes::

        ... %v = arith.constant 0.0 : f32

    A padded read is left alone: out of bounds it yields the pad, not the value.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ReadOp, rewriter: PatternRewriter) -> None:
        producer = op.tensor.owner
        if not isinstance(producer, ComputeOp) or producer.has_reduction:
            return
        if op.pad is not None:
            return
        value = producer.yielded
        if not is_defined_inside(value, producer):
            rewriter.replace(op, [], [value])
            return
        constant = value.owner
        if isinstance(constant, Operation) and constant.has_trait(ConstantLike):
            clone = constant.clone()
            rewriter.replace(op, [clone], clone.results)
