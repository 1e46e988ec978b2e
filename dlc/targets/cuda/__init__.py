"""The NVIDIA GPU target: kernels -> PTX (llvmlite's NVPTX back end), checked
with ``ptxas``, run through the CUDA driver API.

* :func:`~dlc.targets.cuda.ptx.gpu_modules_ptx` writes the PTX of each
  ``gpu.module`` of a module lowered by ``dlc-gpu``;
* :func:`~dlc.targets.cuda.ptxas.assemble` validates PTX with ``ptxas``.

Importing this package loads no CUDA library and needs no GPU.
"""

from dlc.targets.cuda.ptx import (
    DEFAULT_GPU_ARCH,
    emit_ptx,
    gpu_module_llvm_ir,
    gpu_modules_ptx,
    module_ptx,
)
from dlc.targets.cuda.ptxas import PtxasError, assemble, find_ptxas

__all__ = [
    "DEFAULT_GPU_ARCH",
    "PtxasError",
    "assemble",
    "emit_ptx",
    "find_ptxas",
    "gpu_module_llvm_ir",
    "gpu_modules_ptx",
    "module_ptx",
]
