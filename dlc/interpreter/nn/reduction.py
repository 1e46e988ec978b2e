"""Reference implementations of the nn reduction ops, accumulated in f64."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)

from dlc.dialects.nn import reduction as nn
from dlc.interpreter.nn.support import OpImpl, result


def reduction(reduce: Callable[..., Any]) -> OpImpl:
    """An implementation applying a numpy reduction (np.sum, ...) over the op's axes."""

    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: nn.ReduceOp,
        args: PythonValues,
    ) -> PythonValues:
        (x,) = args
        wide = np.asarray(x, dtype=np.float64)
        reduced = reduce(wide, axis=op.reduced_axes(), keepdims=op.keeps_dims())
        return result(op, reduced)

    return run


def maximum(x: Any, **axes: Any) -> Any:
    """np.max, but -inf over no elements (as ONNX's ReduceMax), where numpy raises."""
    return np.max(x, initial=-np.inf, **axes)


@register_impls
class ReductionFunctions(InterpreterFunctions):
    run_reduce_sum = impl(nn.ReduceSumOp)(reduction(np.sum))
    run_reduce_mean = impl(nn.ReduceMeanOp)(reduction(np.mean))
    run_reduce_max = impl(nn.ReduceMaxOp)(reduction(maximum))
