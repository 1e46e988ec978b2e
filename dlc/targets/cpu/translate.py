"""llvm dialect -> LLVM IR text, with xDSL's translation to llvmlite.

Two changes on top of :func:`xdsl.backend.llvm.convert.convert_module`. A function
with internal linkage (a private function, a chunk function outlined from a
parallel loop) keeps it: xDSL's translation makes every function external, which
would export them all from a shared library. And a global's initializer is stored
as a byte string (``c"\\00\\00\\80?..."``) of its elements' little-endian bytes
rather than a list of typed constants, and gets the global's alignment. xDSL
writes one typed constant per element and drops the alignment; for a weight
matrix of a million floats that is megabytes of text that llvmlite formats and
LLVM parses element by element. Code only ever reaches a global
through its address (``llvm.mlir.addressof`` + GEP on the element type), so the
array's type is free to be bytes.
"""

from __future__ import annotations

import gc

import llvmlite.ir as ir
from llvmlite import binding
from xdsl.backend.llvm.convert import convert_module
from xdsl.dialects import llvm
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FixedBitwidthType,
    ModuleOp,
)
from xdsl.ir import Attribute

from dlc.targets.cpu.machine import host_data_layout


def llvm_ir_text(module: ModuleOp) -> str:
    """LLVM IR for ``module`` (llvm dialect) with the host triple and data layout."""
    # xDSL builds one llvmlite constant per element of every global before
    # _store_as_bytes replaces them: millions of objects for a big weight, which
    # made each cyclic-GC pass rescan them all (a 2048x2048 weight: 417 s with the
    # collector on, 11 s off). None of them form cycles, so pause the collector.
    collecting = gc.isenabled()
    gc.disable()
    try:
        llvm_module = convert_module(
            module,
            fallback_target_triple=binding.get_process_triple(),
            data_layout=host_data_layout(),
        )
    finally:
        if collecting:
            gc.enable()
    for op in module.ops:
        if isinstance(op, llvm.GlobalOp):
            _store_as_bytes(op, llvm_module)
        elif isinstance(op, llvm.FuncOp) and op.linkage.linkage.data == "internal":
            function = llvm_module.get_global(op.sym_name.data)
            function.linkage = "internal"  # pyright: ignore[reportAttributeAccessIssue]
    return str(llvm_module)


def _store_as_bytes(op: llvm.GlobalOp, llvm_module: ir.Module) -> None:
    variable = llvm_module.get_global(op.sym_name.data)
    assert isinstance(variable, ir.GlobalVariable)
    if op.alignment is not None:
        variable.align = op.alignment.value.data  # pyright: ignore[reportAttributeAccessIssue]
    value = op.value
    if not isinstance(value, DenseIntOrFPElementsAttr):
        return
    raw = value.data.data
    if len(raw) != _array_bytes(op.global_type):
        return
    byte_array = ir.ArrayType(ir.IntType(8), len(raw))
    variable.value_type = byte_array
    variable.initializer = ir.Constant(byte_array, bytearray(raw))  # pyright: ignore[reportAttributeAccessIssue]


def _array_bytes(global_type: Attribute) -> int | None:
    """The size in memory of a global array of scalars, None for anything else."""
    if not isinstance(global_type, llvm.LLVMArrayType):
        return None
    element = global_type.type
    if not isinstance(element, FixedBitwidthType):
        return None
    return global_type.size.data * (1 << (element.size - 1).bit_length())
