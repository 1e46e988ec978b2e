"""gpu, scf -> llvm for NVPTX: kernels, special registers, barriers, shared memory.

A ``gpu.func`` becomes an ``llvm.func`` over bare pointers, as a CPU function does;
a kernel is marked with the unit attribute ``nvvm.kernel``, from which the PTX
translation (:mod:`dlc.targets.cuda.ptx`) gives it the ``ptx_kernel`` calling
convention (xDSL's llvm dialect has no such convention)::

    gpu.func @k(%a: memref<256xf32, 1>) kernel {
      %t = gpu.thread_id x
      ...
      gpu.barrier
      gpu.return
    }

becomes::

    llvm.func @k(%a: !llvm.ptr<1>) attributes {nvvm.kernel} {
      %0 = llvm.call_intrinsic "llvm.nvvm.read.ptx.sreg.tid.x"() : () -> i32
      %t = llvm.zext %0 : i32 to i64
      ...
      llvm.call_intrinsic "llvm.nvvm.barrier0"() : () -> ()
      llvm.return
    }

(the kernel's memrefs carry NVPTX's address spaces as integers by now, see
:mod:`dlc.lowering.gpu_to_nvvm`). A buffer in shared memory (``memref.alloc`` in
memory space 3) is an uninitialized ``llvm.mlir.global`` in address space 3 of the
``gpu.module``, one per allocation, reached with ``llvm.mlir.addressof``.
``scf.if`` becomes branches, like ``loop.for``; ``loop.check_index`` a ``trap``.
"""

from __future__ import annotations

from math import prod

from xdsl.dialects import gpu, llvm, memref, scf
from xdsl.dialects.builtin import IntAttr, IntegerAttr, MemRefType, UnitAttr, i32, i64
from xdsl.ir import Operation
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import BlockInsertPoint, InsertPoint
from xdsl.traits import SymbolTable

from dlc.dialects import loop
from dlc.lowering.llvm_patterns.conversion import (
    legalize_block_arguments,
    llvm_operand,
    llvm_operands,
    llvm_type,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern
from dlc.lowering.llvm_patterns.loop import branch_unless_in_bounds
from dlc.lowering.llvm_patterns.memref import element_alignment

GLOBAL_SPACE = 1
"""NVPTX's address space of global memory: every kernel buffer argument."""
SHARED_SPACE = 3
"""NVPTX's address space of a block's shared memory."""
SHARED_ALIGNMENT = 16
"""Bytes: the widest vector load (``ld.shared.v4.f32``) a shared tile may take."""
KERNEL_ATTRIBUTE = "nvvm.kernel"
"""The unit attribute of an ``llvm.func`` that is a kernel entry point."""

_SPECIAL_REGISTERS: dict[type[Operation], str] = {
    gpu.ThreadIdOp: "tid",
    gpu.BlockIdOp: "ctaid",
    gpu.BlockDimOp: "ntid",
    gpu.GridDimOp: "nctaid",
}
"""PTX's special register (``%tid.x``, ...) that holds each gpu index op's value."""


def _special_register(register: str, dimension: str) -> list[Operation]:
    """Read ``%register.dimension`` (an ``i32``) and widen it to an index."""
    read = llvm.CallIntrinsicOp(
        f"llvm.nvvm.read.ptx.sreg.{register}.{dimension}", [], [i32]
    )
    return [read, llvm.ZExtOp(read.results[0], i64)]


class GpuFuncToLLVM(LoweringPattern):
    """``gpu.func`` -> ``llvm.func``, a kernel marked with ``nvvm.kernel``.

    A function that is not a kernel (a device function) gets internal linkage.
    """

    roots = (gpu.FuncOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, gpu.FuncOp):
            return
        inputs = [llvm_type(t) for t in op.function_type.inputs]
        outputs = [llvm_type(t) for t in op.function_type.outputs]
        function_type = llvm.LLVMFunctionType(inputs, outputs[0] if outputs else None)
        kernel = op.kernel is not None
        linkage = llvm.LinkageAttr("external" if kernel else "internal")
        body = rewriter.move_region_contents_to_new_regions(op.body)
        new = llvm.FuncOp(op.sym_name.data, function_type, linkage, body=body)
        if kernel:
            new.attributes[KERNEL_ATTRIBUTE] = UnitAttr()
        rewriter.replace(op, new, [])
        legalize_block_arguments(body.blocks[0], rewriter)


class GpuReturnToLLVM(LoweringPattern):
    """``gpu.return`` -> ``llvm.return``."""

    roots = (gpu.ReturnOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, gpu.ReturnOp):
            return
        values = llvm_operands(op.args, rewriter)
        rewriter.replace(op, llvm.ReturnOp(values[0] if values else None), [])


class GpuIndexToNVVM(LoweringPattern):
    """``gpu.thread_id``/``block_id``/``block_dim``/``grid_dim``/``global_id``
    -> reads of PTX's special registers::

        %t = gpu.thread_id x

    becomes::

        %0 = llvm.call_intrinsic "llvm.nvvm.read.ptx.sreg.tid.x"() : () -> i32
        %t = llvm.zext %0 : i32 to i64

    ``gpu.global_id x`` is ``ctaid.x * ntid.x + tid.x``.
    """

    roots = (gpu.GlobalIdOp, *_SPECIAL_REGISTERS)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, gpu.GlobalIdOp):
            dimension = str(op.dimension.data)
            block = _special_register("ctaid", dimension)
            size = _special_register("ntid", dimension)
            thread = _special_register("tid", dimension)
            first = llvm.MulOp(block[-1].results[0], size[-1].results[0])
            index = llvm.AddOp(first.res, thread[-1].results[0])
            replace_op(rewriter, op, [*block, *size, *thread, first, index])
            return
        register = _SPECIAL_REGISTERS.get(type(op))
        if register is None:
            return
        dimension = op.properties["dimension"]
        assert isinstance(dimension, gpu.DimensionAttr)
        replace_op(rewriter, op, _special_register(register, str(dimension.data)))


