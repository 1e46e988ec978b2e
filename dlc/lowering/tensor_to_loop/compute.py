"""tensor.compute -> a rolled loop nest that stores every point into a buffer.

The output dims become ``loop.for`` loops; the body's ops move into the innermost
one, its reads become loads (:mod:`.read`) and the yielded value is stored. A
reduction adds an inner nest over the reduction dims whose accumulator is carried
in ``iter_args`` (init = the compute's init), so it is stored once per point::

    %c = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 : tensor<4x5xf32> {
      %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
      %b = tensor.read %w[%k, %j] : tensor<6x5xf32>
      %p = arith.mulf %a, %b : f32
      tensor.yield %p : f32
    }

becomes (``%c0``... are constants at the top of the function)::

    loop.for %i = %c0 to %c4 step %c1 {
      loop.for %j = %c0 to %c5 step %c1 {
        %sum = loop.for %k = %c0 to %c6 step %c1 iter_args(%acc = %cst) -> (f32) {
          %a = memref.load %x[%i, %k] : memref<4x6xf32>
          %b = memref.load %w[%k, %j] : memref<6x5xf32>
          %p = arith.mulf %a, %b : f32
          %next = arith.addf %acc, %p : f32
          loop.yield %next : f32
        }
        memref.store %sum, %c[%i, %j] : memref<4x5xf32>
      }
    }

**Schedules.** A ``#tensor.schedule`` is honoured as docs/dialects/tensor.md says:

* ``tile``: each loop with a size ``0 < t < extent`` becomes a tile loop (step
  ``t``) and a point loop over ``[tile, min(tile + t, extent))``; the tile loops
  (in loop order) enclose the point loops. When a reduction dim is tiled
  (K-blocking), the reduction tile loops enclose the output point loops, so the
  accumulator goes through memory: the buffer is first filled with the init, and
  each point loads it, carries it through its reduction point loops and stores it.
* ``parallel``: the outermost loop of each listed output dim (its tile loop, or
  the loop itself) is an unmapped ``loop.parallel``.
* ``vectorize`` and ``unroll``: the ``vectorize`` annotation on the innermost
  output loop and the ``unroll`` annotation on the innermost loop, requests for
  ``loop-vectorize`` and ``loop-unroll``.

**Epilogues.** The epilogue's ops move in right after the reduction nest, with its
arguments bound to the output indices and the folded value, so the value stored is
the epilogue's::

        %sum = loop.for %k = ... iter_args(%acc = %cst) -> (f32) { ... }
        %bias = memref.load %b[%j] : memref<5xf32>
        %r = arith.addf %sum, %bias : f32
        memref.store %r, %c[%i, %j] : memref<4x5xf32>

With a tiled reduction, the value is complete only after the last reduction tile,
so a last nest over the output points loads it, applies the epilogue and stores it.

**compute_at.** A host (a compute that computed-at computes run in) opens the
loops they need first: the tile and point loops of its first d dims, where d is
the deepest ``compute_at``. Right after its point loop k, each compute with
``compute_at k`` builds its own nest for the remaining dims, with its first k
indices bound to the host's; then the host's other loops follow. A softmax whose
statistics are computed at 1 becomes::

    loop.for %i = %c0 to %c2 step %c1 {
      %max = loop.for %j = ... { ... }      // stores max[i, 0]
      loop.for %j = ... { ... }             // stores exp[i, j]
      %sum = loop.for %j = ... { ... }      // stores sum[i, 0]
      loop.for %j = ... { ... }             // stores the result [i, j]
    }

The buffer of a computed-at compute holds one slice (``row_buffer_dims``): above,
``%max`` and ``%sum`` are one element and ``%exp`` one row, rewritten at each
iteration of ``%i``. When the host's outer loops run in parallel, the iterations
would share it, so it keeps the full shape instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import FloatAttr, IndexType, IntegerAttr, IntegerType, i64
from xdsl.ir import Attribute, Block, BlockArgument, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects import loop
from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp, ScheduleAttr, YieldOp
from dlc.lowering.tensor_to_loop.constants import ScalarConstants
from dlc.lowering.tensor_to_loop.gpu_kernels import lower_gpu_tiled
from dlc.lowering.tensor_to_loop.kernels import lower_register_tiled
from dlc.lowering.tensor_to_loop.read import IndexRanges, lower_read

_COMBINE: dict[tuple[str, Combiner], Callable[[SSAValue, SSAValue], Operation]] = {
    ("float", Combiner.ADD): arith.AddfOp,
    ("float", Combiner.MUL): arith.MulfOp,
    ("float", Combiner.MAX): arith.MaximumfOp,
    ("float", Combiner.MIN): arith.MinimumfOp,
    ("int", Combiner.ADD): arith.AddiOp,
    ("int", Combiner.MUL): arith.MuliOp,
    ("int", Combiner.MAX): arith.MaxSIOp,
    ("int", Combiner.MIN): arith.MinSIOp,
    ("bool", Combiner.ADD): arith.OrIOp,
    ("bool", Combiner.MUL): arith.AndIOp,
    ("bool", Combiner.MAX): arith.OrIOp,
    ("bool", Combiner.MIN): arith.AndIOp,
}
"""The scalar op of each combiner. maximumf/minimumf propagate NaN; integers are
signed; on i1, add and max are "any" and mul and min "all", as numpy's boolean
add and multiply."""


def _element_kind(element_type: Attribute) -> str:
    if element_type == IntegerType(1):
        return "bool"
    return "int" if isinstance(element_type, IntegerType | IndexType) else "float"


@dataclass(frozen=True)
class _Loop:
    """One loop of a compute: the body argument it binds, its extent, its schedule."""

    index: BlockArgument
    extent: int
    tile: int
    parallel: bool


def _loops(compute: ComputeOp) -> list[_Loop]:
    extents = (*compute.output_shape, *compute.reduction_extents)
    schedule = compute.schedule or ScheduleAttr()
    tiles = schedule.tile_sizes or (0,) * len(extents)
    return [
        _Loop(
            index=index,
            extent=extent,
            tile=tile if 0 < tile < extent else 0,
            parallel=position in schedule.parallel_dims,
        )
        for position, (index, extent, tile) in enumerate(
            zip(compute.body.block.args, extents, tiles, strict=True)
        )
    ]


def check_schedule(compute: ComputeOp) -> None:
    """Reject a schedule the loop level cannot express, at the compute."""
    schedule = compute.schedule
    if schedule is None:
        return
    width = schedule.vector_width
    if width > 1 and width not in loop.VECTOR_WIDTHS:
        widths = ", ".join(str(w) for w in loop.VECTOR_WIDTHS)
        raise DiagnosticError(
            f"tensor-to-loop: schedule vectorize = {width} is not a vector width "
            f"of the loop level ({widths})",
            SourceLocation.of(compute.location),
        )


def _open_loop(
    builder: Builder, lb: SSAValue, ub: SSAValue, step: SSAValue, *, parallel: bool
) -> tuple[Operation, SSAValue, Builder]:
    """A loop without iter_args; returns it, its index and a builder for its body."""
    if parallel:
        parallel_op = loop.ParallelOp([lb], [ub], [step])
        op, index = parallel_op, parallel_op.induction_vars[0]
    else:
        for_op = loop.ForOp(lb, ub, step)
        op, index = for_op, for_op.induction_var
    builder.insert(op)
    terminator = loop.YieldOp()
    op.regions[0].block.add_op(terminator)
    return op, index, Builder(InsertPoint.before(terminator))


def for_each_point(
    builder: Builder,
    shape: Sequence[int],
    constants: ScalarConstants,
    emit: Callable[[Builder, list[SSAValue]], None],
    names: Sequence[str | None] = (),
) -> None:
    """A plain nest over ``shape``; ``emit`` builds the body at each point.

    The loop indices take ``names``, if given, and are ``%i`` otherwise.
    """
    indices: list[SSAValue] = []
    for dim, extent in enumerate(shape):
        _, index, builder = _open_loop(
            builder,
            constants.index(0),
            constants.index(extent),
            constants.index(1),
            parallel=False,
        )
        index.name_hint = names[dim] if dim < len(names) else "i"
        indices.append(index)
    emit(builder, indices)


def copy_buffer(
    builder: Builder,
    source: SSAValue,
    target: SSAValue,
    shape: Sequence[int],
    constants: ScalarConstants,
) -> None:
    """Copy ``source`` into ``target`` element by element."""

    def copy(body: Builder, indices: list[SSAValue]) -> None:
        value = body.insert(memref.LoadOp.get(source, indices)).res
        value.name_hint = "element"
        body.insert(memref.StoreOp.get(value, target, indices))

    for_each_point(builder, shape, constants, copy)


def lower_compute(
    compute: ComputeOp,
    buffer: SSAValue,
    builder: Builder,
    buffers: Mapping[SSAValue, SSAValue],
    constants: ScalarConstants,
    nested: Sequence[ComputeOp] = (),
) -> None:
    """Build ``compute``'s loop nest at ``builder``, storing into ``buffer``.

    ``nested`` are the computes that run inside this nest (``compute_at``), in
    block order; each stores into its own buffer. ``buffers`` gives the buffer of
    every tensor the bodies read. The bodies' ops move into the nest, so the
    computes are left empty, to be erased.
    """
    if not nested and lower_gpu_tiled(compute, buffer, builder, buffers, constants):
        return
    if not nested and lower_register_tiled(
        compute, buffer, builder, buffers, constants
    ):
        return
    by_depth: dict[int, list[ComputeOp]] = {}
    rows = {inner.result: row_buffer_dims(inner, compute) for inner in nested}
    for inner in nested:
        assert inner.computed_at is not None
        by_depth.setdefault(inner.computed_at, []).append(inner)
    _LoopNest(compute, buffer, buffers, constants, rows).build(builder, [], by_depth)


def row_buffer_dims(compute: ComputeOp, host: ComputeOp) -> int:
    """How many leading dims the buffer of a computed-at ``compute`` leaves out.

    Its depth, so that the buffer holds one slice and is rewritten at each
    iteration of the host's outer loops; 0 (a full buffer) when those loops may run
    in parallel and would share it, when a read is padded, or when nothing would
    be left of the shape.
    """
    depth = compute.computed_at or 0
    parallel = host.schedule.parallel_dims if host.schedule else ()
    if depth >= len(compute.output_shape) or any(dim < depth for dim in parallel):
        return 0
    for use in compute.result.uses:
        if not isinstance(use.operation, ReadOp) or use.operation.pad is not None:
            return 0
    return depth


class _LoopNest:
    """Builds the loop nest of one compute; see the module docstring.

    A computed-at compute is built with ``bound``, its host's indices for its first
    dims, and opens loops only for the others. A host first opens the loops its
    computed-at computes need (its prefix) and builds each of them in place.
    """

    def __init__(
        self,
        compute: ComputeOp,
        buffer: SSAValue,
        buffers: Mapping[SSAValue, SSAValue],
        constants: ScalarConstants,
        rows: Mapping[SSAValue, int],
    ):
        self.compute = compute
        self.buffer = buffer
        self.buffers = buffers
        self.constants = constants
        self.rows = rows
        """The leading dims the buffer of each computed-at compute leaves out."""
        self.ranges = IndexRanges()
        self.loops = _loops(compute)
        self.rank = len(compute.output_shape)
        self.bounds: dict[_Loop, tuple[SSAValue, SSAValue]] = {}

    def build(
        self,
        builder: Builder,
        bound: Sequence[SSAValue],
        nested: Mapping[int, Sequence[ComputeOp]],
    ) -> None:
        """The nest at ``builder``: ``bound`` indices given, ``nested`` by depth."""
        outputs = list(bound)
        for spec, index in zip(self.loops[: len(bound)], bound, strict=True):
            spec.index.replace_all_uses_with(index)
            self.ranges.bind(index, spec.extent)
        output_loop: Operation | None = None
        prefix = self.loops[len(outputs) : max(nested, default=0)]
        builder = self._open_tile_loops(builder, prefix)
        for spec in prefix:
            output_loop, index, builder = self._open_point_loop(builder, spec)
            outputs.append(index)
            for inner in nested.get(len(outputs), ()):
                _LoopNest(
                    inner,
                    self.buffers[inner.result],
                    self.buffers,
                    self.constants,
                    self.rows,
                ).build(builder, outputs, {})
        self._build_rest(builder, outputs, output_loop)

    def _build_rest(
        self, builder: Builder, outer: list[SSAValue], output_loop: Operation | None
    ) -> None:
        """The loops after the ``outer`` ones, the body, the epilogue, the store."""
        compute = self.compute
        assert len(outer) <= self.rank
        rest_outputs = self.loops[len(outer) : self.rank]
        reductions = self.loops[self.rank :]
        tiled_reduction = any(spec.tile for spec in reductions)
        outer_builder = builder
        if tiled_reduction:
            self._for_each_point(builder, outer, self._fill_with_init)
        builder = self._open_tile_loops(builder, [*rest_outputs, *reductions])
        outputs = list(outer)
        innermost = output_loop
        for spec in rest_outputs:
            innermost, index, builder = self._open_point_loop(builder, spec)
            outputs.append(index)
        output_loop = innermost

        if not compute.has_reduction:
            value = self._inline(compute.body.block, builder)
        else:
            assert compute.init is not None
            if tiled_reduction:
                start = builder.insert(self._load_own(outputs)).res
                start.name_hint = "partial"
            else:
                start = self.constants.get(compute.init)
            value, reduction_loop = self._reduce(start, reductions, builder)
            innermost = reduction_loop or innermost
            if not tiled_reduction:
                value = self._epilogue(builder, outputs, value)
        builder.insert(self._store_own(value, outputs))
        _annotate(compute.schedule, output_loop, innermost)
        if tiled_reduction and compute.epilogue is not None:
            self._for_each_point(outer_builder, outer, self._finish_with_epilogue)

    def _open_tile_loops(self, builder: Builder, specs: Sequence[_Loop]) -> Builder:
        """The tile loops of ``specs``, in order, and the bounds of their points."""
        starts: dict[_Loop, SSAValue] = {}
        for spec in specs:
            if spec.tile:
                _, start, builder = _open_loop(
                    builder,
                    self.constants.index(0),
                    self.constants.index(spec.extent),
                    self.constants.index(spec.tile),
                    parallel=spec.parallel,
                )
                start.name_hint = f"{spec.index.name_hint or 'd'}_tile"
                starts[spec] = start
        for spec in specs:
            self.bounds[spec] = _point_bounds(
                spec, starts.get(spec), builder, self.constants
            )
        return builder

    def _open_point_loop(
        self, builder: Builder, spec: _Loop
    ) -> tuple[Operation, SSAValue, Builder]:
        lb, ub = self.bounds[spec]
        op, index, builder = _open_loop(
            builder,
            lb,
            ub,
            self.constants.index(1),
            parallel=spec.parallel and not spec.tile,
        )
        self._bind(spec, index)
        return op, index, builder

    def _bind(self, spec: _Loop, index: SSAValue) -> None:
        """Make ``index`` the compute's body argument of this loop."""
        index.name_hint = spec.index.name_hint
        spec.index.replace_all_uses_with(index)
        self.ranges.bind(index, spec.extent)

    def _for_each_point(
        self,
        builder: Builder,
        outer: Sequence[SSAValue],
        emit: Callable[[Builder, list[SSAValue]], None],
    ) -> None:
        """A plain nest over the output dims after ``outer``, for ``emit``."""
        dims = range(len(outer), self.rank)
        names = [self.compute.output_indices[d].name_hint for d in dims]
        shape = [self.compute.output_shape[d] for d in dims]

        def at_point(body: Builder, indices: list[SSAValue]) -> None:
            for index, extent in zip(indices, shape, strict=True):
                self.ranges.bind(index, extent)
            emit(body, [*outer, *indices])

        for_each_point(builder, shape, self.constants, at_point, names)

    def _fill_with_init(self, builder: Builder, indices: list[SSAValue]) -> None:
        assert self.compute.init is not None
        init = self.constants.get(self.compute.init)
        builder.insert(self._store_own(init, indices))

    def _finish_with_epilogue(self, builder: Builder, indices: list[SSAValue]) -> None:
        folded = builder.insert(self._load_own(indices)).res
        folded.name_hint = self.compute.combiner.data if self.compute.combiner else None
        value = self._epilogue(builder, indices, folded)
        builder.insert(self._store_own(value, indices))

    def _load_own(self, indices: Sequence[SSAValue]) -> memref.LoadOp:
        """A load of this compute's element at ``indices`` from its buffer."""
        dropped = self.rows.get(self.compute.result, 0)
        return memref.LoadOp.get(self.buffer, indices[dropped:])

    def _store_own(self, value: SSAValue, indices: Sequence[SSAValue]) -> Operation:
        dropped = self.rows.get(self.compute.result, 0)
        return memref.StoreOp.get(value, self.buffer, indices[dropped:])

    def _reduce(
        self, start: SSAValue, reductions: Sequence[_Loop], builder: Builder
    ) -> tuple[SSAValue, loop.ForOp | None]:
        """The reduction nest from ``start``; returns its value and innermost loop."""
        compute = self.compute
        assert compute.combiner is not None
        opened: list[tuple[loop.ForOp, Builder]] = []
        accumulator = start
        for spec in reductions:
            lb, ub = self.bounds[spec]
            for_op = builder.insert(
                loop.ForOp(lb, ub, self.constants.index(1), iter_args=[accumulator])
            )
            self._bind(spec, for_op.induction_var)
            accumulator = for_op.region_iter_args[0]
            accumulator.name_hint = "acc"
            builder = Builder(InsertPoint.at_end(for_op.body.block))
            opened.append((for_op, builder))
        value = self._inline(compute.body.block, builder)
        kind = _element_kind(compute.element_type)
        make = _COMBINE[(kind, Combiner(compute.combiner.data))]
        combined = builder.insert(make(accumulator, value)).results[0]
        combined.name_hint = "next"
        for for_op, body in reversed(opened):
            body.insert(loop.YieldOp(combined))
            combined = for_op.res[0]
            combined.name_hint = compute.combiner.data
        return combined, opened[-1][0] if opened else None

    def _epilogue(
        self, builder: Builder, outputs: Sequence[SSAValue], folded: SSAValue
    ) -> SSAValue:
        """The epilogue's value for ``folded`` at ``outputs``; ``folded`` if none."""
        if self.compute.epilogue is None:
            return folded
        block = self.compute.epilogue.block
        for arg, value in zip(block.args, [*outputs, folded], strict=True):
            arg.replace_all_uses_with(value)
        return self._inline(block, builder)

    def _inline(self, block: Block, builder: Builder) -> SSAValue:
        """Move ``block``'s ops to ``builder``; return the yielded value.

        Reads become loads, and constants move to the top of the function.
        """
        for op in list(block.ops):
            if isinstance(op, YieldOp):
                return op.value
            if isinstance(op, ReadOp) and self.rows.get(op.tensor):
                row = list(op.indices)[self.rows[op.tensor] :]
                load = builder.insert(memref.LoadOp.get(self.buffers[op.tensor], row))
                value = load.res
                value.name_hint = op.result.name_hint
            elif isinstance(op, ReadOp):
                buffer = self.buffers[op.tensor]
                value = lower_read(op, buffer, builder, self.ranges, self.constants)
            elif isinstance(op, arith.ConstantOp) and isinstance(
                op.value, IntegerAttr | FloatAttr
            ):
                value = self.constants.get(op.value)
            else:
                op.detach()
                builder.insert(op)
                continue
            op.results[0].replace_all_uses_with(value)
            Rewriter.erase_op(op)
        raise AssertionError("the verifier ensures a block ends with tensor.yield")


def _point_bounds(
    spec: _Loop,
    tile_start: SSAValue | None,
    builder: Builder,
    constants: ScalarConstants,
) -> tuple[SSAValue, SSAValue]:
    """The bounds of a point loop: the whole extent, or one tile of it."""
    if tile_start is None:
        return constants.index(0), constants.index(spec.extent)
    end = builder.insert(arith.AddiOp(tile_start, constants.index(spec.tile))).result
    if spec.extent % spec.tile:
        end.name_hint = f"{spec.index.name_hint or 'd'}_next_tile"
        end = builder.insert(arith.MinSIOp(end, constants.index(spec.extent))).result
    end.name_hint = f"{spec.index.name_hint or 'd'}_end"
    return tile_start, end


def _annotate(
    schedule: ScheduleAttr | None,
    output_loop: Operation | None,
    innermost: Operation | None,
) -> None:
    if schedule is None:
        return
    if schedule.vector_width > 1 and output_loop is not None:
        output_loop.attributes[loop.VECTORIZE] = IntegerAttr(schedule.vector_width, i64)
    if schedule.unroll_factor > 1 and innermost is not None:
        innermost.attributes[loop.UNROLL] = IntegerAttr(schedule.unroll_factor, i64)
