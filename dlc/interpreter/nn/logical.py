"""Reference implementations of the comparison, logic, where and cast nn ops.

Comparisons and logic are numpy's ufuncs, which broadcast as nn does and compare
NaN as unordered (false). Cast states each conversion rule of ``nn.cast`` in numpy,
because numpy's own ``astype`` leaves a float outside an integer type's range (and
NaN) undefined, where nn saturates (and gives 0).
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

from dlc.dialects.nn import logical as nn
from dlc.interpreter.nn.support import elementwise, result
from dlc.interpreter.scalar import numpy_dtype

Array = np.ndarray[Any, Any]


def cast(x: Array, dtype: np.dtype[Any]) -> Array:
    """``x`` converted to ``dtype`` as ``nn.cast`` defines it."""
    if dtype == np.bool_:
        return x != 0
    if np.issubdtype(dtype, np.integer) and np.issubdtype(x.dtype, np.floating):
        return float_to_integer(x, dtype)
    with np.errstate(over="ignore"):  # to f16, a large integer rounds to inf
        return x.astype(dtype)


def float_to_integer(x: Array, dtype: np.dtype[Any]) -> Array:
    """Truncate toward zero, saturate outside the range, NaN to 0."""
    info = np.iinfo(dtype)
    truncated = np.trunc(x.astype(np.float64))
    above = truncated >= 2.0 ** (info.bits - 1)  # exact, unlike float(info.max)
    below = truncated < -(2.0 ** (info.bits - 1))
    inside = np.where(above | below | np.isnan(truncated), 0, truncated)
    return np.where(above, info.max, np.where(below, info.min, inside.astype(dtype)))


@register_impls
class LogicalFunctions(InterpreterFunctions):
    run_equal = impl(nn.EqualOp)(elementwise(np.equal))
    run_less = impl(nn.LessOp)(elementwise(np.less))
    run_less_equal = impl(nn.LessEqualOp)(elementwise(np.less_equal))
    run_greater = impl(nn.GreaterOp)(elementwise(np.greater))
    run_greater_equal = impl(nn.GreaterEqualOp)(elementwise(np.greater_equal))
    run_not = impl(nn.NotOp)(elementwise(np.logical_not))
    run_and = impl(nn.AndOp)(elementwise(np.logical_and))
    run_or = impl(nn.OrOp)(elementwise(np.logical_or))
    run_xor = impl(nn.XorOp)(elementwise(np.logical_xor))
    run_where = impl(nn.WhereOp)(elementwise(np.where))

    @impl(nn.CastOp)
    def run_cast(
        self, interpreter: Interpreter, op: nn.CastOp, args: PythonValues
    ) -> PythonValues:
        (x,) = args
        target = numpy_dtype(op.result.type.element_type)
        return result(op, cast(np.asarray(x), target))
