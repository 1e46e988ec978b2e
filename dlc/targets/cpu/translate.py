"""llvm dialect -> LLVM IR text for the host CPU.

The translation itself, and the fixes dlc needs on top of xDSL's (internal
linkage kept, dense globals stored as bytes, the collector paused), are shared
with the GPU target in :mod:`dlc.targets.llvm_text`; this module adds the host's
triple and data layout.

Ahead of time (:func:`llvm_ir_text`), the IR holds every global's bytes. For the
JIT (:func:`jit_llvm_ir`), large globals stay out of the text, as external
globals whose bytes the JIT binds to them
(:class:`~dlc.targets.llvm_text.ExternalGlobals`).
"""

from __future__ import annotations

from llvmlite import binding
from xdsl.dialects.builtin import ModuleOp

from dlc.targets.cpu.machine import host_data_layout
from dlc.targets.llvm_text import ExternalGlobals, llvmlite_module


def llvm_ir_text(module: ModuleOp) -> str:
    """LLVM IR for ``module`` (llvm dialect) with the host triple and data layout."""
    return str(
        llvmlite_module(module, binding.get_process_triple(), host_data_layout())
    )


def jit_llvm_ir(module: ModuleOp) -> tuple[str, ExternalGlobals]:
    """LLVM IR for ``module`` to compile in this process, without its large globals.

    Hand both to :class:`~dlc.targets.cpu.jit.JitModule`, which binds the
    external globals to their bytes. The text is the same for the same module
    every time.
    """
    external = ExternalGlobals()
    llvm_module = llvmlite_module(
        module, binding.get_process_triple(), host_data_layout(), external
    )
    return str(llvm_module), external
