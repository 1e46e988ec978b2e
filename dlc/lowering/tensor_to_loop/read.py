"""tensor.read -> memref.load, with padded reads that never load out of bounds.

A plain read is a load at the same indices. A padded read may name any index, so
each dim that might be outside the tensor gets a check, the load happens at a safe
index, and the pad value replaces what it loaded when the point is outside::

    %v = tensor.read %x[%n, %h] pad 0.0 : tensor<1x8xf32>

becomes (``%n`` is a loop over [0, 1), so only ``%h`` needs a check)::

    %inside = arith.cmpi ult, %h, %c8 : index     // also false for negative %h
    %safe = arith.select %inside, %h, %c0 : index
    %loaded = memref.load %x[%n, %safe] : memref<1x8xf32>
    %v = arith.select %inside, %loaded, %cst : f32

An unsigned comparison with the extent checks both bounds at once, because a
negative index is a huge unsigned one; with several checked dims, the checks are
combined with ``arith.andi``. Which dims need a check comes from
:class:`IndexRanges`, a small interval analysis of the index arithmetic that
nn-to-tensor writes (loop indices, constants, +, -, *, divui, remui). A padded
read of an empty tensor is its pad value.
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute, SSAValue

from dlc.dialects.loop import constant_index
from dlc.dialects.tensor import ReadOp
from dlc.lowering.tensor_to_loop.constants import ScalarConstants

IndexRange = tuple[int, int]
"""The smallest and the largest value an index can take, both included."""


def _add(lhs: IndexRange, rhs: IndexRange) -> IndexRange:
    return lhs[0] + rhs[0], lhs[1] + rhs[1]


def _sub(lhs: IndexRange, rhs: IndexRange) -> IndexRange:
    return lhs[0] - rhs[1], lhs[1] - rhs[0]


def _mul(lhs: IndexRange, rhs: IndexRange) -> IndexRange:
    products = [a * b for a in lhs for b in rhs]
    return min(products), max(products)


def _divui(lhs: IndexRange, rhs: IndexRange) -> IndexRange | None:
    if lhs[0] < 0 or rhs[0] <= 0:
        return None
    return lhs[0] // rhs[1], lhs[1] // rhs[0]


def _remui(lhs: IndexRange, rhs: IndexRange) -> IndexRange | None:
    if lhs[0] < 0 or rhs[0] <= 0:
        return None
    return 0, min(lhs[1], rhs[1] - 1)


_RANGE_RULES: dict[type, Callable[[IndexRange, IndexRange], IndexRange | None]] = {
    arith.AddiOp: _add,
    arith.SubiOp: _sub,
    arith.MuliOp: _mul,
    arith.DivUIOp: _divui,
    arith.RemUIOp: _remui,
}


class IndexRanges:
    """The values an index can take, for loop indices and arithmetic on them.

    Ranges are those of the mathematical integers: index arithmetic in a compute
    body works on small values, far from wrapping around.
    """

    def __init__(self) -> None:
        self._known: dict[SSAValue, IndexRange | None] = {}

    def bind(self, index: SSAValue, extent: int) -> None:
        """``index`` runs over ``[0, extent)``."""
        self._known[index] = (0, extent - 1)

    def of(self, value: SSAValue) -> IndexRange | None:
        """The range of ``value``, or None when the analysis cannot bound it."""
        if value not in self._known:
            self._known[value] = self._compute(value)
        return self._known[value]

    def _compute(self, value: SSAValue) -> IndexRange | None:
        constant = constant_index(value)
        if constant is not None:
            return constant, constant
        owner = value.owner
        rule = _RANGE_RULES.get(type(owner))
        if rule is None or not isinstance(owner, arith.SignlessIntegerBinaryOperation):
            return None
        lhs, rhs = self.of(owner.lhs), self.of(owner.rhs)
        if lhs is None or rhs is None:
            return None
        return rule(lhs, rhs)

    def within(self, value: SSAValue, extent: int) -> bool:
        """Whether ``value`` is surely in ``[0, extent)``."""
        bounds = self.of(value)
        return bounds is not None and 0 <= bounds[0] and bounds[1] < extent


def lower_read(
    read: ReadOp,
    buffer: SSAValue,
    builder: Builder,
    ranges: IndexRanges,
    constants: ScalarConstants,
) -> SSAValue:
    """The loaded value of ``read`` from ``buffer``, built at ``builder``."""
    indices = list(read.indices)
    tensor_type = read.tensor.type
    assert isinstance(tensor_type, TensorType)
    shape: tuple[int, ...] = tuple(tensor_type.get_shape())
    pad: Attribute | None = read.pad
    if pad is None:
        return _load(builder, buffer, indices, read)
    if 0 in shape:
        return constants.get(pad)
    checks: list[SSAValue] = []
    for dim, (index, extent) in enumerate(zip(indices, shape, strict=True)):
        if ranges.within(index, extent):
            continue
        inside = builder.insert(
            arith.CmpiOp(index, constants.index(extent), "ult")
        ).result
        inside.name_hint = "inside"
        safe = builder.insert(arith.SelectOp(inside, index, constants.index(0))).result
        safe.name_hint = "safe"
        indices[dim] = safe
        checks.append(inside)
    loaded = _load(builder, buffer, indices, read)
    if not checks:
        return loaded
    loaded.name_hint = "loaded"
    in_bounds = checks[0]
    for check in checks[1:]:
        in_bounds = builder.insert(arith.AndIOp(in_bounds, check)).result
        in_bounds.name_hint = "inside"
    value = builder.insert(arith.SelectOp(in_bounds, loaded, constants.get(pad)))
    value.result.name_hint = read.result.name_hint
    return value.result


def _load(
    builder: Builder, buffer: SSAValue, indices: list[SSAValue], read: ReadOp
) -> SSAValue:
    load = builder.insert(memref.LoadOp.get(buffer, indices))
    load.res.name_hint = read.result.name_hint
    return load.res
