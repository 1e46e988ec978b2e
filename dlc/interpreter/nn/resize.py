"""Reference implementation of ``nn.resize``: one dim at a time, in exact fractions.

Each output coordinate's source coordinate is an exact fraction
(:func:`dlc.dialects.nn.resize.source_fraction`); nearest rounds it as
``nearest_mode`` says, linear weighs the two inputs around it. H is resized
first, then W, in f64, and the result is rounded to the input's dtype once, as
ONNX's reference does.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)

from dlc.dialects.nn import resize as nn
from dlc.interpreter.nn.support import result

Array = np.ndarray[Any, Any]


def nearest_index(x: Fraction, nearest_mode: str) -> int:
    low = math.floor(x)
    if x == low or nearest_mode == "floor":
        return low
    if nearest_mode == "ceil":
        return low + 1
    above = x - low
    if nearest_mode == "round_prefer_floor":
        return low if above <= Fraction(1, 2) else low + 1
    return low if above < Fraction(1, 2) else low + 1


def resize_dim(x: Array, axis: int, out: int, attrs: nn.ResizeAttrs) -> Array:
    size = x.shape[axis]
    fraction = nn.source_fraction(attrs.coordinate_mode, size, out)
    sources = [fraction.at(o) for o in range(out)]

    def clamped(indices: list[int]) -> Array:
        return np.clip(np.array(indices), 0, size - 1)

    if attrs.mode == "nearest":
        indices = [nearest_index(s, attrs.nearest_mode) for s in sources]
        return np.take(x, clamped(indices), axis=axis)
    lows = [math.floor(s) for s in sources]
    weight = np.array([float(s - low) for s, low in zip(sources, lows, strict=True)])
    weight = weight.reshape([out if d == axis else 1 for d in range(x.ndim)])
    below = np.take(x, clamped(lows), axis=axis)
    above = np.take(x, clamped([low + 1 for low in lows]), axis=axis)
    return (1 - weight) * below + weight * above


@register_impls
class ResizeFunctions(InterpreterFunctions):
    @impl(nn.ResizeOp)
    def run_resize(
        self, interpreter: Interpreter, op: nn.ResizeOp, args: PythonValues
    ) -> PythonValues:
        (x,) = args
        attrs = op.attrs()
        resized = np.asarray(x, dtype=np.float64)
        for axis in (2, 3):
            resized = resize_dim(resized, axis, attrs.sizes[axis], attrs)
        return result(op, resized)
