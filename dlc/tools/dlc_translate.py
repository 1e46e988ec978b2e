"""dlc-translate: lower an nn module for the host CPU or a GPU and write it out.

    dlc-translate --target=llvm model.mlir            # LLVM IR to stdout
    dlc-translate --target=asm model.mlir -o model.s  # host assembly
    dlc-translate --target=obj model.mlir -o model.o  # object file
    dlc-translate --target=so model.mlir -o libmodel.so   # + libmodel.h
    dlc-translate --target=ptx --gpu-arch=sm_90 model.mlir -o model.ptx

Every public function becomes ``void f(const T *in..., T *out...)``; ``--target=so``
also writes a C header describing them next to the library. ``--target=ptx``
lowers with the ``dlc-gpu`` pipeline and writes the PTX of the kernels (an input
that already holds a ``gpu.module`` is taken from where it stands: its kernels
are lowered with ``gpu-to-nvvm`` if they are not yet).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from xdsl.context import Context
from xdsl.dialects import gpu
from xdsl.dialects.builtin import ModuleOp

from dlc.diagnostics import DiagnosticError

TARGETS = ("llvm", "asm", "obj", "so", "ptx")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="dlc-translate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("input_file")
    parser.add_argument("--target", choices=TARGETS, default="llvm")
    parser.add_argument("-o", "--output", help="output path (stdout for llvm and asm)")
    parser.add_argument("--opt-level", type=int, default=3, choices=(0, 1, 2, 3))
    parser.add_argument(
        "--gpu-arch",
        default="sm_80",
        help="GPU architecture for --target=ptx (sm_75 and newer; default sm_80)",
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    args = parser.parse_args(argv)
    try:
        translate(args)
    except DiagnosticError as error:
        if args.debug:
            raise
        print(error.format(), file=sys.stderr)
        sys.exit(1)
    except (OSError, ValueError) as error:
        if args.debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)


def translate(args: argparse.Namespace) -> None:
    from dlc.compiler import CompileTimes, run_pipeline
    from dlc.context import make_context
    from dlc.parse import parse_module
    from dlc.pipelines import CPU_PIPELINE
    from dlc.targets import cpu
    from dlc.targets.c_header import c_header

    if args.target in ("obj", "so") and args.output is None:
        raise ValueError(f"--target={args.target} needs -o OUTPUT")
    with open(args.input_file, encoding="utf-8") as f:
        text = f.read()
    ctx = make_context()
    module = parse_module(ctx, text, args.input_file)
    if args.target == "ptx":
        write_text(args.output, gpu_ptx(ctx, module, args.gpu_arch, args.opt_level))
        return
    header = c_header(
        module, Path(args.output or args.input_file).stem, args.input_file
    )
    run_pipeline(ctx, module, CPU_PIPELINE, CompileTimes())
    llvm_ir = cpu.llvm_ir_text(module)
    if args.target == "llvm":
        write_text(args.output, llvm_ir)
    elif args.target == "asm":
        write_text(args.output, cpu.emit_assembly(llvm_ir, opt_level=args.opt_level))
    elif args.target == "obj":
        cpu.emit_object(llvm_ir, args.output, opt_level=args.opt_level)
    else:
        cpu.emit_shared_library(llvm_ir, args.output, header, opt_level=args.opt_level)


def gpu_ptx(ctx: Context, module: ModuleOp, gpu_arch: str, opt_level: int) -> str:
    """The PTX of ``module``'s kernels, lowering it as far as it still needs."""
    from dlc.compiler import CompileTimes, run_pipeline
    from dlc.lowering.gpu_to_nvvm import GpuToNVVMPass
    from dlc.targets.cuda import module_ptx

    kernels = [op for op in module.ops if isinstance(op, gpu.ModuleOp)]
    if not kernels:
        from dlc.pipelines import gpu_pipeline

        run_pipeline(ctx, module, gpu_pipeline(), CompileTimes())
    elif any(isinstance(op, gpu.FuncOp) for k in kernels for op in k.body.block.ops):
        GpuToNVVMPass().apply(ctx, module)
    return module_ptx(module, gpu_arch, opt_level)


def write_text(path: str | None, text: str) -> None:
    if path is None:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text)


if __name__ == "__main__":
    main()
