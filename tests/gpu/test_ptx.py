"""Level-2 kernels -> gpu-to-nvvm -> PTX (llvmlite's NVPTX back end) -> ptxas.

The kernels are hand-written (elementwise, a reduction, a shared-memory tile with
a barrier, every math function NVPTX can have), so these tests pin the PTX target
independently of loop-to-gpu. ``ptxas`` assembles each for sm_80 and sm_90; the
tests that need it skip where it is not installed.
"""

from __future__ import annotations

import re

import pytest
from xdsl.dialects import gpu

import dlc
from dlc.context import make_context
from dlc.diagnostics import DiagnosticError
from dlc.lowering.gpu_to_nvvm import GpuToNVVMPass
from dlc.targets.cuda import (
    PtxasError,
    assemble,
    gpu_module_llvm_ir,
    gpu_modules_ptx,
    module_ptx,
)
from dlc.targets.cuda.ptx import ptx_version
from dlc.tools import dlc_translate
from tests.gpu.test_gpu_to_nvvm import kernel_module

ARCHES = ["sm_80", "sm_90"]

ELEMENTWISE = """
      %tid = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %bid = "gpu.block_id"() <{dimension = #gpu<dim x>}> : () -> index
      %bdim = "gpu.block_dim"() <{dimension = #gpu<dim x>}> : () -> index
      %base = arith.muli %bid, %bdim : index
      %i = arith.addi %base, %tid : index
      %n = arith.constant 1000 : index
      %in = arith.cmpi ult, %i, %n : index
      scf.if %in {
        %v = memref.load %x[%i] : memref<1000xf32>
        %zero = arith.constant 0.0 : f32
        %r = arith.maximumf %v, %zero : f32
        %t = math.tanh %r : f32
        memref.store %t, %y[%i] : memref<1000xf32>
      }
"""

REDUCTION = """
      %row = "gpu.block_id"() <{dimension = #gpu<dim x>}> : () -> index
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c100 = arith.constant 100 : index
      %zero = arith.constant 0.0 : f32
      %sum = loop.for %j = %c0 to %c100 step %c1 iter_args(%acc = %zero) -> (f32) {
        %v = memref.load %x[%row, %j] : memref<10x100xf32>
        %e = math.exp %v : f32
        %n = arith.addf %acc, %e : f32
        loop.yield %n : f32
      }
      %l = math.log %sum : f32
      memref.store %l, %y[%row] : memref<10xf32>
"""

SHARED_TILE = """
    %tx = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
    %ty = "gpu.thread_id"() <{dimension = #gpu<dim y>}> : () -> index
    %bx = "gpu.block_id"() <{dimension = #gpu<dim x>}> : () -> index
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %tile = memref.alloc() : memref<16x17xf32, #gpu.address_space<workgroup>>
    %acc = memref.alloc() : memref<4xf32, #gpu.address_space<private>>
    %row0 = arith.muli %bx, %c16 : index
    %row = arith.addi %row0, %ty : index
    %v = memref.load %x[%row, %tx] : memref<64x16xf32>
    memref.store %v, %tile[%tx, %ty] : memref<16x17xf32, #gpu.address_space<workgroup>>
    "gpu.barrier"() : () -> ()
    %zero = arith.constant 0.0 : f32
    memref.store %zero, %acc[%c0] : memref<4xf32, #gpu.address_space<private>>
    loop.for %k = %c0 to %c16 step %c1 {
      %w = memref.load %tile[%ty, %k] : memref<16x17xf32, #gpu.address_space<workgroup>>
      %s = memref.load %acc[%c0] : memref<4xf32, #gpu.address_space<private>>
      %f = math.fma %w, %w, %s : f32
      memref.store %f, %acc[%c0] : memref<4xf32, #gpu.address_space<private>>
    }
    "gpu.barrier"() : () -> ()
    %r = memref.load %acc[%c0] : memref<4xf32, #gpu.address_space<private>>
    memref.store %r, %y[%row, %tx] : memref<64x16xf32>
"""

