"""nn -> ONNX: one nn function written out as an ONNX model (opset 21), op by op.

The exported model lets onnxruntime run exactly the computation dlc compiles: it is
the onnxruntime peer of ``bench/run.py`` and a second oracle for differential
fuzzing. So every converter keeps the op's meaning as the nn reference
(docs/dialects/nn.md) states it, also where ONNX leaves a case undefined or
onnxruntime lacks a kernel.

Each nn op has one small converter in :data:`CONVERTERS`, keyed by the op's name.
The nn ops follow ONNX (padding order, Slice clamping, Unsqueeze axes in the
result), so most converters emit one node with the op's properties as attributes or
int64 initializers. For example::

    func.func @f(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
      %y = nn.matmul %x, %w : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
      %r = nn.relu %y : tensor<2x4xf32>
      func.return %r : tensor<2x4xf32>
    }

becomes the graph ``x, w -> MatMul -> y -> Relu -> r -> Identity -> output0``.
Function arguments become graph inputs (named after their SSA names), results the
outputs ``output0, output1, ...``, and every ``nn.constant`` (inline ``dense<...>``
or a ``dense_resource<...>`` blob) an initializer. An op without a converter
raises :class:`UnsupportedOpError`, which names it.

The converters that emit more than one node say why in their docstrings:
``nn.dense`` is MatMul then Add; ``nn.rms_norm`` (an ONNX op only from opset 23) is
written out; where nn defines what ONNX does not (integer division by 0, float to
integer casts out of range or of NaN, gather indices out of range) the graph
computes nn's value; where onnxruntime 1.32 has no kernel (f64 activations, i8
sums, boolean Where, even LRN windows) or a narrower one (Einsum's ``...``, 4-D
LRN), ops that it has compute the same thing. onnxruntime has no f64 Erf, Conv,
AveragePool or Resize: a model with those in f64 is valid ONNX that it cannot load.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import onnx
from onnx import helper, numpy_helper
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.utils.exceptions import InterpretationError

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects.nn import (
    activation,
    contraction,
    einsum,
    elementwise,
    indexing,
    logical,
    lrn,
    normalization,
    pooling,
    resize,
    shape,
    tile,
)
from dlc.dialects.nn import constant as nn_constant
from dlc.dialects.nn import reduction as nn_reduction
from dlc.dialects.nn.base import (
    float_property,
    int_property,
    ints_property,
    string_property,
)
from dlc.dialects.nn.window import Window2d
from dlc.interpreter.elements import elements_array
from dlc.interpreter.scalar import numpy_dtype

OPSET = 21
"""The ONNX opset of exported models (onnxruntime >= 1.18 runs it)."""
IR_VERSION = 10
"""The ONNX IR version that goes with opset 21."""

Array = np.ndarray[Any, Any]


class UnsupportedOpError(DiagnosticError):
    """The function holds an op that has no ONNX converter."""


@dataclass
class GraphBuilder:
    """The nodes and initializers of the graph being built, with unique names."""

    nodes: list[onnx.NodeProto] = field(default_factory=list[onnx.NodeProto])
    initializers: list[onnx.TensorProto] = field(default_factory=list[onnx.TensorProto])
    taken: set[str] = field(default_factory=set[str])

    def fresh(self, hint: str) -> str:
        """``hint``, or ``hint_1``, ``hint_2``... if the name is taken already."""
        name, suffix = hint, 0
        while name in self.taken:
            suffix += 1
            name = f"{hint}_{suffix}"
        self.taken.add(name)
        return name

    def initializer(self, array: Array, hint: str) -> str:
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(
        self, op_type: str, inputs: Sequence[str], hint: str, **attributes: Any
    ) -> str:
        """Append one node with a single output; return the output's name."""
        output = self.fresh(hint)
        self.nodes.append(
            helper.make_node(op_type, list(inputs), [output], name=output, **attributes)
        )
        return output


@dataclass
class Conversion:
    """What a converter sees: the op, its inputs' ONNX names, and the builder."""

    op: Operation
    inputs: list[str]
    builder: GraphBuilder

    @property
    def result_type(self) -> TensorType:
        result_type = self.op.results[0].type
        assert isinstance(result_type, TensorType)
        return result_type  # pyright: ignore[reportUnknownVariableType]

    @property
    def dtype(self) -> np.dtype[Any]:
        """The numpy dtype of the op's result."""
        return numpy_dtype(self.result_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]

    def emit(self, op_type: str, inputs: Sequence[str], **attributes: Any) -> str:
        """One node, its output named after the op's result."""
        hint = self.op.results[0].name_hint or op_type.lower()
        return self.builder.node(op_type, inputs, hint, **attributes)

    def ints(self, values: Sequence[int], hint: str) -> str:
        """An int64 vector initializer (axes, shapes, pads, slice bounds)."""
        return self.builder.initializer(np.array(values, dtype=np.int64), hint)

    def scalar(self, value: float, dtype: np.dtype[Any] | None = None) -> str:
        """A rank-0 initializer, in the result's dtype unless ``dtype`` is given."""
        return self.builder.initializer(
            np.array(value, dtype=dtype or self.dtype), "scalar"
        )


