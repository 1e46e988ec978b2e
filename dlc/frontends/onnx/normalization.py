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
def convert_batch_norm(node: NodeContext) -> SSAValue:
    """Inference batch normalization with the given running statistics."""
    if node.int_attr("training_mode", 0):
        raise Unsupported("training_mode = 1 (dlc imports models for inference)")
    node.ignore("momentum")
    node.reject_output(1, "running_mean")
    node.reject_output(2, "running_var")
    epsilon = node.float_attr("epsilon", 1e-5)
    return node.emit("nn.batch_norm", node.inputs(), epsilon=epsilon)


@CONVERTERS.register("LayerNormalization", "RMSNormalization")
def convert_trailing_norm(node: NodeContext) -> SSAValue:
    """``nn.layer_norm`` (a missing bias is zeros) or ``nn.rms_norm``."""
    node.ignore("stash_type")
    node.reject_output(1, "Mean")
    node.reject_output(2, "InvStdDev")
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
    return node.emit(op_name, operands, axis=axis, epsilon=epsilon)


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
