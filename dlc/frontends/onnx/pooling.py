"""Pooling: MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool.

The windowed pools map onto ``nn.max_pool2d`` / ``nn.avg_pool2d`` with explicit
padding (see :mod:`dlc.frontends.onnx.window`); the global pools are reductions over
the spatial dims that keep them::

    GlobalMaxPool(x: 1x8x5x5)
    %y = nn.reduce_max %x {axes = array<i64: 2, 3>, keepdims}
        : tensor<1x8x5x5xf32> -> tensor<1x8x1x1xf32>
"""

from __future__ import annotations

from xdsl.ir import SSAValue

from dlc.frontends.onnx.node import ConverterTable, NodeContext
from dlc.frontends.onnx.problems import Unsupported
from dlc.frontends.onnx.window import (
    drop_height,
    lift_input,
    read_window,
    spatial_rank,
)

CONVERTERS = ConverterTable()


@CONVERTERS.register("MaxPool", "AveragePool")
def convert_pool(node: NodeContext) -> SSAValue:
    """A 2-D pool (1-D: lifted to height 1) with explicit padding."""
    rank = spatial_rank(node, "pooling")
    kernel = node.ints_attr("kernel_shape")
    if kernel is None:
        raise Unsupported("kernel_shape is missing")
    window = read_window(node, kernel)
    props: dict[str, bool | list[int]] = {
        "ceil_mode": bool(node.int_attr("ceil_mode", 0))
    }
    if node.op_type == "MaxPool":
        node.reject_output(1, "Indices")
        node.ignore("storage_order")
        op_name = "nn.max_pool2d"
    else:
        if any(d != 1 for d in window.dilations):
            raise Unsupported(f"dilations {window.dilations} (nn.avg_pool2d has none)")
        props["count_include_pad"] = bool(node.int_attr("count_include_pad", 0))
        op_name = "nn.avg_pool2d"
    value = node.input(0)
    if rank == 1:
        window = window.lifted()
        value = lift_input(node, value)
    props |= {
        "kernel": window.kernel,
        "strides": window.strides,
        "padding": window.pads,
    }
    if op_name == "nn.max_pool2d":
        props["dilations"] = window.dilations
    result = node.emit(op_name, [value], **props)
    return drop_height(node, result) if rank == 1 else result


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
