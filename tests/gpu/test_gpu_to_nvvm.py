"""gpu-to-nvvm: hand-written level-2 kernels (gpu.func over memrefs) to llvm-dialect
kernels for NVPTX, the diagnostics for what it cannot lower, and the accuracy of
its math polynomials.

NVPTX has no libm, so the pass computes log, sin, cos, pow, ... with polynomials
(dlc/lowering/llvm_patterns/nvvm_math.py). That code is plain LLVM, so the tests
here JIT it on the host CPU and compare it with float64 numpy: no GPU needed.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from xdsl.dialects import func, gpu, llvm
from xdsl.dialects.builtin import IntAttr, ModuleOp
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriteWalker

import dlc
from dlc.context import make_context
from dlc.diagnostics import DiagnosticError
from dlc.lowering.gpu_to_nvvm import GpuToNVVMPass
from dlc.lowering.llvm_patterns.nvvm_math import NVVM_MATH_PATTERNS
from tests.loop_pass_support import native

LAUNCH_SEGMENTS = "array<i32: 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0>"


def kernel_module(
    body: str,
    args: str = "%x: memref<256xf32>, %y: memref<256xf32>",
    host: str = "",
) -> str:
    """A module with one kernel ``@k`` (generic gpu syntax) around ``body``."""
    types = [a.split(":", 1)[1].strip() for a in re.split(r",\s*(?=%)", args)]
    return f"""
builtin.module attributes {{gpu.container_module}} {{
  "gpu.module"() <{{sym_name = "kernels"}}> ({{
    "gpu.func"() <{{function_type = ({", ".join(types)}) -> (), kernel}}> ({{
    ^bb0({args}):
{body}
      "gpu.return"() : () -> ()
    }}) {{sym_name = "k"}} : () -> ()
  }}) : () -> ()
{host}
}}
"""


def lower(text: str) -> ModuleOp:
    module = dlc.parse(text)
    GpuToNVVMPass().apply(make_context(), module)
    module.verify()
    return module


def kernel(module: ModuleOp, name: str = "k") -> llvm.FuncOp:
    return next(
        op
        for op in module.walk()
        if isinstance(op, llvm.FuncOp) and op.sym_name.data == name
    )


def intrinsics(function: llvm.FuncOp) -> list[str]:
    return [
        op.intrin.data for op in function.walk() if isinstance(op, llvm.CallIntrinsicOp)
    ]


COPY = """
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %v = memref.load %x[%i] : memref<256xf32>
      memref.store %v, %y[%i] : memref<256xf32>
"""

HOST = f"""
  func.func @main(%x: memref<256xf32>, %y: memref<256xf32>) {{
    %c1 = arith.constant 1 : index
    %c256 = arith.constant 256 : index
    %t = memref.alloc() : memref<256xf32>
    "gpu.launch_func"(%c1, %c1, %c1, %c256, %c1, %c1, %x, %t) <{{kernel = @kernels::@k,
        operandSegmentSizes = {LAUNCH_SEGMENTS}}}> : (index, index, index, index,
        index, index, memref<256xf32>, memref<256xf32>) -> ()
    memref.dealloc %t : memref<256xf32>
    func.return
  }}
