"""nn-to-tensor patterns for the nn pooling ops: max, average and global average.

A pooling window is a reduction over the kernel taps, read at the window positions
of :func:`dlc.lowering.nn_to_tensor.indexing.window_index`. Max pooling is one
``reduce max`` compute whose reads pad with -inf; average pooling sums with zero
padding, then divides by how many positions of each window count, in a second
compute (as the reference does: the sum first, then one division)::

    %m = nn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
           : tensor<1x3x4x4xf32> -> tensor<1x3x2x2xf32>

becomes::

    %m = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [2, 2]
           init 0xff800000 : tensor<1x3x2x2xf32> {
      %c2 = arith.constant 2 : index
      %0 = arith.muli %oh, %c2 : index
      %ih = arith.addi %0, %kh : index
      %c2_1 = arith.constant 2 : index
      %1 = arith.muli %ow, %c2_1 : index
      %iw = arith.addi %1, %kw : index
      %v = tensor.read %x[%n, %c, %ih, %iw] : tensor<1x3x4x4xf32>
      tensor.yield %v : f32
    }
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import arith
from xdsl.dialects.builtin import TensorType, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import pooling as nn
from dlc.dialects.nn.window import Window2d
from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import (
    element_type_of,
    elementwise_compute,
    float_constant,
    index_constant,
    reduction_compute,
    shape_of,
)
from dlc.lowering.nn_to_tensor.indexing import (
    affine_index,
    name_indices,
    window_index,
    window_reads_padding,
)


def window_compute(
    op: nn.Pool2dOp, window: Window2d, combiner: Combiner, pad: float
) -> ComputeOp:
    """``combiner`` over the taps of each window of ``op``'s input.

    The reads outside the input, in the padding or a ``ceil_mode`` overhang, give
    ``pad``: -inf for a max, 0 for a sum.
    """
    x = op.input
    result_type = op.result.type
    out_hw = tuple(result_type.get_shape())[2:]
    padded = window_reads_padding(window, shape_of(x)[2:], out_hw)
    (kh, kw), (sh, sw) = window.kernel, window.strides
    (dh, dw), (top, left, _, _) = window.dilations, window.padding

    def body(*indices: SSAValue) -> Operation:
        name_indices(indices, ["n", "c", "oh", "ow", "kh", "kw"])
        n, c, oh, ow, i, j = indices
        h = window_index(oh, i, kh, sh, dh, top)
        w = window_index(ow, j, kw, sw, dw, left)
        return ReadOp(x, [n, c, h, w], pad if padded else None)

    return ComputeOp.from_callable(
        result_type, body, reduce_extents=[kh, kw], combiner=combiner
    )


def counted_taps(
    output: SSAValue,
    size: int,
    out: int,
    kernel: int,
    stride: int,
    dilation: int,
    padding: tuple[int, int],
    count_include_pad: bool,
) -> SSAValue | int:
    """How many taps of the window at ``output`` count, along one dim.

    The window's taps are ``start + t * dilation`` for ``t`` in ``[0, kernel)``,
    with ``start = output * stride - pad_before``; the counted positions are the
    input ``[low, high) = [0, size)``, or with ``count_include_pad`` the padded
    input ``[-pad_before, size + pad_after)``. A ``ceil_mode`` overhang past that
    never counts. The count is a plain ``kernel`` where no window crosses either
    bound, else ``min(end, high) - max(start, low)`` (``end = start + kernel``)
    for adjacent taps, and for dilated ones the taps between the first and the
    last counted: ``min(kernel, ceildiv(high - start, dilation)) - max(0,
    ceildiv(low - start, dilation))``.
    """
    before, after = padding
    low, high = (-before, size + after) if count_include_pad else (0, size)
    clamp_low = -before < low  # the first window starts below the counted range
    last_tap = (out - 1) * stride - before + (kernel - 1) * dilation
    clamp_high = last_tap >= high  # the last window ends above it
    if not (clamp_low or clamp_high):
        return kernel
    start = affine_index([(output, stride)], -before)
    if dilation == 1:
        end = arith.AddiOp(start, index_constant(kernel)).result
        if clamp_low:
            start = arith.MaxSIOp(start, index_constant(low)).result
        if clamp_high:
            end = arith.MinSIOp(end, index_constant(high)).result
        return arith.SubiOp(end, start).result
    last: SSAValue = index_constant(kernel).result
    if clamp_high:
        last = arith.MinSIOp(last, taps_before(high, start, dilation)).result
    if not clamp_low:
        return last
    first = arith.MaxSIOp(index_constant(0), taps_before(low, start, dilation))
    return arith.SubiOp(last, first).result


def taps_before(bound: int, start: SSAValue, dilation: int) -> SSAValue:
    """How many taps ``start + t * dilation`` (t >= 0) lie below ``bound``, or
    minus how many lie at or above it: ``ceildiv(bound - start, dilation)``."""
    distance = arith.SubiOp(index_constant(bound), start)
    return arith.CeilDivSIOp(distance, index_constant(dilation)).result


def window_size(counts: Sequence[SSAValue | int], element_type: Attribute) -> SSAValue:
    """The product of per-dim tap counts, as a float of ``element_type``."""
    known = 1
    varying: list[SSAValue] = []
    for count in counts:
        if isinstance(count, int):
            known *= count
        else:
            varying.append(count)
    if not varying:
        return float_constant(float(known), element_type).result
    product = varying[0]
    for count in varying[1:]:
        product = arith.MuliOp(product, count).result
    if known != 1:
        product = arith.MuliOp(product, index_constant(known)).result
    integer = arith.IndexCastOp(product, i64)
    return arith.SIToFPOp(integer, element_type).result  # pyright: ignore[reportArgumentType]


class MaxPool2dToTensorPattern(RewritePattern):
    """``nn.max_pool2d`` is one ``reduce max`` compute; padding reads give -inf."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.MaxPool2dOp, rewriter: PatternRewriter) -> None:
        window = op.read_window(op.properties)
        rewriter.replace(op, window_compute(op, window, Combiner.MAX, float("-inf")))


