"""memref -> llvm: static buffers as bare pointers, accessed with GEP inbounds.

A static row-major memref is one pointer to its first element; its shape only
appears in the address arithmetic. An access flattens its indices in Horner form
and takes one ``getelementptr inbounds`` (never ptrtoint/inttoptr, which would hide
the access pattern from LLVM's alias analysis and vectorizer)::

    %v = memref.load %A[%i, %j] : memref<4x8xf32>

becomes::

    %c8 = llvm.mlir.constant(8 : i64) : i64
    %r = llvm.mul %i, %c8 overflow<nsw> : i64
    %k = llvm.add %r, %j overflow<nsw> : i64
    %p = llvm.getelementptr inbounds %A[%k] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %v = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> f32

``memref.alloc``/``dealloc`` call ``aligned_alloc``/``free`` (64-byte aligned, the
size rounded up to the alignment as C11 asks); ``memref.alloca`` is ``llvm.alloca``;
``memref.global`` is an ``llvm.mlir.global`` array of the elements and
``memref.get_global`` its address. A ``dense_resource`` initial value is copied out
of its blob; an uninitialized global is zero-filled. A buffer larger than a 64-bit
address space can hold is a diagnostic.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from xdsl.dialects import llvm, memref
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    IntegerAttr,
    MemRefType,
    TensorType,
    i1,
    i8,
    i32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.lowering.llvm_patterns.conversion import (
    aligned_load,
    aligned_store,
    declare_function,
    element_bytes,
    i64_constant,
    icmp,
    inbounds_gep,
    integer_attr,
    is_static_memref,
    llvm_operand,
    llvm_operands,
    llvm_type,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern
from dlc.resources import resource_blob

HEAP_ALIGNMENT = 64
"""Bytes: a cache line, and the widest vector register (AVX-512)."""
MAX_BUFFER_BYTES = 2**63 - 1
"""The largest buffer a signed 64-bit size, as LLVM's index arithmetic uses, spans."""

_NSW = integer_attr(
    llvm.OverflowAttr((llvm.OverflowFlag.NO_SIGNED_WRAP,)).to_int(), i32
)
"""``nsw``, as the property ``llvm.MulOp(..., overflow=nsw)`` stores."""
_POINTER = llvm.LLVMPointerType()


