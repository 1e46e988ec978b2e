"""Reductions over a dim of size 0 compile and agree with the reference.

nn-to-tensor weighted a mean's terms by ``1 / count`` and raised
ZeroDivisionError when the count was 0 (reduce_mean, layer_norm and rms_norm over
an empty dim: an internal compiler error of dlc-cpu, a traceback out of
dlc.compile). The reference's reduce_max raised ValueError where the compiled code
gave its init -inf. Over no elements: sum 0, mean NaN, max -inf.
"""

import numpy as np
import pytest

import dlc

REDUCE = """func.func @f(%x: tensor<3x0xf32>) -> tensor<3xf32> {
  %m = nn.KIND %x {axes = array<i64: 1>} : tensor<3x0xf32> -> tensor<3xf32>
  func.return %m : tensor<3xf32>
}
"""


@pytest.mark.parametrize(
    ("kind", "value"),
    [("reduce_sum", 0.0), ("reduce_mean", np.nan), ("reduce_max", -np.inf)],
)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_reduction_of_nothing_is_its_identity_or_nan(kind: str, value: float):
    text = REDUCE.replace("KIND", kind)
    x = np.zeros((3, 0), np.float32)
    got = dlc.compile(text)(x)
    want = dlc.interpret(dlc.parse(text), "f", x)
    np.testing.assert_array_equal(got, np.full(3, value, np.float32))
    np.testing.assert_array_equal(want, got)


@pytest.mark.parametrize(
    "norm",
    [
        "nn.rms_norm %x, %g : (tensor<0x4xf16>, tensor<4xf16>)",
        "nn.layer_norm %x, %g, %g : (tensor<0x4xf16>, tensor<4xf16>, tensor<4xf16>)",
    ],
)
def test_normalizing_an_empty_tensor_compiles(norm: str):
    text = f"""func.func @f(%x: tensor<0x4xf16>, %g: tensor<4xf16>)
    -> tensor<0x4xf16> {{
  %0 = {norm} -> tensor<0x4xf16>
  %1 = nn.rms_norm %0, %0 {{axis = 0}}
      : (tensor<0x4xf16>, tensor<0x4xf16>) -> tensor<0x4xf16>
  func.return %1 : tensor<0x4xf16>
}}
"""
    out = dlc.compile(text)(np.zeros((0, 4), np.float16), np.ones(4, np.float16))
    assert out.shape == (0, 4)
