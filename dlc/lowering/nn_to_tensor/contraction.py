"""nn-to-tensor patterns for the nn contraction ops: matmul, dense, conv2d.

Each contraction is one ``reduce add`` compute whose body multiplies one element of
each operand; a bias is a second, elementwise compute (running it in the same loop
nest is ``tensor-to-loop``'s business, not the algorithm's)::

    %h = nn.dense %x, %w, %b
           : (tensor<4x3xf32>, tensor<3x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>

becomes::

    %h = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.0 : tensor<4x5xf32> {
      %0 = tensor.read %x[%i, %k] : tensor<4x3xf32>
      %1 = tensor.read %w[%k, %j] : tensor<3x5xf32>
      %2 = arith.mulf %0, %1 : f32
      tensor.yield %2 : f32
    }
    %h_1 = tensor.compute (%i_1, %j_1) : tensor<4x5xf32> {
      %3 = tensor.read %h[%i_1, %j_1] : tensor<4x5xf32>
      %4 = tensor.read %b[%j_1] : tensor<5xf32>
      %5 = arith.addf %3, %4 : f32
      tensor.yield %5 : f32
    }
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import contraction as nn
from dlc.dialects.nn.base import int_property
from dlc.dialects.nn.window import Window2d
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import (
    broadcast_indices,
    index_constant,
    shape_of,
)
from dlc.lowering.nn_to_tensor.indexing import (
    affine_index,
    name_indices,
    window_index,
    window_reads_padding,
)


def matmul_compute(lhs: SSAValue, rhs: SSAValue, result_type: TensorType) -> ComputeOp:
    """numpy's ``matmul`` as one compute, ``sum_k lhs[b, i, k] * rhs[b, k, j]``.

    The output dims are the broadcast batch dims, then ``i`` if lhs is a matrix and
    ``j`` if rhs is one (a rank-1 operand is promoted, and its dim dropped). Each
    operand reads the batch point numpy-broadcast: size-1 batch dims at 0, missing
    ones left out.
    """
    a, b = shape_of(lhs), shape_of(rhs)
    out_shape = tuple(result_type.get_shape())
    rows, cols = int(len(a) >= 2), int(len(b) >= 2)
    batch_shape = out_shape[: len(out_shape) - rows - cols]

    names = [f"b{dim}" for dim in range(len(batch_shape))]
    names += ["i"] * rows + ["j"] * cols + ["k"]

    def body(*indices: SSAValue) -> Operation:
        name_indices(indices, names)
        batch, k = indices[: len(batch_shape)], indices[-1]
        i = indices[len(batch_shape) : len(batch_shape) + rows]
        j = indices[len(batch_shape) + rows : -1]
        lhs_read = ReadOp(lhs, [*broadcast_indices(a[:-2], batch, batch_shape), *i, k])
        rhs_read = ReadOp(rhs, [*broadcast_indices(b[:-2], batch, batch_shape), k, *j])
        return arith.MulfOp(lhs_read, rhs_read)

    return ComputeOp.from_callable(result_type, body, reduce_extents=[a[-1]])


def with_bias(
    product: ComputeOp, bias: SSAValue | None, channel_dim: int
) -> list[Operation]:
    """The computes of a contraction: the product, then ``+ bias`` if there is one.

    The 1-D ``bias`` is read at the index of dim ``channel_dim``: the last dim of a
    dense layer, dim 1 (channels) of an NCHW convolution.
    """
    if bias is None:
        return [product]

    def body(*indices: SSAValue) -> Operation:
        name_indices(indices, [index.name_hint for index in product.output_indices])
        value = ReadOp(product.result, indices)
        return arith.AddfOp(value, ReadOp(bias, [indices[channel_dim]]))

    return [product, ComputeOp.from_callable(product.result.type, body)]


class MatmulToTensorPattern(RewritePattern):
    """``nn.matmul`` becomes one ``reduce add`` compute (see :func:`matmul_compute`)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.MatmulOp, rewriter: PatternRewriter) -> None:
        rewriter.replace(op, matmul_compute(op.lhs, op.rhs, op.result.type))


