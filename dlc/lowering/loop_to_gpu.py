"""loop-to-gpu: outline the loop nests of each function into GPU kernels.

The functions of a loop-level module become host functions that only allocate
buffers and launch kernels; the kernels go into one ``gpu.module @dlc_kernels``
(MLIR's ``convert-parallel-loops-to-gpu`` + ``gpu-kernel-outlining``). Each top
level op of a function becomes, in order:

* a ``loop.parallel`` mapped to ``gpu.block.*``: a kernel with one block per
  iteration (grid = the trip counts) whose body :mod:`.gpu_spmd` puts in SPMD
  form (block size = the extents of its ``gpu.thread`` loops);
* an unmapped ``loop.parallel`` nest with constant bounds: a kernel over its
  iterations, linearized: ``id = block_id.x * B + thread_id.x`` for
  ``B = min(block-size, n)`` and ``ceil(n / B)`` blocks, guarded by ``id < n``
  (a one-trip ``loop.for``) and delinearized into the ivs, last dim fastest;
* any other run of sequential ops (a top-level ``loop.for``, a store into a
  rank-0 buffer): one kernel of one thread (or, when it holds ``gpu.thread``
  loops, of one block). A ``memref.dealloc`` ends such a run;
* ``memref.alloc`` / ``dealloc`` / ``get_global``, index constants and
  ``func.return`` stay on the host.

Kernels run in launch order, like on one CUDA stream. A kernel takes as
arguments the memrefs it uses that are defined outside it (function arguments,
host allocations, globals); constants and other pure values it uses are cloned
into it. Kernel ``k`` of ``@f`` is ``@f_kernel_k``, a ``gpu.func ... kernel``
with ``gpu.known_block_size`` and ``gpu.known_grid_size``::

    func.func @relu(%x: memref<300xf32>, %y: memref<300xf32>) {
      loop.parallel (%i) = (%c0) to (%c300) step (%c1) {
        ... %y[%i] = max(%x[%i], 0) ...
      }
      func.return
    }

becomes, with ``block-size=256``::

    builtin.module attributes {gpu.container_module} {
      gpu.module @dlc_kernels {
        gpu.func @relu_kernel_0(%x: memref<300xf32>, %y: memref<300xf32>) kernel
            attributes {gpu.known_block_size = array<i32: 256, 1, 1>,
                        gpu.known_grid_size = array<i32: 2, 1, 1>} {
          %id = bid_x * 256 + tid_x
          loop.for %i = %id to %c300 step %c512 { ... }
          gpu.return
        }
      }
      func.func @relu(%x: memref<300xf32>, %y: memref<300xf32>) {
        gpu.launch_func @dlc_kernels::@relu_kernel_0 blocks in (%c2, %c1, %c1)
            threads in (%c256, %c1, %c1) args(%x : ..., %y : ...)
        func.return
      }
    }
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from math import prod

from xdsl.context import Context
from xdsl.dialects import arith, func, gpu, memref
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IndexType,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    SymbolRefAttr,
    UnitAttr,
    i32,
)
from xdsl.ir import Block, BlockArgument, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import is_side_effect_free

from dlc.dialects import loop
from dlc.lowering.gpu_kernel_builder import (
    KernelBuilder,
    affine_index,
    guard_loop,
    inline_loop_body,
)
from dlc.lowering.gpu_spmd import BlockSpmd, error

KERNEL_MODULE = "dlc_kernels"
HOST_OPS = (memref.AllocOp, memref.DeallocOp, memref.GetGlobalOp, func.ReturnOp)


class KernelKind(Enum):
    BLOCKS = "blocks"
    LINEAR = "linear"
    SEQUENTIAL = "sequential"


@dataclass
class Payload:
    """Top-level ops of a function that become one kernel."""

    kind: KernelKind
    ops: list[Operation] = field(default_factory=list[Operation])


@dataclass(frozen=True)
class LoopToGpuPass(ModulePass):
    """Turn loop nests (mapped to GPU blocks/threads, or unmapped) into kernels."""

    name = "loop-to-gpu"

    block_size: int = 256
    """Threads per block for the unmapped nests loop-to-gpu maps itself."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.block_size < 1:
            raise error(op, f"block-size must be positive, got {self.block_size}")
        functions = [f for f in op.ops if isinstance(f, func.FuncOp) and f.body.blocks]
        kernels: list[gpu.FuncOp] = []
        for function in functions:
            kernels.extend(_outline_function(function, self.block_size))
        if not kernels:
            return
        kernel_module = gpu.ModuleOp(
            StringAttr(KERNEL_MODULE),  # pyright: ignore[reportArgumentType]
            Region(Block(kernels)),
        )
        first = op.body.block.first_op
        assert first is not None
        op.body.block.insert_op_before(kernel_module, first)
        op.attributes["gpu.container_module"] = UnitAttr()


