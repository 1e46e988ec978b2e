"""loop-parallelize: run the outermost parallel loops on CPU threads.

``tensor-to-loop`` makes the loops of a compute's ``parallel`` schedule dims
unmapped ``loop.parallel`` ops: their iterations are independent, but nothing says
yet where they run. This pass gives the outermost one of each nest the mapping
``cpu.thread``, so that ``loop-to-llvm`` outlines its body and hands it to the
thread pool (docs/runtime.md), when it is worth it::

    loop.parallel (%i) = (%c0) to (%c512) step (%c1) {
      loop.for %j = %c0 to %c512 step %c1 { ... }
    }

becomes, with ``threads=2``::

    loop.parallel (%i) = (%c0) to (%c512) step (%c1) mapping [cpu.thread] {
      loop.for %j = %c0 to %c512 step %c1 { ... }
    } {threads = 2 : i64}

Each iteration is a task; the runtime splits the tasks into one contiguous chunk
per thread. A loop is mapped when it has at least two iterations and the work
per chunk, estimated as the number of ops its body runs (each op counts 1, loops
multiply by their trip counts), is at least ``min_task_work``: waking the pool and
joining it costs about as much as a few thousand ops. A dimension that runs once
is looked through: the next parallel loop inside it is considered instead. Loops
nested in a mapped loop stay unmapped and run serially inside each task.

Options: ``threads`` (default 0: the runtime decides, from ``$DLC_NUM_THREADS`` or
the number of CPUs, and the work estimate assumes ``os.cpu_count()`` threads;
1 leaves the module unchanged) and ``min_task_work``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, ModuleOp, StringAttr, i64
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass

from dlc.dialects import loop
from dlc.dialects.loop import constant_index, constant_trip_count
from dlc.transforms.loop_nests import tile_extent

DEFAULT_MIN_TASK_WORK = 1 << 15
"""Estimated ops per chunk below which a parallel loop stays serial.

Measured (docs/runtime.md): a region costs about 0.5 us when the workers are
still spinning from the previous one and about 10 us when they must be woken;
32768 scalar ops take 10-30 us.
"""


@dataclass(frozen=True)
class LoopParallelizePass(ModulePass):
    """Map the outermost unmapped ``loop.parallel`` of each nest to CPU threads."""

    name = "loop-parallelize"

    threads: int = 0
    min_task_work: int = DEFAULT_MIN_TASK_WORK

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.threads == 1:
            return
        for region in op.regions:
            for block in region.blocks:
                self._visit(block)

    def _visit(self, block: Block) -> None:
        for op in list(block.ops):
            if isinstance(op, loop.ParallelOp):
                if any(name != loop.NO_MAPPING for name in op.mapping_names()):
                    continue
                dim = _task_dimension(op)
                if dim is None:
                    self._visit(op.body.block)
                elif self._worth_it(op, dim):
                    self._map(op, dim)
                continue
            for region in op.regions:
                for inner in region.blocks:
                    self._visit(inner)

    def _worth_it(self, op: loop.ParallelOp, dim: int) -> bool:
        tasks = constant_trip_count(
            op.lower_bounds[dim], op.upper_bounds[dim], op.steps[dim]
        )
        if tasks is None or tasks < 2:
            return False
        threads = self.threads if self.threads > 1 else os.cpu_count() or 1
        chunks = min(threads, tasks)
        return chunks >= 2 and work_of(op) >= self.min_task_work * chunks

    def _map(self, op: loop.ParallelOp, dim: int) -> None:
        names = [loop.NO_MAPPING] * len(op.lower_bounds)
        names[dim] = loop.CPU_THREAD
        op.properties["mapping"] = ArrayAttr(StringAttr(name) for name in names)
        if self.threads > 1:
            op.attributes[loop.THREADS] = IntegerAttr(self.threads, i64)


def _task_dimension(op: loop.ParallelOp) -> int | None:
    """The first dimension that does not run exactly once, if any."""
    for dim, (lb, ub, step) in enumerate(
        zip(op.lower_bounds, op.upper_bounds, op.steps, strict=True)
    ):
        if constant_trip_count(lb, ub, step) != 1:
            return dim
    return None


def work_of(op: Operation) -> int:
    """Ops ``op`` runs, its loops multiplied out (an unknown trip count counts 1)."""
    if isinstance(op, loop.ForOp):
        return _trips(op.lb, op.ub, op.step) * _block_work(op.body.block)
    if isinstance(op, loop.ParallelOp):
        trips = 1
        bounds = zip(op.lower_bounds, op.upper_bounds, op.steps, strict=True)
        for lb, ub, step in bounds:
            trips *= _trips(lb, ub, step)
        return trips * _block_work(op.body.block)
    nested = (block for region in op.regions for block in region.blocks)
    return 1 + sum(_block_work(block) for block in nested)


def _block_work(block: Block) -> int:
    return sum(work_of(op) for op in block.ops)


def _trips(lb: SSAValue, ub: SSAValue, step: SSAValue) -> int:
    """The trip count, or its bound for a tile ``[t, min(t + c, n))``, else 1."""
    count = constant_trip_count(lb, ub, step)
    if count is not None:
        return count
    stride = constant_index(step)
    extent = tile_extent(lb, ub)
    if stride is None or stride <= 0 or extent is None:
        return 1
    return max(0, -(-extent // stride))
