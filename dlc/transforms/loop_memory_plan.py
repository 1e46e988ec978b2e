"""loop-memory-plan: put a function's temporaries in one arena, reusing dead memory.

``tensor-to-loop`` gives every temporary its own ``memref.alloc`` and frees it
after its last use. This pass replaces them all with typed views into one arena,
allocated once per call (one ``aligned_alloc`` instead of one per temporary), in
which a buffer takes the place of buffers that are dead by the time it is
written, as NNVM's and TVM's memory planners do::

    func.func @f(%x: memref<64xf32>, %out0: memref<64xf32>) {
      %a = memref.alloc() : memref<64xf32>
      loop.for ... { a[i] = exp(x[i]) }
      %b = memref.alloc() : memref<64xf32>
      loop.for ... { b[i] = a[i] * a[63 - i] }
      memref.dealloc %a : memref<64xf32>
      %c = memref.alloc() : memref<64xf32>
      loop.for ... { c[i] = b[i] + 1 }
      memref.dealloc %b : memref<64xf32>
      loop.for ... { out0[i] = c[i] * x[i] }
      memref.dealloc %c : memref<64xf32>
      func.return
    }

becomes::

    func.func @f(%x: memref<64xf32>, %out0: memref<64xf32>) attributes {
        dlc.memory_plan = {arena_bytes = 512 : i64, temporary_bytes = 768 : i64,
                           live_bytes = 512 : i64, buffers = 3 : i64,
                           in_place = 1 : i64}} {
      %arena = memref.alloc() {alignment = 64 : i64} : memref<512xi8>
      %c0 = arith.constant 0 : index
      %c256 = arith.constant 256 : index
      %a = memref.view %arena[%c0][] : memref<512xi8> to memref<64xf32>
      loop.for ... { a[i] = exp(x[i]) }
      %b = memref.view %arena[%c256][] : memref<512xi8> to memref<64xf32>
      loop.for ... { b[i] = a[i] * a[63 - i] }
      %c = memref.view %arena[%c256][] : memref<512xi8> to memref<64xf32>
      loop.for ... { c[i] = b[i] + 1 }  // in place: b dies here, read at i only
      loop.for ... { out0[i] = c[i] * x[i] }
      memref.dealloc %arena : memref<512xi8>
      func.return
    }

``%b`` cannot take ``%a``'s place: ``a`` is read at ``63 - i`` while ``b[i]`` is
written, so ``a`` is live during that whole nest.

**Live ranges.** A temporary lives from the top-level op of the function body
that first uses it to the one that last uses it (its ``dealloc`` aside): a use
inside a loop nest keeps it alive for the whole nest. Only temporaries in the
function body, with a static shape, read and written only by loads, stores,
vector loads and stores and calls, are planned; anything else (a returned
buffer, a buffer allocated inside a loop, which may be one per thread) keeps its
own allocation.

**In place.** A temporary may take the memory of another one of the same type
that dies in the nest where it is born, when every access of that nest to the
two is a load of the dying one paired with a later store of the new one in the
same block, at the same indices (the same SSA values, with the same vector
width), and those indices run over distinct elements: each is the induction
variable of an enclosing loop (of a step no smaller than the vector width for
the last index), every enclosing loop either gives an index or is the tile loop
of one that does. Each element is then read exactly once, just before it is
overwritten. An elementwise nest qualifies; a transpose, a broadcast or a
reduction does not.

**Placement.** Buffers (a buffer computed in place shares its predecessor's
place) are placed one by one, each at the lowest 64-byte-aligned offset that does
not overlap a placed buffer whose live range overlaps its own, as TFLite's greedy
planner does. The arena is the end of the highest buffer. No one order suits all
lifetimes, so five are tried (largest first, and others: ``_ORDERS``) and the
smallest arena is kept.

**Figures.** Each function gets a ``dlc.memory_plan`` attribute:
``arena_bytes`` (the arena, the peak memory of temporaries), ``temporary_bytes``
(all planned temporaries together: the memory without reuse),
``live_bytes`` (the largest sum of the temporaries live at one top-level op: the
peak of the allocations before planning), ``buffers`` and ``in_place``. Sizes
are rounded up to 64 bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from math import prod

from xdsl.context import Context
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    DictionaryAttr,
    FixedBitwidthType,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    NoneAttr,
    VectorType,
    i8,
    i64,
)
from xdsl.ir import Attribute, Block, BlockArgument, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import SymbolTable

from dlc.dialects import loop
from dlc.dialects.loop import constant_index
from dlc.transforms.loop_nests import tile_extent
from dlc.transforms.loop_outline_kernels import KERNEL_OF

ALIGNMENT = 64
"""Bytes every buffer's offset in the arena is a multiple of: a cache line, and
the widest vector register (AVX-512), as for a ``memref.alloc``."""
PLAN_ATTRIBUTE = "dlc.memory_plan"
_MAX_BYTES = 2**63 - 1
"""Larger buffers are left alone, for loop-to-llvm to report at their alloc."""

_ACCESSES = (memref.LoadOp, memref.StoreOp, loop.VLoadOp, loop.VStoreOp)
_LOADS = (memref.LoadOp, loop.VLoadOp)
_STORES = (memref.StoreOp, loop.VStoreOp)


@dataclass(frozen=True)
class LoopMemoryPlanPass(ModulePass):
    """Plan every function's temporaries into one arena (see the module docstring).

    ``in_place=false`` turns computing in place off, so that buffers only reuse
    the memory of buffers already dead.
    """

    name = "loop-memory-plan"

    in_place: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for function in op.walk():
            # A kernel's buffers are its caller's (loop-outline-kernels).
            if KERNEL_OF in function.attributes:
                continue
            if isinstance(function, func.FuncOp) and len(function.body.blocks) == 1:
                plan = plan_buffers(function.body.block, in_place=self.in_place)
                apply_plan(function.body.block, plan)
                function.attributes[PLAN_ATTRIBUTE] = plan.summary()


@dataclass
class Temporary:
    """One planned buffer: its allocation, byte size and live range."""

    alloc: memref.AllocOp
    size: int
    start: int
    end: int


@dataclass(eq=False)
class Slot:
    """Temporaries that share one place: a buffer, and those computed in place."""

    members: list[Temporary]
    offset: int = 0

    @property
    def size(self) -> int:
        return max(t.size for t in self.members)

    @property
    def start(self) -> int:
        return min(t.start for t in self.members)

    @property
    def end(self) -> int:
        return max(t.end for t in self.members)

    def overlaps(self, other: Slot) -> bool:
        return self.start <= other.end and other.start <= self.end


@dataclass
class MemoryPlan:
    """Where each temporary of a function lives in its arena."""

    slots: list[Slot] = field(default_factory=list[Slot])

    @property
    def temporaries(self) -> list[Temporary]:
        return [t for slot in self.slots for t in slot.members]

    @property
    def arena_bytes(self) -> int:
        return max((slot.offset + slot.size for slot in self.slots), default=0)

    @property
    def temporary_bytes(self) -> int:
        return sum(t.size for t in self.temporaries)

    @property
    def live_bytes(self) -> int:
        """The most bytes of temporaries live at once, before planning."""
        temporaries = self.temporaries
        points = {t.start for t in temporaries}
        return max(
            (
                sum(t.size for t in temporaries if t.start <= point <= t.end)
                for point in points
            ),
            default=0,
        )

    def summary(self) -> DictionaryAttr:
        figures = {
            "arena_bytes": self.arena_bytes,
            "temporary_bytes": self.temporary_bytes,
            "live_bytes": self.live_bytes,
            "buffers": len(self.temporaries),
            "in_place": len(self.temporaries) - len(self.slots),
        }
        return DictionaryAttr(
            {key: IntegerAttr(value, i64) for key, value in figures.items()}
        )


def plan_buffers(block: Block, *, in_place: bool = True) -> MemoryPlan:
    """Assign every plannable temporary of ``block`` (a function body) a place."""
    ops = list(block.ops)
    position = {op: index for index, op in enumerate(ops)}
    temporaries: list[Temporary] = []
    for op in ops:
        temporary = _temporary(op, block, position)
        if temporary is not None:
            temporaries.append(temporary)
    slots = _share_in_place(temporaries, ops) if in_place else None
    plan = MemoryPlan(slots or [Slot([t]) for t in temporaries])
    _place(plan.slots)
    return plan


def _temporary(
    op: Operation, block: Block, position: dict[Operation, int]
) -> Temporary | None:
    """``op`` as a plannable temporary, or None (see the module docstring)."""
    if not isinstance(op, memref.AllocOp) or op.dynamic_sizes:
        return None
    memref_type = op.memref.type
    size = _byte_size(memref_type)
    requested = op.alignment.value.data if op.alignment is not None else 1  # pyright: ignore[reportUnknownMemberType]
    if size is None or size > _MAX_BYTES or requested > ALIGNMENT:
        return None
    points: list[int] = []
    for use in op.memref.uses:
        user = use.operation
        if isinstance(user, memref.DeallocOp) and user.parent_block() is block:
            continue
        if not isinstance(user, (*_ACCESSES, func.CallOp)):
            return None
        ancestor = block.find_ancestor_op_in_block(user)
        assert ancestor is not None
        points.append(position[ancestor])
    here = position[op]
    start, end = (min(points), max(points)) if points else (here, here)
    return Temporary(op, -(-max(size, 1) // ALIGNMENT) * ALIGNMENT, start, end)


def _byte_size(memref_type: Attribute) -> int | None:
    """Bytes of a static, row-major memref of scalars (None for anything else)."""
    if not isinstance(memref_type, MemRefType):
        return None
    shape = memref_type.get_shape()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    element = memref_type.element_type  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    if not isinstance(memref_type.layout, NoneAttr) or any(d < 0 for d in shape):  # pyright: ignore[reportUnknownVariableType]
        return None
    if isinstance(element, IndexType):
        return 8 * prod(shape)  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(element, FixedBitwidthType):
        return (1 << (element.size - 1).bit_length()) * prod(shape)  # pyright: ignore[reportUnknownArgumentType]
    return None


def _share_in_place(
    temporaries: Sequence[Temporary], ops: Sequence[Operation]
) -> list[Slot]:
    """Group each temporary with one it may overwrite where it is computed."""
    slot_of = {id(t): Slot([t]) for t in temporaries}
    for temporary in sorted(temporaries, key=lambda t: t.start):
        nest = ops[temporary.start]
        for dying in temporaries:
            slot = slot_of[id(dying)]
            if (
                dying.end == temporary.start
                and dying is not temporary
                and slot.members[-1] is dying
                and dying.alloc.memref.type == temporary.alloc.memref.type
                and writes_in_place(nest, dying.alloc.memref, temporary.alloc.memref)
            ):
                slot.members.append(temporary)
                slot_of[id(temporary)] = slot
                break
    unique = {id(slot): slot for slot in slot_of.values()}
    return list(unique.values())


def writes_in_place(nest: Operation, source: SSAValue, target: SSAValue) -> bool:
    """Whether ``nest`` may store ``target``'s elements over ``source``'s.

    True when each element of ``source`` is read once, by a load paired with a
    later store of ``target`` at the same indices (see the module docstring).
    A call of a kernel (``loop-outline-kernels``) is judged by the kernel's nest,
    on the arguments that the two buffers are passed as.
    """
    if isinstance(nest, func.CallOp):
        return _kernel_writes_in_place(nest, source, target)
    reads = [op for op in _accesses(nest, source)]
    writes = [op for op in _accesses(nest, target)]
    if not reads or not all(isinstance(op, _LOADS) for op in reads):
        return False
    if not all(isinstance(op, _STORES) for op in writes):
        return False
    return all(_paired(read, writes, nest, after=True) for read in reads) and all(
        _paired(write, reads, nest, after=False) for write in writes
    )


def _kernel_writes_in_place(
    call: func.CallOp, source: SSAValue, target: SSAValue
) -> bool:
    """:func:`writes_in_place` for a call: each buffer passed once, to a kernel
    whose body is one nest (and ops without regions), which alone uses the two."""
    arguments = list(call.arguments)
    if arguments.count(source) != 1 or arguments.count(target) != 1:
        return False
    kernel = SymbolTable.lookup_symbol(call, call.callee)
    if not isinstance(kernel, func.FuncOp) or len(kernel.body.blocks) != 1:
        return False
    nests = [op for op in kernel.body.block.ops if op.regions]
    if len(nests) != 1:
        return False
    block = kernel.body.block
    nest = nests[0]
    pair = (block.args[arguments.index(source)], block.args[arguments.index(target)])
    if any(not nest.is_ancestor(use.operation) for arg in pair for use in arg.uses):
        return False  # e.g. a load loop-hoist moved out of the nest
    return writes_in_place(nest, *pair)


def _accesses(nest: Operation, buffer: SSAValue) -> Iterator[Operation]:
    for use in buffer.uses:
        if nest.is_ancestor(use.operation):
            yield use.operation


def _access_shape(op: Operation) -> tuple[tuple[SSAValue, ...], int]:
    """The indices of a load or store and how many lanes it touches."""
    if isinstance(op, memref.LoadOp | memref.StoreOp):
        return tuple(op.indices), 1
    assert isinstance(op, loop.VLoadOp | loop.VStoreOp)
    vector = op.result.type if isinstance(op, loop.VLoadOp) else op.value.type
    assert isinstance(vector, VectorType)
    return tuple(op.indices), vector.get_shape()[0]


def _paired(
    access: Operation, partners: Sequence[Operation], nest: Operation, *, after: bool
) -> bool:
    """A partner in ``access``'s block, at its indices, after (or before) it."""
    block = access.parent_block()
    assert block is not None
    shape = _access_shape(access)
    order = {op: index for index, op in enumerate(block.ops)}
    for partner in partners:
        if partner.parent_block() is not block or _access_shape(partner) != shape:
            continue
        if (order[partner] > order[access]) == after:
            return _distinct_elements(access, nest)
    return False


