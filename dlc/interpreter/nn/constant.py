"""Reference implementation of nn.constant: the value's elements as an array."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.utils.exceptions import InterpretationError

from dlc.dialects.nn import constant as nn
from dlc.dialects.nn.base import as_float_tensor, shape_of
from dlc.interpreter.nn.support import numpy_dtype, result


@register_impls
class ConstantFunctions(InterpreterFunctions):
    @impl(nn.ConstantOp)
    def run_constant(
        self, interpreter: Interpreter, op: nn.ConstantOp, args: PythonValues
    ) -> PythonValues:
        return result(op, constant_array(op))


def constant_array(op: nn.ConstantOp) -> np.ndarray[Any, Any]:
    """The value of ``op`` in its type's shape and dtype.

    Inline values and resource blobs both hold the elements as little-endian bytes
    in row-major order.
    """
    tensor = as_float_tensor(op.result.type, f"{op.name} result")
    value = op.value
    if isinstance(value, DenseIntOrFPElementsAttr):
        data = value.data.data
    else:
        handle = value.resource_handle.data
        blob = nn.resource_blob(handle)
        if blob is None:
            raise InterpretationError(
                f"{op.name}: resource '{handle}' has no blob in the module's "
                "dialect_resources section, so its value is unknown"
            )
        data = blob
    dtype = numpy_dtype(tensor.element_type).newbyteorder("<")
    # a writable array of its own, not a read-only view of the IR's bytes
    return np.frombuffer(data, dtype=dtype).reshape(shape_of(tensor)).copy()
