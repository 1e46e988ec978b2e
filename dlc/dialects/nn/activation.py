"""Float activations and math of ONNX: one scalar function applied to every element.

Unary ops keep their operand's type and print it once; float parameters go in the
attribute dictionary, and a parameter left at its default is not printed::

    %e = nn.erf %x : tensor<4x8xf32>
    %h = nn.hard_sigmoid %x {alpha = 0.25 : f64} : tensor<4x8xf32>
    %s = nn.selu %x : tensor<4x8xf32>

``nn.prelu`` takes a slope that broadcasts to the input's shape (ONNX's
unidirectional broadcasting), and the result has the input's type::

    %p = nn.prelu %x, %slope : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>

The meaning is ONNX's (Erf, Abs, Reciprocal, Softplus, HardSwish, HardSigmoid, Elu,
Selu, Floor, Ceil, Sin, Cos, PRelu); the numpy references are in
:mod:`dlc.interpreter.nn.activation`. The ops take f16, f32 and f64 tensors;
``nn.abs`` also takes the signless integers i8, i32 and i64.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import ClassVar

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    FLOATS,
    NUMBERS,
    OPERANDS_FORMAT,
    ElementTypes,
    NNOp,
    as_float_tensor,
    broadcast_shapes,
    describe,
    f64_attr,
    float_property,
    same_element_type,
    shape_of,
)
from dlc.dialects.nn.elementwise import SameTypeUnaryOp


def read_float_parameters(
    op_name: str, properties: Mapping[str, Attribute], defaults: Mapping[str, float]
) -> dict[str, float]:
    """Each float parameter's value (its default when absent); all must be finite."""
    values: dict[str, float] = {}
    for name, default in defaults.items():
        value = float_property(properties, name, default)
        if not math.isfinite(value):
            raise VerifyException(f"{op_name}: {name} must be finite, got {value}")
        values[name] = value
    return values


class ActivationOp(SameTypeUnaryOp):
    """An op applying one scalar function, with float parameters, to elements.

    ``PARAMETERS`` maps each parameter (an optional property) to its default; the
    subclass declares the same names with ``opt_prop_def``. Every parameter must be a
    finite float (an integer is accepted and read as a float). The input is a float
    tensor (``nn.abs`` also takes integers).
    """

    ELEMENT_TYPES: ClassVar[ElementTypes] = FLOATS
    PARAMETERS: ClassVar[Mapping[str, float]] = {}

    @classmethod
    def check_properties(
        cls, input_type: TensorType, properties: Mapping[str, Attribute]
    ) -> None:
        cls.read_parameters(properties)

    @classmethod
    def read_parameters(cls, properties: Mapping[str, Attribute]) -> dict[str, float]:
        return read_float_parameters(cls.name, properties, cls.PARAMETERS)

    def parameters(self) -> dict[str, float]:
        """The parameters' values, defaults filled in."""
        return self.read_parameters(self.properties)


@irdl_op_definition
class ErfOp(ActivationOp):
    """The error function, 2 / sqrt(pi) * integral of exp(-t^2) from 0 to x."""

    name = "nn.erf"


@irdl_op_definition
class AbsOp(ActivationOp):
    """|x|; on integers, the most negative value is its own absolute value (it
    wraps, as ``nn.neg`` does)."""

    name = "nn.abs"
    ELEMENT_TYPES: ClassVar[ElementTypes] = NUMBERS


@irdl_op_definition
class ReciprocalOp(ActivationOp):
    """1 / x; +-inf at +-0."""

    name = "nn.reciprocal"


@irdl_op_definition
class SoftplusOp(ActivationOp):
    """log(1 + exp(x)), computed as log1p(exp(-|x|)) + max(x, 0), never overflowing."""

    name = "nn.softplus"


@irdl_op_definition
class HardSwishOp(ActivationOp):
    """x * max(0, min(1, x / 6 + 1 / 2)), MobileNetV3's cheap swish."""

    name = "nn.hard_swish"


HARD_SWISH_ALPHA = 1 / 6
HARD_SWISH_BETA = 0.5
"""HardSwish is x * HardSigmoid(x) with these parameters (fixed by ONNX)."""


@irdl_op_definition
class HardSigmoidOp(ActivationOp):
    """max(0, min(1, alpha * x + beta)); alpha defaults to 0.2, beta to 0.5::

    %h = nn.hard_sigmoid %x {alpha = 0.25 : f64, beta = 0.5 : f64} : tensor<8xf32>
    """

    name = "nn.hard_sigmoid"

    PARAMETERS: ClassVar[Mapping[str, float]] = {"alpha": 0.2, "beta": 0.5}
    alpha = opt_prop_def(Attribute, f64_attr(PARAMETERS["alpha"]))
    beta = opt_prop_def(Attribute, f64_attr(PARAMETERS["beta"]))


@irdl_op_definition
class EluOp(ActivationOp):
    """x where x > 0, else alpha * (exp(x) - 1); alpha defaults to 1."""

    name = "nn.elu"

    PARAMETERS: ClassVar[Mapping[str, float]] = {"alpha": 1.0}
    alpha = opt_prop_def(Attribute, f64_attr(PARAMETERS["alpha"]))


@irdl_op_definition
class SeluOp(ActivationOp):
    """gamma * (x where x > 0, else alpha * (exp(x) - 1)).

    The defaults are the self-normalizing constants of ONNX and of Klambauer et al.
    """

    name = "nn.selu"

    PARAMETERS: ClassVar[Mapping[str, float]] = {
        "alpha": 1.6732632423543772,
        "gamma": 1.0507009873554805,
    }
    alpha = opt_prop_def(Attribute, f64_attr(PARAMETERS["alpha"]))
    gamma = opt_prop_def(Attribute, f64_attr(PARAMETERS["gamma"]))


@irdl_op_definition
class FloorOp(ActivationOp):
    """The largest integer not above x (kept in the float type)."""

    name = "nn.floor"


@irdl_op_definition
class CeilOp(ActivationOp):
    """The smallest integer not below x (kept in the float type)."""

    name = "nn.ceil"


@irdl_op_definition
class SinOp(ActivationOp):
    """sin(x), x in radians."""

    name = "nn.sin"


@irdl_op_definition
class CosOp(ActivationOp):
    """cos(x), x in radians."""

    name = "nn.cos"


@irdl_op_definition
class PReluOp(NNOp):
    """x where x > 0, else slope * x, with ``slope`` broadcast to x's shape.

    The slope broadcasts one way only (ONNX's unidirectional broadcasting): it may
    have fewer dims or size-1 dims, never make the result larger than x::

        %p = nn.prelu %x, %s : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>)
            -> tensor<1x3x4x4xf32>
    """

    name = "nn.prelu"

    input = operand_def(TensorType)
    slope = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = "$input `,` $slope " + OPERANDS_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input_type = as_float_tensor(operand_types[0], f"{cls.name} input")
        slope = as_float_tensor(operand_types[1], f"{cls.name} slope")
        same_element_type([input_type, slope], cls.name)
        shape = shape_of(input_type)
        if broadcast_shapes(shape, shape_of(slope)) != shape:
            raise VerifyException(
                f"{cls.name}: slope {describe(slope)} must broadcast to the input's "
                f"shape (unidirectionally), input {describe(input_type)}"
            )
        return input_type


ACTIVATION_OPS = [
    ErfOp,
    AbsOp,
    ReciprocalOp,
    SoftplusOp,
    HardSwishOp,
    HardSigmoidOp,
    EluOp,
    SeluOp,
    FloorOp,
    CeilOp,
    SinOp,
    CosOp,
    PReluOp,
]