def _outline_function(function: func.FuncOp, block_size: int) -> list[gpu.FuncOp]:
    body = function.body.block
    payloads = _payloads(body)
    kernels: list[gpu.FuncOp] = []
    for payload in payloads:
        name = f"{function.sym_name.data}_kernel_{len(kernels)}"
        kernel, arguments = _outline(payload, name)
        grid, block = _lower_kernel(kernel, payload.kind, block_size)
        _set_sizes(kernel, grid, block)
        kernels.append(kernel)
        _launch(body, payload.ops[-1], name, grid, block, arguments)
        for op in reversed(payload.ops):
            op.detach()
            op.erase()
    _erase_dead_pure_ops(body)
    return kernels


def _payloads(body: Block) -> list[Payload]:
    payloads: list[Payload] = []
    sequential: Payload | None = None
    computed_in_kernels: set[SSAValue] = set()
    for op in body.ops:
        # A pure op stays on the host (cloned into the kernels that use it) unless
        # it computes on a value of serial kernel code, as math.exp on a loaded
        # scalar does: then it is part of that code.
        on_device = any(v in computed_in_kernels for v in op.operands)
        if (isinstance(op, HOST_OPS) or _is_pure(op)) and not on_device:
            if isinstance(op, memref.DeallocOp | func.ReturnOp):
                sequential = None
            continue
        computed_in_kernels.update(op.results)
        kind = _parallel_kind(op)
        if kind is not None:
            payloads.append(Payload(kind, [op]))
            sequential = None
            continue
        if sequential is None:
            sequential = Payload(KernelKind.SEQUENTIAL)
            payloads.append(sequential)
        sequential.ops.append(op)
    return payloads


def _parallel_kind(op: Operation) -> KernelKind | None:
    if not isinstance(op, loop.ParallelOp):
        return None
    names = op.mapping_names()
    if loop.CPU_THREAD in names:
        raise error(op, "a loop.parallel mapped to cpu.thread cannot run on a GPU")
    if any(n in loop.GPU_BLOCKS for n in names):
        return KernelKind.BLOCKS
    if all(n == loop.NO_MAPPING for n in names) and _constant_trips(op) is not None:
        return KernelKind.LINEAR
    return None


def _is_pure(op: Operation) -> bool:
    return not op.regions and is_side_effect_free(op)


def _constant_trips(op: loop.ParallelOp) -> list[int] | None:
    trips = [
        loop.constant_trip_count(lb, ub, step)
        for lb, ub, step in zip(op.lower_bounds, op.upper_bounds, op.steps, strict=True)
    ]
    if any(t is None for t in trips):
        return None
    return [t for t in trips if t is not None]


# Outlining -------------------------------------------------------------------


def _outline(payload: Payload, name: str) -> tuple[gpu.FuncOp, list[SSAValue]]:
    """A ``gpu.func`` holding a copy of the payload; the values it takes."""
    inside = {o for op in payload.ops for o in op.walk()}
    for op in inside:
        for result in op.results:
            for use in result.uses:
                if use.operation not in inside:
                    raise error(
                        use.operation,
                        f"{use.operation.name} uses a value computed in a GPU "
                        f"kernel ({op.name}); values cannot leave a kernel, only "
                        "memory can",
                    )
    arguments: list[SSAValue] = []
    recomputed: list[Operation] = []
    for value, user in _captured(payload.ops, inside):
        _capture(value, user, arguments, recomputed)
    kernel = gpu.FuncOp(name, ([a.type for a in arguments], []), kernel=True)
    entry = kernel.body.block
    mapping: dict[SSAValue, SSAValue] = {}
    for value, arg in zip(arguments, entry.args, strict=True):
        arg.name_hint = value.name_hint
        mapping[value] = arg
    body = function_body_order(payload.ops[0])
    for op in sorted(recomputed, key=body.index):
        entry.add_op(op.clone(mapping))
    for op in payload.ops:
        entry.add_op(op.clone(mapping))
    entry.add_op(gpu.ReturnOp([]))
    return kernel, arguments


