"""loop-vectorize keeps what a loop computes, and refuses what it cannot keep.

Elementwise bodies (loads along the loop index, invariant scalars, float math),
reductions in iter_args, outer loops around inner loops, dynamic bounds, widths
that do not divide the trip count (a scalar remainder loop runs the rest), and
every kind of loop it must leave scalar, each with its remark. The interpreter
runs vectors of addf/mulf/exp/..., but not of maximumf, erf or casts: those
checks compare the compiled vector code with the interpreted original only.
"""

from __future__ import annotations

import numpy as np
import pytest

from dlc.transforms.loop_vectorize import host_vector_bytes
from tests.loop_pass_support import apply_passes, check_preserved, ops_named
from tests.support import random_array

TRIPS = [1, 3, 17, 127]

ELEMENTWISE = """
func.func @f(%x: memref<4x{n}xf32>, %b: memref<4x1xf32>, %y: memref<4x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %n = arith.constant {n} : index
  %half = arith.constant 0.5 : f32
  loop.for %i = %c0 to %c4 step %c1 {{
    loop.for %j = %c0 to %n step %c1 {{
      %v = memref.load %x[%i, %j] : memref<4x{n}xf32>
      %s = memref.load %b[%i, %c0] : memref<4x1xf32>
      %d = arith.subf %v, %s : f32
      %e = math.exp %d : f32
      %h = arith.mulf %e, %half : f32
      %t = math.tanh %h : f32
      %u = arith.addf %t, %v : f32
      memref.store %u, %y[%i, %j] : memref<4x{n}xf32>
    }} {{vectorize = {width} : i64}}
  }}
  func.return
}}
"""


