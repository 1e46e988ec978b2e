"""loop-tile: split a band of perfectly nested loops into tile loops and point loops.

Tiling makes a nest work on blocks that fit in a cache: each loop of a band (see
:class:`~dlc.transforms.loop_nests.Band`) with a tile size ``t > 0`` becomes a tile
loop stepping ``t`` iterations and a point loop over one tile, and the tile loops
go outside all the point loops. A size of 0 leaves a loop untiled (MLIR's
convention). The pass acts on

* every loop annotated ``tile = array<i64: ...>`` (one size per band loop, from
  that loop down), or ``tile = [array<i64: ...>, array<i64: ...>]`` for several
  levels: the point loops of one level are tiled again by the next (L2 blocks,
  then L1 blocks);
* with ``sizes=...`` (and ``levels=n``, which splits ``sizes`` into n equal
  lists), every outermost band, the loops directly in a function.

The point loop of a tile ends at ``min(tile + t * step, ub)``; the ``min`` is left
out when the tile size divides the loop's range (a constant range, or a range
``[x, x + c)`` made by an outer tiling level). A tile at least as large as a
constant range makes a one-trip tile loop, which ``canonicalize`` removes.

Tiling only one loop, the outermost, keeps the order of the iterations. Tiling a
deeper loop moves iterations of the outer loops past it, so it needs what
``loop-interchange`` needs: a rectangular band whose iterations are independent
(every written buffer accessed at one list of indices using every band index).
A loop with iter_args forms a band of its own, tiled in order: its tile loop and
point loop carry the iter_args. Bands that do not qualify are left unchanged, with
a remark under ``debug=true``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import ArrayAttr, ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.dialects import loop
from dlc.dialects.loop import constant_index
from dlc.transforms.loop_interchange import build_levels, integers
from dlc.transforms.loop_nests import (
    NOT_RECTANGULAR,
    Band,
    Dim,
    LoopOp,
    NestLevel,
    constant_difference,
    outermost_loops,
    remark,
    step_times,
    walk_postorder,
)

TILE = "tile"
"""The annotation that requests tiling of the band below a loop."""


def tile_levels(op: Operation) -> list[tuple[int, ...]] | None:
    """The sizes a ``tile`` annotation asks for, one tuple per level."""
    attr = op.attributes.get(TILE)
    single = integers(attr)
    if single is not None:
        return [single]
    if not isinstance(attr, ArrayAttr):
        return None
    levels = [integers(level) for level in attr.data]  # pyright: ignore[reportUnknownVariableType, reportUnknownMemberType, reportUnknownArgumentType]
    if not levels or any(level is None for level in levels):
        return None
    return [level for level in levels if level is not None]


def tile(op: LoopOp, levels: Sequence[Sequence[int]]) -> str | None:
    """Tile the band starting at ``op``, level by level; return why not if illegal.

    Every level is checked before anything changes.
    """
    depth = len(levels[0])
    if any(len(sizes) != depth for sizes in levels):
        return "every tiling level needs as many sizes as the first"
    if any(size < 0 for sizes in levels for size in sizes):
        return "tile sizes must be >= 0"
    band = Band.starting_at(op)
    if len(band.dims) < depth:
        return (
            f"only {len(band.dims)} perfectly nested loops (a loop with iter_args "
            f"stands alone), {depth} sizes"
        )
    if band.cuts_a_loop(depth):
        return f"the first {depth} loops end inside a multi-dimensional loop.parallel"
    if band.outer_bound(depth) is not None:
        return NOT_RECTANGULAR
    if any(size for sizes in levels for size in sizes[1:]):
        problem = band.reorder_problem(depth)
        if problem is not None:
            return problem
    current: LoopOp = op
    for sizes in levels:
        current = _tile_once(Band.starting_at(current), sizes)
    return None


def _tile_once(band: Band, sizes: Sequence[int]) -> LoopOp:
    """One level of tiling; returns the outermost point loop."""
    dims = band.dims[: len(sizes)]
    tiled = [(dim, size) for dim, size in zip(dims, sizes, strict=True) if size]
    outer = band.loops[0]
    if not tiled:
        return outer
    before = InsertPoint.before(outer)
    setup: list[Operation] = []
    strides = [step_times(dim.step, size, setup) for dim, size in tiled]
    Rewriter.insert_op(setup, before)
    if isinstance(outer, loop.ForOp) and outer.iter_args:
        return _tile_carried(outer, strides[0])

    outer_levels = NestLevel.group(
        [
            (dim, dim.lb, dim.ub, stride)
            for (dim, _), stride in zip(tiled, strides, strict=True)
        ]
    )
    for level in outer_levels:
        level.annotations = {}
        level.names = [f"{name or 'd'}_tile" for name in level.names]
    tile_outer, tile_body, tile_indices = build_levels(outer_levels)
    at_tile_body = InsertPoint.before(tile_body.ops.last)  # pyright: ignore[reportArgumentType]
    starts = {
        dim.index: (start, stride)
        for (dim, _), start, stride in zip(tiled, tile_indices, strides, strict=True)
    }
    point_bounds: list[tuple[Dim, SSAValue, SSAValue, SSAValue]] = []
    for dim in dims:
        if dim.index in starts:
            start, stride = starts[dim.index]
            end = _tile_end(dim, start, stride, at_tile_body)
            point_bounds.append((dim, start, end, dim.step))
        else:
            point_bounds.append((dim, dim.lb, dim.ub, dim.step))
    point_levels = NestLevel.group(point_bounds)
    for level in point_levels:
        level.annotations.pop(TILE, None)
    point_outer, point_body, point_indices = build_levels(point_levels)
    Rewriter.insert_op(point_outer, at_tile_body)

    inner: list[Operation]
    if len(dims) == len(band.dims):
        inner = [o for o in band.body.ops if not isinstance(o, loop.YieldOp)]
    else:
        inner = [band.dims[len(dims)].op]
    for moved in inner:
        moved.detach()
        Rewriter.insert_op(moved, InsertPoint.before(point_body.ops.last))  # pyright: ignore[reportArgumentType]
    for dim, index in zip(dims, point_indices, strict=True):
        dim.index.replace_all_uses_with(index)
    Rewriter.insert_op(tile_outer, before)
    Rewriter.erase_op(outer)
    return point_outer


def _tile_end(dim: Dim, start: SSAValue, stride: SSAValue, at: InsertPoint) -> SSAValue:
    """``min(start + stride, ub)``, or ``start + stride`` when tiles fit exactly."""
    name = dim.index.name_hint or "d"
    end = arith.AddiOp(start, stride)
    end.result.name_hint = f"{name}_end"
    Rewriter.insert_op(end, at)
    span = constant_difference(dim.lb, dim.ub)
    size = constant_index(stride)
    if span is not None and size is not None and span % size == 0:
        return end.result
    end.result.name_hint = f"{name}_next_tile"
    bounded = arith.MinSIOp(end.result, dim.ub)
    bounded.result.name_hint = f"{name}_end"
    Rewriter.insert_op(bounded, at)
    return bounded.result


def _tile_carried(op: loop.ForOp, stride: SSAValue) -> loop.ForOp:
    """Strip-mine a loop with iter_args: the tile loop carries them across tiles,
    the original loop, now the point loop, within one."""
    before = InsertPoint.before(op)
    tile_loop = loop.ForOp(op.lb, op.ub, stride, list(op.iter_args))
    body = tile_loop.body.block
    start = body.args[0]
    start.name_hint = f"{op.induction_var.name_hint or 'd'}_tile"
    for arg, old in zip(body.args[1:], op.region_iter_args, strict=True):
        arg.name_hint = old.name_hint
    dim = Band.starting_at(op).dims[0]
    Rewriter.insert_op(tile_loop, before)
    for result, new in zip(op.res, tile_loop.res, strict=True):
        result.replace_all_uses_with(new)
    op.detach()
    body.add_op(op)
    end = _tile_end(dim, start, stride, InsertPoint.before(op))
    op.operands = [start, end, op.step, *body.args[1:]]
    op.attributes.pop(TILE, None)
    body.add_op(loop.YieldOp(*op.res))
    return op


@dataclass(frozen=True)
class LoopTilePass(ModulePass):
    """Tile bands of perfectly nested loops.

    ``sizes=2,4`` on a 5 x 8 copy::

        loop.for %i = %c0 to %c5 step %c1 {
          loop.for %j = %c0 to %c8 step %c1 {
            %x = memref.load %X[%i, %j] : memref<5x8xf32>
            memref.store %x, %Y[%i, %j] : memref<5x8xf32>
          }
        }

    becomes tile loops over ``i`` by 2 and ``j`` by 4, and point loops over one
    tile; 2 does not divide 5, so the last ``i`` tile is cut short by a ``min``::

        loop.for %i_tile = %c0 to %c5 step %c2 {
          loop.for %j_tile = %c0 to %c8 step %c4 {
            %i_next_tile = arith.addi %i_tile, %c2 : index
            %i_end = arith.minsi %i_next_tile, %c5 : index
            %j_end = arith.addi %j_tile, %c4 : index
            loop.for %i = %i_tile to %i_end step %c1 {
              loop.for %j = %j_tile to %j_end step %c1 {
                ...
              }
            }
          }
        }

    ``sizes`` (split into ``levels`` equal lists) applies to every outermost band;
    loops annotated ``tile`` get their own sizes. ``debug`` reports each band left
    alone, and why.
    """

    name = "loop-tile"

    sizes: tuple[int, ...] = ()
    """Tile sizes for every outermost band, level after level."""

    levels: int = 1
    """How many tiling levels ``sizes`` holds."""

    debug: bool = False
    """Report on stderr why a band was not tiled."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.sizes and (self.levels < 1 or len(self.sizes) % self.levels):
            raise ValueError(
                f"{self.name}: {len(self.sizes)} sizes do not split into "
                f"{self.levels} levels"
            )
        requests: list[tuple[LoopOp, list[tuple[int, ...]]]] = []
        for candidate in walk_postorder(op):
            levels = tile_levels(candidate)
            if levels is not None:
                del candidate.attributes[TILE]
                requests.append((candidate, levels))
        annotated = {id(candidate) for candidate, _ in requests}
        if self.sizes:
            depth = len(self.sizes) // self.levels
            option = [
                tuple(self.sizes[level * depth : (level + 1) * depth])
                for level in range(self.levels)
            ]
            requests += [
                (outer, option)
                for outer in outermost_loops(op)
                if id(outer) not in annotated
            ]
        for candidate, levels in requests:
            reason = tile(candidate, levels)
            if reason is not None and self.debug:
                remark(self.name, candidate, f"not tiled: {reason}")
