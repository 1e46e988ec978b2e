"""Reference implementations of the nn reduction ops.

Floats accumulate in f64 and round once. Integers reduce in their own dtype, so
that sums and products wrap around as compiled code does; booleans reduce as
"any" (max) and "all" (min). Over no elements at all, each reduction is its
identity: 0 for a sum, 1 for a product, the lowest value for a max (-inf), the
highest for a min, and NaN for a mean.
"""

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

Array = np.ndarray[Any, Any]


def reduction(reduce: Callable[..., Any]) -> OpImpl:
    """An implementation applying a numpy reduction (np.sum, ...) over the op's axes."""

    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: nn.ReduceOp,
        args: PythonValues,
    ) -> PythonValues:
        x = np.asarray(args[0])
        if np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float64)
        with np.errstate(over="ignore"):
            reduced = reduce(x, axis=op.reduced_axes(), keepdims=op.keeps_dims())
        return result(op, reduced)

    return run


def bounds(dtype: np.dtype[Any]) -> tuple[Any, Any]:
    """The lowest and the highest value of ``dtype``."""
    if np.issubdtype(dtype, np.floating):
        return -np.inf, np.inf
    if dtype == np.bool_:
        return False, True
    info = np.iinfo(dtype)
    return info.min, info.max


def total(x: Array, **axes: Any) -> Any:
    """np.sum, in the integer dtype itself (numpy would widen it)."""
    return np.sum(x, dtype=x.dtype, **axes)


def product(x: Array, **axes: Any) -> Any:
    return np.prod(x, dtype=x.dtype, **axes)


def maximum(x: Array, **axes: Any) -> Any:
    """np.max, but the lowest value over no elements (-inf as ONNX's ReduceMax)."""
    return np.max(x, initial=bounds(x.dtype)[0], **axes)


def minimum(x: Array, **axes: Any) -> Any:
    return np.min(x, initial=bounds(x.dtype)[1], **axes)


@register_impls
class ReductionFunctions(InterpreterFunctions):
    run_reduce_sum = impl(nn.ReduceSumOp)(reduction(total))
    run_reduce_mean = impl(nn.ReduceMeanOp)(reduction(np.mean))
    run_reduce_max = impl(nn.ReduceMaxOp)(reduction(maximum))
    run_reduce_min = impl(nn.ReduceMinOp)(reduction(minimum))
    run_reduce_prod = impl(nn.ReduceProdOp)(reduction(product))
