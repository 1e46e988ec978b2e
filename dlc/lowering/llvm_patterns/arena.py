"""memref -> llvm for an arena: one checked allocation, typed views into it.

``loop-memory-plan`` puts a function's temporaries in one arena, a byte buffer
reached only through ``memref.view``s at constant offsets. A view is a GEP on
the arena's bytes::

    %t = memref.view %arena[%c4096][] : memref<8192xi8> to memref<32x32xf32>

becomes::

    %t = llvm.getelementptr inbounds %arena[%c4096] : (!llvm.ptr, i64) -> !llvm.ptr, i8

The arena is allocated like any buffer (``aligned_alloc``, 64-byte aligned), and
the runtime's ``dlc_check_allocation`` then checks its address: a null pointer is
reported with its size and the program aborts, instead of the first store
faulting::

    %arena = memref.alloc() : memref<8192xi8>

becomes::

    %a = llvm.mlir.constant(64) : i64
    %n = llvm.mlir.constant(8192) : i64
    %arena = llvm.call @aligned_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
    llvm.call @dlc_check_allocation(%arena, %n) : (!llvm.ptr, i64) -> ()

The check is a call, not a compare here: the llvm dialect compares only integers,
and a ``ptrtoint`` is a cast dlc's lowering never emits. The pointer is declared
``nocapture``, so LLVM still knows that nothing else can reach the arena. A buffer
counts as an arena when every use is a ``memref.view`` or its ``memref.dealloc``.
Why a report and an abort rather than an error code: docs/runtime.md.
"""

from __future__ import annotations

from math import prod

from xdsl.dialects import llvm, memref
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    ModuleOp,
    UnitAttr,
    i8,
    i64,
)
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint
from xdsl.traits import SymbolTable

from dlc.lowering.llvm_patterns.conversion import (
    declare_function,
    i64_constant,
    is_static_memref,
    llvm_operand,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern
from dlc.lowering.llvm_patterns.memref import (
    HEAP_ALIGNMENT,
    check_addressable,
    element_alignment,
)

CHECK_ALLOCATION = "dlc_check_allocation"
"""The runtime entry ``void dlc_check_allocation(void *p, int64_t bytes)``: it
reports ``bytes`` and aborts when ``p`` is null."""

_POINTER = llvm.LLVMPointerType()


def is_arena(op: Operation) -> bool:
    """A static ``memref.alloc`` used only by views and deallocations."""
    if not isinstance(op, memref.AllocOp) or not is_static_memref(op.memref.type):
        return False
    users = [use.operation for use in op.memref.uses]
    return any(isinstance(user, memref.ViewOp) for user in users) and all(
        isinstance(user, memref.ViewOp | memref.DeallocOp) for user in users
    )


class ArenaToLLVM(LoweringPattern):
    """An arena's ``memref.alloc`` -> ``aligned_alloc`` and the runtime's check."""

    roots = (memref.AllocOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not is_arena(op):
            return
        assert isinstance(op, memref.AllocOp)
        memref_type = op.memref.type
        count = prod(memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        requested = op.alignment.value.data if op.alignment is not None else 1  # pyright: ignore[reportUnknownMemberType]
        alignment = max(requested, HEAP_ALIGNMENT)
        size = max(1, -(-count * element_alignment(memref_type) // alignment))
        size *= alignment
        check_addressable(op, memref_type, size)
        align_value, size_value = i64_constant(alignment), i64_constant(size)
        declare_function(
            op, "aligned_alloc", llvm.LLVMFunctionType([i64, i64], _POINTER), rewriter
        )
        call = llvm.CallOp(
            "aligned_alloc", align_value.result, size_value.result, return_type=_POINTER
        )
        assert call.returned is not None
        _declare_check(op, rewriter)
        check = llvm.CallOp(CHECK_ALLOCATION, call.returned, size_value.result)
        replace_op(
            rewriter, op, [align_value, size_value, call, check], [call.returned]
        )


def _declare_check(anchor: Operation, rewriter: PatternRewriter) -> None:
    """Declare ``dlc_check_allocation`` once, its pointer ``nocapture``."""
    if SymbolTable.lookup_symbol(anchor, CHECK_ALLOCATION) is not None:
        return
    module = anchor.get_toplevel_object()
    assert isinstance(module, ModuleOp)
    declaration = llvm.FuncOp(
        CHECK_ALLOCATION,
        llvm.LLVMFunctionType([_POINTER, i64]),
        linkage=llvm.LinkageAttr("external"),
        other_props={
            "arg_attrs": ArrayAttr(
                [DictionaryAttr({"llvm.nocapture": UnitAttr()}), DictionaryAttr({})]
            )
        },
    )
    rewriter.insert(declaration, InsertPoint.at_start(module.body.block))


class ViewToLLVM(LoweringPattern):
    """``memref.view`` of a static type -> a byte GEP on its source."""

    roots = (memref.ViewOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, memref.ViewOp) or not is_static_memref(op.result.type):
            return
        source = llvm_operand(op.source, rewriter)
        shift = llvm_operand(op.byte_shift, rewriter)
        gep = llvm.GEPOp(
            source,
            [llvm.GEP_USE_SSA_VAL],
            i8,
            ssa_indices=[shift],
            inbounds=True,
        )
        replace_op(rewriter, op, [gep])


ARENA_PATTERNS: list[RewritePattern] = [ArenaToLLVM(), ViewToLLVM()]
"""Must come before the memref set, whose ``AllocToLLVM`` takes any alloc."""
