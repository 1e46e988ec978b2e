"""Whether the register-tiled kernel can lower a compute, and how it reads each tensor.

The kernel (:mod:`.kernels`) clones the body once per register offset and runs
the reduction loops innermost with the accumulators in ``iter_args``. Along the
vector loop (the innermost output loop) every float value becomes a vector and
every index is the one of lane 0, so each read of the body is accessed one of
three ways:

* **uniform**: its indices do not depend on the vector loop; one scalar load,
  splat where a vector needs it (``w[f, c, kh, kw]`` in a convolution);
* **vector**: only its innermost index depends on the vector loop, with stride 1;
  one ``loop.vload`` (``x[n, c, oh + kh - 1, ow + kw - 1]``);
* **packed**: anything else, or what the schedule asks to pack: the read is
  evaluated over the loops it depends on, before the nest, into a panel whose
  innermost dim is the vector loop's lanes (:mod:`.kernel_buffers`).

A padded read is never guarded inside the kernel when its indices are bounded:
its tensor is copied once into a larger buffer filled with the pad value (the
"expansion"), so that every index of the read lands inside it.

:func:`plan_kernel` returns None for a compute the kernel does not cover (no
register tile, no reduction, integer or f16 values, ops without a vector form on
the vector path); ``tensor-to-loop`` then builds its plain loop nest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from math import prod

from xdsl.dialects.builtin import Float32Type, Float64Type, IndexType, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.utils.exceptions import VerifyException

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects.loop import LANEWISE_ARITH
from dlc.dialects.tensor import ComputeOp, ReadOp, YieldOp
from dlc.dialects.tensor.access import (
    Dependences,
    body_reads,
    dependences,
    is_contiguous_along,
    loop_stride,
)
from dlc.lowering.tensor_to_loop.read import IndexRanges

KERNEL_ELEMENT_TYPES = (Float32Type, Float64Type)
"""Element types of the kernel's values (f16 has no fast vector arithmetic)."""

PACK_LIMIT = 1 << 24
"""The most elements a packed panel or an expanded buffer may hold."""

EXPANSION_SLACK = 1 << 16
"""How many elements an expansion may add beyond doubling its tensor."""


class Access(Enum):
    """How the kernel reads one tensor.read of the body."""

    UNIFORM = "uniform"
    VECTOR = "vector"
    PACKED = "packed"


@dataclass(frozen=True)
class Expansion:
    """A padded read's tensor copied into a buffer that holds every index it reads.

    Dim ``d`` of the buffer holds the tensor's ``[-offsets[d], shape[d] -
    offsets[d])``; what lies outside the tensor is the pad value.
    """

    shape: tuple[int, ...]
    offsets: tuple[int, ...]


@dataclass(frozen=True)
class PackLayout:
    """The panel a packed read is copied into, dim by dim.

    Each dim is ``(kind, loop)``: ``panel`` counts blocks of a register loop,
    ``whole`` runs over a loop without a register factor, ``lane`` is the offset
    inside a register block. Panels come first and lanes last, so the reduction
    loops walk a packed read contiguously and the vector loop's lanes are the
    innermost dim.
    """

    dims: tuple[tuple[str, int], ...]
    shape: tuple[int, ...]


@dataclass
class KernelPlan:
    """What :mod:`.kernels` needs to know about one compute."""

    compute: ComputeOp
    extents: tuple[int, ...]
    rank: int
    tiles: tuple[int, ...]
    register: tuple[int, ...]
    width: int
    parallel: frozenset[int]
    unroll: int
    deps: Dependences
    access: dict[ReadOp, Access] = field(default_factory=dict[ReadOp, Access])
    layouts: dict[ReadOp, PackLayout] = field(default_factory=dict[ReadOp, PackLayout])
    expansions: dict[ReadOp, Expansion] = field(default_factory=dict[ReadOp, Expansion])
    vector_epilogue: bool = True
    """Whether the epilogue runs on whole vectors; else lane by lane, on scalars."""

    @property
    def vector_loop(self) -> int | None:
        """The loop whose points are vector lanes: the innermost output loop."""
        return self.rank - 1 if self.width > 1 else None


