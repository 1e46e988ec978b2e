"""nn-to-tensor patterns for the nn shape ops: each is one compute that copies.

A shape op computes no new value: element ``o`` of the result is some element of
the input, at indices that are a function of ``o``. So each op becomes one compute
whose body is a single read (concat: one read per input and a choice), and the
whole lowering is in the index arithmetic::

    %t = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>

becomes::

    %t = tensor.compute (%i0, %i1) : tensor<3x2xf32> {
      %0 = tensor.read %x[%i1, %i0] : tensor<2x3xf32>
      tensor.yield %0 : f32
    }

Reshape, flatten, squeeze and unsqueeze keep the row-major order and share one
pattern (:func:`dlc.lowering.nn_to_tensor.indexing.reshape_indices`). Padding reads
with a ``pad`` value (mode "constant") or clamps or mirrors the index ("edge",
"reflect").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.dialects import arith
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import shape as nn
from dlc.dialects.nn.base import (
    int_property,
    ints_property,
    normalize_axis,
    string_property,
)
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import (
    broadcast_indices,
    index_constant,
    shape_of,
    tensor_type,
)
from dlc.lowering.nn_to_tensor.indexing import (
    affine_index,
    name_indices,
    reshape_indices,
)

IndexMap = Callable[[Sequence[SSAValue]], Sequence[SSAValue]]
"""The input indices an output point reads, built in the compute's body."""


def gather_compute(
    source: SSAValue,
    result_type: TensorType,
    input_indices: IndexMap,
    pad: float | int | None = None,
) -> ComputeOp:
    """``r[o] = source[input_indices(o)]``, with ``pad`` out of bounds if given."""

    def body(*output: SSAValue) -> Operation:
        name_output_indices(output)
        return ReadOp(source, input_indices(output), pad)

    return ComputeOp.from_callable(result_type, body)


def name_output_indices(output: Sequence[SSAValue]) -> None:
    """Name the output indices of a shape op's compute ``%i0``, ``%i1``, ..."""
    name_indices(output, [f"i{dim}" for dim in range(len(output))])


class RowMajorReshapeToTensorPattern(RewritePattern):
    """Reshape, flatten, squeeze and unsqueeze: the same elements in row-major order.

    The result type says everything; the read position comes from
    :func:`reshape_indices`, so dims that only gain or lose unit dims keep their
    index, and merged or split dims go through their row-major position::

        %r = nn.reshape %x {shape = array<i64: 6>} : tensor<2x3xf32> -> tensor<6xf32>

    becomes::

        %r = tensor.compute (%i0) : tensor<6xf32> {
          %0 = arith.constant 3 : index
          %1 = arith.divui %i0, %0 : index
          %2 = arith.constant 3 : index
          %3 = arith.remui %i0, %2 : index
          %4 = tensor.read %x[%1, %3] : tensor<2x3xf32>
          tensor.yield %4 : f32
        }
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self,
        op: nn.ReshapeOp | nn.FlattenOp | nn.SqueezeOp | nn.UnsqueezeOp,
        rewriter: PatternRewriter,
    ) -> None:
        result_type = op.result.type
        out_shape, in_shape = tuple(result_type.get_shape()), shape_of(op.input)
        compute = gather_compute(
            op.input,
            result_type,
            lambda output: reshape_indices(output, out_shape, in_shape),
        )
        rewriter.replace(op, compute)


class TransposeToTensorPattern(RewritePattern):
    """``nn.transpose``: input dim ``perm[i]`` is read at output index ``i``."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.TransposeOp, rewriter: PatternRewriter) -> None:
        perm = nn.TransposeOp.normalized_perm(tensor_type(op.input), op.properties)

        def input_indices(output: Sequence[SSAValue]) -> list[SSAValue]:
            source = dict(zip(perm, output, strict=True))
            return [source[dim] for dim in range(len(perm))]

        rewriter.replace(op, gather_compute(op.input, op.result.type, input_indices))


class BroadcastToToTensorPattern(RewritePattern):
    """``nn.broadcast_to``: stretched size-1 dims are read at 0, new dims ignored."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: nn.BroadcastToOp, rewriter: PatternRewriter
    ) -> None:
        in_shape = shape_of(op.input)
        out_shape = tuple(op.result.type.get_shape())
        compute = gather_compute(
            op.input,
            op.result.type,
            lambda output: broadcast_indices(in_shape, output, out_shape),
        )
        rewriter.replace(op, compute)


class SliceToTensorPattern(RewritePattern):
    """``nn.slice``: output index ``i`` of a sliced dim reads ``start + step * i``.

    The clamped ``range(start, end, step)`` of each dim comes from
    :func:`dlc.dialects.nn.shape.slice_ranges`; a negative step counts down from
    ``start`` (``start - |step| * i``), and an unsliced dim keeps its index.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.SliceOp, rewriter: PatternRewriter) -> None:
        ranges = nn.slice_ranges(op.name, tensor_type(op.input), op.properties)

        def input_indices(output: Sequence[SSAValue]) -> list[SSAValue]:
            return [
                affine_index([(index, kept.step)], kept.start)
                for index, kept in zip(output, ranges, strict=True)
            ]

        rewriter.replace(op, gather_compute(op.input, op.result.type, input_indices))