def _distinct_elements(access: Operation, nest: Operation) -> bool:
    """Whether ``access`` touches different elements in different iterations.

    Each index is the induction variable of a different enclosing loop (the last
    one advancing by at least the lane count), and each enclosing loop inside
    ``nest`` gives an index or is the tile loop of a loop that does.
    """
    indices, lanes = _access_shape(access)
    loops = _enclosing_loops(access, nest)
    induction = {arg: op for op in loops for arg in _induction_vars(op)}
    if len(set(indices)) != len(indices) or any(i not in induction for i in indices):
        return False
    if lanes > 1 and (_step_of(indices[-1], induction) or 0) < lanes:
        return False
    for op in loops:
        for arg in _induction_vars(op):
            if arg not in indices and not _is_tile_of(arg, loops):
                return False
    return True


def _enclosing_loops(op: Operation, nest: Operation) -> list[Operation]:
    loops: list[Operation] = []
    current: Operation | None = op
    while current is not None and current is not nest:
        current = current.parent_op()
        if isinstance(current, loop.ForOp | loop.ParallelOp):
            loops.append(current)
    return loops


def _induction_vars(op: Operation) -> tuple[BlockArgument, ...]:
    if isinstance(op, loop.ForOp):
        return (op.induction_var,)
    assert isinstance(op, loop.ParallelOp)
    return op.induction_vars