FLOAT_FUNCTIONS = [
    "absf",
    "ceil",
    "floor",
    "round",
    "roundeven",
    "trunc",
    "sqrt",
    "rsqrt",
    "exp",
    "exp2",
    "expm1",
    "log",
    "log2",
    "log10",
    "log1p",
    "sin",
    "cos",
    "tan",
    "sinh",
    "cosh",
    "tanh",
    "erf",
]
"""Every unary math function the GPU target lowers for f32 and f16."""
F64_FUNCTIONS = [
    "absf",
    "ceil",
    "floor",
    "round",
    "roundeven",
    "trunc",
    "sqrt",
    "rsqrt",
]
"""The f64 functions: those NVPTX has instructions for."""


def math_kernel(element: str, functions: list[str]) -> str:
    lines = [
        '      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index',
        f"      %v0 = memref.load %x[%i] : memref<256x{element}>",
    ]
    for n, function in enumerate(functions):
        lines.append(f"      %v{n + 1} = math.{function} %v{n} : {element}")
    last = f"%v{len(functions)}"
    binary = [
        f"      %p = math.powf {last}, %v0 : {element}" if element != "f64" else "",
        f"      %q = math.fma {last}, {last}, %v0 : {element}",
        f"      %c = math.copysign %q, %v0 : {element}",
        f"      %m = arith.minimumf %c, %v0 : {element}",
        f"      %r = arith.divf %m, %v0 : {element}",
        f"      memref.store %r, %y[%i] : memref<256x{element}>",
    ]
    if element != "f64":
        binary[1] = f"      %q = math.fma %p, {last}, %v0 : {element}"
    body = "\n".join(lines + [b for b in binary if b])
    return kernel_module(body, f"%x: memref<256x{element}>, %y: memref<256x{element}>")


KERNELS = {
    "elementwise": kernel_module(
        ELEMENTWISE, "%x: memref<1000xf32>, %y: memref<1000xf32>"
    ),
    "reduction": kernel_module(REDUCTION, "%x: memref<10x100xf32>, %y: memref<10xf32>"),
    "shared-tile": kernel_module(
        SHARED_TILE, "%x: memref<64x16xf32>, %y: memref<64x16xf32>"
    ),
    "math-f32": math_kernel("f32", FLOAT_FUNCTIONS),
    "math-f16": math_kernel("f16", FLOAT_FUNCTIONS),
    "math-f64": math_kernel("f64", F64_FUNCTIONS),
}


def lowered(name: str):
    module = dlc.parse(KERNELS[name])
    GpuToNVVMPass().apply(make_context(), module)
    return module


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_ptx_has_one_entry_and_calls_nothing(name: str):
    ptx = module_ptx(lowered(name), "sm_90")
    assert ".target sm_90" in ptx
    assert len(re.findall(r"\.visible \.entry k\(", ptx)) == 1
    assert "call" not in ptx and ".extern" not in ptx


@pytest.mark.requires_ptxas
@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_ptxas_accepts_the_kernel(name: str, arch: str, ptxas_path: str):
    for ptx in gpu_modules_ptx(lowered(name), arch).values():
        assemble(ptx, arch, ptxas_path)


def test_shared_tile_uses_global_shared_and_local_spaces_and_a_barrier():
    ptx = module_ptx(lowered("shared-tile"), "sm_90")
    assert re.search(r"\.shared \.align 16 \.b8 __shared_k_0\[1088\]", ptx)
    for instruction in ("ld.global", "st.global", "st.shared", "ld.shared"):
        assert instruction in ptx
    assert len(re.findall(r"bar\.sync\s+0;", ptx)) == 2
    assert ".local" not in ptx  # the private array lives in registers


def test_llvm_ir_addresses_each_space_directly():
    """xDSL's GEP translation bitcasts the base to an address space 0 pointer;
    the repair keeps the base's address space and leaves no such bitcast."""
    (kernels,) = [
        op for op in lowered("shared-tile").ops if isinstance(op, gpu.ModuleOp)
    ]
    ir = gpu_module_llvm_ir(kernels)
    assert 'define ptx_kernel void @"k"(ptr addrspace(1)' in ir
    assert "getelementptr inbounds float, ptr addrspace(1)" in ir
    assert re.search(
        r'getelementptr inbounds float, .*addrspace\(3\).* @"__shared_k_0"', ir
    )
    assert "bitcast" not in ir
    assert "internal addrspace(3) global [272 x float] undef, align 16" in ir


