"""Opening loops at a builder: the one step every loop nest of this lowering takes."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.builder import Builder
from xdsl.ir import Operation, SSAValue
from xdsl.rewriter import InsertPoint

from dlc.dialects import loop


def open_loop(
    builder: Builder,
    lower: SSAValue,
    upper: SSAValue,
    step: SSAValue,
    *,
    parallel: bool = False,
) -> tuple[Operation, SSAValue, Builder]:
    """A loop without iter_args; returns it, its index and a builder for its body.

    With ``parallel``, an unmapped one-dimensional ``loop.parallel``.
    """
    if parallel:
        parallel_op = loop.ParallelOp([lower], [upper], [step])
        op, index = parallel_op, parallel_op.induction_vars[0]
    else:
        for_op = loop.ForOp(lower, upper, step)
        op, index = for_op, for_op.induction_var
    builder.insert(op)
    terminator = loop.YieldOp()
    op.regions[0].block.add_op(terminator)
    return op, index, Builder(InsertPoint.before(terminator))


def open_reduction_loop(
    builder: Builder,
    lower: SSAValue,
    upper: SSAValue,
    step: SSAValue,
    carried: Sequence[SSAValue],
) -> tuple[loop.ForOp, Builder]:
    """A ``loop.for`` carrying ``carried`` in iter_args; a builder for its body.

    The caller ends the body with the ``loop.yield`` of the next values.
    """
    for_op = builder.insert(loop.ForOp(lower, upper, step, iter_args=carried))
    return for_op, Builder(InsertPoint.at_end(for_op.body.block))
