"""Pooling nn ops: reduce each window of the H and W dims of an NCHW tensor.

They take one input and print its type and the result's::

    %m = nn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
           : tensor<1x16x32x32xf32> -> tensor<1x16x16x16xf32>
    %a = nn.avg_pool2d %x {kernel = array<i64: 3, 3>,
                           padding = array<i64: 1, 1, 1, 1>, count_include_pad}
           : tensor<1x8x7x7xf32> -> tensor<1x8x7x7xf32>
    %g = nn.global_avg_pool2d %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>

Window geometry (strides, ONNX-order padding, dilations, ``ceil_mode``) is the one
nn.conv2d uses, from :mod:`dlc.dialects.nn.window`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
    SINGLE_INPUT_FORMAT,
    NNOp,
    as_float_tensor,
    describe,
    error_in_op,
    flag_property,
    i64_array,
    shape_of,
    tensor_of,
)
from dlc.dialects.nn.window import Window2d, positive_pair


def nchw_input(op_name: str, operand: Attribute) -> TensorType:
    """The input of a 2-D pooling op: a 4-D float tensor [N, C, H, W]."""
    tensor = as_float_tensor(operand, f"{op_name} input")
    if len(shape_of(tensor)) != 4:
        raise VerifyException(
            f"{op_name}: input must be 4-D [N, C, H, W], got {describe(tensor)}"
        )
    return tensor


def read_flag(op_name: str, properties: Mapping[str, Attribute], name: str) -> bool:
    """A flag property: present (a unit attribute) means true."""
    try:
        return flag_property(properties, name)
    except VerifyException as error:
        raise error_in_op(op_name, error) from None


class Pool2dOp(NNOp):
    """A window reduction over H and W; the kernel is a property.

    Padding must be smaller than the kernel on each side, and every window must
    hold at least one input element. The properties have no IRDL constraint; the
    readers in :mod:`dlc.dialects.nn.window` check them and name them in errors.
    """

    input = operand_def(TensorType)
    kernel = prop_def(Attribute)
    strides = opt_prop_def(Attribute, i64_array([1, 1]))
    padding = opt_prop_def(Attribute, i64_array([0, 0, 0, 0]))
    dilations = opt_prop_def(Attribute, i64_array([1, 1]))
    ceil_mode = opt_prop_def(Attribute)
    result = result_def(TensorType)

    assembly_format = SINGLE_INPUT_FORMAT

    @classmethod
    def read_window(cls, properties: Mapping[str, Attribute]) -> Window2d:
        """The op's window, from its kernel, strides, padding, dilations, ceil_mode."""
        return Window2d.from_properties(
            cls.name,
            properties,
            positive_pair(cls.name, properties, "kernel", None),
            ceil_mode=read_flag(cls.name, properties, "ceil_mode"),
        )

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        x = nchw_input(cls.name, operand_types[0])
        window = cls.read_window(properties)
        kernel = window.kernel
        top, left, bottom, right = window.padding
        if max(top, bottom) >= kernel[0] or max(left, right) >= kernel[1]:
            raise VerifyException(
                f"{cls.name}: padding {list(window.padding)} must be smaller than "
                f"kernel {list(kernel)} on each side (top, bottom < {kernel[0]}; "
                f"left, right < {kernel[1]}), input {describe(x)}"
            )
        batch, channels, height, width = shape_of(x)
        out_h, out_w = window.output_hw(
            cls.name, (height, width), f"input {describe(x)}"
        )
        for dim, size, out, axis in (
            ("height", height, out_h, 0),
            ("width", width, out_w, 1),
        ):
            empty = first_window_outside_input(window, axis, size, out)
            if empty is not None:
                raise VerifyException(
                    f"{cls.name}: the window at output {dim} {empty} covers only "
                    f"padding (kernel {list(kernel)}, dilations "
                    f"{list(window.dilations)}, padding {list(window.padding)}), "
                    f"input {describe(x)}"
                )
        return tensor_of((batch, channels, out_h, out_w), x.element_type)


def first_window_outside_input(
    window: Window2d, axis: int, size: int, out: int
) -> int | None:
    """The first output index along ``axis`` whose window taps no input element.

    Padding smaller than the kernel is not enough once taps are dilated (kernel 2,
    dilation 2, padding 1 on a size-1 input): such a window would pool nothing.

    Window ``i`` taps ``i * stride - before + t * dilation`` for ``t`` in
    ``[0, kernel)``. Its first tap is never past the input's start (``before <
    kernel``), so it misses the input when it starts after the input's end, or
    when it starts in the padding and its first tap at or after 0, that is its
    start modulo the dilation, is at or after ``size``. That last case needs
    ``dilation > size``, which leaves at most a few windows to look at: no loop
    runs over the kernel or the output, however large (a kernel of 2**62 hung
    the verifier).
    """
    before = window.padding[axis]
    stride, dilation = window.strides[axis], window.dilations[axis]
    if dilation > size:
        starting_in_padding = -(-before // stride)
        for index in range(min(out, starting_in_padding)):
            if (index * stride - before) % dilation >= size:
                return index
    first_after_input = -(-(size + before) // stride)
    return first_after_input if first_after_input < out else None


@irdl_op_definition
class MaxPool2dOp(Pool2dOp):
    """The maximum of each window; padding counts as -inf.

    With ``dilations`` the taps need not be adjacent (average pooling takes them
    too)::

        %y = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,
                               padding = array<i64: 1, 1, 1, 1>, ceil_mode}
               : tensor<1x8x8x8xf32> -> tensor<1x8x5x5xf32>
    """

    name = "nn.max_pool2d"


@irdl_op_definition
class AvgPool2dOp(Pool2dOp):
    """The mean of each window.

    With ``count_include_pad`` padded positions count in the divisor (the window
    size); without it the divisor is the number of input elements in the window.
    Either way a ``ceil_mode`` window's overhang past the padded input counts for
    nothing, and with ``dilations`` only the taps count, not the gaps between
    them::

        %y = nn.avg_pool2d %x {kernel = array<i64: 2, 2>,
                               padding = array<i64: 1, 1, 0, 0>}
               : tensor<1x8x4x4xf32> -> tensor<1x8x4x4xf32>
    """

    name = "nn.avg_pool2d"

    count_include_pad = opt_prop_def(Attribute)

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        read_flag(cls.name, properties, "count_include_pad")
        return super().infer_result_type(operand_types, properties)


@irdl_op_definition
class GlobalAvgPool2dOp(NNOp):
    """The mean over all of H and W: ``[N, C, H, W] -> [N, C, 1, 1]``.

    It is avg_pool2d with the whole image as its kernel, without naming the size::

        %g = nn.global_avg_pool2d %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    """

    name = "nn.global_avg_pool2d"

    input = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = SINGLE_INPUT_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        x = nchw_input(cls.name, operand_types[0])
        batch, channels, _, _ = shape_of(x)
        return tensor_of((batch, channels, 1, 1), x.element_type)


POOLING_OPS: list[type[IRDLOperation]] = [MaxPool2dOp, AvgPool2dOp, GlobalAvgPool2dOp]
