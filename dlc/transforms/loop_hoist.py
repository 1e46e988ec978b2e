"""loop-hoist: loop-invariant code motion for ``loop.for`` and ``loop.parallel``.

xDSL's ``licm`` handles ``scf.for`` only, and it moves no loads. This pass visits
the loops inner ones first, and moves out of each loop, to just before it, every
op of its body whose operands are all defined outside the loop and that

* is pure and cannot fault (``arith``, ``math``, ``loop.splat``, constants, but
  an integer division only by a constant other than 0 and -1), or
* is a ``memref.load`` or ``loop.vload`` of a buffer that nothing in the loop
  writes, when the loop provably runs at least once (so that a load that would
  never have run is not made to run).

"Nothing writes it" is proved by buffer identity (see
:mod:`~dlc.transforms.loop_nests`): no store in the loop names that buffer, and
the loop has no op with other memory effects. Values hoisted from an inner loop
land in the outer loop's body and move further out when they are invariant there
too, which is how a row's ``max`` or ``mean`` leaves both loops of a softmax or a
layer norm that reads it once per element.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import IntegerAttr, ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import IsTerminator, is_side_effect_free, is_speculatable

from dlc.dialects import loop
from dlc.dialects.loop import constant_trip_count
from dlc.transforms.loop_nests import (
    LoopOp,
    accesses_in,
    defined_inside,
    runs_at_least_once,
    walk_postorder,
    written_buffers,
)

_DIVISIONS = (
    arith.DivSIOp,
    arith.DivUIOp,
    arith.RemSIOp,
    arith.RemUIOp,
    arith.FloorDivSIOp,
    arith.CeilDivSIOp,
    arith.CeilDivUIOp,
)
"""Integer divisions trap on a zero divisor (and on MIN / -1), whatever xDSL's
traits say, so they only move with a safe constant divisor."""


def _constant_integer(value: SSAValue) -> int | None:
    owner = value.owner
    if isinstance(owner, arith.ConstantOp) and isinstance(owner.value, IntegerAttr):
        return owner.value.value.data  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return None


def _may_speculate(op: Operation) -> bool:
    """Whether ``op`` may run where it did not: pure, and never faults."""
    if isinstance(op, _DIVISIONS):
        return _constant_integer(op.operands[1]) not in (None, 0, -1)
    return is_side_effect_free(op) and is_speculatable(op)


def _runs(op: LoopOp) -> bool:
    if isinstance(op, loop.ForOp):
        return runs_at_least_once(op)
    bounds = zip(op.lower_bounds, op.upper_bounds, op.steps, strict=True)
    return all((constant_trip_count(*b) or 0) > 0 for b in bounds)


def hoist_invariants(op: LoopOp) -> None:
    """Move the invariant ops of ``op``'s body to just before ``op``."""
    loads_may_move: bool | None = None
    """Whether invariant loads may move: the loop runs, and what it writes is
    known. Found at the first invariant load, as walking the nest for its
    accesses costs more than the rest (most loops have no invariant load)."""
    written: set[SSAValue] = set()
    before = InsertPoint.before(op)
    for inner in list(op.regions[0].block.ops):
        if inner.regions or inner.has_trait(IsTerminator):
            continue
        if any(defined_inside(operand, op) for operand in inner.operands):
            continue
        if isinstance(inner, memref.LoadOp | loop.VLoadOp):
            if loads_may_move is None:
                accesses = accesses_in(op)
                loads_may_move = not isinstance(accesses, str) and _runs(op)
                if not isinstance(accesses, str):
                    written = written_buffers(accesses)
            buffer = inner.memref if isinstance(inner, memref.LoadOp) else inner.base
            if not loads_may_move or buffer in written:
                continue
        elif not _may_speculate(inner):
            continue
        inner.detach()
        Rewriter.insert_op(inner, before)


@dataclass(frozen=True)
class LoopHoistPass(ModulePass):
    """Move loop-invariant ops and loads out of loops.

    In the loop of a softmax that divides each element by its row's sum::

        loop.for %i = %c0 to %c4 step %c1 {
          loop.for %j = %c0 to %c8 step %c1 {
            %e = memref.load %exp[%i, %j] : memref<4x8xf32>
            %s = memref.load %sum[%i, %c0] : memref<4x1xf32>
            %q = arith.divf %e, %s : f32
            memref.store %q, %out[%i, %j] : memref<4x8xf32>
          }
        }

    the row's sum is read once per row instead of once per element::

        loop.for %i = %c0 to %c4 step %c1 {
          %s = memref.load %sum[%i, %c0] : memref<4x1xf32>
          loop.for %j = %c0 to %c8 step %c1 {
            %e = memref.load %exp[%i, %j] : memref<4x8xf32>
            %q = arith.divf %e, %s : f32
            memref.store %q, %out[%i, %j] : memref<4x8xf32>
          }
        }
    """

    name = "loop-hoist"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for candidate in list(walk_postorder(op)):
            hoist_invariants(candidate)
