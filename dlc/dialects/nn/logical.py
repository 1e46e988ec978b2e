"""Comparison, logic, selection and conversion nn ops: where booleans come from.

Comparisons broadcast like the binary arithmetic ops and give booleans (``i1``)::

    %m = nn.less %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>

The logic ops take and give booleans; ``nn.where`` picks from two tensors by a
boolean one, broadcasting all three::

    %n = nn.not %m : tensor<4x3xi1>
    %o = nn.or %m, %n : (tensor<4x3xi1>, tensor<4x3xi1>) -> tensor<4x3xi1>
    %w = nn.where %o, %a, %b
        : (tensor<4x3xi1>, tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>

``nn.cast`` converts every element to another element type, the result's::

    %i = nn.cast %x : tensor<3xf32> -> tensor<3xi64>

The meaning is ONNX's (Equal, Less, LessOrEqual, Greater, GreaterOrEqual, Not, And,
Or, Xor, Where, Cast); the numpy references are in :mod:`dlc.interpreter.nn.logical`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar, Self

from xdsl.dialects.builtin import IntegerType, TensorType
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, result_def
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    ALL_ELEMENTS,
    BOOLS,
    NUMBERS,
    OPERANDS_FORMAT,
    SINGLE_INPUT_FORMAT,
    ElementTypes,
    NNOp,
    as_tensor,
    broadcast_shapes,
    describe,
    same_element_type,
    shape_of,
    tensor_of,
)
from dlc.dialects.nn.elementwise import BinaryElementwiseOp, UnaryElementwiseOp


class ComparisonOp(BinaryElementwiseOp):
    """Compare two tensors elementwise, with numpy broadcasting; the result is i1.

    Integers compare signed. Float comparisons are ordered: any comparison with a
    NaN is false, ``nn.equal`` of a NaN with itself too.
    """

    ELEMENT_TYPES: ClassVar[ElementTypes] = NUMBERS

    @classmethod
    def result_element_type(cls, element: Attribute) -> Attribute:
        return IntegerType(1)


@irdl_op_definition
class EqualOp(ComparisonOp):
    """lhs == rhs; booleans compare too."""

    name = "nn.equal"
    ELEMENT_TYPES: ClassVar[ElementTypes] = ALL_ELEMENTS


@irdl_op_definition
class LessOp(ComparisonOp):
    """lhs < rhs."""

    name = "nn.less"


@irdl_op_definition
class LessEqualOp(ComparisonOp):
    """lhs <= rhs."""

    name = "nn.less_equal"


@irdl_op_definition
class GreaterOp(ComparisonOp):
    """lhs > rhs."""

    name = "nn.greater"


@irdl_op_definition
class GreaterEqualOp(ComparisonOp):
    """lhs >= rhs."""

    name = "nn.greater_equal"


@irdl_op_definition
class NotOp(UnaryElementwiseOp):
    """Logical negation of a boolean tensor."""

    name = "nn.not"
    ELEMENT_TYPES: ClassVar[ElementTypes] = BOOLS


class LogicalBinaryOp(BinaryElementwiseOp):
    """A boolean function of two boolean tensors, with numpy broadcasting."""

    ELEMENT_TYPES: ClassVar[ElementTypes] = BOOLS


@irdl_op_definition
class AndOp(LogicalBinaryOp):
    """lhs and rhs."""

    name = "nn.and"


@irdl_op_definition
class OrOp(LogicalBinaryOp):
    """lhs or rhs."""

    name = "nn.or"


@irdl_op_definition
class XorOp(LogicalBinaryOp):
    """lhs xor rhs: true where exactly one is true."""

    name = "nn.xor"


@irdl_op_definition
class WhereOp(NNOp):
    """``lhs`` where ``condition`` is true, ``rhs`` elsewhere (numpy.where).

    The three operands broadcast together; ``lhs`` and ``rhs`` share an element
    type, which the result has::

        %w = nn.where %c, %x, %y
            : (tensor<3xi1>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x3xf32>
    """

    name = "nn.where"

    condition = operand_def(TensorType)
    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = "$condition `,` $lhs `,` $rhs " + OPERANDS_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        condition = as_tensor(operand_types[0], f"{cls.name} condition", BOOLS)
        lhs = as_tensor(operand_types[1], f"{cls.name} lhs", ALL_ELEMENTS)
        rhs = as_tensor(operand_types[2], f"{cls.name} rhs", ALL_ELEMENTS)
        element = same_element_type([lhs, rhs], cls.name)
        chosen = broadcast_shapes(shape_of(lhs), shape_of(rhs))
        shape = (
            None if chosen is None else broadcast_shapes(shape_of(condition), chosen)
        )
        if shape is None:
            raise VerifyException(
                f"{cls.name}: operand shapes do not broadcast: {describe(condition)}, "
                f"{describe(lhs)} and {describe(rhs)}"
            )
        return tensor_of(shape, element)


@irdl_op_definition
class CastOp(NNOp):
    """Every element converted to the result's element type; the shape is kept.

    The target is the result type itself, so the op has no property::

        %i = nn.cast %x : tensor<3xf32> -> tensor<3xi64>

    and Python code names it when building: ``CastOp.from_operands([x], to=i64)``.
    Conversions, as ONNX's Cast (and C) define them where they are defined:

    * float to integer truncates toward zero; out of range it saturates to the
      type's smallest or largest value, and NaN gives 0;
    * integer to float rounds to nearest; float to float too;
    * integer to integer sign-extends, or keeps the low bits (wraps around);
    * anything to ``i1`` is ``x != 0`` (NaN is true); ``i1`` to anything is 0 or 1.
    """

    name = "nn.cast"

    input = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = SINGLE_INPUT_FORMAT

    TARGET: ClassVar[str] = "to"
    """The keyword of :meth:`from_operands` that names the target element type."""

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input = as_tensor(operand_types[0], f"{cls.name} input", ALL_ELEMENTS)
        target = properties.get(cls.TARGET)
        if target is None:
            raise VerifyException(
                f"{cls.name}: the target element type is the result's; build the op "
                f"with {cls.TARGET}=<element type>"
            )
        result = tensor_of(shape_of(input), target)
        return as_tensor(result, f"{cls.name} result", ALL_ELEMENTS)

    @classmethod
    def from_operands(
        cls, operands: Sequence[SSAValue], **properties: Attribute
    ) -> Self:
        """``CastOp.from_operands([x], to=i64)``: ``to`` gives the result's type."""
        result_type = cls.infer_result_type([o.type for o in operands], properties)
        return cls.create(operands=list(operands), result_types=[result_type])

    def verify_(self) -> None:
        self.reject_unknown_attributes()
        result = as_tensor(self.result.type, f"{self.name} result", ALL_ELEMENTS)
        target: Attribute = result.element_type  # pyright: ignore[reportUnknownMemberType]
        expected = self.infer_result_type([self.input.type], {self.TARGET: target})
        if result != expected:
            raise VerifyException(
                f"{self.name}: result type should be {describe(expected)} (the shape "
                f"of input {describe(self.input.type)}), but is {describe(result)}"
            )


LOGICAL_OPS = [
    EqualOp,
    LessOp,
    LessEqualOp,
    GreaterOp,
    GreaterEqualOp,
    NotOp,
    AndOp,
    OrOp,
    XorOp,
    WhereOp,
    CastOp,
]