def _elementwise_args(n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(n)
    return [
        random_array(rng, (4, n)),
        random_array(rng, (4, 1)),
        np.zeros((4, n), np.float32),
    ]


@pytest.mark.parametrize("n", TRIPS)
@pytest.mark.parametrize("width", [4, 8, 16])
def test_elementwise_loop_with_remainder(n: int, width: int):
    after = check_preserved(
        ELEMENTWISE.format(n=n, width=width),
        "loop-vectorize",
        "f",
        _elementwise_args(n),
        [2],
        rtol=1e-5,
    )
    vectorized = n >= width
    assert ops_named(after, "loop.vload") == (1 if vectorized else 0)
    assert ops_named(after, "loop.vstore") == (1 if vectorized else 0)
    assert ops_named(after, "loop.splat") == (2 if vectorized else 0)
    assert ops_named(after, "loop.for") == 2 + (vectorized and n % width != 0)
    assert "vectorize" not in str(after)


@pytest.mark.parametrize("n", [3, 17, 127])
def test_width_auto_vectorizes_every_innermost_loop(n: int):
    text = ELEMENTWISE.format(n=n, width=4).replace("{vectorize = 4 : i64}", "")
    after = check_preserved(
        text, "loop-vectorize{width=auto}", "f", _elementwise_args(n), [2], rtol=1e-5
    )
    widths = {str(op.result.type) for op in after.walk() if op.name == "loop.vload"}
    lanes = host_vector_bytes() // 4
    while lanes > n and lanes > 4:
        lanes //= 2
    assert widths == ({f"vector<{lanes}xf32>"} if n >= 4 else set())


REDUCTIONS = """
func.func @r(%x: memref<3x{n}xf32>, %y: memref<3x{n}xf32>, %out: memref<5x3xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %n = arith.constant {n} : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %low = arith.constant 0xFF800000 : f32
  %high = arith.constant 0x7F800000 : f32
  loop.for %i = %c0 to %c3 step %c1 {{
    %sum, %prod, %max, %min, %dot = loop.for %j = %c0 to %n step %c1
        iter_args(%s = %zero, %p = %one, %m = %low, %l = %high, %d = %zero)
        -> (f32, f32, f32, f32, f32) {{
      %v = memref.load %x[%i, %j] : memref<3x{n}xf32>
      %w = memref.load %y[%i, %j] : memref<3x{n}xf32>
      %s2 = arith.addf %s, %v : f32
      %p2 = arith.mulf %w, %p : f32
      %m2 = arith.maximumf %m, %v : f32
      %l2 = arith.minimumf %v, %l : f32
      %vw = arith.mulf %v, %w : f32
      %d2 = arith.addf %d, %vw : f32
      loop.yield %s2, %p2, %m2, %l2, %d2 : f32, f32, f32, f32, f32
    }} {{vectorize = 8 : i64}}
    memref.store %sum, %out[%c0, %i] : memref<5x3xf32>
    memref.store %prod, %out[%c1, %i] : memref<5x3xf32>
    memref.store %max, %out[%c2, %i] : memref<5x3xf32>
    memref.store %min, %out[%c3, %i] : memref<5x3xf32>
    memref.store %dot, %out[%c4, %i] : memref<5x3xf32>
  }}
  func.return
}}
"""


@pytest.mark.parametrize("n", TRIPS)
def test_reductions_become_vector_accumulators(n: int):
    rng = np.random.default_rng(n)
    x = random_array(rng, (3, n))
    y = (1 + random_array(rng, (3, n)) / 16).astype(np.float32)
    if n > 5:
        x[1, 5] = np.nan
    after = check_preserved(
        REDUCTIONS.format(n=n),
        "loop-vectorize",
        "r",
        [x, y, np.zeros((5, 3), np.float32)],
        [2],
        interpret_after=False,
        rtol=1e-5,
        atol=1e-5,
    )
    if n >= 8:
        assert ops_named(after, "loop.vreduce") == 5
        assert ops_named(after, "loop.fma") == 1


COLUMNS = """
func.func @c(%x: memref<{k}x{n}xf32>, %w: memref<{n}xf32>, %y: memref<{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %k = arith.constant {k} : index
  %n = arith.constant {n} : index
  %zero = arith.constant 0.0 : f32
  loop.for %j = %c0 to %n step %c1 {{
    %s = loop.for %r = %c0 to %k step %c1 iter_args(%acc = %zero) -> (f32) {{
      %v = memref.load %x[%r, %j] : memref<{k}x{n}xf32>
      %a = arith.addf %acc, %v : f32
      loop.yield %a : f32
    }}
    %scale = memref.load %w[%j] : memref<{n}xf32>
    %t = arith.mulf %s, %scale : f32
    memref.store %t, %y[%j] : memref<{n}xf32>
  }}
  func.return
}}
"""


@pytest.mark.parametrize("k,n", [(1, 17), (3, 4), (17, 33), (127, 9)])
def test_outer_loop_vectorizes_across_its_index(k: int, n: int):
    rng = np.random.default_rng(k)
    args = [random_array(rng, (k, n)), random_array(rng, (n,)), np.zeros(n, np.float32)]
    after = check_preserved(
        COLUMNS.format(k=k, n=n),
        "loop-vectorize{width=4}",
        "c",
        args,
        [2],
        rtol=1e-5,
        atol=1e-5,
    )
    assert ops_named(after, "loop.vload") == 2
    assert ops_named(after, "loop.vreduce") == 0
    annotated = COLUMNS.format(k=k, n=n).replace(
        f"    memref.store %t, %y[%j] : memref<{n}xf32>\n  }}",
        f"    memref.store %t, %y[%j] : memref<{n}xf32>\n  }} {{vectorize = 4 : i64}}",
    )
    check_preserved(annotated, "loop-vectorize", "c", args, [2], rtol=1e-5, atol=1e-5)


ROWS = """
func.func @rows(%x: memref<3x{n}xf32>, %y: memref<3x1xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %n = arith.constant {n} : index
  %low = arith.constant 0xFF800000 : f32
  loop.for %i = %c0 to %c3 step %c1 {{
    loop.for %j = %c0 to %c1 step %c1 {{
      %m = loop.for %k = %c0 to %n step %c1 iter_args(%acc = %low) -> (f32) {{
        %v = memref.load %x[%i, %k] : memref<3x{n}xf32>
        %a = arith.maximumf %acc, %v : f32
        loop.yield %a : f32
      }}
      memref.store %m, %y[%i, %j] : memref<3x1xf32>
    }} {{vectorize = 8 : i64}}
  }}
  func.return
}}
"""


@pytest.mark.parametrize("n", [3, 17, 127])
def test_annotated_output_loop_of_a_row_reduction_vectorizes_the_row(
    n: int, capsys: pytest.CaptureFixture[str]
):
    x = random_array(np.random.default_rng(n), (3, n))
    after = check_preserved(
        ROWS.format(n=n),
        "loop-vectorize{debug=true}",
        "rows",
        [x, np.zeros((3, 1), np.float32)],
        [1],
        interpret_after=False,
    )
    assert ops_named(after, "loop.vreduce") == (1 if n >= 8 else 0)
    assert "its trip count 1 is below the width 8" in capsys.readouterr().err


PARTIAL = """
func.func @mm(%a: memref<3x{k}xf32>, %b: memref<{k}x{n}xf32>, %c: memref<3x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %k = arith.constant {k} : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %c3 step %c1 {{
    loop.for %j = %c0 to %n step %c1 {{
      %partial = memref.load %c[%i, %j] : memref<3x{n}xf32>
      %s = loop.for %l = %c0 to %k step %c1 iter_args(%acc = %partial) -> (f32) {{
        %x = memref.load %a[%i, %l] : memref<3x{k}xf32>
        %y = memref.load %b[%l, %j] : memref<{k}x{n}xf32>
        %p = arith.mulf %x, %y : f32
        %q = arith.addf %acc, %p : f32
        loop.yield %q : f32
      }}
      memref.store %s, %c[%i, %j] : memref<3x{n}xf32>
    }} {{vectorize = 8 : i64}}
  }}
  func.return
}}
"""


@pytest.mark.parametrize("k,n", [(1, 8), (5, 17), (17, 127)])
def test_accumulator_kept_in_the_output_buffer(k: int, n: int):
    rng = np.random.default_rng(k)
    args = [
        random_array(rng, (3, k)),
        random_array(rng, (k, n)),
        random_array(rng, (3, n)),
    ]
    after = check_preserved(
        PARTIAL.format(k=k, n=n),
        "loop-vectorize",
        "mm",
        args,
        [2],
        rtol=1e-5,
        atol=1e-5,
    )
    assert ops_named(after, "loop.fma") == 1
    assert ops_named(after, "loop.splat") == 1


TILED = """
func.func @t(%x: memref<5x{n}xf32>, %y: memref<5x{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %c5 step %c1 {{
    loop.for %j = %c0 to %n step %c1 {{
      %v = memref.load %x[%i, %j] : memref<5x{n}xf32>
      %w = arith.mulf %v, %v : f32
      memref.store %w, %y[%i, %j] : memref<5x{n}xf32>
    }} {{vectorize = 4 : i64}}
  }}
  func.return
}}
"""


@pytest.mark.parametrize("n", [4, 17, 127])
def test_tiled_point_loop_with_dynamic_bounds(n: int):
    x = random_array(np.random.default_rng(n), (5, n))
    after = check_preserved(
        TILED.format(n=n),
        "loop-tile{sizes=2,10},loop-vectorize",
        "t",
        [x, np.zeros((5, n), np.float32)],
        [1],
    )
    assert ops_named(after, "loop.vstore") == 1
    assert ops_named(after, "arith.divsi") == 1


PARALLEL = """
func.func @p(%x: memref<{n}xf16>, %y: memref<{n}xf16>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  loop.parallel (%i) = (%c0) to (%n) step (%c1) {{
    %v = memref.load %x[%i] : memref<{n}xf16>
    %w = arith.extf %v : f16 to f32
    %e = math.erf %w : f32
    %m = arith.maximumf %e, %w : f32
    %t = arith.truncf %m : f32 to f16
    memref.store %t, %y[%i] : memref<{n}xf16>
  }} {{vectorize = 8 : i64}}
  func.return
}}
"""


@pytest.mark.parametrize("n", TRIPS)
def test_parallel_loop_with_casts_and_libm_calls(n: int):
    x = random_array(np.random.default_rng(n), (n,), "float16")
    after = check_preserved(
        PARALLEL.format(n=n),
        "loop-vectorize",
        "p",
        [x, np.zeros(n, np.float16)],
        [1],
        interpret_after=False,
        rtol=1e-3,
        atol=1e-3,
    )
    if n >= 8:
        assert ops_named(after, "loop.parallel") == 1 + (n % 8 != 0)
        assert ops_named(after, "loop.vload") == 1


REFUSAL = """
func.func @no(%x: memref<16x16xf32>, %y: memref<16x16xf32>, %k: memref<16xi32>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %n = arith.constant 7 : index
  %z = arith.constant 0.0 : f32
  loop.for %j = %c0 to %n step {step} {{
    {body}
  }} {{vectorize = 4 : i64}}
  func.return
}}
"""

COPY = """%v = memref.load %x[%c0, %j] : memref<16x16xf32>
    memref.store %v, %y[%c0, %j] : memref<16x16xf32>"""

REFUSED = {
    "a step of 2": ("%c2", COPY, "its step is not 1"),
    "a gather": (
        "%c1",
        COPY.replace("%x[%c0, %j]", "%x[%j, %c0]"),
        "a gather or scatter",
    ),
    "a strided index": (
        "%c1",
        "%j2 = arith.muli %j, %c2 : index\n    "
        + COPY.replace("%x[%c0, %j]", "%x[%c0, %j2]"),
        "arith.muli of the loop index",
    ),
    "a store to one element": (
        "%c1",
        COPY.replace("%y[%c0, %j]", "%y[%c0, %c0]"),
        "memref.store to one element from every lane",
    ),
    "a read of what the loop writes": (
        "%c1",
        "%j1 = arith.addi %j, %c1 : index\n    "
        + COPY.replace("%x[%c0, %j]", "%y[%c0, %j1]"),
        "accesses a buffer the loop writes at other indices",
    ),
    "a select on a vector condition": (
        "%c1",
        """%v = memref.load %x[%c0, %j] : memref<16x16xf32>
    %pos = arith.cmpf ogt, %v, %z : f32
    %u = arith.select %pos, %v, %z : f32
    memref.store %u, %y[%c0, %j] : memref<16x16xf32>""",
        "arith.cmpf of values that differ between lanes",
    ),
    "an integer comparison": (
        "%c1",
        """%v = memref.load %k[%j] : memref<16xi32>
    %c = arith.constant 3 : i32
    %p = arith.cmpi sgt, %v, %c : i32
    %f = memref.load %x[%c0, %j] : memref<16x16xf32>
    %u = arith.select %p, %f, %z : f32
    memref.store %u, %y[%c0, %j] : memref<16x16xf32>""",
        "a value of type i32 differs between lanes",
    ),
    "integer data": (
        "%c1",
        """%v = memref.load %k[%j] : memref<16xi32>
    %u = arith.addi %v, %v : i32
    memref.store %u, %k[%j] : memref<16xi32>""",
        "a value of type i32 differs between lanes",
    ),
    "a float to integer cast": (
        "%c1",
        """%v = memref.load %x[%c0, %j] : memref<16x16xf32>
    %u = arith.fptosi %v : f32 to i32
    memref.store %u, %k[%j] : memref<16xi32>""",
        "arith.fptosi on vectors is not lowered",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_loops_it_cannot_vectorize_stay_scalar(
    case: str, capsys: pytest.CaptureFixture[str]
):
    step, body, reason = REFUSED[case]
    text = REFUSAL.format(step=step, body=body)
    after = apply_passes(text, "loop-vectorize{debug=true}")
    assert ops_named(after, "loop.vload") + ops_named(after, "loop.vstore") == 0
    assert reason in capsys.readouterr().err
    rng = np.random.default_rng(0)
    args = [random_array(rng, (16, 16)), random_array(rng, (16, 16))]
    integers = rng.integers(-100, 100, 16).astype(np.int32)
    check_preserved(text, "loop-vectorize", "no", [*args, integers], [1, 2])


def test_unused_ops_are_left_out_of_the_vector_loop():
    unused = "%dead = arith.mulf %v, %v : f32\n    %j2 = arith.muli %j, %c2 : index"
    text = COPY.replace("memref.store", unused + "\n    memref.store")
    after = apply_passes(REFUSAL.format(step="%c1", body=text), "loop-vectorize")
    assert ops_named(after, "loop.vstore") == 1
    assert ops_named(after, "arith.mulf") == 1


def test_vectorized_loops_are_left_as_they_are(capsys: pytest.CaptureFixture[str]):
    text = ELEMENTWISE.format(n=32, width=8)
    once = apply_passes(text, "loop-vectorize")
    twice = apply_passes(str(once), "loop-vectorize{width=8 debug=true}")
    assert ops_named(twice, "loop.vload") == 1
    assert "it is vectorized already" in capsys.readouterr().err


def test_unknown_width_option_is_an_error():
    with pytest.raises(ValueError, match="width must be 0, auto or a vector width"):
        apply_passes(ELEMENTWISE.format(n=8, width=4), "loop-vectorize{width=5}")
