"""Normalizations: Softmax, LogSoftmax, BatchNormalization, LayerNormalization,
RMSNormalization, LRN.

Each maps onto the nn op of the same meaning. Softmax before opset 13 flattened its
input to 2-D at ``axis``; the version converter rewrites such nodes into Flatten,
Softmax, Reshape, so the converter here only ever sees the opset-13 meaning (one
axis). Scale and bias of the trailing norms may broadcast in ONNX; nn wants the
normalized shape exactly, so they are broadcast first (at import time when they are
constant)::

    LayerNormalization(x: 2x8x16, s: 16, b: 16) {axis = -1, epsilon = 1e-6}
    %y = nn.layer_norm %x, %s, %b {epsilon = 1.0e-06}
        : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import SSAValue

from dlc.frontends.onnx.node import ConverterTable, NodeContext, numpy_dtype_of
from dlc.frontends.onnx.problems import Unsupported

CONVERTERS = ConverterTable()

SOFTMAX_OPS = {"Softmax": "nn.softmax", "LogSoftmax": "nn.log_softmax"}


@CONVERTERS.register(*SOFTMAX_OPS)
def convert_softmax(node: NodeContext) -> SSAValue:
    axis = node.int_attr("axis", -1)
    return node.emit(SOFTMAX_OPS[node.op_type], [node.input(0)], axis=axis)


@CONVERTERS.register("BatchNormalization")
def convert_batch_norm(node: NodeContext) -> list[SSAValue | None]:
    """Batch normalization with the given running statistics; in training mode
    with the batch's own (:func:`batch_statistics`), and then the running ones
    updated as ``running * momentum + batch * (1 - momentum)``."""
    epsilon = node.float_attr("epsilon", 1e-5)
    if not node.int_attr("training_mode", 0):
        node.ignore("momentum")
        node.reject_output(1, "running_mean")
        node.reject_output(2, "running_var")
        return [node.emit("nn.batch_norm", node.inputs(), epsilon=epsilon)]
    momentum = node.float_attr("momentum", 0.9)
    x, scale, bias, running_mean, running_var = node.inputs()
    mean, variance = batch_statistics(node, x)
    result = node.emit(
        "nn.batch_norm", [x, scale, bias, mean, variance], epsilon=epsilon
    )
    updated: list[SSAValue | None] = [result]
    for index, running, batch in ((1, running_mean, mean), (2, running_var, variance)):
        if not node.output_used(index):
            updated.append(None)
            continue
        kept = node.emit("nn.mul", [running, node.scalar(momentum, running)])
        new = node.emit("nn.mul", [batch, node.scalar(1 - momentum, batch)])
        updated.append(node.emit("nn.add", [kept, new]))
    return updated


def batch_statistics(node: NodeContext, x: SSAValue) -> tuple[SSAValue, SSAValue]:
    """The mean and the (population) variance of ``x`` per channel (dim 1), over
    every other dim, each of shape [C]::

        %m = nn.reduce_mean %x {axes = array<i64: 0, 2, 3>, keepdims}
        %d = nn.sub %x, %m
        %var = nn.reduce_mean (nn.mul %d, %d) {axes = array<i64: 0, 2, 3>}
        %mean = nn.reshape %m {shape = array<i64: C>}
    """
    shape = node.input_shape(0)
    axes = [0, *range(2, len(shape))]
    kept = node.emit("nn.reduce_mean", [x], axes=axes, keepdims=True)
    centered = node.emit("nn.sub", [x, kept])
    squares = node.emit("nn.mul", [centered, centered])
    variance = node.emit("nn.reduce_mean", [squares], axes=axes)
    return node.emit("nn.reshape", [kept], shape=[shape[1]]), variance


@CONVERTERS.register("LayerNormalization", "RMSNormalization")
def convert_trailing_norm(node: NodeContext) -> list[SSAValue | None]:
    """``nn.layer_norm`` (a missing bias is zeros) or ``nn.rms_norm``; and
    LayerNormalization's ``Mean`` and ``InvStdDev`` outputs where the graph uses
    them (:func:`layer_norm_statistics`)."""
    node.ignore("stash_type")
    axis = node.int_attr("axis", -1)
    epsilon = node.float_attr("epsilon", 1e-5)
    shape = node.input_shape(0)
    if not -len(shape) <= axis < len(shape):
        raise Unsupported(f"axis {axis} is out of range for input shape {shape}")
    normalized = shape[axis:]
    operands = [node.input(0), normalized_parameter(node, 1, normalized)]
    if node.op_type == "LayerNormalization":
        if node.has_input(2):
            operands.append(normalized_parameter(node, 2, normalized))
        else:
            dtype = numpy_dtype_of(node.input_type(0))
            operands.append(node.constant(np.zeros(normalized, dtype), "bias"))
        op_name = "nn.layer_norm"
    else:
        op_name = "nn.rms_norm"
    result = node.emit(op_name, operands, axis=axis, epsilon=epsilon)
    if node.op_type != "LayerNormalization":
        return [result]
    mean, inv_std_dev = layer_norm_statistics(node, axis % len(shape), epsilon)
    return [result, mean, inv_std_dev]


def layer_norm_statistics(
    node: NodeContext, axis: int, epsilon: float
) -> tuple[SSAValue | None, SSAValue | None]:
    """The mean and ``1 / sqrt(variance + epsilon)`` over the dims from ``axis``
    on, kept as size 1, each only if the graph uses it::

        %mean = nn.reduce_mean %x {axes = array<i64: 1>, keepdims}
        %d = nn.sub %x, %mean
        %var = nn.reduce_mean (nn.mul %d, %d) {axes = array<i64: 1>, keepdims}
        %inv_std_dev = nn.rsqrt (nn.add %var, %epsilon)
    """
    want_mean, want_inv = node.output_used(1), node.output_used(2)
    if not (want_mean or want_inv):
        return None, None
    x = node.input(0)
    axes = list(range(axis, len(node.input_shape(0))))
    mean = node.emit("nn.reduce_mean", [x], axes=axes, keepdims=True)
    if not want_inv:
        return mean, None
    centered = node.emit("nn.sub", [x, mean])
    squares = node.emit("nn.mul", [centered, centered])
    variance = node.emit("nn.reduce_mean", [squares], axes=axes, keepdims=True)
    shifted = node.emit("nn.add", [variance, node.scalar(epsilon, variance)])
    return (mean if want_mean else None), node.emit("nn.rsqrt", [shifted])


def normalized_parameter(
    node: NodeContext, index: int, shape: tuple[int, ...]
) -> SSAValue:
    """Input ``index`` (a scale or bias) broadcast to the normalized ``shape``."""
    if node.input_shape(index) == shape:
        return node.input(index)
    if node.is_constant(index):
        array = node.constant_input(index, "scale")
        assert array is not None
        broadcast = np.ascontiguousarray(np.broadcast_to(array, shape))
        return node.graph.constant(broadcast, node.proto.input[index])
    return node.emit("nn.broadcast_to", [node.input(index)], shape=list(shape))


@CONVERTERS.register("LRN")
def convert_lrn(node: NodeContext) -> SSAValue:
    props = {
        name: node.attr(name)
        for name in ("size", "alpha", "beta", "bias")
        if node.has_attr(name)
    }
    return node.emit("nn.lrn", [node.input(0)], **props)
