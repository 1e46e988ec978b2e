"""Reductions: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, and the
norms ReduceSumSquare, ReduceL1, ReduceL2 built from them.

The axes are a constant input (an attribute before opset 18; 13 for ReduceSum);
``keepdims`` defaults to 1 as in ONNX; no axes means every axis, or no reduction
at all with ``noop_with_empty_axes`` (the norms still square or take the
absolute value)::

    ReduceMean(x: 2x3x4, axes = [-1])
    %y = nn.reduce_mean %x {axes = array<i64: -1>, keepdims}
        : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
"""

from __future__ import annotations

from xdsl.ir import SSAValue

from dlc.frontends.onnx.node import ConverterTable, NodeContext

CONVERTERS = ConverterTable()

REDUCE_OPS: dict[str, tuple[str | None, str, str | None]] = {
    "ReduceSum": (None, "nn.reduce_sum", None),
    "ReduceMean": (None, "nn.reduce_mean", None),
    "ReduceMax": (None, "nn.reduce_max", None),
    "ReduceMin": (None, "nn.reduce_min", None),
    "ReduceProd": (None, "nn.reduce_prod", None),
    "ReduceSumSquare": ("square", "nn.reduce_sum", None),
    "ReduceL1": ("nn.abs", "nn.reduce_sum", None),
    "ReduceL2": ("square", "nn.reduce_sum", "nn.sqrt"),
}
"""ONNX reduction -> (op applied to each element first, the nn reduction, op
applied to the result). "square" is x * x."""


@CONVERTERS.register(*REDUCE_OPS)
def convert_reduce(node: NodeContext) -> SSAValue:
    before, reduce, after = REDUCE_OPS[node.op_type]
    value = node.input(0)
    rank = len(node.input_shape(0))
    axes = node.constant_ints(1, "axes")
    if axes is None:
        axes = node.ints_attr("axes")
    keepdims = bool(node.int_attr("keepdims", 1))
    if not axes:
        axes = [] if node.int_attr("noop_with_empty_axes", 0) else list(range(rank))
    if before == "square":
        value = node.emit("nn.mul", [value, value])
    elif before is not None:
        value = node.emit(before, [value])
    if axes:
        value = node.emit(reduce, [value], axes=axes, keepdims=keepdims)
    if after is not None:
        value = node.emit(after, [value])
    return value
