"""The reference interpreter on nn shape ops, against hand-written numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import Float32Type, TensorType
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import i64_array
from dlc.dialects.nn.shape import SliceOp
from tests.support import random_array, run_function

RNG = np.random.default_rng(0)


def run_single(op: str, props: str, x: np.ndarray, out_type: str) -> np.ndarray:
    """Run ``%r = <op> %x <props> : <type of x> -> <out_type>`` on ``x``."""
    in_type = tensor_type(x.shape, x.dtype)
    text = f"""
    func.func @f(%x: {in_type}) -> {out_type} {{
      %r = {op} %x {props} : {in_type} -> {out_type}
      func.return %r : {out_type}
    }}
    """
    out = run_function(text, x)
    assert out.dtype == x.dtype
    return out


ELEMENT_TYPES = {"float16": "f16", "float32": "f32", "float64": "f64"}


def tensor_type(shape: tuple[int, ...], dtype: Any = "float32") -> str:
    element = ELEMENT_TYPES[np.dtype(dtype).name]
    return f"tensor<{''.join(f'{d}x' for d in shape)}{element}>"


def test_reshape_keeps_row_major_order():
    x = random_array(RNG, (2, 3, 4))
    out = run_single("nn.reshape", "{shape = array<i64: 4, 6>}", x, "tensor<4x6xf32>")
    np.testing.assert_array_equal(out, x.ravel().reshape(4, 6))


def test_reshape_to_and_from_rank_0():
    x = np.array([[2.5]], dtype=np.float64)
    out = run_single("nn.reshape", "{shape = array<i64>}", x, "tensor<f64>")
    assert out.shape == () and out == 2.5


def test_transpose_with_negative_perm_entries():
    x = random_array(RNG, (2, 3, 5))
    out = run_single(
        "nn.transpose", "{perm = array<i64: -1, 0, 1>}", x, "tensor<5x2x3xf32>"
    )
    expected = np.empty((5, 2, 3), np.float32)
    for i, j, k in np.ndindex(5, 2, 3):
        expected[i, j, k] = x[j, k, i]
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize(
    ("axis", "shape"),
    [(None, (2, 12)), (0, (1, 24)), (3, (24, 1)), (-1, (6, 4)), (-3, (1, 24))],
)
def test_flatten_splits_dims_at_axis(axis: int | None, shape: tuple[int, int]):
    x = random_array(RNG, (2, 3, 4))
    props = "" if axis is None else f"{{axis = {axis}}}"
    out = run_single("nn.flatten", props, x, tensor_type(shape))
    np.testing.assert_array_equal(out, x.reshape(shape))


def test_squeeze_and_unsqueeze_use_onnx_axes():
    x = random_array(RNG, (1, 4, 1))
    squeezed = run_single(
        "nn.squeeze", "{axes = array<i64: -1, 0>}", x, "tensor<4xf32>"
    )
    np.testing.assert_array_equal(squeezed, x[0, :, 0])
    y = random_array(RNG, (3, 4))
    # positions refer to the 5-D result: 1 x 3 x 1 x 4 x 1
    unsqueezed = run_single(
        "nn.unsqueeze", "{axes = array<i64: 0, -1, 2>}", y, "tensor<1x3x1x4x1xf32>"
    )
    np.testing.assert_array_equal(unsqueezed, y[None, :, None, :, None])


def test_broadcast_to_from_rank_0_and_size_1_dims():
    x = np.array(1.5, dtype=np.float32)
    out = run_single(
        "nn.broadcast_to", "{shape = array<i64: 2, 3>}", x, "tensor<2x3xf32>"
    )
    np.testing.assert_array_equal(out, np.full((2, 3), 1.5, np.float32))
    y = random_array(RNG, (3, 1))
    out = run_single(
        "nn.broadcast_to", "{shape = array<i64: 2, 3, 4>}", y, "tensor<2x3x4xf32>"
    )
    for i, j, k in np.ndindex(2, 3, 4):
        assert out[i, j, k] == y[j, 0]


@pytest.mark.parametrize(
    ("props", "expected_index"),
    [
        # plain start/end, axes defaulting to the first dims
        ("starts = array<i64: 1>, ends = array<i64: 3>", (slice(1, 3),)),
        # negative start and end count from the end
        ("starts = array<i64: -3>, ends = array<i64: -1>", (slice(2, 4),)),
        # ends past the dimension are clamped
        ("starts = array<i64: 0>, ends = array<i64: 1000>", (slice(0, 5),)),
        # negative step, ends before the first element go down to index 0
        (
            "starts = array<i64: -1>, ends = array<i64: -9223372036854775807>, "
            "steps = array<i64: -1>",
            (slice(None, None, -1),),
        ),
        # negative step with a start past the end is clamped to the last index
        (
            "starts = array<i64: 100>, ends = array<i64: 1>, steps = array<i64: -2>",
            (slice(4, 1, -2),),
        ),
        # explicit, negative axes and several steps
        (
            "starts = array<i64: 0, 1>, ends = array<i64: 6, 4>, "
            "axes = array<i64: -1, 0>, steps = array<i64: 2, 2>",
            (slice(1, 4, 2), slice(0, 6, 2)),
        ),
        # empty selection
        ("starts = array<i64: 3>, ends = array<i64: 1>", (slice(3, 1),)),
    ],
)
def test_slice_follows_onnx(props: str, expected_index: tuple[slice, ...]):
    x = random_array(RNG, (5, 6))
    expected = x[expected_index]
    out = run_single("nn.slice", "{" + props + "}", x, tensor_type(expected.shape))
    np.testing.assert_array_equal(out, expected)


def test_slice_result_shape_is_inferred():
    x_type = TensorType(Float32Type(), [7, 3])
    result = SliceOp.infer_result_type(
        [x_type],
        {
            "starts": i64_array([-2]),
            "ends": i64_array([-100]),
            "steps": i64_array([-3]),
        },
    )
    assert result.get_shape() == (2, 3)  # indices 5, 2


def test_slice_rejects_repeated_axes():
    x_type = TensorType(Float32Type(), [7, 3])
    with pytest.raises(VerifyException, match="name an axis twice"):
        SliceOp.infer_result_type(
            [x_type],
            {
                "starts": i64_array([0, 0]),
                "ends": i64_array([1, 1]),
                "axes": i64_array([1, -1]),
            },
        )


def test_pad_constant_edge_and_reflect():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    constant = run_single(
        "nn.pad",
        "{pads = array<i64: 1, 0, 0, 2>, value = -1.0}",
        x,
        "tensor<3x5xf32>",
    )
    np.testing.assert_array_equal(
        constant,
        [[-1, -1, -1, -1, -1], [0, 1, 2, -1, -1], [3, 4, 5, -1, -1]],
    )
    edge = run_single(
        "nn.pad",
        '{pads = array<i64: 0, 2, 1, 1>, mode = "edge"}',
        x,
        "tensor<3x6xf32>",
    )
    np.testing.assert_array_equal(
        edge, [[0, 0, 0, 1, 2, 2], [3, 3, 3, 4, 5, 5], [3, 3, 3, 4, 5, 5]]
    )
    reflect = run_single(
        "nn.pad",
        '{pads = array<i64: 1, 2, 0, 1>, mode = "reflect"}',
        x,
        "tensor<3x6xf32>",
    )
    np.testing.assert_array_equal(
        reflect, [[5, 4, 3, 4, 5, 4], [2, 1, 0, 1, 2, 1], [5, 4, 3, 4, 5, 4]]
    )


def test_pad_of_rank_0_is_the_identity():
    x = np.array(3.0, dtype=np.float32)
    out = run_single("nn.pad", "{pads = array<i64>}", x, "tensor<f32>")
    assert out == 3.0


def test_concat_three_inputs_along_negative_axis():
    a, b, c = (random_array(RNG, (2, n)) for n in (1, 3, 2))
    text = """
    func.func @f(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>, %c: tensor<2x2xf32>)
        -> tensor<2x6xf32> {
      %r = nn.concat %a, %b, %c {axis = -1}
          : (tensor<2x1xf32>, tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x6xf32>
      func.return %r : tensor<2x6xf32>
    }
    """
    out = run_function(text, a, b, c)
    np.testing.assert_array_equal(out[:, :1], a)
    np.testing.assert_array_equal(out[:, 1:4], b)
    np.testing.assert_array_equal(out[:, 4:], c)


def test_concat_of_one_input_and_f16():
    a = random_array(RNG, (3,), "float16")
    text = """
    func.func @f(%a: tensor<3xf16>) -> tensor<3xf16> {
      %r = nn.concat %a {axis = 0} : (tensor<3xf16>) -> tensor<3xf16>
      func.return %r : tensor<3xf16>
    }
    """
    out = run_function(text, a)
    assert out.dtype == np.float16
    np.testing.assert_array_equal(out, a)
