"""nn.constant: a tensor value written in the IR, inline or as a resource blob.

Small values are written inline; the result type is the value's type::

    %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>

Large weights live in the file's resource section, so that the IR stays readable::

    %w = nn.constant dense_resource<w1> : tensor<2xf32>
    ...
    {-#
      dialect_resources: {
        builtin: {
          w1: "0x040000000000803F00000040"
        }
      }
    #-}

A blob is MLIR's hex encoding: 4 bytes of alignment (little-endian), then the raw
little-endian elements in row-major order. xDSL 0.74 keeps blobs in the
``OpAsmDialectInterface`` of its builtin dialect object, which every context shares;
:func:`resource_blob` and :func:`declare_resource` read and write them there, and
xDSL's printer re-emits the blobs that the printed IR refers to. Inline values hold
the same little-endian bytes; :func:`dense_from_array` makes one from numpy.

Every nn element type may be a constant: floats, integers, and booleans
(``dense<[true, false]> : tensor<2xi1>``), which take one byte each, any nonzero
byte being true (xDSL writes ``true`` as 0xFF, numpy as 0x01).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import prod
from typing import ClassVar

from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    FixedBitwidthType,
    TensorType,
)
from xdsl.ir import Attribute
from xdsl.irdl import (
    AnyAttr,
    ParamAttrConstraint,
    VarConstraint,
    irdl_op_definition,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import ConstantLike
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import NNOp, as_any_tensor, describe, shape_of
from dlc.resources import (
    BLOB_ALIGNMENT_BYTES,
    resource_blob,
)


@irdl_op_definition
class ConstantOp(NNOp):
    """A constant tensor, from an inline ``dense<...>`` or a ``dense_resource<...>``.

    Its type is the value's type. A resource without a blob is allowed (the value is
    then unknown, as in MLIR's elided resources); a blob whose size does not match the
    type is an error.
    """

    name = "nn.constant"
    T: ClassVar = VarConstraint("T", AnyAttr())
    value = prop_def(
        ParamAttrConstraint(DenseIntOrFPElementsAttr, (T, AnyAttr()))
        | ParamAttrConstraint(DenseResourceAttr, (AnyAttr(), T))
    )
    result = result_def(T)

    traits = traits_def(ConstantLike())

    assembly_format = "attr-dict $value"

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        value = properties.get("value")
        if not isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr):
            raise VerifyException(
                f"{cls.name}: value must be dense<...> or dense_resource<...>, "
                f"got {'nothing' if value is None else describe(value)}"
            )
        tensor = as_any_tensor(value.get_type(), f"{cls.name} value")
        if isinstance(value, DenseResourceAttr):
            cls.check_blob(value.resource_handle.data, tensor)
        return tensor

    @classmethod
    def check_blob(cls, handle: str, tensor: TensorType) -> None:
        blob = resource_blob(handle)
        if blob is None:
            return
        element = tensor.element_type
        assert isinstance(element, FixedBitwidthType), "checked by as_any_tensor"
        expected = prod(shape_of(tensor)) * element.compile_time_size
        if len(blob) != expected:
            raise VerifyException(
                f"{cls.name}: resource '{handle}' holds {len(blob)} bytes after its "
                f"{BLOB_ALIGNMENT_BYTES}-byte alignment header, but {describe(tensor)} "
                f"needs {expected}"
            )


CONSTANT_OPS = [ConstantOp]
