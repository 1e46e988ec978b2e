"""Reference implementations of the nn normalization ops, computed in f64."""

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

from dlc.dialects.nn import normalization as nn
from dlc.interpreter.nn.support import result

Array = np.ndarray[Any, Any]


def softmax(x: Array, axis: int) -> Array:
    """exp(x) / sum(exp(x)); subtracting the max first keeps exp from overflowing."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: Array, axis: int) -> Array:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def layer_norm(x: Array, scale: Array, bias: Array, axis: int, epsilon: float) -> Array:
    dims = tuple(range(axis, x.ndim))
    mean = x.mean(axis=dims, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=dims, keepdims=True)
    return (x - mean) / np.sqrt(variance + epsilon) * scale + bias


def rms_norm(x: Array, scale: Array, axis: int, epsilon: float) -> Array:
    dims = tuple(range(axis, x.ndim))
    return x / np.sqrt((x**2).mean(axis=dims, keepdims=True) + epsilon) * scale


def batch_norm(
    x: Array, scale: Array, bias: Array, mean: Array, variance: Array, epsilon: float
) -> Array:
    def per_channel(v: Array) -> Array:
        """[C] as [1, C, 1, ...], to broadcast along dim 1 of x."""
        return v.reshape((1, -1) + (1,) * (x.ndim - 2))

    normalized = (x - per_channel(mean)) / np.sqrt(per_channel(variance) + epsilon)
    return normalized * per_channel(scale) + per_channel(bias)


def wide(args: PythonValues) -> list[Array]:
    return [np.asarray(a, dtype=np.float64) for a in args]


@register_impls
class NormalizationFunctions(InterpreterFunctions):
    @impl(nn.SoftmaxOp)
    def run_softmax(
        self, interpreter: Interpreter, op: nn.SoftmaxOp, args: PythonValues
    ) -> PythonValues:
        (x,) = wide(args)
        return result(op, softmax(x, op.normalized_axis()))

    @impl(nn.LogSoftmaxOp)
    def run_log_softmax(
        self, interpreter: Interpreter, op: nn.LogSoftmaxOp, args: PythonValues
    ) -> PythonValues:
        (x,) = wide(args)
        return result(op, log_softmax(x, op.normalized_axis()))

    @impl(nn.LayerNormOp)
    def run_layer_norm(
        self, interpreter: Interpreter, op: nn.LayerNormOp, args: PythonValues
    ) -> PythonValues:
        x, scale, bias = wide(args)
        return result(
            op, layer_norm(x, scale, bias, op.normalized_axis(), op.epsilon_value())
        )

    @impl(nn.RmsNormOp)
    def run_rms_norm(
        self, interpreter: Interpreter, op: nn.RmsNormOp, args: PythonValues
    ) -> PythonValues:
        x, scale = wide(args)
        return result(op, rms_norm(x, scale, op.normalized_axis(), op.epsilon_value()))

    @impl(nn.BatchNormOp)
    def run_batch_norm(
        self, interpreter: Interpreter, op: nn.BatchNormOp, args: PythonValues
    ) -> PythonValues:
        x, scale, bias, mean, variance = wide(args)
        return result(
            op, batch_norm(x, scale, bias, mean, variance, op.epsilon_value())
        )
