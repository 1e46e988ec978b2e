"""Reference implementations of the nn pooling ops.

Each window is read from an explicitly padded array, one kernel tap at a time (see
:func:`dlc.interpreter.nn.contraction.kernel_taps`). Max pooling pads with -inf.
Average pooling pads the values with 0 and divides each window's sum by how many of
its positions count, read from a 0/1 array padded the same way: every position of
the padded input with ``count_include_pad``, only input elements without it. A
``ceil_mode`` window that hangs over the end of the padded input sees -inf (max) or
uncounted zeros (avg) there.
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

from dlc.dialects.nn import pooling as nn
from dlc.dialects.nn.window import Window2d
from dlc.interpreter.nn.contraction import kernel_taps
from dlc.interpreter.nn.support import result

Array = np.ndarray[Any, Any]


def hw_padding(
    window: Window2d, hw: tuple[int, int], out_hw: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """``np.pad`` widths for H and W: the op's padding plus any ceil_mode overhang."""
    top, left, bottom, right = window.padding
    widths: list[tuple[int, int]] = []
    for size, before, after, out, kernel, stride, dilation in zip(
        hw,
        (top, left),
        (bottom, right),
        out_hw,
        window.kernel,
        window.strides,
        window.dilations,
        strict=True,
    ):
        needed = (out - 1) * stride + dilation * (kernel - 1) + 1
        overhang = max(0, needed - (size + before + after))
        widths.append((before, after + overhang))
    return widths[0], widths[1]


def pooling_setup(
    op: nn.Pool2dOp, x: Array
) -> tuple[Window2d, tuple[int, int], tuple[int, int], tuple[int, int]]:
    """The op's window, output size, and padding widths for H and W."""
    window = op.read_window(op.properties)
    _, _, out_h, out_w = op.result.type.get_shape()
    out_hw = (out_h, out_w)
    pad_h, pad_w = hw_padding(window, (x.shape[2], x.shape[3]), out_hw)
    return window, out_hw, pad_h, pad_w


@register_impls
class PoolingFunctions(InterpreterFunctions):
    @impl(nn.MaxPool2dOp)
    def run_max_pool2d(
        self, interpreter: Interpreter, op: nn.MaxPool2dOp, args: PythonValues
    ) -> PythonValues:
        x = args[0]
        window, out_hw, pad_h, pad_w = pooling_setup(op, x)
        padded = np.pad(x, ((0, 0), (0, 0), pad_h, pad_w), constant_values=-np.inf)
        taps = [tap for _, _, tap in kernel_taps(padded, window, out_hw)]
        return result(op, np.maximum.reduce(taps))

    @impl(nn.AvgPool2dOp)
    def run_avg_pool2d(
        self, interpreter: Interpreter, op: nn.AvgPool2dOp, args: PythonValues
    ) -> PythonValues:
        x = args[0]
        window, out_hw, pad_h, pad_w = pooling_setup(op, x)
        values = np.pad(x, ((0, 0), (0, 0), pad_h, pad_w))
        top, left, bottom, right = window.padding
        height, width = x.shape[2], x.shape[3]
        counted = np.zeros(values.shape[2:])
        if "count_include_pad" in op.properties:
            counted[: top + height + bottom, : left + width + right] = 1
        else:
            counted[top : top + height, left : left + width] = 1
        total = sum(tap for _, _, tap in kernel_taps(values, window, out_hw))
        count = sum(tap for _, _, tap in kernel_taps(counted, window, out_hw))
        return result(op, total / count)

    @impl(nn.GlobalAvgPool2dOp)
    def run_global_avg_pool2d(
        self, interpreter: Interpreter, op: nn.GlobalAvgPool2dOp, args: PythonValues
    ) -> PythonValues:
        return result(op, np.mean(args[0], axis=(2, 3), keepdims=True))
