"""The host's LLVM target machine and the optimization pipeline.

Every compilation gets a target machine of its own: an MCJIT engine takes
ownership of the one it is given, and sharing one between two engines crashes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import llvmlite.binding as llvm


@cache
def _initialize_native_target() -> None:
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    llvm.initialize_native_asmparser()


def host_target_machine(opt_level: int, *, jit: bool) -> llvm.TargetMachine:
    """A target machine for this CPU (its name and features, e.g. AVX-512).

    For the JIT, LLVM's JIT code model; ahead of time, position-independent code
    with the small code model, ready to link into a shared library.
    """
    _initialize_native_target()
    target = llvm.Target.from_default_triple()
    return target.create_target_machine(
        cpu=llvm.get_host_cpu_name(),
        features=llvm.get_host_cpu_features().flatten(),
        opt=opt_level,
        reloc="default" if jit else "pic",
        codemodel="jitdefault" if jit else "default",
        jit=jit,
    )


@cache
def host_data_layout() -> str:
    """This CPU's data layout string, for LLVM IR meant to be compiled here."""
    return str(host_target_machine(0, jit=False).target_data)


def optimized_module(
    llvm_ir: str,
    target_machine: llvm.TargetMachine,
    opt_level: int,
    link: Callable[[llvm.ModuleRef], None] | None = None,
) -> llvm.ModuleRef:
    """Parse and verify ``llvm_ir``, then run LLVM's O``opt_level`` pipeline.

    ``link``, if given, adds to the module (links another one in) before the
    optimization, so that both are optimized together.
    """
    module = llvm.parse_assembly(llvm_ir)
    module.triple = target_machine.triple
    module.data_layout = str(target_machine.target_data)
    if link is not None:
        link(module)
    module.verify()
    if opt_level > 0:
        options = llvm.create_pipeline_tuning_options(speed_level=opt_level)
        builder = llvm.create_pass_builder(target_machine, options)
        builder.getModulePassManager().run(module, builder)
    return module
