"""loop-to-llvm: lower loop-level functions to xDSL's llvm dialect for the CPU.

The pass composes the pattern sets of :mod:`dlc.lowering.llvm_patterns` (loop,
memref, arith, math, func, cf) in one greedy walk, dispatched by op class, then
folds away the casts the patterns left between converted and unconverted values,
and checks that nothing of the source level is left.
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriteWalker

from dlc.garbage_collection import collection_paused
from dlc.lowering.legality import check_fully_lowered
from dlc.lowering.llvm_patterns import (
    ARITH_PATTERNS,
    CONTROL_FLOW_PATTERNS,
    FUNC_PATTERNS,
    LOOP_PATTERNS,
    MATH_PATTERNS,
    MEMREF_PATTERNS,
    check_llvm_only,
    reconcile_casts,
)
from dlc.lowering.llvm_patterns.arena import ARENA_PATTERNS
from dlc.lowering.llvm_patterns.dispatch import DispatchingApplier
from dlc.lowering.llvm_patterns.parallel import PARALLEL_PATTERNS
from dlc.lowering.llvm_patterns.vector_math import VECTOR_MATH_PATTERNS

LOOP_TO_LLVM_PATTERNS = [
    *FUNC_PATTERNS,
    *PARALLEL_PATTERNS,  # before ParallelToFor, which would run cpu.thread serially
    *LOOP_PATTERNS,
    *ARENA_PATTERNS,  # before AllocToLLVM, which takes any alloc
    *MEMREF_PATTERNS,
    *ARITH_PATTERNS,
    *VECTOR_MATH_PATTERNS,  # before MATH_PATTERNS, which would call libm per lane
    *MATH_PATTERNS,
    *CONTROL_FLOW_PATTERNS,
]

SOURCE_DIALECTS = ("loop", "memref", "arith", "math", "func", "cf")


@dataclass(frozen=True)
class LoopToLLVMPass(ModulePass):
    """Lower loop nests over memrefs to llvm functions over bare pointers.

    Each function keeps the destination-passing convention, now with C's ABI,
    ``void f(float *in0, ..., float *out0, ...)``; loops become blocks and
    branches, and every buffer access is a ``getelementptr inbounds``::

        func.func @scale(%x: memref<8xf32>, %y: memref<8xf32>) {
          %c0 = arith.constant 0 : index
          %c1 = arith.constant 1 : index
          %c8 = arith.constant 8 : index
          loop.for %i = %c0 to %c8 step %c1 {
            %v = memref.load %x[%i] : memref<8xf32>
            %d = arith.addf %v, %v : f32
            memref.store %d, %y[%i] : memref<8xf32>
          }
          func.return
        }

    becomes::

        llvm.func @scale(%x: !llvm.ptr, %y: !llvm.ptr) {
          %c0 = llvm.mlir.constant(0 : i64) : i64
          %c1 = llvm.mlir.constant(1 : i64) : i64
          %c8 = llvm.mlir.constant(8 : i64) : i64
          llvm.br ^header(%c0 : i64)
        ^header(%i: i64):
          %go = llvm.icmp "slt" %i, %c8 : i64
          llvm.cond_br %go, ^body, ^exit
        ^body:
          %p = llvm.getelementptr inbounds %x[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
          %v = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> f32
          %d = llvm.fadd %v, %v : f32
          %q = llvm.getelementptr inbounds %y[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
          llvm.store %d, %q {alignment = 4 : i64} : f32, !llvm.ptr
          %next = llvm.add %i, %c1 : i64
          llvm.br ^header(%next : i64)
        ^exit:
          llvm.return
        }
    """

    name = "loop-to-llvm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        with collection_paused():
            PatternRewriteWalker(
                DispatchingApplier(LOOP_TO_LLVM_PATTERNS)
            ).rewrite_module(op)
            reconcile_casts(op)
        prefixes = tuple(f"{dialect}." for dialect in SOURCE_DIALECTS)
        if any(nested.name.startswith(prefixes) for nested in op.walk()):
            # One walk finds that something is left; the check names it.
            for dialect in SOURCE_DIALECTS:
                check_fully_lowered(op, dialect, self.name)
        check_llvm_only(op, self.name)
