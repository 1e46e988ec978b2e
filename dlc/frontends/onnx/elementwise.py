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
from xdsl.dialects.builtin import Float64Type, TensorType
from xdsl.ir import Attribute, SSAValue

from dlc.dialects.nn.base import is_float
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

    The exponent takes the base's type: a constant one at import time, any other
    one by ``nn.cast``. An integer base with a float exponent is raised in f64 and
    truncated back, as ONNX's reference computes it (``np.power(x, y)`` promotes,
    then ``.astype(x.dtype)``)::

        Pow(x: 3xi32, y: 3xf32)
        %xf = nn.cast %x : tensor<3xi32> -> tensor<3xf64>
        %yf = nn.cast %y : tensor<3xf32> -> tensor<3xf64>
        %p = nn.pow %xf, %yf : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
        %r = nn.cast %p : tensor<3xf64> -> tensor<3xi32>
    """
    base = node.input(0)
    base_element = node.input_type(0).element_type  # pyright: ignore[reportUnknownMemberType]
    exponent_element = node.input_type(1).element_type  # pyright: ignore[reportUnknownMemberType]
    compute = base_element
    if is_float(exponent_element) and not is_float(base_element):
        compute = Float64Type()
    if node.is_constant(1):
        exponent = node.constant_input(1, "Y")
        assert exponent is not None
        dtype = numpy_dtype_of(TensorType(compute, []))  # pyright: ignore[reportUnknownArgumentType]
        power = node.constant(exponent.astype(dtype), "Y")
    else:
        power = cast_to(node, node.input(1), compute)
    result = node.emit("nn.pow", [cast_to(node, base, compute), power])
    return cast_to(node, result, base_element)


def cast_to(node: NodeContext, value: SSAValue, element: Attribute) -> SSAValue:
    """``value`` as ``element``s: itself if it has them, else an ``nn.cast``."""
    value_type = value.type
    assert isinstance(value_type, TensorType)
    if value_type.element_type == element:  # pyright: ignore[reportUnknownMemberType]
        return value
    return node.emit("nn.cast", [value], to=element)


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
    """Inference Dropout is the identity, its mask all true; so is training
    Dropout with ratio 0. Any other training Dropout is random."""
    node.ignore("seed")
    training = node.constant_input(2, "training_mode")
    if training is not None and bool(np.any(training)):
        ratio = node.constant_float(1, "ratio")
        if ratio is None or ratio != 0.0:
            raise Unsupported(
                f"training_mode = true with ratio {0.5 if ratio is None else ratio} "
                "(dlc imports models for inference)"
            )
    mask = None
    if node.output_used(1):
        mask = node.constant(np.ones(node.input_shape(0), np.bool_), "mask")
    return [node.input(0), mask]
