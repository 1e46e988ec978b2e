"""Pooling: MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool.

The windowed pools map onto ``nn.max_pool2d`` / ``nn.avg_pool2d`` with explicit
padding (see :mod:`dlc.frontends.onnx.window`), a 3-D one onto two of them
(:func:`pool3d`); the global pools are reductions over the spatial dims that keep
them::

    GlobalMaxPool(x: 1x8x5x5)
    %y = nn.reduce_max %x {axes = array<i64: 2, 3>, keepdims}
        : tensor<1x8x5x5xf32> -> tensor<1x8x1x1xf32>
"""

from __future__ import annotations

from xdsl.dialects.builtin import TensorType
from xdsl.ir import SSAValue

from dlc.frontends.onnx.node import ConverterTable, NodeContext
from dlc.frontends.onnx.problems import Unsupported
from dlc.frontends.onnx.window import (
    Window,
    drop_height,
    lift_input,
    read_window,
    spatial_rank,
)

CONVERTERS = ConverterTable()


@CONVERTERS.register("MaxPool", "AveragePool")
def convert_pool(node: NodeContext) -> SSAValue:
    """A 2-D pool (1-D: lifted to height 1; 3-D: two 2-D pools) with explicit
    padding."""
    rank = spatial_rank(node, "pooling", (1, 2, 3))
    kernel = node.ints_attr("kernel_shape")
    if kernel is None:
        raise Unsupported("kernel_shape is missing")
    window = read_window(node, kernel)
    flags: dict[str, bool] = {"ceil_mode": bool(node.int_attr("ceil_mode", 0))}
    if node.op_type == "MaxPool":
        node.reject_output(1, "Indices")
        node.ignore("storage_order")
        op_name = "nn.max_pool2d"
    else:
        flags["count_include_pad"] = bool(node.int_attr("count_include_pad", 0))
        op_name = "nn.avg_pool2d"
    value = node.input(0)
    if rank == 3:
        return pool3d(node, op_name, value, window, flags)
    if rank == 1:
        window = window.lifted()
        value = lift_input(node, value)
    result = pool2d(node, op_name, value, window, flags)
    return drop_height(node, result) if rank == 1 else result


def pool2d(
    node: NodeContext,
    op_name: str,
    value: SSAValue,
    window: Window,
    flags: dict[str, bool],
) -> SSAValue:
    """``op_name`` over the last two dims of the 4-D ``value``."""
    return node.emit(
        op_name,
        [value],
        kernel=window.kernel,
        strides=window.strides,
        padding=window.pads,
        dilations=window.dilations,
        **flags,
    )


def pool3d(
    node: NodeContext,
    op_name: str,
    value: SSAValue,
    window: Window,
    flags: dict[str, bool],
) -> SSAValue:
    """A 3-D pool as a 2-D pool over H and W, then one over D.

    The max and the mean over a box of taps are separable: the max of maxes, and
    the mean of means, since the taps that count (input elements, or with
    ``count_include_pad`` the padded input, never a ``ceil_mode`` overhang) form a
    box too, whose size is the product of the per-dim counts. Padding, strides,
    dilations and ``ceil_mode`` act on each dim alone. So with D folded into the
    channels, then H and W folded into one column::

        MaxPool(x: 1x2x5x6x7) {kernel_shape = [3, 2, 2]}
        %0 = nn.reshape %x : tensor<1x2x5x6x7xf32> -> tensor<1x10x6x7xf32>
        %1 = nn.max_pool2d %0 {kernel = array<i64: 2, 2>} -> tensor<1x10x5x6xf32>
        %2 = nn.reshape %1 : tensor<1x10x5x6xf32> -> tensor<1x2x5x30xf32>
        %3 = nn.max_pool2d %2 {kernel = array<i64: 3, 1>} -> tensor<1x2x3x30xf32>
        %y = nn.reshape %3 : tensor<1x2x3x30xf32> -> tensor<1x2x3x5x6xf32>
    """
    batch, channels, depth, height, width = node.input_shape(0)
    folded = node.emit(
        "nn.reshape", [value], shape=[batch, channels * depth, height, width]
    )
    d_begin, h_begin, w_begin, d_end, h_end, w_end = window.pads
    planes = pool2d(
        node,
        op_name,
        folded,
        Window(
            window.kernel[1:],
            window.strides[1:],
            window.dilations[1:],
            [h_begin, w_begin, h_end, w_end],
        ),
        flags,
    )
    out_h, out_w = result_shape(planes)[2:]
    columns = node.emit(
        "nn.reshape", [planes], shape=[batch, channels, depth, out_h * out_w]
    )
    pooled = pool2d(
        node,
        op_name,
        columns,
        Window(
            [window.kernel[0], 1],
            [window.strides[0], 1],
            [window.dilations[0], 1],
            [d_begin, 0, d_end, 0],
        ),
        flags,
    )
    out_d = result_shape(pooled)[2]
    return node.emit(
        "nn.reshape", [pooled], shape=[batch, channels, out_d, out_h, out_w]
    )


def result_shape(value: SSAValue) -> tuple[int, ...]:
    value_type = value.type
    assert isinstance(value_type, TensorType)
    return tuple(value_type.get_shape())


@CONVERTERS.register("GlobalAveragePool", "GlobalMaxPool")
def convert_global_pool(node: NodeContext) -> SSAValue:
    """Mean or max over every spatial dim, kept as size 1."""
    value = node.input(0)
    rank = len(node.input_shape(0))
    if node.op_type == "GlobalAveragePool" and rank == 4:
        return node.emit("nn.global_avg_pool2d", [value])
    if rank <= 2:
        return value
    op_name = (
        "nn.reduce_mean" if node.op_type == "GlobalAveragePool" else "nn.reduce_max"
    )
    return node.emit(op_name, [value], axes=list(range(2, rank)), keepdims=True)
