"""Building blocks shared by the nn-to-tensor patterns.

Every pattern builds ``tensor.compute`` ops whose bodies read the nn op's operands at
index expressions. Three shapes of compute cover most nn ops:

* an **elementwise** compute (:func:`elementwise_compute`): each operand is read at
  the output point, numpy-broadcast (:func:`read_broadcast`), and one scalar function
  combines the values;
* a **reduction** (:func:`reduction_compute`): a domain, some of whose dims are
  reduced; the term is built from the full domain point, and the result keeps the
  other dims (or keeps the reduced ones as size 1);
* an epilogue that reads a reduced tensor back at a domain point
  (:func:`reduced_indices`), as softmax reads its max.

Scalars in bodies take the element type of the tensors (f16, f32 or f64), so
constants are made with :func:`float_constant`. All helpers create their ops at the
current implicit builder, which is the compute's body inside
``ComputeOp.from_callable``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from xdsl.dialects import arith
from xdsl.dialects.builtin import IndexType, IntegerAttr, TensorType
from xdsl.ir import Attribute, Operation, SSAValue

from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp, scalar_attr

Scalar: TypeAlias = SSAValue | Operation
"""A value a body builder returns: an SSA value, or the op that defines it."""


def tensor_type(value: SSAValue) -> TensorType:
    """The static tensor type of an nn operand or result."""
    value_type = value.type
    assert isinstance(value_type, TensorType), f"expected a tensor, got {value_type}"
    return value_type  # pyright: ignore[reportUnknownVariableType]


def shape_of(value: SSAValue) -> tuple[int, ...]:
    return tuple(tensor_type(value).get_shape())


def element_type_of(value: SSAValue) -> Attribute:
    return tensor_type(value).element_type


def index_constant(value: int) -> arith.ConstantOp:
    """``arith.constant <value> : index``, e.g. the 0 of a broadcast read."""
    return arith.ConstantOp(IntegerAttr(value, IndexType()))


def float_constant(value: float, element_type: Attribute) -> arith.ConstantOp:
    """A scalar constant of the tensors' float element type (f16, f32 or f64)."""
    return arith.ConstantOp(scalar_attr(float(value), element_type))


def broadcast_indices(
    operand_shape: Sequence[int],
    indices: Sequence[SSAValue],
    result_shape: Sequence[int],
) -> list[SSAValue]:
    """The indices of the operand element that numpy broadcasting maps to a point.

    ``indices`` is a point of ``result_shape``; the operand's shape is aligned to it
    at the right, its missing leading dims are dropped, and a size-1 dim that the
    result stretches is read at a constant 0. Dims of equal size keep their index.
    """
    offset = len(result_shape) - len(operand_shape)
    assert offset >= 0 and len(indices) == len(result_shape)
    stretched = [
        size == 1 and result_shape[offset + dim] != 1
        for dim, size in enumerate(operand_shape)
    ]
    zero = index_constant(0).result if any(stretched) else None
    return [
        zero if stretch and zero is not None else indices[offset + dim]
        for dim, stretch in enumerate(stretched)
    ]


def read_broadcast(
    tensor: SSAValue, indices: Sequence[SSAValue], result_shape: Sequence[int]
) -> ReadOp:
    """Read ``tensor`` at the point ``indices`` of a result it broadcasts to."""
    return ReadOp(tensor, broadcast_indices(shape_of(tensor), indices, result_shape))


def elementwise_compute(
    result_type: TensorType,
    operands: Sequence[SSAValue],
    scalar: Callable[..., Scalar],
) -> ComputeOp:
    """A compute applying ``scalar`` to the operands' elements at each point.

    Each operand is read with numpy broadcasting to ``result_type``'s shape, and
    ``scalar(*values)`` builds the element from the values read::

        elementwise_compute(type, [a, b], lambda x, y: arith.AddfOp(x, y))
    """
    result_shape = tuple(result_type.get_shape())

    def body(*indices: SSAValue) -> Scalar:
        values = [read_broadcast(v, indices, result_shape).result for v in operands]
        return scalar(*values)

    return ComputeOp.from_callable(result_type, body)


def reduction_compute(
    result_type: TensorType,
    domain_shape: Sequence[int],
    axes: Sequence[int],
    term: Callable[[Sequence[SSAValue]], Scalar],
    *,
    combiner: Combiner = Combiner.ADD,
    keepdims: bool = False,
) -> ComputeOp:
    """A compute folding ``term`` with ``combiner`` over ``axes`` of ``domain_shape``.

    ``term`` receives a full point of the domain (one index per domain dim, reduced
    dims included) and builds the value to fold there. The result's dims are the
    domain's other dims in order or, with ``keepdims``, all of them with the reduced
    ones as size 1. ``axes`` are in [0, rank). The init is the combiner's identity
    (0 for add, -inf for max). A reduce_sum over axis 1 of a 4x5 input::

        reduction_compute(tensor<4xf32>, [4, 5], [1], lambda p: ReadOp(x, p))

    builds ``tensor.compute (%i) reduce add (%j) in [5] init 0.0``.
    """
    reduced = sorted(axes)
    extents = [domain_shape[axis] for axis in reduced]

    def body(*indices: SSAValue) -> Scalar:
        output = list(indices[: len(indices) - len(reduced)])
        reduction = dict(zip(reduced, indices[len(output) :], strict=True))
        kept = iter(output)
        point: list[SSAValue] = []
        for dim in range(len(domain_shape)):
            if keepdims:
                point.append(reduction.get(dim, output[dim]))
            else:
                point.append(reduction[dim] if dim in reduction else next(kept))
        return term(point)

    return ComputeOp.from_callable(
        result_type, body, reduce_extents=extents, combiner=combiner
    )


def reduced_indices(
    point: Sequence[SSAValue], axes: Sequence[int], *, keepdims: bool = False
) -> list[SSAValue]:
    """Where a domain point lands in a tensor reduced over ``axes``.

    The inverse direction of :func:`reduction_compute`: the reduced dims are left
    out or, with ``keepdims``, read at a constant 0.
    """
    if not keepdims or not axes:
        return [index for dim, index in enumerate(point) if dim not in axes]
    zero = index_constant(0).result
    return [zero if dim in axes else index for dim, index in enumerate(point)]
