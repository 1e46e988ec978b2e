"""Shape ops: Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Expand, Slice, Pad,
Concat, Split, Tile, Gather, Resize.

ONNX passes shapes, axes, bounds and pads as tensor inputs; nn takes them as
properties, so those inputs must be constants (folded shape subgraphs count), and
the static result shape is computed here where ONNX leaves it to run time::

    Reshape(x: 2x3x4, shape = [0, -1])
    %y = nn.reshape %x {shape = array<i64: 2, 12>}
        : tensor<2x3x4xf32> -> tensor<2x12xf32>

    Split(x: 6x4, split = [2, 4]) {axis = 0}
    %a = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 2>,
                      axes = array<i64: 0>} : tensor<6x4xf32> -> tensor<2x4xf32>
    %b = nn.slice %x {starts = array<i64: 2>, ends = array<i64: 6>,
                      axes = array<i64: 0>} : tensor<6x4xf32> -> tensor<4x4xf32>

An op that would not change its input (a reshape to the same shape, an expand or
tile that repeats nothing) forwards the input instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

import numpy as np
from xdsl.ir import SSAValue

from dlc.dialects.nn.base import broadcast_shapes
from dlc.frontends.onnx.node import ConverterTable, NodeContext
from dlc.frontends.onnx.problems import Unsupported

CONVERTERS = ConverterTable()


@CONVERTERS.register("Reshape")
def convert_reshape(node: NodeContext) -> SSAValue:
    """``nn.reshape`` to the shape with ONNX's 0 (copy the dim) and -1 (infer)."""
    requested = node.constant_ints(1, "shape")
    if requested is None:
        raise Unsupported("input 'shape' is missing")
    shape = reshape_target(
        node.input_shape(0), requested, bool(node.int_attr("allowzero", 0))
    )
    if shape == node.input_shape(0):
        return node.input(0)
    return node.emit("nn.reshape", [node.input(0)], shape=shape)


def reshape_target(
    input_shape: Sequence[int], requested: Sequence[int], allow_zero: bool
) -> tuple[int, ...]:
    dims = [
        input_shape[i] if dim == 0 and not allow_zero else dim
        for i, dim in enumerate(requested)
    ]
    if dims.count(-1) > 1:
        raise Unsupported(f"shape {list(requested)} has more than one -1")
    if -1 in dims:
        known = prod(d for d in dims if d != -1)
        total = prod(input_shape)
        if known == 0 or total % known:
            raise Unsupported(
                f"shape {list(requested)} does not fit an input of shape "
                f"{list(input_shape)}"
            )
        dims[dims.index(-1)] = total // known
    return tuple(dims)


@CONVERTERS.register("Transpose")
def convert_transpose(node: NodeContext) -> SSAValue:
    """``perm`` defaults to the reversed dims."""
    rank = len(node.input_shape(0))
    perm = node.ints_attr("perm") or list(reversed(range(rank)))
    if perm == list(range(rank)):
        return node.input(0)
    return node.emit("nn.transpose", [node.input(0)], perm=perm)


@CONVERTERS.register("Flatten")
def convert_flatten(node: NodeContext) -> SSAValue:
    return node.emit("nn.flatten", [node.input(0)], axis=node.int_attr("axis", 1))


@CONVERTERS.register("Squeeze")
def convert_squeeze(node: NodeContext) -> SSAValue:
    """Without axes, Squeeze removes every dim of size 1."""
    axes = node.ints_input_or_attr(1, "axes")
    if axes is None:
        axes = [i for i, dim in enumerate(node.input_shape(0)) if dim == 1]
    if not axes:
        return node.input(0)
    return node.emit("nn.squeeze", [node.input(0)], axes=axes)


@CONVERTERS.register("Unsqueeze")
def convert_unsqueeze(node: NodeContext) -> SSAValue:
    axes = node.ints_input_or_attr(1, "axes")
    if axes is None:
        raise Unsupported("axes are missing")
    return node.emit("nn.unsqueeze", [node.input(0)], axes=axes)


@CONVERTERS.register("Expand")
def convert_expand(node: NodeContext) -> SSAValue:
    """``nn.broadcast_to`` the broadcast of the input and ``shape`` (ONNX's result
    may be larger than ``shape``)."""
    requested = node.constant_ints(1, "shape")
    assert requested is not None, "Expand's shape is a required input"
    input_shape = node.input_shape(0)
    shape = broadcast_shapes(input_shape, tuple(requested))
    if shape is None:
        raise Unsupported(
            f"input shape {list(input_shape)} does not broadcast with {requested}"
        )
    if shape == input_shape:
        return node.input(0)
    return node.emit("nn.broadcast_to", [node.input(0)], shape=list(shape))


