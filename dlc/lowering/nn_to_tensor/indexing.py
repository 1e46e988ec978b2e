"""Index arithmetic for the bodies of the contraction, pooling and shape computes.

These nn ops read their operands at affine or quasi-affine functions of the output
point: a convolution tap at ``oh * stride + kh * dilation - pad``, a slice at
``start + step * i``, a reshape at the row-major position of the output point split
by the input dims (``divui``/``remui``). The helpers here build that arithmetic with
as few ops as the numbers allow (no ``* 1``, no ``+ 0``), so that ``tensor-to-loop``
and a reader both see the plain affine form. Like the helpers of
:mod:`dlc.lowering.nn_to_tensor.common`, they create their ops at the current
implicit builder: the compute's body inside ``ComputeOp.from_callable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from xdsl.dialects import arith
from xdsl.ir import SSAValue

from dlc.dialects.nn.window import Window2d
from dlc.lowering.nn_to_tensor.common import index_constant


def name_indices(indices: Sequence[SSAValue], names: Sequence[str | None]) -> None:
    """Name a body's index arguments (``%oh``, ``%kh``), so that the IR reads."""
    for index, name in zip(indices, names, strict=True):
        index.name_hint = name


def affine_index(terms: Sequence[tuple[SSAValue, int]], offset: int = 0) -> SSAValue:
    """``sum(index * scale for index, scale in terms) + offset``.

    Negative scales and offsets are subtracted, so a convolution tap with stride 2
    and padding 1, ``affine_index([(oh, 2), (kh, 1)], -1)``, is::

        %c2 = arith.constant 2 : index
        %0 = arith.muli %oh, %c2 : index
        %c1 = arith.constant 1 : index
        %1 = arith.addi %0, %kh : index
        %h = arith.subi %1, %c1 : index
    """
    added = [_scaled(index, scale) for index, scale in terms if scale > 0]
    subtracted = [_scaled(index, -scale) for index, scale in terms if scale < 0]
    if offset > 0:
        added.append(index_constant(offset).result)
    elif offset < 0:
        subtracted.append(index_constant(-offset).result)
    total = added[0] if added else index_constant(0).result
    for value in added[1:]:
        total = arith.AddiOp(total, value).result
    for value in subtracted:
        total = arith.SubiOp(total, value).result
    return total


def _scaled(index: SSAValue, scale: int) -> SSAValue:
    if scale == 1:
        return index
    return arith.MuliOp(index, index_constant(scale)).result


def window_index(
    output: SSAValue,
    tap: SSAValue,
    kernel: int,
    stride: int,
    dilation: int,
    pad_before: int,
) -> SSAValue:
    """The input position of kernel ``tap`` in the window of ``output``, along a dim.

    ``output * stride + tap * dilation - pad_before``, without the tap term for a
    1-wide kernel (its only tap is 0). Outside ``[0, size)`` the position is in the
    padding, which the caller's read covers with a ``pad`` value.
    """
    terms = [(output, stride)]
    if kernel != 1:
        terms.append((tap, dilation))
    return affine_index(terms, -pad_before)


def window_reads_padding(
    window: Window2d, hw: Sequence[int], out_hw: Sequence[int]
) -> bool:
    """Whether some window of an output of size ``out_hw`` taps outside the input.

    Then the read needs a ``pad`` value: the op's padding, or the overhang of a last
    ``ceil_mode`` window. A trailing padding that no window reaches needs none.
    """
    top, left, _, _ = window.padding
    for size, before, out, kernel, stride, dilation in zip(
        hw,
        (top, left),
        out_hw,
        window.kernel,
        window.strides,
        window.dilations,
        strict=True,
    ):
        last_tap = (out - 1) * stride + (kernel - 1) * dilation - before
        if out > 0 and (before > 0 or last_tap >= size):
            return True
    return False


def linearize(indices: Sequence[SSAValue], shape: Sequence[int]) -> SSAValue:
    """The row-major position of the point ``indices`` in ``shape`` (Horner's rule).

    ``linearize([a, b, c], [2, 3, 4])`` is ``(a * 3 + b) * 4 + c``.
    """
    position = indices[0]
    for index, size in zip(indices[1:], shape[1:], strict=True):
        scaled = arith.MuliOp(position, index_constant(size)).result
        position = arith.AddiOp(scaled, index).result
    return position


def delinearize(position: SSAValue, shape: Sequence[int]) -> list[SSAValue]:
    """The point of ``shape`` at row-major ``position``: ``position / stride % size``.

    The first dim needs no ``remui`` (the position is in range) and the last no
    ``divui`` (its stride is 1); ``delinearize(p, [4, 6])`` is ``[p / 6, p % 6]``.
    """
    indices: list[SSAValue] = []
    for dim, size in enumerate(shape):
        stride = prod(shape[dim + 1 :])
        index = position
        if stride != 1:
            index = arith.DivUIOp(index, index_constant(stride)).result
        if dim != 0:
            index = arith.RemUIOp(index, index_constant(size)).result
        indices.append(index)
    return indices


def reshape_groups(
    source: Sequence[int], target: Sequence[int]
) -> list[tuple[list[int], list[int]]]:
    """Pair runs of ``source`` dims with runs of ``target`` dims of equal size.

    Both shapes hold the same elements and no dim of size 1 (size-1 dims carry no
    index). Reshaping 128x256 to 128x4x64 pairs ``[0]`` with ``[0]`` and ``[1]``
    with ``[1, 2]``: a reshape only mixes the indices within a pair, like MLIR's
    reassociation maps. Returns the dim positions of each pair.
    """
    groups: list[tuple[list[int], list[int]]] = []
    i = j = 0
    while i < len(source):
        source_dims, target_dims = [i], [j]
        source_size, target_size = source[i], target[j]
        i, j = i + 1, j + 1
        while source_size != target_size:
            if source_size < target_size:
                source_dims.append(i)
                source_size *= source[i]
                i += 1
            else:
                target_dims.append(j)
                target_size *= target[j]
                j += 1
        groups.append((source_dims, target_dims))
    return groups


def reshape_indices(
    output: Sequence[SSAValue], output_shape: Sequence[int], input_shape: Sequence[int]
) -> list[SSAValue]:
    """Where the element at ``output`` of a row-major reshape comes from in the input.

    Size-1 input dims are read at 0 and size-1 output dims are ignored; the other
    dims are paired by :func:`reshape_groups`, and each pair is linearized over its
    output dims and split over its input dims. A pair of two equal dims is the
    index itself, so reshapes that only add or drop unit dims (squeeze, unsqueeze)
    are plain index copies. An empty tensor is never read, so its indices are 0.
    """
    if prod(input_shape) == 0:
        zero = index_constant(0).result
        return [zero] * len(input_shape)
    kept_input = [dim for dim, size in enumerate(input_shape) if size != 1]
    kept_output = [dim for dim, size in enumerate(output_shape) if size != 1]
    indices: dict[int, SSAValue] = {}
    for source, target in reshape_groups(
        [input_shape[dim] for dim in kept_input],
        [output_shape[dim] for dim in kept_output],
    ):
        target_dims = [kept_output[k] for k in target]
        position = linearize(
            [output[dim] for dim in target_dims],
            [output_shape[dim] for dim in target_dims],
        )
        source_dims = [kept_input[k] for k in source]
        split = delinearize(position, [input_shape[dim] for dim in source_dims])
        indices.update(zip(source_dims, split, strict=True))
    if len(indices) < len(input_shape):
        zero = index_constant(0).result
        return [indices.get(dim, zero) for dim in range(len(input_shape))]
    return [indices[dim] for dim in range(len(input_shape))]
