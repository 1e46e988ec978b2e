"""Reference implementations of the activations of :mod:`dlc.dialects.nn.activation`.

Each is the plainest numpy that states the op's meaning as ONNX defines it, in the
operand's dtype, except erf, which numpy lacks and which is taken from ``math`` in
f64.
"""

from __future__ import annotations

import math
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

from dlc.dialects.nn import activation as nn
from dlc.interpreter.nn.support import OpImpl, elementwise, result

Array = np.ndarray[Any, Any]

_erf = np.vectorize(math.erf, otypes=[np.float64])


def hard_sigmoid(x: Array, alpha: float, beta: float) -> Array:
    return np.maximum(0, np.minimum(1, alpha * x + beta))


def hard_swish(x: Array) -> Array:
    return x * hard_sigmoid(x, nn.HARD_SWISH_ALPHA, nn.HARD_SWISH_BETA)


def elu(x: Array, alpha: float) -> Array:
    with np.errstate(over="ignore"):  # expm1 of large x, a branch not taken
        return np.where(x > 0, x, alpha * np.expm1(x))


def selu(x: Array, alpha: float, gamma: float) -> Array:
    return gamma * elu(x, alpha)


def with_parameters(fn: Callable[..., Array]) -> OpImpl:
    """An implementation calling ``fn(x, **parameters)`` with the op's parameters."""

    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: nn.ActivationOp,
        args: PythonValues,
    ) -> PythonValues:
        (x,) = args
        return result(op, fn(x, **op.parameters()))

    return run


@register_impls
class ActivationFunctions(InterpreterFunctions):
    run_erf = impl(nn.ErfOp)(elementwise(_erf))
    run_abs = impl(nn.AbsOp)(elementwise(np.abs))
    run_reciprocal = impl(nn.ReciprocalOp)(elementwise(np.reciprocal))
    run_softplus = impl(nn.SoftplusOp)(elementwise(lambda x: np.logaddexp(0, x)))
    run_hard_swish = impl(nn.HardSwishOp)(elementwise(hard_swish))
    run_hard_sigmoid = impl(nn.HardSigmoidOp)(with_parameters(hard_sigmoid))
    run_elu = impl(nn.EluOp)(with_parameters(elu))
    run_selu = impl(nn.SeluOp)(with_parameters(selu))
    run_floor = impl(nn.FloorOp)(elementwise(np.floor))
    run_ceil = impl(nn.CeilOp)(elementwise(np.ceil))
    run_sin = impl(nn.SinOp)(elementwise(np.sin))
    run_cos = impl(nn.CosOp)(elementwise(np.cos))

    @impl(nn.PReluOp)
    def run_prelu(
        self, interpreter: Interpreter, op: nn.PReluOp, args: PythonValues
    ) -> PythonValues:
        x, slope = args
        return result(op, np.where(x > 0, x, x * slope))
