"""tensor-flatten: one long vector loop for a strided convolution's short rows.

The register-tiled kernel (docs/schedules.md) puts its vector lanes along the
innermost output dim. A convolution with a stride has short output rows (14
columns for a 3x3/2 convolution of a 28x28 image): on AVX-512 that is a vector of
8 lanes, then 4, then 2, a third of the machine's width on average. Its input
read moves by 2 along the row, so the kernel packs it anyway: the read is
evaluated at every point into a panel, in whatever order the kernel walks. So
the two innermost output dims can be one, ``p = oh * W + ow``, 196 points in 12
vectors of 16 and one of 4, with ``oh = p / W`` and ``ow = p % W`` paid once per
element of the panel::

    %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [128, 3, 3]
        init 0.0 : tensor<1x256x14x14xf32> {
      ... x[n, c, oh * 2 + kh - 1, ow * 2 + kw - 1] * w[f, c, kh, kw] ...
    }

becomes::

    %y_flat = tensor.compute (%n, %f, %p) reduce add (%c, %kh, %kw) in [128, 3, 3]
        init 0.0 : tensor<1x256x196xf32> {
      %oh = arith.divui %p, %c14 : index
      %ow = arith.remui %p, %c14 : index
      ... the same body ...
    }
    %y = tensor.compute (%n, %f, %oh, %ow) : tensor<1x256x14x14xf32> {
      %p = oh * 14 + ow
      %v = tensor.read %y_flat[%n, %f, %p] : tensor<1x256x196xf32>
      tensor.yield %v : f32
    }

The second compute is a copy, the size of the output; the convolution's
epilogue (bias, activation) stays on the first. A compute is flattened when it
is a contraction (docs/schedules.md's kernel kind) without a schedule or with the
default one (a schedule written in the IR or given with ``override`` is for the
loops the user wrote, and stays), its rows
do not fill whole vectors of the machine (``W % lanes != 0``), and every read that
moves along the row is not contiguous along it: a stride-1 convolution reads its
input with plain vector loads, which flattening would turn into a copy of the
image per tap. Its epilogue must not read anything along the two dims (a residual
would be read lane by lane). Runs after ``tensor-schedule``, which chose the
defaults it compares with, and gives both new computes their default schedules;
``target`` picks the machine as ``tensor-schedule`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    Float32Type,
    Float64Type,
    IndexType,
    IntegerAttr,
    ModuleOp,
    TensorType,
)
from xdsl.ir import Block, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.dialects.tensor.access import dependences, is_contiguous_along
from dlc.targets.cpu.host import CPU_MODELS, CpuModel, host_cpu
from dlc.transforms.default_schedules import (
    KernelKind,
    default_schedule,
    kernel_kind,
)


@dataclass(frozen=True)
class TensorFlattenPass(ModulePass):
    """Merge the row dims of strided contractions whose rows are short."""

    name = "tensor-flatten"

    target: str = "host"
    """The machine whose vector width decides: host, avx512, avx2 or sse."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        cpu = _cpu_model(self.target)
        for compute in [c for c in op.walk() if isinstance(c, ComputeOp)]:
            if not should_flatten(compute, cpu.vector_bytes):
                continue
            scheduled = compute.schedule is not None
            if scheduled and compute.schedule != default_schedule(compute, cpu):
                continue  # the user's schedule, for the loops the user wrote
            flat, copy = flatten_rows(compute)
            if scheduled:
                flat.properties["schedule"] = default_schedule(flat, cpu)
                copy.properties["schedule"] = default_schedule(copy, cpu)


def _cpu_model(target: str) -> CpuModel:
    if target == "host":
        return host_cpu()
    if target not in CPU_MODELS:
        known = ", ".join(["host", *CPU_MODELS])
        raise ValueError(f"tensor-flatten: unknown target '{target}' (known: {known})")
    return CPU_MODELS[target]


