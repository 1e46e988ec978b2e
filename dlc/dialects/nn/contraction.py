"""Contraction nn ops: products that sum over a shared dim (matmul, dense, conv2d).

All three print the full functional type, and an optional bias operand is simply
left out of the operand list::

    %m = nn.matmul %a, %b : (tensor<8x4x16xf32>, tensor<16x32xf32>)
           -> tensor<8x4x32xf32>
    %d = nn.dense %x, %w, %b
           : (tensor<64x784xf32>, tensor<784x512xf32>, tensor<512xf32>)
           -> tensor<64x512xf32>
    %c = nn.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
           : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x16x16xf32>
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    opt_prop_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    OPERANDS_FORMAT,
    NNOp,
    Shape,
    as_float_tensor,
    broadcast_shapes,
    describe,
    error_in_op,
    i64_array,
    i64_attr,
    int_property,
    same_element_type,
    shape_of,
    tensor_of,
)
from dlc.dialects.nn.window import Window2d

BIASED_FORMAT = "$input `,` $weight (`,` $bias^)? " + OPERANDS_FORMAT
"""Syntax of the ops with an optional trailing bias operand."""


def check_bias(
    op_name: str, bias: Attribute | None, channels: int, owner: TensorType
) -> TensorType | None:
    """A bias, when present, is 1-D with one value per output channel of ``owner``."""
    if bias is None:
        return None
    tensor = as_float_tensor(bias, f"{op_name} bias")
    if shape_of(tensor) != (channels,):
        raise VerifyException(
            f"{op_name}: bias must have shape [{channels}] (one value per output "
            f"channel of weight {describe(owner)}), got {describe(tensor)}"
        )
    return tensor


@irdl_op_definition
class MatmulOp(NNOp):
    """numpy's ``matmul``: a batch of matrix products.

    Operands of rank 1 are promoted (lhs to a row ``[1, K]``, rhs to a column
    ``[K, 1]``) and the promoted dim is dropped from the result; dims before the last
    two are batch dims and broadcast like numpy::

        %r = nn.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>)
               -> tensor<2x5x3x6xf32>
        %v = nn.matmul %m, %x : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
    """

    name = "nn.matmul"

    lhs = operand_def(TensorType)
    rhs = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = "$lhs `,` $rhs " + OPERANDS_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        lhs = as_float_tensor(operand_types[0], f"{cls.name} lhs")
        rhs = as_float_tensor(operand_types[1], f"{cls.name} rhs")
        element = same_element_type([lhs, rhs], cls.name)
        a, b = shape_of(lhs), shape_of(rhs)
        for side, shape, tensor in (("lhs", a, lhs), ("rhs", b, rhs)):
            if not shape:
                raise VerifyException(
                    f"{cls.name}: {side} must have rank >= 1, got {describe(tensor)}"
                )
        k_rhs = b[0] if len(b) == 1 else b[-2]
        if a[-1] != k_rhs:
            raise VerifyException(
                f"{cls.name}: contracted dims differ: lhs last dim is {a[-1]} but "
                f"rhs {'first' if len(b) == 1 else 'second-to-last'} dim is "
                f"{k_rhs}, lhs {describe(lhs)}, rhs {describe(rhs)}"
            )
        batch = broadcast_shapes(a[:-2], b[:-2])
        if batch is None:
            raise VerifyException(
                f"{cls.name}: batch dims {list(a[:-2])} and {list(b[:-2])} do not "
                f"broadcast, lhs {describe(lhs)}, rhs {describe(rhs)}"
            )
        rows: Shape = a[-2:-1]
        cols: Shape = b[-1:] if len(b) > 1 else ()
        return tensor_of(batch + rows + cols, element)


@irdl_op_definition
class DenseOp(NNOp):
    """A fully connected layer: ``input @ weight + bias``.

    ``input`` is ``[..., K]``, ``weight`` is ``[K, N]`` and the optional ``bias`` is
    ``[N]``; the result is ``[..., N]``::

        %h = nn.dense %x, %w : (tensor<64x784xf32>, tensor<784x512xf32>)
               -> tensor<64x512xf32>
    """

    name = "nn.dense"

    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    bias = opt_operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = BIASED_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        x = as_float_tensor(operand_types[0], f"{cls.name} input")
        w = as_float_tensor(operand_types[1], f"{cls.name} weight")
        x_shape, w_shape = shape_of(x), shape_of(w)
        if not x_shape:
            raise VerifyException(
                f"{cls.name}: input must have rank >= 1 [..., K], got {describe(x)}"
            )
        if len(w_shape) != 2:
            raise VerifyException(
                f"{cls.name}: weight must be 2-D [K, N], got {describe(w)}"
            )
        if x_shape[-1] != w_shape[0]:
            raise VerifyException(
                f"{cls.name}: input last dim {x_shape[-1]} must equal weight first "
                f"dim {w_shape[0]} (K), input {describe(x)}, weight {describe(w)}"
            )
        bias_type = operand_types[2] if len(operand_types) > 2 else None
        bias = check_bias(cls.name, bias_type, w_shape[1], w)
        tensors = [x, w] if bias is None else [x, w, bias]
        element = same_element_type(tensors, cls.name)
        return tensor_of(x_shape[:-1] + w_shape[1:], element)


@irdl_op_definition
class Conv2dOp(NNOp):
    """2-D convolution (cross-correlation, as in every DL framework), NCHW layout.

    ``weight`` is ``[O, C / groups, KH, KW]``: input and output channels are split
    into ``groups`` equal parts and part g of the output sees only part g of the
    input (``groups = C`` is a depthwise convolution). ``padding`` is
    ``[top, left, bottom, right]`` (ONNX order); output size per spatial dim is
    ``(size + pads - dilation * (kernel - 1) - 1) // stride + 1``. The properties
    have no IRDL constraint; :mod:`dlc.dialects.nn.window` checks them::

        %y = nn.conv2d %x, %w, %b {groups = 2 : i64}
               : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>)
               -> tensor<1x6x3x3xf32>
    """

    name = "nn.conv2d"

    input = operand_def(TensorType)
    weight = operand_def(TensorType)
    bias = opt_operand_def(TensorType)
    strides = opt_prop_def(Attribute, i64_array([1, 1]))
    padding = opt_prop_def(Attribute, i64_array([0, 0, 0, 0]))
    dilations = opt_prop_def(Attribute, i64_array([1, 1]))
    groups = opt_prop_def(Attribute, i64_attr(1))
    result = result_def(TensorType)

    assembly_format = BIASED_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        x = as_float_tensor(operand_types[0], f"{cls.name} input")
        w = as_float_tensor(operand_types[1], f"{cls.name} weight")
        x_shape, w_shape = shape_of(x), shape_of(w)
        operands = f"input {describe(x)}, weight {describe(w)}"
        if len(x_shape) != 4:
            raise VerifyException(
                f"{cls.name}: input must be 4-D [N, C, H, W], got {describe(x)}"
            )
        if len(w_shape) != 4:
            raise VerifyException(
                f"{cls.name}: weight must be 4-D [O, C/groups, KH, KW], "
                f"got {describe(w)}"
            )
        try:
            groups = int_property(properties, "groups", 1)
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        if groups <= 0:
            raise VerifyException(f"{cls.name}: groups must be positive, got {groups}")
        batch, channels, height, width = x_shape
        out_channels, group_channels, kh, kw = w_shape
        if channels != group_channels * groups:
            raise VerifyException(
                f"{cls.name}: input channels {channels} must equal weight channels "
                f"{group_channels} times groups {groups}, {operands}"
            )
        if out_channels % groups:
            raise VerifyException(
                f"{cls.name}: output channels {out_channels} (weight dim 0) must be "
                f"divisible by groups {groups}, {operands}"
            )
        bias_type = operand_types[2] if len(operand_types) > 2 else None
        bias = check_bias(cls.name, bias_type, out_channels, w)
        element = same_element_type([x, w] if bias is None else [x, w, bias], cls.name)
        window = Window2d.from_properties(cls.name, properties, (kh, kw))
        out_h, out_w = window.output_hw(cls.name, (height, width), operands)
        return tensor_of((batch, out_channels, out_h, out_w), element)


CONTRACTION_OPS: list[type[IRDLOperation]] = [MatmulOp, DenseOp, Conv2dOp]
