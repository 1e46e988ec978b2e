"""Canonicalization patterns for loop.for and loop.parallel.

Kept apart from the op definitions, as in xDSL; the ops reach them through their
``ForCanonicalization`` / ``ParallelCanonicalization`` traits. Each pattern removes
loop structure that constant bounds make trivial, so that tiling by a size that
divides (or exceeds) a dimension leaves no empty or one-trip loops behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import Block, Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint

from dlc.dialects.loop.loops import (
    INDEX,
    NO_MAPPING,
    ForOp,
    ParallelOp,
    constant_index,
    constant_trip_count,
)


def _never_runs(lb: SSAValue, ub: SSAValue) -> bool:
    lower, upper = constant_index(lb), constant_index(ub)
    return lower is not None and upper is not None and upper <= lower


def _inline_body(
    rewriter: PatternRewriter, op: Operation, block: Block, args: Sequence[SSAValue]
) -> None:
    """Replace ``op`` by ``block`` run once, its results by the yielded values."""
    terminator = block.last_op
    assert terminator is not None
    rewriter.inline_block(block, InsertPoint.before(op), args)
    rewriter.replace(op, (), terminator.operands)
    rewriter.erase(terminator)


class RemoveZeroTripFor(RewritePattern):
    """A loop.for that never runs gives its initial values.

    Before::

        %r = loop.for %i = %c4 to %c4 step %c1 iter_args(%a = %x) -> (f32) {...}
        use(%r)

    After::

        use(%x)
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ForOp, rewriter: PatternRewriter) -> None:
        if _never_runs(op.lb, op.ub):
            rewriter.replace(op, (), list(op.iter_args))


class InlineSingleIterationFor(RewritePattern):
    """A loop.for that runs once is its body, with the induction variable at lb.

    Before::

        %r = loop.for %i = %c0 to %c4 step %c4 iter_args(%a = %x) -> (f32) {
          %y = arith.addf %a, %a : f32
          loop.yield %y : f32
        }

    After::

        %y = arith.addf %x, %x : f32
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ForOp, rewriter: PatternRewriter) -> None:
        if op.trip_count() == 1:
            _inline_body(rewriter, op, op.body.block, [op.lb, *op.iter_args])


class RemoveZeroTripParallel(RewritePattern):
    """A loop.parallel with a dimension that never runs does nothing; erase it."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ParallelOp, rewriter: PatternRewriter) -> None:
        bounds = zip(op.lower_bounds, op.upper_bounds, strict=True)
        if any(_never_runs(lb, ub) for lb, ub in bounds):
            rewriter.erase(op)


class DropSingleIterationParallelDims(RewritePattern):
    """Unmapped dimensions of a loop.parallel that run once become constants.

    Dimensions mapped to a processor are kept even when they run once: the mapping
    still says where the body runs (a one-block GPU grid is still a GPU launch).

    Before::

        loop.parallel (%i, %j) = (%c0, %c0) to (%c1, %n) step (%c1, %c1) {
          memref.store %x, %A[%i, %j] : memref<1x?xf32>
        }

    After::

        loop.parallel (%j) = (%c0) to (%n) step (%c1) {
          memref.store %x, %A[%c0, %j] : memref<1x?xf32>
        }
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ParallelOp, rewriter: PatternRewriter) -> None:
        names = op.mapping_names()
        dims = range(len(op.lower_bounds))
        dropped = [
            dim
            for dim in dims
            if names[dim] == NO_MAPPING
            and constant_trip_count(
                op.lower_bounds[dim], op.upper_bounds[dim], op.steps[dim]
            )
            == 1
        ]
        if not dropped:
            return
        kept = [dim for dim in dims if dim not in dropped]
        if not kept:
            _inline_body(rewriter, op, op.body.block, list(op.lower_bounds))
            return
        new_body = Block(arg_types=[INDEX] * len(kept))
        new_args = iter(new_body.args)
        args = [
            op.lower_bounds[dim] if dim in dropped else next(new_args) for dim in dims
        ]
        new_op = ParallelOp(
            [op.lower_bounds[dim] for dim in kept],
            [op.upper_bounds[dim] for dim in kept],
            [op.steps[dim] for dim in kept],
            new_body,
            None if op.mapping is None else [names[dim] for dim in kept],
            op.attributes,
        )
        rewriter.inline_block(op.body.block, InsertPoint.at_end(new_body), args)
        rewriter.replace(op, new_op)


FOR_PATTERNS: tuple[RewritePattern, ...] = (
    RemoveZeroTripFor(),
    InlineSingleIterationFor(),
)
PARALLEL_PATTERNS: tuple[RewritePattern, ...] = (
    RemoveZeroTripParallel(),
    DropSingleIterationParallelDims(),
)
