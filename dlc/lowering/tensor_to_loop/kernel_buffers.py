"""Buffers the kernel fills before its loop nest: expanded padded tensors, panels.

**Expansion.** A padded read whose indices stay in a known box reads a copy of
its tensor that covers the whole box, filled with the pad value around the
tensor, so the kernel loads without any check (a 3x3 convolution with padding 1
reads a ``64x58x58`` copy of a ``64x56x56`` input at ``[c, oh + kh, ow + kw]``).
The copy writes each element of the buffer once, the pad around the tensor and the
tensor inside (:class:`_Expander`), in parallel over channels and rows::

    %xe = memref.alloc() : memref<1x64x58x58xf32>
    loop.parallel (%c) ... {
      (pad row 0) loop.parallel (%h) ... { (pad column 0)
        loop.for %w ... { %v = memref.load %x[0, %c, %h, %w]
                          memref.store %v, %xe[0, %c, %h + 1, %w + 1] }
        (pad column 57) } (pad row 57) }

**Packing.** A packed read is evaluated at every point of the loops it depends
on and stored in the order the kernel walks it (:class:`.PackLayout`): register
blocks first, then the other loops, then the lanes of each block. For
``w[k, j]`` in a matmul with 32-lane blocks of ``j``::

    %p = memref.alloc() : memref<32x1024x32xf32>     // [j / 32, k, j % 32]
    loop.parallel (%jb) = 0 to 32 { loop.parallel (%k) = 0 to 1024 {
      loop.for %jl = 0 to 32 {
        %v = memref.load %w[%k, 32 %jb + %jl]
        memref.store %v, %p[%jb, %k, %jl] } } }

(were N not a multiple of 32, its last, partial block would follow on its own,
with ``N % 32`` lanes: see :class:`_Packer`).

The kernel then reads ``%p[j / 32, k, j % 32]``: consecutive ``k`` are
consecutive panel rows, which removes the cache conflicts of walking a column
block of a row-major matrix with a power-of-two row length. Every point of a
panel is written once, so its loops but the innermost are ``loop.parallel``:
``loop-parallelize`` shares the packing between threads (a strided convolution's
panel takes a third of its time on one thread). Every buffer made here is freed
after the nest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import prod

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import MemRefType, TensorType
from xdsl.ir import Attribute, SSAValue

from dlc.dialects import loop
from dlc.dialects.tensor import ReadOp
from dlc.lowering.tensor_to_loop.constants import ScalarConstants
from dlc.lowering.tensor_to_loop.kernel_body import BodyEmitter
from dlc.lowering.tensor_to_loop.kernel_plan import Expansion, KernelPlan
from dlc.lowering.tensor_to_loop.loops import open_loop


def stage_reads(
    plan: KernelPlan,
    builder: Builder,
    constants: ScalarConstants,
    buffers: Mapping[SSAValue, SSAValue],
) -> tuple[dict[ReadOp, SSAValue], list[SSAValue]]:
    """Build the expansions and panels; return them by read, and all to free."""
    staged: dict[ReadOp, SSAValue] = {}
    made: list[SSAValue] = []
    expanded: dict[tuple[SSAValue, Expansion, Attribute], SSAValue] = {}
    for read, expansion in plan.expansions.items():
        assert read.pad is not None
        source = buffers[read.tensor]
        key = (source, expansion, read.pad)
        if key not in expanded:
            expanded[key] = _expand(read, source, expansion, builder, constants)
            made.append(expanded[key])
        staged[read] = expanded[key]
    for read in plan.layouts:
        staged[read] = _pack(plan, read, builder, constants, buffers)
        made.append(staged[read])
    return staged, made


def _alloc(
    builder: Builder, element_type: Attribute, shape: tuple[int, ...]
) -> SSAValue:
    alloc = memref.AllocOp([], [], MemRefType(element_type, shape))
    return builder.insert(alloc).memref


def _span(
    builder: Builder,
    lower: int,
    upper: int,
    constants: ScalarConstants,
    *,
    parallel: bool = False,
) -> tuple[SSAValue, Builder]:
    """The index of a loop over ``[lower, upper)`` and a builder for its body; a
    range of one point is its constant, with no loop."""
    if upper - lower == 1:
        return constants.index(lower), builder
    _, index, body = open_loop(
        builder,
        constants.index(lower),
        constants.index(upper),
        constants.index(1),
        parallel=parallel,
    )
    return index, body


def _expand(
    read: ReadOp,
    source: SSAValue,
    expansion: Expansion,
    builder: Builder,
    constants: ScalarConstants,
) -> SSAValue:
    tensor_type = read.tensor.type
    assert isinstance(tensor_type, TensorType) and read.pad is not None
    target = _alloc(builder, tensor_type.element_type, expansion.shape)
    target.name_hint = f"{read.tensor.name_hint or 'tensor'}_padded"
    _Expander(
        source,
        target,
        constants.get(read.pad),
        expansion,
        tuple(tensor_type.get_shape()),
        constants,
    ).write(builder, 0, [], [])
    return target


@dataclass(frozen=True)
class _Expander:
    """Writes every element of an expansion once: the tensor inside, the pad around.

    Dim by dim, the buffer's range is the low border, the tensor's extent and the
    high border. A border is a box filled with the pad; the extent's loop goes on
    to the next dim, and the innermost one copies. Filling the whole buffer, then
    copying the tensor over it, would write most of it twice. The loops over the
    tensor's extent, but the innermost, are ``loop.parallel``: each iteration
    writes its own slice, so ``loop-parallelize`` can share the copy between
    threads like the kernel after it. A dim of one point gets no loop.
    """

    source: SSAValue
    target: SSAValue
    pad: SSAValue
    expansion: Expansion
    extents: tuple[int, ...]
    constants: ScalarConstants

    def write(
        self,
        builder: Builder,
        dim: int,
        inside: list[SSAValue],
        outside: list[SSAValue],
    ) -> None:
        """Dims ``dim`` on, at a point of the tensor given in its own indices
        (``inside``) and in the buffer's (``outside``)."""
        if dim == len(self.extents):
            value = builder.insert(memref.LoadOp.get(self.source, inside)).res
            builder.insert(memref.StoreOp.get(value, self.target, outside))
            return
        size = self.expansion.shape[dim]
        offset = self.expansion.offsets[dim]
        extent = self.extents[dim]
        if offset:
            self._fill(builder, dim, 0, offset, outside)
        index, body = _span(
            builder,
            0,
            extent,
            self.constants,
            parallel=dim < len(self.extents) - 1,
        )
        shifted = index
        if offset:
            add = arith.AddiOp(index, self.constants.index(offset))
            shifted = body.insert(add).result
        self.write(body, dim + 1, [*inside, index], [*outside, shifted])
        if offset + extent < size:
            self._fill(builder, dim, offset + extent, size, outside)

    def _fill(
        self,
        builder: Builder,
        dim: int,
        lower: int,
        upper: int,
        outside: list[SSAValue],
    ) -> None:
        """Store the pad in the box ``[lower, upper)`` of ``dim``, all of the
        dims after it, at the point ``outside`` of the dims before it."""
        indices = list(outside)
        index, builder = _span(builder, lower, upper, self.constants)
        indices.append(index)
        for size in self.expansion.shape[dim + 1 :]:
            index, builder = _span(builder, 0, size, self.constants)
            indices.append(index)
        builder.insert(memref.StoreOp.get(self.pad, self.target, indices))