class BarrierToNVVM(LoweringPattern):
    """``gpu.barrier`` -> ``llvm.nvvm.barrier0`` (PTX ``bar.sync 0``)."""

    roots = (gpu.BarrierOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, gpu.BarrierOp):
            rewriter.replace(op, llvm.CallIntrinsicOp("llvm.nvvm.barrier0", [], []), [])


class SharedAllocToGlobal(LoweringPattern):
    """``memref.alloc`` or ``memref.alloca`` in shared memory (loop-to-gpu places a
    block's workgroup buffers as allocas at the start of the kernel) -> a global
    in address space 3::

        %tile = memref.alloc() : memref<16x16xf32, 3>

    becomes, in the enclosing ``gpu.module``::

        llvm.mlir.global internal @__shared_k_0() {addr_space = 3 : i32,
            alignment = 16 : i64} : !llvm.array<256 x f32>

    and in the kernel::

        %tile = llvm.mlir.addressof @__shared_k_0 : !llvm.ptr<3>
    """

    roots = (memref.AllocOp, memref.AllocaOp)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, memref.AllocOp | memref.AllocaOp):
            return
        memref_type = op.memref.type
        space = memref_type.memory_space
        if not (isinstance(space, IntegerAttr) and space.value.data == SHARED_SPACE):
            return
        module = _enclosing(op, gpu.ModuleOp)
        function = _enclosing(op, gpu.FuncOp, llvm.FuncOp)
        assert isinstance(module, gpu.ModuleOp)
        assert isinstance(function, gpu.FuncOp | llvm.FuncOp)
        name = _fresh_symbol(module, f"__shared_{function.sym_name.data}")
        assert isinstance(memref_type, MemRefType)
        count = prod(memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        element = llvm_type(memref_type.element_type)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        storage = llvm.GlobalOp(
            llvm.LLVMArrayType(count, element),
            name,
            "internal",
            addr_space=SHARED_SPACE,
            alignment=max(SHARED_ALIGNMENT, element_alignment(memref_type)),
        )
        rewriter.insert(storage, InsertPoint.at_start(module.body.block))
        address = llvm.AddressOfOp(name, llvm.LLVMPointerType(IntAttr(SHARED_SPACE)))
        replace_op(rewriter, op, [address])


def _enclosing(op: Operation, *kinds: type[Operation]) -> Operation | None:
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, kinds):
        parent = parent.parent_op()
    return parent


