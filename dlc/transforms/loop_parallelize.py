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

The runtime runs one chunk of tasks per thread, so a loop of few tasks leaves
threads idle: 3 tasks on 2 threads keep them busy 3/4 of the time. When less
than :data:`MIN_BALANCE` of the threads' time is used and a task is one parallel
loop and index arithmetic, that inner loop is mapped instead if it balances
better and is worth it on its own: one region per outer iteration, about 0.5 us
each while the workers still spin. A convolution with a 144-wide output packs
its input into 3 panels of 48 columns (tensor-to-loop's kernel buffers), filled
as 3 regions of 144 rows.

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
from xdsl.traits import is_side_effect_free

from dlc.dialects import loop
from dlc.dialects.loop import constant_index, constant_trip_count
from dlc.transforms.loop_nests import tile_extent

MIN_BALANCE = 0.9
"""The share of the threads' time a mapped loop's chunks must keep busy before an
inner parallel loop is preferred: below it, 3, 5 or 7 tasks on 2 threads."""

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
                    self._map(*self._balanced(op, dim))
                continue
            for region in op.regions:
                for inner in region.blocks:
                    self._visit(inner)

    def _threads(self) -> int:
        return self.threads if self.threads > 1 else os.cpu_count() or 1

    def _worth_it(self, op: loop.ParallelOp, dim: int) -> bool:
        tasks = _tasks(op, dim)
        if tasks is None or tasks < 2:
            return False
        chunks = min(self._threads(), tasks)
        return chunks >= 2 and work_of(op) >= self.min_task_work * chunks

    def _balanced(self, op: loop.ParallelOp, dim: int) -> tuple[loop.ParallelOp, int]:
        """``op``'s tasks, or those of a parallel loop it is all made of that
        keeps the threads busier (see the module's docstring)."""
        best = (op, dim, self._balance(op, dim))
        current, current_dim = op, dim
        while best[2] < MIN_BALANCE:
            inner = _only_parallel_loop(current, current_dim)
            if inner is None:
                break
            current, current_dim = inner, _task_dimension(inner)
            if current_dim is None:
                continue
            if not self._worth_it(current, current_dim):
                break
            balance = self._balance(current, current_dim)
            if balance > best[2]:
                best = (current, current_dim, balance)
        return best[0], best[1]

    def _balance(self, op: loop.ParallelOp, dim: int) -> float:
        """The share of the threads' time the chunks of ``op``'s tasks keep busy."""
        tasks = _tasks(op, dim)
        assert tasks is not None
        threads = min(self._threads(), tasks)
        return tasks / (threads * -(-tasks // threads))

    def _map(self, op: loop.ParallelOp, dim: int) -> None:
        names = [loop.NO_MAPPING] * len(op.lower_bounds)
        names[dim] = loop.CPU_THREAD
        op.properties["mapping"] = ArrayAttr(StringAttr(name) for name in names)
        if self.threads > 1:
            op.attributes[loop.THREADS] = IntegerAttr(self.threads, i64)


def _tasks(op: loop.ParallelOp, dim: int) -> int | None:
    """How many iterations dimension ``dim`` of ``op`` runs, if known."""
    lb, ub, step = op.lower_bounds[dim], op.upper_bounds[dim], op.steps[dim]
    return constant_trip_count(lb, ub, step)


def _only_parallel_loop(op: loop.ParallelOp, dim: int | None) -> loop.ParallelOp | None:
    """The parallel loop that is all a task of ``op`` runs, besides index arithmetic.

    None when another dimension than ``dim`` runs more than once, or the body
    does anything else: mapping the inner loop would leave that work serial.
    """
    if any(other != dim and _tasks(op, other) != 1 for other in range(len(op.steps))):
        return None
    inner: loop.ParallelOp | None = None
    for child in op.body.block.ops:
        if isinstance(child, loop.ParallelOp) and inner is None:
            inner = child
        elif not isinstance(child, loop.YieldOp) and (
            child.regions or not is_side_effect_free(child)
        ):
            return None
    if inner is None or any(n != loop.NO_MAPPING for n in inner.mapping_names()):
        return None
    return inner


def _task_dimension(op: loop.ParallelOp) -> int | None:
    """The first dimension that does not run exactly once, if any."""
    return next((dim for dim in range(len(op.steps)) if _tasks(op, dim) != 1), None)


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