def _pack(
    plan: KernelPlan,
    read: ReadOp,
    builder: Builder,
    constants: ScalarConstants,
    buffers: Mapping[SSAValue, SSAValue],
) -> SSAValue:
    layout = plan.layouts[read]
    panel = _alloc(builder, read.result.type, layout.shape)
    panel.name_hint = f"{read.tensor.name_hint or 'tensor'}_packed"
    if prod(layout.shape) == 0:
        return panel
    _Packer(plan, read, panel, constants, buffers).write(builder, 0, [], {}, {})
    return panel


class _Packer:
    """Writes a panel, its dims in layout order.

    A register loop that its factor does not divide ends in a partial block: its
    panel loop runs over the full blocks, then the last block comes on its own,
    so that every lane loop has a constant trip count, which LLVM unrolls and
    vectorizes: with ``min(48, 112 - 48 b)`` lanes, the 7x7 convolution with
    stride 2 of bench/workloads.py packed its input in 0.50 ms instead of 0.34 ms
    on one thread (the 3x3 one: 0.49 instead of 0.26 ms).
    """

    def __init__(
        self,
        plan: KernelPlan,
        read: ReadOp,
        panel: SSAValue,
        constants: ScalarConstants,
        buffers: Mapping[SSAValue, SSAValue],
    ):
        self.plan = plan
        self.read = read
        self.layout = plan.layouts[read]
        self.panel = panel
        self.constants = constants
        self.buffers = buffers

    def write(
        self,
        builder: Builder,
        number: int,
        indices: list[SSAValue],
        blocks: dict[int, tuple[SSAValue, int]],
        base: dict[int, SSAValue],
    ) -> None:
        """Dims ``number`` on; ``blocks`` has each register loop's block index and
        its lanes, ``base`` each loop's index."""
        if number == len(self.layout.dims):
            emitter = BodyEmitter(
                self.plan,
                builder,
                self.constants,
                self.buffers,
                {},
                base,
                width=1,
                packing=True,
            )
            value = emitter.value(self.read.result, {})
            builder.insert(memref.StoreOp.get(value, self.panel, indices))
            return
        kind, position = self.layout.dims[number]
        factor = self.plan.register[position]
        index = self.constants.index
        if kind == "panel":
            full, left = divmod(self.plan.extents[position], factor)
            if full:
                block, body = self._loop(builder, number, full)
                self.write(
                    body,
                    number + 1,
                    [*indices, block],
                    {**blocks, position: (block, factor)},
                    base,
                )
            if left:
                last = index(full)
                blocks = {**blocks, position: (last, left)}
                self.write(builder, number + 1, [*indices, last], blocks, base)
            return
        if kind == "whole":
            point, body = self._loop(builder, number, self.layout.shape[number])
            base = {**base, position: point}
            self.write(body, number + 1, [*indices, point], blocks, base)
            return
        block, lanes = blocks[position]
        first = loop.constant_index(block)
        start = (
            index(first * factor)
            if first is not None
            else builder.insert(arith.MuliOp(block, index(factor))).result
        )
        lane, body = self._loop(builder, number, lanes)
        point = body.insert(arith.AddiOp(start, lane)).result
        base = {**base, position: point}
        self.write(body, number + 1, [*indices, lane], blocks, base)

    def _loop(
        self, builder: Builder, number: int, size: int
    ) -> tuple[SSAValue, Builder]:
        """The loop of dim ``number`` over ``[0, size)``: parallel but the innermost."""
        kind, position = self.layout.dims[number]
        _, index, body = open_loop(
            builder,
            self.constants.index(0),
            self.constants.index(size),
            self.constants.index(1),
            parallel=number < len(self.layout.dims) - 1,
        )
        name = self.plan.compute.body.block.args[position].name_hint or "d"
        index.name_hint = name if kind == "whole" else f"{name}_{kind}"
        return index, body
