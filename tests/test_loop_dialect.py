"""The loop dialect: the interpreter against numpy, and ops built from Python."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from xdsl.builder import ImplicitBuilder
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    FloatAttr,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    f32,
    i64,
)
from xdsl.utils.exceptions import InterpretationError, VerifyException

import dlc
from dlc.dialects import loop
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import buffer_from_numpy, call_with_buffers, numpy_view
from tests.support import random_array

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
      }} {{unroll = 4 : i64}}
      memref.store %sum, %C[%i, %j] : memref<{m}x{n}xf32>
    }}
  }}
  func.return
}}
"""


def call(text: str, function: str, *args: Any) -> tuple[Any, ...]:
    module = dlc.parse(text)
    return call_with_buffers(make_interpreter(module), function, *args)


@pytest.mark.parametrize("m,k,n", [(5, 3, 7), (1, 4, 1), (2, 1, 3)])
def test_matmul_loop_nest_matches_numpy(m: int, k: int, n: int):
    rng = np.random.default_rng(m * 100 + k * 10 + n)
    a, b = random_array(rng, (m, k)), random_array(rng, (k, n))
    c = np.full((m, n), np.nan, np.float32)
    assert call(MATMUL.format(m=m, k=k, n=n), "matmul", a, b, c) == ()
    expected = np.einsum("ik,kj->ij", a.astype(np.float64), b.astype(np.float64))
    np.testing.assert_allclose(c, expected, rtol=1e-6, atol=1e-6)


REDUCE = """
func.func @sum_and_max(%A: memref<?xf32>, %n: index) -> (f32, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -1.0e30 : f32
  %r:2 = loop.for %i = %c0 to %n step %c1 iter_args(%s = %zero, %m = %lowest)
      -> (f32, f32) {
    %x = memref.load %A[%i] : memref<?xf32>
    %s2 = arith.addf %s, %x : f32
    %m2 = arith.maximumf %m, %x : f32
    loop.yield %s2, %m2 : f32, f32
  }
  func.return %r#0, %r#1 : f32, f32
}
"""


@pytest.mark.parametrize("size", [1, 6, 17])
def test_reduction_with_iter_args_matches_numpy(size: int):
    x = random_array(np.random.default_rng(size), (size,))
    total, largest = call(REDUCE, "sum_and_max", x, size)
    assert total == pytest.approx(float(np.sum(x, dtype=np.float64)), rel=1e-6)
    assert largest == float(np.max(x))


def test_reduction_over_no_elements_gives_the_initial_values():
    total, largest = call(REDUCE, "sum_and_max", np.zeros((0,), np.float32), 0)
    assert (total, largest) == (0.0, pytest.approx(-1.0e30))


def test_parallel_loop_visits_every_point_of_a_strided_domain():
    text = """
    func.func @mark(%A: memref<5x7xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %c5 = arith.constant 5 : index
      %c7 = arith.constant 7 : index
      %one = arith.constant 1.0 : f32
      loop.parallel (%i, %j) = (%c1, %c0) to (%c5, %c7) step (%c2, %c3) {
        %old = memref.load %A[%i, %j] : memref<5x7xf32>
        %new = arith.addf %old, %one : f32
        memref.store %new, %A[%i, %j] : memref<5x7xf32>
      }
      func.return
    }
    """
    marks = np.zeros((5, 7), np.float32)
    call(text, "mark", marks)
    expected = np.zeros((5, 7), np.float32)
    expected[1:5:2, 0:7:3] = 1.0
    np.testing.assert_array_equal(marks, expected)


VECTOR_AXPY = """
func.func @axpy(%alpha: f32, %X: memref<3x32xf32>, %Y: memref<3x32xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %a = loop.splat %alpha : vector<16xf32>
  %total = loop.for %i = %c0 to %c3 step %c1 iter_args(%t = %zero) -> (f32) {
    %row = loop.for %j = %c0 to %c32 step %c16 iter_args(%r = %t) -> (f32) {
      %x = loop.vload %X[%i, %j] : memref<3x32xf32>, vector<16xf32>
      %y = loop.vload %Y[%i, %j] : memref<3x32xf32>, vector<16xf32>
      %z = loop.fma %a, %x, %y : vector<16xf32>
      loop.vstore %z, %Y[%i, %j] : memref<3x32xf32>, vector<16xf32>
      %part = loop.vreduce add %z : vector<16xf32>
      %next = arith.addf %r, %part : f32
      loop.yield %next : f32
    }
    loop.yield %row : f32
  }
  func.return %total : f32
}
"""