def clamped_index(index: SSAValue, size: int, before: int, after: int) -> SSAValue:
    """Mode "edge": the nearest input index, ``clamp(index, 0, size - 1)``."""
    if before:
        index = arith.MaxSIOp(index, index_constant(0)).result
    if after:
        index = arith.MinSIOp(index, index_constant(size - 1)).result
    return index


def reflected_index(index: SSAValue, size: int, before: int, after: int) -> SSAValue:
    """Mode "reflect": mirror at the first and last element without repeating it.

    ``-i`` below 0 is ``max(i, -i)``, and ``2 (size - 1) - i`` past the end is
    ``min(i, 2 (size - 1) - i)``; pads are smaller than the dim, so one mirror is
    enough on each side.
    """
    if before:
        mirrored = arith.SubiOp(index_constant(0), index)
        index = arith.MaxSIOp(index, mirrored).result
    if after:
        mirrored = arith.SubiOp(index_constant(2 * (size - 1)), index)
        index = arith.MinSIOp(index, mirrored).result
    return index


class PadToTensorPattern(RewritePattern):
    """``nn.pad``: read at ``o - pad_before``, then pad, clamp or mirror.

    Mode "constant" is a read with ``pad <value>`` (converted to the element type
    as :meth:`PadOp.pad_value` says); "edge" clamps the index into
    the input and "reflect" mirrors it (:func:`clamped_index`,
    :func:`reflected_index`), so those reads never leave the input. Dims without
    padding keep their index.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.PadOp, rewriter: PatternRewriter) -> None:
        in_shape = shape_of(op.input)
        rank = len(in_shape)
        pads = ints_property(op.properties, "pads")
        mode = string_property(op.properties, "mode", "constant")
        value = op.pad_value()
        inside = {"edge": clamped_index, "reflect": reflected_index}.get(mode)
        padded = any(pads)

        def input_indices(output: Sequence[SSAValue]) -> list[SSAValue]:
            indices: list[SSAValue] = []
            for dim, (index, size) in enumerate(zip(output, in_shape, strict=True)):
                before, after = pads[dim], pads[rank + dim]
                index = affine_index([(index, 1)], -before)
                if inside is not None and (before or after):
                    index = inside(index, size, before, after)
                indices.append(index)
            return indices

        pad = value if padded and inside is None else None
        compute = gather_compute(op.input, op.result.type, input_indices, pad)
        rewriter.replace(op, compute)


class ConcatToTensorPattern(RewritePattern):
    """``nn.concat``: read every input, each shifted by its offset, and pick one.

    Each input is read at ``i - offset`` along the axis with ``pad 0.0``, so every
    read is defined at every point, and ``arith.cmpi``/``arith.select`` choose the
    input whose rows hold ``i`` (inputs with no rows are left out)::

        %c = nn.concat %a, %b {axis = 0}
               : (tensor<2xf32>, tensor<3xf32>) -> tensor<5xf32>

    becomes::

        %c = tensor.compute (%i0) : tensor<5xf32> {
          %0 = tensor.read %a[%i0] pad 0.0 : tensor<2xf32>
          %1 = arith.constant 2 : index
          %2 = arith.subi %i0, %1 : index
          %3 = tensor.read %b[%2] pad 0.0 : tensor<3xf32>
          %4 = arith.constant 2 : index
          %5 = arith.cmpi slt, %i0, %4 : index
          %6 = arith.select %5, %0, %3 : f32
          tensor.yield %6 : f32
        }
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ConcatOp, rewriter: PatternRewriter) -> None:
        inputs = list(op.inputs)
        rank = len(shape_of(inputs[0]))
        axis = normalize_axis(int_property(op.properties, "axis"), rank)
        filled = [value for value in inputs if shape_of(value)[axis]] or inputs[:1]
        offsets = [0]
        for value in filled[:-1]:
            offsets.append(offsets[-1] + shape_of(value)[axis])

        def body(*output: SSAValue) -> SSAValue | Operation:
            name_output_indices(output)
            if len(filled) == 1:
                return ReadOp(filled[0], output)
            reads = [
                ReadOp(value, _shifted(output, axis, offset), 0.0).result
                for value, offset in zip(filled, offsets, strict=True)
            ]
            chosen = reads[-1]
            for read, end in reversed(list(zip(reads[:-1], offsets[1:], strict=True))):
                before_end = arith.CmpiOp(output[axis], index_constant(end), "slt")
                chosen = arith.SelectOp(before_end, read, chosen).result
            return chosen

        rewriter.replace(op, ComputeOp.from_callable(op.result.type, body))


def _shifted(output: Sequence[SSAValue], axis: int, offset: int) -> list[SSAValue]:
    """``output`` with ``offset`` subtracted from the index of ``axis``."""
    indices = list(output)
    indices[axis] = affine_index([(indices[axis], 1)], -offset)
    return indices


SHAPE_PATTERNS: list[RewritePattern] = [
    RowMajorReshapeToTensorPattern(),
    TransposeToTensorPattern(),
    BroadcastToToTensorPattern(),
    SliceToTensorPattern(),
    PadToTensorPattern(),
    ConcatToTensorPattern(),
]
