"""loop-unroll: repeat a loop body N times per iteration, with a remainder loop.

Unrolling gives LLVM's scheduler N independent copies of the body to interleave
(more loads in flight, more FMAs per loop branch). It acts on

* every loop annotated ``unroll = N`` (N > 1; ``unroll = 1`` means never), the
  request ``tensor-to-loop`` makes from a ``#tensor.schedule``;
* with ``factor=N``, also every innermost loop without an ``unroll`` annotation.

The annotation is consumed either way. A ``loop.for`` (with or without iter_args)
or a one-dimensional unmapped ``loop.parallel`` unrolls; the copies carry the
iter_args from one to the next, so a reduction keeps its order and its value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import IntegerAttr, ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.dialects import loop
from dlc.dialects.loop import constant_index
from dlc.transforms.loop_nests import (
    LoopOp,
    constant_difference,
    contains_loop,
    index_constant,
    is_unmapped,
    remark,
    split_point,
    step_times,
    walk_postorder,
)


def annotation(op: Operation, key: str) -> int | None:
    """The integer value of schedule annotation ``key`` on ``op``, if any."""
    attr = op.attributes.get(key)
    if isinstance(attr, IntegerAttr):
        return attr.value.data  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return None


@dataclass(frozen=True)
class LoopRange:
    """A loop seen as one counted range: a ``loop.for`` or a 1-D ``loop.parallel``."""

    op: LoopOp
    lb: SSAValue
    ub: SSAValue
    step: SSAValue

    @staticmethod
    def of(op: LoopOp) -> LoopRange | str:
        """The range of ``op``, or why it is not a single counted range."""
        if isinstance(op, loop.ForOp):
            return LoopRange(op, op.lb, op.ub, op.step)
        if len(op.lower_bounds) != 1:
            return f"a loop.parallel of {len(op.lower_bounds)} dimensions"
        if not is_unmapped(op):
            return f"a loop.parallel mapped to {op.mapping_names()[0]}"
        return LoopRange(op, op.lower_bounds[0], op.upper_bounds[0], op.steps[0])

    @property
    def iter_args(self) -> Sequence[SSAValue]:
        return self.op.iter_args if isinstance(self.op, loop.ForOp) else ()

    def trip_count(self) -> int | None:
        """The iteration count when it is known: constant bounds, or ``[x, x + c)``
        (a tile's point loop) with a constant step."""
        span, step = constant_difference(self.lb, self.ub), constant_index(self.step)
        if span is None or step is None or step <= 0:
            return None
        return max(0, -(-span // step))

    def new_loop(
        self,
        lb: SSAValue,
        ub: SSAValue,
        step: SSAValue,
        inits: Sequence[SSAValue],
    ) -> LoopOp:
        """An empty loop of the same kind over ``[lb, ub)`` (body: index, carried).

        It keeps the original's annotations; its body has no terminator yet.
        """
        if isinstance(self.op, loop.ForOp):
            new: LoopOp = loop.ForOp(
                lb, ub, step, inits, annotations=self.op.attributes
            )
        else:
            new = loop.ParallelOp([lb], [ub], [step], annotations=self.op.attributes)
        for arg, old in zip(
            new.regions[0].block.args, self.op.regions[0].block.args, strict=True
        ):
            arg.name_hint = old.name_hint
        return new

    def shrink_to(self, lb: SSAValue, inits: Sequence[SSAValue]) -> None:
        """Make the loop start at ``lb`` from ``inits``: it becomes the remainder."""
        if isinstance(self.op, loop.ForOp):
            self.op.operands = [lb, self.ub, self.step, *inits]
        else:
            self.op.operands = [lb, self.ub, self.step]


def clone_body(
    block: Block,
    index: SSAValue,
    carried: Sequence[SSAValue],
    insert: InsertPoint,
) -> list[SSAValue]:
    """Copy ``block`` (a loop body) at ``insert`` for one value of the index.

    Returns what the copy yields: the next values of the iter_args.
    """
    mapping: dict[SSAValue, SSAValue] = {block.args[0]: index}
    mapping.update(zip(block.args[1:], carried, strict=True))
    yielded: list[SSAValue] = []
    for op in block.ops:
        if isinstance(op, loop.YieldOp):
            yielded = [mapping.get(v, v) for v in op.arguments]
            break
        Rewriter.insert_op(op.clone(mapping), insert)
    return yielded


def replace_loop(op: LoopOp, values: Sequence[SSAValue]) -> None:
    """Erase ``op``, its results replaced by ``values``."""
    for result, value in zip(op.results, values, strict=True):
        result.replace_all_uses_with(value)
    Rewriter.erase_op(op)


def unroll(op: LoopOp, factor: int) -> str | None:
    """Unroll ``op`` by ``factor``; return why not when it cannot be done.

    A constant trip count up to ``factor`` unrolls completely (no loop is left).
    Otherwise the main loop steps over ``factor`` iterations at a time and the
    original loop, started where the main loop stops, runs the rest.
    """
    span = LoopRange.of(op)
    if isinstance(span, str):
        return f"cannot unroll {span}"
    trips = span.trip_count()
    if trips == 0:
        return "the loop never runs"
    if trips is not None and trips <= factor:
        _unroll_fully(span, trips)
        return None
    before = InsertPoint.before(op)
    setup: list[Operation] = []
    chunk = step_times(span.step, factor, setup)
    offsets = [step_times(span.step, copy, setup) for copy in range(1, factor)]
    split_ops, split = split_point(span.lb, span.ub, chunk)
    Rewriter.insert_op([*setup, *split_ops], before)

    main = span.new_loop(span.lb, split, chunk, span.iter_args)
    main.attributes.pop(loop.UNROLL, None)
    body = main.regions[0].block
    carried: Sequence[SSAValue] = body.args[1:]
    for copy in range(factor):
        index: SSAValue = body.args[0]
        if copy:
            shifted = arith.AddiOp(index, offsets[copy - 1])
            Rewriter.insert_op(shifted, InsertPoint.at_end(body))
            index = shifted.result
        carried = clone_body(
            span.op.regions[0].block, index, carried, InsertPoint.at_end(body)
        )
    body.add_op(loop.YieldOp(*carried))
    Rewriter.insert_op(main, before)

    if split == span.ub:
        replace_loop(op, main.results)
    else:
        span.shrink_to(split, main.results)
        op.attributes.pop(loop.UNROLL, None)
    return None


def _unroll_fully(span: LoopRange, trips: int) -> None:
    """Replace the loop by ``trips`` copies of its body, one per index value."""
    before = InsertPoint.before(span.op)
    lower, step = constant_index(span.lb), constant_index(span.step)
    carried: Sequence[SSAValue] = span.iter_args
    for copy in range(trips):
        ops: list[Operation] = []
        if lower is not None and step is not None:
            ops.append(index_constant(lower + copy * step))
        else:
            ops.append(arith.AddiOp(span.lb, step_times(span.step, copy, ops)))
        Rewriter.insert_op(ops, before)
        index = ops[-1].results[0]
        carried = clone_body(span.op.regions[0].block, index, carried, before)
    replace_loop(span.op, carried)


@dataclass(frozen=True)
class LoopUnrollPass(ModulePass):
    """Unroll annotated loops (and, with ``factor``, every innermost loop).

    ``unroll = 2`` on a loop of 5 iterations::

        %s = loop.for %i = %c0 to %c5 step %c1 iter_args(%a = %zero) -> (f32) {
          %x = memref.load %A[%i] : memref<5xf32>
          %n = arith.addf %a, %x : f32
          loop.yield %n : f32
        } {unroll = 2 : i64}

    becomes a main loop over two iterations at a time and the original loop, now
    the remainder, from where the main loop stops::

        %main = loop.for %i = %c0 to %c4 step %c2 iter_args(%a = %zero) -> (f32) {
          %x = memref.load %A[%i] : memref<5xf32>
          %n = arith.addf %a, %x : f32
          %i1 = arith.addi %i, %c1 : index
          %x1 = memref.load %A[%i1] : memref<5xf32>
          %n1 = arith.addf %n, %x1 : f32
          loop.yield %n1 : f32
        }
        %s = loop.for %i = %c4 to %c5 step %c1 iter_args(%a = %main) -> (f32) {
          ...
        }

    A constant trip count of at most N unrolls completely. Loops with dynamic
    bounds split at ``lb + ((ub - lb) / (N * step)) * (N * step)``. ``debug=true``
    reports each annotated loop it leaves alone, and why.
    """

    name = "loop-unroll"

    factor: int = 0
    """When above 1, also unroll every innermost loop without an annotation."""

    debug: bool = False
    """Report on stderr why a requested unrolling was not done."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        requests: list[tuple[LoopOp, int]] = []
        for candidate in walk_postorder(op):
            requested = annotation(candidate, loop.UNROLL)
            if requested is not None:
                del candidate.attributes[loop.UNROLL]
                requests.append((candidate, requested))
            elif self.factor > 1 and not contains_loop(candidate):
                requests.append((candidate, self.factor))
        for candidate, factor in requests:
            if factor <= 1:
                continue
            reason = unroll(candidate, factor)
            if reason is not None and self.debug:
                remark(self.name, candidate, f"not unrolled by {factor}: {reason}")
