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


def _tensor_to_loop() -> type[ModulePass]:
    from dlc.lowering.tensor_to_loop import TensorToLoopPass

    return TensorToLoopPass


def _loop_to_llvm() -> type[ModulePass]:
    from dlc.lowering.loop_to_llvm import LoopToLLVMPass

    return LoopToLLVMPass


def _loop_bounds_check() -> type[ModulePass]:
    from dlc.transforms.loop_bounds_check import LoopBoundsCheckPass

    return LoopBoundsCheckPass


def _dlc_cpu() -> type[ModulePass]:
    from dlc.pipelines import DlcCpuPipeline

    return DlcCpuPipeline


DLC_PASSES: dict[str, Callable[[], type[ModulePass]]] = {
    "nn-to-tensor": _nn_to_tensor,
    "tensor-to-loop": _tensor_to_loop,
    "loop-to-llvm": _loop_to_llvm,
    "loop-bounds-check": _loop_bounds_check,
    "dlc-cpu": _dlc_cpu,
}
