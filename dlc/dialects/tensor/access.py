"""How a compute's body walks its loops: dependences and strides of its values.

Schedules and the kernel lowering both ask the same two questions about a body:
which loops does a value depend on (a read of ``w[k, j]`` in a matmul depends on
``k`` and ``j``, not ``i``), and how does an index move when one loop advances
by one (``ow * 2 + kw - 1`` moves by 2 along ``ow``). Loops are named by
position, as in ``#tensor.schedule``: the output dims, then the reduction dims.
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.dialects.builtin import IntegerAttr
from xdsl.ir import BlockArgument, SSAValue

from dlc.dialects.tensor import ComputeOp, ReadOp

Dependences = dict[SSAValue, frozenset[int]]
"""The loops (by position) each value of a body depends on."""


def dependences(compute: ComputeOp) -> Dependences:
    """The loops each value of ``compute``'s body and epilogue depends on.

    An epilogue's index arguments are the output loops; its folded value depends
    on every output loop.
    """
    deps: Dependences = {arg: frozenset([arg.index]) for arg in compute.body.block.args}
    blocks = [compute.body.block]
    if compute.epilogue is not None:
        block = compute.epilogue.block
        rank = len(compute.output_shape)
        for arg in block.args:
            deps[arg] = frozenset([arg.index] if arg.index < rank else range(rank))
        blocks.append(block)
    for block in blocks:
        for op in block.ops:
            union = frozenset[int]().union(
                *(deps.get(operand, frozenset[int]()) for operand in op.operands)
            )
            for result in op.results:
                deps[result] = union
    return deps


def _constant(value: SSAValue) -> int | None:
    owner = value.owner
    if isinstance(owner, arith.ConstantOp) and isinstance(owner.value, IntegerAttr):
        return owner.value.value.data
    return None


def loop_stride(deps: Dependences, value: SSAValue, position: int) -> int | None:
    """How much an index grows when loop ``position`` advances by one.

    0 when the index does not depend on that loop; None when it is not an affine
    function of it (a product of two loops, a division, data).
    """
    if position not in deps.get(value, frozenset[int]()):
        return 0
    if isinstance(value, BlockArgument):
        return 1 if deps[value] == {position} else None
    owner = value.owner
    if isinstance(owner, arith.AddiOp | arith.SubiOp):
        lhs = loop_stride(deps, owner.lhs, position)
        rhs = loop_stride(deps, owner.rhs, position)
        if lhs is None or rhs is None:
            return None
        return lhs + rhs if isinstance(owner, arith.AddiOp) else lhs - rhs
    if isinstance(owner, arith.MuliOp):
        for scaled, factor in ((owner.lhs, owner.rhs), (owner.rhs, owner.lhs)):
            constant = _constant(factor)
            stride = loop_stride(deps, scaled, position)
            if constant is not None and stride is not None:
                return constant * stride
    return None


def is_contiguous_along(deps: Dependences, read: ReadOp, position: int) -> bool:
    """Whether consecutive points of loop ``position`` read consecutive elements.

    Only the innermost index may move, by exactly one.
    """
    strides = [loop_stride(deps, index, position) for index in read.indices]
    return bool(strides) and strides[-1] == 1 and all(s == 0 for s in strides[:-1])


def body_reads(compute: ComputeOp) -> list[ReadOp]:
    """The reads of the body in textual order: how ``pack`` numbers them."""
    return [op for op in compute.body.block.ops if isinstance(op, ReadOp)]
