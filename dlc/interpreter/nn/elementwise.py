"""Reference implementations of the elementwise nn ops.

Each is the plainest numpy that states the op's meaning, computed in the operands'
dtype (numpy takes f16 through f32 and rounds back), except gelu, whose erf has no
numpy ufunc and is taken from ``math`` in f64. Integer arithmetic wraps around, as
numpy's does on arrays; integer division and powers are spelled out, because
numpy's division floors and nn's truncates, and numpy rejects negative integer
powers.
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

from dlc.dialects.nn import elementwise as nn
from dlc.interpreter.nn.support import elementwise, result

Array = np.ndarray[Any, Any]

_erf = np.vectorize(math.erf, otypes=[np.float64])


def relu(x: Array) -> Array:
    return np.maximum(x, 0)


def sigmoid(x: Array) -> Array:
    return 1 / (1 + np.exp(-x))


def rsqrt(x: Array) -> Array:
    return 1 / np.sqrt(x)


def divide(lhs: Array, rhs: Array) -> Array:
    """IEEE division of floats; integer division truncated toward zero, x / 0 = 0.

    The truncated quotient is numpy's floored one, plus one where the division is
    inexact and the operands' signs differ. The most negative value divided by -1
    wraps around to itself (numpy's floored quotient does, with a warning).
    """
    if not np.issubdtype(np.result_type(lhs, rhs), np.integer):
        return np.divide(lhs, rhs)
    with np.errstate(all="ignore"):
        divisor = np.where(rhs == 0, np.ones_like(rhs), rhs)
        floored = lhs // divisor
        inexact = lhs % divisor != 0
        quotient = floored + (inexact & ((lhs < 0) != (divisor < 0)))
        return np.where(rhs == 0, np.zeros_like(quotient), quotient)


def power(base: Array, exponent: Array) -> Array:
    """IEEE pow of floats; on integers the wrapping power for exponents >= 0 and,
    for negative ones, the real power truncated toward zero (0 for a base of 0)."""
    if not np.issubdtype(np.result_type(base, exponent), np.integer):
        return np.power(base, exponent)
    dtype = np.result_type(base, exponent)
    with np.errstate(all="ignore"):
        natural = np.power(base, np.maximum(exponent, 0), dtype=dtype)
    odd = exponent % 2 != 0
    truncated = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
    return np.where(exponent < 0, truncated, natural).astype(dtype)


def wrapping(fn: Callable[..., Array]) -> Callable[..., Array]:
    """``fn`` without numpy's overflow warnings: integers wrap around by design
    (and the most negative one is its own negation)."""

    def run(*args: Array) -> Array:
        with np.errstate(over="ignore"):
            return fn(*args)

    return run


def gelu(x: Array, approximation: str) -> Array:
    """x * Phi(x), exactly with erf, or with the tanh approximation."""
    x = np.asarray(x, dtype=np.float64)
    if approximation == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)
        return 0.5 * x * (1 + np.tanh(inner))
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


@register_impls
class ElementwiseFunctions(InterpreterFunctions):
    run_relu = impl(nn.ReluOp)(elementwise(relu))
    run_sigmoid = impl(nn.SigmoidOp)(elementwise(sigmoid))
    run_tanh = impl(nn.TanhOp)(elementwise(np.tanh))
    run_exp = impl(nn.ExpOp)(elementwise(np.exp))
    run_log = impl(nn.LogOp)(elementwise(np.log))
    run_sqrt = impl(nn.SqrtOp)(elementwise(np.sqrt))
    run_rsqrt = impl(nn.RsqrtOp)(elementwise(rsqrt))
    run_neg = impl(nn.NegOp)(elementwise(wrapping(np.negative)))

    run_add = impl(nn.AddOp)(elementwise(wrapping(np.add)))
    run_sub = impl(nn.SubOp)(elementwise(wrapping(np.subtract)))
    run_mul = impl(nn.MulOp)(elementwise(wrapping(np.multiply)))
    run_div = impl(nn.DivOp)(elementwise(divide))
    run_pow = impl(nn.PowOp)(elementwise(power))
    run_maximum = impl(nn.MaximumOp)(elementwise(np.maximum))
    run_minimum = impl(nn.MinimumOp)(elementwise(np.minimum))

    @impl(nn.LeakyReluOp)
    def run_leaky_relu(
        self, interpreter: Interpreter, op: nn.LeakyReluOp, args: PythonValues
    ) -> PythonValues:
        (x,) = args
        return result(op, np.where(x >= 0, x, op.negative_slope() * x))

    @impl(nn.GeluOp)
    def run_gelu(
        self, interpreter: Interpreter, op: nn.GeluOp, args: PythonValues
    ) -> PythonValues:
        (x,) = args
        return result(op, gelu(x, op.approximation()))

    @impl(nn.ClipOp)
    def run_clip(
        self, interpreter: Interpreter, op: nn.ClipOp, args: PythonValues
    ) -> PythonValues:
        (x,) = args
        low, high = op.bounds()
        low = -math.inf if low is None else low
        high = math.inf if high is None else high
        return result(op, np.clip(x, low, high))
