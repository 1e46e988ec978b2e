"""Ahead-of-time output for the host: assembly, an object file, a shared library.

Each output is self-contained: when the module calls dlc's runtime (a parallel
loop, the out-of-memory report), a private copy of the runtime is linked in
(:func:`dlc.targets.cpu.runtime.link_runtime`).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import llvmlite.binding as llvm

from dlc.diagnostics import DiagnosticError
from dlc.targets.cpu.machine import host_target_machine, optimized_module
from dlc.targets.cpu.runtime import link_runtime, uses_runtime


def _native_module(
    llvm_ir: str, target_machine: llvm.TargetMachine, opt_level: int
) -> llvm.ModuleRef:
    """``llvm_ir`` optimized, with the runtime linked in if it calls it."""
    link = link_runtime if uses_runtime(llvm_ir) else None
    return optimized_module(llvm_ir, target_machine, opt_level, link)


def emit_assembly(llvm_ir: str, opt_level: int = 3) -> str:
    """Host assembly for ``llvm_ir``, optimized at ``opt_level``."""
    target_machine = host_target_machine(opt_level, jit=False)
    module = _native_module(llvm_ir, target_machine, opt_level)
    return target_machine.emit_assembly(module)


def emit_object(llvm_ir: str, path: str | os.PathLike[str], opt_level: int = 3) -> None:
    """Write a relocatable, position-independent object file for ``llvm_ir``."""
    target_machine = host_target_machine(opt_level, jit=False)
    module = _native_module(llvm_ir, target_machine, opt_level)
    Path(path).write_bytes(target_machine.emit_object(module))


def emit_shared_library(
    llvm_ir: str,
    path: str | os.PathLike[str],
    header_text: str | None = None,
    opt_level: int = 3,
) -> None:
    """Link ``llvm_ir`` into a shared library at ``path`` with the C compiler.

    The library links against libm (for the math functions without an LLVM
    intrinsic, such as ``erff``), libc (``aligned_alloc``, ``free``) and
    pthreads (the runtime's thread pool).
    ``header_text``, the C declarations of its entry points, goes next to it with
    the suffix ``.h`` (``libmodel.so`` -> ``libmodel.h``). ``$CC`` picks the
    compiler, ``cc`` by default.
    """
    library = Path(path)
    compiler = os.environ.get("CC", "cc")
    with tempfile.TemporaryDirectory() as scratch:
        object_path = Path(scratch) / "module.o"
        emit_object(llvm_ir, object_path, opt_level)
        command = [
            compiler,
            "-shared",
            "-o",
            str(library),
            str(object_path),
            "-lm",
            "-pthread",
        ]
        try:
            linked = subprocess.run(command, capture_output=True, text=True)
        except FileNotFoundError:
            raise DiagnosticError(
                f"cannot link {library}: no C compiler '{compiler}' (set $CC)"
            ) from None
    if linked.returncode != 0:
        raise DiagnosticError(
            f"linking {library} failed: {' '.join(command)}\n{linked.stderr.strip()}"
        )
    if header_text is not None:
        library.with_suffix(".h").write_text(header_text)
