"""GPU schedules: shared-memory tiles for contractions, parallel nests for the rest.

``tensor-schedule{target=gpu}`` asks :func:`gpu_schedule` for every compute
written without a schedule. A **contraction** the tiled kernel takes (see
:func:`gpu_contraction`: matmul, dense, batched matmul, their fused forms) gets
a block tile ``BM x BN``, a k tile ``BK`` and a thread tile ``TM x TN``::

    %c = tensor.compute (%i, %j) reduce add (%k) in [1024] init 0.0
           schedule<tile = [64, 64, 16], register = [4, 4, 1], blocks = [0, 1]>
           : tensor<1024x1024xf32> { ... x[%i, %k] * w[%k, %j] ... }

Each block computes a ``64 x 64`` tile of the output with ``16 x 16`` threads of
``4 x 4`` points, staging ``16``-deep slices of both operands in shared memory
(:mod:`dlc.lowering.tensor_to_loop.gpu_kernels` builds it). The tiles shrink
with the shapes: a dim of 3 points gets a block tile of 4 (the next power of
two) and one point per thread, so small and skinny products do not waste
threads; when the 64 x 64 tiles would leave most of a GPU's multiprocessors
idle, 32 x 32 tiles with 2 x 2 per thread make four times more blocks.

Every **other compute** (and a contraction the kernel does not take: a
convolution, an integer product) runs all its output dims in parallel,
``schedule<parallel = [0, 1]>``, so that ``tensor-to-loop`` builds unmapped
``loop.parallel`` nests for ``loop-to-gpu`` to map, with its reductions as
``loop.for`` inside; a computed-at compute runs inside its host's points and
stays unscheduled.
"""

from __future__ import annotations

from math import ceil

from dlc.dialects.tensor import ComputeOp, ScheduleAttr
from dlc.lowering.tensor_to_loop.gpu_kernel_plan import (
    GpuContraction,
    GpuTiles,
    gpu_contraction,
)

BLOCK_TILE = 64
THREAD_TILE = 4
K_TILE = 16
"""The tiles of a large product: 64 x 64 blocks of 16 x 16 threads, 16 deep."""

BUSY_BLOCKS = 64
"""Blocks below which large tiles leave a GPU mostly idle (an H100 has 132
multiprocessors): the product gets tiles of half the size."""


def _next_power_of_two(extent: int) -> int:
    return 1 << max(extent - 1, 0).bit_length()


def choose_tiles(contraction: GpuContraction) -> GpuTiles:
    """The tiles for the shapes of ``contraction`` (see the module docstring)."""
    m = contraction.extent(contraction.rows)
    n = contraction.extent(contraction.cols)
    k = contraction.extent(contraction.reduction)
    batch = contraction.extent(contraction.batch)
    block, thread = BLOCK_TILE, THREAD_TILE
    blocks = batch * ceil(m / block) * ceil(n / block)
    if blocks < BUSY_BLOCKS and m > block // 2 and n > block // 2:
        block, thread = block // 2, thread // 2
    bm = min(block, _next_power_of_two(m))
    bn = min(block, _next_power_of_two(n))
    tm = max(1, bm // (block // thread))
    tn = max(1, bn // (block // thread))
    return GpuTiles(bm, bn, min(K_TILE, _next_power_of_two(k)), tm, tn)


def tiled_schedule(contraction: GpuContraction, tiles: GpuTiles) -> ScheduleAttr:
    """The ``#tensor.schedule`` that asks the kernel for ``tiles``."""
    rank = len(contraction.compute.output_shape)
    tile = [1] * (rank + 1)
    register = [1] * (rank + 1)
    tile[contraction.cols], register[contraction.cols] = tiles.bn, tiles.tn
    if contraction.rows is not None:
        tile[contraction.rows], register[contraction.rows] = tiles.bm, tiles.tm
    tile[contraction.reduction] = tiles.bk
    return ScheduleAttr(tile=tile, register=register, blocks=range(rank))


def gpu_schedule(compute: ComputeOp) -> ScheduleAttr | None:
    """The schedule ``tensor-schedule{target=gpu}`` gives ``compute``, if any."""
    contraction = gpu_contraction(compute)
    if contraction is not None:
        return tiled_schedule(contraction, choose_tiles(contraction))
    if compute.computed_at is not None or not compute.output_shape:
        return None
    return ScheduleAttr(parallel=range(len(compute.output_shape)))
