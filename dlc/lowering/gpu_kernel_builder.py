"""Building blocks loop-to-gpu writes kernel bodies with.

A :class:`KernelBuilder` keeps, for one ``gpu.func``, the index constants and the
``gpu.thread_id`` / ``gpu.block_id`` values at the top of its body, so each is
created once however many loops ask for it. :func:`serialize_parallel` and
:func:`inline_loop_body` are the two ways a loop disappears into straight code.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import arith, gpu
from xdsl.dialects.builtin import IndexType, IntegerAttr
from xdsl.ir import Block, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.dialects import loop

INDEX = IndexType()
DIMENSIONS = (gpu.DimensionEnum.X, gpu.DimensionEnum.Y, gpu.DimensionEnum.Z)


class KernelBuilder:
    """Index values at the top of one kernel body, created on first use."""

    def __init__(self, entry: Block) -> None:
        self.entry = entry
        self._prologue: list[Operation] = []
        self._constants: dict[int, SSAValue] = {}
        for op in entry.ops:
            value = loop.constant_index(op.results[0]) if len(op.results) == 1 else None
            if value is not None:
                self._constants.setdefault(value, op.results[0])
        self._ids: dict[tuple[type[Operation], int], SSAValue] = {}

    def _add(self, op: Operation) -> SSAValue:
        anchor = self._prologue[-1] if self._prologue else None
        if anchor is None:
            first = self.entry.first_op
            assert first is not None
            self.entry.insert_op_before(op, first)
        else:
            self.entry.insert_op_after(op, anchor)
        self._prologue.append(op)
        return op.results[0]

    def constant(self, value: int) -> SSAValue:
        if value not in self._constants:
            op = arith.ConstantOp(IntegerAttr(value, INDEX))
            op.result.name_hint = f"c{value}"
            self._constants[value] = self._add(op)
        return self._constants[value]

    def thread_id(self, dim: int) -> SSAValue:
        return self._id(gpu.ThreadIdOp, dim, "tid")

    def block_id(self, dim: int) -> SSAValue:
        return self._id(gpu.BlockIdOp, dim, "bid")

    def _id(
        self, kind: type[gpu.ThreadIdOp | gpu.BlockIdOp], dim: int, hint: str
    ) -> SSAValue:
        key = (kind, dim)
        if key not in self._ids:
            op = kind(gpu.DimensionAttr(DIMENSIONS[dim]))
            op.result.name_hint = f"{hint}_{DIMENSIONS[dim].value}"
            self._ids[key] = self._add(op)
        return self._ids[key]

    def hoist(self, op: Operation) -> None:
        """Put ``op`` (which has no operands) into the prologue."""
        if op.parent is not None:
            op.detach()
        self._add(op)


def affine_index(
    builder: KernelBuilder, at: InsertPoint, lb: int, step: int, t: SSAValue
) -> SSAValue:
    """``lb + t * step`` inserted at ``at``, with the trivial cases folded."""
    value = t
    if step != 1:
        mul = arith.MuliOp(value, builder.constant(step))
        Rewriter.insert_op(mul, at)
        value = mul.result
    if lb != 0:
        add = arith.AddiOp(value, builder.constant(lb))
        Rewriter.insert_op(add, at)
        value = add.result
    return value


def guard_loop(
    builder: KernelBuilder, at: InsertPoint, start: SSAValue, end: int, stride: int
) -> tuple[loop.ForOp, InsertPoint]:
    """``loop.for %t = start to end step stride``: at most one trip for the ids
    that reach it, none for the ids past the end. Returns the loop and the
    point before its yield."""
    guard = loop.ForOp(start, builder.constant(end), builder.constant(stride))
    Rewriter.insert_op(guard, at)
    yield_op = loop.YieldOp()
    guard.body.block.add_op(yield_op)
    return guard, InsertPoint.before(yield_op)


def inline_loop_body(
    op: loop.ParallelOp | loop.ForOp, at: InsertPoint, ivs: Sequence[SSAValue]
) -> None:
    """Move the body of a loop without iter_args to ``at``, its ivs replaced."""
    block = op.body.block
    terminator = block.last_op
    assert isinstance(terminator, loop.YieldOp)
    terminator.detach()
    terminator.erase()
    Rewriter.inline_block(block, at, ivs)


def serialize_parallel(op: loop.ParallelOp) -> None:
    """An unmapped ``loop.parallel`` as a ``loop.for`` nest (outermost dim first)."""
    at = InsertPoint.before(op)
    ivs: list[SSAValue] = []
    for lb, ub, step in zip(op.lower_bounds, op.upper_bounds, op.steps, strict=True):
        inner = loop.ForOp(lb, ub, step)
        Rewriter.insert_op(inner, at)
        yield_op = loop.YieldOp()
        inner.body.block.add_op(yield_op)
        ivs.append(inner.induction_var)
        at = InsertPoint.before(yield_op)
    for new, old in zip(ivs, op.induction_vars, strict=True):
        new.name_hint = old.name_hint
    inline_loop_body(op, at, ivs)
    op.detach()
    op.erase()
