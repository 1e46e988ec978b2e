"""Contractions: MatMul, Gemm, Conv, Einsum.

Gemm, ``alpha * A' @ B' + beta * C``, is decomposed. With a constant B (the weight
of a fully connected layer), the transposition and ``alpha`` are applied to the
weight at import time, and a bias-shaped C makes one ``nn.dense``::

    Gemm(x: 4x784, W: 128x784, b: 128) {transB = 1}
    %y = nn.dense %x, %W.T, %b : (tensor<4x784xf32>, tensor<784x128xf32>,
                                  tensor<128xf32>) -> tensor<4x128xf32>

Otherwise the parts are ``nn.transpose``, ``nn.dense``, ``nn.mul`` and ``nn.add``.
"""

from __future__ import annotations

import numpy as np
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


@CONVERTERS.register("MatMul")
def convert_matmul(node: NodeContext) -> SSAValue:
    return node.emit("nn.matmul", [node.input(0), node.input(1)])


@CONVERTERS.register("Einsum")
def convert_einsum(node: NodeContext) -> SSAValue:
    equation = node.str_attr("equation", "").replace(" ", "")
    return node.emit("nn.einsum", node.inputs(), equation=equation)


@CONVERTERS.register("Gemm")
def convert_gemm(node: NodeContext) -> SSAValue:
    """``alpha * A' @ B' + beta * C``, folding what is constant into the weight."""
    alpha = node.float_attr("alpha", 1.0)
    beta = node.float_attr("beta", 1.0)
    trans_b = node.int_attr("transB", 0)
    lhs = node.input(0)
    if node.int_attr("transA", 0):
        lhs = node.emit("nn.transpose", [lhs], perm=[1, 0])
    weight = node.constant_input(1, "B") if node.is_constant(1) else None
    if weight is not None and (trans_b or alpha != 1.0):
        if trans_b:
            weight = weight.T
        if alpha != 1.0:
            weight = (weight * alpha).astype(weight.dtype)
            alpha = 1.0
        name = node.proto.input[1] + (".T" if trans_b else "")
        rhs = node.graph.constant(np.ascontiguousarray(weight), name)
    else:
        rhs = node.input(1)
        if trans_b:
            rhs = node.emit("nn.transpose", [rhs], perm=[1, 0])
    bias = gemm_bias(node, beta) if alpha == 1.0 else None
    if bias is not None:
        return node.emit("nn.dense", [lhs, rhs, bias])
    result = node.emit("nn.dense", [lhs, rhs])
    if alpha != 1.0:
        result = node.emit("nn.mul", [result, node.scalar(alpha, result)])
    if node.has_input(2) and beta != 0.0:
        addend = node.input(2)
        if beta != 1.0:
            addend = node.emit("nn.mul", [addend, node.scalar(beta, addend)])
        result = node.emit("nn.add", [result, addend])
    return result


def gemm_bias(node: NodeContext, beta: float) -> SSAValue | None:
    """C as an ``nn.dense`` bias, if it is a constant of shape [N] or [1, N]."""
    if not node.is_constant(2):
        return None
    bias = node.constant_input(2, "C")
    assert bias is not None
    columns = node.input_shape(1)[0 if node.int_attr("transB", 0) else 1]
    if bias.shape not in ((columns,), (1, columns)):
        return None
    if beta == 1.0 and bias.shape == (columns,):
        return node.input(2)
    bias = (bias * beta).astype(bias.dtype).reshape(columns)
    return node.graph.constant(bias, node.proto.input[2])


@CONVERTERS.register("Conv")
def convert_conv(node: NodeContext) -> SSAValue:
    """``nn.conv2d``; a 1-D convolution runs as a 2-D one of height 1."""
    rank = spatial_rank(node, "convolution")
    weight_shape = node.input_shape(1)
    kernel = node.ints_attr("kernel_shape") or list(weight_shape[2:])
    if kernel != list(weight_shape[2:]):
        raise Unsupported(
            f"kernel_shape {kernel} differs from the weight's dims {weight_shape[2:]}"
        )
    window = read_window(node, kernel)
    groups = node.int_attr("group", 1)
    operands = [node.input(0), node.input(1)]
    if node.has_input(2):
        operands.append(node.input(2))
    if rank == 1:
        window = window.lifted()
        operands[:2] = [lift_input(node, operands[0]), lift_weight(node)]
    result = node.emit(
        "nn.conv2d",
        operands,
        strides=window.strides,
        padding=window.pads,
        dilations=window.dilations,
        groups=groups,
    )
    return drop_height(node, result) if rank == 1 else result


def lift_weight(node: NodeContext) -> SSAValue:
    """A 1-D weight [O, C, K] as [O, C, 1, K], at import time when it is constant."""
    if node.is_constant(1):
        weight = node.constant_input(1, "W")
        assert weight is not None
        return node.graph.constant(weight[:, :, None, :], node.proto.input[1])
    return node.emit("nn.unsqueeze", [node.input(1)], axes=[2])