@CONVERTERS.register("Slice")
def convert_slice(node: NodeContext) -> SSAValue:
    """Bounds from constant inputs (attributes before opset 10)."""
    starts = node.ints_input_or_attr(1, "starts")
    ends = node.ints_input_or_attr(2, "ends")
    axes = node.ints_input_or_attr(3, "axes")
    steps = node.constant_ints(4, "steps")
    if starts is None or ends is None:
        raise Unsupported("starts and ends are required")
    return node.emit(
        "nn.slice", [node.input(0)], starts=starts, ends=ends, axes=axes, steps=steps
    )


PAD_MODES = ("constant", "edge", "reflect", "wrap")


@CONVERTERS.register("Pad")
def convert_pad(node: NodeContext) -> SSAValue:
    """``nn.pad``; pads for some ``axes`` (opset 18) are spread over every dim."""
    mode = node.expect("mode", PAD_MODES, "constant")
    rank = len(node.input_shape(0))
    pads = node.ints_input_or_attr(1, "pads")
    if pads is None:
        raise Unsupported("input 'pads' is missing")
    axes = node.constant_ints(3, "axes")
    if axes is not None:
        full = [0] * (2 * rank)
        for i, axis in enumerate(axes):
            full[axis % rank] = pads[i]
            full[rank + axis % rank] = pads[len(axes) + i]
        pads = full
    value = node.constant_float(2, "constant_value")
    if value is None:
        value = node.float_attr("value", 0.0)
    if mode == "wrap":
        return pad_wrap(node, pads)
    if mode != "constant" or value == 0.0:
        value = None
    return node.emit("nn.pad", [node.input(0)], pads=pads, mode=mode, value=value)


