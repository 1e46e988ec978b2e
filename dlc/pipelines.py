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

from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.lowering.nn_to_tensor import NNToTensorPass
from dlc.lowering.tensor_to_loop import TensorToLoopPass

CPU_PIPELINE: tuple[ModulePass, ...] = (
    CanonicalizePass(),
    NNToTensorPass(),
    TensorToLoopPass(),
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
