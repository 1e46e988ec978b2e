"""Kernels in the llvm dialect -> LLVM IR for NVPTX -> PTX, with llvmlite.

Each ``gpu.module`` (after ``gpu-to-nvvm``) is one PTX module: its ``llvm.func``
and ``llvm.mlir.global`` ops are translated like a CPU module
(:func:`dlc.targets.llvm_text.llvmlite_module`), with the ``nvptx64-nvidia-cuda``
triple and NVPTX's data layout; each function marked ``nvvm.kernel`` gets the
``ptx_kernel`` calling convention, which makes it a ``.entry`` in the PTX. LLVM's
O3 pipeline then runs for the GPU (it keeps private arrays in registers and
infers address spaces), and the NVPTX back end writes PTX for ``gpu_arch``.

The PTX ISA version is the lowest that supports the architecture (``sm_80``:
PTX 7.0, ``sm_90``: 7.8), so that the oldest driver able to run the GPU can load
the module.
"""

from __future__ import annotations

import re
from functools import cache

import llvmlite.binding as binding
import llvmlite.ir as ir
from xdsl.dialects import gpu
from xdsl.dialects.builtin import ModuleOp

from dlc.diagnostics import DiagnosticError
from dlc.lowering.llvm_patterns.gpu import KERNEL_ATTRIBUTE
from dlc.targets.llvm_text import llvmlite_module

NVPTX_TRIPLE = "nvptx64-nvidia-cuda"
DEFAULT_GPU_ARCH = "sm_80"
KERNEL_CALLING_CONVENTION = "ptx_kernel"

_MINIMUM_PTX_VERSION: dict[int, int] = {
    70: 60,
    72: 61,
    75: 63,
    80: 70,
    86: 71,
    87: 74,
    89: 78,
    90: 78,
    100: 86,
    101: 86,
    103: 88,
    120: 87,
    121: 88,
}
"""The first PTX ISA version (major * 10 + minor) that knows each ``sm_XX``."""

_ARCH = re.compile(r"sm_(\d+)(a|f)?")


def ptx_version(gpu_arch: str) -> int:
    """The PTX ISA version PTX for ``gpu_arch`` declares, e.g. 78 for sm_90.

    ``sm_90a`` (architecture-specific features) needs PTX 8.0.
    """
    match = _ARCH.fullmatch(gpu_arch)
    number = int(match.group(1)) if match else 0
    if match is None or number not in _MINIMUM_PTX_VERSION:
        known = ", ".join(f"sm_{n}" for n in _MINIMUM_PTX_VERSION)
        raise ValueError(
            f"unknown GPU architecture '{gpu_arch}'; expected one of {known}"
        )
    version = _MINIMUM_PTX_VERSION[number]
    if match.group(2):
        version = max(version, 80)
    return version


@cache
def _initialize_nvptx() -> None:
    binding.initialize_all_targets()
    binding.initialize_all_asmprinters()


def nvptx_target_machine(gpu_arch: str, opt_level: int = 3) -> binding.TargetMachine:
    """LLVM's NVPTX target machine for ``gpu_arch`` (``sm_80``, ``sm_90``, ...)."""
    version = ptx_version(gpu_arch)
    _initialize_nvptx()
    target = binding.Target.from_triple(NVPTX_TRIPLE)
    return target.create_target_machine(
        cpu=gpu_arch, features=f"+ptx{version}", opt=opt_level
    )


@cache
def nvptx_data_layout() -> str:
    """NVPTX's data layout (64-bit pointers; shared memory has 32-bit ones)."""
    return str(nvptx_target_machine(DEFAULT_GPU_ARCH).target_data)


def gpu_module_llvm_ir(gpu_module: gpu.ModuleOp) -> str:
    """LLVM IR for the kernels of ``gpu_module`` (llvm dialect only)."""
    body = ModuleOp([op.clone() for op in gpu_module.body.block.ops])
    llvm_module = llvmlite_module(body, NVPTX_TRIPLE, nvptx_data_layout())
    for op in body.ops:
        if KERNEL_ATTRIBUTE in op.attributes:
            function = llvm_module.get_global(op.sym_name.data)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType, reportUnknownArgumentType]
            assert isinstance(function, ir.Function)
            function.calling_convention = KERNEL_CALLING_CONVENTION
    return str(llvm_module)


def emit_ptx(llvm_ir: str, gpu_arch: str = DEFAULT_GPU_ARCH, opt_level: int = 3) -> str:
    """PTX for NVPTX LLVM IR, optimized at ``opt_level``."""
    target_machine = nvptx_target_machine(gpu_arch, opt_level)
    module = binding.parse_assembly(llvm_ir)
    module.verify()
    if opt_level > 0:
        options = binding.create_pipeline_tuning_options(speed_level=opt_level)
        builder = binding.create_pass_builder(target_machine, options)
        builder.getModulePassManager().run(module, builder)
    return target_machine.emit_assembly(module)


def gpu_modules_ptx(
    module: ModuleOp, gpu_arch: str = DEFAULT_GPU_ARCH, opt_level: int = 3
) -> dict[str, str]:
    """The PTX of each ``gpu.module`` in ``module`` (after gpu-to-nvvm), by name."""
    return {
        op.sym_name.data: emit_ptx(gpu_module_llvm_ir(op), gpu_arch, opt_level)
        for op in module.ops
        if isinstance(op, gpu.ModuleOp)
    }


def module_ptx(
    module: ModuleOp, gpu_arch: str = DEFAULT_GPU_ARCH, opt_level: int = 3
) -> str:
    """The PTX of the one ``gpu.module`` of ``module``: what ``dlc-translate``
    writes for ``--target=ptx``."""
    texts = gpu_modules_ptx(module, gpu_arch, opt_level)
    if len(texts) != 1:
        raise DiagnosticError(
            f"expected one gpu.module to write as PTX, found {len(texts)}"
            + (f" ({', '.join(texts)})" if texts else "")
        )
    return next(iter(texts.values()))