@pytest.mark.parametrize(
    "arch,version", [("sm_75", 63), ("sm_80", 70), ("sm_90", 78), ("sm_90a", 80)]
)
def test_ptx_version_is_the_first_that_knows_the_architecture(arch: str, version: int):
    assert ptx_version(arch) == version
    major, minor = divmod(version, 10)
    assert f".version {major}.{minor}\n" in module_ptx(lowered("reduction"), arch)


@pytest.mark.parametrize("arch", ["sm_60", "compute_80", "90"])
def test_unknown_architecture_is_rejected(arch: str):
    with pytest.raises(ValueError, match=f"unknown GPU architecture '{arch}'"):
        ptx_version(arch)


def test_a_module_without_kernels_has_no_ptx():
    with pytest.raises(DiagnosticError, match="expected one gpu.module .* found 0"):
        module_ptx(dlc.parse("func.func @f() {\n  func.return\n}"))


@pytest.mark.requires_ptxas
def test_ptxas_errors_quote_the_offending_line(ptxas_path: str):
    ptx = module_ptx(lowered("elementwise"), "sm_90")
    broken = ptx.replace("ret;", "ret.bogus;", 1)
    with pytest.raises(PtxasError) as caught:
        assemble(broken, "sm_90", ptxas_path)
    message = str(caught.value)
    assert message.startswith("ptxas -arch=sm_90 rejected the PTX:")
    assert "ret.bogus;" in message


def test_missing_ptxas_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="ptxas"):
        assemble("", "sm_90", str(tmp_path / "no-ptxas"))


def test_dlc_translate_writes_ptx_for_level_2_input(tmp_path):
    source = tmp_path / "kernels.mlir"
    source.write_text(KERNELS["shared-tile"])
    output = tmp_path / "kernels.ptx"
    dlc_translate.main(
        [str(source), "--target=ptx", "--gpu-arch=sm_90", "-o", str(output)]
    )
    ptx = output.read_text()
    assert ".target sm_90" in ptx and ".visible .entry k(" in ptx


@pytest.mark.requires_ptxas
def test_dlc_translate_lowers_an_nn_model_with_dlc_gpu(tmp_path, ptxas_path: str):
    source = tmp_path / "model.mlir"
    source.write_text(
        """
func.func @main(%x: tensor<4x8xf32>, %w: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %y = nn.matmul %x, %w : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  %z = nn.relu %y : tensor<4x3xf32>
  func.return %z : tensor<4x3xf32>
}
"""
    )
    output = tmp_path / "model.ptx"
    dlc_translate.main([str(source), "--target=ptx", "-o", str(output)])
    ptx = output.read_text()
    assert ".target sm_80" in ptx and ".entry" in ptx
    assemble(ptx, "sm_80", ptxas_path)


def test_dlc_translate_reports_a_bad_architecture(tmp_path, capsys):
    source = tmp_path / "kernels.mlir"
    source.write_text(KERNELS["elementwise"])
    with pytest.raises(SystemExit) as caught:
        dlc_translate.main([str(source), "--target=ptx", "--gpu-arch=sm_61"])
    assert caught.value.code == 1
    assert "error: unknown GPU architecture 'sm_61'" in capsys.readouterr().err


def test_a_bounds_check_is_a_ptx_trap():
    checked = KERNELS["reduction"].replace(
        "      %c0 = arith.constant 0 : index",
        '      loop.check_index %row < 10, "index 0 of memref<10xf32>"\n'
        "      %c0 = arith.constant 0 : index",
    )
    module = dlc.parse(checked)
    GpuToNVVMPass().apply(make_context(), module)
    ptx = module_ptx(module, "sm_90")
    assert "trap;" in ptx and "call" not in ptx
