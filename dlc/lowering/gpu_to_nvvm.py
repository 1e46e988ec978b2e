"""gpu-to-nvvm: lower the kernels of each ``gpu.module`` to xDSL's llvm dialect.

The host functions (``gpu.launch_func``, ``memref.alloc``, ...) stay as they are;
only the contents of the ``gpu.module`` ops change, into what the PTX translation
(:mod:`dlc.targets.cuda.ptx`) takes. The kernel bodies reuse the CPU's pattern sets
(:mod:`dlc.lowering.llvm_patterns`), with three differences:

* buffers live in NVPTX's address spaces: a kernel's memref arguments in global
  memory (``!llvm.ptr<1>``), ``#gpu.address_space<workgroup>`` buffers in shared
  memory (address space 3 globals), ``#gpu.address_space<private>`` buffers on the
  thread's stack (``llvm.alloca``, which LLVM keeps in registers when every index
  is a constant);
* the gpu ops become NVVM intrinsics (:mod:`dlc.lowering.llvm_patterns.gpu`);
* NVPTX has no libm, so math functions are intrinsics NVPTX lowers to
  instructions, or polynomials (:mod:`dlc.lowering.llvm_patterns.nvvm_math`).

Before the patterns run, each kernel's memref types are rewritten to name those
address spaces as integers, so that the shared type conversion
(:func:`~dlc.lowering.llvm_patterns.conversion.llvm_type`) gives every pointer its
address space.
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import gpu, memref
from xdsl.dialects.builtin import (
    FunctionType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    NoneAttr,
    i64,
)
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriteWalker
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects.loop.memory_space import AddressSpace, address_space
from dlc.lowering.llvm_patterns import (
    ARITH_PATTERNS,
    CONTROL_FLOW_PATTERNS,
    FUNC_PATTERNS,
    LOOP_PATTERNS,
    MATH_PATTERNS,
    MEMREF_PATTERNS,
    check_llvm_only,
    reconcile_casts,
)
from dlc.lowering.llvm_patterns.dispatch import DispatchingApplier
from dlc.lowering.llvm_patterns.gpu import GLOBAL_SPACE, GPU_PATTERNS, SHARED_SPACE
from dlc.lowering.llvm_patterns.nvvm_math import NVVM_MATH_PATTERNS
from dlc.lowering.llvm_patterns.vector_math import VECTOR_MATH_PATTERNS

GPU_TO_NVVM_PATTERNS = [
    *GPU_PATTERNS,
    *FUNC_PATTERNS,
    *LOOP_PATTERNS,
    *MEMREF_PATTERNS,
    *ARITH_PATTERNS,
    *VECTOR_MATH_PATTERNS,
    *NVVM_MATH_PATTERNS,  # before MATH_PATTERNS, which would call libm
    *MATH_PATTERNS,
    *CONTROL_FLOW_PATTERNS,
]

HOST_GPU_OPS = ("gpu.module", "gpu.launch_func")
"""The gpu ops a host function or the top-level module may hold."""


@dataclass(frozen=True)
class GpuToNVVMPass(ModulePass):
    """Lower every ``gpu.module`` to llvm-dialect kernels for NVPTX::

        gpu.module @dlc_kernels {
          gpu.func @k(%x: memref<256xf32>, %y: memref<256xf32>) kernel {
            %t = gpu.thread_id x
            %v = memref.load %x[%t] : memref<256xf32>
            memref.store %v, %y[%t] : memref<256xf32>
            gpu.return
          }
        }

    becomes::

        gpu.module @dlc_kernels {
          llvm.func @k(%x: !llvm.ptr<1>, %y: !llvm.ptr<1>) attributes {nvvm.kernel} {
            %0 = llvm.call_intrinsic "llvm.nvvm.read.ptx.sreg.tid.x"() : () -> i32
            %t = llvm.zext %0 : i32 to i64
            %1 = llvm.getelementptr inbounds %x[%t] : (!llvm.ptr<1>, i64) -> ...
            %v = llvm.load %1 {alignment = 4 : i64} : !llvm.ptr<1> -> f32
            %2 = llvm.getelementptr inbounds %y[%t] : (!llvm.ptr<1>, i64) -> ...
            llvm.store %v, %2 {alignment = 4 : i64} : f32, !llvm.ptr<1>
            llvm.return
          }
        }
    """

    name = "gpu-to-nvvm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        _check_host_code(op, self.name)
        walker = PatternRewriteWalker(DispatchingApplier(GPU_TO_NVVM_PATTERNS))
        for module in [o for o in op.walk() if isinstance(o, gpu.ModuleOp)]:
            for function in list(module.body.block.ops):
                if isinstance(function, gpu.FuncOp):
                    _assign_address_spaces(function, self.name)
            walker.rewrite_region(module.body)
            reconcile_casts(module)
            check_llvm_only(module, self.name)  # pyright: ignore[reportArgumentType]


def _check_host_code(module: ModuleOp, pass_name: str) -> None:
    """Report a gpu op outside every ``gpu.module``: it has no thread to run on."""
    for op in module.walk():
        if isinstance(op, gpu.ModuleOp):
            continue
        if op.dialect_name() == "gpu" and op.name not in HOST_GPU_OPS:
            if _in_gpu_module(op):
                continue
            raise DiagnosticError(
                f"{pass_name}: '{op.name}' outside a gpu.func kernel; only "
                "gpu.launch_func may appear in host code",
                SourceLocation.of(op.location),
            )


def _in_gpu_module(op: Operation) -> bool:
    parent = op.parent_op()
    while parent is not None:
        if isinstance(parent, gpu.ModuleOp):
            return True
        parent = parent.parent_op()
    return False


def _assign_address_spaces(function: gpu.FuncOp, pass_name: str) -> None:
    """Give the memrefs of ``function`` NVPTX's address spaces, as integers.

    Arguments are global memory (1), workgroup buffers shared memory (3). A
    private buffer becomes a ``memref.alloca`` at the start of the function, so
    that a loop around its allocation does not grow the stack. The deallocation
    of either goes: shared memory lives as long as the block, the stack as long
    as the thread.
    """
    entry = function.body.blocks[0]
    for arg in entry.args:
        if not isinstance(arg.type, MemRefType):
            continue
        if address_space(arg.type) not in (None, AddressSpace.GLOBAL):
            raise DiagnosticError(
                f"{pass_name}: argument #{arg.index} of @{function.sym_name.data} "
                f"has type {arg.type}; a kernel takes buffers in global memory",
                SourceLocation.of(function.location),
            )
        Rewriter.replace_value_with_new_type(arg, _in_space(arg.type, GLOBAL_SPACE))
    function.properties["function_type"] = FunctionType.from_lists(
        entry.arg_types, function.function_type.outputs.data
    )
    for op in list(function.walk()):
        if isinstance(op, memref.DeallocOp) and address_space(op.memref.type):
            Rewriter.erase_op(op)
    for op in list(function.walk()):
        if not isinstance(op, memref.AllocOp | memref.AllocaOp):
            continue
        space = address_space(op.memref.type)
        if space == AddressSpace.WORKGROUP:
            result = op.memref
            Rewriter.replace_value_with_new_type(
                result, _in_space(result.type, SHARED_SPACE)
            )
        elif space == AddressSpace.PRIVATE:
            if op.operands:
                raise DiagnosticError(
                    f"{pass_name}: private buffer {op.memref.type} must have a "
                    "static shape",
                    SourceLocation.of(op.location),
                )
            private = memref.AllocaOp.get(
                op.memref.type.element_type,
                shape=op.memref.type.get_shape(),
            )
            Rewriter.insert_op(private, InsertPoint.at_start(entry))
            Rewriter.replace_op(op, [], [private.memref])
        elif isinstance(op, memref.AllocOp):
            raise DiagnosticError(
                f"{pass_name}: memref.alloc of {op.memref.type} in global memory "
                f"inside kernel @{function.sym_name.data}; the host allocates "
                "device buffers and passes them as arguments",
                SourceLocation.of(op.location),
            )


def _in_space(type_: Attribute, space: int) -> MemRefType:
    assert isinstance(type_, MemRefType)
    return MemRefType(
        type_.element_type,  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        type_.get_shape(),  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        NoneAttr(),
        IntegerAttr(space, i64),
    )