def plan_kernel(compute: ComputeOp) -> KernelPlan | None:
    """The kernel's plan for ``compute``, or None when the kernel does not apply.

    A register tile that does not fit the compute is an error at the compute.
    """
    schedule = compute.schedule
    if schedule is None or not schedule.register_tile or not compute.has_reduction:
        return None
    body = compute.body.block
    reads = body_reads(compute)
    extents = (*compute.output_shape, *compute.reduction_extents)
    rank = len(compute.output_shape)
    try:
        schedule.verify_kernel_fields(extents, rank, len(reads))
    except VerifyException as error:
        raise DiagnosticError(
            f"tensor-to-loop: {error}", SourceLocation.of(compute.location)
        ) from None
    if not isinstance(compute.element_type, KERNEL_ELEMENT_TYPES) or any(
        op.regions or (isinstance(op, ReadOp) and 0 in _shape(op)) for op in body.ops
    ):
        return None
    plan = KernelPlan(
        compute=compute,
        extents=extents,
        rank=rank,
        tiles=tuple(
            size if 0 < size < extent else 0
            for size, extent in zip(
                schedule.tile_sizes or (0,) * len(extents), extents, strict=True
            )
        ),
        register=schedule.register_tile,
        width=schedule.vector_width,
        parallel=frozenset(schedule.parallel_dims),
        unroll=schedule.unroll_factor,
        deps=dependences(compute),
    )
    for number in schedule.packed_reads:
        plan.access[reads[number]] = Access.PACKED
    if not _classify_reads(plan):
        return None
    for read, access in plan.access.items():
        if access is Access.PACKED:
            plan.layouts[read] = _pack_layout(plan, read)
    plan.vector_epilogue = _classify_epilogue(plan)
    if any(prod(layout.shape) > PACK_LIMIT for layout in plan.layouts.values()):
        return None
    return plan


def lane_stride(plan: KernelPlan, value: SSAValue) -> int | None:
    """How much an index grows from one vector lane to the next; None if not affine."""
    if plan.vector_loop is None:
        return 0
    return loop_stride(plan.deps, value, plan.vector_loop)


def _kernel_ops(plan: KernelPlan) -> list[Operation]:
    """The body ops the kernel clones: what the yield needs, up to packed reads."""
    needed: set[Operation] = set()
    stack = [plan.compute.yielded]
    while stack:
        owner = stack.pop().owner
        if not isinstance(owner, Operation) or owner in needed:
            continue
        if plan.access.get(owner) is Access.PACKED:  # pyright: ignore[reportArgumentType]
            continue
        needed.add(owner)
        stack.extend(owner.operands)
    return [op for op in plan.compute.body.block.ops if op in needed]


def _classify_reads(plan: KernelPlan) -> bool:
    """Give every read the kernel clones its access; False if some op cannot be
    cloned at the vector width.

    A read that cannot be a vector load is packed, which removes its index
    computation from the kernel; so reads are packed to a fixed point first, and
    only the ops left are checked.
    """
    ranges = IndexRanges()
    for arg, extent in zip(plan.compute.body.block.args, plan.extents, strict=True):
        ranges.bind(arg, extent)
    while True:
        packed = [
            op
            for op in _kernel_ops(plan)
            if isinstance(op, ReadOp)
            and _read_access(plan, op, ranges) is Access.PACKED
        ]
        if not packed:
            break
        for read in packed:
            plan.access[read] = Access.PACKED
    cloned = _kernel_ops(plan)
    for op in cloned:
        if isinstance(op, ReadOp):
            plan.access[op] = _read_access(plan, op, ranges)
        elif not _clonable(plan, op):
            return False
    plan.expansions = {
        read: expansion
        for read, expansion in plan.expansions.items()
        if read in cloned and plan.access[read] is not Access.PACKED
    }
    return True


