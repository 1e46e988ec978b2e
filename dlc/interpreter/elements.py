"""Constant tensor values (``dense<...>``, ``dense_resource<...>``) as numpy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    TensorType,
)
from xdsl.ir import Attribute
from xdsl.utils.exceptions import InterpretationError

from dlc.interpreter.scalar import numpy_dtype
from dlc.resources import resource_blob


def elements_array(value: Attribute, tensor_type: TensorType, what: str) -> Any:
    """The elements of ``value`` as a fresh, writable array of ``tensor_type``.

    Inline values and resource blobs both hold the elements as little-endian bytes
    in row-major order, a boolean as one byte, any nonzero one true (xDSL writes
    ``true`` as 0xFF). ``what`` names the op in the error for a missing blob.
    """
    if isinstance(value, DenseIntOrFPElementsAttr):
        data = value.data.data
    else:
        assert isinstance(value, DenseResourceAttr)
        handle = value.resource_handle.data
        blob = resource_blob(handle)
        if blob is None:
            raise InterpretationError(
                f"{what}: resource '{handle}' has no blob in the module's "
                "dialect_resources section, so its value is unknown"
            )
        data = blob
    dtype = numpy_dtype(tensor_type.element_type).newbyteorder("<")
    shape = tuple(tensor_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    if dtype == np.bool_:
        return (np.frombuffer(data, dtype=np.uint8) != 0).reshape(shape)
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()
