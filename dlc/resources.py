"""MLIR resource blobs: the bytes behind ``dense_resource<name>`` constants.

xDSL 0.74 keeps blobs in its builtin dialect object, one table per process, as hex
text that starts with a 4-byte alignment header. These helpers read and write that
table for the nn dialect, the interpreter and the lowerings, which all need the
bytes of a constant.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    Builtin,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    TensorType,
)
from xdsl.ir import Attribute

BLOB_ALIGNMENT_BYTES = 4
"""Size of the alignment header that starts every MLIR resource blob."""


_ELEMENT_TYPES: dict[type[np.generic], Attribute] = {
    np.float16: Float16Type(),
    np.float32: Float32Type(),
    np.float64: Float64Type(),
    np.bool_: IntegerType(1),
    np.int8: IntegerType(8),
    np.int32: IntegerType(32),
    np.int64: IntegerType(64),
}
"""The element type of each numpy dtype a constant may have (a bool is one byte)."""


def tensor_type_of(array: np.ndarray[Any, Any]) -> TensorType[Attribute]:
    return TensorType(_ELEMENT_TYPES[array.dtype.type], array.shape)


def little_endian_bytes(array: np.ndarray[Any, Any]) -> bytes:
    return np.ascontiguousarray(array, array.dtype.newbyteorder("<")).tobytes()


def dense_from_array(array: np.ndarray[Any, Any]) -> DenseIntOrFPElementsAttr:
    """An inline ``dense<...>`` value holding exactly the elements of ``array``."""
    data = BytesAttr(little_endian_bytes(array))
    return DenseIntOrFPElementsAttr(tensor_type_of(array), data)


def _blobs() -> OpAsmDialectInterface:
    interface = Builtin.get_interface(OpAsmDialectInterface)
    assert interface is not None, "xDSL's builtin dialect stores resource blobs"
    return interface


def resource_blob(handle: str) -> bytes | None:
    """The raw element bytes of resource ``handle``, or None if it has no blob."""
    text = _blobs().lookup(handle)
    if not text:
        return None
    return bytes.fromhex(text[2:])[BLOB_ALIGNMENT_BYTES:]


def declare_resource(name: str, array: np.ndarray[Any, Any]) -> DenseResourceAttr:
    """Store ``array`` as a new resource blob and return the attribute naming it.

    The blob holds the array's elements in its dtype, little-endian, aligned to the
    element size; the attribute's type is a tensor of the array's shape and element
    type. ``name`` gets a numeric suffix if a resource of that name exists already.
    """
    alignment = array.dtype.itemsize.to_bytes(BLOB_ALIGNMENT_BYTES, "little")
    blob = alignment + little_endian_bytes(array)
    key = _blobs().declare_resource(name)
    _blobs().parse_resource(key, "0x" + blob.hex().upper())
    return DenseResourceAttr.from_params(key, tensor_type_of(array))
