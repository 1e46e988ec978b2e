"""nn normalization ops: softmax, layer/RMS normalization, batch normalization.

softmax and log_softmax keep their input's type and normalize along one ``axis``
(default -1)::

    %p = nn.softmax %x {axis = 1} : tensor<64x10xf32>

layer_norm and rms_norm normalize over the trailing dimensions ``[axis, rank)``;
their scale (and bias) have exactly those dimensions::

    %y = nn.layer_norm %x, %gamma, %beta {epsilon = 1.0e-06}
           : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>

batch_norm (inference form) normalizes each channel (dim 1) with given statistics::

    %y = nn.batch_norm %x, %scale, %bias, %mean, %var
           : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
              tensor<3xf32>) -> tensor<1x3x4x4xf32>

As in :mod:`dlc.dialects.nn.elementwise`, the properties have no IRDL constraint;
``infer_result_type`` checks them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import ClassVar

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    OPERANDS_FORMAT,
    NNOp,
    as_float_tensor,
    describe,
    error_in_op,
    f64_attr,
    float_property,
    i64_attr,
    int_property,
    normalize_axis,
    same_element_type,
    shape_of,
)
from dlc.dialects.nn.elementwise import SameTypeUnaryOp

DEFAULT_AXIS = -1
DEFAULT_EPSILON = 1e-5


def read_axis(properties: Mapping[str, Attribute], input_type: TensorType) -> int:
    """The ``axis`` property (default -1), normalized into [0, rank)."""
    axis = int_property(properties, "axis", DEFAULT_AXIS)
    return normalize_axis(axis, len(shape_of(input_type)))


def read_epsilon(op_name: str, properties: Mapping[str, Attribute]) -> float:
    """The ``epsilon`` property (default 1e-5): finite and not negative."""
    epsilon = float_property(properties, "epsilon", DEFAULT_EPSILON)
    if not (math.isfinite(epsilon) and epsilon >= 0):
        raise VerifyException(
            f"{op_name}: epsilon must be finite and >= 0, got {epsilon}"
        )
    return epsilon


def input_type_of(op: IRDLOperation) -> TensorType:
    input_type = op.operands[0].type
    assert isinstance(input_type, TensorType)
    return input_type  # pyright: ignore[reportUnknownVariableType]


class SoftmaxLikeOp(SameTypeUnaryOp):
    """An op normalizing exponentials along ``axis``; result type = input type."""

    axis = opt_prop_def(Attribute, i64_attr(DEFAULT_AXIS))

    @classmethod
    def check_properties(
        cls, input_type: TensorType, properties: Mapping[str, Attribute]
    ) -> None:
        read_axis(properties, input_type)

    def normalized_axis(self) -> int:
        return read_axis(self.properties, input_type_of(self))


@irdl_op_definition
class SoftmaxOp(SoftmaxLikeOp):
    """exp(x) / sum(exp(x)) along ``axis``."""

    name = "nn.softmax"


@irdl_op_definition
class LogSoftmaxOp(SoftmaxLikeOp):
    """x - log(sum(exp(x))) along ``axis``: log of softmax, without its underflow."""

    name = "nn.log_softmax"


class TrailingNormOp(NNOp):
    """Normalization over the dims ``[axis, rank)`` of ``input``, then a scale.

    ``scale`` (and ``bias``, where the op has one) must have exactly the shape
    ``input.shape[axis:]``.
    """

    axis = opt_prop_def(Attribute, i64_attr(DEFAULT_AXIS))
    epsilon = opt_prop_def(Attribute, f64_attr(DEFAULT_EPSILON))

    PARAMETERS: ClassVar[tuple[str, ...]] = ()
    """Names of the operands after ``input``, for messages."""

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input_type = as_float_tensor(operand_types[0], f"{cls.name} input")
        params = [
            as_float_tensor(t, f"{cls.name} {name}")
            for t, name in zip(operand_types[1:], cls.PARAMETERS, strict=True)
        ]
        same_element_type([input_type, *params], cls.name)
        try:
            axis = read_axis(properties, input_type)
            read_epsilon(cls.name, properties)
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        normalized = shape_of(input_type)[axis:]
        for param, name in zip(params, cls.PARAMETERS, strict=True):
            if shape_of(param) != normalized:
                raise VerifyException(
                    f"{cls.name}: {name} must have the normalized shape "
                    f"{list(normalized)} (input dims [{axis}, rank) of "
                    f"{describe(input_type)}), got {describe(param)}"
                )
        return input_type

    def normalized_axis(self) -> int:
        """The first normalized dimension, in [0, rank)."""
        return read_axis(self.properties, input_type_of(self))

    def epsilon_value(self) -> float:
        return read_epsilon(self.name, self.properties)


@irdl_op_definition
class LayerNormOp(TrailingNormOp):
    """(x - mean) / sqrt(variance + epsilon) * scale + bias over ``[axis, rank)``.

    mean and variance (the population variance, divided by n) are taken over the
    normalized dims, separately for each index of the leading dims.
    """

    name = "nn.layer_norm"

    input = operand_def(TensorType)
    scale = operand_def(TensorType)
    bias = operand_def(TensorType)
    result = result_def(TensorType)

    PARAMETERS: ClassVar[tuple[str, ...]] = ("scale", "bias")

    assembly_format = "$input `,` $scale `,` $bias " + OPERANDS_FORMAT


@irdl_op_definition
class RmsNormOp(TrailingNormOp):
    """x / sqrt(mean(x ** 2) + epsilon) * scale over ``[axis, rank)``.

    Layer normalization without centering or bias, as in LLaMA and T5.
    """

    name = "nn.rms_norm"

    input = operand_def(TensorType)
    scale = operand_def(TensorType)
    result = result_def(TensorType)

    PARAMETERS: ClassVar[tuple[str, ...]] = ("scale",)

    assembly_format = "$input `,` $scale " + OPERANDS_FORMAT


@irdl_op_definition
class BatchNormOp(NNOp):
    """(x - mean) / sqrt(variance + epsilon) * scale + bias, per channel (dim 1).

    The inference form: ``mean`` and ``variance`` are given, not computed. ``input``
    is ``N x C x ...`` (rank >= 2); the four parameters have shape ``[C]``.
    """

    name = "nn.batch_norm"

    input = operand_def(TensorType)
    scale = operand_def(TensorType)
    bias = operand_def(TensorType)
    mean = operand_def(TensorType)
    variance = operand_def(TensorType)
    epsilon = opt_prop_def(Attribute, f64_attr(DEFAULT_EPSILON))
    result = result_def(TensorType)

    assembly_format = (
        "$input `,` $scale `,` $bias `,` $mean `,` $variance " + OPERANDS_FORMAT
    )

    PARAMETERS: ClassVar[tuple[str, ...]] = ("scale", "bias", "mean", "variance")

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input_type = as_float_tensor(operand_types[0], f"{cls.name} input")
        params = [
            as_float_tensor(t, f"{cls.name} {name}")
            for t, name in zip(operand_types[1:], cls.PARAMETERS, strict=True)
        ]
        same_element_type([input_type, *params], cls.name)
        try:
            read_epsilon(cls.name, properties)
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        shape = shape_of(input_type)
        if len(shape) < 2:
            raise VerifyException(
                f"{cls.name}: input must have rank >= 2 (N x C x ...), "
                f"got {describe(input_type)}"
            )
        for param, name in zip(params, cls.PARAMETERS, strict=True):
            if shape_of(param) != (shape[1],):
                raise VerifyException(
                    f"{cls.name}: {name} must have shape [{shape[1]}] (the channels, "
                    f"dim 1 of {describe(input_type)}), got {describe(param)}"
                )
        return input_type

    def epsilon_value(self) -> float:
        return read_epsilon(self.name, self.properties)


NORMALIZATION_OPS: list[type[IRDLOperation]] = [
    SoftmaxOp,
    LogSoftmaxOp,
    LayerNormOp,
    RmsNormOp,
    BatchNormOp,
]
