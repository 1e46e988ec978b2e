"""Canonicalization patterns for the nn dialect.

Kept apart from the op definitions, as in xDSL; every nn op reaches them through the
``NNCanonicalization`` trait of :class:`dlc.dialects.nn.base.NNOp`. Each pattern
checks the type of the op it is given, so every op can be offered all of them.

The patterns make the graph smaller without changing what the reference interpreter
computes:

* ops that are the identity disappear (a reshape to the same type, a full slice, ...);
* chains of transposes or of reshapes become one op;
* an op whose operands are all small inline constants becomes a constant.

Applying them again to their own output changes nothing.
"""

from __future__ import annotations

from math import prod

import numpy as np
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, ModuleOp
from xdsl.ir import Operation
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn.base import NNOp, as_any_tensor, i64_array, shape_of
from dlc.dialects.nn.constant import ConstantOp
from dlc.dialects.nn.shape import (
    BroadcastToOp,
    ConcatOp,
    FlattenOp,
    PadOp,
    ReshapeOp,
    SliceOp,
    SqueezeOp,
    TransposeOp,
    UnsqueezeOp,
    slice_ranges,
)
from dlc.resources import dense_from_array

ORDER_PRESERVING_OPS = (
    ReshapeOp,
    FlattenOp,
    SqueezeOp,
    UnsqueezeOp,
    BroadcastToOp,
    PadOp,
    ConcatOp,
)
"""Ops that read their single input in order, so that the same type means identity.

A reshape, flatten, squeeze or unsqueeze to the input's own type, a broadcast that
repeats nothing, a pad of zero and a concat of one tensor all return the input.
(Not so transpose and slice: a square transpose or a reversing slice keeps the type.)
"""

RESHAPE_LIKE_OPS = (ReshapeOp, FlattenOp, SqueezeOp, UnsqueezeOp)
"""Ops that only change the shape, so that a reshape after them can skip them."""

MAX_FOLDED_ELEMENTS = 256
"""Largest result, in elements, that constant folding writes inline into the IR."""


class RemoveSameTypeShapeOp(RewritePattern):
    """An order-preserving op whose result type is its input type is the identity.

        %r = nn.reshape %x {shape = array<i64: 2, 3>}
            : tensor<2x3xf32> -> tensor<2x3xf32>
        %p = nn.pad %x {pads = array<i64: 0, 0, 0, 0>}
            : tensor<2x3xf32> -> tensor<2x3xf32>
        func.return %r, %p : ...
    becomes
        func.return %x, %x : ...
    """

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, ORDER_PRESERVING_OPS) or len(op.operands) != 1:
            return
        if op.operands[0].type == op.results[0].type:
            rewriter.replace(op, [], [op.operands[0]])


class RemoveIdentityTranspose(RewritePattern):
    """A transpose by the identity permutation is the identity.

        %t = nn.transpose %x {perm = array<i64: 0, 1>}
            : tensor<2x2xf32> -> tensor<2x2xf32>
    becomes %x.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: TransposeOp, rewriter: PatternRewriter) -> None:
        input = as_any_tensor(op.input.type, f"{op.name} input")
        perm = TransposeOp.normalized_perm(input, op.properties)
        if perm == tuple(range(len(perm))):
            rewriter.replace(op, [], [op.input])


class ComposeTransposes(RewritePattern):
    """Two transposes in a row are one transpose by the composed permutation.

    The result dimension i of the outer transpose is dimension outer[i] of the inner
    result, which is dimension inner[outer[i]] of the inner input.

        %a = nn.transpose %x {perm = array<i64: 1, 2, 0>}
            : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
        %b = nn.transpose %a {perm = array<i64: 1, 0, 2>}
            : tensor<3x4x2xf32> -> tensor<4x3x2xf32>
    becomes
        %b = nn.transpose %x {perm = array<i64: 2, 1, 0>}
            : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: TransposeOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, TransposeOp):
            return
        outer_input = as_any_tensor(op.input.type, f"{op.name} input")
        inner_input = as_any_tensor(inner.input.type, f"{inner.name} input")
        outer_perm = TransposeOp.normalized_perm(outer_input, op.properties)
        inner_perm = TransposeOp.normalized_perm(inner_input, inner.properties)
        perm = [inner_perm[p] for p in outer_perm]
        rewriter.replace(
            op, TransposeOp.from_operands([inner.input], perm=i64_array(perm))
        )


class ComposeReshapes(RewritePattern):
    """A reshape of a reshape (or flatten, squeeze, unsqueeze) reshapes the source.

        %a = nn.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
        %b = nn.reshape %a {shape = array<i64: 6, 4>}
            : tensor<2x12xf32> -> tensor<6x4xf32>
    becomes
        %b = nn.reshape %x {shape = array<i64: 6, 4>}
            : tensor<2x3x4xf32> -> tensor<6x4xf32>
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ReshapeOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, RESHAPE_LIKE_OPS):
            return
        rewriter.replace(
            op, ReshapeOp.from_operands([inner.operands[0]], shape=op.shape)
        )


class RemoveFullSlice(RewritePattern):
    """A slice that keeps every index of every dimension, in order, is the identity.

        %s = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 100>}
            : tensor<4xf32> -> tensor<4xf32>
    becomes %x; a reversing slice (steps = -1) keeps the type but is not removed.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: SliceOp, rewriter: PatternRewriter) -> None:
        input = as_any_tensor(op.input.type, f"{op.name} input")
        ranges = slice_ranges(op.name, input, op.properties)
        if all(r == range(dim) for r, dim in zip(ranges, shape_of(input), strict=True)):
            rewriter.replace(op, [], [op.input])


class FoldConstantOperands(RewritePattern):
    """An op whose operands are all small inline constants becomes a constant.

    The value is what the reference interpreter computes for the op, so folding
    cannot disagree with it. Results larger than ``MAX_FOLDED_ELEMENTS`` and operands
    held in resource blobs are left alone, to keep the IR readable.

        %a = nn.constant dense<[1.0, -2.0]> : tensor<2xf32>
        %r = nn.relu %a : tensor<2xf32>
    becomes
        %r = nn.constant dense<[1.0, 0.0]> : tensor<2xf32>
    """

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, NNOp) or isinstance(op, ConstantOp) or not op.operands:
            return
        result_type = as_any_tensor(op.results[0].type, f"{op.name} result")
        if prod(shape_of(result_type)) > MAX_FOLDED_ELEMENTS:
            return
        constants: list[ConstantOp] = []
        for operand in op.operands:
            owner = operand.owner
            if not isinstance(owner, ConstantOp) or not isinstance(
                owner.value, DenseIntOrFPElementsAttr
            ):
                return
            constants.append(owner)

        # The interpreter imports the op definitions, which import this module.
        from dlc.interpreter import make_interpreter

        interpreter = make_interpreter(ModuleOp([]))
        # NaN and inf are values like any other here, not something to warn about.
        with np.errstate(all="ignore"):
            args = tuple(interpreter.run_op(c)[0] for c in constants)
            (array,) = interpreter.run_op(op, args)
        value = dense_from_array(array)
        rewriter.replace(op, ConstantOp.from_operands([], value=value))


CANONICALIZATION_PATTERNS: tuple[RewritePattern, ...] = (
    RemoveSameTypeShapeOp(),
    RemoveIdentityTranspose(),
    ComposeTransposes(),
    ComposeReshapes(),
    RemoveFullSlice(),
    FoldConstantOperands(),
)


def canonicalization_patterns() -> tuple[RewritePattern, ...]:
    return CANONICALIZATION_PATTERNS
