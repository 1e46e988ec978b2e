"""What the loop schedule passes share: loop ranges, bands, buffer accesses, remarks.

The schedule passes (``loop-tile``, ``loop-interchange``, ``loop-unroll``,
``loop-vectorize``, ``loop-hoist``) rewrite ``loop.for`` and ``loop.parallel`` nests
over memrefs. They agree on a few facts, kept here so that each is stated once:

* **Buffers.** A buffer is a function argument, a ``memref.alloc`` or a
  ``memref.get_global``. Two different SSA values are two different buffers: an
  alloc never aliases anything, and dlc's calling convention gives every output its
  own buffer, apart from the inputs (docs/architecture.md). A memref of any other
  origin (a view) may alias anything, so no pass moves or reorders its accesses.
* **Splitting a range.** ``[lb, ub)`` in chunks of ``c`` iterations splits at
  ``lb + ((ub - lb) / c) * c`` (truncating division), which is right for an empty
  range too: with ``ub < lb`` both parts are empty.
* **Remarks.** A pass that declines a request (an annotation, an option) leaves the
  IR unchanged and, with its ``debug`` option, says why on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import IndexType, IntegerAttr, MemRefType
from xdsl.ir import Attribute, Block, BlockArgument, Operation, SSAValue
from xdsl.traits import get_effects

from dlc.diagnostics import SourceLocation
from dlc.dialects import loop
from dlc.dialects.loop import constant_index

LoopOp = loop.ForOp | loop.ParallelOp


def is_loop(op: Operation) -> bool:
    return isinstance(op, loop.ForOp | loop.ParallelOp)


def contains_loop(op: Operation) -> bool:
    """Whether a loop is nested anywhere inside ``op`` (``op`` itself excluded)."""
    return any(is_loop(inner) for inner in op.walk() if inner is not op)


def innermost_loops(root: Operation) -> list[LoopOp]:
    """The loops under ``root`` with no loop inside them, in program order."""
    return [
        op
        for op in root.walk()
        if isinstance(op, loop.ForOp | loop.ParallelOp) and not contains_loop(op)
    ]


def outermost_loops(root: Operation) -> list[LoopOp]:
    """The loops directly in a function body, in program order."""
    return [
        op
        for function in root.walk()
        if isinstance(function, func.FuncOp)
        for block in function.body.blocks
        for op in block.ops
        if isinstance(op, loop.ForOp | loop.ParallelOp)
    ]


def is_unmapped(op: loop.ParallelOp) -> bool:
    return all(name == loop.NO_MAPPING for name in op.mapping_names())


def index_constant(value: int) -> arith.ConstantOp:
    """``arith.constant value : index``, named ``%c<value>`` like tensor-to-loop's."""
    constant = arith.ConstantOp(IntegerAttr(value, IndexType()))
    constant.result.name_hint = f"c{value}" if value >= 0 else f"c_minus{-value}"
    return constant


def step_times(step: SSAValue, times: int, ops: list[Operation]) -> SSAValue:
    """``times * step``, appending the ops that compute it to ``ops``: one
    constant when the step is constant, else a multiplication."""
    value = constant_index(step)
    if value is not None:
        ops.append(index_constant(value * times))
    else:
        count = index_constant(times)
        ops += [count, arith.MuliOp(step, count.result)]
    return ops[-1].results[0]


def constant_difference(lb: SSAValue, ub: SSAValue) -> int | None:
    """``ub - lb`` when it is a known constant: two constants, or ``ub = lb + c``."""
    lower, upper = constant_index(lb), constant_index(ub)
    if lower is not None and upper is not None:
        return upper - lower
    owner = ub.owner
    if isinstance(owner, arith.AddiOp):
        if owner.lhs == lb:
            return constant_index(owner.rhs)
        if owner.rhs == lb:
            return constant_index(owner.lhs)
    return None


def tile_extent(lb: SSAValue, ub: SSAValue) -> int | None:
    """``c`` when ``ub`` is ``lb + c`` or ``min(lb + c, n)``: the most iterations
    of step 1 a tile loop ``[lb, ub)`` runs (fewer at a ragged edge)."""
    owner = ub.owner
    if isinstance(owner, arith.MinSIOp):
        return tile_extent(lb, owner.lhs)
    if isinstance(owner, arith.AddiOp) and owner.lhs == lb:
        return constant_index(owner.rhs)
    return None


