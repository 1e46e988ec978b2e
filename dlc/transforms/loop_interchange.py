"""loop-interchange: reorder the loops of a perfectly nested band.

The order of a loop nest decides which index walks memory fastest. Interchange
permutes the headers of a band of perfectly nested loops (``loop.for`` or the dims
of unmapped ``loop.parallel`` ops) and leaves the body as it is. It acts on

* every loop annotated ``interchange = array<i64: ...>``, a permutation of the
  band starting there: position ``p`` of the new nest runs the loop that was at
  ``order[p]``;
* with ``order=...``, every outermost band (the loops directly in a function).

The permutation covers the first ``len(order)`` loops of the band; the loops below
them keep their place. It is applied only when it is legal, and otherwise the IR
is left unchanged (a remark says why under ``debug=true``):

* the band must be deep enough, rectangular (no bound computed from a band index)
  and must not be cut inside a multi-dimensional ``loop.parallel``;
* no loop of the band carries iter_args (a reduction would change its order);
* every buffer written in the band is accessed at one list of indices that uses
  every permuted loop index (as ``i`` or ``i + c``), so two iterations never touch
  one element of it; buffers that are only read impose nothing;
* the body has no op with other memory effects (calls, allocs).

That proves the iterations independent, so any order computes the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.dialects import loop
from dlc.transforms.loop_nests import (
    NOT_RECTANGULAR,
    Band,
    LoopOp,
    NestLevel,
    outermost_loops,
    remark,
    walk_postorder,
)

INTERCHANGE = "interchange"
"""The annotation that requests a permutation of the band below a loop."""


def integers(attr: Attribute | None) -> tuple[int, ...] | None:
    """The integers of an ``array<i64: ...>`` attribute, None for anything else."""
    if isinstance(attr, DenseArrayBase):
        return tuple(int(v) for v in attr.get_values())  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    return None


def interchange(op: LoopOp, order: Sequence[int]) -> str | None:
    """Permute the band starting at ``op``; return why not when it is illegal."""
    depth = len(order)
    if sorted(order) != list(range(depth)):
        return f"order {list(order)} is not a permutation of 0 .. {depth - 1}"
    band = Band.starting_at(op)
    if len(band.dims) < depth:
        return (
            f"only {len(band.dims)} perfectly nested loops (without iter_args), "
            f"the order has {depth}"
        )
    if list(order) == list(range(depth)):
        return None
    if band.cuts_a_loop(depth):
        return f"the first {depth} loops end inside a multi-dimensional loop.parallel"
    if band.outer_bound(depth) is not None:
        return NOT_RECTANGULAR
    problem = band.reorder_problem(depth)
    if problem is not None:
        return problem
    dims = [band.dims[p] for p in order]
    levels = NestLevel.group([(d, d.lb, d.ub, d.step) for d in dims])
    for level in levels:
        level.annotations.pop(INTERCHANGE, None)
    outer, body, new_indices = build_levels(levels)
    inner: list[Operation]
    if depth == len(band.dims):
        inner = [o for o in band.body.ops if not isinstance(o, loop.YieldOp)]
    else:
        inner = [band.dims[depth].op]
    for moved in inner:
        moved.detach()
        Rewriter.insert_op(moved, InsertPoint.before(body.ops.last))  # pyright: ignore[reportArgumentType]
    for dim, index in zip(dims, new_indices, strict=True):
        dim.index.replace_all_uses_with(index)
    Rewriter.insert_op(outer, InsertPoint.before(op))
    Rewriter.erase_op(op)
    return None


def build_levels(
    levels: Sequence[NestLevel],
) -> tuple[LoopOp, Block, list[SSAValue]]:
    """Nest ``levels`` (outermost first); returns the outer loop, the innermost
    body (which holds only its yield) and every index, outermost first."""
    outer, body = levels[0].build()
    indices: list[SSAValue] = list(body.args)
    for level in levels[1:]:
        inner, inner_body = level.build()
        Rewriter.insert_op(inner, InsertPoint.before(body.ops.last))  # pyright: ignore[reportArgumentType]
        body = inner_body
        indices += body.args
    return outer, body, indices


@dataclass(frozen=True)
class LoopInterchangePass(ModulePass):
    """Permute perfectly nested loops, where that provably keeps the result.

    ``order=1,0`` on a copy that walks its output down the columns::

        loop.for %j = %c0 to %c5 step %c1 {
          loop.for %i = %c0 to %c4 step %c1 {
            %x = memref.load %X[%i, %j] : memref<4x5xf32>
            memref.store %x, %Y[%i, %j] : memref<4x5xf32>
          }
        }

    makes ``%j`` the inner loop, so that both buffers are walked row by row::

        loop.for %i = %c0 to %c4 step %c1 {
          loop.for %j = %c0 to %c5 step %c1 {
            ...
          }
        }

    ``order`` applies to every outermost band; loops annotated ``interchange =
    array<i64: ...>`` get their own order. ``debug`` reports each band left alone,
    and why.
    """

    name = "loop-interchange"

    order: tuple[int, ...] = ()
    """The new order of every outermost band's first ``len(order)`` loops."""

    debug: bool = False
    """Report on stderr why a band was not interchanged."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        requests: list[tuple[LoopOp, tuple[int, ...]]] = []
        for candidate in walk_postorder(op):
            order = integers(candidate.attributes.get(INTERCHANGE))
            if order is not None:
                del candidate.attributes[INTERCHANGE]
                requests.append((candidate, order))
        annotated = {id(candidate) for candidate, _ in requests}
        if self.order:
            requests += [
                (outer, self.order)
                for outer in outermost_loops(op)
                if id(outer) not in annotated
            ]
        for candidate, order in requests:
            reason = interchange(candidate, order)
            if reason is not None and self.debug:
                remark(self.name, candidate, f"not interchanged: {reason}")
