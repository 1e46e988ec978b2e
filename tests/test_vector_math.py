"""exp, tanh and erf on f32 vectors, compiled, against float64 references.

loop-to-llvm computes them with polynomials (dlc/lowering/llvm_patterns/
vector_math.py). This pins their accuracy over the whole float range, with the
special values: NaN stays NaN, exp overflows to inf and underflows through the
denormals to 0, tanh and erf keep the sign of zero and stay within their bound
of ±1 at ±inf.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import dlc
from tests.loop_pass_support import native

KERNEL = """
func.func @f(%x: memref<{n}xf32>, %y: memref<{n}xf32>) {{
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %n = arith.constant {n} : index
  loop.for %i = %c0 to %n step %c16 {{
    %v = loop.vload %x[%i] : memref<{n}xf32>, vector<16xf32>
    %w = math.{function} %v : vector<16xf32>
    loop.vstore %w, %y[%i] : memref<{n}xf32>, vector<16xf32>
  }}
  func.return
}}
"""

SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 1e-38, 3.4e38, -3.4e38]


def _run(function: str, x: np.ndarray) -> np.ndarray:
    padded = np.concatenate([x, np.zeros(-len(x) % 16, np.float32)])
    y = np.empty_like(padded)
    native(dlc.parse(KERNEL.format(n=len(padded), function=function)), "f")(padded, y)
    return y[: len(x)]


def _inputs(low: float, high: float) -> np.ndarray:
    grid = np.linspace(low, high, 200_003, dtype=np.float32)
    tiny = np.geomspace(1e-30, 1.0, 2000, dtype=np.float32)
    return np.concatenate([grid, tiny, -tiny, np.array(SPECIAL, np.float32)])


def test_exp_is_within_one_ulp_and_handles_the_extremes():
    x = _inputs(-110.0, 95.0)
    got = _run("exp", x)
    with np.errstate(over="ignore"):
        want = np.exp(x.astype(np.float64))
        finite = np.isfinite(want.astype(np.float32)) & (
            want > np.finfo(np.float32).tiny
        )
    ulps = np.abs(got[finite] - want[finite]) / np.spacing(
        want[finite].astype(np.float32)
    )
    assert ulps.max() <= 1.0
    assert np.all(np.isinf(got[x > 88.73]))
    assert np.all(got[x < -104.0] == 0.0)
    denormal = (x > -103.0) & (x < -88.0)
    np.testing.assert_allclose(got[denormal], want[denormal], rtol=0, atol=1.5e-45)
    assert np.isnan(got[np.isnan(x)]).all()


@pytest.mark.parametrize(
    "function,reference,bound",
    [("tanh", np.tanh, 4e-7), ("erf", np.vectorize(math.erf), 4.3e-7)],
)
def test_tanh_and_erf_are_within_their_bound(function: str, reference, bound: float):
    x = _inputs(-10.0, 10.0)
    got = _run(function, x)
    finite = np.isfinite(x)
    want = reference(x[finite].astype(np.float64))
    error = np.abs(got[finite] - want)
    assert error.max() <= bound
    assert (error / np.maximum(np.abs(want), 1e-30)).max() <= bound
    assert np.isnan(got[np.isnan(x)]).all()
    assert abs(got[x == np.inf][0] - 1) <= bound
    assert abs(got[x == -np.inf][0] + 1) <= bound
    assert np.signbit(got[(x == 0) & np.signbit(x)]).all()