def shape_of(value: SSAValue) -> tuple[int, ...]:
    value_type = value.type
    assert isinstance(value_type, TensorType)
    return tuple(value_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def element_type_of(value: SSAValue) -> Attribute:
    value_type = value.type
    assert isinstance(value_type, TensorType)
    return value_type.element_type  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


Converter = Callable[[Conversion], str]
"""Emit the nodes computing one nn op; return the name of its result."""

CONVERTERS: dict[str, Converter] = {}
"""nn op name -> its converter."""


def converts(*op_names: str) -> Callable[[Converter], Converter]:
    """Register the decorated converter for ``op_names``."""

    def register(converter: Converter) -> Converter:
        for op_name in op_names:
            CONVERTERS[op_name] = converter
        return converter

    return register


def same_operation(op_type: str) -> Converter:
    """An op that is exactly one ONNX op on the same operands, no attributes."""

    def convert(c: Conversion) -> str:
        return c.emit(op_type, c.inputs)

    return convert


# --- Elementwise ---------------------------------------------------------------------

ONE_TO_ONE = {
    elementwise.ReluOp.name: "Relu",
    elementwise.SigmoidOp.name: "Sigmoid",
    elementwise.TanhOp.name: "Tanh",
    elementwise.ExpOp.name: "Exp",
    elementwise.LogOp.name: "Log",
    elementwise.SqrtOp.name: "Sqrt",
    elementwise.NegOp.name: "Neg",
    elementwise.AddOp.name: "Add",
    elementwise.SubOp.name: "Sub",
    elementwise.MulOp.name: "Mul",
    elementwise.PowOp.name: "Pow",
    elementwise.MaximumOp.name: "Max",
    elementwise.MinimumOp.name: "Min",
    logical.EqualOp.name: "Equal",
    logical.LessOp.name: "Less",
    logical.LessEqualOp.name: "LessOrEqual",
    logical.GreaterOp.name: "Greater",
    logical.GreaterEqualOp.name: "GreaterOrEqual",
    logical.NotOp.name: "Not",
    logical.AndOp.name: "And",
    logical.OrOp.name: "Or",
    logical.XorOp.name: "Xor",
    contraction.MatmulOp.name: "MatMul",
}
"""nn ops that are one ONNX op of the same meaning (broadcasting included)."""

for _op_name, _op_type in ONE_TO_ONE.items():
    CONVERTERS[_op_name] = same_operation(_op_type)


@converts(elementwise.RsqrtOp.name)
def convert_rsqrt(c: Conversion) -> str:
    return c.emit("Reciprocal", [c.emit("Sqrt", c.inputs)])


@converts(elementwise.GeluOp.name)
def convert_gelu(c: Conversion) -> str:
    assert isinstance(c.op, elementwise.GeluOp)
    approximation = c.op.approximation()
    if c.dtype == np.float64 and approximation == "tanh":
        return gelu_tanh_f64(c)
    return c.emit("Gelu", c.inputs, approximate=approximation)


@converts(elementwise.ClipOp.name)
def convert_clip(c: Conversion) -> str:
    """Clip takes its bounds as optional inputs; "" skips an absent min."""
    assert isinstance(c.op, elementwise.ClipOp)
    low, high = c.op.bounds()
    bounds = ["" if low is None else c.scalar(low)]
    if high is not None:
        bounds.append(c.scalar(high))
    return c.emit("Clip", [c.inputs[0], *bounds])


@converts(elementwise.DivOp.name)
def convert_div(c: Conversion) -> str:
    """Integer division by 0, or of the most negative value by -1, traps in
    onnxruntime (as in C); nn defines them as 0 and as the wrapped negation."""
    if np.issubdtype(c.dtype, np.floating):
        return c.emit("Div", c.inputs)
    lhs, rhs = c.inputs
    by_zero = c.emit("Equal", [rhs, c.scalar(0)])
    by_minus_one = c.emit("Equal", [rhs, c.scalar(-1)])
    unsafe = c.emit("Or", [by_zero, by_minus_one])
    divisor = c.emit("Where", [unsafe, c.scalar(1), rhs])
    negated = c.emit("Neg", [lhs])
    quotient = c.emit("Where", [by_minus_one, negated, c.emit("Div", [lhs, divisor])])
    return c.emit("Where", [by_zero, c.scalar(0), quotient])


ACTIVATIONS = {
    activation.ErfOp.name: "Erf",
    activation.AbsOp.name: "Abs",
    activation.ReciprocalOp.name: "Reciprocal",
    activation.SoftplusOp.name: "Softplus",
    activation.HardSwishOp.name: "HardSwish",
    activation.HardSigmoidOp.name: "HardSigmoid",
    activation.EluOp.name: "Elu",
    activation.SeluOp.name: "Selu",
    activation.FloorOp.name: "Floor",
    activation.CeilOp.name: "Ceil",
    activation.SinOp.name: "Sin",
    activation.CosOp.name: "Cos",
}
"""The ONNX activations, whose parameters (alpha, beta, gamma) are nn's properties."""


@converts(*ACTIVATIONS)
def convert_activation(c: Conversion) -> str:
    assert isinstance(c.op, activation.ActivationOp)
    if c.dtype == np.float64 and c.op.name in F64_DECOMPOSITIONS:
        return F64_DECOMPOSITIONS[c.op.name](c)
    return c.emit(ACTIVATIONS[c.op.name], c.inputs, **c.op.parameters())


@converts(elementwise.LeakyReluOp.name)
def convert_leaky_relu(c: Conversion) -> str:
    assert isinstance(c.op, elementwise.LeakyReluOp)
    alpha = c.op.negative_slope()
    if c.dtype != np.float64:
        return c.emit("LeakyRelu", c.inputs, alpha=alpha)
    (x,) = c.inputs
    below = c.emit("Mul", [x, c.scalar(alpha)])
    return c.emit("Where", [c.emit("GreaterOrEqual", [x, c.scalar(0)]), x, below])


@converts(activation.PReluOp.name)
def convert_prelu(c: Conversion) -> str:
    if c.dtype != np.float64:
        return c.emit("PRelu", c.inputs)
    x, slope = c.inputs
    below = c.emit("Mul", [x, slope])
    return c.emit("Where", [c.emit("Greater", [x, c.scalar(0)]), x, below])


# onnxruntime 1.32 has no f64 kernel for Elu, Selu, HardSigmoid, HardSwish, Softplus,
# LeakyRelu, PRelu and GlobalAveragePool, and expands Gelu with f32 constants: in f64
# they are written with ops that have one.


def elu_f64(c: Conversion) -> str:
    """x > 0 ? x : alpha * (exp(min(x, 0)) - 1), as the reference; selu scales it."""
    parameters = c.op.parameters()  # pyright: ignore[reportAttributeAccessIssue]
    (x,) = c.inputs
    exp = c.emit("Exp", [c.emit("Min", [x, c.scalar(0)])])
    negative = c.emit(
        "Mul", [c.emit("Sub", [exp, c.scalar(1)]), c.scalar(parameters["alpha"])]
    )
    elu = c.emit("Where", [c.emit("Greater", [x, c.scalar(0)]), x, negative])
    if "gamma" not in parameters:
        return elu
    return c.emit("Mul", [elu, c.scalar(parameters["gamma"])])


def hard_sigmoid_f64(c: Conversion) -> str:
    parameters = c.op.parameters()  # pyright: ignore[reportAttributeAccessIssue]
    line = c.emit(
        "Add",
        [
            c.emit("Mul", [c.inputs[0], c.scalar(parameters["alpha"])]),
            c.scalar(parameters["beta"]),
        ],
    )
    return c.emit("Clip", [line, c.scalar(0), c.scalar(1)])


def softplus_f64(c: Conversion) -> str:
    """max(x, 0) + log(1 + exp(-|x|)), which does not overflow."""
    (x,) = c.inputs
    decay = c.emit("Exp", [c.emit("Neg", [c.emit("Abs", [x])])])
    log = c.emit("Log", [c.emit("Add", [decay, c.scalar(1)])])
    return c.emit("Add", [c.emit("Max", [x, c.scalar(0)]), log])


def hard_swish_f64(c: Conversion) -> str:
    """x * clip(x / 6 + 1 / 2, 0, 1)."""
    (x,) = c.inputs
    line = c.emit(
        "Add",
        [
            c.emit("Mul", [x, c.scalar(activation.HARD_SWISH_ALPHA)]),
            c.scalar(activation.HARD_SWISH_BETA),
        ],
    )
    return c.emit("Mul", [x, c.emit("Clip", [line, c.scalar(0), c.scalar(1)])])


def gelu_tanh_f64(c: Conversion) -> str:
    """0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) with f64 constants (the
    Gelu function of onnxruntime rounds them to f32)."""
    (x,) = c.inputs
    cube = c.emit("Mul", [c.emit("Mul", [x, x]), x])
    inner = c.emit("Add", [x, c.emit("Mul", [cube, c.scalar(0.044715)])])
    scaled = c.emit("Mul", [inner, c.scalar(math.sqrt(2 / math.pi))])
    one_plus = c.emit("Add", [c.emit("Tanh", [scaled]), c.scalar(1)])
    return c.emit("Mul", [c.emit("Mul", [x, c.scalar(0.5)]), one_plus])


F64_DECOMPOSITIONS: dict[str, Converter] = {
    activation.HardSwishOp.name: hard_swish_f64,
    activation.EluOp.name: elu_f64,
    activation.SeluOp.name: elu_f64,
    activation.HardSigmoidOp.name: hard_sigmoid_f64,
    activation.SoftplusOp.name: softplus_f64,
}


# --- Reduction and normalization -----------------------------------------------------

REDUCTIONS = {
    nn_reduction.ReduceSumOp.name: "ReduceSum",
    nn_reduction.ReduceMeanOp.name: "ReduceMean",
    nn_reduction.ReduceMaxOp.name: "ReduceMax",
    nn_reduction.ReduceMinOp.name: "ReduceMin",
    nn_reduction.ReduceProdOp.name: "ReduceProd",
}


@converts(*REDUCTIONS)
def convert_reduction(c: Conversion) -> str:
    """onnxruntime has no i8 sum or product: they run in i32, whose low 8 bits
    wrap around as i8's do."""
    assert isinstance(c.op, nn_reduction.ReduceOp)
    op_type = REDUCTIONS[c.op.name]
    axes = c.ints(c.op.reduced_axes(), "axes")
    keepdims = int(c.op.keeps_dims())
    if c.dtype == np.int8 and op_type in ("ReduceSum", "ReduceProd"):
        wide = c.emit("Cast", c.inputs, to=onnx.TensorProto.INT32)
        reduced = c.emit(op_type, [wide, axes], keepdims=keepdims)
        return c.emit("Cast", [reduced], to=onnx.TensorProto.INT8)
    return c.emit(op_type, [c.inputs[0], axes], keepdims=keepdims)


@converts(normalization.SoftmaxOp.name, normalization.LogSoftmaxOp.name)
def convert_softmax(c: Conversion) -> str:
    assert isinstance(c.op, normalization.SoftmaxLikeOp)
    op_type = "Softmax" if c.op.name == normalization.SoftmaxOp.name else "LogSoftmax"
    return c.emit(op_type, c.inputs, axis=c.op.normalized_axis())


@converts(normalization.LayerNormOp.name)
def convert_layer_norm(c: Conversion) -> str:
    """LayerNormalization; its statistics are f32 unless ``stash_type`` says f64."""
    assert isinstance(c.op, normalization.LayerNormOp)
    stash = onnx.TensorProto.DOUBLE if c.dtype == np.float64 else onnx.TensorProto.FLOAT
    return c.emit(
        "LayerNormalization",
        c.inputs,
        axis=c.op.normalized_axis(),
        epsilon=c.op.epsilon_value(),
        stash_type=stash,
    )


@converts(normalization.RmsNormOp.name)
def convert_rms_norm(c: Conversion) -> str:
    """x / sqrt(mean(x^2) + epsilon) * scale, in f32 at least (as dlc computes f16).

    RMSNormalization is opset 23; in opset 21 it is written out op by op.
    """
    assert isinstance(c.op, normalization.RmsNormOp)
    x, scale = c.inputs
    narrow = c.dtype == np.float16
    if narrow:
        x = c.emit("Cast", [x], to=onnx.TensorProto.FLOAT)
        scale = c.emit("Cast", [scale], to=onnx.TensorProto.FLOAT)
    rank = len(c.result_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    axes = c.ints(range(c.op.normalized_axis(), rank), "axes")
    mean_square = c.emit("ReduceMean", [c.emit("Mul", [x, x]), axes], keepdims=1)
    epsilon = c.scalar(c.op.epsilon_value(), np.dtype(np.float32) if narrow else None)
    root = c.emit("Sqrt", [c.emit("Add", [mean_square, epsilon])])
    y = c.emit("Mul", [c.emit("Div", [x, root]), scale])
    return c.emit("Cast", [y], to=onnx.TensorProto.FLOAT16) if narrow else y


@converts(normalization.BatchNormOp.name)
def convert_batch_norm(c: Conversion) -> str:
    assert isinstance(c.op, normalization.BatchNormOp)
    return c.emit("BatchNormalization", c.inputs, epsilon=c.op.epsilon_value())


@converts(lrn.LrnOp.name)
def convert_lrn(c: Conversion) -> str:
    """LRN, as onnxruntime's kernel takes it: f32, 4-D (other ranks are reshaped),
    an odd size, alpha and beta positive in f32. Otherwise the window is summed
    from ``size`` shifted slices of the squares, zero-padded along the channels."""
    assert isinstance(c.op, lrn.LrnOp)
    p = c.op.parameters()
    x = c.inputs[0]
    shape = shape_of(c.op.operands[0])
    rank, channels = len(shape), shape[1]
    native = c.dtype == np.float32 and p.size % 2 == 1
    if native and np.float32(p.alpha) > 0 and np.float32(p.beta) > 0:
        attributes = {"size": p.size, "alpha": p.alpha, "beta": p.beta, "bias": p.bias}
        if rank == 4:
            return c.emit("LRN", [x], **attributes)
        as_4d = c.ints([shape[0], channels, math.prod(shape[2:]), 1], "shape")
        y = c.emit("LRN", [c.emit("Reshape", [x, as_4d])], **attributes)
        return c.emit("Reshape", [y, c.ints(shape, "shape")])
    pads = [0] * (2 * rank)
    pads[1], pads[rank + 1] = p.before, p.after
    padded = c.emit("Pad", [c.emit("Mul", [x, x]), c.ints(pads, "pads")])
    square_sum = ""
    for offset in range(p.size):
        bounds = [c.ints([offset], "starts"), c.ints([offset + channels], "ends")]
        window = c.emit("Slice", [padded, *bounds, c.ints([1], "axes")])
        square_sum = c.emit("Add", [square_sum, window]) if square_sum else window
    scaled = c.emit("Mul", [square_sum, c.scalar(p.alpha / p.size)])
    base = c.emit("Add", [scaled, c.scalar(p.bias)])
    return c.emit("Div", [x, c.emit("Pow", [base, c.scalar(p.beta)])])


# --- Contraction ---------------------------------------------------------------------


@converts(contraction.DenseOp.name)
def convert_dense(c: Conversion) -> str:
    x, weight, *bias = c.inputs
    product = c.emit("MatMul", [x, weight])
    return c.emit("Add", [product, bias[0]]) if bias else product


@converts(contraction.Conv2dOp.name)
def convert_conv2d(c: Conversion) -> str:
    weight_type = c.op.operands[1].type
    assert isinstance(weight_type, TensorType)
    _, _, kh, kw = weight_type.get_shape()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    window = Window2d.from_properties(c.op.name, c.op.properties, (kh, kw))
    groups = int_property(c.op.properties, "groups", 1)
    return c.emit(
        "Conv",
        c.inputs,
        group=groups,
        kernel_shape=list(window.kernel),
        strides=list(window.strides),
        pads=list(window.padding),  # [top, left, bottom, right], ONNX's order too
        dilations=list(window.dilations),
    )


@converts(einsum.EinsumOp.name)
def convert_einsum(c: Conversion) -> str:
    """Einsum; onnxruntime wants every ``...`` to span the same number of dims, so
    operands whose ``...`` spans fewer get size-1 dims there first (which is how
    the broadcasting of ``...`` treats them anyway)."""
    assert isinstance(c.op, einsum.EinsumOp)
    equation = c.op.einsum().equation
    terms = equation.split("->")[0].split(",")
    spans = [
        len(shape_of(operand)) - len(term.replace(einsum.ELLIPSIS, ""))
        for term, operand in zip(terms, c.op.operands, strict=True)
    ]
    inputs: list[str] = []
    for name, term, span in zip(c.inputs, terms, spans, strict=True):
        missing = max(spans) - span
        if einsum.ELLIPSIS in term and missing:
            start = term.index(einsum.ELLIPSIS)
            axes = c.ints(range(start, start + missing), "axes")
            name = c.emit("Unsqueeze", [name, axes])
        inputs.append(name)
    return c.emit("Einsum", inputs, equation=equation)


# --- Pooling and resizing ------------------------------------------------------------


@converts(pooling.GlobalAvgPool2dOp.name)
def convert_global_avg_pool2d(c: Conversion) -> str:
    if c.dtype != np.float64:
        return c.emit("GlobalAveragePool", c.inputs)
    return c.emit("ReduceMean", [c.inputs[0], c.ints([2, 3], "axes")], keepdims=1)


@converts(resize.ResizeOp.name)
def convert_resize(c: Conversion) -> str:
    """Resize to ``sizes``; no roi and no scales (empty names skip them)."""
    assert isinstance(c.op, resize.ResizeOp)
    attrs = c.op.attrs()
    sizes = c.ints(attrs.sizes, "sizes")
    return c.emit(
        "Resize",
        [c.inputs[0], "", "", sizes],
        mode=attrs.mode,
        coordinate_transformation_mode=attrs.coordinate_mode,
        nearest_mode=attrs.nearest_mode,
    )


@converts(pooling.MaxPool2dOp.name, pooling.AvgPool2dOp.name)
def convert_pool2d(c: Conversion) -> str:
    """MaxPool or AveragePool, without ONNX's ``ceil_mode``.

    nn's ceil_mode (PyTorch's, and onnxruntime's kernels') drops a last window that
    would start in the trailing padding; ONNX's shape inference keeps it, and
    onnxruntime then plans buffers of the wrong size. So a ceil_mode overhang
    becomes explicit end padding, which the floor formula then counts: max pooling
    ignores padding, and average pooling does not count it, as nn does not count
    the overhang. With ``count_include_pad``, the op's own padding is a Pad of
    zeros first, so that it counts and the overhang does not.
    """
    assert isinstance(c.op, pooling.Pool2dOp)
    window = c.op.read_window(c.op.properties)
    x = c.inputs[0]
    top, left, bottom, right = window.padding
    in_hw, out_hw = shape_of(c.op.operands[0])[2:], shape_of(c.op.results[0])[2:]
    overhang = [
        max(0, (out - 1) * stride + dilation * (kernel - 1) + 1 - padded)
        for out, stride, dilation, kernel, padded in zip(
            out_hw,
            window.strides,
            window.dilations,
            window.kernel,
            (in_hw[0] + top + bottom, in_hw[1] + left + right),
            strict=True,
        )
    ]
    pads = [top, left, bottom + overhang[0], right + overhang[1]]
    attributes = {"kernel_shape": list(window.kernel), "strides": list(window.strides)}
    if isinstance(c.op, pooling.MaxPool2dOp):
        if any(
            pad >= kernel for pad, kernel in zip(pads, window.kernel * 2, strict=True)
        ):
            # onnxruntime wants pads below the kernel; dilated taps can need more.
            x = c.emit("Pad", [x, c.ints(nchw_pads(pads), "pads"), c.scalar(-math.inf)])
            pads = [0, 0, 0, 0]
        return c.emit(
            "MaxPool", [x], pads=pads, dilations=list(window.dilations), **attributes
        )
    count_include_pad = "count_include_pad" in c.op.properties
    counted_hw = in_hw
    if count_include_pad and any(overhang):
        x = c.emit("Pad", [x, c.ints(nchw_pads(window.padding), "pads")])
        pads, count_include_pad = [0, 0, *overhang], False
        counted_hw = (in_hw[0] + top + bottom, in_hw[1] + left + right)
    attributes["dilations"] = list(window.dilations)
    if any(pad >= kernel for pad, kernel in zip(pads, window.kernel * 2, strict=True)):
        return masked_average(c, x, counted_hw, pads, attributes)
    return c.emit(
        "AveragePool",
        [x],
        pads=pads,
        count_include_pad=int(count_include_pad),
        **attributes,
    )


def masked_average(
    c: Conversion,
    x: str,
    hw: Sequence[int],
    pads: Sequence[int],
    attributes: dict[str, list[int]],
) -> str:
    """An AveragePool of ``x`` (spatial size ``hw``, every element counted) with
    pads that onnxruntime rejects: a dilated ceil_mode overhang can reach past the
    kernel. The window sums of ``x`` padded with zeros, divided by those of a 0/1
    mask of its elements: two AveragePools over explicitly padded arrays, whose
    equal divisors (the kernel size) cancel."""
    top, left, bottom, right = pads
    mask = np.zeros((1, 1, top + hw[0] + bottom, left + hw[1] + right), c.dtype)
    mask[..., top : top + hw[0], left : left + hw[1]] = 1
    padded = c.emit("Pad", [x, c.ints(nchw_pads(pads), "pads")])
    total = c.emit("AveragePool", [padded], count_include_pad=1, **attributes)
    count = c.emit(
        "AveragePool",
        [c.builder.initializer(mask, "mask")],
        count_include_pad=1,
        **attributes,
    )
    return c.emit("Div", [total, count])


def nchw_pads(padding: Sequence[int]) -> list[int]:
    """Pad's pads for [top, left, bottom, right] padding of H and W of NCHW."""
    top, left, bottom, right = padding
    return [0, 0, top, left, 0, 0, bottom, right]


# --- Logic, selection, conversion, indexing ------------------------------------------


@converts(logical.WhereOp.name)
def convert_where(c: Conversion) -> str:
    """onnxruntime's Where has no boolean kernel: booleans pick with And and Or."""
    if c.dtype != np.bool_:
        return c.emit("Where", c.inputs)
    condition, lhs, rhs = c.inputs
    kept = c.emit("And", [condition, lhs])
    other = c.emit("And", [c.emit("Not", [condition]), rhs])
    return c.emit("Or", [kept, other])


@converts(logical.CastOp.name)
def convert_cast(c: Conversion) -> str:
    """Cast, except float to integer, which nn defines everywhere and ONNX does not.

    nn truncates toward zero, saturates outside the range and maps NaN to 0; ONNX
    leaves out-of-range values and NaN undefined. So the float is compared in f64
    (where the range bounds are exact) and only in-range values reach Cast.
    """
    source = numpy_dtype(element_type_of(c.op.operands[0]))
    target = helper.np_dtype_to_tensor_dtype(c.dtype)
    if not (np.issubdtype(source, np.floating) and np.issubdtype(c.dtype, np.integer)):
        return c.emit("Cast", c.inputs, to=target)
    wide = np.dtype(np.float64)
    x = c.inputs[0]
    if source != wide:
        x = c.emit("Cast", [x], to=onnx.TensorProto.DOUBLE)
    info = np.iinfo(c.dtype)
    limit = 2.0 ** (info.bits - 1)
    above = c.emit("GreaterOrEqual", [x, c.scalar(limit, wide)])
    below = c.emit("LessOrEqual", [x, c.scalar(-limit - 1, wide)])
    invalid = c.emit("Or", [c.emit("Or", [above, below]), c.emit("IsNaN", [x])])
    safe = c.emit("Where", [invalid, c.scalar(0.0, wide), x])
    inside = c.emit("Cast", [safe], to=target)
    low = c.emit("Where", [below, c.scalar(info.min), inside])
    return c.emit("Where", [above, c.scalar(info.max), low])


@converts(indexing.GatherOp.name)
def convert_gather(c: Conversion) -> str:
    """Gather after nn's index rules: [-n, 0) counts from the end, and any other
    index outside [0, n) is clamped (onnxruntime would reject it)."""
    assert isinstance(c.op, indexing.GatherOp)
    axis = c.op.gathered_axis()
    size = shape_of(c.op.data)[axis]
    index_dtype = numpy_dtype(element_type_of(c.op.indices))
    data, indices = c.inputs
    negative = c.emit("Less", [indices, c.scalar(0, index_dtype)])
    from_end = c.emit("Add", [indices, c.scalar(size, index_dtype)])
    wrapped = c.emit("Where", [negative, from_end, indices])
    last = c.scalar(max(size - 1, 0), index_dtype)
    clamped = c.emit("Clip", [wrapped, c.scalar(0, index_dtype), last])
    return c.emit("Gather", [data, clamped], axis=axis)


# --- Shape ---------------------------------------------------------------------------


@converts(tile.TileOp.name)
def convert_tile(c: Conversion) -> str:
    repeats = ints_property(c.op.properties, "repeats")
    if not repeats:
        return c.emit("Identity", c.inputs)
    return c.emit("Tile", [c.inputs[0], c.ints(repeats, "repeats")])


@converts(shape.ReshapeOp.name)
def convert_reshape(c: Conversion) -> str:
    """allowzero: a 0 in nn's shape is a size-0 dim, not "copy the input's dim"."""
    target = c.ints(ints_property(c.op.properties, "shape"), "shape")
    return c.emit("Reshape", [c.inputs[0], target], allowzero=1)


@converts(shape.BroadcastToOp.name)
def convert_broadcast_to(c: Conversion) -> str:
    target = c.ints(ints_property(c.op.properties, "shape"), "shape")
    return c.emit("Expand", [c.inputs[0], target])


@converts(shape.TransposeOp.name)
def convert_transpose(c: Conversion) -> str:
    input_type = c.op.operands[0].type
    assert isinstance(input_type, TensorType)
    perm = shape.TransposeOp.normalized_perm(input_type, c.op.properties)  # pyright: ignore[reportUnknownArgumentType]
    if not perm:
        return c.emit("Identity", c.inputs)
    return c.emit("Transpose", c.inputs, perm=list(perm))


@converts(shape.FlattenOp.name)
def convert_flatten(c: Conversion) -> str:
    return c.emit("Flatten", c.inputs, axis=int_property(c.op.properties, "axis", 1))


@converts(shape.SqueezeOp.name, shape.UnsqueezeOp.name)
def convert_squeeze(c: Conversion) -> str:
    """Both take axes as an input; Unsqueeze's are positions in the result, as nn's.

    No axes is no change for nn, but an empty Squeeze removes every size-1 dim.
    """
    op_type = "Squeeze" if c.op.name == shape.SqueezeOp.name else "Unsqueeze"
    axes = ints_property(c.op.properties, "axes")
    if not axes:
        return c.emit("Identity", c.inputs)
    return c.emit(op_type, [c.inputs[0], c.ints(axes, "axes")])


@converts(shape.SliceOp.name)
def convert_slice(c: Conversion) -> str:
    """nn.slice has ONNX Slice's meaning, clamping included: pass the lists as is."""
    properties = c.op.properties
    starts = ints_property(properties, "starts")
    if not starts:
        return c.emit("Identity", c.inputs)
    bounds = [
        c.ints(starts, "starts"),
        c.ints(ints_property(properties, "ends"), "ends"),
        c.ints(ints_property(properties, "axes", range(len(starts))), "axes"),
        c.ints(ints_property(properties, "steps", [1] * len(starts)), "steps"),
    ]
    return c.emit("Slice", [c.inputs[0], *bounds])


@converts(shape.PadOp.name)
def convert_pad(c: Conversion) -> str:
    """A rank-0 tensor has nothing to pad (and ONNX Pad wants rank >= 1)."""
    if not c.result_type.get_shape():  # pyright: ignore[reportUnknownMemberType]
        return c.emit("Identity", c.inputs)
    properties = c.op.properties
    mode = string_property(properties, "mode", "constant")
    pads = c.ints(ints_property(properties, "pads"), "pads")
    if mode != "constant":
        return c.emit("Pad", [c.inputs[0], pads], mode=mode)
    value = c.scalar(float_property(properties, "value", 0.0))
    return c.emit("Pad", [c.inputs[0], pads, value], mode=mode)


@converts(shape.ConcatOp.name)
def convert_concat(c: Conversion) -> str:
    return c.emit("Concat", c.inputs, axis=int_property(c.op.properties, "axis"))


# --- Export --------------------------------------------------------------------------


def export_onnx(
    module_or_func: ModuleOp | FuncOp, entry: str | None = None
) -> onnx.ModelProto:
    """The nn function ``entry`` (or the module's only public one) as an ONNX model.

    Raises :class:`UnsupportedOpError` for an op without a converter and
    :class:`DiagnosticError` for a function that cannot be exported (a resource
    without its blob, a non-tensor argument).
    """
    function = _choose_function(module_or_func, entry)
    name = function.sym_name.data
    builder = GraphBuilder()
    names: dict[SSAValue, str] = {}
    graph_inputs: list[onnx.ValueInfoProto] = []
    for index, argument in enumerate(function.body.block.args):
        arg_name = builder.fresh(argument.name_hint or f"arg{index}")
        names[argument] = arg_name
        graph_inputs.append(_value_info(arg_name, argument.type, f"@{name}"))
    graph_outputs: list[onnx.ValueInfoProto] = []
    for op in function.body.block.ops:
        if isinstance(op, ReturnOp):
            for index, value in enumerate(op.arguments):
                output = builder.node("Identity", [names[value]], f"output{index}")
                graph_outputs.append(_value_info(output, value.type, f"@{name}"))
        elif isinstance(op, nn_constant.ConstantOp):
            names[op.result] = _constant(builder, op)
        else:
            converter = CONVERTERS.get(op.name)
            if converter is None:
                raise _unsupported(op)
            inputs = [names[operand] for operand in op.operands]
            names[op.results[0]] = converter(Conversion(op, inputs, builder))
    graph = helper.make_graph(
        builder.nodes,
        name,
        graph_inputs,
        graph_outputs,
        builder.initializers,
        doc_string=f"exported by dlc from @{name}",
    )
    model = helper.make_model(
        graph,
        producer_name="dlc",
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
    )
    onnx.checker.check_model(model)
    return model


def supported_ops() -> list[str]:
    """The nn ops :func:`export_onnx` converts, sorted."""
    return sorted([*CONVERTERS, nn_constant.ConstantOp.name])


def _choose_function(module_or_func: ModuleOp | FuncOp, entry: str | None) -> FuncOp:
    if isinstance(module_or_func, FuncOp):
        if entry is not None and module_or_func.sym_name.data != entry:
            raise DiagnosticError(
                f"export_onnx: entry @{entry} given with function "
                f"@{module_or_func.sym_name.data}"
            )
        return module_or_func
    from dlc.compiler import find_entry

    return find_entry(module_or_func, entry)


def _constant(builder: GraphBuilder, op: nn_constant.ConstantOp) -> str:
    """An initializer holding the constant's elements (inline or from its blob)."""
    result_type = op.result.type
    assert isinstance(result_type, TensorType)
    try:
        array = elements_array(op.value, result_type, op.name)  # pyright: ignore[reportUnknownArgumentType]
    except InterpretationError as error:
        raise DiagnosticError(
            f"export_onnx: {error}", SourceLocation.of(op.location)
        ) from None
    return builder.initializer(array, op.result.name_hint or "constant")


def _value_info(name: str, value_type: Attribute, where: str) -> onnx.ValueInfoProto:
    if not isinstance(value_type, TensorType):
        raise DiagnosticError(
            f"export_onnx: {where} has a {value_type} argument or result; ONNX "
            "graphs take tensors"
        )
    element = numpy_dtype(value_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    return helper.make_tensor_value_info(
        name,
        helper.np_dtype_to_tensor_dtype(element),
        list(value_type.get_shape()),  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    )


def _unsupported(op: Operation) -> UnsupportedOpError:
    return UnsupportedOpError(
        f"export_onnx: {op.name} has no ONNX converter (supported: "
        f"{', '.join(supported_ops())})",
        SourceLocation.of(op.location),
    )
