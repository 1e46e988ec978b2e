"""loop-hoist moves invariant work out of loops, and nothing that could change.

Pure ops and loads of buffers the loop never writes leave the loop (also out of
reduction loops); loads of written buffers, loads out of loops that may not run,
and divisions that could trap stay where they are.
"""

from __future__ import annotations

import numpy as np
import pytest
from xdsl.dialects import memref

from tests.loop_pass_support import apply_passes, check_preserved
from tests.support import random_array

NORMALIZE = """
func.func @norm(%x: memref<{m}x{n}xf32>, %out: memref<{m}x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant {m} : index
  %n = arith.constant {n} : index
  %zero = arith.constant 0.0 : f32
  %count = arith.constant {n}.0 : f32
  %mean = memref.alloc() : memref<{m}x1xf32>
  loop.for %i = %c0 to %m step %c1 {{
    %s = loop.for %j = %c0 to %n step %c1 iter_args(%a = %zero) -> (f32) {{
      %v = memref.load %x[%i, %j] : memref<{m}x{n}xf32>
      %b = arith.addf %a, %v : f32
      loop.yield %b : f32
    }}
    %avg = arith.divf %s, %count : f32
    memref.store %avg, %mean[%i, %c0] : memref<{m}x1xf32>
  }}
  loop.for %i = %c0 to %m step %c1 {{
    %var = loop.for %j = %c0 to %n step %c1 iter_args(%a = %zero) -> (f32) {{
      %v = memref.load %x[%i, %j] : memref<{m}x{n}xf32>
      %mu = memref.load %mean[%i, %c0] : memref<{m}x1xf32>
      %d = arith.subf %v, %mu : f32
      %sq = arith.mulf %d, %d : f32
      %b = arith.addf %a, %sq : f32
      loop.yield %b : f32
    }}
    loop.for %j = %c0 to %n step %c1 {{
      %v = memref.load %x[%i, %j] : memref<{m}x{n}xf32>
      %mu = memref.load %mean[%i, %c0] : memref<{m}x1xf32>
      %scale = arith.divf %var, %count : f32
      %d = arith.subf %v, %mu : f32
      %r = arith.divf %d, %scale : f32
      memref.store %r, %out[%i, %j] : memref<{m}x{n}xf32>
    }}
  }}
  memref.dealloc %mean : memref<{m}x1xf32>
  func.return
}}
"""


def _depth_of_loads(module: object, name: str) -> list[int]:
    """How many loops enclose each load whose result is named ``%name``."""
    depths: list[int] = []
    for op in module.walk():  # type: ignore[attr-defined]
        if isinstance(op, memref.LoadOp) and op.res.name_hint == name:
            depth, parent = 0, op.parent_op()
            while parent is not None:
                depth += parent.name in ("loop.for", "loop.parallel")
                parent = parent.parent_op()
            depths.append(depth)
    return depths


@pytest.mark.parametrize("m,n", [(1, 1), (3, 17), (5, 127)])
def test_invariant_loads_leave_reduction_and_elementwise_loops(m: int, n: int):
    x = random_array(np.random.default_rng(n), (m, n))
    after = check_preserved(
        NORMALIZE.format(m=m, n=n),
        "loop-hoist",
        "norm",
        [x, np.zeros((m, n), np.float32)],
        [1],
        rtol=1e-4,
        atol=1e-5,
        same_rounding=True,
    )
    assert _depth_of_loads(after, "mu") == [1, 1]
    text = str(after)
    assert text.index("%scale = arith.divf") < text.index("%d_1 = arith.subf")


WRITTEN = """
func.func @w(%x: memref<8xf32>, %y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  loop.for %i = %c0 to %c8 step %c1 {
    %first = memref.load %y[%c0] : memref<8xf32>
    %v = memref.load %x[%i] : memref<8xf32>
    %s = arith.addf %first, %v : f32
    memref.store %s, %y[%i] : memref<8xf32>
  }
  func.return
}
"""


def test_load_of_a_buffer_the_loop_writes_stays():
    rng = np.random.default_rng(0)
    after = check_preserved(
        WRITTEN,
        "loop-hoist",
        "w",
        [random_array(rng, (8,)), random_array(rng, (8,))],
        [1],
    )
    assert _depth_of_loads(after, "first") == [1]


MAYBE_EMPTY = """
func.func @e(%x: memref<8xf32>, %y: memref<8xf32>, %n: index, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  loop.for %i = %c0 to %n step %c1 {
    %far = memref.load %x[%k] : memref<8xf32>
    %q = arith.divsi %k, %n : index
    %third = arith.divsi %k, %c8 : index
    %w = arith.index_cast %q : index to i64
    %t = arith.index_cast %third : index to i64
    %sum = arith.addi %w, %t : i64
    %f = arith.sitofp %sum : i64 to f32
    %g = arith.addf %far, %f : f32
    memref.store %g, %y[%i] : memref<8xf32>
  }
  func.return
}
"""


@pytest.mark.parametrize("n,k", [(0, 100), (3, 5), (8, 7)])
def test_loads_from_loops_that_may_not_run_and_divisions_stay(n: int, k: int):
    rng = np.random.default_rng(n)
    after = check_preserved(
        MAYBE_EMPTY,
        "loop-hoist",
        "e",
        [random_array(rng, (8,)), np.zeros(8, np.float32), n, k],
        [1],
    )
    assert _depth_of_loads(after, "far") == [1]
    body = str(after).split("loop.for")[1]
    assert "arith.divsi %k, %n" in body
    assert "arith.divsi %k, %c8" not in body


def test_hoisting_is_idempotent():
    once = apply_passes(NORMALIZE.format(m=3, n=5), "loop-hoist")
    assert str(apply_passes(str(once), "loop-hoist")) == str(once)
