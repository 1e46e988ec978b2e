"""Named pipelines: one pass name that runs a whole lowering.

``dlc-opt --pass-pipeline='builtin.module(dlc-cpu)'`` lowers nn all the way to the
llvm dialect. :data:`CPU_PIPELINE` is the same list, for code that runs the passes
one by one (``dlc.compile`` times each of them).
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.canonicalize import CanonicalizePass

from dlc.lowering.loop_to_gpu import LoopToGpuPass
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.lowering.nn_to_tensor import NNToTensorPass
from dlc.lowering.tensor_to_loop import TensorToLoopPass
from dlc.transforms.loop_hoist import LoopHoistPass
from dlc.transforms.loop_memory_plan import LoopMemoryPlanPass
from dlc.transforms.loop_outline_kernels import LoopOutlineKernelsPass
from dlc.transforms.loop_parallelize import LoopParallelizePass
from dlc.transforms.loop_unroll import LoopUnrollPass
from dlc.transforms.loop_vectorize import LoopVectorizePass
from dlc.transforms.tensor_flatten import TensorFlattenPass
from dlc.transforms.tensor_fuse import TensorFusePass
from dlc.transforms.tensor_schedule import TensorSchedulePass

CPU_PIPELINE: tuple[ModulePass, ...] = (
    CanonicalizePass(),
    NNToTensorPass(),
    TensorFusePass(),
    TensorSchedulePass(),
    TensorFlattenPass(),
    TensorToLoopPass(),
    LoopOutlineKernelsPass(),
    LoopVectorizePass(width="auto"),
    LoopUnrollPass(),
    LoopHoistPass(),
    LoopParallelizePass(),
    LoopMemoryPlanPass(),
    LoopToLLVMPass(),
)
"""nn → (canonicalize) → tensor → loop → llvm."""


@dataclass(frozen=True)
class DlcCpuPipeline(ModulePass):
    """Lower an nn module to the llvm dialect for the host CPU."""

    name = "dlc-cpu"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for pass_ in CPU_PIPELINE:
            pass_.apply(ctx, op)


GPU_KERNEL_PIPELINE: tuple[ModulePass, ...] = (
    CanonicalizePass(),
    NNToTensorPass(),
    TensorFusePass(),
    TensorSchedulePass(target="gpu"),
    TensorToLoopPass(),
    LoopToGpuPass(),
)
"""nn → (canonicalize) → tensor → loop → gpu kernels (level 2: host functions
launching ``gpu.func`` kernels, which the GPU emulator can run)."""


def gpu_pipeline() -> tuple[ModulePass, ...]:
    """:data:`GPU_KERNEL_PIPELINE`, then gpu-to-nvvm (imported only when a GPU
    lowering runs, so the CPU path never loads it)."""
    from dlc.lowering.gpu_to_nvvm import GpuToNVVMPass

    return (*GPU_KERNEL_PIPELINE, GpuToNVVMPass())


@dataclass(frozen=True)
class DlcGpuPipeline(ModulePass):
    """Lower an nn module to NVVM kernels (llvm dialect) and their host code."""

    name = "dlc-gpu"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for pass_ in gpu_pipeline():
            pass_.apply(ctx, op)