"""


def test_kernel_is_marked_and_takes_global_pointers():
    function = kernel(lower(kernel_module(COPY)))
    assert "nvvm.kernel" in function.attributes
    assert function.linkage.linkage.data == "external"
    global_pointer = llvm.LLVMPointerType(IntAttr(1))
    assert list(function.function_type.inputs) == [global_pointer, global_pointer]
    geps = [op for op in function.walk() if isinstance(op, llvm.GEPOp)]
    assert [g.result.type for g in geps] == [global_pointer, global_pointer]


def test_the_host_function_stays_as_it_is():
    text = kernel_module(COPY, host=HOST)
    before = next(op for op in dlc.parse(text).walk() if isinstance(op, func.FuncOp))
    after = next(op for op in lower(text).walk() if isinstance(op, func.FuncOp))
    assert str(after) == str(before)


@pytest.mark.parametrize(
    "op,dimension,register",
    [
        ("thread_id", "x", "tid.x"),
        ("thread_id", "z", "tid.z"),
        ("block_id", "y", "ctaid.y"),
        ("block_dim", "x", "ntid.x"),
        ("grid_dim", "z", "nctaid.z"),
    ],
)
def test_index_ops_read_ptx_special_registers(op: str, dimension: str, register: str):
    body = f"""
      %i = "gpu.{op}"() <{{dimension = #gpu<dim {dimension}>}}> : () -> index
      %v = memref.load %x[%i] : memref<256xf32>
      memref.store %v, %y[%i] : memref<256xf32>
"""
    function = kernel(lower(kernel_module(body)))
    assert intrinsics(function) == [f"llvm.nvvm.read.ptx.sreg.{register}"]
    assert any(isinstance(o, llvm.ZExtOp) for o in function.walk())


def test_global_id_is_block_times_size_plus_thread():
    body = """
      %i = "gpu.global_id"() <{dimension = #gpu<dim x>}> : () -> index
      %v = memref.load %x[%i] : memref<256xf32>
      memref.store %v, %y[%i] : memref<256xf32>
"""
    function = kernel(lower(kernel_module(body)))
    assert intrinsics(function) == [
        "llvm.nvvm.read.ptx.sreg.ctaid.x",
        "llvm.nvvm.read.ptx.sreg.ntid.x",
        "llvm.nvvm.read.ptx.sreg.tid.x",
    ]


SHARED_AND_PRIVATE = """
      %tx = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %a = memref.alloc() : memref<256xf32, #gpu.address_space<workgroup>>
      %b = memref.alloc() : memref<8x8xf64, #gpu.address_space<workgroup>>
      %v = memref.load %x[%tx] : memref<256xf32>
      memref.store %v, %a[%tx] : memref<256xf32, #gpu.address_space<workgroup>>
      "gpu.barrier"() : () -> ()
      loop.for %k = %c0 to %c4 step %c1 {
        %p = memref.alloc() : memref<4xf32, #gpu.address_space<private>>
        memref.store %v, %p[%k] : memref<4xf32, #gpu.address_space<private>>
        %w = memref.load %p[%k] : memref<4xf32, #gpu.address_space<private>>
        memref.store %w, %y[%tx] : memref<256xf32>
        memref.dealloc %p : memref<4xf32, #gpu.address_space<private>>
      }
      memref.dealloc %a : memref<256xf32, #gpu.address_space<workgroup>>
"""


def test_shared_buffers_are_globals_in_address_space_3():
    module = lower(kernel_module(SHARED_AND_PRIVATE))
    (kernels,) = [op for op in module.walk() if isinstance(op, gpu.ModuleOp)]
    shared = [op for op in kernels.body.block.ops if isinstance(op, llvm.GlobalOp)]
    assert [g.sym_name.data for g in shared] == ["__shared_k_1", "__shared_k_0"]
    assert {g.addr_space.value.data for g in shared} == {3}
    assert {str(g.global_type) for g in shared} == {
        "!llvm.array<256 x f32>",
        "!llvm.array<64 x f64>",
    }
    assert all(g.value is None for g in shared)
    assert "llvm.nvvm.barrier0" in intrinsics(kernel(module))


def test_private_buffers_are_allocas_at_the_start_of_the_kernel():
    function = kernel(lower(kernel_module(SHARED_AND_PRIVATE)))
    entry = function.body.blocks[0]
    allocas = [op for op in function.walk() if isinstance(op, llvm.AllocaOp)]
    assert len(allocas) == 1 and allocas[0].parent_block() is entry
    assert not [op for op in function.walk() if isinstance(op, llvm.CallOp)]


def test_scf_if_with_results_becomes_branches_that_join():
    body = """
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %c128 = arith.constant 128 : index
      %low = arith.cmpi ult, %i, %c128 : index
      %v = memref.load %x[%i] : memref<256xf32>
      %r = scf.if %low -> (f32) {
        %d = arith.addf %v, %v : f32
        scf.yield %d : f32
      } else {
        scf.yield %v : f32
      }
      memref.store %r, %y[%i] : memref<256xf32>
"""
    function = kernel(lower(kernel_module(body)))
    assert len(function.body.blocks) == 4
    joined = function.body.blocks[3]
    assert [str(a.type) for a in joined.args] == ["f32"]


# Diagnostics: every bad input is a located DiagnosticError, never a traceback.

BAD_INPUTS = {
    "gpu-op-in-host-code": (
        """
func.func @host(%x: memref<4xf32>) {
  %t = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
  func.return
}
""",
        3,
        "'gpu.thread_id' outside a gpu.func kernel",
    ),
    "unsupported-math": (
        kernel_module(
            """
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %v = memref.load %x[%i] : memref<256xf32>
      %a = math.acos %v : f32
      memref.store %a, %y[%i] : memref<256xf32>
"""
        ),
        9,
        "math.acos: no NVPTX lowering",
    ),
    "f64-transcendental": (
        kernel_module(
            """
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %v = memref.load %x[%i] : memref<256xf64>
      %a = math.sin %v : f64
      memref.store %a, %y[%i] : memref<256xf64>
""",
            "%x: memref<256xf64>, %y: memref<256xf64>",
        ),
        9,
        "math.sin: no NVPTX lowering for f64",
    ),
    "global-alloc-in-kernel": (
        kernel_module("      %t = memref.alloc() : memref<4xf32>"),
        6,
        "memref.alloc of memref<4xf32> in global memory inside kernel @k",
    ),
    "workgroup-argument": (
        kernel_module(
            "",
            "%x: memref<4xf32, #gpu.address_space<workgroup>>, %y: memref<4xf32>",
        ),
        4,
        "argument #0 of @k has type memref<4xf32, #gpu.address_space<workgroup>>",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_a_located_diagnostic(case: str):
    text, line, message = BAD_INPUTS[case]
    module = dlc.parse(text, filename="bad.mlir")
    with pytest.raises(DiagnosticError) as caught:
        GpuToNVVMPass().apply(make_context(), module)
    assert message in caught.value.message
    assert caught.value.location is not None
    assert (caught.value.location.filename, caught.value.location.line) == (
        "bad.mlir",
        line,
    )


def test_dlc_opt_reports_an_unsupported_op_without_a_traceback(tmp_path):
    path = tmp_path / "bad.mlir"
    path.write_text(BAD_INPUTS["unsupported-math"][0])
    done = subprocess.run(
        [sys.executable, "-m", "dlc.tools.dlc_opt", str(path), "-p", "gpu-to-nvvm"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "bad.mlir:9:7: error: math.acos: no NVPTX lowering" in done.stderr
    assert "Traceback" not in done.stderr


# The NVPTX math polynomials, JIT-compiled on the host.

UNARY = """
func.func @f(%x: memref<{n}xf32>, %z: memref<{n}xf32>, %y: memref<{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %n step %c1 {{
    %v = memref.load %x[%i] : memref<{n}xf32>
    %u = memref.load %z[%i] : memref<{n}xf32>
    %w = math.{call} : f32
    memref.store %w, %y[%i] : memref<{n}xf32>
  }}
  func.return
}}
"""

SPECIAL = np.array(
    [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 1e-38, 3.4e38, -3.4e38, 1, -1],
    np.float32,
)


def nvptx_math(function: str, x: np.ndarray, z: np.ndarray | None = None) -> np.ndarray:
    """``math.function`` on ``x`` (and ``z``) through the NVPTX patterns, on the CPU."""
    call = f"{function} %v, %u" if z is not None else f"{function} %v"
    module = dlc.parse(UNARY.format(n=len(x), call=call))
    PatternRewriteWalker(
        GreedyRewritePatternApplier(NVVM_MATH_PATTERNS)
    ).rewrite_module(module)
    assert "math." not in str(module)
    y = np.empty_like(x)
    native(module, "f")(x, x if z is None else z, y)
    return y


def inputs(low: float, high: float, *, mirrored: bool = True) -> np.ndarray:
    grid = np.linspace(low, high, 100_003, dtype=np.float32)
    tiny = np.geomspace(1e-30, 1.0, 1000, dtype=np.float32)
    parts = [grid, tiny, -tiny] if mirrored else [grid, tiny]
    return np.concatenate([*parts, SPECIAL])


ACCURACY = {
    # function: (numpy reference, inputs, largest error in ulp of the f32 result)
    "log": (np.log, inputs(1e-6, 1e4, mirrored=False), 1.0),
    "log2": (np.log2, inputs(1e-6, 1e4, mirrored=False), 2.0),
    "log10": (np.log10, inputs(1e-6, 1e4, mirrored=False), 2.0),
    "log1p": (np.log1p, inputs(-0.999, 100.0), 3.0),
    "exp2": (np.exp2, inputs(-160.0, 130.0), 1.0),
    "expm1": (np.expm1, inputs(-20.0, 20.0), 3.0),
    "sinh": (np.sinh, inputs(-20.0, 20.0), 3.0),
    "cosh": (np.cosh, inputs(-20.0, 20.0), 2.0),
}


@pytest.mark.parametrize("function", sorted(ACCURACY))
def test_polynomial_is_within_its_ulp_bound(function: str):
    reference, x, bound = ACCURACY[function]
    got = nvptx_math(function, x)
    with np.errstate(all="ignore"):
        want = reference(x.astype(np.float64))
        want32 = want.astype(np.float32)
    normal = np.isfinite(want32) & (np.abs(want32) > np.finfo(np.float32).tiny)
    ulps = np.abs(got[normal] - want[normal]) / np.spacing(np.abs(want32[normal]))
    assert ulps.max() <= bound
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want32))
    infinite = np.isinf(want32)
    np.testing.assert_array_equal(got[infinite], want32[infinite])


@pytest.mark.parametrize("function", ["sin", "cos", "tan"])
def test_sin_cos_tan_are_accurate_up_to_two_to_the_23(function: str):
    x = np.concatenate([inputs(-8e6, 8e6), inputs(-10.0, 10.0)])
    got = nvptx_math(function, x)
    with np.errstate(invalid="ignore"):
        want = getattr(np, function)(x.astype(np.float64))
    finite = np.isfinite(x) & (np.abs(x) <= 2.0**23)
    error = np.abs(got[finite] - want[finite])
    if function == "tan":
        # Relative to tan's derivative, 1 + tan^2: the error of the argument.
        error /= 1.0 + want[finite] ** 2
    assert error.max() <= 2e-7
    assert np.isnan(got[~finite]).all()


def test_pow_follows_c_for_special_values_and_is_accurate():
    rng = np.random.default_rng(7)
    x = rng.uniform(0.0, 10.0, 50_000).astype(np.float32)
    y = rng.uniform(-8.0, 8.0, 50_000).astype(np.float32)
    got = nvptx_math("powf", x, y)
    want = np.power(x.astype(np.float64), y.astype(np.float64))
    normal = np.isfinite(want) & (want > 1e-30) & (want < 1e30)
    assert (np.abs(got[normal] - want[normal]) / want[normal]).max() <= 4e-6
    base = np.array(
        [0, 0, 0, 1, 1, np.nan, 2, -2, -2, -2, np.inf, -np.inf, -8, 0.5], np.float32
    )
    exponent = np.array(
        [2, -2, 0, np.nan, 5, 0, np.inf, 3, 2, 0.5, -1, 3, 1 / 3, -np.inf], np.float32
    )
    with np.errstate(all="ignore"):
        expected = np.power(base, exponent)
    np.testing.assert_array_equal(nvptx_math("powf", base, exponent), expected)


def test_bounds_checks_trap():
    body = """
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      loop.check_index %i < 256, "memref.load in @k: index 0 of memref<256xf32>"
      %v = memref.load %x[%i] : memref<256xf32>
      memref.store %v, %y[%i] : memref<256xf32>
"""
    module = lower(kernel_module(body))
    function = kernel(module)
    assert intrinsics(function)[-1] == "llvm.trap"
    assert isinstance(function.body.blocks[-1].last_op, llvm.UnreachableOp)
    assert not [op for op in module.walk() if isinstance(op, llvm.CallOp)]
