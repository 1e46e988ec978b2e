"""Elementwise ONNX ops: activations, arithmetic, comparisons, logic, casts.

Most map one to one onto an nn op with the same attributes as properties::

    LeakyRelu(x: 4) {alpha = 0.2}
    %y = nn.leaky_relu %x {alpha = 0.2} : tensor<4xf32>

    Add(a: 2x3, b: 3)
    %y = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>

The variadic ops (Sum, Max, Min, Mean) become a chain of binary ops; Identity and
Dropout (inference) forward their input.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import TensorType
from xdsl.ir import SSAValue

from dlc.frontends.onnx.constants import element_type, onnx_element_dtype
from dlc.frontends.onnx.node import ConverterTable, NodeContext, numpy_dtype_of
from dlc.frontends.onnx.problems import Unsupported

CONVERTERS = ConverterTable()

UNARY_OPS = {
    "Relu": "nn.relu",
    "Sigmoid": "nn.sigmoid",
    "Tanh": "nn.tanh",
    "Exp": "nn.exp",
    "Log": "nn.log",
    "Sqrt": "nn.sqrt",
    "Neg": "nn.neg",
    "Erf": "nn.erf",
    "Abs": "nn.abs",
    "Reciprocal": "nn.reciprocal",
    "Softplus": "nn.softplus",
    "HardSwish": "nn.hard_swish",
    "Floor": "nn.floor",
    "Ceil": "nn.ceil",
    "Sin": "nn.sin",
    "Cos": "nn.cos",
    "Not": "nn.not",
}
"""ONNX ops without attributes that are one nn op of one operand."""

ATTRIBUTE_OPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "LeakyRelu": ("nn.leaky_relu", ("alpha",)),
    "Elu": ("nn.elu", ("alpha",)),
    "Selu": ("nn.selu", ("alpha", "gamma")),
    "HardSigmoid": ("nn.hard_sigmoid", ("alpha", "beta")),
    "Gelu": ("nn.gelu", ("approximate",)),
}
"""One-operand ops whose ONNX attributes are nn properties of the same name and
default; an attribute the node leaves out is left out of the op too."""

BINARY_OPS = {
    "Add": "nn.add",
    "Sub": "nn.sub",
    "Mul": "nn.mul",
    "Div": "nn.div",
    "Equal": "nn.equal",
    "Less": "nn.less",
    "LessOrEqual": "nn.less_equal",
    "Greater": "nn.greater",
    "GreaterOrEqual": "nn.greater_equal",
    "And": "nn.and",
    "Or": "nn.or",
    "Xor": "nn.xor",
    "PRelu": "nn.prelu",
}
"""Two-operand ops with numpy broadcasting (PRelu: the slope broadcasts to x)."""

VARIADIC_OPS = {
    "Sum": "nn.add",
    "Max": "nn.maximum",
    "Min": "nn.minimum",
    "Mean": "nn.add",
}
"""Ops of one or more broadcasting operands, folded left with a binary nn op."""


@CONVERTERS.register(*UNARY_OPS)
def convert_unary(node: NodeContext) -> SSAValue:
    return node.emit(UNARY_OPS[node.op_type], [node.input(0)])


@CONVERTERS.register(*ATTRIBUTE_OPS)
def convert_with_attributes(node: NodeContext) -> SSAValue:
    op_name, attributes = ATTRIBUTE_OPS[node.op_type]
    props = {name: node.attr(name) for name in attributes if node.has_attr(name)}
    return node.emit(op_name, [node.input(0)], **props)


@CONVERTERS.register(*BINARY_OPS)
def convert_binary(node: NodeContext) -> SSAValue:
    return node.emit(BINARY_OPS[node.op_type], [node.input(0), node.input(1)])


@CONVERTERS.register("Pow")
def convert_pow(node: NodeContext) -> SSAValue:
    """``x ** y``; ONNX lets ``y`` have another type, nn.pow does not.

    A constant exponent is converted at import time, any other one by ``nn.cast``.
    """
    base = node.input(0)
    base_type = base.type
    assert isinstance(base_type, TensorType)
    exponent = node.constant_input(1, "Y") if node.is_constant(1) else None
    if exponent is not None:
        dtype = numpy_dtype_of(base_type)  # pyright: ignore[reportUnknownArgumentType]
        return node.emit("nn.pow", [base, node.constant(exponent.astype(dtype), "Y")])
    power = node.input(1)
    power_type = power.type
    assert isinstance(power_type, TensorType)
    if power_type.element_type != base_type.element_type:  # pyright: ignore[reportUnknownMemberType]
        power = node.emit("nn.cast", [power], to=base_type.element_type)  # pyright: ignore[reportUnknownMemberType]
    return node.emit("nn.pow", [base, power])


@CONVERTERS.register(*VARIADIC_OPS)
def convert_variadic(node: NodeContext) -> SSAValue:
    """Sum/Max/Min/Mean of n inputs: n - 1 binary ops, then / n for Mean.

    ::

        Mean(a, b, c)    %0 = nn.add %a, %b ...
                         %1 = nn.add %0, %c ...
                         %n = nn.constant dense<3.0> : tensor<f32>
                         %y = nn.div %1, %n ...
    """
    operands = node.inputs()
    result = operands[0]
    for operand in operands[1:]:
        result = node.emit(VARIADIC_OPS[node.op_type], [result, operand])
    if node.op_type == "Mean" and len(operands) > 1:
        result = node.emit("nn.div", [result, node.scalar(len(operands), result)])
    return result


@CONVERTERS.register("Clip")
def convert_clip(node: NodeContext) -> SSAValue:
    """Clip's bounds are optional inputs (attributes before opset 11)."""
    low = node.constant_float(1, "min")
    high = node.constant_float(2, "max")
    if low is None and node.has_attr("min"):
        low = node.float_attr("min", 0.0)
    if high is None and node.has_attr("max"):
        high = node.float_attr("max", 0.0)
    return node.emit("nn.clip", [node.input(0)], min=low, max=high)


@CONVERTERS.register("Where")
def convert_where(node: NodeContext) -> SSAValue:
    return node.emit("nn.where", [node.input(0), node.input(1), node.input(2)])


@CONVERTERS.register("Cast", "CastLike")
def convert_cast(node: NodeContext) -> SSAValue:
    """``nn.cast`` to the ``to`` type (CastLike: input 1's type); same type: no op."""
    node.ignore("saturate", "round_mode")
    source = node.input(0)
    source_type = source.type
    assert isinstance(source_type, TensorType)
    if node.op_type == "Cast":
        target = element_type(onnx_element_dtype(node.int_attr("to", 0)))
    else:
        target = node.input_type(1).element_type
    if target == source_type.element_type:  # pyright: ignore[reportUnknownMemberType]
        return source
    return node.emit("nn.cast", [source], to=target)


@CONVERTERS.register("Identity")
def convert_identity(node: NodeContext) -> SSAValue:
    return node.input(0)


@CONVERTERS.register("Dropout")
def convert_dropout(node: NodeContext) -> Sequence[SSAValue | None]:
    """Inference Dropout is the identity; training mode and the mask are not."""
    node.ignore("seed")
    training = node.constant_input(2, "training_mode")
    if training is not None and bool(np.any(training)):
        raise Unsupported("training_mode = true (dlc imports models for inference)")
    node.reject_output(1, "mask")
    return [node.input(0), None]