def split_point(
    lb: SSAValue, ub: SSAValue, chunk: SSAValue
) -> tuple[list[Operation], SSAValue]:
    """Ops computing ``lb + ((ub - lb) / chunk) * chunk``, and that value.

    The range ``[lb, ub)`` splits there into whole chunks and a rest shorter than
    one chunk. It is ``ub`` itself when the chunk divides the range, and a
    constant when the bounds and chunk are.
    """
    span = constant_difference(lb, ub)
    size = constant_index(chunk)
    lower = constant_index(lb)
    if span is not None and size is not None and span % size == 0:
        return [], ub
    if span is not None and size is not None and lower is not None:
        whole = lower + int(span / size) * size
        constant = index_constant(whole)
        return [constant], constant.result
    length = arith.SubiOp(ub, lb)
    count = arith.DivSIOp(length.result, chunk)
    covered = arith.MuliOp(count.result, chunk)
    end = arith.AddiOp(lb, covered.result)
    end.result.name_hint = "split"
    return [length, count, covered, end], end.result


def runs_at_least_once(op: loop.ForOp) -> bool:
    """Whether ``op`` provably runs its body, so that its invariants may move out.

    True for constant bounds with ``ub > lb``, for ``ub = lb + c`` with ``c > 0``,
    and for the point loop of a tile, ``[t, min(t + c, n))`` where ``t`` is the
    index of a loop that stops below ``n``.
    """
    span = constant_difference(op.lb, op.ub)
    if span is not None:
        return span > 0
    owner = op.ub.owner
    if not isinstance(owner, arith.MinSIOp):
        return False
    return all(_above(op.lb, bound) for bound in (owner.lhs, owner.rhs))


def _above(lb: SSAValue, bound: SSAValue) -> bool:
    """``bound > lb``: ``bound = lb + c`` (c > 0), or ``lb`` is the index of a
    loop.for (or loop.parallel dim) whose upper bound is ``bound``."""
    span = constant_difference(lb, bound)
    if span is not None:
        return span > 0
    if not isinstance(lb, BlockArgument):
        return False
    owner = lb.block.parent_op()
    if isinstance(owner, loop.ForOp):
        return lb.index == 0 and owner.ub == bound
    if isinstance(owner, loop.ParallelOp):
        return owner.upper_bounds[lb.index] == bound
    return False


def is_buffer_of_known_origin(buffer: SSAValue) -> bool:
    """A function argument, an alloc or a global: it aliases no other such buffer."""
    if isinstance(buffer, BlockArgument):
        return isinstance(buffer.block.parent_op(), func.FuncOp)
    return isinstance(buffer.owner, memref.AllocOp | memref.GetGlobalOp)


@dataclass(frozen=True)
class Access:
    """One load or store of a buffer: ``buffer[indices]``, scalar or vector."""

    op: Operation
    buffer: SSAValue
    indices: tuple[SSAValue, ...]
    writes: bool

    @staticmethod
    def of(op: Operation) -> Access | None:
        if isinstance(op, memref.LoadOp):
            return Access(op, op.memref, tuple(op.indices), False)
        if isinstance(op, memref.StoreOp):
            return Access(op, op.memref, tuple(op.indices), True)
        if isinstance(op, loop.VLoadOp):
            return Access(op, op.base, tuple(op.indices), False)
        if isinstance(op, loop.VStoreOp):
            return Access(op, op.base, tuple(op.indices), True)
        return None


def accesses_in(op: Operation) -> list[Access] | str:
    """Every buffer access nested in ``op``, or why they cannot be listed.

    Loops, yields and ops without memory effects are fine; any other op (a call,
    an alloc, a ``loop.check_index``) has effects no pass here reasons about.
    """
    found: list[Access] = []
    for inner in op.walk():
        if inner is op or is_loop(inner) or isinstance(inner, loop.YieldOp):
            continue
        access = Access.of(inner)
        if access is not None:
            if not is_buffer_of_known_origin(access.buffer):
                return f"{inner.name} of a buffer that may alias others"
            found.append(access)
        elif get_effects(inner) != set():
            return f"{inner.name} has memory effects"
    return found


