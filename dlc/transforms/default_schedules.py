"""The default ``#tensor.schedule`` of a compute, by kernel kind and shape.

``tensor-schedule`` asks :func:`default_schedule` for every compute written
without one. The choices follow docs/schedules.md:

* a **contraction** (``reduce add`` of a product of two reads: matmul, dense,
  batched matmul, convolution) gets the register-tiled kernel. The vector loop is
  the innermost output dim; the register tile (one other output dim times ``mr``
  rows, ``nv`` vectors) minimizes a small cost model of the micro-kernel over the
  whole output, remainders included; reads streamed along the reduction are
  packed when that copies each element once and each is reused; the vector dim
  is tiled so that the packed panels the inner loops cycle through fit in L2.
* any **other reduction** and an **elementwise** compute get a vector width for
  their innermost dim (a request to ``loop-vectorize``) when every read that
  moves with that dim reads consecutive elements.

Every kind runs its first output dim with more than one point in parallel when
the compute does enough work to pay for sharing it between threads.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum
from math import prod

from xdsl.dialects import arith
from xdsl.dialects.builtin import Float32Type, Float64Type, TensorType
from xdsl.ir import Operation, SSAValue

from dlc.dialects.loop import VECTOR_WIDTHS
from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp, ScheduleAttr
from dlc.dialects.tensor.access import (
    Dependences,
    body_reads,
    dependences,
    is_contiguous_along,
)
from dlc.targets.cpu.host import CpuModel

PARALLEL_WORK = 1 << 15
"""Points times reduction steps below which a compute stays on one thread."""

FMA_LATENCY = 4
"""Cycles before an accumulator can take its next fused multiply-add."""

LOAD_COST = 0.5
"""Extra cycles per load of a micro-kernel step: loads of streamed panels come
from L2, so a tile that loads less per multiply-add runs closer to peak."""

SEGMENT_COST = 0.03
"""The relative cost of each micro-kernel beyond the first (a remainder segment):
code to compile, so a tile that needs fewer of them wins a near tie."""

PACK_MIN_REUSE = 4
"""How often each packed element must be read for the copy to pay."""

KERNEL_MIN_WORK = 1 << 12
"""Multiply-adds below which a contraction keeps the plain loop nest: the kernel's
code is not worth compiling for it."""


class KernelKind(StrEnum):
    """What a compute computes, as far as scheduling is concerned."""

    CONTRACTION = "contraction"
    REDUCTION = "reduction"
    ELEMENTWISE = "elementwise"


def kernel_kind(compute: ComputeOp) -> KernelKind:
    """A contraction sums the product of two values that each come from a read."""
    if not compute.has_reduction:
        return KernelKind.ELEMENTWISE
    product = compute.yielded.owner
    combiner = compute.combiner
    if (
        combiner is not None
        and combiner.data == Combiner.ADD
        and isinstance(product, arith.MulfOp)
        and all(_reads_something(compute, factor) for factor in product.operands)
    ):
        return KernelKind.CONTRACTION
    return KernelKind.REDUCTION


def _reads_something(compute: ComputeOp, value: SSAValue) -> bool:
    """Whether a read of the body is among what ``value`` is computed from."""
    stack = [value]
    seen: set[Operation] = set()
    while stack:
        owner = stack.pop().owner
        if not isinstance(owner, Operation) or owner in seen:
            continue
        if not compute.is_ancestor(owner):
            continue
        if isinstance(owner, ReadOp):
            return True
        seen.add(owner)
        stack.extend(owner.operands)
    return False


def default_schedule(compute: ComputeOp, cpu: CpuModel) -> ScheduleAttr:
    """The schedule ``tensor-schedule`` gives ``compute`` on ``cpu``."""
    shape = compute.output_shape
    width = _vector_width(compute, cpu)
    parallel = _parallel_dims(compute)
    work = prod(shape) * prod(compute.reduction_extents)
    if (
        kernel_kind(compute) is KernelKind.CONTRACTION
        and shape
        and work >= KERNEL_MIN_WORK
    ):
        return _contraction_schedule(compute, cpu, width, parallel)
    if shape and not _contiguous_along_innermost(compute):
        width = 1
    return ScheduleAttr(parallel=parallel, vectorize=width)


def _contiguous_along_innermost(compute: ComputeOp) -> bool:
    """Whether every read that moves with the innermost output dim is contiguous.

    Only then can ``loop-vectorize`` turn that loop into vector loads; a row
    reduction over the last axis reads ``x[i, k]`` across rows, and stays scalar.
    """
    deps = dependences(compute)
    innermost = len(compute.output_shape) - 1
    return all(
        is_contiguous_along(deps, read, innermost)
        for read in body_reads(compute)
        if innermost in deps[read.result]
    )


def _vector_width(compute: ComputeOp, cpu: CpuModel) -> int:
    """Lanes along the innermost output dim: the machine's, at most that dim's."""
    element = compute.element_type
    shape = compute.output_shape
    if not isinstance(element, Float32Type | Float64Type) or not shape:
        return 1
    lanes = cpu.vector_bytes // (element.bitwidth // 8)
    fitting = [w for w in VECTOR_WIDTHS if w <= min(lanes, shape[-1])]
    return max(fitting, default=1)


def _parallel_dims(compute: ComputeOp) -> tuple[int, ...]:
    shape = compute.output_shape
    work = prod(shape) * prod(compute.reduction_extents)
    if work < PARALLEL_WORK:
        return ()
    return next(((dim,) for dim, extent in enumerate(shape) if extent > 1), ())


# --- contractions ------------------------------------------------------------------


@dataclass(frozen=True)
class _Tile:
    """A register tile: ``rows`` points of output loop ``row_loop``, ``vectors``."""

    row_loop: int | None
    rows: int
    vectors: int


def _contraction_schedule(
    compute: ComputeOp, cpu: CpuModel, width: int, parallel: tuple[int, ...]
) -> ScheduleAttr:
    deps = dependences(compute)
    reads = body_reads(compute)
    extents = (*compute.output_shape, *compute.reduction_extents)
    rank = len(compute.output_shape)
    vector_loop = rank - 1
    tile = _register_tile(compute, deps, reads, cpu, width)
    register = [1] * len(extents)
    register[vector_loop] = tile.vectors * width
    if tile.row_loop is not None:
        register[tile.row_loop] = tile.rows
    packed = _packed_reads(compute, deps, reads, register, width)
    element_bytes = 8 if isinstance(compute.element_type, Float64Type) else 4
    tiles = _cache_tiles(compute, deps, reads, packed, register, element_bytes, cpu)
    if any(tiles[:rank]):
        outermost = next(dim for dim, size in enumerate(tiles[:rank]) if size)
        parallel = (outermost,) if parallel else ()
    return ScheduleAttr(
        tile=tiles if any(tiles) else (),
        parallel=parallel,
        vectorize=width,
        register=register,
        pack=packed,
    )


def _register_tile(
    compute: ComputeOp,
    deps: Dependences,
    reads: list[ReadOp],
    cpu: CpuModel,
    width: int,
) -> _Tile:
    """The register tile of least modelled cost over the whole output."""
    shape = compute.output_shape
    vector_loop = len(shape) - 1
    rank = len(shape)
    reductions = frozenset(range(rank, rank + len(compute.reduction_extents)))
    streamed = [read for read in reads if deps[read.result] & reductions]
    row_loops = [dim for dim in range(vector_loop) if shape[dim] > 1]
    best: tuple[float, _Tile] | None = None
    max_vectors = max(1, min(4, shape[vector_loop] // width))
    for row_loop, rows, vectors in itertools.product(
        [None, *row_loops], range(1, 17), range(1, max_vectors + 1)
    ):
        if (row_loop is None and rows > 1) or (
            row_loop is not None and rows > shape[row_loop]
        ):
            continue
        if rows * vectors + vectors + 1 > cpu.vector_registers:
            continue
        tile = _Tile(row_loop, rows, vectors)
        cost = _tile_cost(tile, shape, deps, streamed, width)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, tile)
    assert best is not None
    return best[1]


def _tile_cost(
    tile: _Tile,
    shape: tuple[int, ...],
    deps: Dependences,
    streamed: list[ReadOp],
    width: int,
) -> float:
    """Modelled cycles per reduction step for the whole output (2 FMAs, 2 loads/cycle).

    Each segment of the output (full blocks and the smaller blocks of the
    remainders, see kernels.py) costs its block's cycles times its block count;
    every micro-kernel beyond the first adds :data:`SEGMENT_COST`.
    """
    vector_loop = len(shape) - 1
    rows = [(tile.rows, 1)] if tile.row_loop is None else None
    if tile.row_loop is not None:
        rows = _segments(shape[tile.row_loop], tile.rows, [1 << b for b in range(4)])
    assert rows is not None
    lanes = _segments(
        shape[vector_loop],
        tile.vectors * width,
        [width, *(w for w in (8, 4, 2) if w < width), 1],
    )
    total = 0.0
    for (row_block, row_count), (lane_block, lane_count) in itertools.product(
        rows, lanes
    ):
        vectors = max(1, lane_block // width) if lane_block >= width else 1
        loads = 0
        for read in streamed:
            read_deps = deps[read.result]
            loads += (row_block if tile.row_loop in read_deps else 1) * (
                vectors if vector_loop in read_deps else 1
            )
        fmas = row_block * vectors
        cycles = max(fmas / 2, loads / 2, FMA_LATENCY) + LOAD_COST * loads
        total += cycles * row_count * lane_count
    others = prod(
        extent for dim, extent in enumerate(shape[:vector_loop]) if dim != tile.row_loop
    )
    variants = len(rows) * len(lanes)
    return total * others * (1 + SEGMENT_COST * (variants - 1))


def _segments(extent: int, block: int, smaller: list[int]) -> list[tuple[int, int]]:
    """``(block size, count)`` covering ``extent``: full blocks, then smaller ones."""
    segments = [(block, extent // block)] if extent >= block else []
    left = extent % block
    for size in sorted(smaller, reverse=True):
        if size < block and left >= size:
            segments.append((size, left // size))
            left %= size
    return segments


def _packed_reads(
    compute: ComputeOp,
    deps: Dependences,
    reads: list[ReadOp],
    register: list[int],
    width: int,
) -> tuple[int, ...]:
    """Reads worth copying into panels before the loop nest.

    A read streamed along the vector loop and the reduction (``w[k, j]``) when the
    panel copies each element once and every element is reused; and any read
    along the vector loop that is not contiguous (a transposed operand), which
    the kernel would otherwise pack itself.
    """
    shape = compute.output_shape
    rank = len(shape)
    extents = (*shape, *compute.reduction_extents)
    vector_loop = rank - 1
    packed: list[int] = []
    for number, read in enumerate(reads):
        read_deps = deps[read.result]
        if width > 1 and vector_loop in read_deps and read.pad is None:
            if not is_contiguous_along(deps, read, vector_loop):
                packed.append(number)
                continue
        streamed = any(p >= rank for p in read_deps) and vector_loop in read_deps
        panel = prod(-(-extents[p] // register[p]) * register[p] for p in read_deps)
        tensor_type = read.tensor.type
        assert isinstance(tensor_type, TensorType)
        elements = prod(tensor_type.get_shape())
        reuse = prod(shape[p] for p in range(rank) if p not in read_deps)
        if streamed and panel <= elements * 5 // 4 and reuse >= PACK_MIN_REUSE:
            packed.append(number)
    return tuple(packed)


def _cache_tiles(
    compute: ComputeOp,
    deps: Dependences,
    reads: list[ReadOp],
    packed: tuple[int, ...],
    register: list[int],
    element_bytes: int,
    cpu: CpuModel,
) -> tuple[int, ...]:
    """Tile the vector loop so that the panels one row block walks stay in L2.

    Between two row blocks the kernel walks, for every block of the vector
    loop, the packed panel of each streamed read: reduction steps times the
    block's lanes. Tiling the vector loop keeps that working set in half of L2.
    """
    shape = compute.output_shape
    rank = len(shape)
    extents = (*shape, *compute.reduction_extents)
    vector_loop = rank - 1
    tiles = [0] * len(extents)
    block = register[vector_loop]
    per_lane = 0
    for number in packed:
        read_deps = deps[reads[number].result]
        if vector_loop in read_deps:
            per_lane += prod(extents[p] for p in read_deps if p >= rank)
    if per_lane:
        lanes = max(block, cpu.l2_bytes // 2 // (per_lane * element_bytes))
        size = lanes // block * block
        if size < shape[vector_loop]:
            tiles[vector_loop] = size
    return tuple(tiles)