class DenseToTensorPattern(RewritePattern):
    """``nn.dense`` is numpy's matmul of ``[..., K]`` by ``[K, N]``, then the bias.

    The leading input dims are batch dims that the weight broadcasts over, so the
    product is :func:`matmul_compute`; the bias is added along the last dim.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.DenseOp, rewriter: PatternRewriter) -> None:
        result_type = op.result.type
        product = matmul_compute(op.input, op.weight, result_type)
        last = len(result_type.get_shape()) - 1
        rewriter.replace(op, with_bias(product, op.bias, channel_dim=last))


class Conv2dToTensorPattern(RewritePattern):
    """``nn.conv2d`` is a ``reduce add`` over a group's input channels and the taps.

    ``y[n, f, oh, ow] = sum_{c, kh, kw} x[n, g * C/G + c, oh * sh + kh * dh - top,
    ow * sw + kw * dw - left] * w[f, c, kh, kw]``, where ``g = f / (O/G)`` is the
    group of output channel ``f``. The input read has ``pad 0.0`` when some window
    reaches the padding. The index arithmetic leaves out what the shapes make
    constant: the group when ``groups = 1``, ``+ c`` for depthwise weights, the tap
    of a 1-wide kernel::

        %y = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>}
               : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x4x4xf32>

    becomes::

        %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw)
               in [2, 3, 3] init 0.0 : tensor<1x3x4x4xf32> {
          %c1 = arith.constant 1 : index
          %0 = arith.addi %oh, %kh : index
          %ih = arith.subi %0, %c1 : index
          %c1_1 = arith.constant 1 : index
          %1 = arith.addi %ow, %kw : index
          %iw = arith.subi %1, %c1_1 : index
          %a = tensor.read %x[%n, %c, %ih, %iw] pad 0.0 : tensor<1x2x4x4xf32>
          %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<3x2x3x3xf32>
          %p = arith.mulf %a, %b : f32
          tensor.yield %p : f32
        }
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.Conv2dOp, rewriter: PatternRewriter) -> None:
        x, weight = op.input, op.weight
        out_channels, group_channels, kh, kw = shape_of(weight)
        window = Window2d.from_properties(op.name, op.properties, (kh, kw))
        groups = int_property(op.properties, "groups", 1)
        out_per_group = out_channels // groups
        result_type = op.result.type
        out_hw = tuple(result_type.get_shape())[2:]
        padded = window_reads_padding(window, shape_of(x)[2:], out_hw)
        (sh, sw), (dh, dw) = window.strides, window.dilations
        top, left, _, _ = window.padding

        def input_channel(f: SSAValue, c: SSAValue) -> SSAValue:
            if groups == 1:
                return c
            group = f
            if out_per_group != 1:
                group = arith.DivUIOp(f, index_constant(out_per_group)).result
            terms = [(group, group_channels)]
            if group_channels != 1:
                terms.append((c, 1))
            return affine_index(terms)

        def body(*indices: SSAValue) -> Operation:
            name_indices(indices, ["n", "f", "oh", "ow", "c", "kh", "kw"])
            n, f, oh, ow, c, i, j = indices
            h = window_index(oh, i, kh, sh, dh, top)
            w = window_index(ow, j, kw, sw, dw, left)
            pixel = ReadOp(x, [n, input_channel(f, c), h, w], 0.0 if padded else None)
            return arith.MulfOp(pixel, ReadOp(weight, [f, c, i, j]))

        product = ComputeOp.from_callable(
            result_type, body, reduce_extents=[group_channels, kh, kw]
        )
        rewriter.replace(op, with_bias(product, op.bias, channel_dim=1))


CONTRACTION_PATTERNS: list[RewritePattern] = [
    MatmulToTensorPattern(),
    DenseToTensorPattern(),
    Conv2dToTensorPattern(),
]
