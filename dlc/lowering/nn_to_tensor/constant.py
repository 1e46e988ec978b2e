"""nn-to-tensor pattern for nn.constant: a tensor-typed ``arith.constant``.

A constant has no index expression to write: its value is already the whole tensor.
It becomes the builtin constant op with the same value attribute, inline or resource,
which ``tensor-to-loop`` turns into a ``memref.global``::

    %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
    %w = nn.constant dense_resource<w1> : tensor<784x512xf32>

becomes::

    %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
    %w = arith.constant dense_resource<w1> : tensor<784x512xf32>
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import constant as nn


class ConstantToArith(RewritePattern):
    """``nn.constant <value>`` -> ``arith.constant <value>`` of the same type."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ConstantOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, arith.ConstantOp(op.value))


CONSTANT_PATTERNS: list[RewritePattern] = [ConstantToArith()]