def _step_of(arg: SSAValue, induction: dict[BlockArgument, Operation]) -> int | None:
    assert isinstance(arg, BlockArgument)
    op = induction[arg]
    if isinstance(op, loop.ForOp):
        return constant_index(op.step)
    assert isinstance(op, loop.ParallelOp)
    return constant_index(op.steps[op.induction_vars.index(arg)])


def _is_tile_of(arg: SSAValue, loops: Sequence[Operation]) -> bool:
    """``arg`` starts a point loop whose range is at most ``arg``'s step wide."""
    induction = {a: op for op in loops for a in _induction_vars(op)}
    step = _step_of(arg, induction)
    for op in loops:
        if isinstance(op, loop.ForOp) and op.lb == arg:
            width = tile_extent(op.lb, op.ub)
            return step is not None and width is not None and width <= step
    return False


_ORDERS: tuple[Callable[[Slot], tuple[int, int]], ...] = (
    lambda s: (-s.size, s.start),
    lambda s: (-s.size * (s.end - s.start + 1), s.start),
    lambda s: (-(s.end - s.start), -s.size),
    lambda s: (s.start, -s.size),
    lambda s: (s.end, -s.size),
)
"""Orders to place buffers in: largest first, then by size times lifetime, by
lifetime, by birth, by death. No single greedy order is best for every set of
lifetimes; the smallest arena of the five is kept."""


