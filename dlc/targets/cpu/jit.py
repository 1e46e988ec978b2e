"""Compile LLVM IR for this machine into memory (MCJIT) and hand out addresses.

JIT-compiled code calls into the process for what LLVM does not inline: libm
(``expf``, ``erff``), libc (``aligned_alloc``, ``free``, ``pthread_create``), the
compiler runtime (``__truncdfhf2``, which f16 arithmetic needs) and dlc's own
runtime (``dlc_parallel_for``, :mod:`dlc.targets.cpu.runtime`). The first two are
linked into Python already; the compiler runtime is loaded into the process
locally, so it is made visible to the JIT's symbol lookup once, and dlc's runtime
is compiled once per process, the first time a module calls it.
"""

from __future__ import annotations

import ctypes.util
from functools import cache

import llvmlite.binding as llvm

from dlc.diagnostics import DiagnosticError
from dlc.targets.cpu.machine import host_target_machine, optimized_module
from dlc.targets.cpu.runtime import load_into_jit, uses_runtime


class JitModule:
    """Native code for one LLVM IR module, alive as long as this object is.

    Call a function through ctypes at :meth:`function_address`::

        jit = JitModule(llvm_ir_text(module))
        f = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(
            jit.function_address("f"))
        f(x.ctypes.data, y.ctypes.data)
    """

    def __init__(self, llvm_ir: str, opt_level: int = 3):
        _load_compiler_runtime()
        if uses_runtime(llvm_ir):
            load_into_jit()
        target_machine = host_target_machine(opt_level, jit=True)
        module = optimized_module(llvm_ir, target_machine, opt_level)
        self._engine = llvm.create_mcjit_compiler(module, target_machine)
        self._engine.finalize_object()

    def function_address(self, name: str) -> int:
        """The address of function ``@name``; an error if the module has none."""
        address = self._engine.get_function_address(name)
        if not address:
            raise DiagnosticError(f"no function named @{name} in the compiled module")
        return address


@cache
def _load_compiler_runtime() -> None:
    library = ctypes.util.find_library("gcc_s")
    if library is not None:
        llvm.load_library_permanently(library)
