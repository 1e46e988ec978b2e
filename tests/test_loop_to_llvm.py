"""loop-to-llvm, run natively: compiled loop-level functions equal the interpreter.

Each test writes a loop-level function by hand in destination-passing style (input
buffers, then output buffers), lowers it with ``loop-to-llvm``, JIT-compiles it for
the host and calls it through ctypes on numpy arrays. The same function, run by the
reference interpreter (:func:`call_with_buffers`), and plain numpy are the oracles.
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    DenseResourceAttr,
    MemRefType,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
    f32,
)
from xdsl.ir import Attribute

import dlc
from dlc.context import make_context
from dlc.diagnostics import DiagnosticError
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import call_with_buffers
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.resources import declare_resource
from dlc.targets.cpu import JitModule, llvm_ir_text
from tests.support import random_array

NumpyArray = np.ndarray[Any, Any]


def lower(module: ModuleOp) -> ModuleOp:
    LoopToLLVMPass().apply(make_context(), module)
    module.verify()
    return module


def native(module: ModuleOp, name: str) -> Callable[..., None]:
    """Lower a loop-level module and JIT it: a function of numpy arrays."""
    jit = JitModule(llvm_ir_text(lower(module)))
    arity = len(_function(module, name).function_type.inputs)
    c_function = ctypes.CFUNCTYPE(None, *([ctypes.c_void_p] * arity))(
        jit.function_address(name)
    )

    def call(*arrays: NumpyArray) -> None:
        c_function(*(a.ctypes.data for a in arrays))

    call.jit = jit  # type: ignore[attr-defined]
    return call


def _function(module: ModuleOp, name: str) -> Any:
    for op in module.ops:
        if op.properties.get("sym_name") == StringAttr(name):
            return op
    raise AssertionError(f"no @{name}")


def run_both(
    text: str, name: str, inputs: Sequence[NumpyArray], outputs: Sequence[NumpyArray]
) -> tuple[list[NumpyArray], list[NumpyArray]]:
    """Run ``@name`` compiled and interpreted; the output buffers of each."""
    compiled_out = [o.copy() for o in outputs]
    native(dlc.parse(text), name)(*inputs, *compiled_out)
    interpreted_out = [o.copy() for o in outputs]
    interpreter = make_interpreter(dlc.parse(text))
    call_with_buffers(interpreter, name, *inputs, *interpreted_out)
    return compiled_out, interpreted_out


MATMUL = """
func.func @matmul(%A: memref<{m}x{k}xf32>, %B: memref<{k}x{n}xf32>,
                  %C: memref<{m}x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant {m} : index
  %n = arith.constant {n} : index
  %k = arith.constant {k} : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%i) = (%c0) to (%m) step (%c1) mapping [cpu.thread] {{
    loop.for %j = %c0 to %n step %c1 {{
      %sum = loop.for %l = %c0 to %k step %c1 iter_args(%acc = %zero) -> (f32) {{
        %a = memref.load %A[%i, %l] : memref<{m}x{k}xf32>
        %b = memref.load %B[%l, %j] : memref<{k}x{n}xf32>
        %p = arith.mulf %a, %b : f32
        %s = arith.addf %acc, %p : f32
        loop.yield %s : f32
      }}
      memref.store %sum, %C[%i, %j] : memref<{m}x{n}xf32>
    }}
  }}
  func.return
}}
"""


@pytest.mark.parametrize("m,k,n", [(5, 3, 7), (1, 4, 1), (2, 1, 3), (33, 17, 65)])
def test_matmul_nest_matches_numpy_and_interpreter(m: int, k: int, n: int):
    rng = np.random.default_rng(0)
    a, b = random_array(rng, (m, k)), random_array(rng, (k, n))
    (got,), (want,) = run_both(
        MATMUL.format(m=m, k=k, n=n), "matmul", [a, b], [np.zeros((m, n), np.float32)]
    )
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got, a @ b, rtol=1e-5, atol=1e-5)


def test_parallel_loop_over_two_dims_visits_every_point():
    text = """
    func.func @index_sum(%out: memref<3x5xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c5 = arith.constant 5 : index
      loop.parallel (%i, %j) = (%c0, %c1) to (%c3, %c5) step (%c1, %c2) {
        %s = arith.addi %i, %j : index
        %t = arith.index_cast %s : index to i64
        %f = arith.sitofp %t : i64 to f32
        memref.store %f, %out[%i, %j] : memref<3x5xf32>
      }
      func.return
    }
    """
    (got,), (want,) = run_both(text, "index_sum", [], [np.full((3, 5), -1, np.float32)])
    expected = np.full((3, 5), -1, np.float32)
    for i in range(3):
        for j in range(1, 5, 2):
            expected[i, j] = i + j
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got, want)


SOFTMAX = """
func.func @softmax(%x: memref<{r}x{c}x{t}>, %y: memref<{r}x{c}x{t}>,
                   %lse: memref<{r}x{t}>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant {r} : index
  %cols = arith.constant {c} : index
  %ninf = arith.constant {ninf} : {ct}
  %zero = arith.constant 0.0 : {ct}
  loop.for %i = %c0 to %rows step %c1 {{
    %max = loop.for %j = %c0 to %cols step %c1 iter_args(%m = %ninf) -> ({ct}) {{
      %v = memref.load %x[%i, %j] : memref<{r}x{c}x{t}>
      {widen}
      %n = arith.maximumf %m, %vw : {ct}
      loop.yield %n : {ct}
    }}
    %sum = loop.for %j = %c0 to %cols step %c1 iter_args(%s = %zero) -> ({ct}) {{
      %v = memref.load %x[%i, %j] : memref<{r}x{c}x{t}>
      {widen}
      %d = arith.subf %vw, %max : {ct}
      %e = math.exp %d : {ct}
      %s2 = arith.addf %s, %e : {ct}
      loop.yield %s2 : {ct}
    }}
    %log = math.log %sum : {ct}
    %l = arith.addf %max, %log : {ct}
    {narrow_l}
    memref.store %ln, %lse[%i] : memref<{r}x{t}>
    loop.for %j = %c0 to %cols step %c1 {{
      %v = memref.load %x[%i, %j] : memref<{r}x{c}x{t}>
      {widen}
      %d = arith.subf %vw, %max : {ct}
      %e = math.exp %d : {ct}
      %p = arith.divf %e, %sum : {ct}
      {narrow_p}
      memref.store %pn, %y[%i, %j] : memref<{r}x{c}x{t}>
    }}
  }}
  func.return
}}
"""


def _softmax(r: int, c: int, dtype: str) -> str:
    """Softmax and log-sum-exp of rows stored as ``dtype``; f16 computes in f32."""
    if dtype == "f16":
        return SOFTMAX.format(
            r=r, c=c, t="f16", ct="f32", ninf="0xFF800000",
            widen="%vw = arith.extf %v : f16 to f32",
            narrow_l="%ln = arith.truncf %l : f32 to f16",
            narrow_p="%pn = arith.truncf %p : f32 to f16",
        )  # fmt: skip
    ninf = "0xFF800000" if dtype == "f32" else "0xFFF0000000000000"
    return SOFTMAX.format(
        r=r, c=c, t=dtype, ct=dtype, ninf=ninf,
        widen=f"%vw = arith.maximumf %v, %v : {dtype}",
        narrow_l=f"%ln = arith.maximumf %l, %l : {dtype}",
        narrow_p=f"%pn = arith.maximumf %p, %p : {dtype}",
    )  # fmt: skip


@pytest.mark.parametrize(
    "dtype,numpy_dtype,tolerance",
    [("f32", np.float32, 1e-6), ("f16", np.float16, 2e-3), ("f64", np.float64, 1e-6)],
)
@pytest.mark.parametrize("rows,cols", [(3, 7), (1, 1), (4, 33)])
def test_softmax_rows_with_max_exp_log(
    dtype: str, numpy_dtype: Any, tolerance: float, rows: int, cols: int
):
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((rows, cols)) * 4).astype(numpy_dtype)
    outputs = [np.zeros((rows, cols), numpy_dtype), np.zeros(rows, numpy_dtype)]
    (y, lse), (y_ref, lse_ref) = run_both(
        _softmax(rows, cols, dtype), "softmax", [x], outputs
    )
    np.testing.assert_allclose(y, y_ref, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(lse, lse_ref, rtol=tolerance, atol=tolerance)
    wide = x.astype(np.float64)
    shifted = np.exp(wide - wide.max(axis=1, keepdims=True))
    np.testing.assert_allclose(
        y, shifted / shifted.sum(axis=1, keepdims=True), rtol=tolerance, atol=tolerance
    )
    expected_lse = wide.max(axis=1) + np.log(shifted.sum(axis=1))
    np.testing.assert_allclose(lse, expected_lse, rtol=tolerance, atol=tolerance)


ELEMENTWISE = """
func.func @f(%x: memref<{n}x{t}>, %y: memref<{n}x{t}>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %n step %c1 {{
    %v = memref.load %x[%i] : memref<{n}x{t}>
    {body}
    memref.store %r, %y[%i] : memref<{n}x{t}>
  }}
  func.return
}}
"""

UNARY_MATH: dict[str, tuple[Callable[[NumpyArray], NumpyArray], float, float]] = {
    "math.exp": (np.exp, -5.0, 5.0),
    "math.exp2": (np.exp2, -5.0, 5.0),
    "math.expm1": (np.expm1, -2.0, 2.0),
    "math.log": (np.log, 0.01, 10.0),
    "math.log2": (np.log2, 0.01, 10.0),
    "math.log10": (np.log10, 0.01, 10.0),
    "math.log1p": (np.log1p, -0.5, 10.0),
    "math.sqrt": (np.sqrt, 0.0, 10.0),
    "math.rsqrt": (lambda x: 1 / np.sqrt(x), 0.01, 10.0),
    "math.tanh": (np.tanh, -4.0, 4.0),
    "math.erf": (np.vectorize(math.erf), -3.0, 3.0),
    "math.absf": (np.abs, -3.0, 3.0),
    "math.floor": (np.floor, -3.0, 3.0),
    "math.ceil": (np.ceil, -3.0, 3.0),
    "math.round": (lambda x: np.sign(x) * np.floor(np.abs(x) + 0.5), -3.0, 3.0),
    "math.roundeven": (np.round, -3.0, 3.0),
    "math.trunc": (np.trunc, -3.0, 3.0),
    "math.sin": (np.sin, -3.0, 3.0),
    "math.cos": (np.cos, -3.0, 3.0),
    "math.tan": (np.tan, -1.0, 1.0),
    "math.asin": (np.arcsin, -0.9, 0.9),
    "math.acos": (np.arccos, -0.9, 0.9),
    "math.atan": (np.arctan, -3.0, 3.0),
    "math.sinh": (np.sinh, -3.0, 3.0),
    "math.cosh": (np.cosh, -3.0, 3.0),
    "math.asinh": (np.arcsinh, -3.0, 3.0),
    "math.acosh": (np.arccosh, 1.0, 5.0),
    "math.atanh": (np.arctanh, -0.9, 0.9),
    "math.cbrt": (np.cbrt, -8.0, 8.0),
}

INTERPRETED_MATH = {
    "math.exp", "math.exp2", "math.expm1", "math.log", "math.log2", "math.log1p",
    "math.sqrt", "math.rsqrt", "math.tanh", "math.erf", "math.absf", "math.floor",
    "math.ceil", "math.sin", "math.cos",
}  # fmt: skip
"""The math ops the reference interpreter implements."""


@pytest.mark.parametrize("op", sorted(UNARY_MATH))
@pytest.mark.parametrize("dtype", ["f32", "f64"])
def test_unary_math_matches_numpy(op: str, dtype: str):
    reference, low, high = UNARY_MATH[op]
    numpy_dtype = np.float32 if dtype == "f32" else np.float64
    x = np.linspace(low, high, 37).astype(numpy_dtype)
    text = ELEMENTWISE.format(n=37, t=dtype, body=f"%r = {op} %v : {dtype}")
    y = np.zeros_like(x)
    native(dlc.parse(text), "f")(x, y)
    tolerance = 2e-6 if dtype == "f32" else 1e-12
    np.testing.assert_allclose(
        y, reference(x.astype(np.float64)), rtol=tolerance, atol=tolerance
    )
    if op in INTERPRETED_MATH:
        want = np.zeros_like(x)
        call_with_buffers(make_interpreter(dlc.parse(text)), "f", x, want)
        np.testing.assert_allclose(y, want, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize(
    "body,reference",
    [
        (
            "%two = arith.constant 2.5 : f32\n    %r = math.powf %v, %two : f32",
            lambda x: np.power(x, 2.5),
        ),
        (
            "%c = arith.constant -1.0 : f32\n    %r = math.copysign %c, %v : f32",
            lambda x: np.copysign(-1.0, x),
        ),
        (
            "%c = arith.constant 0.5 : f32\n    %r = math.atan2 %v, %c : f32",
            lambda x: np.arctan2(x, 0.5),
        ),
        (
            "%c = arith.constant 0.5 : f32\n    %r = math.fma %v, %v, %c : f32",
            lambda x: x * x + 0.5,
        ),
        (
            "%c = arith.constant 1.0 : f32\n    %r = arith.minimumf %v, %c : f32",
            lambda x: np.minimum(x, 1.0),
        ),
        (
            "%c = arith.constant 1.0 : f32\n    %r = arith.maxnumf %v, %c : f32",
            lambda x: np.fmax(x, 1.0),
        ),
        ("%r = arith.negf %v : f32", np.negative),
    ],
    ids=["powf", "copysign", "atan2", "fma", "minimumf", "maxnumf", "negf"],
)
def test_binary_and_ternary_float_ops(body: str, reference: Callable[..., Any]):
    x = np.linspace(0.0, 3.0, 16).astype(np.float32)
    y = np.zeros_like(x)
    native(dlc.parse(ELEMENTWISE.format(n=16, t="f32", body=body)), "f")(x, y)
    np.testing.assert_allclose(y, reference(x.astype(np.float64)), rtol=2e-6)


def test_maximumf_propagates_nan_and_maxnumf_ignores_it():
    x = np.array([np.nan, 1.0, -2.0, np.nan], np.float32)
    body = """%c = arith.constant 0.0 : f32
    %a = arith.maximumf %v, %c : f32
    %b = arith.maxnumf %v, %c : f32
    %r = arith.addf %a, %b : f32"""
    text = ELEMENTWISE.format(n=4, t="f32", body=body)
    y = np.zeros_like(x)
    native(dlc.parse(text), "f")(x, y)
    np.testing.assert_array_equal(y, [np.nan, 2.0, 0.0, np.nan])


def test_f16_arithmetic_and_math():
    x = np.linspace(-2, 2, 24).astype(np.float16)
    body = """%e = math.exp %v : f16
    %t = math.tanh %v : f16
    %f = math.erf %v : f16
    %s = arith.addf %e, %t : f16
    %r = arith.mulf %s, %f : f16"""
    (got,), (want,) = run_both(
        ELEMENTWISE.format(n=24, t="f16", body=body), "f", [x], [np.zeros_like(x)]
    )
    wide = x.astype(np.float64)
    expected = (np.exp(wide) + np.tanh(wide)) * np.vectorize(math.erf)(wide)
    np.testing.assert_allclose(got, expected, rtol=4e-3, atol=4e-3)
    np.testing.assert_allclose(got, want, rtol=4e-3, atol=4e-3)


PADDED_SHIFT = """
func.func @shift(%x: memref<{n}xf32>, %y: memref<{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  %offset = arith.constant {offset} : index
  %pad = arith.constant -7.0 : f32
  loop.for %i = %c0 to %n step %c1 {{
    %src = arith.subi %i, %offset : index
    %lo = arith.cmpi sge, %src, %c0 : index
    %hi = arith.cmpi slt, %src, %n : index
    %inside = arith.andi %lo, %hi : i1
    %safe = arith.select %inside, %src, %c0 : index
    %v = memref.load %x[%safe] : memref<{n}xf32>
    %r = arith.select %inside, %v, %pad : f32
    memref.store %r, %y[%i] : memref<{n}xf32>
  }}
  func.return
}}
"""


@pytest.mark.parametrize("offset", [-3, 0, 2, 9])
def test_padded_read_selects_the_pad_outside(offset: int):
    x = np.arange(1, 7, dtype=np.float32)
    (got,), (want,) = run_both(
        PADDED_SHIFT.format(n=6, offset=offset), "shift", [x], [np.zeros(6, np.float32)]
    )
    expected = np.array(
        [x[i - offset] if 0 <= i - offset < 6 else -7.0 for i in range(6)], np.float32
    )
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got, want)


TEMPORARY = """
func.func @twice_plus_one(%x: memref<5x3xf32>, %y: memref<5x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %one = arith.constant 1.0 : f32
  %t = memref.alloc() : memref<5x3xf32>
  loop.for %i = %c0 to %c5 step %c1 {
    loop.for %j = %c0 to %c3 step %c1 {
      %v = memref.load %x[%i, %j] : memref<5x3xf32>
      %d = arith.addf %v, %v : f32
      memref.store %d, %t[%i, %j] : memref<5x3xf32>
    }
  }
  loop.for %i = %c0 to %c5 step %c1 {
    loop.for %j = %c0 to %c3 step %c1 {
      %v = memref.load %t[%i, %j] : memref<5x3xf32>
      %r = arith.addf %v, %one : f32
      memref.store %r, %y[%i, %j] : memref<5x3xf32>
    }
  }
  memref.dealloc %t : memref<5x3xf32>
  func.return
}
"""


def test_temporaries_with_alloc_and_dealloc():
    x = random_array(np.random.default_rng(2), (5, 3))
    (got,), (want,) = run_both(
        TEMPORARY, "twice_plus_one", [x], [np.zeros((5, 3), np.float32)]
    )
    np.testing.assert_array_equal(got, 2 * x + 1)
    np.testing.assert_array_equal(got, want)


def test_stack_temporary_with_alloca():
    """memref.alloca (the interpreter has none, so numpy is the only oracle)."""
    text = """
    func.func @reverse(%x: memref<4xf32>, %y: memref<4xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %s = memref.alloca() : memref<4xf32>
      loop.for %i = %c0 to %c4 step %c1 {
        %v = memref.load %x[%i] : memref<4xf32>
        %j = arith.subi %c3, %i : index
        memref.store %v, %s[%j] : memref<4xf32>
      }
      loop.for %i = %c0 to %c4 step %c1 {
        %v = memref.load %s[%i] : memref<4xf32>
        memref.store %v, %y[%i] : memref<4xf32>
      }
      func.return
    }
    """
    x = np.arange(4, dtype=np.float32)
    y = np.zeros(4, np.float32)
    native(dlc.parse(text), "reverse")(x, y)
    np.testing.assert_array_equal(y, x[::-1])


def test_alloc_is_64_byte_aligned_and_freed():
    module = lower(dlc.parse(TEMPORARY))
    text = str(module)
    assert "llvm.call @aligned_alloc" in text and "llvm.call @free" in text
    assert "llvm.mlir.constant(64) : i64" in text


GLOBALS = """
"memref.global"() <{sym_name = "table", sym_visibility = "private",
    type = memref<2x3xf32>, initial_value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
    : tensor<2x3xf32>, constant}> : () -> ()
