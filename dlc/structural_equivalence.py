"""Structural equivalence of ops with regions: the same code over other values.

Two passes share work between copies of the same code: ``loop-outline-kernels``
gives structurally equal loop nests one kernel, and ``tensor-to-loop`` lowers
structurally equal computes once. Both flatten each candidate once
(:func:`flatten`), bucket the candidates by :attr:`Flat.shape`, and compare
candidates of one bucket with :func:`equivalent`, which pairs their free values
by position. This is xDSL's ``is_structurally_equivalent`` plus result types, in
one flat loop instead of a recursion (which took half of the outlining time on
resnet50), and with the free values paired up front.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from xdsl.ir import Block, Operation, SSAValue


@dataclass
class Flat:
    """An op and everything in it, in walk order, and the values it uses from
    outside (its free values) in the order of their first use."""

    op: Operation
    ops: list[Operation]
    blocks: list[Block]
    free: list[SSAValue]
    shape: Hashable
    """Op names and operand, result, successor and block argument counts in
    nesting order: equal for any two structurally equivalent ops."""


def flatten(op: Operation) -> Flat:
    """``op`` flattened (:class:`Flat`)."""
    ops: list[Operation] = []
    blocks: list[Block] = []
    shape: list[Hashable] = []
    _flatten(op, ops, blocks, shape)
    defined: set[SSAValue] = {arg for block in blocks for arg in block.args}
    free: dict[SSAValue, None] = {}
    for inner in ops:
        for operand in inner.operands:
            if operand not in defined:
                free.setdefault(operand)
        defined.update(inner.results)
    return Flat(op, ops, blocks, list(free), tuple(shape))


def _flatten(
    op: Operation, ops: list[Operation], blocks: list[Block], shape: list[Hashable]
) -> None:
    ops.append(op)
    shape.append((op.name, len(op.operands), len(op.results), len(op.successors)))
    for region in op.regions:
        shape.append("(")
        for block in region.blocks:
            blocks.append(block)
            shape.append(len(block.args))
            for inner in block.ops:
                _flatten(inner, ops, blocks, shape)
            shape.append(";")
        shape.append(")")


def equivalent(flat: Flat, other: Flat) -> bool:
    """Whether ``flat`` is ``other`` with its free values renamed, the i-th
    free value of one standing for the i-th of the other.

    Callers compare what the free values are (types, or defining ops) before;
    equal :attr:`Flat.shape` is checked here. What is left is to compare the
    two pairwise in walk order: block argument types, result types, attributes,
    properties, and operands and successors under the pairing.
    """
    if flat.shape != other.shape or len(flat.free) != len(other.free):
        return False
    context: dict[SSAValue | Block, SSAValue | Block] = dict(
        zip(flat.free, other.free, strict=True)
    )
    for block, other_block in zip(flat.blocks, other.blocks, strict=True):
        if block.arg_types != other_block.arg_types:
            return False
        context[block] = other_block
        context.update(zip(block.args, other_block.args, strict=True))
    for op, other_op in zip(flat.ops, other.ops, strict=True):
        if (
            op.result_types != other_op.result_types
            or op.attributes != other_op.attributes
            or op.properties != other_op.properties
            or any(
                context.get(value) is not other_value
                for value, other_value in zip(
                    op.operands, other_op.operands, strict=True
                )
            )
            or any(
                context.get(block) is not other_block
                for block, other_block in zip(
                    op.successors, other_op.successors, strict=True
                )
            )
        ):
            return False
        context.update(zip(op.results, other_op.results, strict=True))
    return True
