"""Inlining a producer compute into one of its reads: the primitive fusion is made of.

This is TVM's ``compute_inline`` as an IR rewrite. The producer's body is cloned in
front of the read, with its block arguments replaced by the read's indices, and the
read is replaced by the clone of the yielded value::

    %r = tensor.compute (%a, %b) : tensor<4x4xf32> {
      %v = tensor.read %x[%a, %b] : tensor<4x4xf32>
      %m = arith.maximumf %v, %zero : f32
      tensor.yield %m : f32
    }
    %y = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<4xf32> {
      %e = tensor.read %r[%i, %k] : tensor<4x4xf32>
      tensor.yield %e : f32
    }

becomes, in %y's body::

      %v = tensor.read %x[%i, %k] : tensor<4x4xf32>
      %e = arith.maximumf %v, %zero : f32

A padded read stays padded: out of bounds it must still give its pad value, so the
inlined value is guarded by a bounds check, ``select(in_bounds, value, pad)``, and the
cloned body's own reads get a pad so that evaluating them out of bounds is harmless.

Only a producer without a reduction can be inlined: a reduction's value at one point
is a whole loop, not an expression. Which reads to inline (every one, or only those
of producers that are cheap or read once) is the fusion pass's decision.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType, IntegerAttr
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter

from dlc.dialects.tensor import ComputeOp, ReadOp, scalar_attr


def inlinable_producer(read: ReadOp) -> ComputeOp | None:
    """The compute ``read`` reads, if its body can be inlined at the read."""
    producer = read.tensor.owner
    if isinstance(producer, ComputeOp) and not producer.has_reduction:
        return producer
    return None


def inline_producer(read: ReadOp, rewriter: PatternRewriter) -> None:
    """Replace ``read`` by a clone of its producer's body evaluated at its indices."""
    producer = inlinable_producer(read)
    if producer is None:
        raise ValueError(
            "inline_producer: the read tensor is not a reduction-free tensor.compute"
        )
    mapping: dict[SSAValue, SSAValue] = dict(
        zip(producer.body.block.args, read.indices, strict=True)
    )
    new_ops: list[Operation] = []
    for op in producer.body.block.ops:
        if op is producer.body.block.last_op:
            break
        clone = op.clone(mapping)
        if read.pad is not None and isinstance(clone, ReadOp) and clone.pad is None:
            clone.properties["pad"] = scalar_attr(0, clone.result.type)
        new_ops.append(clone)
    value = mapping.get(producer.yielded, producer.yielded)
    if read.pad is not None and read.indices:
        guard_ops, in_bounds = _in_bounds(read.indices, producer.output_shape)
        pad = arith.ConstantOp(read.pad)
        select = arith.SelectOp(in_bounds, value, pad)
        new_ops += [*guard_ops, pad, select]
        value = select.result
    rewriter.replace(read, new_ops, [value])


def _in_bounds(
    indices: Sequence[SSAValue], shape: Sequence[int]
) -> tuple[list[Operation], SSAValue]:
    """Ops computing ``0 <= indices[d] < shape[d]`` for every d, and that i1 value."""
    zero = arith.ConstantOp(IntegerAttr(0, IndexType()))
    ops: list[Operation] = [zero]
    in_bounds: SSAValue | None = None
    for index, extent in zip(indices, shape, strict=True):
        bound = arith.ConstantOp(IntegerAttr(extent, IndexType()))
        above = arith.CmpiOp(index, zero, "sge")
        below = arith.CmpiOp(index, bound, "slt")
        both = arith.AndIOp(above, below)
        ops += [bound, above, below, both]
        if in_bounds is not None:
            both = arith.AndIOp(in_bounds, both)
            ops.append(both)
        in_bounds = both.result
    assert in_bounds is not None
    return ops, in_bounds