def function_body_order(op: Operation) -> list[Operation]:
    block = op.parent_block()
    assert block is not None
    return list(block.ops)


def _captured(
    ops: list[Operation], inside: set[Operation]
) -> list[tuple[SSAValue, Operation]]:
    """Values used in ``ops`` but defined outside, in order of first use."""
    seen: dict[SSAValue, Operation] = {}
    for op in ops:
        for inner in op.walk():
            for operand in inner.operands:
                owner = operand.owner
                defining = owner.parent_op() if isinstance(owner, Block) else owner
                if defining not in inside and operand not in seen:
                    seen[operand] = inner
    return list(seen.items())


def _capture(
    value: SSAValue,
    user: Operation,
    arguments: list[SSAValue],
    recomputed: list[Operation],
) -> None:
    if value in arguments:
        return
    owner = value.owner
    if isinstance(owner, BlockArgument | Block):
        arguments.append(value)
        return
    if isinstance(owner, memref.AllocOp | memref.GetGlobalOp):
        arguments.append(value)
        return
    if _is_pure(owner):
        if owner not in recomputed:
            for operand in owner.operands:
                _capture(operand, owner, arguments, recomputed)
            recomputed.append(owner)
        return
    raise error(
        user,
        f"{user.name} uses a value computed by {owner.name} outside its GPU kernel; "
        "a kernel takes only memrefs and recomputes pure values",
    )


# Mapping ---------------------------------------------------------------------


def _lower_kernel(
    kernel: gpu.FuncOp, kind: KernelKind, block_size: int
) -> tuple[list[int], list[int]]:
    """Map the copied payload onto blocks and threads; the grid and block size."""
    builder = KernelBuilder(kernel.body.block)
    grid = [1, 1, 1]
    payload = [o for o in kernel.body.block.ops if isinstance(o, loop.ParallelOp)]
    threads: int | None = None
    if kind == KernelKind.LINEAR:
        threads = _linearize(builder, payload[-1], block_size, grid)
    elif kind == KernelKind.BLOCKS:
        _distribute_blocks(builder, payload[-1], grid)
    spmd = BlockSpmd(builder)
    if threads is not None and spmd.nests:
        raise error(
            spmd.nests[0].root,
            "a gpu.thread loop must be inside a gpu.block loop or in sequential "
            "code, not inside an unmapped loop.parallel",
        )
    spmd.run()
    return grid, spmd.block_dims if threads is None else [threads, 1, 1]


def _distribute_blocks(
    builder: KernelBuilder, nest: loop.ParallelOp, grid: list[int]
) -> None:
    """One block per iteration: ``iv = lb + block_id * step``."""
    trips = _constant_trips(nest)
    if trips is None:
        raise error(nest, "a gpu.block loop needs constant bounds and step")
    at = InsertPoint.before(nest)
    ivs: list[SSAValue] = []
    for name, lb, step, count in zip(
        nest.mapping_names(), nest.lower_bounds, nest.steps, trips, strict=True
    ):
        if name not in loop.GPU_BLOCKS:
            raise error(
                nest,
                "a loop.parallel mapped to GPU blocks must map every dim to "
                f"gpu.block.x|y|z, got [{', '.join(nest.mapping_names())}]",
            )
        axis = loop.GPU_BLOCKS.index(name)
        grid[axis] = count
        lower, stride = loop.constant_index(lb), loop.constant_index(step)
        assert lower is not None and stride is not None
        ivs.append(affine_index(builder, at, lower, stride, builder.block_id(axis)))
    _replace_loop(nest, at, ivs)


