"""Elementwise nn ops: unary activations and math, binary ops with numpy broadcasting.

Unary ops keep their operand's type and print it once::

    %r = nn.relu %x : tensor<64x512xf32>
    %g = nn.gelu %x {approximate = "tanh"} : tensor<8x16xf32>

Binary ops broadcast like numpy and print the full functional type::

    %s = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>

Each op class names the element types it accepts (``ELEMENT_TYPES``): math on real
numbers takes floats only, arithmetic (``neg``, ``add``, ``sub``, ``mul``, ``div``,
``maximum``, ``minimum``) takes the signless integers ``i8``, ``i32``, ``i64`` too.
Integer arithmetic wraps around on overflow, as two's complement does.

Properties have no IRDL constraint beyond their presence: ``infer_result_type``
reads and checks each one, so that a bad property gets a message naming the op,
the property and what was expected, whether the op came from text or from
:meth:`NNOp.from_operands`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import ClassVar

from typing_extensions import TypeVar
from xdsl.dialects.builtin import StringAttr, TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    AttrConstraint,
    InferenceContext,
    IntConstraint,
    VarConstraint,
    VerificationContext,
    base,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    FLOATS,
    NUMBERS,
    OPERANDS_FORMAT,
    SAME_TYPE_FORMAT,
    ElementTypes,
    NNOp,
    as_tensor,
    broadcast_shapes,
    describe,
    error_in_op,
    f64_attr,
    float_property,
    same_element_type,
    shape_of,
    string_property,
    tensor_of,
)


@dataclass(frozen=True)
class TypeOfVariable(AttrConstraint[TensorType]):
    """A result type that the custom syntax copies from a constraint variable.

    It lets ``nn.relu %x : tensor<4xf32>`` omit the result type, like a
    ``VarConstraint`` would, but checks nothing itself: ``NNOp.verify_`` compares the
    result with the inferred type and names the op in its message, where IRDL would
    report "attribute ... expected from variable 'T'".
    """

    variable: str

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        pass

    def can_infer(self, var_constraint_names: Set[str]) -> bool:
        return self.variable in var_constraint_names

    def infer(self, context: InferenceContext) -> TensorType:
        inferred = context.get_variable(self.variable)
        assert isinstance(inferred, TensorType)
        return inferred  # pyright: ignore[reportUnknownVariableType]

    def mapping_type_vars(
        self, type_var_mapping: Mapping[TypeVar, AttrConstraint | IntConstraint]
    ) -> TypeOfVariable:
        return self


class SameTypeUnaryOp(NNOp):
    """An op on one tensor whose result has the input's type (also ``nn.softmax``).

    The custom syntax prints the type once; subclasses check their properties in
    ``check_properties``, which may depend on the input type (an axis and its rank).
    The input's element type must be one of ``ELEMENT_TYPES``.
    """

    ELEMENT_TYPES: ClassVar[ElementTypes] = FLOATS
    T: ClassVar = VarConstraint("T", base(TensorType))
    input = operand_def(T)
    result = result_def(TypeOfVariable("T"))

    assembly_format = SAME_TYPE_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input_type = as_tensor(operand_types[0], f"{cls.name} input", cls.ELEMENT_TYPES)
        try:
            cls.check_properties(input_type, properties)
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        return input_type

    @classmethod
    def check_properties(
        cls, input_type: TensorType, properties: Mapping[str, Attribute]
    ) -> None:
        """Validate op-specific properties; ops without any accept none."""


class UnaryElementwiseOp(SameTypeUnaryOp):
    """An op applying one scalar function to every element."""


@irdl_op_definition
class ReluOp(UnaryElementwiseOp):
    """max(x, 0)."""

    name = "nn.relu"


@irdl_op_definition
class SigmoidOp(UnaryElementwiseOp):
    """1 / (1 + exp(-x))."""

    name = "nn.sigmoid"


@irdl_op_definition
class TanhOp(UnaryElementwiseOp):
    """tanh(x)."""

    name = "nn.tanh"


@irdl_op_definition
class ExpOp(UnaryElementwiseOp):
    """e ** x."""

    name = "nn.exp"


@irdl_op_definition
class LogOp(UnaryElementwiseOp):
    """Natural logarithm; -inf at 0 and NaN below, as IEEE says."""

    name = "nn.log"


@irdl_op_definition
class SqrtOp(UnaryElementwiseOp):
    """Square root; NaN below 0."""

    name = "nn.sqrt"


@irdl_op_definition
class RsqrtOp(UnaryElementwiseOp):
    """1 / sqrt(x), the form normalizations use."""

    name = "nn.rsqrt"


@irdl_op_definition
class NegOp(UnaryElementwiseOp):
    """-x; on integers, the most negative value is its own negation (it wraps)."""

    name = "nn.neg"
    ELEMENT_TYPES: ClassVar[ElementTypes] = NUMBERS


LEAKY_RELU_ALPHA = 0.01


@irdl_op_definition
class LeakyReluOp(UnaryElementwiseOp):
    """x where x >= 0, alpha * x below; ``alpha`` defaults to 0.01::

    %r = nn.leaky_relu %x {alpha = 0.2} : tensor<4x8xf32>
    """

    name = "nn.leaky_relu"

    alpha = opt_prop_def(Attribute, f64_attr(LEAKY_RELU_ALPHA))

    @classmethod
    def check_properties(
        cls, input_type: TensorType, properties: Mapping[str, Attribute]
    ) -> None:
        alpha = float_property(properties, "alpha", LEAKY_RELU_ALPHA)
        if not math.isfinite(alpha):
            raise VerifyException(f"{cls.name}: alpha must be finite, got {alpha}")

    def negative_slope(self) -> float:
        return float_property(self.properties, "alpha", LEAKY_RELU_ALPHA)


GELU_APPROXIMATIONS = ("none", "tanh")


@irdl_op_definition
class GeluOp(UnaryElementwiseOp):
    """Gaussian error linear unit, x * Phi(x).

    ``approximate = "none"`` (the default) is the exact form with erf;
    ``"tanh"`` is the tanh approximation of GPT-2 and BERT::

        %g = nn.gelu %x {approximate = "tanh"} : tensor<8x16xf32>
    """

    name = "nn.gelu"

    approximate = opt_prop_def(Attribute, StringAttr(GELU_APPROXIMATIONS[0]))

    @classmethod
    def check_properties(
        cls, input_type: TensorType, properties: Mapping[str, Attribute]
    ) -> None:
        cls.read_approximation(properties)

    @classmethod
    def read_approximation(cls, properties: Mapping[str, Attribute]) -> str:
        approximation = string_property(properties, "approximate", "none")
        if approximation not in GELU_APPROXIMATIONS:
            expected = " or ".join(f'"{a}"' for a in GELU_APPROXIMATIONS)
            raise VerifyException(
                f'{cls.name}: approximate must be {expected}, got "{approximation}"'
            )
        return approximation

    def approximation(self) -> str:
        return self.read_approximation(self.properties)


@irdl_op_definition
class ClipOp(UnaryElementwiseOp):
    """Clamp into [min, max]; an absent bound is no bound::

    %c = nn.clip %x {min = 0.0, max = 6.0} : tensor<4x8xf32>

    The result is min(max(x, min), max), the definition numpy and ONNX share: so
    min > max is allowed, and gives max everywhere.
    """

    name = "nn.clip"

    min = opt_prop_def(Attribute)
    max = opt_prop_def(Attribute)

    @classmethod
    def check_properties(
        cls, input_type: TensorType, properties: Mapping[str, Attribute]
    ) -> None:
        cls.read_bounds(properties)

    @classmethod
    def read_bounds(
        cls, properties: Mapping[str, Attribute]
    ) -> tuple[float | None, float | None]:
        low = float_property(properties, "min") if "min" in properties else None
        high = float_property(properties, "max") if "max" in properties else None
        for name, bound in (("min", low), ("max", high)):
            if bound is not None and math.isnan(bound):
                raise VerifyException(f"{cls.name}: {name} must be a number, got nan")
        return low, high

    def bounds(self) -> tuple[float | None, float | None]:
        """(min, max), None where unbounded."""
        return self.read_bounds(self.properties)


class BinaryElementwiseOp(NNOp):
    """An op combining two tensors elementwise with numpy broadcasting.

    Both operands have one element type, one of ``ELEMENT_TYPES``; the result has
    the broadcast shape and the element type ``result_element_type`` gives (the
    operands' one, or ``i1`` for a comparison).
    """

    ELEMENT_TYPES: ClassVar[ElementTypes] = NUMBERS

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = "$lhs `,` $rhs " + OPERANDS_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        lhs = as_tensor(operand_types[0], f"{cls.name} lhs", cls.ELEMENT_TYPES)
        rhs = as_tensor(operand_types[1], f"{cls.name} rhs", cls.ELEMENT_TYPES)
        element = same_element_type([lhs, rhs], cls.name)
        shape = broadcast_shapes(shape_of(lhs), shape_of(rhs))
        if shape is None:
            raise VerifyException(
                f"{cls.name}: operand shapes do not broadcast: "
                f"{describe(lhs)} and {describe(rhs)}"
            )
        return tensor_of(shape, cls.result_element_type(element))

    @classmethod
    def result_element_type(cls, element: Attribute) -> Attribute:
        return element


@irdl_op_definition
class AddOp(BinaryElementwiseOp):
    """lhs + rhs."""

    name = "nn.add"


@irdl_op_definition
class SubOp(BinaryElementwiseOp):
    """lhs - rhs."""

    name = "nn.sub"


@irdl_op_definition
class MulOp(BinaryElementwiseOp):
    """lhs * rhs."""

    name = "nn.mul"


@irdl_op_definition
class DivOp(BinaryElementwiseOp):
    """lhs / rhs: IEEE division on floats (x / 0 is +-inf or NaN).

    On integers the quotient is truncated toward zero, as in C and ONNX
    (-7 / 2 = -3). Integer division has no value where C's is undefined, so nn
    defines one: x / 0 is 0, and the most negative value divided by -1 is itself
    (the quotient wraps around, as the negation does).
    """

    name = "nn.div"


@irdl_op_definition
class PowOp(BinaryElementwiseOp):
    """lhs ** rhs; NaN for a negative base with a non-integer exponent.

    On integers (ONNX's Pow takes them) the power is exact and wraps around like
    the other integer ops; a negative exponent gives the real result truncated
    toward zero: 1 for a base of 1, +-1 for -1, and 0 for any other base (0 too,
    where the real result is infinite)::

        %p = nn.pow %x, %n : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
    """

    name = "nn.pow"


@irdl_op_definition
class MaximumOp(BinaryElementwiseOp):
    """The larger of lhs and rhs; NaN if either is NaN. Integers compare signed."""

    name = "nn.maximum"


@irdl_op_definition
class MinimumOp(BinaryElementwiseOp):
    """The smaller of lhs and rhs; NaN if either is NaN. Integers compare signed."""

    name = "nn.minimum"


ELEMENTWISE_OPS = [
    ReluOp,
    SigmoidOp,
    TanhOp,
    ExpOp,
    LogOp,
    SqrtOp,
    RsqrtOp,
    NegOp,
    LeakyReluOp,
    GeluOp,
    ClipOp,
    AddOp,
    SubOp,
    MulOp,
    DivOp,
    PowOp,
    MaximumOp,
    MinimumOp,
]