def written_buffers(accesses: Sequence[Access]) -> set[SSAValue]:
    return {a.buffer for a in accesses if a.writes}


def conflicting_access(accesses: Sequence[Access]) -> Access | None:
    """An access to a written buffer at other indices than another access to it.

    When every access to each written buffer uses the very same index values, one
    iteration touches one element of it, and the passes only need those indices
    to differ between iterations.
    """
    indices: dict[SSAValue, tuple[SSAValue, ...]] = {}
    written = written_buffers(accesses)
    for access in accesses:
        if access.buffer not in written:
            continue
        first = indices.setdefault(access.buffer, access.indices)
        if first != access.indices:
            return access
    return None


def uses_index(indices: Sequence[SSAValue], iv: SSAValue, outside: Operation) -> bool:
    """Some index is ``iv`` or ``iv + c`` with ``c`` defined outside ``outside``."""
    for index in indices:
        if index == iv:
            return True
        owner = index.owner
        if isinstance(owner, arith.AddiOp | arith.SubiOp):
            other = owner.rhs if owner.lhs == iv else None
            if isinstance(owner, arith.AddiOp) and owner.rhs == iv:
                other = owner.lhs
            if other is not None and not defined_inside(other, outside):
                return True
    return False


def defined_inside(value: SSAValue, op: Operation) -> bool:
    """Whether ``value`` is a result or block argument somewhere inside ``op``."""
    owner = value.owner
    if isinstance(owner, Block):
        parent = owner.parent_op()
        return parent is not None and (parent is op or op.is_ancestor(parent))
    return owner is not op and op.is_ancestor(owner)


def describe(op: Operation) -> str:
    """Where a loop is, for a remark: its source position, else its function."""
    location = SourceLocation.of(op.location)
    if location is not None:
        return f"{location.filename}:{location.line}:{location.column}"
    function = op.parent_op()
    while function is not None and not isinstance(function, func.FuncOp):
        function = function.parent_op()
    where = f"@{function.sym_name.data}" if function is not None else "<module>"
    names = [arg.name_hint for arg in op.regions[0].block.args[:1] if arg.name_hint]
    what = f"{op.name} %{names[0]}" if names else op.name
    return f"{where}: {what}"


def remark(pass_name: str, op: Operation, message: str) -> None:
    """Say on stderr why ``pass_name`` left ``op`` as it was."""
    print(f"{describe(op)}: remark: {pass_name}: {message}", file=sys.stderr)


def memref_type(value: SSAValue) -> MemRefType:
    assert isinstance(value.type, MemRefType)
    return value.type  # pyright: ignore[reportUnknownVariableType]


def walk_postorder(root: Operation) -> Iterator[LoopOp]:
    """The loops under ``root``, inner loops before the loops around them."""
    for op in root.walk(region_first=True):
        if isinstance(op, loop.ForOp | loop.ParallelOp):
            yield op


NOT_RECTANGULAR = (
    "a loop's bounds depend on an enclosing loop (the band is not rectangular)"
)


@dataclass(frozen=True)
class Dim:
    """One dimension of a band: a ``loop.for``, or one dim of a ``loop.parallel``."""

    op: LoopOp
    position: int
    lb: SSAValue
    ub: SSAValue
    step: SSAValue

    @property
    def index(self) -> BlockArgument:
        return self.op.regions[0].block.args[self.position]

    @property
    def parallel(self) -> bool:
        return isinstance(self.op, loop.ParallelOp)


def _dims(op: LoopOp) -> list[Dim]:
    if isinstance(op, loop.ForOp):
        return [Dim(op, 0, op.lb, op.ub, op.step)]
    return [
        Dim(op, d, lb, ub, step)
        for d, (lb, ub, step) in enumerate(
            zip(op.lower_bounds, op.upper_bounds, op.steps, strict=True)
        )
    ]