def should_flatten(compute: ComputeOp, vector_bytes: int) -> bool:
    """The rule of the module docstring, for a machine of ``vector_bytes``."""
    shape = compute.output_shape
    element = compute.element_type
    if (
        len(shape) < 2
        or shape[-2] == 1
        or compute.computed_at is not None
        or not isinstance(element, Float32Type | Float64Type)
        or kernel_kind(compute) is not KernelKind.CONTRACTION
    ):
        return False
    lanes = vector_bytes // (element.bitwidth // 8)
    if shape[-1] % lanes == 0:
        return False
    deps = dependences(compute)
    rows = {len(shape) - 2, len(shape) - 1}
    innermost = len(shape) - 1
    for read in compute.body.block.ops:
        if not isinstance(read, ReadOp) or innermost not in deps[read.result]:
            continue
        if is_contiguous_along(deps, read, innermost):
            return False
    if compute.epilogue is not None:
        for read in compute.epilogue.block.ops:
            if isinstance(read, ReadOp) and rows & deps[read.result]:
                return False
    return True


def flatten_rows(compute: ComputeOp) -> tuple[ComputeOp, ComputeOp]:
    """Rewrite ``compute`` as a compute over ``oh * W + ow`` and a copy into the
    original shape, which replaces it; returns both, without schedules."""
    shape = compute.output_shape
    rank = len(shape)
    width = shape[-1]
    result_type = compute.result.type
    assert isinstance(result_type, TensorType)
    flat_type = TensorType(result_type.element_type, [*shape[:-2], shape[-2] * width])
    properties = dict(compute.properties)
    properties.pop("schedule", None)
    regions = [Region(_flattened_block(compute.body.block, rank, width))]
    if compute.epilogue is not None:
        regions.append(Region(_flattened_block(compute.epilogue.block, rank, width)))
    flat = ComputeOp.create(
        result_types=[flat_type],
        properties=properties,
        regions=regions,
    )
    copy = ComputeOp.from_callable(
        result_type, lambda *indices: _read_flat(flat.result, indices, width)
    )
    for index, original in zip(
        copy.body.block.args, compute.output_indices, strict=True
    ):
        index.name_hint = original.name_hint
    name = compute.result.name_hint
    flat.result.name_hint = None if name is None else f"{name}_flat"
    Rewriter.insert_op([flat, copy], InsertPoint.before(compute))
    compute.result.replace_all_uses_with(copy.result)
    copy.result.name_hint = name
    Rewriter.erase_op(compute)
    return flat, copy


def _read_flat(flat: SSAValue, indices: tuple[SSAValue, ...], width: int) -> ReadOp:
    constant = arith.ConstantOp(IntegerAttr(width, IndexType()))
    scaled = arith.MuliOp(indices[-2], constant.result)
    point = arith.AddiOp(scaled.result, indices[-1])
    return ReadOp(flat, [*indices[:-2], point.result])


def _flattened_block(block: Block, rank: int, width: int) -> Block:
    """A copy of ``block`` (a body or an epilogue) over the flattened indices:
    its row and column arguments become the quotient and the remainder by ``W``
    of the one index that replaces them."""
    old = list(block.args)
    kept = [*old[: rank - 2], old[rank - 1], *old[rank:]]
    new = Block(arg_types=[arg.type for arg in kept])
    for before, after in zip(kept, new.args, strict=True):
        after.name_hint = before.name_hint
    point = new.args[rank - 2]
    point.name_hint = "p"
    constant = arith.ConstantOp(IntegerAttr(width, IndexType()))
    row = arith.DivUIOp(point, constant.result)
    column = arith.RemUIOp(point, constant.result)
    row.result.name_hint = old[rank - 2].name_hint
    column.result.name_hint = old[rank - 1].name_hint
    new.add_ops([constant, row, column])
    mapping: dict[SSAValue, SSAValue] = dict(zip(kept, new.args, strict=True))
    mapping[old[rank - 2]] = row.result
    mapping[old[rank - 1]] = column.result
    for op in block.ops:
        new.add_op(op.clone(value_mapper=mapping))
    return new
