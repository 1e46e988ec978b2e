"""func -> llvm: functions, calls and returns with llvm-typed signatures.

A loop-level function takes its buffers as memrefs and writes its results into
them; as an ``llvm.func`` it takes one bare pointer per buffer, with C's calling
convention and external linkage (a private function becomes internal)::

    func.func @f(%x: memref<4x8xf32>, %n: index, %y: memref<4x8xf32>) {
      func.return
    }

becomes::

    llvm.func @f(%x: !llvm.ptr, %n: i64, %y: !llvm.ptr) {
      llvm.return
    }

so that its C prototype is ``void f(float *x, int64_t n, float *y)``. A function
with more than one result has no C counterpart and is not converted.
"""

from __future__ import annotations

from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import UnitAttr
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dlc.lowering.llvm_patterns.conversion import (
    legalize_block_arguments,
    llvm_operands,
    llvm_type,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern


class FuncToLLVM(LoweringPattern):
    """``func.func`` -> ``llvm.func``, moving the body and converting its arguments."""

    roots = (func.FuncOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, func.FuncOp) or len(op.function_type.outputs) > 1:
            return
        inputs = [llvm_type(t) for t in op.function_type.inputs]
        outputs = [llvm_type(t) for t in op.function_type.outputs]
        function_type = llvm.LLVMFunctionType(inputs, outputs[0] if outputs else None)
        private = op.sym_visibility is not None and op.sym_visibility.data == "private"
        linkage = "internal" if private and op.body.blocks else "external"
        body = rewriter.move_region_contents_to_new_regions(op.body)
        new = llvm.FuncOp(
            op.sym_name.data, function_type, llvm.LinkageAttr(linkage), body=body
        )
        if "no_inline" in op.attributes:
            new.no_inline = UnitAttr()
        rewriter.replace(op, new, [])
        if body.blocks:
            legalize_block_arguments(body.blocks[0], rewriter)


class ReturnToLLVM(LoweringPattern):
    """``func.return`` -> ``llvm.return`` (of nothing or of one value)."""

    roots = (func.ReturnOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, func.ReturnOp) or len(op.arguments) > 1:
            return
        values = llvm_operands(op.arguments, rewriter)
        rewriter.replace(op, llvm.ReturnOp(values[0] if values else None), [])


class CallToLLVM(LoweringPattern):
    """``func.call`` -> ``llvm.call`` of the same symbol."""

    roots = (func.CallOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, func.CallOp) or len(op.res) > 1:
            return
        args = llvm_operands(op.arguments, rewriter)
        result = llvm_type(op.res[0].type) if op.res else None
        replace_op(rewriter, op, [llvm.CallOp(op.callee, *args, return_type=result)])


FUNC_PATTERNS: list[RewritePattern] = [FuncToLLVM(), ReturnToLLVM(), CallToLLVM()]
