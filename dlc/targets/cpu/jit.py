"""Compile LLVM IR for this machine into memory (MCJIT) and hand out addresses.

JIT-compiled code calls into the process for what LLVM does not inline: libm
(``expf``, ``erff``), libc (``aligned_alloc``, ``free``, ``pthread_create``), the
compiler runtime (``__truncdfhf2``, which f16 arithmetic needs) and dlc's own
runtime (``dlc_parallel_for``, :mod:`dlc.targets.cpu.runtime`). The first two are
linked into Python already; the compiler runtime is loaded into the process
locally, so it is made visible to the JIT's symbol lookup once, and dlc's runtime
is compiled once per process, the first time a module calls it.

It also reads the module's large constants from memory that Python owns
(:func:`~dlc.targets.cpu.translate.jit_llvm_ir` leaves them out of the text), and
the :class:`JitModule` keeps those arrays alive. The engine finds an external
global through the process's one symbol table (``llvm.add_symbol``), so each
global is renamed first with a prefix unique to its module: two modules' globals
of the same name are different bytes.
"""

from __future__ import annotations

import ctypes.util
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import llvmlite.binding as llvm

from dlc.diagnostics import DiagnosticError
from dlc.targets.cpu.machine import host_target_machine, optimized_module
from dlc.targets.cpu.runtime import load_into_jit, uses_runtime
from dlc.targets.llvm_text import ExternalGlobals


class JitModule:
    """Native code for one LLVM IR module, alive as long as this object is.

    Call a function through ctypes at :meth:`function_address`::

        jit = JitModule(llvm_ir_text(module))
        f = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(
            jit.function_address("f"))
        f(x.ctypes.data, y.ctypes.data)

    or, with the large constants kept out of the text,
    ``JitModule(*jit_llvm_ir(module))``.
    """

    def __init__(
        self,
        llvm_ir: str,
        external: ExternalGlobals | None = None,
        opt_level: int = 3,
        *,
        objects: Iterable[BuiltPart] = (),
        prefix: str | None = None,
    ):
        """``objects`` are more parts of the same module, built by
        :func:`build_part` with the same ``prefix`` (from
        :func:`external_prefix`): they are loaded next to ``llvm_ir``'s code,
        and ``external`` holds the bytes of their external globals too."""
        _load_compiler_runtime()
        if uses_runtime(llvm_ir):
            load_into_jit()
        target_machine = host_target_machine(opt_level, jit=True)
        module = optimized_module(llvm_ir, target_machine, opt_level)
        self._external = external
        prefix = external_prefix() if prefix is None else prefix
        if external is not None:
            _rename_external_globals(module, external.arrays, prefix)
            for name, array in external.arrays.items():
                llvm.add_symbol(prefix + name, array.ctypes.data)
        self._engine = llvm.create_mcjit_compiler(module, target_machine)
        self.llvm_ir = llvm_ir
        """The text of every part, the first part's first."""
        for part in objects:
            if part.uses_runtime:
                load_into_jit()
            self._engine.add_object_file(llvm.ObjectFileRef.from_data(part.code))
            self.llvm_ir += "\n" + part.llvm_ir
        self._engine.finalize_object()

    def function_address(self, name: str) -> int:
        """The address of function ``@name``; an error if the module has none."""
        address = self._engine.get_function_address(name)
        if not address:
            raise DiagnosticError(f"no function named @{name} in the compiled module")
        return address


@dataclass(frozen=True)
class BuiltPart:
    """One part of a module compiled to an object file (:func:`build_part`)."""

    code: bytes
    llvm_ir: str
    uses_runtime: bool


def build_part(
    llvm_ir: str, external_names: Iterable[str], opt_level: int, prefix: str
) -> BuiltPart:
    """Optimize and compile ``llvm_ir`` into an object file for
    :class:`JitModule`'s ``objects``, its external globals renamed with
    ``prefix`` as the module's first part renames them and binds their bytes."""
    target_machine = host_target_machine(opt_level, jit=True)
    module = optimized_module(llvm_ir, target_machine, opt_level)
    _rename_external_globals(module, external_names, prefix)
    code = target_machine.emit_object(module)
    return BuiltPart(code, llvm_ir, uses_runtime(llvm_ir))


_jit_modules = itertools.count()
"""Numbers this process's JIT modules, for their external globals' symbols."""


def external_prefix() -> str:
    """A prefix for a new JIT module's external globals, unique in the process."""
    return f"__dlc_jit{next(_jit_modules)}."


def _rename_external_globals(
    module: llvm.ModuleRef, names: Iterable[str], prefix: str
) -> None:
    """Give each external global of ``module`` named in ``names`` its symbol,
    ``prefix`` + name. A global the optimizer dropped (unused) needs nothing."""
    for name in names:
        try:
            variable = module.get_global_variable(name)
        except NameError:
            continue
        variable.name = prefix + name


@cache
def _load_compiler_runtime() -> None:
    library = ctypes.util.find_library("gcc_s")
    if library is not None:
        llvm.load_library_permanently(library)
