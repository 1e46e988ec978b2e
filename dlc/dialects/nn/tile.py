"""``nn.tile``: repeat a tensor along each dim, as ONNX's Tile and numpy's tile.

``repeats`` has one count per dim (0 makes the dim empty); dim ``d`` of the result
is ``repeats[d]`` copies of the input's dim ``d`` laid end to end. Like the other
shape ops it takes any element type (floats, integers, i1)::

    %t = nn.tile %x {repeats = array<i64: 2, 1, 3>}
        : tensor<2x3x4xf32> -> tensor<4x3x12xf32>
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    SINGLE_INPUT_FORMAT,
    NNOp,
    as_any_tensor,
    describe,
    error_in_op,
    ints_property,
    shape_of,
    tensor_of,
)


@irdl_op_definition
class TileOp(NNOp):
    """Repeat the input ``repeats[d]`` times along each dim ``d``."""

    name = "nn.tile"

    input = operand_def(TensorType)
    result = result_def(TensorType)
    repeats = prop_def(Attribute)

    assembly_format = SINGLE_INPUT_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input_type = as_any_tensor(operand_types[0], f"{cls.name} input")
        try:
            repeats = ints_property(properties, "repeats")
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        shape = shape_of(input_type)
        if len(repeats) != len(shape):
            raise VerifyException(
                f"{cls.name}: repeats {list(repeats)} must have one count per dim "
                f"of the input {describe(input_type)}"
            )
        if any(count < 0 for count in repeats):
            raise VerifyException(
                f"{cls.name}: repeats {list(repeats)} must not be negative"
            )
        tiled = [size * count for size, count in zip(shape, repeats, strict=True)]
        return tensor_of(tiled, input_type.element_type)


TILE_OPS = [TileOp]
