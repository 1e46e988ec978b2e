"""Every pass dlc-opt knows, by its command-line name.

xDSL's generic passes (canonicalize, cse, dce, licm) are reused as they are. dlc's
own passes add themselves here, one line each, as ``"name": lambda: PassClass``; the
import stays inside the lambda so that ``dlc-opt`` loads a pass only when it runs.
"""

from collections.abc import Callable

from xdsl.passes import ModulePass
from xdsl.transforms import get_all_passes

_REUSED_XDSL_PASSES = ("canonicalize", "cse", "dce", "licm")


def all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    xdsl_passes = get_all_passes()
    passes = {name: xdsl_passes[name] for name in _REUSED_XDSL_PASSES}
    passes.update(DLC_PASSES)
    return passes


def _nn_to_tensor() -> type[ModulePass]:
    from dlc.lowering.nn_to_tensor import NNToTensorPass

    return NNToTensorPass


def _tensor_fuse() -> type[ModulePass]:
    from dlc.transforms.tensor_fuse import TensorFusePass

    return TensorFusePass


def _tensor_flatten() -> type[ModulePass]:
    from dlc.transforms.tensor_flatten import TensorFlattenPass

    return TensorFlattenPass


def _tensor_schedule() -> type[ModulePass]:
    from dlc.transforms.tensor_schedule import TensorSchedulePass

    return TensorSchedulePass


def _tensor_to_loop() -> type[ModulePass]:
    from dlc.lowering.tensor_to_loop import TensorToLoopPass

    return TensorToLoopPass


def _loop_to_llvm() -> type[ModulePass]:
    from dlc.lowering.loop_to_llvm import LoopToLLVMPass

    return LoopToLLVMPass


def _gpu_to_nvvm() -> type[ModulePass]:
    from dlc.lowering.gpu_to_nvvm import GpuToNVVMPass

    return GpuToNVVMPass


def _loop_bounds_check() -> type[ModulePass]:
    from dlc.transforms.loop_bounds_check import LoopBoundsCheckPass

    return LoopBoundsCheckPass


def _loop_tile() -> type[ModulePass]:
    from dlc.transforms.loop_tile import LoopTilePass

    return LoopTilePass


def _loop_interchange() -> type[ModulePass]:
    from dlc.transforms.loop_interchange import LoopInterchangePass

    return LoopInterchangePass


def _loop_unroll() -> type[ModulePass]:
    from dlc.transforms.loop_unroll import LoopUnrollPass

    return LoopUnrollPass


def _loop_vectorize() -> type[ModulePass]:
    from dlc.transforms.loop_vectorize import LoopVectorizePass

    return LoopVectorizePass


def _loop_hoist() -> type[ModulePass]:
    from dlc.transforms.loop_hoist import LoopHoistPass

    return LoopHoistPass


def _loop_parallelize() -> type[ModulePass]:
    from dlc.transforms.loop_parallelize import LoopParallelizePass

    return LoopParallelizePass


def _loop_memory_plan() -> type[ModulePass]:
    from dlc.transforms.loop_memory_plan import LoopMemoryPlanPass

    return LoopMemoryPlanPass


def _loop_outline_kernels() -> type[ModulePass]:
    from dlc.transforms.loop_outline_kernels import LoopOutlineKernelsPass

    return LoopOutlineKernelsPass


def _loop_to_gpu() -> type[ModulePass]:
    from dlc.lowering.loop_to_gpu import LoopToGpuPass

    return LoopToGpuPass


def _dlc_cpu() -> type[ModulePass]:
    from dlc.pipelines import DlcCpuPipeline

    return DlcCpuPipeline


def _dlc_gpu() -> type[ModulePass]:
    from dlc.pipelines import DlcGpuPipeline

    return DlcGpuPipeline


DLC_PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "nn-to-tensor": _nn_to_tensor,
    "tensor-fuse": _tensor_fuse,
    "tensor-flatten": _tensor_flatten,
    "tensor-schedule": _tensor_schedule,
    "tensor-to-loop": _tensor_to_loop,
    "loop-to-llvm": _loop_to_llvm,
    "gpu-to-nvvm": _gpu_to_nvvm,
    "loop-bounds-check": _loop_bounds_check,
    "loop-tile": _loop_tile,
    "loop-interchange": _loop_interchange,
    "loop-unroll": _loop_unroll,
    "loop-vectorize": _loop_vectorize,
    "loop-hoist": _loop_hoist,
    "loop-parallelize": _loop_parallelize,
    "loop-memory-plan": _loop_memory_plan,
    "loop-outline-kernels": _loop_outline_kernels,
    "loop-to-gpu": _loop_to_gpu,
    "dlc-cpu": _dlc_cpu,
    "dlc-gpu": _dlc_gpu,
}