def _fresh_symbol(module: Operation, stem: str) -> str:
    number = 0
    while SymbolTable.lookup_symbol(module, f"{stem}_{number}") is not None:
        number += 1
    return f"{stem}_{number}"


class IfToLLVM(LoweringPattern):
    """``scf.if`` -> a conditional branch to its regions, which rejoin after it::

        %r = scf.if %c -> (f32) { scf.yield %a : f32 } else { scf.yield %b : f32 }

    becomes::

        llvm.cond_br %c, ^then, ^else
      ^then:  llvm.br ^after(%a : f32)
      ^else:  llvm.br ^after(%b : f32)
      ^after(%r: f32):

    A region may already be several blocks (a loop in it was lowered first); each
    ``scf.yield`` of the ``scf.if`` then branches to ``^after``. Like ``loop.for``,
    an ``scf.if`` in a loop body waits until the loop is lowered, so that the body
    stays one block.
    """

    roots = (scf.IfOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, scf.IfOp):
            return
        if isinstance(op.parent_op(), loop.ForOp | loop.ParallelOp):
            return
        condition = llvm_operand(op.cond, rewriter)
        before = op.parent_block()
        assert before is not None
        after = before.split_before(op)
        result_types = [llvm_type(t) for t in op.output.types]
        joined = [after.insert_arg(t, i) for i, t in enumerate(result_types)]
        yields = [
            o
            for region in (op.true_region, op.false_region)
            for block in region.blocks
            if isinstance(o := block.last_op, scf.YieldOp)
        ]
        for yield_ in yields:
            values = llvm_operands(
                yield_.arguments, rewriter, InsertPoint.before(yield_)
            )
            rewriter.replace(yield_, llvm.BrOp(after, *values), [])
        then_entry = op.true_region.blocks[0]
        else_entry = op.false_region.blocks.first or after
        rewriter.inline_region(op.true_region, BlockInsertPoint.before(after))
        rewriter.inline_region(op.false_region, BlockInsertPoint.before(after))
        rewriter.insert(
            llvm.CondBrOp(condition, then_entry, [], else_entry, []),
            InsertPoint.at_end(before),
        )
        replace_op(rewriter, op, [], joined)


class CheckIndexToTrap(LoweringPattern):
    """``loop.check_index`` in a kernel -> a compare, and a branch to ``trap``::

        loop.check_index %j < 8, "memref.load in @k: index 1 of memref<4x8xf32>"

    becomes::

        %n = llvm.mlir.constant(8 : i64) : i64
        %ok = llvm.icmp "ult" %j, %n : i64
        llvm.cond_br %ok, ^rest, ^trap
      ^trap:
        llvm.call_intrinsic "llvm.trap"() : () -> ()
        llvm.unreachable

    PTX's ``trap`` aborts the kernel and the launch fails on the host; a GPU has
    no stderr for the CPU's message. Like the CPU's lowering, it waits until the
    loops around it are blocks.
    """

    roots = (loop.CheckIndexOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, loop.CheckIndexOp):
            return
        if not isinstance(op.parent_op(), gpu.FuncOp | llvm.FuncOp):
            return
        _, trap = branch_unless_in_bounds(op, rewriter)
        rewriter.insert(
            [llvm.CallIntrinsicOp("llvm.trap", [], []), llvm.UnreachableOp()],
            InsertPoint.at_end(trap),
        )
        rewriter.erase(op)


GPU_PATTERNS: list[RewritePattern] = [
    GpuFuncToLLVM(),
    GpuReturnToLLVM(),
    GpuIndexToNVVM(),
    BarrierToNVVM(),
    SharedAllocToGlobal(),
    IfToLLVM(),
    CheckIndexToTrap(),  # before the CPU's, which prints with dprintf
]