def _classify_epilogue(plan: KernelPlan) -> bool:
    """Give the epilogue's reads their access; False if it cannot run on vectors.

    An epilogue reads each element once, so nothing is packed or expanded for it:
    a read that is not a plain vector load along the vector loop, or an op
    without a vector form, makes the epilogue run lane by lane.
    """
    epilogue = plan.compute.epilogue
    vector_loop = plan.vector_loop
    if epilogue is None or vector_loop is None:
        return True
    for op in epilogue.block.ops:
        if not isinstance(op, ReadOp):
            if not _clonable(plan, op):
                return False
        elif vector_loop not in plan.deps[op.result]:
            plan.access[op] = Access.UNIFORM
        elif op.pad is None and is_contiguous_along(plan.deps, op, vector_loop):
            plan.access[op] = Access.VECTOR
        else:
            return False
    return True


def _read_access(plan: KernelPlan, read: ReadOp, ranges: IndexRanges) -> Access:
    vector_loop = plan.vector_loop
    varies = vector_loop is not None and vector_loop in plan.deps[read.result]
    if read.pad is not None:
        expansion = _expansion(read, ranges)
        if expansion is not None:
            plan.expansions[read] = expansion
        elif varies:
            return Access.PACKED
    if not varies:
        return Access.UNIFORM
    assert vector_loop is not None
    if is_contiguous_along(plan.deps, read, vector_loop):
        return Access.VECTOR
    return Access.PACKED


def _clonable(plan: KernelPlan, op: Operation) -> bool:
    """Whether the kernel can clone ``op`` at any width (scalars or lanes)."""
    if isinstance(op, YieldOp) or not op.results:
        return True
    vector_loop = plan.vector_loop
    if vector_loop is None or all(
        vector_loop not in plan.deps[result] for result in op.results
    ):
        return True
    result = op.results[0]
    if isinstance(result.type, IndexType):
        return lane_stride(plan, result) is not None
    if not isinstance(result.type, KERNEL_ELEMENT_TYPES) or len(op.results) != 1:
        return False
    if not (isinstance(op, LANEWISE_ARITH) or op.name.startswith("math.")):
        return False
    return all(not isinstance(operand.type, IndexType) for operand in op.operands)


def _shape(read: ReadOp) -> tuple[int, ...]:
    tensor_type = read.tensor.type
    assert isinstance(tensor_type, TensorType)
    return tuple(tensor_type.get_shape())


def _expansion(read: ReadOp, ranges: IndexRanges) -> Expansion | None:
    """The buffer that holds every index of a padded read, if small enough."""
    shape = _shape(read)
    sizes: list[int] = []
    offsets: list[int] = []
    for index, extent in zip(read.indices, shape, strict=True):
        bounds = ranges.of(index)
        if bounds is None:
            return None
        low, high = min(bounds[0], 0), max(bounds[1], extent - 1)
        sizes.append(high - low + 1)
        offsets.append(-low)
    size, original = prod(sizes), prod(shape)
    if size > PACK_LIMIT or size > 2 * original + EXPANSION_SLACK:
        return None
    return Expansion(tuple(sizes), tuple(offsets))


def _pack_layout(plan: KernelPlan, read: ReadOp) -> PackLayout:
    loops = sorted(plan.deps[read.result])
    blocked = [p for p in loops if plan.register[p] > 1]
    dims = [
        *(("panel", p) for p in blocked),
        *(("whole", p) for p in loops if plan.register[p] == 1),
        *(("lane", p) for p in blocked),
    ]
    shape = [
        -(-plan.extents[p] // plan.register[p])
        if kind == "panel"
        else plan.register[p]
        if kind == "lane"
        else plan.extents[p]
        for kind, p in dims
    ]
    return PackLayout(tuple(dims), tuple(shape))