def pad_wrap(node: NodeContext, pads: Sequence[int]) -> SSAValue:
    """Pad mode ``wrap`` (position ``j`` of a padded dim reads ``(j - before) mod
    size``): the input tiled enough times to cover both pads, then sliced::

        Pad(x: 2x3, pads = [0, 1, 0, 4]) {mode = "wrap"}
        %t = nn.tile %x {repeats = array<i64: 1, 4>} -> tensor<2x12xf32>
        %y = nn.slice %t {starts = array<i64: 0, 2>, ends = array<i64: 2, 10>, ...}
    """
    shape = node.input_shape(0)
    rank = len(shape)
    repeats: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for size, before, after in zip(shape, pads[:rank], pads[rank:], strict=True):
        if size == 0 and (before or after):
            raise Unsupported("mode = 'wrap' pads a dim of size 0")
        tiles_before = -(-before // size) if before > 0 else 0
        tiles_after = -(-after // size) if after > 0 else 0
        repeats.append(tiles_before + 1 + tiles_after)
        starts.append(tiles_before * size - before)
        ends.append(starts[-1] + before + size + after)
    value = node.input(0)
    if any(r != 1 for r in repeats):
        value = node.emit("nn.tile", [value], repeats=repeats)
    return node.emit(
        "nn.slice", [value], starts=starts, ends=ends, axes=list(range(rank))
    )


@CONVERTERS.register("Concat")
def convert_concat(node: NodeContext) -> SSAValue:
    return node.emit("nn.concat", node.inputs(), axis=node.int_attr("axis", 0))


@CONVERTERS.register("Split")
def convert_split(node: NodeContext) -> list[SSAValue | None]:
    """One ``nn.slice`` per output the graph uses.

    The sizes come from the ``split`` input (an attribute before opset 13), or from
    ``num_outputs`` (opset 18: equal parts, the last one smaller), or are equal.
    """
    shape = node.input_shape(0)
    axis = node.int_attr("axis", 0)
    if not -len(shape) <= axis < len(shape):
        raise Unsupported(f"axis {axis} is out of range for input shape {shape}")
    dim = shape[axis]
    outputs = len(node.proto.output)
    sizes = node.ints_input_or_attr(1, "split")
    if sizes is None:
        parts = node.int_attr("num_outputs", outputs)
        chunk = -(-dim // parts)
        sizes = [chunk] * (parts - 1) + [dim - chunk * (parts - 1)]
    if len(sizes) != outputs or sum(sizes) != dim or min(sizes) < 0:
        raise Unsupported(
            f"split sizes {sizes} do not divide dim {axis} of size {dim} into "
            f"{outputs} outputs"
        )
    results: list[SSAValue | None] = []
    start = 0
    for index, size in enumerate(sizes):
        results.append(
            node.emit(
                "nn.slice",
                [node.input(0)],
                starts=[start],
                ends=[start + size],
                axes=[axis],
            )
            if node.output_used(index)
            else None
        )
        start += size
    return results


@CONVERTERS.register("Tile")
def convert_tile(node: NodeContext) -> SSAValue:
    repeats = node.constant_ints(1, "repeats")
    assert repeats is not None, "Tile's repeats is a required input"
    if all(r == 1 for r in repeats):
        return node.input(0)
    return node.emit("nn.tile", [node.input(0)], repeats=repeats)


@CONVERTERS.register("Gather")
def convert_gather(node: NodeContext) -> SSAValue:
    """``nn.gather``; a constant scalar index is a slice that drops the axis.

    ::

        Gather(x: 4x3x8, 0) {axis = 1}
        %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 1>,
                          axes = array<i64: 1>} : ... -> tensor<4x1x8xf32>
        %y = nn.squeeze %0 {axes = array<i64: 1>} : ... -> tensor<4x8xf32>
    """
    axis = node.int_attr("axis", 0)
    indices = node.constant_input(1, "indices") if node.is_constant(1) else None
    if indices is not None and indices.ndim == 0:
        shape = node.input_shape(0)
        if not -len(shape) <= axis < len(shape):
            raise Unsupported(f"axis {axis} is out of range for input shape {shape}")
        dim = shape[axis]
        index = int(indices)
        if not -dim <= index < dim:
            raise Unsupported(f"index {index} is out of range for a dim of size {dim}")
        index %= dim
        sliced = node.emit(
            "nn.slice",
            [node.input(0)],
            starts=[index],
            ends=[index + 1],
            axes=[axis],
        )
        return node.emit("nn.squeeze", [sliced], axes=[axis])
    return node.emit("nn.gather", [node.input(0), node.input(1)], axis=axis)


RESIZE_MODES = ("nearest", "linear")


@CONVERTERS.register("Resize")
def convert_resize(node: NodeContext) -> SSAValue:
    """``nn.resize`` to static ``sizes``; scales must give whole sizes.

    The coordinate transformation and nearest modes go to nn.resize as they are,
    which rejects those it does not implement.

    nn.resize derives its scale from the sizes, which ONNX does too when it is
    given sizes; given scales, ONNX uses them as they are, so only scales for
    which size * scale is a whole number convert exactly.
    """
    mode = node.expect("mode", RESIZE_MODES, "nearest")
    coordinates = node.str_attr("coordinate_transformation_mode", "half_pixel")
    nearest = node.str_attr("nearest_mode", "round_prefer_floor")
    node.expect("antialias", (0,), 0)
    node.expect("exclude_outside", (0,), 0)
    node.expect("keep_aspect_ratio_policy", ("stretch",), "stretch")
    node.ignore("cubic_coeff_a", "extrapolation_value")
    shape = node.input_shape(0)
    axes = node.ints_attr("axes") or list(range(len(shape)))
    sizes = resize_sizes(node, shape, axes)
    props: dict[str, str | list[int]] = {"mode": mode, "sizes": sizes}
    props["coordinate_transformation_mode"] = coordinates
    if mode == "nearest":
        props["nearest_mode"] = nearest
    return node.emit("nn.resize", [node.input(0)], **props)


def resize_sizes(
    node: NodeContext, shape: Sequence[int], axes: Sequence[int]
) -> list[int]:
    """The full output shape from the ``sizes`` or ``scales`` input over ``axes``."""
    result = list(shape)
    sizes = node.constant_ints(3, "sizes")
    if sizes is not None:
        for axis, size in zip(axes, sizes, strict=True):
            result[axis] = size
        return result
    scales = node.constant_input(2, "scales")
    if scales is None or scales.size == 0:
        raise Unsupported("neither sizes nor scales is given")
    for axis, scale in zip(axes, scales.reshape(-1).tolist(), strict=True):
        size = shape[axis] * scale
        if not np.isclose(size, round(size)):
            raise Unsupported(
                f"scale {scale} of dim {axis} (size {shape[axis]}) does not give "
                "a whole size; give the model sizes instead of scales"
            )
        result[axis] = round(size)
    return result