def test_vector_ops_compute_axpy_and_a_horizontal_sum():
    rng = np.random.default_rng(7)
    x, y = random_array(rng, (3, 32)), random_array(rng, (3, 32))
    expected = (np.float64(2.5) * x + y).astype(np.float32)
    (total,) = call(VECTOR_AXPY, "axpy", 2.5, x, y)
    np.testing.assert_allclose(y, expected, rtol=1e-6)
    assert total == pytest.approx(float(expected.sum(dtype=np.float64)), rel=1e-5)


def test_vector_reductions_max_min_mul():
    text = """
    func.func @reduce(%X: memref<4xf32>) -> (f32, f32, f32) {
      %c0 = arith.constant 0 : index
      %v = loop.vload %X[%c0] : memref<4xf32>, vector<4xf32>
      %max = loop.vreduce max %v : vector<4xf32>
      %min = loop.vreduce min %v : vector<4xf32>
      %mul = loop.vreduce mul %v : vector<4xf32>
      func.return %max, %min, %mul : f32, f32, f32
    }
    """
    x = np.array([2.0, -3.0, 0.5, 4.0], np.float32)
    assert call(text, "reduce", x) == (4.0, -3.0, -12.0)


def test_vector_access_past_the_innermost_dimension_is_an_error():
    text = """
    func.func @overrun(%X: memref<2x16xf32>) {
      %c0 = arith.constant 0 : index
      %c8 = arith.constant 8 : index
      %v = loop.vload %X[%c0, %c8] : memref<2x16xf32>, vector<16xf32>
      func.return
    }
    """
    with pytest.raises(InterpretationError, match=r"16 lanes at \(0, 8\) lie outside"):
        call(text, "overrun", np.zeros((2, 16), np.float32))


def test_a_returned_memref_comes_back_as_a_numpy_array():
    text = """
    func.func @tile_rows(%row: memref<3xf32>) -> memref<2x3xf32> {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c2 = arith.constant 2 : index
      %c3 = arith.constant 3 : index
      %out = memref.alloc() : memref<2x3xf32>
      loop.parallel (%i, %j) = (%c0, %c0) to (%c2, %c3) step (%c1, %c1) {
        %x = memref.load %row[%j] : memref<3xf32>
        memref.store %x, %out[%i, %j] : memref<2x3xf32>
      }
      func.return %out : memref<2x3xf32>
    }
    """
    row = np.array([1.0, -2.0, 0.25], np.float32)
    (out,) = call(text, "tile_rows", row)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.stack([row, row]))


def test_arguments_must_match_the_memref_type():
    text = MATMUL.format(m=2, k=2, n=2)
    a = np.zeros((2, 2), np.float32)
    wrong_dtype = r"argument 0 must be a float32 array of shape \(2, 2\).*got float64"
    with pytest.raises(dlc.DiagnosticError, match=wrong_dtype):
        call(text, "matmul", a.astype(np.float64), a, a.copy())
    wrong_shape = r"argument 1 must be .* got float32 array of shape \(2, 3\)"
    with pytest.raises(dlc.DiagnosticError, match=wrong_shape):
        call(text, "matmul", a, np.zeros((2, 3), np.float32), a.copy())
    read_only = np.ones((2, 2), np.float32)
    read_only.flags.writeable = False
    written = "stores into argument 2, but that array is read-only"
    with pytest.raises(dlc.DiagnosticError, match=written):
        call(text, "matmul", np.ones((2, 2), np.float32), a, read_only)


def test_numpy_view_aliases_the_interpreter_buffer():
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    buffer = buffer_from_numpy(array, MemRefType(f32, [2, 3]))
    view = numpy_view(buffer)
    view[1, 2] = 42.0
    assert buffer.load((1, 2)) == 42.0
    assert array[1, 2] == 5.0


