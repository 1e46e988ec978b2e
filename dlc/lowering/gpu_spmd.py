"""One GPU block's code in SPMD form: every thread of the block runs all of it.

At level 1 a ``gpu.block`` loop's body is sequential code with ``gpu.thread``
loops in it; each thread loop finishes, for all threads, before the next op runs.
In a kernel every thread runs the sequential code, and a thread loop becomes the
code of one iteration, at the ivs of the thread that runs it::

    loop.parallel (%ty, %tx) = (%c0, %c0) to (%c8, %c16) step (%c1, %c1)
        mapping [gpu.thread.y, gpu.thread.x] {
      ... %tx, %ty ...
    }
    ... code that reads what the threads stored ...

becomes, in a block of 16 x 8 threads::

    %tid_x = gpu.thread_id x
    %tid_y = gpu.thread_id y
    ... %tid_x, %tid_y ...
    gpu.barrier
    ... code that reads what the threads stored ...

* **Block size.** The largest trip count of each thread dim over the block's
  thread loops. A loop with fewer trips is guarded by a ``loop.for`` from the
  thread id to its trip count with the block size as step: one trip for the
  threads inside, none for the others. (The loop dialect has no ``if``; this
  guard is a loop every later lowering already knows.)
* **Barriers.** A ``gpu.barrier`` follows every thread loop, except one that ends
  the kernel; one precedes a thread loop when sequential code that touches
  workgroup or global memory runs before it (also at the end of an enclosing
  ``loop.for``, which runs before it in the next iteration).
* **Sequential stores.** Sequential code that stores into workgroup or global
  memory runs on thread (0, 0, 0) only, under a guard, with the same barriers
  as a thread loop: threads must not race on a read-modify-write they all do.
* **Workgroup buffers** (``#gpu.address_space<workgroup>``) become one
  ``memref.alloca`` of the same type at the top of the kernel: gpu-to-nvvm gives
  each an ``addrspace(3)`` global, the GPU emulator one buffer per block.
* **Private buffers** (``#gpu.address_space<private>``) drop their leading thread
  dims: ``memref<16x8x4xf32, private>`` indexed ``[%tx, %ty, %k]`` becomes a
  ``memref<4xf32, private>`` alloca indexed ``[%k]`` in each thread. Every access
  must index those dims with the ivs of its enclosing thread loops, the same
  ones everywhere: a thread reads only its own slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from xdsl.dialects import arith, gpu, memref
from xdsl.dialects.builtin import MemRefType
from xdsl.ir import Block, BlockArgument, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import IsTerminator, RecursiveMemoryEffect, is_side_effect_free

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects import loop
from dlc.dialects.loop.memory_space import AddressSpace, address_space
from dlc.lowering.gpu_kernel_builder import (
    KernelBuilder,
    affine_index,
    guard_loop,
    inline_loop_body,
    serialize_parallel,
)

MAX_BLOCK_THREADS = 1024
"""The most threads a CUDA block may have."""

ACCESSES = (memref.LoadOp, memref.StoreOp, loop.VLoadOp, loop.VStoreOp)
STORES = (memref.StoreOp, loop.VStoreOp)
GPU_INDICES = gpu.ThreadIdOp | gpu.BlockIdOp | gpu.BlockDimOp | gpu.GridDimOp


def error(op: Operation, message: str) -> DiagnosticError:
    return DiagnosticError(f"loop-to-gpu: {message}", SourceLocation.of(op.location))


@dataclass(frozen=True)
class ThreadDim:
    """One dim of a thread loop: ``iv = lb + t * step`` for ``t < trips``."""

    axis: int
    lb: int
    trips: int
    step: int
    iv: BlockArgument


@dataclass
class ThreadNest:
    """A perfect nest of ``gpu.thread`` loops, run as one multi-dim loop."""

    root: loop.ParallelOp
    dims: list[ThreadDim]
    body: loop.ParallelOp
    """The innermost loop, whose body is the per-thread code."""


def _thread_nest(root: loop.ParallelOp) -> ThreadNest:
    dims: list[ThreadDim] = []
    current = root
    while True:
        for name, lb, ub, step, iv in zip(
            current.mapping_names(),
            current.lower_bounds,
            current.upper_bounds,
            current.steps,
            current.induction_vars,
            strict=True,
        ):
            if name not in loop.GPU_THREADS:
                raise error(
                    current,
                    f"a loop.parallel mapped to GPU threads must map every dim to "
                    f"gpu.thread.x|y|z, got [{', '.join(current.mapping_names())}]",
                )
            trips = loop.constant_trip_count(lb, ub, step)
            if trips is None:
                raise error(
                    current,
                    "a gpu.thread loop needs constant bounds and step: they give "
                    "the block size",
                )
            lower, stride = loop.constant_index(lb), loop.constant_index(step)
            assert lower is not None and stride is not None
            dims.append(
                ThreadDim(loop.GPU_THREADS.index(name), lower, trips, stride, iv)
            )
        ops = [o for o in current.body.block.ops if not isinstance(o, loop.YieldOp)]
        if len(ops) == 1 and _is_thread_loop(ops[0]):
            assert isinstance(ops[0], loop.ParallelOp)
            current = ops[0]
            continue
        for op in ops:
            for inner in op.walk():
                if _is_thread_loop(inner):
                    raise error(
                        inner,
                        "a gpu.thread loop nested in another must be the only op "
                        "of the outer loop's body",
                    )
        return ThreadNest(root, dims, current)


def _is_thread_loop(op: Operation) -> bool:
    return isinstance(op, loop.ParallelOp) and any(
        n in loop.GPU_THREADS for n in op.mapping_names()
    )


def _touches_memory(op: Operation, *, writes_only: bool) -> bool:
    """Whether ``op`` reads (or, with ``writes_only``, writes) memory other
    threads can see: workgroup or global, not private."""
    for inner in op.walk():
        if isinstance(inner, ACCESSES):
            memref_value = inner.operands[1 if isinstance(inner, STORES) else 0]
            if address_space(memref_value.type) == AddressSpace.PRIVATE:
                continue
            if not writes_only or isinstance(inner, STORES):
                return True
        elif not (
            is_side_effect_free(inner)
            or inner.has_trait(RecursiveMemoryEffect)
            or isinstance(inner, memref.AllocOp | memref.AllocaOp | memref.DeallocOp)
            or isinstance(inner, loop.CheckIndexOp | gpu.BarrierOp | GPU_INDICES)
        ):
            return True
    return False


class BlockSpmd:
    """Rewrites the body of one kernel (the code of one block) into SPMD form."""

    def __init__(self, builder: KernelBuilder) -> None:
        self.builder = builder
        self.entry = builder.entry
        self.nests = [
            _thread_nest(op)
            for op in self.entry.walk()
            if _is_thread_loop(op) and not _inside_thread_loop(op)
        ]
        self.block_dims = [1, 1, 1]
        for nest in self.nests:
            for dim in nest.dims:
                self.block_dims[dim.axis] = max(self.block_dims[dim.axis], dim.trips)
        if prod(self.block_dims) > MAX_BLOCK_THREADS:
            dims = "x".join(str(d) for d in self.block_dims)
            raise error(
                self.nests[0].root,
                f"the gpu.thread loops need a block of {dims} = "
                f"{prod(self.block_dims)} threads, more than the "
                f"{MAX_BLOCK_THREADS} a GPU block may have",
            )

    def run(self) -> None:
        self._localize_buffers()
        if prod(self.block_dims) > 1:
            self._synchronize(self.entry)
        for nest in self.nests:
            self._distribute(nest)
        for op in list(self.entry.walk()):
            if isinstance(op, loop.ParallelOp):
                serialize_parallel(op)

    # Buffers -----------------------------------------------------------------

    def _localize_buffers(self) -> None:
        thread_dims = {dim.iv: dim for nest in self.nests for dim in nest.dims}
        for op in list(self.entry.walk()):
            if not isinstance(op, memref.AllocOp | memref.AllocaOp):
                continue
            space = address_space(op.memref.type)
            if space is None or space == AddressSpace.GLOBAL:
                raise error(
                    op,
                    f"{op.name} of {op.memref.type} inside a kernel must be in "
                    "#gpu.address_space<workgroup> or <private>; global buffers "
                    "are allocated outside GPU loops",
                )
            if op.dynamic_sizes:
                raise error(op, f"{op.name} inside a kernel must have a static shape")
            leading = (
                _private_thread_dims(op, thread_dims)
                if space == AddressSpace.PRIVATE
                else 0
            )
            self._replace_buffer(op, leading)

    def _replace_buffer(
        self, op: memref.AllocOp | memref.AllocaOp, leading: int
    ) -> None:
        old_type = op.memref.type
        assert isinstance(old_type, MemRefType)
        shape = old_type.get_shape()[leading:]
        alloca = memref.AllocaOp.get(
            old_type.element_type,
            shape=shape,
            memory_space=old_type.memory_space,  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        )
        alloca.memref.name_hint = op.memref.name_hint
        self.builder.hoist(alloca)
        for use in list(op.memref.uses):
            user = use.operation
            if isinstance(user, memref.DeallocOp):
                user.detach()
                user.erase()
                continue
            operands = list(user.operands)
            position = 1 if isinstance(user, STORES) else 0
            operands[position] = alloca.memref
            del operands[position + 1 : position + 1 + leading]
            new = user.create(
                operands=operands,
                result_types=[r.type for r in user.results],
                properties=dict(user.properties),
                attributes=dict(user.attributes),
            )
            Rewriter.replace_op(user, new)
        op.detach()
        op.erase()

    # Barriers ----------------------------------------------------------------

    def _synchronize(self, block: Block) -> None:
        """Barriers around the thread loops and the guarded sequential stores
        of ``block`` and of the sequential loops in it."""
        roots = {nest.root for nest in self.nests}
        segments: list[Operation] = []
        for op in list(block.ops):
            if op.has_trait(IsTerminator):
                continue
            if op in roots:
                segments.append(op)
            elif any(inner in roots for inner in op.walk()):
                if not isinstance(op, loop.ForOp):
                    raise error(
                        op,
                        f"gpu.thread loops inside {op.name} cannot be mapped; "
                        "only sequential loop.for ops may enclose them",
                    )
                self._synchronize(op.body.block)
            elif _touches_memory(op, writes_only=True):
                if any(r.uses for r in op.results):
                    raise error(
                        op,
                        f"{op.name} stores into memory all threads share and has "
                        "results; it cannot run on one thread of the block",
                    )
                segments.append(self._on_first_thread(op))
        before = [s for s in segments if self._needs_barrier_before(s, set(segments))]
        for segment in segments:
            last_in_kernel = block is self.entry and _is_last(segment)
            if not last_in_kernel:
                block.insert_op_after(gpu.BarrierOp(), segment)
        for segment in before:
            block.insert_op_before(gpu.BarrierOp(), segment)

    def _on_first_thread(self, op: Operation) -> Operation:
        """``op`` under a guard that only thread (0, 0, 0) passes."""
        ids = [self.builder.thread_id(a) for a in range(3) if self.block_dims[a] > 1]
        total = ids[0]
        at = InsertPoint.before(op)
        for other in ids[1:]:
            add = arith.AddiOp(total, other)
            Rewriter.insert_op(add, at)
            total = add.result
        guard, inside = guard_loop(self.builder, at, total, 1, 1)
        op.detach()
        Rewriter.insert_op(op, inside)
        return guard

    def _needs_barrier_before(
        self, segment: Operation, segments: set[Operation]
    ) -> bool:
        """Whether sequential code that touches shared memory runs right before
        ``segment`` (going round an enclosing loop.for)."""
        block = segment.parent_block()
        assert block is not None
        wraps = isinstance(block.parent_op(), loop.ForOp)
        op = segment.prev_op
        while True:
            if op is None:
                if not wraps:
                    return False
                op, wraps = block.last_op, False
                continue
            if op is segment or op in segments or _ends_with_barrier(op):
                return False
            if _touches_memory(op, writes_only=False):
                return True
            op = op.prev_op

    # Thread loops ------------------------------------------------------------

    def _distribute(self, nest: ThreadNest) -> None:
        at = InsertPoint.before(nest.root)
        ivs: list[SSAValue] = []
        for dim in nest.dims:
            tid = self.builder.thread_id(dim.axis)
            t = tid
            if dim.trips < self.block_dims[dim.axis]:
                guard, at = guard_loop(
                    self.builder, at, tid, dim.trips, self.block_dims[dim.axis]
                )
                t = guard.induction_var
            ivs.append(affine_index(self.builder, at, dim.lb, dim.step, t))
        for dim, iv in zip(nest.dims, ivs, strict=True):
            dim.iv.replace_all_uses_with(iv)
        inline_loop_body(nest.body, at, ())
        nest.root.detach()
        nest.root.erase()


def _ends_with_barrier(op: Operation) -> bool:
    """A barrier, or a loop.for whose body ends with one (its thread loops')."""
    if isinstance(op, loop.ForOp):
        last = op.body.block.last_op
        last = last.prev_op if isinstance(last, loop.YieldOp) else last
        return isinstance(last, gpu.BarrierOp)
    return isinstance(op, gpu.BarrierOp)


def _inside_thread_loop(op: Operation) -> bool:
    parent = op.parent_op()
    while parent is not None:
        if _is_thread_loop(parent):
            return True
        parent = parent.parent_op()
    return False


def _is_last(op: Operation) -> bool:
    following = op.next_op
    return following is None or following.has_trait(IsTerminator)


def _private_thread_dims(
    alloc: memref.AllocOp | memref.AllocaOp, thread_dims: dict[SSAValue, ThreadDim]
) -> int:
    """How many leading dims of a private buffer are thread dims, checking that
    every access indexes them with its own thread's ivs, the same everywhere."""
    pattern: tuple[tuple[int, int, int], ...] | None = None
    first: Operation | None = None
    users = {use.operation for use in alloc.memref.uses}
    block = alloc.parent_block()
    assert block is not None
    in_order = [o for op in block.ops for o in op.walk() if o in users]
    for user in in_order:
        if isinstance(user, memref.DeallocOp):
            continue
        position = 1 if isinstance(user, STORES) else 0
        uses = [i for i, v in enumerate(user.operands) if v == alloc.memref]
        if not isinstance(user, ACCESSES) or uses != [position]:
            raise error(
                user,
                f"private buffer %{alloc.memref.name_hint or '?'} may only be "
                f"loaded and stored, not used by {user.name}",
            )
        indices = user.operands[position + 1 :]
        leading: list[tuple[int, int, int]] = []
        for index in indices:
            dim = thread_dims.get(index)
            if dim is None:
                break
            leading.append((dim.axis, dim.lb, dim.step))
        found = tuple(leading)
        if pattern is None:
            pattern, first = found, user
        elif found != pattern:
            assert first is not None
            raise error(
                user,
                f"private buffer %{alloc.memref.name_hint or '?'} is indexed here "
                f"by {_describe(found)} but elsewhere by {_describe(pattern)}; "
                "a thread may only access its own slice, indexed by the ivs of "
                "its enclosing gpu.thread loops",
            )
    return len(pattern or ())


def _describe(pattern: tuple[tuple[int, int, int], ...]) -> str:
    if not pattern:
        return "no thread ivs"
    names = ", ".join(loop.GPU_THREADS[axis] for axis, _, _ in pattern)
    return f"the thread ivs [{names}]"
