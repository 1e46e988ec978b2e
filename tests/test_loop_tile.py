"""loop-tile keeps what a band computes, for any sizes, and refuses illegal bands.

Sizes that divide the extents, that do not (the last tile is cut by a ``min``),
that exceed them, zero sizes (a loop left untiled), two levels, loop.parallel
bands, a loop with iter_args (tiled in order), and the bands it must leave alone.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.loop_pass_support import apply_passes, check_preserved, ops_named
from tests.support import random_array

ADD = """
func.func @add(%x: memref<{m}x{n}xf32>, %b: memref<{n}xf32>, %y: memref<{m}x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant {m} : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %m step %c1 {{
    loop.for %j = %c0 to %n step %c1 {{
      %v = memref.load %x[%i, %j] : memref<{m}x{n}xf32>
      %w = memref.load %b[%j] : memref<{n}xf32>
      %s = arith.addf %v, %w : f32
      memref.store %s, %y[%i, %j] : memref<{m}x{n}xf32>
    }}
  }}
  func.return
}}
"""


def _add_args(m: int, n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(m * 100 + n)
    return [
        random_array(rng, (m, n)),
        random_array(rng, (n,)),
        np.zeros((m, n), np.float32),
    ]


CASES = [
    (m, n, sizes)
    for m, n in [(1, 1), (17, 3), (16, 8), (127, 5)]
    for sizes in ["2,4", "3,5", "0,4", "4,0", "32,32", "8,8,2,4"]
    if m * n < 100 or sizes in ("3,5", "8,8,2,4")
]


@pytest.mark.parametrize("m,n,sizes", CASES)
def test_band_tiles_for_any_sizes(m: int, n: int, sizes: str):
    levels = 2 if sizes.count(",") == 3 else 1
    after = check_preserved(
        ADD.format(m=m, n=n),
        f"loop-tile{{sizes={sizes} levels={levels}}}",
        "add",
        _add_args(m, n),
        [2],
    )
    tiled = sum(1 for size in sizes.split(",") if size != "0")
    assert ops_named(after, "loop.for") == 2 + tiled


def test_min_only_where_the_size_does_not_divide():
    after = apply_passes(ADD.format(m=16, n=10), "loop-tile{sizes=4,4}")
    assert ops_named(after, "arith.minsi") == 1
    two_levels = apply_passes(
        ADD.format(m=16, n=16), "loop-tile{sizes=8,8,4,2 levels=2}"
    )
    assert ops_named(two_levels, "arith.minsi") == 0


PARALLEL = """
func.func @p(%x: memref<{m}x{n}xf32>, %y: memref<{m}x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant {m} : index
  %n = arith.constant {n} : index
  loop.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {{
    %v = memref.load %x[%i, %j] : memref<{m}x{n}xf32>
    %e = math.exp %v : f32
    memref.store %e, %y[%i, %j] : memref<{m}x{n}xf32>
  }} {{tile = array<i64: 2, 3>}}
  func.return
}}
"""


@pytest.mark.parametrize("m,n", [(1, 3), (5, 7), (17, 9)])
def test_parallel_band_tiles_into_parallel_loops(m: int, n: int):
    x = random_array(np.random.default_rng(m), (m, n))
    after = check_preserved(
        PARALLEL.format(m=m, n=n),
        "loop-tile",
        "p",
        [x, np.zeros((m, n), np.float32)],
        [1],
    )
    assert ops_named(after, "loop.parallel") == 2
    assert "array<i64" not in str(after)


SUM = """
func.func @sum(%x: memref<{n}xf32>, %out: memref<1xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  %zero = arith.constant 0.0 : f32
  %s = loop.for %k = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {{
    %v = memref.load %x[%k] : memref<{n}xf32>
    %a = arith.addf %acc, %v : f32
    loop.yield %a : f32
  }} {{tile = array<i64: 4>}}
  memref.store %s, %out[%c0] : memref<1xf32>
  func.return
}}
"""


@pytest.mark.parametrize("n", [1, 3, 17, 127])
def test_reduction_loop_is_strip_mined_in_order(n: int):
    x = random_array(np.random.default_rng(n), (n,))
    after = check_preserved(
        SUM.format(n=n),
        "loop-tile",
        "sum",
        [x, np.zeros(1, np.float32)],
        [1],
        rtol=1e-5,
        same_rounding=True,
    )
    assert ops_named(after, "loop.for") == 2


MATMUL = """
func.func @mm(%a: memref<{m}x{k}xf32>, %b: memref<{k}x{n}xf32>,
              %c: memref<{m}x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant {m} : index
  %n = arith.constant {n} : index
  %k = arith.constant {k} : index
  %zero = arith.constant 0.0 : f32
  loop.for %i = %c0 to %m step %c1 {{
    loop.for %j = %c0 to %n step %c1 {{
      %s = loop.for %l = %c0 to %k step %c1 iter_args(%acc = %zero) -> (f32) {{
        %x = memref.load %a[%i, %l] : memref<{m}x{k}xf32>
        %y = memref.load %b[%l, %j] : memref<{k}x{n}xf32>
        %p = arith.mulf %x, %y : f32
        %q = arith.addf %acc, %p : f32
        loop.yield %q : f32
      }}
      memref.store %s, %c[%i, %j] : memref<{m}x{n}xf32>
    }}
  }} {{tile = [array<i64: 8, 8>, array<i64: 2, 4>]}}
  func.return
}}
"""


@pytest.mark.parametrize("m,k,n", [(3, 5, 7), (17, 3, 16), (9, 17, 12)])
def test_two_level_tiling_of_a_matmul_band(m: int, k: int, n: int):
    rng = np.random.default_rng(m)
    args = [
        random_array(rng, (m, k)),
        random_array(rng, (k, n)),
        np.zeros((m, n), np.float32),
    ]
    after = check_preserved(
        MATMUL.format(m=m, k=k, n=n), "loop-tile", "mm", args, [2], rtol=1e-5
    )
    assert ops_named(after, "loop.for") == 7


ROW_SUM = """
func.func @rows(%x: memref<5x6xf32>, %y: memref<5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c5 step %c1 {
    loop.for %j = %c0 to %c6 step %c1 {
      %v = memref.load %x[%i, %j] : memref<5x6xf32>
      %s = memref.load %y[%i] : memref<5xf32>
      %t = arith.addf %s, %v : f32
      memref.store %t, %y[%i] : memref<5xf32>
    }
  }
  func.return
}
"""

TRIANGLE = """
func.func @tri(%x: memref<6x6xf32>, %y: memref<6x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c6 step %c1 {
    loop.for %j = %i to %c6 step %c1 {
      %v = memref.load %x[%i, %j] : memref<6x6xf32>
      memref.store %v, %y[%i, %j] : memref<6x6xf32>
    }
  }
  func.return
}
"""


@pytest.mark.parametrize(
    "text,sizes,reason",
    [
        (ROW_SUM, "2,2", "writes one element at several iterations"),
        (TRIANGLE, "2,2", "the band is not rectangular"),
        (ROW_SUM, "2,2,2", "only 2 perfectly nested loops"),
        (
            SUM.format(n=8).replace(" {tile = array<i64: 4>}", ""),
            "2,2",
            "only 1 perfectly nested loops",
        ),
    ],
)
def test_illegal_bands_are_left_alone(
    text: str, sizes: str, reason: str, capsys: pytest.CaptureFixture[str]
):
    before = str(apply_passes(text, "canonicalize"))
    after = apply_passes(text, f"loop-tile{{sizes={sizes} debug=true}},canonicalize")
    assert reason in capsys.readouterr().err
    assert str(after) == before


def test_tiling_only_the_outer_loop_keeps_the_order():
    rng = np.random.default_rng(0)
    after = check_preserved(
        ROW_SUM,
        "loop-tile{sizes=2,0}",
        "rows",
        [random_array(rng, (5, 6)), random_array(rng, (5,))],
        [1],
        rtol=1e-5,
        same_rounding=True,
    )
    assert ops_named(after, "loop.for") == 3