def build_matmul(m: int, k: int, n: int) -> ModuleOp:
    """The MATMUL nest, built with the op constructors instead of parsed."""
    types = [MemRefType(f32, [m, k]), MemRefType(f32, [k, n]), MemRefType(f32, [m, n])]
    function = func.FuncOp("matmul", (types, []))
    with ImplicitBuilder(function.body) as (a, b, c):
        c0, c1, cm, cn, ck = (
            arith.ConstantOp.from_int_and_width(v, IndexType()) for v in (0, 1, m, n, k)
        )
        zero = arith.ConstantOp(FloatAttr(0.0, f32))
        rows = loop.ParallelOp([c0], [cm], [c1], mapping=[loop.CPU_THREAD])
        with ImplicitBuilder(rows.body) as (i,):
            cols = loop.ForOp(c0, cn, c1)
            with ImplicitBuilder(cols.body) as (j,):
                unroll = {loop.UNROLL: IntegerAttr(4, i64)}
                dot = loop.ForOp(c0, ck, c1, [zero], annotations=unroll)
                with ImplicitBuilder(dot.body) as (kk, acc):
                    x = memref.LoadOp.get(a, [i, kk])
                    y = memref.LoadOp.get(b, [kk, j])
                    product = arith.MulfOp(x, y)
                    loop.YieldOp(arith.AddfOp(acc, product))
                memref.StoreOp.get(dot.res[0], c, [i, j])
                loop.YieldOp()
            loop.YieldOp()
        func.ReturnOp()
    return ModuleOp([function])


def test_ops_built_from_python_verify_print_and_run():
    module = build_matmul(3, 2, 4)
    module.verify()
    text = str(module)
    assert "mapping [cpu.thread] {" in text and "} {unroll = 4 : i64}" in text
    assert str(dlc.parse(text)) == text
    rng = np.random.default_rng(3)
    a, b = random_array(rng, (3, 2)), random_array(rng, (2, 4))
    c = np.zeros((3, 4), np.float32)
    call_with_buffers(make_interpreter(dlc.parse(text)), "matmul", a, b, c)
    np.testing.assert_allclose(c, a.astype(np.float64) @ b, rtol=1e-6, atol=1e-6)


def test_accessors_give_trip_count_induction_variable_and_mapping():
    module = build_matmul(3, 2, 4)
    loops = [op for op in module.walk() if isinstance(op, loop.ForOp)]
    dot = loops[-1]
    assert dot.trip_count() == 2
    assert dot.induction_var is dot.body.block.args[0]
    assert len(dot.region_iter_args) == 1
    rows = next(op for op in module.walk() if isinstance(op, loop.ParallelOp))
    assert rows.mapping_names() == ("cpu.thread",)


def test_verifier_rejects_a_bad_mapping_built_from_python():
    zero, one = (arith.ConstantOp.from_int_and_width(v, IndexType()) for v in (0, 1))
    parallel = loop.ParallelOp([zero], [one], [one], mapping=["gpu.warp"])
    with ImplicitBuilder(parallel.body):
        loop.YieldOp()
    with pytest.raises(VerifyException, match="unknown mapping 'gpu.warp'"):
        parallel.verify()


SCALED_TANH = """
func.func @scaled_tanh(%x: memref<6xf32>, %y: memref<6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %two = arith.constant 2.0 : f32
  loop.for %i = %c0 to %c6 step %c1 {
    %v = memref.load %x[%i] : memref<6xf32>
    %t = math.tanh %v : f32
    %n = arith.negf %t : f32
    %q = arith.divf %n, %two : f32
    memref.store %q, %y[%i] : memref<6xf32>
  }
  func.return
}
"""


def test_loop_bodies_use_the_ops_xdsl_interpreters_lack():
    """divf, negf and tanh come from dlc's IEEE-safe scalar functions."""
    x = np.linspace(-3, 3, 6, dtype=np.float32)
    y = np.zeros(6, dtype=np.float32)
    call(SCALED_TANH, "scaled_tanh", x, y)
    np.testing.assert_allclose(y, -np.tanh(x) / 2, rtol=1e-6)
