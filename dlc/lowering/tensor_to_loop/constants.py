"""Constants of the loop level: scalars at a function's top, tensors as globals.

Loop bounds, init values and pad values are scalar ``arith.constant`` ops that
:class:`ScalarConstants` creates once per function and value, at the top of the
function, so every loop nest can use them.

A tensor-typed ``arith.constant`` becomes a read-only global buffer, as MLIR's
bufferization does::

    %w = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>

becomes, at module level and at the constant's place::

    "memref.global"() <{sym_name = "__constant_2xf32", sym_visibility = "private",
        type = memref<2xf32>, initial_value = dense<[1.0, 2.0]> : tensor<2xf32>,
        constant}> : () -> ()
    %w = memref.get_global @__constant_2xf32 : memref<2xf32>

xDSL's ``memref.global`` holds only inline ``dense`` values, so a
``dense_resource`` value is copied into one (bytes for bytes; no per-element work).
Equal values share one global.
"""

from __future__ import annotations

from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import (
    BytesAttr,
    CompileTimeFixedBitwidthType,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.resources import BLOB_ALIGNMENT_BYTES, resource_blob


def buffer_type(tensor_type: TensorType) -> MemRefType:
    """The memref that holds a tensor: same shape and element type, row-major."""
    return MemRefType(tensor_type.element_type, tensor_type.get_shape())


class ScalarConstants:
    """One ``arith.constant`` per scalar value, at the top of a function body."""

    def __init__(self, block: Block) -> None:
        self._block = block
        self._last: Operation | None = None
        self._values: dict[tuple[Attribute, str], SSAValue] = {}

    def index(self, value: int) -> SSAValue:
        return self.get(IntegerAttr(value, IndexType()))

    def get(self, value: Attribute) -> SSAValue:
        """The constant ``value``, an ``IntegerAttr`` or a ``FloatAttr``."""
        assert isinstance(value, IntegerAttr | FloatAttr)
        number = value.value.data
        # float.hex tells -0.0 from 0.0, which compare equal
        key = (value.type, number.hex() if isinstance(number, float) else str(number))
        if key not in self._values:
            constant = arith.ConstantOp(value)
            constant.result.name_hint = _constant_name(value)
            where = (
                InsertPoint.at_start(self._block)
                if self._last is None
                else InsertPoint.after(self._last)
            )
            Rewriter.insert_op(constant, where)
            self._last = constant
            self._values[key] = constant.result
        return self._values[key]


def _constant_name(value: IntegerAttr | FloatAttr) -> str:
    if isinstance(value, FloatAttr):
        return "cst"
    number = value.value.data
    if value.type == IntegerType(1):
        return "true" if number else "false"
    text = f"c{number}" if number >= 0 else f"c_neg{-number}"
    return text if isinstance(value.type, IndexType) else f"{text}_{value.type}"


class ConstantGlobals:
    """The ``memref.global`` of every tensor constant of a module, one per value."""

    def __init__(self, module: ModuleOp) -> None:
        self._taken = {
            name.data
            for op in module.walk()
            if isinstance(name := op.properties.get("sym_name"), StringAttr)
        }
        self._names: dict[Attribute, str] = {}

    def get_global(
        self, constant: arith.ConstantOp, before: Operation
    ) -> memref.GetGlobalOp:
        """A ``get_global`` of ``constant``'s value, to insert in place of it.

        The first time a value is seen, its global goes before ``before``, the
        function being lowered.
        """
        tensor_type = constant.result.type
        assert isinstance(tensor_type, TensorType)
        memref_type = buffer_type(tensor_type)
        value = constant.value
        if value not in self._names:
            name = self._fresh_name(memref_type)
            initial_value = _dense_value(constant, tensor_type)
            global_op = memref.GlobalOp.get(
                StringAttr(name), memref_type, initial_value, constant=UnitAttr()
            )
            Rewriter.insert_op(global_op, InsertPoint.before(before))
            self._names[value] = name
        get = memref.GetGlobalOp(self._names[value], memref_type)
        get.memref.name_hint = constant.result.name_hint
        return get

    def _fresh_name(self, memref_type: MemRefType) -> str:
        shape = "x".join(
            [
                *(str(dim) for dim in memref_type.get_shape()),
                str(memref_type.element_type),
            ]
        )
        name, suffix = f"__constant_{shape}", 0
        while name in self._taken:
            name, suffix = f"__constant_{shape}_{suffix}", suffix + 1
        self._taken.add(name)
        return name


def _dense_value(
    constant: arith.ConstantOp, tensor_type: TensorType
) -> DenseIntOrFPElementsAttr:
    value = constant.value
    if isinstance(value, DenseIntOrFPElementsAttr):
        return value
    assert isinstance(value, DenseResourceAttr)
    handle = value.resource_handle.data
    location = SourceLocation.of(constant.location)
    blob = resource_blob(handle)
    if blob is None:
        raise DiagnosticError(
            f"tensor-to-loop: resource '{handle}' has no blob in the module's "
            "dialect_resources section, so the constant's value is unknown",
            location,
        )
    element_type = tensor_type.element_type
    assert isinstance(element_type, CompileTimeFixedBitwidthType)
    expected = tensor_type.element_count() * element_type.compile_time_size
    if len(blob) != expected:
        raise DiagnosticError(
            f"tensor-to-loop: resource '{handle}' holds {len(blob)} bytes after its "
            f"{BLOB_ALIGNMENT_BYTES}-byte alignment header, but {tensor_type} needs "
            f"{expected}",
            location,
        )
    return DenseIntOrFPElementsAttr(tensor_type, BytesAttr(blob))  # pyright: ignore[reportArgumentType]
