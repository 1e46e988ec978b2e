"""Shape nn ops: ops that move, select or repeat elements without computing new ones.

Single-input ops print the input and the result type, their integer lists go in the
attribute dictionary::

    %t = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<4x8xf32> -> tensor<8x4xf32>
    %s = nn.slice %x {starts = array<i64: -1>, ends = array<i64: -9>,
                      steps = array<i64: -1>} : tensor<8xf32> -> tensor<8xf32>

``nn.concat`` takes any number (at least one) of inputs::

    %c = nn.concat %a, %b {axis = 1}
        : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>

The meaning follows ONNX (Reshape, Transpose, Flatten, Squeeze, Unsqueeze, Expand,
Slice, Pad, Concat) with static shapes only; the numpy reference implementations are
in :mod:`dlc.interpreter.nn.shape`. Moving elements needs no arithmetic, so these ops
take tensors of every nn element type: floats, booleans (``i1``) and integers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from math import prod

from xdsl.dialects.builtin import StringAttr, TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    var_operand_def,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    OPERANDS_FORMAT,
    SINGLE_INPUT_FORMAT,
    NNOp,
    Shape,
    as_any_tensor,
    broadcast_shapes,
    cast_scalar,
    describe,
    error_in_op,
    f64_attr,
    float_property,
    i64_attr,
    int_property,
    ints_property,
    normalize_axis,
    same_element_type,
    shape_of,
    string_property,
    tensor_of,
)


def _axis(op_name: str, axis: int, rank: int, what: str, input: TensorType) -> int:
    """normalize_axis, with the op and its input named in the error."""
    try:
        return normalize_axis(axis, rank, what)
    except VerifyException as error:
        raise VerifyException(f"{op_name}: {error}, input {describe(input)}") from None


def _unique_axes(
    op_name: str, axes: Sequence[int], rank: int, input: TensorType
) -> list[int]:
    """Normalize a list of axes and check that no axis appears twice."""
    normalized = [_axis(op_name, a, rank, "axis", input) for a in axes]
    if len(set(normalized)) != len(normalized):
        raise VerifyException(
            f"{op_name}: axes {list(axes)} name an axis twice (normalized "
            f"{normalized}), input {describe(input)}"
        )
    return normalized


class SingleInputShapeOp(NNOp):
    """A shape op with one input; subclasses compute the result shape."""

    input = operand_def(TensorType)
    result = result_def(TensorType)

    assembly_format = SINGLE_INPUT_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input = as_any_tensor(operand_types[0], f"{cls.name} input")
        try:
            shape = cls.result_shape(input, properties)
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        return tensor_of(shape, input.element_type)

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        raise NotImplementedError(f"{cls.name} does not compute its result shape")


def shape_property(op_name: str, properties: Mapping[str, Attribute]) -> Shape:
    """The ``shape`` property of reshape and broadcast_to: dims of a static shape."""
    shape = ints_property(properties, "shape")
    if any(dim < 0 for dim in shape):
        raise VerifyException(
            f"{op_name}: shape {list(shape)} must have non-negative dimensions"
        )
    return shape


@irdl_op_definition
class ReshapeOp(SingleInputShapeOp):
    """The same elements, in row-major order, viewed with a new static shape::

    %r = nn.reshape %x {shape = array<i64: 2, 6>}
        : tensor<3x4xf32> -> tensor<2x6xf32>
    """

    name = "nn.reshape"
    shape = prop_def(Attribute)

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        shape = shape_property(cls.name, properties)
        if prod(shape) != prod(shape_of(input)):
            raise VerifyException(
                f"{cls.name}: shape {list(shape)} has {prod(shape)} elements, "
                f"but input {describe(input)} has {prod(shape_of(input))}"
            )
        return shape


@irdl_op_definition
class TransposeOp(SingleInputShapeOp):
    """Permute the dimensions: result dimension i is input dimension perm[i]::

    %t = nn.transpose %x {perm = array<i64: 1, 0>}
        : tensor<4x8xf32> -> tensor<8x4xf32>
    """

    name = "nn.transpose"
    perm = prop_def(Attribute)

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        shape = shape_of(input)
        perm = cls.normalized_perm(input, properties)
        return tuple(shape[p] for p in perm)

    @classmethod
    def normalized_perm(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> tuple[int, ...]:
        """The permutation with negative entries made non-negative."""
        perm = ints_property(properties, "perm")
        rank = len(shape_of(input))
        if len(perm) != rank:
            raise VerifyException(
                f"{cls.name}: perm {list(perm)} has {len(perm)} entries, expected one "
                f"per dimension of input {describe(input)} ({rank})"
            )
        normalized = tuple(_axis(cls.name, p, rank, "perm entry", input) for p in perm)
        if sorted(normalized) != list(range(rank)):
            raise VerifyException(
                f"{cls.name}: perm {list(perm)} must be a permutation of "
                f"{list(range(rank))}, input {describe(input)}"
            )
        return normalized


@irdl_op_definition
class FlattenOp(SingleInputShapeOp):
    """Collapse to 2-D: [prod(dims[:axis]), prod(dims[axis:])], axis in [-rank, rank].

    ``axis`` defaults to 1::

        %f = nn.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
        %g = nn.flatten %x {axis = 0} : tensor<2x3x4xf32> -> tensor<1x24xf32>
    """

    name = "nn.flatten"
    axis = opt_prop_def(Attribute, i64_attr(1))

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        shape = shape_of(input)
        axis = int_property(properties, "axis", 1)
        rank = len(shape)
        if not -rank <= axis <= rank:
            raise VerifyException(
                f"{cls.name}: axis {axis} is out of range for input {describe(input)} "
                f"(expected {-rank} <= axis <= {rank})"
            )
        axis = axis + rank if axis < 0 else axis
        return (prod(shape[:axis]), prod(shape[axis:]))


@irdl_op_definition
class SqueezeOp(SingleInputShapeOp):
    """Remove the listed dimensions, each of which must have size 1::

    %s = nn.squeeze %x {axes = array<i64: 0, -1>}
        : tensor<1x4x1xf32> -> tensor<4xf32>
    """

    name = "nn.squeeze"
    axes = prop_def(Attribute)

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        shape = shape_of(input)
        axes = _unique_axes(
            cls.name, ints_property(properties, "axes"), len(shape), input
        )
        for axis in axes:
            if shape[axis] != 1:
                raise VerifyException(
                    f"{cls.name}: cannot squeeze dimension {axis} of size "
                    f"{shape[axis]} (expected size 1), input {describe(input)}"
                )
        return tuple(dim for i, dim in enumerate(shape) if i not in axes)


@irdl_op_definition
class UnsqueezeOp(SingleInputShapeOp):
    """Insert size-1 dimensions; the axes are positions in the result (as in ONNX)::

    %u = nn.unsqueeze %x {axes = array<i64: 0, -1>}
        : tensor<4xf32> -> tensor<1x4x1xf32>
    """

    name = "nn.unsqueeze"
    axes = prop_def(Attribute)

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        axes = ints_property(properties, "axes")
        rank = len(shape_of(input)) + len(axes)
        inserted = _unique_axes(cls.name, axes, rank, input)
        dims = iter(shape_of(input))
        return tuple(1 if i in inserted else next(dims) for i in range(rank))


@irdl_op_definition
class BroadcastToOp(SingleInputShapeOp):
    """Repeat the input to ``shape`` by numpy broadcasting rules::

    %b = nn.broadcast_to %x {shape = array<i64: 2, 3>}
        : tensor<3xf32> -> tensor<2x3xf32>
    """

    name = "nn.broadcast_to"
    shape = prop_def(Attribute)

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        shape = shape_property(cls.name, properties)
        if broadcast_shapes(shape_of(input), shape) != shape:
            raise VerifyException(
                f"{cls.name}: input {describe(input)} does not broadcast to shape "
                f"{list(shape)}"
            )
        return shape


def slice_ranges(
    op_name: str, input: TensorType, properties: Mapping[str, Attribute]
) -> tuple[range, ...]:
    """The input indices an ONNX Slice keeps along every dimension.

    Negative starts and ends count from the end of the dimension. Then, for a positive
    step, start and end are clamped to [0, dim]; for a negative step, start is
    clamped to [0, dim - 1] and end to [-1, dim - 1], where -1 means "past the first
    element". The kept indices are ``range(start, end, step)``.
    """
    shape = shape_of(input)
    starts = ints_property(properties, "starts")
    ends = ints_property(properties, "ends")
    axes = ints_property(properties, "axes", range(len(starts)))
    steps = ints_property(properties, "steps", [1] * len(starts))
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise VerifyException(
            f"{op_name}: starts {list(starts)}, ends {list(ends)}, axes {list(axes)} "
            f"and steps {list(steps)} must have the same length"
        )
    ranges = [range(dim) for dim in shape]
    normalized = _unique_axes(op_name, axes, len(shape), input)
    for axis, start, end, step in zip(normalized, starts, ends, steps, strict=True):
        if step == 0:
            raise VerifyException(
                f"{op_name}: step for axis {axis} must not be 0, steps {list(steps)}"
            )
        dim = shape[axis]
        start = start + dim if start < 0 else start
        end = end + dim if end < 0 else end
        if step > 0:
            start, end = min(max(start, 0), dim), min(max(end, 0), dim)
        else:
            start, end = min(max(start, 0), dim - 1), min(max(end, -1), dim - 1)
        ranges[axis] = range(start, end, step)
    return tuple(ranges)


@irdl_op_definition
class SliceOp(SingleInputShapeOp):
    """Select ``range(start, end, step)`` along some axes, with ONNX Slice semantics.

    ``axes`` defaults to [0, len(starts)), ``steps`` to all ones; see
    :func:`slice_ranges` for the clamping rules::

        %s = nn.slice %x {starts = array<i64: 1>, ends = array<i64: 100>,
                          axes = array<i64: -1>} : tensor<2x5xf32> -> tensor<2x4xf32>
    """

    name = "nn.slice"
    starts = prop_def(Attribute)
    ends = prop_def(Attribute)
    axes = opt_prop_def(Attribute)
    steps = opt_prop_def(Attribute)

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        return tuple(len(r) for r in slice_ranges(cls.name, input, properties))


PAD_MODES = ("constant", "edge", "reflect")


@irdl_op_definition
class PadOp(SingleInputShapeOp):
    """Grow each dimension by pads[i] elements before and pads[rank + i] after.

    ``mode`` says what the new elements are: ``value`` ("constant"), a copy of the
    nearest edge element ("edge"), or a mirror image that does not repeat the edge
    ("reflect", which needs pads smaller than the dimension)::

        %p = nn.pad %x {pads = array<i64: 0, 1, 0, 2>, mode = "reflect"}
            : tensor<2x3xf32> -> tensor<2x6xf32>

    ``value`` is an f64 property; an integer or boolean tensor is padded with it
    converted as ``nn.cast`` converts (:meth:`pad_value`).
    """

    name = "nn.pad"
    pads = prop_def(Attribute)
    mode = opt_prop_def(Attribute, StringAttr(PAD_MODES[0]))
    value = opt_prop_def(Attribute, f64_attr(0.0))

    @classmethod
    def result_shape(
        cls, input: TensorType, properties: Mapping[str, Attribute]
    ) -> Shape:
        shape = shape_of(input)
        rank = len(shape)
        pads = ints_property(properties, "pads")
        mode = string_property(properties, "mode", "constant")
        value = float_property(properties, "value", 0.0)
        if len(pads) != 2 * rank:
            raise VerifyException(
                f"{cls.name}: pads {list(pads)} has {len(pads)} entries, expected "
                f"{2 * rank} (begin and end for each dimension of input "
                f"{describe(input)})"
            )
        if any(p < 0 for p in pads):
            raise VerifyException(f"{cls.name}: pads {list(pads)} must be non-negative")
        if mode not in PAD_MODES:
            raise VerifyException(
                f'{cls.name}: mode must be "constant", "edge" or "reflect", '
                f'got "{mode}"'
            )
        if mode != "constant" and value != 0.0:
            raise VerifyException(
                f'{cls.name}: value {value} is only used by mode "constant", '
                f'but mode is "{mode}"'
            )
        for axis, dim in enumerate(shape):
            before, after = pads[axis], pads[rank + axis]
            if mode == "edge" and dim == 0 and (before or after):
                raise VerifyException(
                    f'{cls.name}: mode "edge" cannot pad dimension {axis} of size 0, '
                    f"input {describe(input)}"
                )
            if mode == "reflect" and (before or after) and max(before, after) >= dim:
                raise VerifyException(
                    f'{cls.name}: mode "reflect" needs pads smaller than the '
                    f"dimension, but dimension {axis} of size {dim} has pads {before} "
                    f"before and {after} after, input {describe(input)}"
                )
        return tuple(dim + pads[i] + pads[rank + i] for i, dim in enumerate(shape))

    def pad_value(self) -> float | int:
        """The new elements of mode "constant", in the input's element type."""
        input_type = self.input.type
        assert isinstance(input_type, TensorType)
        value = float_property(self.properties, "value", 0.0)
        return cast_scalar(value, input_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


@irdl_op_definition
class ConcatOp(NNOp):
    """Join one or more tensors along ``axis``; all other dimensions must agree::

    %c = nn.concat %a, %b {axis = -1}
        : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    """

    name = "nn.concat"
    inputs = var_operand_def(TensorType)
    result = result_def(TensorType)
    axis = prop_def(Attribute)

    assembly_format = "$inputs " + OPERANDS_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        if not operand_types:
            raise VerifyException(f"{cls.name}: expected at least one input, got none")
        inputs = [
            as_any_tensor(t, f"{cls.name} input {i}")
            for i, t in enumerate(operand_types)
        ]
        element = same_element_type(inputs, cls.name)
        first = shape_of(inputs[0])
        try:
            written_axis = int_property(properties, "axis")
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        axis = _axis(cls.name, written_axis, len(first), "axis", inputs[0])
        for i, input in enumerate(inputs[1:], start=1):
            shape = shape_of(input)
            if len(shape) != len(first) or any(
                a != b
                for d, (a, b) in enumerate(zip(shape, first, strict=True))
                if d != axis
            ):
                raise VerifyException(
                    f"{cls.name}: input {i} {describe(input)} must match input 0 "
                    f"{describe(inputs[0])} in every dimension but axis {axis}"
                )
        total = sum(shape_of(t)[axis] for t in inputs)
        return tensor_of((*first[:axis], total, *first[axis + 1 :]), element)


SHAPE_OPS = [
    ReshapeOp,
    TransposeOp,
    FlattenOp,
    SqueezeOp,
    UnsqueezeOp,
    BroadcastToOp,
    SliceOp,
    PadOp,
    ConcatOp,
]
