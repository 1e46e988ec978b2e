"""Helpers shared by the nn reference implementations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.interpreter import Interpreter, InterpreterFunctions, PythonValues
from xdsl.ir import Operation

from dlc.interpreter.scalar import numpy_dtype


def result(op: Operation, value: Any) -> PythonValues:
    """Package ``value`` as ``op``'s single result, in the result's dtype.

    The shape is checked against the op's result type: a mismatch is a bug in the
    reference implementation, never in the user's program.
    """
    result_type = op.results[0].type
    assert isinstance(result_type, TensorType)
    array = np.asarray(value, dtype=numpy_dtype(result_type.element_type))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    expected = tuple(result_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    assert array.shape == expected, (
        f"{op.name}: reference gave {array.shape}, type says {expected}"
    )
    return (array,)


OpImpl = Callable[[InterpreterFunctions, Interpreter, Any, PythonValues], PythonValues]


def elementwise(fn: Callable[..., Any]) -> OpImpl:
    """An implementation that applies a numpy function to the op's operands."""

    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: Any,
        args: PythonValues,
    ) -> PythonValues:
        return result(op, fn(*args))

    return run
