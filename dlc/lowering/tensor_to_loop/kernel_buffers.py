"""Buffers the kernel fills before its loop nest: expanded padded tensors, panels.

**Expansion.** A padded read whose indices stay in a known box reads a copy of
its tensor that covers the whole box, filled with the pad value around the
tensor, so the kernel loads without any check (a 3x3 convolution with padding 1
reads a ``64x58x58`` copy of a ``64x56x56`` input at ``[c, oh + kh, ow + kw]``)::

    %xe = memref.alloc() : memref<1x64x58x58xf32>
    loop.for ... { memref.store %pad, %xe[%n, %c, %h, %w] }                 // fill
    loop.for ... { %v = memref.load %x[%n, %c, %h, %w]
                   memref.store %v, %xe[%n, %c, %h + 1, %w + 1] }           // copy

**Packing.** A packed read is evaluated at every point of the loops it depends
on and stored in the order the kernel walks it (:class:`.PackLayout`): register
blocks first, then the other loops, then the lanes of each block. For
``w[k, j]`` in a matmul with 32-lane blocks of ``j``::

    %p = memref.alloc() : memref<32x1024x32xf32>     // [j / 32, k, j % 32]
    loop.for %jb ... { loop.for %k ... { loop.for %jl = 0 to min(32, N - 32 %jb) {
      %v = memref.load %w[%k, 32 %jb + %jl]
      memref.store %v, %p[%jb, %k, %jl] } } }

The kernel then reads ``%p[j / 32, k, j % 32]``: consecutive ``k`` are
consecutive panel rows, which removes the cache conflicts of walking a column
block of a row-major matrix with a power-of-two row length. Every buffer made
here is freed after the nest.
"""

from __future__ import annotations

from collections.abc import Mapping
from math import prod

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import MemRefType, TensorType
from xdsl.ir import Attribute, SSAValue

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


def _nest(
    builder: Builder, shape: tuple[int, ...], constants: ScalarConstants
) -> tuple[list[SSAValue], Builder]:
    """A plain loop nest over ``shape``; its indices and a builder for its body."""
    indices: list[SSAValue] = []
    for extent in shape:
        _, index, builder = open_loop(
            builder, constants.index(0), constants.index(extent), constants.index(1)
        )
        indices.append(index)
    return indices, builder


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
    indices, body = _nest(builder, expansion.shape, constants)
    body.insert(memref.StoreOp.get(constants.get(read.pad), target, indices))
    indices, body = _nest(builder, tuple(tensor_type.get_shape()), constants)
    value = body.insert(memref.LoadOp.get(source, indices)).res
    shifted = [
        body.insert(arith.AddiOp(index, constants.index(offset))).result
        if offset
        else index
        for index, offset in zip(indices, expansion.offsets, strict=True)
    ]
    body.insert(memref.StoreOp.get(value, target, shifted))
    return target


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
    indices: list[SSAValue] = []
    blocks: dict[int, SSAValue] = {}
    base: dict[int, SSAValue] = {}
    for (kind, position), size in zip(layout.dims, layout.shape, strict=True):
        upper = constants.index(size)
        extent, factor = plan.extents[position], plan.register[position]
        start = None
        if kind == "lane":
            start = builder.insert(
                arith.MuliOp(blocks[position], constants.index(factor))
            ).result
            if extent % factor:
                left = builder.insert(
                    arith.SubiOp(constants.index(extent), start)
                ).result
                upper = builder.insert(arith.MinSIOp(left, upper)).result
        _, index, builder = open_loop(
            builder, constants.index(0), upper, constants.index(1)
        )
        name = plan.compute.body.block.args[position].name_hint or "d"
        index.name_hint = name if kind == "whole" else f"{name}_{kind}"
        indices.append(index)
        if kind == "panel":
            blocks[position] = index
        elif start is not None:
            base[position] = builder.insert(arith.AddiOp(start, index)).result
        else:
            base[position] = index
    emitter = BodyEmitter(
        plan, builder, constants, buffers, {}, base, width=1, packing=True
    )
    value = emitter.value(read.result, {})
    builder.insert(memref.StoreOp.get(value, panel, indices))
    return panel
