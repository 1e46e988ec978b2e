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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import FloatAttr, IndexType, IntegerAttr, IntegerType, i64
from xdsl.ir import Attribute, BlockArgument, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects import loop
from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp, ScheduleAttr, YieldOp
from dlc.lowering.tensor_to_loop.constants import ScalarConstants
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
) -> None:
    """Build ``compute``'s loop nest at ``builder``, storing into ``buffer``.

    The body's ops move into the nest, so the compute is left empty, to be erased.
    ``buffers`` gives the buffer of every tensor the body reads.
    """
    loops = _loops(compute)
    rank = len(compute.output_shape)
    tiled_reduction = any(spec.tile for spec in loops[rank:])
    if tiled_reduction:
        init = compute.init
        assert init is not None

        def fill(body: Builder, indices: list[SSAValue]) -> None:
            body.insert(memref.StoreOp.get(constants.get(init), buffer, indices))

        names = [index.name_hint for index in compute.output_indices]
        for_each_point(builder, compute.output_shape, constants, fill, names)

    tile_starts: dict[int, SSAValue] = {}
    for position, spec in enumerate(loops):
        if spec.tile:
            _, start, builder = _open_loop(
                builder,
                constants.index(0),
                constants.index(spec.extent),
                constants.index(spec.tile),
                parallel=spec.parallel,
            )
            start.name_hint = f"{spec.index.name_hint or 'd'}_tile"
            tile_starts[position] = start
    bounds = [
        _point_bounds(spec, tile_starts.get(position), builder, constants)
        for position, spec in enumerate(loops)
    ]

    ranges = IndexRanges()
    outputs: list[SSAValue] = []
    innermost: Operation | None = None
    for spec, (lb, ub) in zip(loops[:rank], bounds[:rank], strict=True):
        innermost, index, builder = _open_loop(
            builder,
            lb,
            ub,
            constants.index(1),
            parallel=spec.parallel and not spec.tile,
        )
        _bind(spec, index, ranges)
        outputs.append(index)
    output_loop = innermost

    if not compute.has_reduction:
        value = _inline_body(compute, builder, buffers, ranges, constants)
    else:
        assert compute.init is not None and compute.combiner is not None
        if tiled_reduction:
            start = builder.insert(memref.LoadOp.get(buffer, outputs)).res
            start.name_hint = "partial"
        else:
            start = constants.get(compute.init)
        value, reduction_loop = _reduce(
            compute,
            start,
            list(zip(loops[rank:], bounds[rank:], strict=True)),
            builder,
            buffers,
            ranges,
            constants,
        )
        innermost = reduction_loop or innermost
    builder.insert(memref.StoreOp.get(value, buffer, outputs))
    _annotate(compute.schedule, output_loop, innermost)


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


def _bind(spec: _Loop, index: SSAValue, ranges: IndexRanges) -> None:
    """Make ``index`` the compute's body argument of this loop."""
    index.name_hint = spec.index.name_hint
    spec.index.replace_all_uses_with(index)
    ranges.bind(index, spec.extent)


def _reduce(
    compute: ComputeOp,
    start: SSAValue,
    loops: list[tuple[_Loop, tuple[SSAValue, SSAValue]]],
    builder: Builder,
    buffers: Mapping[SSAValue, SSAValue],
    ranges: IndexRanges,
    constants: ScalarConstants,
) -> tuple[SSAValue, loop.ForOp | None]:
    """The reduction nest from ``start``; returns its value and innermost loop."""
    assert compute.combiner is not None
    opened: list[tuple[loop.ForOp, Builder]] = []
    accumulator = start
    for spec, (lb, ub) in loops:
        for_op = builder.insert(
            loop.ForOp(lb, ub, constants.index(1), iter_args=[accumulator])
        )
        _bind(spec, for_op.induction_var, ranges)
        accumulator = for_op.region_iter_args[0]
        accumulator.name_hint = "acc"
        builder = Builder(InsertPoint.at_end(for_op.body.block))
        opened.append((for_op, builder))
    value = _inline_body(compute, builder, buffers, ranges, constants)
    kind = _element_kind(compute.element_type)
    make = _COMBINE[(kind, Combiner(compute.combiner.data))]
    combined = builder.insert(make(accumulator, value)).results[0]
    combined.name_hint = "next"
    for for_op, body in reversed(opened):
        body.insert(loop.YieldOp(combined))
        combined = for_op.res[0]
        combined.name_hint = compute.combiner.data
    return combined, opened[-1][0] if opened else None


def _inline_body(
    compute: ComputeOp,
    builder: Builder,
    buffers: Mapping[SSAValue, SSAValue],
    ranges: IndexRanges,
    constants: ScalarConstants,
) -> SSAValue:
    """Move the body's ops to ``builder``; return the yielded value.

    Reads become loads, and constants move to the top of the function.
    """
    for op in list(compute.body.block.ops):
        if isinstance(op, YieldOp):
            return op.value
        if isinstance(op, ReadOp):
            value = lower_read(op, buffers[op.tensor], builder, ranges, constants)
        elif isinstance(op, arith.ConstantOp) and isinstance(
            op.value, IntegerAttr | FloatAttr
        ):
            value = constants.get(op.value)
        else:
            op.detach()
            builder.insert(op)
            continue
        op.results[0].replace_all_uses_with(value)
        Rewriter.erase_op(op)
    raise AssertionError("the verifier ensures a compute body ends with tensor.yield")


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
