"""loop-unroll keeps what a loop computes, for any trip count and factor.

Trip counts that the factor divides, that it does not (a remainder loop runs the
rest), that are smaller (the loop unrolls completely) and dynamic bounds (the
split point is computed at run time); reductions carried in iter_args; outer
loops holding inner loops; one-dimensional loop.parallel ops.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.loop_pass_support import apply_passes, check_preserved, ops_named
from tests.support import random_array

SCALE = """
func.func @scale(%x: memref<{n}xf32>, %y: memref<{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  %two = arith.constant 2.0 : f32
  loop.for %i = %c0 to %n step %c1 {{
    %v = memref.load %x[%i] : memref<{n}xf32>
    %d = arith.mulf %v, %two : f32
    memref.store %d, %y[%i] : memref<{n}xf32>
  }} {{unroll = {factor} : i64}}
  func.return
}}
"""

SUM = """
func.func @sum(%x: memref<{n}xf32>, %out: memref<2xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %s, %p = loop.for %i = %c0 to %n step %c1 iter_args(%a = %zero, %b = %one)
      -> (f32, f32) {{
    %v = memref.load %x[%i] : memref<{n}xf32>
    %a2 = arith.addf %a, %v : f32
    %b2 = arith.mulf %b, %v : f32
    loop.yield %a2, %b2 : f32, f32
  }} {{unroll = {factor} : i64}}
  memref.store %s, %out[%c0] : memref<2xf32>
  memref.store %p, %out[%c1] : memref<2xf32>
  func.return
}}
"""

TRIPS = [1, 3, 17, 127]


@pytest.mark.parametrize("n", TRIPS)
@pytest.mark.parametrize("factor", [2, 4, 5])
def test_elementwise_loop_unrolls_with_remainder(n: int, factor: int):
    x = random_array(np.random.default_rng(n), (n,))
    after = check_preserved(
        SCALE.format(n=n, factor=factor),
        "loop-unroll",
        "scale",
        [x, np.zeros(n, np.float32)],
        [1],
    )
    loops = ops_named(after, "loop.for")
    if n <= factor:
        assert loops == 0, "a short constant loop unrolls completely"
    else:
        assert loops == (1 if n % factor == 0 else 2)
        assert ops_named(after, "arith.mulf") == factor + (1 if n % factor else 0)
    assert "unroll" not in str(after)


@pytest.mark.parametrize("n", TRIPS)
@pytest.mark.parametrize("factor", [2, 3, 8])
def test_reduction_carries_iter_args_through_the_copies(n: int, factor: int):
    x = (1 + random_array(np.random.default_rng(n), (n,)) / 8).astype(np.float32)
    check_preserved(
        SUM.format(n=n, factor=factor),
        "loop-unroll",
        "sum",
        [x, np.zeros(2, np.float32)],
        [1],
        rtol=1e-5,
    )


def test_unroll_one_means_never():
    after = apply_passes(SCALE.format(n=17, factor=1), "loop-unroll{factor=4}")
    assert ops_named(after, "loop.for") == 1
    assert ops_named(after, "arith.mulf") == 1
    assert "unroll" not in str(after)


NEST = """
func.func @nest(%x: memref<{m}x{n}xf32>, %y: memref<{m}x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant {m} : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %m step %c1 {{
    loop.for %j = %c0 to %n step %c1 {{
      %v = memref.load %x[%i, %j] : memref<{m}x{n}xf32>
      %w = math.exp %v : f32
      memref.store %w, %y[%i, %j] : memref<{m}x{n}xf32>
    }}
  }} {{unroll = 2 : i64}}
  func.return
}}
"""


@pytest.mark.parametrize("m,n", [(1, 3), (3, 17), (17, 5)])
def test_outer_loop_unrolls_with_its_inner_loop(m: int, n: int):
    x = random_array(np.random.default_rng(m), (m, n))
    check_preserved(
        NEST.format(m=m, n=n),
        "loop-unroll",
        "nest",
        [x, np.zeros((m, n), np.float32)],
        [1],
    )


@pytest.mark.parametrize("n", TRIPS)
def test_every_innermost_loop_with_the_factor_option(n: int):
    x = random_array(np.random.default_rng(n), (3, n))
    after = check_preserved(
        NEST.format(m=3, n=n).replace("{unroll = 2 : i64}", ""),
        "loop-unroll{factor=4}",
        "nest",
        [x, np.zeros((3, n), np.float32)],
        [1],
    )
    copies = n if n <= 4 else 4 + (1 if n % 4 else 0)
    assert ops_named(after, "math.exp") == copies


TILED = """
func.func @tiled(%x: memref<{n}xf32>, %y: memref<{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %n = arith.constant {n} : index
  loop.for %t = %c0 to %n step %c7 {{
    %next = arith.addi %t, %c7 : index
    %end = arith.minsi %next, %n : index
    loop.for %i = %t to %end step %c1 {{
      %v = memref.load %x[%i] : memref<{n}xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %y[%i] : memref<{n}xf32>
    }} {{unroll = 3 : i64}}
  }}
  func.return
}}
"""


@pytest.mark.parametrize("n", TRIPS)
def test_dynamic_bounds_split_at_run_time(n: int):
    x = random_array(np.random.default_rng(n), (n,))
    after = check_preserved(
        TILED.format(n=n), "loop-unroll", "tiled", [x, np.zeros(n, np.float32)], [1]
    )
    assert ops_named(after, "arith.divsi") == 1


DYNAMIC_STEP = """
func.func @strided(%x: memref<40xf32>, %y: memref<40xf32>, %lb: index, %ub: index,
                   %step: index) {
  loop.for %i = %lb to %ub step %step {
    %v = memref.load %x[%i] : memref<40xf32>
    %w = arith.subf %v, %v : f32
    %u = arith.addf %w, %v : f32
    memref.store %u, %y[%i] : memref<40xf32>
  } {unroll = 4 : i64}
  func.return
}
"""


@pytest.mark.parametrize(
    "lb,ub,step", [(0, 40, 1), (3, 40, 3), (5, 5, 2), (7, 3, 1), (1, 38, 5)]
)
def test_dynamic_step_and_empty_ranges(lb: int, ub: int, step: int):
    x = random_array(np.random.default_rng(0), (40,))
    check_preserved(
        DYNAMIC_STEP,
        "loop-unroll",
        "strided",
        [x, np.zeros(40, np.float32), lb, ub, step],
        [1],
    )


PARALLEL = """
func.func @par(%x: memref<{n}xf32>, %y: memref<{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  loop.parallel (%i) = (%c0) to (%n) step (%c1) {{
    %v = memref.load %x[%i] : memref<{n}xf32>
    %w = math.sqrt %v : f32
    memref.store %w, %y[%i] : memref<{n}xf32>
  }} {{unroll = 4 : i64}}
  func.return
}}
"""


@pytest.mark.parametrize("n", TRIPS)
def test_one_dimensional_parallel_loop_unrolls(n: int):
    x = np.abs(random_array(np.random.default_rng(n), (n,)))
    after = check_preserved(
        PARALLEL.format(n=n), "loop-unroll", "par", [x, np.zeros(n, np.float32)], [1]
    )
    if n > 4:
        assert ops_named(after, "loop.parallel") == (1 if n % 4 == 0 else 2)


def test_mapped_parallel_loop_is_left_alone_with_a_remark(
    capsys: pytest.CaptureFixture[str],
):
    text = PARALLEL.format(n=17).replace(
        "step (%c1) {", "step (%c1) mapping [cpu.thread] {"
    )
    after = apply_passes(text, "loop-unroll{debug=true}")
    assert ops_named(after, "math.sqrt") == 1
    assert (
        "cannot unroll a loop.parallel mapped to cpu.thread" in capsys.readouterr().err
    )
