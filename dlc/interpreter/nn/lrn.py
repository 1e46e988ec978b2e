"""Reference implementation of ``nn.lrn``, written as ONNX's LRN specifies it.

The sum of squares is taken channel by channel over the clipped window, in the
input's dtype. (ONNX's own reference code loops over the batch dim instead of the
channels; the specification and onnxruntime use the channels, as here.)
"""

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

from dlc.dialects.nn import lrn as nn
from dlc.interpreter.nn.support import result

Array = np.ndarray[Any, Any]


def lrn(x: Array, p: nn.LrnParameters) -> Array:
    channels = x.shape[1]
    square_sum = np.zeros_like(x)
    for c in range(channels):
        first, last = max(0, c - p.before), min(channels - 1, c + p.after)
        square_sum[:, c] = np.sum(x[:, first : last + 1] ** 2, axis=1)
    return x / (p.bias + p.alpha / p.size * square_sum) ** p.beta


@register_impls
class LrnFunctions(InterpreterFunctions):
    @impl(nn.LrnOp)
    def run_lrn(
        self, interpreter: Interpreter, op: nn.LrnOp, args: PythonValues
    ) -> PythonValues:
        (x,) = args
        return result(op, lrn(x, op.parameters()))
