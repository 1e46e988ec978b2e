"""Reference implementation of nn.gather: numpy.take at wrapped, clamped indices."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)

from dlc.dialects.nn import indexing as nn
from dlc.interpreter.nn.support import result

Array = np.ndarray[Any, Any]


def gather(data: Array, indices: Array, axis: int) -> Array:
    """ONNX Gather; an index in [-n, 0) counts from the end, any other outside
    [0, n) is clamped to the nearest position (nn's choice, see GatherOp)."""
    n = data.shape[axis]
    positions = np.asarray(indices, dtype=np.int64)
    positions = np.where(positions < 0, positions + n, positions)
    positions = np.clip(positions, 0, max(n - 1, 0))
    return np.take(data, positions, axis=axis)


@register_impls
class IndexingFunctions(InterpreterFunctions):
    @impl(nn.GatherOp)
    def run_gather(
        self, interpreter: Interpreter, op: nn.GatherOp, args: PythonValues
    ) -> PythonValues:
        data, indices = args
        return result(op, gather(data, indices, op.gathered_axis()))