def _linearize(
    builder: KernelBuilder, root: loop.ParallelOp, block_size: int, grid: list[int]
) -> int:
    """Map the unmapped nest at ``root`` onto a 1-D grid; the block size."""
    nest = [root]
    while True:
        ops = [o for o in nest[-1].body.block.ops if not isinstance(o, loop.YieldOp)]
        inner = ops[0] if len(ops) == 1 else None
        if not (
            isinstance(inner, loop.ParallelOp)
            and all(n == loop.NO_MAPPING for n in inner.mapping_names())
            and _constant_trips(inner) is not None
            and all(_defined_outside(v, root) for v in inner.operands)
        ):
            break
        nest.append(inner)
    dims = [
        (lb, count, step)
        for op in nest
        for lb, step, count in zip(
            op.lower_bounds, op.steps, _constant_trips(op) or [], strict=True
        )
    ]
    total = prod(count for _, count, _ in dims)
    threads = max(1, min(block_size, total))
    grid[0] = max(1, -(-total // threads))
    at = InsertPoint.before(root)
    gid = builder.thread_id(0)
    if grid[0] > 1:
        scaled = affine_index(builder, at, 0, threads, builder.block_id(0))
        add = arith.AddiOp(scaled, gid)
        Rewriter.insert_op(add, at)
        gid = add.result
    if total != grid[0] * threads:
        guard, at = guard_loop(builder, at, gid, total, grid[0] * threads)
        gid = guard.induction_var
    gid.name_hint = "id"
    ivs = _delinearize(builder, at, gid, dims)
    old_ivs = [iv for op in nest for iv in op.induction_vars]
    for old, new in zip(old_ivs, ivs, strict=True):
        old.replace_all_uses_with(new)
    inline_loop_body(nest[-1], at, ())
    root.detach()
    root.erase()
    return threads


def _defined_outside(value: SSAValue, root: Operation) -> bool:
    owner = value.owner
    defining = owner.parent_op() if isinstance(owner, Block) else owner
    return defining is None or not (defining is root or root.is_ancestor(defining))


def _delinearize(
    builder: KernelBuilder,
    at: InsertPoint,
    linear: SSAValue,
    dims: list[tuple[SSAValue, int, SSAValue]],
) -> list[SSAValue]:
    """The ivs at linear position ``linear`` of a row-major iteration space."""
    ivs: list[SSAValue] = []
    rest = linear
    for position in reversed(range(len(dims))):
        lb, count, step = dims[position]
        t = rest
        if position > 0:
            remainder = arith.RemUIOp(rest, builder.constant(count))
            quotient = arith.DivUIOp(rest, builder.constant(count))
            Rewriter.insert_op([remainder, quotient], at)
            t, rest = remainder.result, quotient.result
        lower, stride = loop.constant_index(lb), loop.constant_index(step)
        assert lower is not None and stride is not None
        ivs.append(affine_index(builder, at, lower, stride, t))
    return ivs[::-1]


def _replace_loop(nest: loop.ParallelOp, at: InsertPoint, ivs: list[SSAValue]) -> None:
    inline_loop_body(nest, at, ivs)
    nest.detach()
    nest.erase()


# Host ------------------------------------------------------------------------


def _set_sizes(kernel: gpu.FuncOp, grid: list[int], block: list[int]) -> None:
    kernel.attributes["gpu.known_block_size"] = DenseArrayBase.from_list(i32, block)
    kernel.attributes["gpu.known_grid_size"] = DenseArrayBase.from_list(i32, grid)


def _launch(
    body: Block,
    last: Operation,
    name: str,
    grid: list[int],
    block: list[int],
    arguments: list[SSAValue],
) -> None:
    sizes = [_host_constant(body, n) for n in (*grid, *block)]
    launch = gpu.LaunchFuncOp(
        SymbolRefAttr(KERNEL_MODULE, [name]),
        sizes[:3],
        sizes[3:],
        kernelOperands=arguments,
    )
    body.insert_op_after(launch, last)


def _host_constant(body: Block, value: int) -> SSAValue:
    for op in body.ops:
        if (
            isinstance(op, arith.ConstantOp)
            and isinstance(op.result.type, IndexType)
            and isinstance(op.value, IntegerAttr)
            and op.value.value.data == value
        ):
            return op.result
        if not isinstance(op, arith.ConstantOp):
            break
    constant = arith.ConstantOp(IntegerAttr(value, IndexType()))
    constant.result.name_hint = f"c{value}"
    first = body.first_op
    if first is None:
        body.add_op(constant)
    else:
        body.insert_op_before(constant, first)
    return constant.result


def _erase_dead_pure_ops(body: Block) -> None:
    for op in reversed(list(body.ops)):
        if (_is_pure(op) or isinstance(op, memref.GetGlobalOp)) and not any(
            r.uses for r in op.results
        ):
            op.detach()
            op.erase()
