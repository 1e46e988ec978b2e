"""nn ops that read elements at positions held in a tensor: ``nn.gather``.

Unlike the shape ops, whose positions follow from the properties, these read where
the data says, so their positions are only known at run time::

    %g = nn.gather %table, %ids {axis = 0}
        : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>

The meaning is ONNX's Gather; the numpy reference is in
:mod:`dlc.interpreter.nn.indexing`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, operand_def, opt_prop_def, result_def
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    ALL_ELEMENTS,
    INDEX_ELEMENTS,
    OPERANDS_FORMAT,
    NNOp,
    as_tensor,
    describe,
    error_in_op,
    i64_attr,
    int_property,
    normalize_axis,
    shape_of,
    tensor_of,
)


@irdl_op_definition
class GatherOp(NNOp):
    """Pick slices of ``data`` along ``axis`` at the positions in ``indices``.

    ``result[p..., i..., q...] = data[p..., indices[i...], q...]``: the result's
    shape is data's with dim ``axis`` replaced by the indices' shape. ``axis``
    defaults to 0 and may be negative; ``indices`` are i32 or i64, of any rank (a
    rank-0 index drops the dim)::

        %row = nn.gather %x, %i {axis = -1}
            : (tensor<3x5xf32>, tensor<i32>) -> tensor<3xf32>

    An index ``k`` in ``[-n, 0)`` counts from the end of the ``n`` positions, as
    ``k + n``. Any other index outside ``[0, n)`` is an error that ONNX leaves
    undefined and nn defines as clamping, so that no read ever leaves ``data``:
    indices below ``-n`` read position 0, indices of ``n`` and above position
    ``n - 1``.
    """

    name = "nn.gather"

    data = operand_def(TensorType)
    indices = operand_def(TensorType)
    axis = opt_prop_def(Attribute, i64_attr(0))
    result = result_def(TensorType)

    assembly_format = "$data `,` $indices " + OPERANDS_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        data = as_tensor(operand_types[0], f"{cls.name} data", ALL_ELEMENTS)
        indices = as_tensor(operand_types[1], f"{cls.name} indices", INDEX_ELEMENTS)
        shape = shape_of(data)
        if not shape:
            raise VerifyException(
                f"{cls.name}: data must have rank >= 1, got {describe(data)}"
            )
        try:
            axis = cls.read_axis(properties, data)
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        index_shape = shape_of(indices)
        if shape[axis] == 0 and 0 not in index_shape:
            raise VerifyException(
                f"{cls.name}: cannot gather from dim {axis} of size 0 of "
                f"{describe(data)}: it has no position to read"
            )
        return tensor_of(
            (*shape[:axis], *index_shape, *shape[axis + 1 :]), data.element_type
        )

    @classmethod
    def read_axis(cls, properties: Mapping[str, Attribute], data: TensorType) -> int:
        """The gathered dim of ``data``, in [0, rank)."""
        axis = int_property(properties, "axis", 0)
        return normalize_axis(axis, len(shape_of(data)))

    def gathered_axis(self) -> int:
        """The gathered dim of the data, in [0, rank)."""
        data = self.data.type
        assert isinstance(data, TensorType)
        return self.read_axis(self.properties, data)  # pyright: ignore[reportUnknownArgumentType]


INDEXING_OPS = [GatherOp]
