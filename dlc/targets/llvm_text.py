"""llvm dialect -> llvmlite module: xDSL's translation and the fixes every target needs.

:func:`xdsl.backend.llvm.convert.convert_module` does most of the work; this module
wraps it with what dlc's targets (the CPU's shared libraries, the GPU's PTX) need
on top:

* The cyclic garbage collector is paused during the conversion: it builds
  hundreds of thousands of llvmlite objects, none in a cycle, and each collector
  pass rescanned them all (a 2048x2048 weight: 417 s with the collector on, 11 s
  off).
* A function with internal linkage keeps it: xDSL's translation makes every
  function external, which would export them all from a shared library.
* A global's initializer is stored as a byte string (``c"\\00\\00\\80?..."``) of
  its elements' little-endian bytes rather than a list of typed constants, and
  gets the global's alignment. xDSL writes one typed constant per element and
  drops the alignment; for a weight matrix of a million floats that is megabytes
  of text that LLVM parses element by element. Code only ever reaches a global
  through its address (``llvm.mlir.addressof`` + GEP on the element type), so the
  array's type is free to be bytes. Such a global's value is hidden from xDSL's
  translation, which would first build one llvmlite constant per element (for
  the 25 million weights of a resnet50, 52 of its 77 seconds) only to have them
  replaced.
* A GEP on a pointer outside address space 0 is repaired (see
  :func:`repair_address_space_geps`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import llvmlite.ir as ir
from xdsl.backend.llvm.convert import convert_module
from xdsl.dialects import llvm
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, FixedBitwidthType, ModuleOp
from xdsl.ir import Attribute


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while building or rewriting big IR.

    Lowering a model makes millions of IR and llvmlite objects and no garbage
    cycles worth collecting; every collector pass would rescan them all.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def llvmlite_module(module: ModuleOp, triple: str, data_layout: str) -> ir.Module:
    """``module`` (llvm dialect only) as an llvmlite module for ``triple``."""
    as_bytes = {
        op: value
        for op in module.ops
        if isinstance(op, llvm.GlobalOp) and (value := _raw_bytes(op)) is not None
    }
    for op in as_bytes:
        del op.properties["value"]
    try:
        with collector_paused():
            llvm_module = convert_module(
                module, fallback_target_triple=triple, data_layout=data_layout
            )
    finally:
        for op, value in as_bytes.items():
            op.properties["value"] = value
    for op in module.ops:
        if isinstance(op, llvm.GlobalOp):
            _set_alignment_and_bytes(op, llvm_module, as_bytes.get(op))
        elif isinstance(op, llvm.FuncOp) and op.linkage.linkage.data == "internal":
            function = llvm_module.get_global(op.sym_name.data)
            function.linkage = "internal"  # pyright: ignore[reportAttributeAccessIssue]
    repair_address_space_geps(llvm_module)
    return llvm_module


def _raw_bytes(op: llvm.GlobalOp) -> DenseIntOrFPElementsAttr | None:
    """The value of ``op`` if it is dense and stored as its elements' bytes."""
    value = op.value
    if not isinstance(value, DenseIntOrFPElementsAttr):
        return None
    if len(value.data.data) != _array_bytes(op.global_type):
        return None
    return value


def _set_alignment_and_bytes(
    op: llvm.GlobalOp,
    llvm_module: ir.Module,
    value: DenseIntOrFPElementsAttr | None,
) -> None:
    variable = llvm_module.get_global(op.sym_name.data)
    assert isinstance(variable, ir.GlobalVariable)
    if op.alignment is not None:
        variable.align = op.alignment.value.data  # pyright: ignore[reportAttributeAccessIssue]
    if value is None:
        return
    raw = value.data.data
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


def repair_address_space_geps(llvm_module: ir.Module) -> None:
    """Make each GEP on a ``ptr addrspace(N)`` address that pointer directly.

    xDSL translates ``llvm.getelementptr %p[%i] : (!llvm.ptr<1>, i64) -> ...`` as::

        %c = bitcast ptr addrspace(1) %p to ptr       ; elem_type.as_pointer()
        %q = getelementptr inbounds float, ptr %c, i64 %i

    (``_convert_getelementptr`` in ``xdsl/backend/llvm/convert_op.py`` casts the
    base to a pointer to the element type, which is always in address space 0).
    A bitcast cannot change the address space, so LLVM rejects the module, and
    even an ``addrspacecast`` would turn a global or shared access into a generic
    one. Each such GEP takes the original pointer instead, and its result gets
    that pointer's type; the bitcast, now unused, goes::

        %q = getelementptr inbounds float, ptr addrspace(1) %p, i64 %i
    """
    for function in llvm_module.functions:
        for block in function.blocks:
            casts: list[ir.Instruction] = []
            for instruction in block.instructions:
                if not isinstance(instruction, ir.GEPInstr):
                    continue
                cast = instruction.pointer
                if not (
                    isinstance(cast, ir.CastInstr)
                    and cast.opname == "bitcast"
                    and isinstance(cast.operands[0].type, ir.PointerType)
                    and cast.operands[0].type.addrspace != 0
                ):
                    continue
                source = cast.operands[0]
                instruction.pointer = source
                instruction.replace_usage(cast, source)
                instruction.type = ir.PointerType(addrspace=source.type.addrspace)
                casts.append(cast)
            for cast in casts:
                if cast in block.instructions:
                    block.instructions.remove(cast)
