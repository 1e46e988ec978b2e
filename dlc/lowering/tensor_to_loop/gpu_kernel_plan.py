"""What the shared-memory tiled GPU kernel takes, and the tiles a schedule gives it.

The kernel (:mod:`.gpu_kernels`) computes ``out[b, m, n] = sum_k A(b, m, k) *
B(b, k, n)`` for a compute whose body yields a product of two factors, ``A``
independent of the last output dim ``n`` and ``B`` of the one before it, ``m``.
Each factor may be any computation of reads (a transposed or strided read, a
cast): the kernel evaluates it where it stages the tile. A schedule with
``blocks`` names the tiles: ``tile`` the block tile ``BM x BN`` and the k tile
``BK``, ``register`` the thread tile ``TM x TN``::

    schedule<tile = [1, 64, 64, 16], register = [1, 4, 4, 1], blocks = [0, 1, 2]>

for a batched matmul: one batch point per block (``gpu.block.z``), 64 x 64
outputs per block, 16 x 16 threads of 4 x 4 outputs each.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.dialects import arith
from xdsl.dialects.builtin import Float16Type, Float32Type, Float64Type
from xdsl.ir import SSAValue

from dlc.dialects.tensor import Combiner, ComputeOp, ScheduleAttr
from dlc.dialects.tensor.access import dependences

GPU_FLOATS = (Float16Type, Float32Type, Float64Type)
"""The element types of the contractions the kernel takes."""

SHARED_MEMORY_BYTES = 48 * 1024
"""Static shared memory a block may use on every GPU since sm_70."""


@dataclass(frozen=True)
class GpuContraction:
    """How a compute maps onto the tiled GPU kernel.

    ``rows`` (M, absent for a rank-1 result) and ``cols`` (N) are the last two
    output dims, ``batch`` the one before them; ``lhs`` is the factor of the
    product that does not depend on ``cols`` (staged as the A tile), ``rhs`` the
    one that does not depend on ``rows`` (the B tile).
    """

    compute: ComputeOp
    batch: int | None
    rows: int | None
    cols: int
    lhs: SSAValue
    rhs: SSAValue

    @property
    def reduction(self) -> int:
        """The position of the reduction loop (after the output dims)."""
        return len(self.compute.output_shape)

    def extent(self, dim: int | None) -> int:
        """The extent of a loop; 1 for an absent one."""
        if dim is None:
            return 1
        extents = (*self.compute.output_shape, *self.compute.reduction_extents)
        return extents[dim]


def gpu_contraction(compute: ComputeOp) -> GpuContraction | None:
    """The kernel's view of ``compute``, or None when the kernel does not take it.

    It takes a float ``reduce add`` over one reduction dim, with one to three
    output dims, whose body yields a product ``lhs * rhs`` where ``lhs`` does not
    depend on the last output dim and ``rhs`` not on the one before it (or the
    other way round).
    """
    rank = len(compute.output_shape)
    product = compute.yielded.owner
    if (
        not 1 <= rank <= 3
        or len(compute.reduction_extents) != 1
        or compute.combiner is None
        or compute.combiner.data != Combiner.ADD
        or not isinstance(compute.element_type, GPU_FLOATS)
        or not isinstance(product, arith.MulfOp)
        or compute.computed_at is not None
    ):
        return None
    cols = rank - 1
    rows = rank - 2 if rank >= 2 else None
    batch = 0 if rank == 3 else None
    deps = dependences(compute)
    for lhs, rhs in ((product.lhs, product.rhs), (product.rhs, product.lhs)):
        if cols not in deps[lhs] and (rows is None or rows not in deps[rhs]):
            return GpuContraction(compute, batch, rows, cols, lhs, rhs)
    return None


@dataclass(frozen=True)
class GpuTiles:
    """Block tile ``bm x bn``, k tile ``bk``, thread tile ``tm x tn``."""

    bm: int
    bn: int
    bk: int
    tm: int
    tn: int

    @property
    def threads(self) -> tuple[int, int]:
        """The threads of a block along the rows and along the columns."""
        return self.bm // self.tm, self.bn // self.tn


def schedule_tiles(contraction: GpuContraction, schedule: ScheduleAttr) -> GpuTiles:
    """The tiles a GPU schedule gives (an absent rows dim has tiles of 1)."""
    tile, register = schedule.tile_sizes, schedule.register_tile
    rows = contraction.rows
    return GpuTiles(
        bm=1 if rows is None else tile[rows],
        bn=tile[contraction.cols],
        bk=tile[contraction.reduction] or contraction.extent(contraction.reduction),
        tm=1 if rows is None else register[rows],
        tn=register[contraction.cols],
    )


def check_gpu_schedule(compute: ComputeOp, schedule: ScheduleAttr) -> str | None:
    """Why the kernel cannot run ``compute`` with the GPU ``schedule``; None if it can.

    ``schedule`` already passed :meth:`ScheduleAttr.verify_kernel_fields`.
    """
    contraction = gpu_contraction(compute)
    if contraction is None:
        return (
            "a GPU schedule (blocks) needs a float contraction over one reduction "
            "dim with 1 to 3 output dims, whose product has a factor independent of "
            "the last output dim and one independent of the dim before it"
        )
    batch = contraction.batch
    if batch is not None and (
        schedule.tile_sizes[batch] != 1 or schedule.register_tile[batch] != 1
    ):
        return (
            "a GPU schedule tiles the batch dim 0 by 1, got tile "
            f"{schedule.tile_sizes[batch]} and register "
            f"{schedule.register_tile[batch]}"
        )
    tiles = schedule_tiles(contraction, schedule)
    element = compute.element_type
    assert isinstance(element, GPU_FLOATS)
    shared = tiles.bk * (tiles.bm + tiles.bn) * element.bitwidth // 8
    if shared > SHARED_MEMORY_BYTES:
        return (
            f"a GPU schedule stages {tiles.bk} x ({tiles.bm} + {tiles.bn}) elements "
            f"= {shared} bytes in shared memory, expected at most "
            f"{SHARED_MEMORY_BYTES}"
        )
    return None