"memref.global"() <{sym_name = "halves", sym_visibility = "private",
    type = memref<3xf64>, initial_value = dense<0.5> : tensor<3xf64>,
    constant}> : () -> ()
func.func @add_table(%x: memref<2x3xf32>, %y: memref<2x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %t = memref.get_global @table : memref<2x3xf32>
  %h = memref.get_global @halves : memref<3xf64>
  loop.for %i = %c0 to %c2 step %c1 {
    loop.for %j = %c0 to %c3 step %c1 {
      %v = memref.load %x[%i, %j] : memref<2x3xf32>
      %w = memref.load %t[%i, %j] : memref<2x3xf32>
      %q = memref.load %h[%j] : memref<3xf64>
      %qf = arith.truncf %q : f64 to f32
      %s = arith.addf %v, %w : f32
      %r = arith.addf %s, %qf : f32
      memref.store %r, %y[%i, %j] : memref<2x3xf32>
    }
  }
  func.return
}
"""


def test_dense_global_constants():
    x = random_array(np.random.default_rng(3), (2, 3))
    outputs = [np.zeros((2, 3), np.float32)]
    (got,), (want,) = run_both(GLOBALS, "add_table", [x], outputs)
    table = np.arange(1, 7, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(got, x + table + 0.5, rtol=1e-6)
    np.testing.assert_array_equal(got, want)


def _resource_global(
    name: str, array: NumpyArray, element: Attribute
) -> memref.GlobalOp:
    """A memref.global holding a dense_resource blob.

    xDSL 0.74's memref.global only takes inline dense values in its verifier, so
    the op is built directly, the way a bufferization of a resource constant would.
    """
    shape = array.shape
    return memref.GlobalOp.create(
        properties={
            "sym_name": StringAttr(name),
            "sym_visibility": StringAttr("private"),
            "type": MemRefType(element, shape),
            "initial_value": DenseResourceAttr.from_params(
                declare_resource(name, array).resource_handle,
                TensorType(element, shape),
            ),
            "constant": UnitAttr(),
        }
    )


def test_dense_resource_global_constant():
    weights = np.random.default_rng(4).standard_normal((4, 3)).astype(np.float32)
    text = """
    func.func @copy(%y: memref<4x3xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c3 = arith.constant 3 : index
      %c4 = arith.constant 4 : index
      %w = memref.get_global @weights : memref<4x3xf32>
      loop.for %i = %c0 to %c4 step %c1 {
        loop.for %j = %c0 to %c3 step %c1 {
          %v = memref.load %w[%i, %j] : memref<4x3xf32>
          memref.store %v, %y[%i, %j] : memref<4x3xf32>
        }
      }
      func.return
    }
    """
    module = dlc.parse(text)
    function = module.body.block.first_op
    assert function is not None
    module.body.block.insert_op_before(
        _resource_global("weights", weights, f32), function
    )
    y = np.zeros((4, 3), np.float32)
    native(module, "copy")(y)
    np.testing.assert_array_equal(y, weights)


def test_uninitialized_global_starts_at_zero():
    text = """
    "memref.global"() <{sym_name = "scratch", sym_visibility = "private",
        type = memref<4xf32>, initial_value}> : () -> ()
    func.func @read(%y: memref<4xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %g = memref.get_global @scratch : memref<4xf32>
      loop.for %i = %c0 to %c4 step %c1 {
        %v = memref.load %g[%i] : memref<4xf32>
        memref.store %v, %y[%i] : memref<4xf32>
      }
      func.return
    }
    """
    y = np.full(4, 3.0, np.float32)
    native(dlc.parse(text), "read")(y)
    np.testing.assert_array_equal(y, 0.0)


VECTOR_DOT = """
func.func @dot(%a: memref<{rows}x{n}x{t}>, %b: memref<{n}x{t}>,
               %out: memref<{rows}x{t}>, %scaled: memref<{rows}x{n}x{t}>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = arith.constant {rows} : index
  %n = arith.constant {n} : index
  %w = arith.constant {w} : index
  %zero = arith.constant 0.0 : {t}
  %two = arith.constant 2.0 : {t}
  %z = loop.splat %zero : vector<{w}x{t}>
  %twos = loop.splat %two : vector<{w}x{t}>
  loop.for %i = %c0 to %rows step %c1 {{
    %acc = loop.for %j = %c0 to %n step %w iter_args(%s = %z) -> (vector<{w}x{t}>) {{
      %x = loop.vload %a[%i, %j] : memref<{rows}x{n}x{t}>, vector<{w}x{t}>
      %y = loop.vload %b[%j] : memref<{n}x{t}>, vector<{w}x{t}>
      %s2 = loop.fma %x, %y, %s : vector<{w}x{t}>
      %d = arith.mulf %x, %twos : vector<{w}x{t}>
      loop.vstore %d, %scaled[%i, %j] : memref<{rows}x{n}x{t}>, vector<{w}x{t}>
      loop.yield %s2 : vector<{w}x{t}>
    }}
    %r = loop.vreduce {kind} %acc : vector<{w}x{t}>
    memref.store %r, %out[%i] : memref<{rows}x{t}>
  }}
  func.return
}}
"""

LANE_REDUCTIONS: dict[str, Callable[[NumpyArray], NumpyArray]] = {
    "add": lambda v: v.sum(axis=-1),
    "mul": lambda v: v.prod(axis=-1),
    "max": lambda v: v.max(axis=-1),
    "min": lambda v: v.min(axis=-1),
}


@pytest.mark.parametrize("kind", sorted(LANE_REDUCTIONS))
@pytest.mark.parametrize(
    "width,dtype", [(8, "f32"), (16, "f32"), (2, "f32"), (4, "f64"), (8, "f16")]
)
def test_vector_loop_with_fma_and_lane_reduction(kind: str, width: int, dtype: str):
    rows, n = 3, 4 * width
    numpy_dtype = {"f16": np.float16, "f32": np.float32, "f64": np.float64}[dtype]
    rng = np.random.default_rng(5)
    a = rng.uniform(0.4, 0.6, (rows, n)).astype(numpy_dtype)
    b = rng.uniform(0.4, 0.6, n).astype(numpy_dtype)
    text = VECTOR_DOT.format(rows=rows, n=n, w=width, t=dtype, kind=kind)
    outputs = [np.zeros(rows, numpy_dtype), np.zeros((rows, n), numpy_dtype)]
    (got, scaled), (want, scaled_ref) = run_both(text, "dot", [a, b], outputs)
    tolerance = 2e-2 if dtype == "f16" else 1e-5
    np.testing.assert_allclose(got, want, rtol=tolerance)
    np.testing.assert_array_equal(scaled, scaled_ref)
    np.testing.assert_array_equal(scaled, 2 * a)
    lanes = (a.astype(np.float64) * b).reshape(rows, 4, width).sum(axis=1)
    np.testing.assert_allclose(got, LANE_REDUCTIONS[kind](lanes), rtol=tolerance)


def test_vector_reductions_over_max_and_min_propagate_nan():
    text = """
    func.func @f(%x: memref<8xf32>, %y: memref<2xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %v = loop.vload %x[%c0] : memref<8xf32>, vector<8xf32>
      %m = loop.vreduce max %v : vector<8xf32>
      %n = loop.vreduce min %v : vector<8xf32>
      memref.store %m, %y[%c0] : memref<2xf32>
      memref.store %n, %y[%c1] : memref<2xf32>
      func.return
    }
    """
    x = np.array([1, 2, np.nan, 4, 5, 6, 7, 8], np.float32)
    y = np.zeros(2, np.float32)
    native(dlc.parse(text), "f")(x, y)
    assert np.isnan(y).all()


def test_vector_math_calls_libm_per_lane():
    text = """
    func.func @f(%x: memref<8xf32>, %y: memref<8xf32>) {
      %c0 = arith.constant 0 : index
      %v = loop.vload %x[%c0] : memref<8xf32>, vector<8xf32>
      %e = math.erf %v : vector<8xf32>
      %t = math.tanh %v : vector<8xf32>
      %s = arith.addf %e, %t : vector<8xf32>
      loop.vstore %s, %y[%c0] : memref<8xf32>, vector<8xf32>
      func.return
    }
    """
    x = np.linspace(-2, 2, 8).astype(np.float32)
    y = np.zeros(8, np.float32)
    native(dlc.parse(text), "f")(x, y)
    wide = x.astype(np.float64)
    expected = np.vectorize(math.erf)(wide) + np.tanh(wide)
    np.testing.assert_allclose(y, expected, rtol=2e-6)


INTEGER_OPS = """
func.func @f(%a: memref<{n}xi64>, %b: memref<{n}xi64>, %out: memref<{k}x{n}xi64>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %n step %c1 {{
    %x = memref.load %a[%i] : memref<{n}xi64>
    %y = memref.load %b[%i] : memref<{n}xi64>
    {body}
  }}
  func.return
}}
"""

INTEGER_RESULTS: list[tuple[str, Callable[[NumpyArray, NumpyArray], NumpyArray]]] = [
    ("arith.ceildivsi", lambda x, y: -(-x // y)),
    ("arith.floordivsi", lambda x, y: x // y),
    ("arith.divsi", lambda x, y: np.trunc(x / y).astype(np.int64)),
    ("arith.remsi", lambda x, y: np.fmod(x, y)),
    ("arith.maxsi", np.maximum),
    ("arith.minsi", np.minimum),
    ("arith.muli", np.multiply),
    ("arith.subi", np.subtract),
    ("arith.xori", np.bitwise_xor),
]


def test_integer_arithmetic_and_rounded_division():
    values = np.array([-7, -6, -1, 0, 1, 5, 6, 7, 13, -13], np.int64)
    divisors = np.array([2, -3, 3, 5, -2, 3, -4, 7, 4, 4], np.int64)
    rows = len(INTEGER_RESULTS)
    body = "\n    ".join(
        f"%r{k} = {op} %x, %y : i64\n    %k{k} = arith.constant {k} : index\n"
        f"    memref.store %r{k}, %out[%k{k}, %i] : memref<{rows}x10xi64>"
        for k, (op, _) in enumerate(INTEGER_RESULTS)
    )
    text = INTEGER_OPS.format(n=10, k=len(INTEGER_RESULTS), body=body)
    out = np.zeros((len(INTEGER_RESULTS), 10), np.int64)
    (got,), (want,) = run_both(text, "f", [values, divisors], [out])
    for k, (op, reference) in enumerate(INTEGER_RESULTS):
        np.testing.assert_array_equal(got[k], reference(values, divisors), err_msg=op)
    np.testing.assert_array_equal(got, want)


def test_unsigned_ceil_division_and_integer_casts():
    text = """
    func.func @f(%a: memref<4xi32>, %out: memref<4xi64>, %f: memref<4xi32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %d = arith.constant 3 : i32
      loop.for %i = %c0 to %c4 step %c1 {
        %x = memref.load %a[%i] : memref<4xi32>
        %q = arith.ceildivui %x, %d : i32
        %w = arith.extui %q : i32 to i64
        %idx = arith.index_cast %w : i64 to index
        %sum = arith.addi %idx, %i : index
        %back = arith.index_cast %sum : index to i64
        memref.store %back, %out[%i] : memref<4xi64>
        %xf = arith.sitofp %x : i32 to f32
        %half = arith.constant 0.5 : f32
        %h = arith.mulf %xf, %half : f32
        %t = arith.fptosi %h : f32 to i32
        memref.store %t, %f[%i] : memref<4xi32>
      }
      func.return
    }
    """
    a = np.array([0, 1, 7, 9], np.int32)
    out, half = np.zeros(4, np.int64), np.zeros(4, np.int32)
    native(dlc.parse(text), "f")(a, out, half)
    np.testing.assert_array_equal(out, -(-a // 3) + np.arange(4))
    np.testing.assert_array_equal(half, [0, 0, 3, 4])


def test_calls_between_functions_and_scalar_results():
    text = """
    func.func private @square(%v: f32) -> f32 {
      %s = arith.mulf %v, %v : f32
      func.return %s : f32
    }
    func.func @f(%x: memref<3xf32>, %y: memref<3xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c3 = arith.constant 3 : index
      loop.for %i = %c0 to %c3 step %c1 {
        %v = memref.load %x[%i] : memref<3xf32>
        %s = func.call @square(%v) : (f32) -> f32
        memref.store %s, %y[%i] : memref<3xf32>
      }
      func.return
    }
    """
    x = np.array([1.5, -2.0, 3.0], np.float32)
    (got,), (want,) = run_both(text, "f", [x], [np.zeros(3, np.float32)])
    np.testing.assert_array_equal(got, x * x)
    np.testing.assert_array_equal(got, want)


def test_cf_branches_with_index_block_arguments():
    text = """
    func.func @f(%x: memref<2xf32>, %y: memref<2xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %v = memref.load %x[%c0] : memref<2xf32>
      %zero = arith.constant 0.0 : f32
      %neg = arith.cmpf olt, %v, %zero : f32
      cf.cond_br %neg, ^first(%c0 : index), ^second(%c1 : index)
    ^first(%i: index):
      memref.store %v, %y[%i] : memref<2xf32>
      cf.br ^done
    ^second(%j: index):
      memref.store %v, %y[%j] : memref<2xf32>
      cf.br ^done
    ^done:
      func.return
    }
    """
    for value, slot in [(-1.0, 0), (2.0, 1)]:
        x = np.array([value, 0.0], np.float32)
        y = np.zeros(2, np.float32)
        native(dlc.parse(text), "f")(x, y)
        assert y[slot] == value and y[1 - slot] == 0.0


def test_output_has_no_pointer_integer_casts_and_only_inbounds_geps():
    ir = llvm_ir_text(lower(dlc.parse(MATMUL.format(m=4, k=3, n=5))))
    assert "ptrtoint" not in ir and "inttoptr" not in ir
    geps = [line for line in ir.splitlines() if "getelementptr" in line]
    assert geps and all("getelementptr inbounds" in line for line in geps)


def test_an_op_without_a_pattern_is_a_located_diagnostic():
    text = """
    func.func @f(%x: memref<4xi32>, %y: memref<4xf32>) {
      %c0 = arith.constant 0 : index
      %v = memref.load %x[%c0] : memref<4xi32>
      %f = arith.uitofp %v : i32 to f32
      memref.store %f, %y[%c0] : memref<4xf32>
      func.return
    }
    """
    message = "loop-to-llvm: failed to lower 'arith.uitofp'"
    with pytest.raises(DiagnosticError, match=message) as info:
        lower(dlc.parse(text, "model.mlir"))
    assert info.value.location is not None and info.value.location.line == 5


def test_lowering_keeps_loops_rolled():
    """The IR size does not depend on the trip counts."""
    small = lower(dlc.parse(MATMUL.format(m=2, k=2, n=2)))
    large = lower(dlc.parse(MATMUL.format(m=200, k=300, n=100)))
    assert len(list(small.walk())) == len(list(large.walk()))


def test_an_op_of_an_unknown_dialect_is_a_located_diagnostic():
    text = """
    func.func @f(%x: memref<4xf32>, %c: i1) {
      %c0 = arith.constant 0 : index
      scf.if %c {
        %v = memref.load %x[%c0] : memref<4xf32>
        memref.store %v, %x[%c0] : memref<4xf32>
      }
      func.return
    }
    """
    message = "loop-to-llvm: failed to lower 'scf.if'; no pattern converts it"
    with pytest.raises(DiagnosticError, match=message) as info:
        lower(dlc.parse(text, "model.mlir"))
    assert info.value.location is not None and info.value.location.line == 4


def test_calls_to_external_functions_declared_in_func():
    text = """
    func.func private @cosf(f32) -> f32
    func.func @f(%x: memref<3xf32>, %y: memref<3xf32>, %i: memref<3xindex>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c3 = arith.constant 3 : index
      loop.for %k = %c0 to %c3 step %c1 {
        %v = memref.load %x[%k] : memref<3xf32>
        %s = func.call @cosf(%v) : (f32) -> f32
        memref.store %s, %y[%k] : memref<3xf32>
        %twice = arith.addi %k, %k : index
        memref.store %twice, %i[%k] : memref<3xindex>
      }
      func.return
    }
    """
    x = np.array([0.0, 1.0, 2.0], np.float32)
    y, indices = np.zeros(3, np.float32), np.zeros(3, np.int64)
    native(dlc.parse(text), "f")(x, y, indices)
    np.testing.assert_allclose(y, np.cos(x), rtol=1e-6)
    np.testing.assert_array_equal(indices, [0, 2, 4])