class AvgPool2dToTensorPattern(RewritePattern):
    """``nn.avg_pool2d`` sums each window, then divides by its counted taps.

    The divisor is what the reference divides by (see
    :mod:`dlc.interpreter.nn.pooling`): the input elements in the window, or with
    ``count_include_pad`` the positions of the padded input in it. It is a constant
    where every window has the same count, else index arithmetic per output point
    (:func:`counted_taps`)::

        %s = tensor.compute (%n, %c, %oh, %ow) reduce add (%kh, %kw) in [3, 3]
               init 0.0 : tensor<1x1x3x3xf32> { ... pad 0.0 ... }
        %a = tensor.compute (%n, %c, %oh, %ow) : tensor<1x1x3x3xf32> {
          %v = tensor.read %s[%n, %c, %oh, %ow] : tensor<1x1x3x3xf32>
          ... %count = min(oh - 1 + 3, 3) - max(oh - 1, 0), times the same for ow
          %d = arith.divf %v, %count : f32
          tensor.yield %d : f32
        }
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.AvgPool2dOp, rewriter: PatternRewriter) -> None:
        window = op.read_window(op.properties)
        total = window_compute(op, window, Combiner.ADD, 0.0)
        hw = shape_of(op.input)[2:]
        result_type: TensorType = op.result.type
        out_hw = tuple(result_type.get_shape())[2:]
        include = "count_include_pad" in op.properties
        top, left, bottom, right = window.padding
        element_type = result_type.element_type

        def body(*indices: SSAValue) -> Operation:
            name_indices(indices, [index.name_hint for index in total.output_indices])
            value = ReadOp(total.result, indices)
            counts = [
                counted_taps(index, size, out, kernel, stride, dilation, pads, include)
                for index, size, out, kernel, stride, dilation, pads in zip(
                    indices[2:],
                    hw,
                    out_hw,
                    window.kernel,
                    window.strides,
                    window.dilations,
                    ((top, bottom), (left, right)),
                    strict=True,
                )
            ]
            return arith.DivfOp(value, window_size(counts, element_type))

        rewriter.replace(op, [total, ComputeOp.from_callable(result_type, body)])


class GlobalAvgPool2dToTensorPattern(RewritePattern):
    """``nn.global_avg_pool2d`` sums over H and W (kept as size 1), then divides."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: nn.GlobalAvgPool2dOp, rewriter: PatternRewriter
    ) -> None:
        x = op.input
        shape = shape_of(x)
        result_type = op.result.type
        total = reduction_compute(
            result_type,
            shape,
            [2, 3],
            lambda point: ReadOp(x, point),
            keepdims=True,
        )
        count = float(shape[2] * shape[3])

        def divide(value: SSAValue) -> Operation:
            return arith.DivfOp(value, float_constant(count, element_type_of(x)))

        mean = elementwise_compute(result_type, [total.result], divide)
        rewriter.replace(op, [total, mean])


POOLING_PATTERNS: list[RewritePattern] = [
    MaxPool2dToTensorPattern(),
    AvgPool2dToTensorPattern(),
    GlobalAvgPool2dToTensorPattern(),
]
