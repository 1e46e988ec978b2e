"""llvm dialect -> llvmlite module: xDSL's translation and the fixes every target needs.

:func:`xdsl.backend.llvm.convert.convert_module` does most of the work; this module
wraps it with what dlc's targets (the CPU's shared libraries, the GPU's PTX) need
on top:

* The cyclic garbage collector is paused during the conversion: it builds
  hundreds of thousands of llvmlite objects, none in a cycle, and each collector
  pass rescanned them all (a 2048x2048 weight: 417 s with the collector on, 11 s
  off).
* A function with internal linkage keeps it, and a `no_inline` one gets LLVM's
  `noinline`: xDSL's translation drops both; it makes every
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
  replaced. The bytes are escaped a chunk at a time with numpy
  (:class:`ByteArrayConstant`), not one Python string per byte as llvmlite does.
* For the JIT, a dense global larger than :data:`INLINE_GLOBAL_BYTES` can stay
  out of the text altogether (:class:`ExternalGlobals`): it is declared
  ``external``, and its bytes are copied once into an aligned numpy array whose
  address the JIT binds to it. A resnet50's 25 million weights would otherwise
  be 236 MB of escaped text that Python writes and LLVM parses back, and
  several copies of it in memory.
* A GEP on a pointer outside address space 0 is repaired (see
  :func:`repair_address_space_geps`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import llvmlite.ir as ir
import numpy as np
from xdsl.backend.llvm.convert import convert_module
from xdsl.dialects import llvm
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, FixedBitwidthType, ModuleOp
from xdsl.ir import Attribute

from dlc.garbage_collection import collection_paused

INLINE_GLOBAL_BYTES = 64
"""Globals up to this size stay in the JIT's LLVM IR, where LLVM can fold their
values into the code (a pad value, a small lookup table)."""

EXTERNAL_ALIGNMENT = 64
"""The least alignment of an external global's bytes: a cache line, as the
lowering gives every global."""


@dataclass
class ExternalGlobals:
    """The dense globals left out of the LLVM IR, for the JIT to bind by name.

    Each large dense global of the module is declared ``external`` under its own
    name, and its bytes go into :attr:`arrays` under that name, aligned as the
    global asks (at least :data:`EXTERNAL_ALIGNMENT`) and read-only if the
    global is constant. The JIT binds the global to the array's address, and
    whoever holds the compiled code keeps the arrays alive.
    """

    arrays: dict[str, np.ndarray[Any, np.dtype[np.uint8]]] = field(
        default_factory=dict[str, np.ndarray[Any, np.dtype[np.uint8]]]
    )


def llvmlite_module(
    module: ModuleOp,
    triple: str,
    data_layout: str,
    external: ExternalGlobals | None = None,
) -> ir.Module:
    """``module`` (llvm dialect only) as an llvmlite module for ``triple``.

    With ``external``, the large dense globals are left out and their bytes
    collected there instead; without, every global keeps its bytes (what ahead
    of time output needs).
    """
    as_bytes = {
        op: value
        for op in module.ops
        if isinstance(op, llvm.GlobalOp) and (value := _raw_bytes(op)) is not None
    }
    for op in as_bytes:
        del op.properties["value"]
    try:
        with collection_paused():
            llvm_module = convert_module(
                module, fallback_target_triple=triple, data_layout=data_layout
            )
    finally:
        for op, value in as_bytes.items():
            op.properties["value"] = value
    for op in module.ops:
        if isinstance(op, llvm.GlobalOp):
            _set_alignment_and_bytes(op, llvm_module, as_bytes.get(op), external)
        elif isinstance(op, llvm.FuncOp):
            function = llvm_module.get_global(op.sym_name.data)
            if op.linkage.linkage.data == "internal":
                function.linkage = "internal"  # pyright: ignore[reportAttributeAccessIssue]
            if op.no_inline is not None:
                function.attributes.add("noinline")  # pyright: ignore[reportAttributeAccessIssue]
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
    external: ExternalGlobals | None,
) -> None:
    """Give ``op``'s variable its alignment and its bytes, inline or external."""
    name = op.sym_name.data
    variable = llvm_module.get_global(name)
    assert isinstance(variable, ir.GlobalVariable)
    alignment = None if op.alignment is None else op.alignment.value.data
    variable.align = alignment  # pyright: ignore[reportAttributeAccessIssue]
    if value is None:
        return
    raw = value.data.data
    variable.value_type = ir.ArrayType(ir.IntType(8), len(raw))
    if external is None or len(raw) <= INLINE_GLOBAL_BYTES:
        variable.initializer = ByteArrayConstant(raw)  # pyright: ignore[reportAttributeAccessIssue]
        return
    alignment = max(alignment or 1, EXTERNAL_ALIGNMENT)
    external.arrays[name] = _aligned_copy(raw, alignment, op.constant is None)
    variable.linkage = "external"
    variable.align = alignment  # pyright: ignore[reportAttributeAccessIssue]


class ByteArrayConstant(ir.Constant):
    """An ``[N x i8]`` constant of ``raw``, written ``c"..."`` as llvmlite would.

    llvmlite escapes a byte array through one Python string per byte: for a
    resnet50's 100 MB of weights a list of 100 million references (800 MB) and
    seconds of work. This writes the same text with one table lookup per chunk.
    """

    def __init__(self, raw: bytes):
        # not ir.Constant's constructor: it would make one constant per byte
        self.type = ir.ArrayType(ir.IntType(8), len(raw))
        self.constant = raw

    def _get_reference(self) -> str:
        return f'c"{escaped_bytes(self.constant)}"'


def _escape_table() -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Each byte's text in a ``c"..."`` string (3 bytes, padded) and which count.

    Printable ASCII stands for itself, except ``"`` and ``\\``; any other byte is
    ``\\`` and two lowercase hex digits.
    """
    text = np.zeros((256, 3), np.uint8)
    used = np.zeros((256, 3), np.bool_)
    for byte in range(256):
        literal = 0x20 <= byte < 0x7F and byte not in b'"\\'
        piece = bytes([byte]) if literal else f"\\{byte:02x}".encode()
        text[byte, : len(piece)] = list(piece)
        used[byte, : len(piece)] = True
    return text, used


_ESCAPED_TEXT, _ESCAPED_USED = _escape_table()
_ESCAPE_CHUNK_BYTES = 1 << 16


def escaped_bytes(raw: bytes) -> str:
    """``raw`` as the contents of an LLVM IR ``c"..."`` string."""
    codes = np.frombuffer(raw, np.uint8)
    pieces: list[bytes] = []
    for start in range(0, len(codes), _ESCAPE_CHUNK_BYTES):
        chunk = codes[start : start + _ESCAPE_CHUNK_BYTES]
        text = np.take(_ESCAPED_TEXT, chunk, axis=0)
        pieces.append(text[np.take(_ESCAPED_USED, chunk, axis=0)].tobytes())
    return b"".join(pieces).decode("ascii")


def _aligned_copy(
    raw: bytes, alignment: int, writeable: bool
) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """``raw`` in a numpy array whose data starts at a multiple of ``alignment``."""
    storage = np.empty(len(raw) + alignment, np.uint8)
    start = -storage.ctypes.data % alignment
    array = storage[start : start + len(raw)]
    array[:] = np.frombuffer(raw, np.uint8)
    array.flags.writeable = writeable
    return array


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
