"""llvm dialect -> LLVM IR text for the host CPU.

The translation itself, and the fixes dlc needs on top of xDSL's (internal
linkage kept, dense globals stored as bytes, the collector paused), are shared
with the GPU target in :mod:`dlc.targets.llvm_text`; this module adds the host's
triple and data layout.
"""

from __future__ import annotations

from llvmlite import binding
from xdsl.dialects.builtin import ModuleOp

from dlc.targets.cpu.machine import host_data_layout
from dlc.targets.llvm_text import llvmlite_module


def llvm_ir_text(module: ModuleOp) -> str:
    """LLVM IR for ``module`` (llvm dialect) with the host triple and data layout."""
    return str(
        llvmlite_module(module, binding.get_process_triple(), host_data_layout())
    )