def element_address(
    buffer: SSAValue, indices: Sequence[SSAValue], rewriter: PatternRewriter
) -> tuple[list[Operation], SSAValue]:
    """Ops computing ``&buffer[indices]`` for a static row-major memref.

    The flattened index ``((i0 * d1 + i1) * d2 + i2) ...`` cannot overflow (the
    access is in bounds), hence ``nsw``, which lets LLVM reason about it.
    """
    memref_type = buffer.type
    assert isinstance(memref_type, MemRefType)
    base = llvm_operand(buffer, rewriter)
    index_values = llvm_operands(indices, rewriter)
    if not index_values:
        return [], base
    ops: list[Operation] = []
    linear = index_values[0]
    sizes = memref_type.get_shape()[1:]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    for size, index in zip(sizes, index_values[1:], strict=True):  # pyright: ignore[reportUnknownArgumentType]
        extent = i64_constant(size)  # pyright: ignore[reportUnknownArgumentType]
        scaled = _nsw(llvm.MulOp, linear, extent.result)
        offset = _nsw(llvm.AddOp, scaled.res, index)
        ops += [extent, scaled, offset]
        linear = offset.res
    element = llvm_type(memref_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    assert isinstance(base.type, llvm.LLVMPointerType)
    # The result has the address space of the buffer (GPU: 1, 3).
    gep = inbounds_gep(base, linear, element, base.type)
    return [*ops, gep], gep.result


def _nsw(
    kind: type[llvm.MulOp | llvm.AddOp], lhs: SSAValue, rhs: SSAValue
) -> llvm.MulOp | llvm.AddOp:
    """``kind(lhs, rhs, overflow=nsw)``, built from its property (the index
    arithmetic of every access builds two)."""
    return kind.create(
        operands=[lhs, rhs], result_types=[lhs.type], properties={"overflowFlags": _NSW}
    )


def element_alignment(memref_type: Attribute) -> int:
    """The alignment every element of a memref is known to have: its size."""
    assert isinstance(memref_type, MemRefType)
    size = element_bytes(memref_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    assert size is not None
    return size


def check_addressable(op: Operation, memref_type: Attribute, size: int) -> None:
    """Report a buffer of ``size`` bytes that no 64-bit address can hold.

    Its size would not fit the ``i64`` that ``aligned_alloc`` or the global's type
    takes (``tensor<4611686018427387904xf32>`` is valid IR).
    """
    if size > MAX_BUFFER_BYTES:
        raise DiagnosticError(
            f"{op.name}: {memref_type} needs {size} bytes, more than the "
            f"{MAX_BUFFER_BYTES} a 64-bit address space can hold",
            SourceLocation.of(op.location),
        )


class LoadStoreToLLVM(LoweringPattern):
    """``memref.load``/``store`` -> GEP inbounds + ``llvm.load``/``store``.

    An ``i1`` element is one byte, as a numpy ``bool``: a load reads the byte and
    tests it against 0, a store writes 0 or 1. (LLVM's own ``load i1`` assumes the
    byte holds 0 or 1, but xDSL writes ``true`` constants as 0xFF.)
    """

    roots = (memref.LoadOp, memref.StoreOp)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, memref.LoadOp | memref.StoreOp):
            return
        if not is_static_memref(op.memref.type):
            return
        ops, pointer = element_address(op.memref, op.indices, rewriter)
        align = element_alignment(op.memref.type)
        boolean = op.memref.type.element_type == i1
        if isinstance(op, memref.LoadOp):
            load = aligned_load(
                pointer, i8 if boolean else llvm_type(op.res.type), align
            )
            ops.append(load)
            if boolean:
                zero = llvm.ConstantOp(IntegerAttr(0, i8), i8)
                ops += [zero, icmp("ne", load.dereferenced_value, zero.result)]
            replace_op(rewriter, op, ops)
        else:
            value = llvm_operand(op.value, rewriter)
            if boolean:
                ops.append(llvm.ZExtOp(value, i8))
                value = ops[-1].results[0]
            store = aligned_store(value, pointer, align)
            rewriter.replace(op, [*ops, store], [])


class AllocToLLVM(LoweringPattern):
    """``memref.alloc`` -> ``aligned_alloc``; ``memref.alloca`` -> ``llvm.alloca``.

    ::

        %t = memref.alloc() : memref<4x8xf32>

    becomes::

        %a = llvm.mlir.constant(64 : i64) : i64
        %n = llvm.mlir.constant(128 : i64) : i64
        %t = llvm.call @aligned_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
    """

    roots = (memref.AllocOp, memref.AllocaOp)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, memref.AllocOp | memref.AllocaOp):
            return
        memref_type = op.memref.type
        if not is_static_memref(memref_type):
            return
        count = prod(memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        requested = op.alignment.value.data if op.alignment is not None else 1  # pyright: ignore[reportUnknownMemberType]
        element_size = element_alignment(memref_type)
        if isinstance(op, memref.AllocaOp):
            elements = i64_constant(count)
            element = llvm_type(memref_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
            alloca = llvm.AllocaOp(
                elements.result, element, alignment=max(requested, element_size)
            )
            replace_op(rewriter, op, [elements, alloca])
            return
        alignment = max(requested, HEAP_ALIGNMENT)
        size = max(1, -(-count * element_size // alignment)) * alignment
        check_addressable(op, memref_type, size)
        function_type = llvm.LLVMFunctionType([i64, i64], _POINTER)
        declare_function(op, "aligned_alloc", function_type, rewriter)
        align_value, size_value = i64_constant(alignment), i64_constant(size)
        call = llvm.CallOp(
            "aligned_alloc", align_value.result, size_value.result, return_type=_POINTER
        )
        replace_op(rewriter, op, [align_value, size_value, call])


class DeallocToLLVM(LoweringPattern):
    """``memref.dealloc %t`` -> ``llvm.call @free(%t)``."""

    roots = (memref.DeallocOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, memref.DeallocOp) or not is_static_memref(op.memref.type):
            return
        pointer = llvm_operand(op.memref, rewriter)
        declare_function(op, "free", llvm.LLVMFunctionType([_POINTER]), rewriter)
        rewriter.replace(op, llvm.CallOp("free", pointer), [])


class GetGlobalToLLVM(LoweringPattern):
    """``memref.get_global @w`` -> ``llvm.mlir.addressof @w``."""

    roots = (memref.GetGlobalOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, memref.GetGlobalOp):
            return
        address = llvm.AddressOfOp(op.name_, llvm_type(op.memref.type))  # pyright: ignore[reportArgumentType]
        replace_op(rewriter, op, [address])


class GlobalToLLVM(LoweringPattern):
    """``memref.global`` -> an ``llvm.mlir.global`` array of its elements::

        "memref.global"() <{sym_name = "w", sym_visibility = "private",
            type = memref<2x2xf32>, initial_value = dense<...>, constant}>

    becomes::

        llvm.mlir.global private constant @w(dense<...> : tensor<2x2xf32>)
            {alignment = 64 : i64} : !llvm.array<4 x f32>
    """

    roots = (memref.GlobalOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, memref.GlobalOp) or not is_static_memref(op.type):
            return
        memref_type = op.type
        count = prod(memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        check_addressable(op, memref_type, count * element_alignment(memref_type))
        value = _initial_value(op)
        if value is None:
            return
        element = llvm_type(memref_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        private = op.sym_visibility.data == "private"
        alignment = op.alignment.value.data if op.alignment is not None else 1
        new = llvm.GlobalOp(
            llvm.LLVMArrayType(count, element),
            op.sym_name,
            "private" if private else "external",
            constant=op.constant is not None,
            value=value,
            alignment=max(alignment, HEAP_ALIGNMENT),
        )
        rewriter.replace(op, new, [])


def _initial_value(op: memref.GlobalOp) -> DenseIntOrFPElementsAttr | None:
    """The global's elements as an inline dense value (None for an elided blob)."""
    value: Attribute = op.initial_value
    if isinstance(value, DenseIntOrFPElementsAttr):
        return value  # pyright: ignore[reportUnknownVariableType]
    memref_type = op.type
    tensor = TensorType(memref_type.element_type, memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    if isinstance(value, DenseResourceAttr):
        blob = resource_blob(value.resource_handle.data)
        if blob is None:
            return None
        return DenseIntOrFPElementsAttr(tensor, BytesAttr(blob))  # pyright: ignore[reportArgumentType]
    size = element_alignment(memref_type) * prod(memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    return DenseIntOrFPElementsAttr(tensor, BytesAttr(bytes(size)))  # pyright: ignore[reportArgumentType]


MEMREF_PATTERNS: list[RewritePattern] = [
    LoadStoreToLLVM(),
    AllocToLLVM(),
    DeallocToLLVM(),
    GetGlobalToLLVM(),
    GlobalToLLVM(),
]
