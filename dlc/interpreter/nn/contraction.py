"""Reference implementations of the nn contraction ops.

Convolution is written as a sum over kernel taps: for each tap ``(i, j)`` the input
elements it meets form one strided slice of the padded input, and that slice is
contracted with the weights of the tap over the input channels. The pooling ops
reuse :func:`kernel_taps` to see the same windows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)

from dlc.dialects.nn import contraction as nn
from dlc.dialects.nn.base import int_property
from dlc.dialects.nn.window import Window2d
from dlc.interpreter.nn.support import result

Array = np.ndarray[Any, Any]


def kernel_taps(
    padded: Array, window: Window2d, out_hw: tuple[int, int]
) -> Iterator[tuple[int, int, Array]]:
    """For each kernel tap ``(i, j)``, the ``[..., OH, OW]`` input slice it reads.

    ``padded`` is the input with padding already applied to its last two dims;
    element ``[..., y, x]`` of tap ``(i, j)``'s slice is
    ``padded[..., y * sh + i * dh, x * sw + j * dw]``.
    """
    (kh, kw), (sh, sw), (dh, dw) = window.kernel, window.strides, window.dilations
    out_h, out_w = out_hw
    for i in range(kh):
        for j in range(kw):
            first_row, first_col = i * dh, j * dw
            rows = slice(first_row, first_row + (out_h - 1) * sh + 1, sh)
            cols = slice(first_col, first_col + (out_w - 1) * sw + 1, sw)
            yield i, j, padded[..., rows, cols]


def conv2d(
    x: Array, w: Array, window: Window2d, groups: int, out_hw: tuple[int, int]
) -> Array:
    """Grouped 2-D convolution of NCHW ``x`` with OIHW ``w`` (no bias)."""
    top, left, bottom, right = window.padding
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    out_channels = w.shape[0]
    out = np.zeros((x.shape[0], out_channels, *out_hw), dtype=x.dtype)
    in_per_group = x.shape[1] // groups
    out_per_group = out_channels // groups
    for g in range(groups):
        ins = slice(g * in_per_group, (g + 1) * in_per_group)
        outs = slice(g * out_per_group, (g + 1) * out_per_group)
        for i, j, taps in kernel_taps(padded[:, ins], window, out_hw):
            out[:, outs] += np.einsum("nchw,oc->nohw", taps, w[outs, :, i, j])
    return out


@register_impls
class ContractionFunctions(InterpreterFunctions):
    @impl(nn.MatmulOp)
    def run_matmul(
        self, interpreter: Interpreter, op: nn.MatmulOp, args: PythonValues
    ) -> PythonValues:
        return result(op, np.matmul(args[0], args[1]))

    @impl(nn.DenseOp)
    def run_dense(
        self, interpreter: Interpreter, op: nn.DenseOp, args: PythonValues
    ) -> PythonValues:
        x, w, *bias = args
        y = x @ w
        return result(op, y + bias[0] if bias else y)

    @impl(nn.Conv2dOp)
    def run_conv2d(
        self, interpreter: Interpreter, op: nn.Conv2dOp, args: PythonValues
    ) -> PythonValues:
        x, w, *bias = args
        properties = op.properties
        window = Window2d.from_properties(op.name, properties, (w.shape[2], w.shape[3]))
        groups = int_property(properties, "groups", 1)
        _, _, out_h, out_w = op.result.type.get_shape()
        y = conv2d(x, w, window, groups, (out_h, out_w))
        if bias:
            y = y + bias[0].reshape(1, -1, 1, 1)
        return result(op, y)