def _place(slots: Sequence[Slot]) -> None:
    """Give each slot an offset: the smallest arena the greedy orders find."""
    best: dict[Slot, int] = {}
    best_arena = -1
    for order in _ORDERS:
        offsets = _first_fit(sorted(slots, key=order))
        arena = max((offsets[slot] + slot.size for slot in slots), default=0)
        if best_arena < 0 or arena < best_arena:
            best, best_arena = offsets, arena
    for slot in slots:
        slot.offset = best[slot]


def _first_fit(ordered: Sequence[Slot]) -> dict[Slot, int]:
    """Each slot at the lowest aligned offset clear of the slots placed before
    it that are alive at the same time."""
    offsets: dict[Slot, int] = {}
    for slot in ordered:
        offset = 0
        alive = sorted(
            (p for p in offsets if p.overlaps(slot)), key=lambda p: offsets[p]
        )
        for other in alive:
            if offset + slot.size <= offsets[other]:
                break
            offset = max(offset, _aligned(offsets[other] + other.size))
        offsets[slot] = offset
    return offsets


def _aligned(offset: int) -> int:
    return -(-offset // ALIGNMENT) * ALIGNMENT


def apply_plan(block: Block, plan: MemoryPlan) -> None:
    """Replace each planned ``memref.alloc`` of ``block`` by a view of the arena.

    The arena is allocated first thing in ``block`` and freed before its
    terminator; the temporaries' deallocations go.
    """
    if not plan.slots:
        return
    arena = memref.AllocOp.get(i8, ALIGNMENT, [plan.arena_bytes])
    arena.memref.name_hint = "arena"
    offsets: dict[int, arith.ConstantOp] = {}
    for slot in sorted(plan.slots, key=lambda s: s.offset):
        shift = arith.ConstantOp(IntegerAttr(slot.offset, IndexType()))
        shift.result.name_hint = f"c{slot.offset}"
        offsets.setdefault(slot.offset, shift)
    Rewriter.insert_op([arena, *offsets.values()], InsertPoint.at_start(block))
    for slot in plan.slots:
        for temporary in slot.members:
            _replace_with_view(temporary.alloc, arena.memref, offsets[slot.offset])
    terminator = block.last_op
    assert terminator is not None
    Rewriter.insert_op(
        memref.DeallocOp.get(arena.memref), InsertPoint.before(terminator)
    )


def _replace_with_view(
    alloc: memref.AllocOp, arena: SSAValue, offset: arith.ConstantOp
) -> None:
    for use in list(alloc.memref.uses):
        if isinstance(use.operation, memref.DeallocOp):
            Rewriter.erase_op(use.operation)
    view = memref.ViewOp(arena, offset.result, [], alloc.memref.type)  # pyright: ignore[reportArgumentType]
    view.result.name_hint = alloc.memref.name_hint
    Rewriter.insert_op(view, InsertPoint.before(alloc))
    alloc.memref.replace_all_uses_with(view.result)
    Rewriter.erase_op(alloc)
