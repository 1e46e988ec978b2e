"""The reference interpreter runs what loop-vectorize makes of every nn op.

Found by tests/test_pass_properties.py, which interprets the module after each
dlc-cpu pass: vectorized loops stopped the interpreter with ``TypeError: only
0-dimensional arrays can be converted to Python scalars`` (xDSL's
``arith.maximumf``/``minimumf`` and dlc's ``math.erf`` took scalars only) and
``element type vector<4xf16> has no numpy dtype`` (``arith.truncf`` to an f16
vector). The interpreter now computes them on vectors, NaN and signed zeros
as IEEE's maximum and minimum say (so ``maximumf(-0.0, 0.0)`` is +0.0 where
the nn reference's ``np.maximum`` gives -0.0: equal values).
"""

import numpy as np
import pytest

import dlc
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import call_with_buffers
from tests.test_pass_properties import pipeline_stages

CASES = {
    "relu_f32": ("nn.relu %x : tensor<2x8xf32>", "f32"),
    "erf_f32": ("nn.erf %x : tensor<2x8xf32>", "f32"),
    "max_pool_f32": (
        "nn.max_pool2d %x {kernel = array<i64: 1, 2>} "
        ": tensor<1x2x2x8xf32> -> tensor<1x2x2x7xf32>",
        "f32",
    ),
    "relu_f16": ("nn.relu %x : tensor<2x8xf16>", "f16"),
}


@pytest.mark.parametrize("case", CASES)
def test_vectorized_op_runs_and_matches_the_nn_reference(case: str):
    line, element = CASES[case]
    in_type = line.rsplit(": ", 1)[1].split(" -> ")[0]
    out_type = line.rsplit(" ", 1)[1]
    text = (
        f"func.func @f(%x: {in_type}) -> {out_type} {{\n"
        f"  %r = {line}\n  func.return %r : {out_type}\n}}\n"
    )
    module = dlc.parse(text)
    shape = tuple(int(d) for d in in_type[7:-1].split("x")[:-1])
    x = np.linspace(-2.0, 2.0, num=int(np.prod(shape))).reshape(shape)
    x = x.astype(np.float16 if element == "f16" else np.float32)
    expected = dlc.interpret(module, "f", x)
    vectorized = dict(pipeline_stages(module, until="loop-vectorize"))
    loops = vectorized["loop-vectorize"]
    assert "vector<" in str(loops)
    out = np.zeros(expected.shape, expected.dtype)
    call_with_buffers(make_interpreter(loops), "f", x, out)
    np.testing.assert_allclose(out, expected, rtol=1e-3, atol=1e-3)
