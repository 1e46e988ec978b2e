"""Lane-level building blocks for LLVM vectors: splat, extract, insert, reduce.

xDSL's llvm dialect has ``llvm.insertelement`` and ``llvm.shufflevector`` but no
``llvm.extractelement``; a lane is extracted as a one-lane shuffle bitcast to the
scalar, which LLVM folds back into ``extractelement``::

    %l = llvm.shufflevector %v, %v [3] : vector<8xf32>
    %x = llvm.bitcast %l : vector<1xf32> to f32
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from xdsl.dialects import llvm
from xdsl.dialects.builtin import DenseArrayBase, VectorType, i32
from xdsl.ir import Attribute, Operation, SSAValue

from dlc.lowering.llvm_patterns.conversion import i32_constant

Combine = Callable[[SSAValue, SSAValue], Operation]
"""Builds the op that combines two vectors lane by lane."""


def vector_width(type_: Attribute) -> int:
    assert isinstance(type_, VectorType)
    return type_.get_shape()[0]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


def _shuffle(vector: SSAValue, lanes: Sequence[int]) -> llvm.ShuffleVectorOp:
    assert isinstance(vector.type, VectorType)
    element = vector.type.element_type  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    mask, result_type = _shuffle_attributes(tuple(lanes), element)  # pyright: ignore[reportUnknownArgumentType]
    return llvm.ShuffleVectorOp(vector, vector, mask, result_type)


@cache
def _shuffle_attributes(
    lanes: tuple[int, ...], element: Attribute
) -> tuple[DenseArrayBase, VectorType]:
    """The mask and result type of a shuffle, made once per mask (every splat
    and reduction builds the same few)."""
    return DenseArrayBase.from_list(i32, lanes), VectorType(element, [len(lanes)])


def splat(scalar: SSAValue, vector_type: VectorType) -> list[Operation]:
    """Ops that copy ``scalar`` into every lane; the last one gives the vector."""
    undef = llvm.UndefOp(vector_type)
    zero = i32_constant(0)
    first = llvm.InsertElementOp(undef, scalar, zero)
    broadcast = _shuffle(first.res, [0] * vector_width(vector_type))
    return [undef, zero, first, broadcast]


def extract_lane(vector: SSAValue, lane: int) -> list[Operation]:
    """Ops that read one lane of ``vector``; the last one gives the scalar."""
    assert isinstance(vector.type, VectorType)
    one_lane = _shuffle(vector, [lane])
    return [one_lane, llvm.BitcastOp(one_lane.res, vector.type.element_type)]  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def insert_lane(vector: SSAValue, scalar: SSAValue, lane: int) -> list[Operation]:
    """Ops that write ``scalar`` into one lane; the last one gives the vector."""
    index = i32_constant(lane)
    return [index, llvm.InsertElementOp(vector, scalar, index)]


def reduce_lanes(vector: SSAValue, combine: Combine) -> list[Operation]:
    """A tree reduction of all lanes; the last op gives the scalar.

    Each level combines the low half with the high half, so a W-lane vector takes
    log2(W) combines; the lane order is the one ``loop.vreduce`` leaves open.
    """
    ops: list[Operation] = []
    current = vector
    width = vector_width(vector.type)
    while width > 1:
        half = width // 2
        low = _shuffle(current, range(half))
        high = _shuffle(current, range(half, width))
        combined = combine(low.res, high.res)
        ops += [low, high, combined]
        current = combined.results[0]
        width = half
    assert isinstance(current.type, VectorType)
    ops.append(llvm.BitcastOp(current, current.type.element_type))  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    return ops


def map_lanes(
    vector: SSAValue, scalar_ops: Callable[[SSAValue], list[Operation]]
) -> list[Operation]:
    """Apply a scalar computation to each lane; the last op gives the vector.

    For the functions LLVM has no vector form of (libm's ``erff``, ...).
    """
    ops: list[Operation] = [llvm.UndefOp(vector.type)]
    result = ops[0].results[0]
    for lane in range(vector_width(vector.type)):
        ops += extract_lane(vector, lane)
        ops += scalar_ops(ops[-1].results[0])
        ops += insert_lane(result, ops[-1].results[0], lane)
        result = ops[-1].results[0]
    return ops
