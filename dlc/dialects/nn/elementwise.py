"""Elementwise nn ops: unary activations and math, binary ops with numpy broadcasting.

Unary ops keep their operand's type and print it once::

    %r = nn.relu %x : tensor<64x512xf32>
    %g = nn.gelu %x {approximate = "tanh"} : tensor<8x16xf32>

Binary ops broadcast like numpy and print the full functional type::

    %s = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    VarConstraint,
    base,
    irdl_op_definition,
    operand_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    NNOp,
    as_float_tensor,
    broadcast_shapes,
    describe,
    same_element_type,
    shape_of,
    tensor_of,
)


class UnaryElementwiseOp(NNOp):
    """An op applying one scalar function to every element; result type = input type."""

    T: ClassVar = VarConstraint("T", base(TensorType))
    input = operand_def(T)
    result = result_def(T)

    assembly_format = "$input attr-dict `:` type($input)"

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        cls.check_properties(properties)
        return as_float_tensor(operand_types[0], f"{cls.name} input")

    @classmethod
    def check_properties(cls, properties: Mapping[str, Attribute]) -> None:
        """Validate op-specific properties; ops without any accept none."""


@irdl_op_definition
class ReluOp(UnaryElementwiseOp):
    """max(x, 0)."""

    name = "nn.relu"


class BinaryElementwiseOp(NNOp):
    """An op combining two tensors elementwise with numpy broadcasting."""

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)"

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        lhs = as_float_tensor(operand_types[0], f"{cls.name} lhs")
        rhs = as_float_tensor(operand_types[1], f"{cls.name} rhs")
        element = same_element_type([lhs, rhs], cls.name)
        shape = broadcast_shapes(shape_of(lhs), shape_of(rhs))
        if shape is None:
            raise VerifyException(
                f"{cls.name}: operand shapes do not broadcast: "
                f"{describe(lhs)} and {describe(rhs)}"
            )
        return tensor_of(shape, element)


@irdl_op_definition
class AddOp(BinaryElementwiseOp):
    """lhs + rhs."""

    name = "nn.add"


ELEMENTWISE_OPS = [ReluOp, AddOp]
