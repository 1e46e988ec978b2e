"""The CPU target: LLVM IR text, the JIT, assembly, object files, shared libraries."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dlc
from dlc.context import make_context
from dlc.diagnostics import DiagnosticError
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.targets.cpu import (
    JitModule,
    emit_assembly,
    emit_object,
    emit_shared_library,
    llvm_ir_text,
)

AXPY = """
"memref.global"() <{sym_name = "offsets", sym_visibility = "private",
    type = memref<4xf32>, initial_value = dense<[0.5, 1.5, -2.0, 8.0]>
    : tensor<4xf32>, constant}> : () -> ()
func.func @axpy(%x: memref<64x4xf32>, %y: memref<64x4xf32>, %out: memref<64x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %a = arith.constant 3.0 : f32
  %g = memref.get_global @offsets : memref<4xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    loop.for %j = %c0 to %c4 step %c1 {
      %u = memref.load %x[%i, %j] : memref<64x4xf32>
      %v = memref.load %y[%i, %j] : memref<64x4xf32>
      %o = memref.load %g[%j] : memref<4xf32>
      %e = math.erf %u : f32
      %s = math.fma %a, %e, %v : f32
      %r = arith.addf %s, %o : f32
      memref.store %r, %out[%i, %j] : memref<64x4xf32>
    }
  }
  func.return
}
"""

HEADER = "void axpy(const float *x, const float *y, float *out);\n"


def axpy_ir() -> str:
    module = dlc.parse(AXPY)
    LoopToLLVMPass().apply(make_context(), module)
    return llvm_ir_text(module)


def axpy_reference(x: Any, y: Any) -> Any:
    from math import erf

    offsets = np.array([0.5, 1.5, -2.0, 8.0])
    return 3.0 * np.vectorize(erf)(x.astype(np.float64)) + y + offsets


def call_axpy(function: Any) -> None:
    rng = np.random.default_rng(0)
    x, y = (rng.standard_normal((64, 4)).astype(np.float32) for _ in range(2))
    out = np.zeros((64, 4), np.float32)
    function.argtypes = [ctypes.c_void_p] * 3
    function.restype = None
    function(x.ctypes.data, y.ctypes.data, out.ctypes.data)
    np.testing.assert_allclose(out, axpy_reference(x, y), rtol=1e-5, atol=1e-5)


def test_llvm_ir_text_is_for_the_host_with_globals_as_aligned_bytes():
    ir = axpy_ir()
    assert 'define void @"axpy"(ptr' in ir
    assert "x86_64" in ir or "aarch64" in ir
    global_line = next(line for line in ir.splitlines() if '@"offsets" =' in line)
    assert "private constant [16 x i8]" in global_line
    assert global_line.endswith("align 64")


@pytest.mark.parametrize("opt_level", [0, 1, 2, 3])
def test_jit_at_every_opt_level(opt_level: int):
    jit = JitModule(axpy_ir(), opt_level=opt_level)
    call_axpy(ctypes.CFUNCTYPE(None)(jit.function_address("axpy")))


def test_two_jit_modules_live_side_by_side():
    ir = axpy_ir()
    first, second = JitModule(ir), JitModule(ir)
    assert first.function_address("axpy") != second.function_address("axpy")
    call_axpy(ctypes.CFUNCTYPE(None)(first.function_address("axpy")))
    call_axpy(ctypes.CFUNCTYPE(None)(second.function_address("axpy")))


def test_function_address_of_an_unknown_function_is_a_diagnostic():
    with pytest.raises(DiagnosticError, match="no function named @nope"):
        JitModule(axpy_ir()).function_address("nope")


def test_jit_vectorizes_for_the_host():
    """At O3 the loop vectorizer runs with the host's features."""
    text = """
    func.func @add(%x: memref<1024xf32>, %y: memref<1024xf32>, %z: memref<1024xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %n = arith.constant 1024 : index
      loop.for %i = %c0 to %n step %c1 {
        %a = memref.load %x[%i] : memref<1024xf32>
        %b = memref.load %y[%i] : memref<1024xf32>
        %s = arith.addf %a, %b : f32
        memref.store %s, %z[%i] : memref<1024xf32>
      }
      func.return
    }
    """
    module = dlc.parse(text)
    LoopToLLVMPass().apply(make_context(), module)
    assembly = emit_assembly(llvm_ir_text(module))
    assert "addps" in assembly  # vaddps on xmm/ymm/zmm registers


def test_emit_assembly_defines_the_function():
    assembly = emit_assembly(axpy_ir())
    assert "axpy:" in assembly
    assert "erff" in assembly


def test_emit_object_is_a_relocatable_elf(tmp_path: Path):
    path = tmp_path / "axpy.o"
    emit_object(axpy_ir(), path)
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF"
    assert data[16] == 1  # ET_REL
    if shutil.which("nm"):
        symbols = subprocess.run(["nm", str(path)], capture_output=True, text=True)
        assert " T axpy" in symbols.stdout
        assert " U erff" in symbols.stdout


def test_shared_library_loads_and_runs_with_its_header(tmp_path: Path):
    library = tmp_path / "libaxpy.so"
    emit_shared_library(axpy_ir(), library, HEADER)
    assert (tmp_path / "libaxpy.h").read_text() == HEADER
    call_axpy(ctypes.CDLL(str(library)).axpy)


def test_shared_library_without_header(tmp_path: Path):
    library = tmp_path / "libplain.so"
    emit_shared_library(axpy_ir(), library)
    assert library.exists() and not (tmp_path / "libplain.h").exists()


def test_missing_c_compiler_is_a_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("CC", "no-such-compiler-dlc")
    with pytest.raises(DiagnosticError, match="no C compiler 'no-such-compiler-dlc'"):
        emit_shared_library(axpy_ir(), tmp_path / "libx.so")
