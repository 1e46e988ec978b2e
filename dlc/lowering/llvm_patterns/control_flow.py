"""cf -> llvm: unconditional and conditional branches.

The successor blocks' arguments get llvm types too (an ``index`` argument becomes
``i64``), so that the branch operands and the block arguments agree::

    cf.cond_br %c, ^body(%i : index), ^exit
    ^body(%j: index):

becomes::

    llvm.cond_br %c, ^body(%i : i64), ^exit
    ^body(%j: i64):
"""

from __future__ import annotations

from xdsl.dialects import cf, llvm
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dlc.lowering.llvm_patterns.conversion import (
    legalize_block_arguments,
    llvm_operand,
    llvm_operands,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern


class BranchToLLVM(LoweringPattern):
    """``cf.br`` -> ``llvm.br``; ``cf.cond_br`` -> ``llvm.cond_br``."""

    roots = (cf.BranchOp, cf.ConditionalBranchOp)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, cf.BranchOp):
            args = llvm_operands(op.arguments, rewriter)
            legalize_block_arguments(op.successor, rewriter)
            rewriter.replace(op, llvm.BrOp(op.successor, *args), [])
        elif isinstance(op, cf.ConditionalBranchOp):
            cond = llvm_operand(op.cond, rewriter)
            then_args = llvm_operands(op.then_arguments, rewriter)
            else_args = llvm_operands(op.else_arguments, rewriter)
            legalize_block_arguments(op.then_block, rewriter)
            legalize_block_arguments(op.else_block, rewriter)
            new = llvm.CondBrOp(
                cond, op.then_block, then_args, op.else_block, else_args
            )
            rewriter.replace(op, new, [])


CONTROL_FLOW_PATTERNS: list[RewritePattern] = [BranchToLLVM()]
