"""loop-interchange permutes a band only where it provably keeps the result.

Legal permutations (every written element is touched by one iteration) compile to
bit-identical results; a band that accumulates into one element, carries
iter_args, is not rectangular or is not deep enough stays as it was, with a
remark that says why.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.loop_pass_support import apply_passes, check_preserved
from tests.support import random_array

TRANSPOSE = """
func.func @t(%x: memref<{m}x{n}x{p}xf32>, %y: memref<{p}x{m}x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant {m} : index
  %n = arith.constant {n} : index
  %p = arith.constant {p} : index
  loop.for %k = %c0 to %p step %c1 {{
    loop.for %i = %c0 to %m step %c1 {{
      loop.for %j = %c0 to %n step %c1 {{
        %v = memref.load %x[%i, %j, %k] : memref<{m}x{n}x{p}xf32>
        %w = arith.mulf %v, %v : f32
        memref.store %w, %y[%k, %i, %j] : memref<{p}x{m}x{n}xf32>
      }}
    }}
  }}
  func.return
}}
"""


def _loop_order(module: object) -> list[str]:
    return [
        line.split()[1]
        for line in str(module).splitlines()
        if line.strip().startswith("loop.for")
    ]


@pytest.mark.parametrize("m,n,p", [(1, 3, 17), (3, 1, 5), (17, 4, 3)])
@pytest.mark.parametrize("order", ["1,2,0", "2,1,0", "0,2,1", "1,0"])
def test_legal_permutations_keep_the_result(m: int, n: int, p: int, order: str):
    x = random_array(np.random.default_rng(m), (m, n, p))
    after = check_preserved(
        TRANSPOSE.format(m=m, n=n, p=p),
        f"loop-interchange{{order={order}}}",
        "t",
        [x, np.zeros((p, m, n), np.float32)],
        [1],
        same_rounding=True,
    )
    names = ["%k", "%i", "%j"]
    permuted = [names[int(position)] for position in order.split(",")]
    assert _loop_order(after) == permuted + names[len(permuted) :]


def test_annotation_names_the_band_and_is_consumed():
    text = TRANSPOSE.format(m=2, n=3, p=4).replace(
        "  }\n  func.return", "  } {interchange = array<i64: 2, 0, 1>}\n  func.return"
    )
    after = apply_passes(text, "loop-interchange")
    assert _loop_order(after) == ["%j", "%k", "%i"]
    assert "interchange" not in str(after)


PARALLEL = """
func.func @p(%x: memref<5x7xf32>, %y: memref<7x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  loop.parallel (%i, %j) = (%c0, %c0) to (%c5, %c7) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<5x7xf32>
    memref.store %v, %y[%j, %i] : memref<7x5xf32>
  }
  func.return
}
"""


def test_parallel_dims_are_permuted():
    x = random_array(np.random.default_rng(0), (5, 7))
    after = check_preserved(
        PARALLEL,
        "loop-interchange{order=1,0}",
        "p",
        [x, np.zeros((7, 5), np.float32)],
        [1],
        same_rounding=True,
    )
    assert "loop.parallel (%j, %i) = (%c0, %c0) to (%c7, %c5)" in str(after)


ACCUMULATE = """
func.func @acc(%x: memref<4x6xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c6 step %c1 {
      %v = memref.load %x[%i, %j] : memref<4x6xf32>
      %s = memref.load %y[%i] : memref<4xf32>
      %t = arith.addf %s, %v : f32
      memref.store %t, %y[%i] : memref<4xf32>
    }
  }
  func.return
}
"""

SHIFT = """
func.func @shift(%y: memref<5x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c6 step %c1 {
      %i1 = arith.addi %i, %c1 : index
      %v = memref.load %y[%i, %j] : memref<5x6xf32>
      memref.store %v, %y[%i1, %j] : memref<5x6xf32>
    }
  }
  func.return
}
"""

CARRIED = """
func.func @carried(%x: memref<4x6xf32>, %y: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0.0 : f32
  %s = loop.for %i = %c0 to %c4 step %c1 iter_args(%a = %zero) -> (f32) {
    %t = loop.for %j = %c0 to %c6 step %c1 iter_args(%b = %a) -> (f32) {
      %v = memref.load %x[%i, %j] : memref<4x6xf32>
      %u = arith.addf %b, %v : f32
      loop.yield %u : f32
    }
    loop.yield %t : f32
  }
  memref.store %s, %y[%c0] : memref<1xf32>
  func.return
}
"""

CALL = """
func.func private @sink(f32)
func.func @call(%x: memref<4x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c6 step %c1 {
      %v = memref.load %x[%i, %j] : memref<4x6xf32>
      func.call @sink(%v) : (f32) -> ()
    }
  }
  func.return
}
"""


@pytest.mark.parametrize(
    "text,order,reason",
    [
        (ACCUMULATE, "1,0", "writes one element at several iterations"),
        (SHIFT, "1,0", "accesses a buffer the loops write at other indices"),
        (CARRIED, "1,0", "only 1 perfectly nested loops (without iter_args)"),
        (CALL, "1,0", "func.call has memory effects"),
        (ACCUMULATE, "0,1,2", "only 2 perfectly nested loops"),
        (ACCUMULATE, "1,1", "is not a permutation"),
    ],
)
def test_illegal_interchanges_leave_the_ir_unchanged(
    text: str, order: str, reason: str, capsys: pytest.CaptureFixture[str]
):
    after = apply_passes(text, f"loop-interchange{{order={order} debug=true}}")
    assert reason in capsys.readouterr().err
    assert str(after) == str(apply_passes(text, "loop-interchange"))