@dataclass(frozen=True)
class Band:
    """Perfectly nested loops from ``loops[0]`` down, as a list of dims.

    Each loop's body holds the next loop and its yield, nothing else. A loop with
    iter_args only forms a band on its own, since reordering its iterations with
    another loop's would reorder its reduction; mapped ``loop.parallel`` ops are
    left out (the mapping fixes what each processor runs).
    """

    loops: tuple[LoopOp, ...]
    dims: tuple[Dim, ...]

    @staticmethod
    def starting_at(op: LoopOp) -> Band:
        loops: list[LoopOp] = []
        current: Operation | None = op
        while isinstance(current, loop.ForOp | loop.ParallelOp):
            if isinstance(current, loop.ParallelOp) and not is_unmapped(current):
                break
            carries = isinstance(current, loop.ForOp) and bool(current.iter_args)
            if carries and loops:
                break
            loops.append(current)
            if carries:
                break
            ops = list(current.regions[0].block.ops)
            current = ops[0] if len(ops) == 2 else None
        dims = [dim for nested in loops for dim in _dims(nested)]
        return Band(tuple(loops), tuple(dims))

    @property
    def body(self) -> Block:
        """The body of the innermost loop: what runs at each point of the band."""
        return self.loops[-1].regions[0].block

    def cuts_a_loop(self, depth: int) -> bool:
        """Whether the first ``depth`` dims end inside a multi-dim loop.parallel."""
        return 0 < depth < len(self.dims) and (
            self.dims[depth - 1].op is self.dims[depth].op
        )

    def outer_bound(self, depth: int) -> SSAValue | None:
        """A bound of the first ``depth`` dims that is computed inside the band
        (the band is not rectangular), else None."""
        for dim in self.dims[:depth]:
            for bound in (dim.lb, dim.ub, dim.step):
                if defined_inside(bound, self.loops[0]):
                    return bound
        return None

    def reorder_problem(self, depth: int) -> str | None:
        """Why the iterations of the first ``depth`` dims may not run in another
        order, or None when they may.

        Every written buffer must be accessed at the same indices throughout the
        band's body, and those indices must use each of the dims' indices (as
        ``i`` or ``i + c``): then two iterations never touch the same element of
        a written buffer, and reads of buffers nobody writes commute freely.
        """
        accesses = accesses_in(self.loops[0])
        if isinstance(accesses, str):
            return accesses
        conflict = conflicting_access(accesses)
        if conflict is not None:
            return (
                f"{conflict.op.name} accesses a buffer the loops write at other indices"
            )
        for access in accesses:
            if not access.writes:
                continue
            for dim in self.dims[:depth]:
                if not uses_index(access.indices, dim.index, self.loops[0]):
                    return (
                        f"{access.op.name} writes one element at several "
                        "iterations: an index does not use every loop index"
                    )
        return None


@dataclass
class NestLevel:
    """One loop of a nest to build: a ``loop.for`` or a ``loop.parallel`` with one
    entry per dim."""

    lbs: list[SSAValue]
    ubs: list[SSAValue]
    steps: list[SSAValue]
    parallel: bool
    names: list[str | None]
    annotations: dict[str, Attribute]

    @staticmethod
    def group(
        dims: Sequence[tuple[Dim, SSAValue, SSAValue, SSAValue]],
    ) -> list[NestLevel]:
        """Levels for dims given as (dim, lb, ub, step), outermost first.

        Consecutive dims of one ``loop.parallel`` stay one ``loop.parallel``;
        every other dim is a loop of its own kind.
        """
        levels: list[NestLevel] = []
        previous: Dim | None = None
        for dim, lb, ub, step in dims:
            name = dim.index.name_hint
            if (
                previous is not None
                and dim.parallel
                and previous.op is dim.op
                and levels[-1].parallel
            ):
                level = levels[-1]
                level.lbs.append(lb)
                level.ubs.append(ub)
                level.steps.append(step)
                level.names.append(name)
            else:
                annotations = dict(dim.op.attributes)
                levels.append(
                    NestLevel([lb], [ub], [step], dim.parallel, [name], annotations)
                )
            previous = dim
        return levels

    def build(self) -> tuple[LoopOp, Block]:
        """The loop, without iter_args, its body ending with an empty yield."""
        if self.parallel:
            new: LoopOp = loop.ParallelOp(
                self.lbs, self.ubs, self.steps, annotations=self.annotations
            )
        else:
            new = loop.ForOp(
                self.lbs[0], self.ubs[0], self.steps[0], annotations=self.annotations
            )
        body = new.regions[0].block
        for arg, name in zip(body.args, self.names, strict=True):
            arg.name_hint = name
        body.add_op(loop.YieldOp())
        return new, body
