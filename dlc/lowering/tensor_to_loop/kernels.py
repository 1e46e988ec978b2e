"""The register-tiled, vectorized kernel of a reduction (matmul, dense, conv, pool).

A compute whose schedule has a ``register`` tile lowers to a nest whose innermost
part is a *micro-kernel*: a block of output points (``mr`` rows of each register
loop, ``nv`` vectors of the innermost output loop) whose accumulators stay in
``iter_args`` while the reduction loops run innermost. A matmul with
``schedule<vectorize = 16, register = [2, 32, 1], pack = [1]>`` becomes::

    %wp = (w packed as [j / 32, k, j % 32], see kernel_buffers.py)
    loop.for %i = %c0 to %c64 step %c2 {
      loop.for %j = %c0 to %c1024 step %c32 {
        %r:4 = loop.for %k = %c0 to %c784 step %c1
            iter_args(%a00 = %zero, %a01 = %zero, %a10 = %zero, %a11 = %zero)
            -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
          %x0 = memref.load %x[%i, %k]                     // row i
          %x1 = memref.load %x[%i + 1, %k]                 // row i + 1
          %w0 = loop.vload %wp[%j / 32, %k, %j % 32]       // lanes j .. j + 15
          %w1 = loop.vload %wp[%j / 32, %k, (%j + 16) % 32]
          %s0 = loop.splat %x0
          %n00 = loop.fma %s0, %w0, %a00 ... (4 fma)
          loop.yield %n00, %n01, %n10, %n11
        }
        loop.vstore %r#0, %out[%i, %j] ... (4 vstore)
      }
    }

The body is cloned by :class:`.BodyEmitter` (one copy per register offset each
op depends on); :mod:`.kernel_plan` decides how each read is accessed and
:mod:`.kernel_buffers` builds padded copies and panels. ``a * b`` summed is one
``loop.fma`` per accumulator; other combiners are their arith op on vectors.

**Tiles and remainders.** ``tile`` loops enclose everything, as in the plain
lowering. Inside a tile, each register loop runs in segments: full blocks, then
what is left in smaller blocks (rows: powers of two; the vector loop: vectors of
the full width, then of half the width, ..., then single lanes), each a loop
from where the previous one stopped. A segment that no tile's length needs is
not built, so a shape the blocks divide gets only the full block. When a
reduction loop is tiled, the accumulators start from and go back to the output
buffer, which is first filled with the init.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import IntegerAttr, VectorType, i64
from xdsl.ir import Operation, SSAValue
from xdsl.rewriter import InsertPoint

from dlc.dialects import loop
from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp, YieldOp
from dlc.lowering.tensor_to_loop.constants import ScalarConstants
from dlc.lowering.tensor_to_loop.kernel_body import BodyEmitter, Key
from dlc.lowering.tensor_to_loop.kernel_buffers import stage_reads
from dlc.lowering.tensor_to_loop.kernel_plan import KernelPlan, plan_kernel
from dlc.lowering.tensor_to_loop.loops import open_loop, open_reduction_loop

_COMBINE: dict[Combiner, Callable[[SSAValue, SSAValue], Operation]] = {
    Combiner.ADD: arith.AddfOp,
    Combiner.MUL: arith.MulfOp,
    Combiner.MAX: arith.MaximumfOp,
    Combiner.MIN: arith.MinimumfOp,
}


def lower_register_tiled(
    compute: ComputeOp,
    buffer: SSAValue,
    builder: Builder,
    buffers: Mapping[SSAValue, SSAValue],
    constants: ScalarConstants,
) -> bool:
    """Build ``compute``'s kernel at ``builder``; False if the kernel does not apply.

    The compute is left as it is, for the caller to erase.
    """
    plan = plan_kernel(compute)
    if plan is None:
        return False
    _KernelNest(plan, buffer, buffers, constants).build(builder)
    return True


@dataclass(frozen=True)
class _Range:
    """The points of one loop inside the current tile: ``[lower, upper)``.

    ``lengths`` are the sizes a tile of this loop can have, known statically.
    """

    lower: SSAValue
    upper: SSAValue
    lengths: frozenset[int]


@dataclass(frozen=True)
class _Block:
    """How many points of a register loop one micro-kernel covers, and its lanes."""

    size: int
    width: int


class _KernelNest:
    """Builds one compute's kernel: staged reads, tiles, segments, micro-kernels."""

    def __init__(
        self,
        plan: KernelPlan,
        buffer: SSAValue,
        buffers: Mapping[SSAValue, SSAValue],
        constants: ScalarConstants,
    ):
        self.plan = plan
        self.buffer = buffer
        self.buffers = buffers
        self.constants = constants
        self.staged: dict[ReadOp, SSAValue] = {}
        self.ranges: dict[int, _Range] = {}
        self.tiled_reduction = any(plan.tiles[plan.rank :])
        self._init_splat: SSAValue | None = None

    def build(self, builder: Builder) -> None:
        plan = self.plan
        if self.tiled_reduction:
            self._fill_with_init(builder)
        self.staged, temporaries = stage_reads(
            plan, builder, self.constants, self.buffers
        )
        nest = builder
        for position, (extent, tile) in enumerate(
            zip(plan.extents, plan.tiles, strict=True)
        ):
            index = self.constants.index
            if not tile:
                self.ranges[position] = _Range(
                    index(0), index(extent), frozenset([extent])
                )
                continue
            _, start, nest = open_loop(
                nest,
                index(0),
                index(extent),
                index(tile),
                parallel=position in plan.parallel,
            )
            start.name_hint = f"{self._name(position)}_tile"
            end = nest.insert(arith.AddiOp(start, index(tile))).result
            if extent % tile:
                end = nest.insert(arith.MinSIOp(end, index(extent))).result
            end.name_hint = f"{self._name(position)}_end"
            lengths = frozenset(length for length in (tile, extent % tile) if length)
            self.ranges[position] = _Range(start, end, lengths)
        self._output_loops(nest, 0, {}, {})
        if self.tiled_reduction and plan.compute.epilogue is not None:
            self._epilogue_after_tiles(builder)
        for temporary in temporaries:
            builder.insert(memref.DeallocOp.get(temporary))

    def _name(self, position: int) -> str:
        return self.plan.compute.body.block.args[position].name_hint or "d"

    def _every_point(self, builder: Builder) -> tuple[dict[int, SSAValue], Builder]:
        """A plain nest over the output; its indices by loop, and its body."""
        base: dict[int, SSAValue] = {}
        index = self.constants.index
        for position, extent in enumerate(self.plan.extents[: self.plan.rank]):
            _, point, builder = open_loop(builder, index(0), index(extent), index(1))
            point.name_hint = self._name(position)
            base[position] = point
        return base, builder

    def _epilogue_after_tiles(self, builder: Builder) -> None:
        """With a tiled reduction, a last nest maps every finished point."""
        base, body = self._every_point(builder)
        self._epilogue_at(body, base, {})

    def _fill_with_init(self, builder: Builder) -> None:
        """With a tiled reduction, the output holds the partial sums: start them."""
        init = self.plan.compute.init
        assert init is not None
        base, body = self._every_point(builder)
        indices = [base[p] for p in range(self.plan.rank)]
        body.insert(memref.StoreOp.get(self.constants.get(init), self.buffer, indices))

    # --- output loops, in segments ----------------------------------------------

    def _output_loops(
        self,
        builder: Builder,
        position: int,
        base: dict[int, SSAValue],
        blocks: dict[int, _Block],
    ) -> None:
        plan = self.plan
        if position == plan.rank:
            self._micro_kernel(builder, base, blocks)
            return
        span = self.ranges[position]
        parallel = position in plan.parallel and not plan.tiles[position]
        if plan.register[position] == 1:
            _, index, body = open_loop(
                builder,
                span.lower,
                span.upper,
                self.constants.index(1),
                parallel=parallel,
            )
            index.name_hint = self._name(position)
            self._output_loops(body, position + 1, {**base, position: index}, blocks)
            return
        start = span.lower
        segments = self._segments(position)
        for segment, block in enumerate(segments):
            end = (
                span.upper
                if segment == len(segments) - 1 and self._covers(span, segments)
                else self._segment_end(builder, start, span.upper, block.size)
            )
            _, index, body = open_loop(
                builder,
                start,
                end,
                self.constants.index(block.size),
                parallel=parallel and segment == 0,
            )
            index.name_hint = self._name(position)
            self._output_loops(
                body,
                position + 1,
                {**base, position: index},
                {**blocks, position: block},
            )
            start = end

    def _segments(self, position: int) -> list[_Block]:
        """The block sizes a register loop runs in, from full blocks down.

        Only the sizes some tile length needs: the remainder after full blocks
        is covered greedily by the smaller sizes, each used as often as fits.
        """
        plan = self.plan
        factor = plan.register[position]
        if position == plan.vector_loop:
            width = plan.width
            full = _Block(factor, width)
            smaller = [_Block(width, width)] * (factor > width)
            while width > 2:
                width //= 2
                smaller.append(_Block(width, width))
            smaller.append(_Block(1, 1))
        else:
            full = _Block(factor, 1)
            smaller = [
                _Block(1 << bit, 1)
                for bit in reversed(range(factor.bit_length()))
                if 1 << bit < factor
            ]
        used: set[_Block] = set()
        for length in self.ranges[position].lengths:
            if length >= full.size:
                used.add(full)
            left = length % full.size
            for block in smaller:
                if left >= block.size:
                    used.add(block)
                    left %= block.size
        return [block for block in (full, *smaller) if block in used]

    @staticmethod
    def _covers(span: _Range, segments: list[_Block]) -> bool:
        """Whether the segments reach the end of every tile of ``span`` exactly."""
        for length in span.lengths:
            for block in segments:
                length %= block.size
            if length:
                return False
        return True

    def _segment_end(
        self, builder: Builder, start: SSAValue, upper: SSAValue, size: int
    ) -> SSAValue:
        """Where blocks of ``size`` points from ``start`` stop before ``upper``."""
        first, last = loop.constant_index(start), loop.constant_index(upper)
        if first is not None and last is not None:
            return self.constants.index(first + (last - first) // size * size)
        step = self.constants.index(size)
        left = builder.insert(arith.SubiOp(upper, start)).result
        count = builder.insert(arith.DivUIOp(left, step)).result
        covered = builder.insert(arith.MuliOp(count, step)).result
        end = builder.insert(arith.AddiOp(start, covered)).result
        end.name_hint = "end"
        return end

    # --- the micro-kernel ---------------------------------------------------------

    def _micro_kernel(
        self, builder: Builder, base: dict[int, SSAValue], blocks: dict[int, _Block]
    ) -> None:
        """One block of output points: accumulators through the reduction, stores.

        ``base`` has each output loop's index (a block's first point), ``blocks``
        the block of each register loop in this segment.
        """
        plan = self.plan
        vector_loop = plan.vector_loop
        width = blocks[vector_loop].width if vector_loop is not None else 1
        keys = [
            dict(zip(blocks, offsets, strict=True))
            for offsets in itertools.product(
                *(range(0, block.size, block.width) for block in blocks.values())
            )
        ]
        outside = BodyEmitter(
            plan, builder, self.constants, self.buffers, self.staged, base, width
        )
        self._init_splat = None
        accumulators = [self._initial(outside, key) for key in keys]
        finished = self._reduction_loops(outside, keys, accumulators)
        apply = plan.compute.epilogue is not None and not self.tiled_reduction
        by_lane = apply and width > 1 and not plan.vector_epilogue
        for key, value in zip(keys, finished, strict=True):
            if apply and not by_lane:
                value = self._epilogue(outside, key, value)
            indices = [outside.index(p, key) for p in range(plan.rank)]
            if width > 1:
                builder.insert(loop.VStoreOp(value, self.buffer, indices))
            else:
                builder.insert(memref.StoreOp.get(value, self.buffer, indices))
            if by_lane:
                self._epilogue_by_lane(outside, key, width)

    def _epilogue(self, emitter: BodyEmitter, key: Key, folded: SSAValue) -> SSAValue:
        """The epilogue of ``folded``, the finished accumulator at ``key``."""
        epilogue = self.plan.compute.epilogue
        assert epilogue is not None
        block = epilogue.block
        emitter.bind(block.args[-1], key, folded)
        terminator = block.last_op
        assert isinstance(terminator, YieldOp)
        if isinstance(folded.type, VectorType):
            return emitter.as_vector(terminator.value, key)
        return emitter.value(terminator.value, key)

    def _epilogue_by_lane(self, outside: BodyEmitter, key: Key, width: int) -> None:
        """Apply the epilogue to the ``width`` points stored at ``key``, one by one.

        For an epilogue without a vector form (a gathered read, an op LLVM has no
        vector lowering of here): each lane is loaded back, mapped and stored.
        """
        plan = self.plan
        vector_loop = plan.vector_loop
        assert vector_loop is not None
        start = outside.index(vector_loop, key)
        end = outside.builder.insert(
            arith.AddiOp(start, self.constants.index(width))
        ).result
        _, lane, body = open_loop(outside.builder, start, end, self.constants.index(1))
        lane.name_hint = self._name(vector_loop)
        self._epilogue_at(body, {**outside.base, vector_loop: lane}, key)

    def _epilogue_at(
        self, builder: Builder, base: Mapping[int, SSAValue], key: Key
    ) -> None:
        """Load the folded value at one point, apply the epilogue, store it back."""
        plan = self.plan
        scalar_key = {p: o for p, o in key.items() if p != plan.vector_loop}
        emitter = BodyEmitter(
            plan, builder, self.constants, self.buffers, {}, base, width=1
        )
        indices = [emitter.index(p, scalar_key) for p in range(plan.rank)]
        folded = builder.insert(memref.LoadOp.get(self.buffer, indices)).res
        folded.name_hint = "folded"
        value = self._epilogue(emitter, scalar_key, folded)
        builder.insert(memref.StoreOp.get(value, self.buffer, indices))

    def _initial(self, emitter: BodyEmitter, key: Key) -> SSAValue:
        """An accumulator's start: the init, or the partial sum in the output."""
        plan = self.plan
        if self.tiled_reduction:
            indices = [emitter.index(p, key) for p in range(plan.rank)]
            if emitter.width > 1:
                vector_type = emitter.vector_type(plan.compute.element_type)
                load = loop.VLoadOp(self.buffer, indices, vector_type)  # pyright: ignore[reportArgumentType]
                partial = emitter.builder.insert(load).result
            else:
                partial = emitter.builder.insert(
                    memref.LoadOp.get(self.buffer, indices)
                ).res
            partial.name_hint = "partial"
            return partial
        init = plan.compute.init
        assert init is not None
        value = self.constants.get(init)
        if emitter.width == 1:
            return value
        if self._init_splat is None:
            vector_type = emitter.vector_type(value.type)
            splat = loop.SplatOp(value, vector_type)  # pyright: ignore[reportArgumentType]
            self._init_splat = emitter.builder.insert(splat).result
        return self._init_splat

    def _reduction_loops(
        self,
        outside: BodyEmitter,
        keys: list[dict[int, int]],
        accumulators: list[SSAValue],
    ) -> list[SSAValue]:
        """The reduction loops around the body; the accumulators after them.

        Body values that no reduction loop changes are built before the loops.
        """
        plan = self.plan
        opened: list[tuple[loop.ForOp, Builder]] = []
        carried = accumulators
        builder = outside.builder
        inner_base = dict(outside.base)
        for position in range(plan.rank, len(plan.extents)):
            span = self.ranges[position]
            for_op, builder = open_reduction_loop(
                builder, span.lower, span.upper, self.constants.index(1), carried
            )
            for_op.induction_var.name_hint = self._name(position)
            for arg in for_op.region_iter_args:
                arg.name_hint = "acc"
            inner_base[position] = for_op.induction_var
            carried = list(for_op.region_iter_args)
            opened.append((for_op, builder))
        after = outside.builder
        outside.builder = Builder(InsertPoint.before(opened[0][0]))
        emitter = BodyEmitter(
            plan,
            builder,
            self.constants,
            self.buffers,
            self.staged,
            inner_base,
            outside.width,
            outer=outside,
        )
        combined: list[SSAValue] = [
            self._combine(emitter, key, acc)
            for key, acc in zip(keys, carried, strict=True)
        ]
        for for_op, body in reversed(opened):
            body.insert(loop.YieldOp(*combined))
            combined = list(for_op.res)
        outside.builder = after
        if opened and plan.unroll > 1:
            innermost = opened[-1][0]
            innermost.attributes[loop.UNROLL] = IntegerAttr(plan.unroll, i64)
        return combined

    def _combine(self, emitter: BodyEmitter, key: Key, acc: SSAValue) -> SSAValue:
        """``acc ⊕ body`` at one point; a product summed is one ``loop.fma``."""
        compute = self.plan.compute
        combiner = compute.combiner
        assert combiner is not None
        term = compute.yielded
        product = term.owner
        if (
            combiner.data == Combiner.ADD
            and isinstance(product, arith.MulfOp)
            and term.has_one_use()
        ):
            lhs = self._lanes(emitter, product.lhs, key, acc)
            rhs = self._lanes(emitter, product.rhs, key, acc)
            result = emitter.builder.insert(loop.FmaOp(lhs, rhs, acc)).result
        else:
            value = self._lanes(emitter, term, key, acc)
            make = _COMBINE[Combiner(combiner.data)]
            result = emitter.builder.insert(make(acc, value)).results[0]
        result.name_hint = "next"
        return result

    @staticmethod
    def _lanes(
        emitter: BodyEmitter, value: SSAValue, key: Key, acc: SSAValue
    ) -> SSAValue:
        """``value`` shaped like the accumulator: a vector when it is one."""
        if isinstance(acc.type, VectorType):
            return emitter.as_vector(value, key)
        return emitter.value(value, key)
