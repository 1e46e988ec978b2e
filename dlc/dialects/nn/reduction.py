"""nn reduction ops: sum, mean, max, min and product over a set of axes.

``axes`` lists the reduced dimensions (negative ones count from the end, each
dimension at most once); ``keepdims`` keeps them as size-1 dimensions::

    %s = nn.reduce_sum %x {axes = array<i64: -1>, keepdims}
           : tensor<4x5xf32> -> tensor<4x1xf32>
    %m = nn.reduce_max %x {axes = array<i64: 0, 1>} : tensor<4x5xf32> -> tensor<f32>

As in :mod:`dlc.dialects.nn.elementwise`, the properties have no IRDL constraint;
``infer_result_type`` checks them. A mean is of floats only; sums and products also
take integers (wrapping around on overflow), max and min integers and booleans
(max is "any", min is "all").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    ALL_ELEMENTS,
    FLOATS,
    NUMBERS,
    SINGLE_INPUT_FORMAT,
    ElementTypes,
    NNOp,
    as_tensor,
    describe,
    error_in_op,
    flag_property,
    ints_property,
    normalize_axis,
    shape_of,
    tensor_of,
)


class ReduceOp(NNOp):
    """Reduce ``input`` over ``axes`` with one associative function.

    The input's element type must be one of ``ELEMENT_TYPES``; the result has it.
    """

    ELEMENT_TYPES: ClassVar[ElementTypes] = NUMBERS

    input = operand_def(TensorType)
    axes = prop_def(Attribute)
    keepdims = opt_prop_def(Attribute)
    result = result_def(TensorType)

    assembly_format = SINGLE_INPUT_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input_type = as_tensor(operand_types[0], f"{cls.name} input", cls.ELEMENT_TYPES)
        shape = shape_of(input_type)
        try:
            axes = cls.read_axes(properties, input_type)
            keepdims = flag_property(properties, "keepdims")
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        if keepdims:
            kept = tuple(1 if d in axes else size for d, size in enumerate(shape))
        else:
            kept = tuple(size for d, size in enumerate(shape) if d not in axes)
        return tensor_of(kept, input_type.element_type)

    @classmethod
    def read_axes(
        cls, properties: Mapping[str, Attribute], input_type: TensorType
    ) -> tuple[int, ...]:
        """The reduced dimensions, normalized into [0, rank) and sorted."""
        written = ints_property(properties, "axes")
        if not written:
            raise VerifyException(
                f"{cls.name}: axes must name at least one dimension, got none"
            )
        rank = len(shape_of(input_type))
        normalized = [normalize_axis(axis, rank) for axis in written]
        if len(set(normalized)) != len(normalized):
            listed = ", ".join(map(str, written))
            raise VerifyException(
                f"{cls.name}: axes [{listed}] name a dimension twice "
                f"for input {describe(input_type)}"
            )
        return tuple(sorted(normalized))

    def reduced_axes(self) -> tuple[int, ...]:
        """The reduced dimensions in [0, rank), sorted."""
        input_type = self.input.type
        assert isinstance(input_type, TensorType)
        return self.read_axes(self.properties, input_type)  # pyright: ignore[reportUnknownArgumentType]

    def keeps_dims(self) -> bool:
        return flag_property(self.properties, "keepdims")


@irdl_op_definition
class ReduceSumOp(ReduceOp):
    """Sum over ``axes``."""

    name = "nn.reduce_sum"


@irdl_op_definition
class ReduceMeanOp(ReduceOp):
    """Arithmetic mean over ``axes``."""

    name = "nn.reduce_mean"
    ELEMENT_TYPES: ClassVar[ElementTypes] = FLOATS


@irdl_op_definition
class ReduceMaxOp(ReduceOp):
    """Maximum over ``axes``; NaN if any reduced element is NaN."""

    name = "nn.reduce_max"
    ELEMENT_TYPES: ClassVar[ElementTypes] = ALL_ELEMENTS


@irdl_op_definition
class ReduceMinOp(ReduceOp):
    """Minimum over ``axes``; NaN if any reduced element is NaN."""

    name = "nn.reduce_min"
    ELEMENT_TYPES: ClassVar[ElementTypes] = ALL_ELEMENTS


@irdl_op_definition
class ReduceProdOp(ReduceOp):
    """Product over ``axes``."""

    name = "nn.reduce_prod"


REDUCTION_OPS: list[type[IRDLOperation]] = [
    ReduceSumOp,
    ReduceMeanOp,
    ReduceMaxOp,
    ReduceMinOp,
    ReduceProdOp,
]
