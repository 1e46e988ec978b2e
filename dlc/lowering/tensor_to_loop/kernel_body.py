"""Clone a compute's body at one point of the kernel, once per register offset.

The register-tiled kernel computes a block of output points at once: ``mr``
rows of one loop, ``nv`` vectors of ``width`` lanes of the vector loop, and so
on. :class:`BodyEmitter` clones each body op once per combination of offsets of
the register loops *it depends on*, so what does not vary along a loop is
computed once for that loop. In a 2x2 matmul block (rows ``i``, vectors ``j``)::

    %a = tensor.read %x[%i, %k]     ->  2 loads (i, i + 1), splat where needed
    %b = tensor.read %w[%k, %j]     ->  2 vector loads (j, j + 16)
    %p = arith.mulf %a, %b          ->  4 vector mulf (or loop.fma in the kernel)

Along the vector loop a float value is a ``vector<width x T>`` and an index is
the one of lane 0; :mod:`.kernel_plan` has checked that every read and op the
emitter meets allows this. With ``width = 1`` everything stays scalar (the
scalar tail of the vector loop, and the pack nests).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import FloatAttr, IndexType, IntegerAttr, VectorType
from xdsl.ir import Attribute, BlockArgument, Operation, SSAValue

from dlc.dialects import loop
from dlc.dialects.tensor import ReadOp
from dlc.lowering.tensor_to_loop.constants import ScalarConstants
from dlc.lowering.tensor_to_loop.kernel_plan import Access, KernelPlan
from dlc.lowering.tensor_to_loop.read import IndexRanges, lower_read

Key = Mapping[int, int]
"""The offset of each register loop from its block start, in points."""


class BodyEmitter:
    """Builds body values at ``builder`` for one point of the kernel.

    ``base`` gives, for each loop, its index (a register loop: the start of its
    block). ``buffers`` maps each tensor the body reads to its buffer, and
    ``staged`` each packed or expanded read to the buffer made for it. With
    ``packing``, every read is loaded from its tensor, as the pack nests need.
    """

    def __init__(
        self,
        plan: KernelPlan,
        builder: Builder,
        constants: ScalarConstants,
        buffers: Mapping[SSAValue, SSAValue],
        staged: Mapping[ReadOp, SSAValue],
        base: Mapping[int, SSAValue],
        width: int,
        *,
        packing: bool = False,
        outer: BodyEmitter | None = None,
    ):
        self.plan = plan
        self.builder = builder
        self.constants = constants
        self.buffers = buffers
        self.staged = staged
        self.base = base
        self.width = width
        self.packing = packing
        self.outer = outer
        self.inner_loops = frozenset(base) - frozenset(outer.base if outer else ())
        self.ranges = IndexRanges()
        self._values: dict[tuple[SSAValue, tuple[tuple[int, int], ...]], SSAValue] = {}
        self._layout: dict[tuple[str, int, int], SSAValue] = {}
        self._indices: dict[tuple[int, int], SSAValue] = {}
        self._splats: dict[tuple[SSAValue, tuple[tuple[int, int], ...]], SSAValue] = {}

    def varies(self, value: SSAValue) -> bool:
        """Whether ``value`` has one lane per point of the vector loop here."""
        vector_loop = self.plan.vector_loop
        return (
            self.width > 1
            and vector_loop is not None
            and vector_loop in self.plan.deps.get(value, ())
            and not isinstance(value.type, IndexType)
        )

    def vector_type(self, element_type: Attribute) -> Attribute:
        if self.width == 1:
            return element_type
        return _vector_type(element_type, self.width)

    def index(self, loop_position: int, key: Key) -> SSAValue:
        """The index of a loop at ``key``: its base plus the register offset."""
        return self.value(self.plan.compute.body.block.args[loop_position], key)

    def value(self, value: SSAValue, key: Key) -> SSAValue:
        """``value`` of the body at the point ``key``, built on first use."""
        cache_key = self._cache_key(value, key)
        if cache_key in self._values:
            return self._values[cache_key]
        outer = self._outer_for(value)
        if outer is not None:
            return outer.value(value, key)
        if isinstance(value, BlockArgument):
            position = self._loop_position(value)
            if position is None:
                return value
            result = self._loop_index(position, key)
        else:
            op = value.owner
            assert isinstance(op, Operation)
            if not self.plan.compute.is_ancestor(op):
                return value
            if isinstance(op, ReadOp):
                result = self._read(op, key)
            elif isinstance(op, arith.ConstantOp) and isinstance(
                op.value, IntegerAttr | FloatAttr
            ):
                result = self.constants.get(op.value)
            else:
                clone = self._clone(op, key)
                for original, new in zip(op.results, clone.results, strict=True):
                    new.name_hint = original.name_hint
                    self._values[self._cache_key(original, key)] = new
                return self._values[cache_key]
        self._values[cache_key] = result
        return result

    def bind(self, value: SSAValue, key: Key, result: SSAValue) -> None:
        """Make ``result`` the value of ``value`` at ``key`` (the epilogue's folded
        value)."""
        self._values[self._cache_key(value, key)] = result

    def _loop_position(self, arg: BlockArgument) -> int | None:
        """The loop a body or epilogue index argument stands for; None otherwise."""
        compute = self.plan.compute
        if arg.block is compute.body.block:
            return arg.index
        epilogue = compute.epilogue
        if epilogue is not None and arg.block is epilogue.block:
            assert arg.index < self.plan.rank, "the folded value is bound first"
            return arg.index
        return None

    def as_vector(self, value: SSAValue, key: Key) -> SSAValue:
        """``value`` at ``key`` with ``width`` lanes: a splat if it does not vary."""
        outer = self._outer_for(value)
        if outer is not None:
            return outer.as_vector(value, key)
        built = self.value(value, key)
        if self.width == 1 or isinstance(built.type, VectorType):
            return built
        cache_key = self._cache_key(value, key)
        if cache_key not in self._splats:
            splat = self.builder.insert(
                loop.SplatOp(built, self.vector_type(built.type))  # pyright: ignore[reportArgumentType]
            )
            self._splats[cache_key] = splat.result
        return self._splats[cache_key]

    def _outer_for(self, value: SSAValue) -> BodyEmitter | None:
        """The enclosing emitter, if ``value`` does not depend on this one's loops."""
        if self.outer is None:
            return None
        deps = self.plan.deps.get(value, frozenset[int]())
        return None if self.inner_loops & deps else self.outer

    def _cache_key(
        self, value: SSAValue, key: Key
    ) -> tuple[SSAValue, tuple[tuple[int, int], ...]]:
        deps = self.plan.deps.get(value, frozenset[int]())
        return value, tuple(sorted((p, o) for p, o in key.items() if p in deps))

    def _loop_index(self, position: int, key: Key) -> SSAValue:
        offset = key.get(position, 0)
        if (position, offset) in self._indices:
            return self._indices[position, offset]
        index = self.base[position]
        if offset:
            index = self.builder.insert(
                arith.AddiOp(index, self.constants.index(offset))
            ).result
        name = self.plan.compute.body.block.args[position].name_hint
        index.name_hint = name
        self.ranges.bind(index, self.plan.extents[position])
        self._indices[position, offset] = index
        return index

    def _clone(self, op: Operation, key: Key) -> Operation:
        lanes = any(self.varies(result) for result in op.results)
        operands = [
            self.as_vector(operand, key)
            if lanes and not isinstance(operand.type, IndexType)
            else self.value(operand, key)
            for operand in op.operands
        ]
        result_types = [
            self.vector_type(result.type) if lanes else result.type
            for result in op.results
        ]
        clone = op.create(
            operands=operands,
            result_types=result_types,
            properties=dict(op.properties),
            attributes=dict(op.attributes),
        )
        return self.builder.insert(clone)

    def _read(self, read: ReadOp, key: Key) -> SSAValue:
        access = None if self.packing else self.plan.access.get(read)
        lanes = self.varies(read.result)
        if access is Access.PACKED:
            buffer = self.staged[read]
            indices = self._packed_indices(read, key)
        else:
            tensor_buffer = self.buffers[read.tensor]
            buffer = (
                tensor_buffer if self.packing else self.staged.get(read, tensor_buffer)
            )
            indices = [self.value(index, key) for index in read.indices]
            expansion = None if self.packing else self.plan.expansions.get(read)
            if expansion is not None:
                indices = [
                    self._shift(index, offset)
                    for index, offset in zip(indices, expansion.offsets, strict=True)
                ]
            elif read.pad is not None:
                assert not lanes, "a varying padded read is expanded or packed"
                return self._guarded_load(read, buffer, indices)
        if lanes:
            load = loop.VLoadOp(buffer, indices, self.vector_type(read.result.type))  # pyright: ignore[reportArgumentType]
            result = self.builder.insert(load).result
        else:
            result = self.builder.insert(memref.LoadOp.get(buffer, indices)).res
        result.name_hint = read.result.name_hint
        return result

    def _packed_indices(self, read: ReadOp, key: Key) -> list[SSAValue]:
        return [
            self._layout_index(kind, position, key.get(position, 0))
            for kind, position in self.plan.layouts[read].dims
        ]

    def _layout_index(self, kind: str, position: int, offset: int) -> SSAValue:
        """A panel index of a loop: block ``index / r`` or lane ``index % r``."""
        if self.outer is not None and position not in self.inner_loops:
            return self.outer._layout_index(kind, position, offset)  # pyright: ignore[reportPrivateUsage]
        cache_key = (kind, position, offset)
        if cache_key not in self._layout:
            index = self.index(position, {position: offset})
            factor = self.constants.index(self.plan.register[position])
            if kind == "panel":
                index = self.builder.insert(arith.DivUIOp(index, factor)).result
            elif kind == "lane":
                index = self.builder.insert(arith.RemUIOp(index, factor)).result
            self._layout[cache_key] = index
        return self._layout[cache_key]

    def _shift(self, index: SSAValue, offset: int) -> SSAValue:
        if not offset:
            return index
        return self.builder.insert(
            arith.AddiOp(index, self.constants.index(offset))
        ).result

    def _guarded_load(
        self, read: ReadOp, buffer: SSAValue, indices: list[SSAValue]
    ) -> SSAValue:
        """A padded scalar read, checked as the plain lowering does (:mod:`.read`)."""
        stand_in = ReadOp(read.tensor, indices, read.pad)
        stand_in.result.name_hint = read.result.name_hint
        value = lower_read(stand_in, buffer, self.builder, self.ranges, self.constants)
        stand_in.erase()
        return value


@cache
def _vector_type(element_type: Attribute, width: int) -> VectorType[Attribute]:
    """One ``vector<width x element>`` per kind: building a VectorType verifies
    its parameters, a large share of lowering a big model's kernels."""
    return VectorType(element_type, [width])
