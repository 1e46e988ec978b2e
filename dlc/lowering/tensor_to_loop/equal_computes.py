"""Lower each distinct compute once: equal computes get a copy of its loops.

A model repeats its layers: resnet50's 53 convolutions are 20-odd distinct ones
over other weights and activations. Building a register-tiled kernel (micro-
kernels, epilogues, packing) is the costly part of tensor-to-loop, and two
computes that are structurally equal (:mod:`dlc.structural_equivalence`), read
tensors whose buffers have the same types and store into a buffer of the same
type, get the same loops over other buffers. So the first of them is lowered
and the others clone what it built, its buffers replaced by theirs. Scalar
constants sit at the top of the function (:class:`ScalarConstants`) and are
shared as they would be by a second lowering.

This changes how long the pass takes, not what it builds: a clone is the IR a
second lowering would build, names of values aside.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from xdsl.builder import Builder
from xdsl.dialects.builtin import TensorType
from xdsl.ir import Operation, SSAValue

from dlc.dialects.tensor import ComputeOp
from dlc.lowering.tensor_to_loop.compute import lower_compute
from dlc.lowering.tensor_to_loop.constants import ScalarConstants
from dlc.structural_equivalence import Flat, equivalent, flatten


class EqualComputes:
    """The computes of one function body, grouped by structure before any of
    them is lowered (lowering moves a compute's body into its loops)."""

    def __init__(self, computes: Sequence[ComputeOp]) -> None:
        self._flat: dict[ComputeOp, Flat] = {}
        self._first: dict[ComputeOp, ComputeOp] = {}
        """Each compute that equals an earlier one: that one."""
        self._lowered: dict[ComputeOp, tuple[SSAValue, list[Operation]]] = {}
        """The computes lowered so far that others equal: their buffer and ops."""
        buckets: dict[Hashable, list[Flat]] = {}
        for compute in computes:
            flat = flatten(compute)
            self._flat[compute] = flat
            key = (flat.shape, tuple(value.type for value in flat.free))
            candidates = buckets.setdefault(key, [])
            first = next((c for c in candidates if equivalent(flat, c)), None)
            if first is None:
                candidates.append(flat)
            else:
                assert isinstance(first.op, ComputeOp)
                self._first[compute] = first.op
        self._wanted = set(self._first.values())

    def lower(
        self,
        compute: ComputeOp,
        buffer: SSAValue,
        builder: Builder,
        buffers: Mapping[SSAValue, SSAValue],
        constants: ScalarConstants,
    ) -> None:
        """Build ``compute``'s loops at ``builder`` (before ``compute``), storing
        into ``buffer``: a clone of an equal compute's, or by lowering it."""
        first = self._first.get(compute)
        if first is not None and first in self._lowered:
            mapping = self._mapping(first, compute, buffer, buffers)
            if mapping is not None:
                for op in self._lowered[first][1]:
                    builder.insert(op.clone(value_mapper=mapping))
                return
        before = compute.prev_op
        lower_compute(compute, buffer, builder, buffers, constants)
        if compute in self._wanted and before is not None:
            ops: list[Operation] = []
            op = before.next_op
            while op is not compute:
                assert op is not None
                ops.append(op)
                op = op.next_op
            self._lowered[compute] = (buffer, ops)

    def _mapping(
        self,
        first: ComputeOp,
        compute: ComputeOp,
        buffer: SSAValue,
        buffers: Mapping[SSAValue, SSAValue],
    ) -> dict[SSAValue, SSAValue] | None:
        """What ``first``'s loops use in place of what ``compute``'s use, or None
        when the buffers' types differ or one value would stand for two."""
        first_buffer = self._lowered[first][0]
        pairs = [(first_buffer, buffer)]
        for old, new in zip(
            self._flat[first].free, self._flat[compute].free, strict=True
        ):
            if isinstance(old.type, TensorType):
                pairs.append((buffers[old], buffers[new]))
            else:
                pairs.append((old, new))
        mapping: dict[SSAValue, SSAValue] = {}
        for old, new in pairs:
            if old.type != new.type or mapping.setdefault(old, new) is not new:
                return None
        if len(set(mapping.values())) != len(mapping):
            return None
        return mapping
