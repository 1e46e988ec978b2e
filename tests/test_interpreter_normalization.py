"""The reference interpreter on softmax, log_softmax, layer_norm, rms_norm, batch_norm.

Expected values loop over every normalized group (a row along the softmax axis, the
trailing block of a layer norm, a channel of a batch norm) in Python floats,
independent of the interpreter's keepdims-broadcasting formulation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Block
from xdsl.utils.exceptions import VerifyException

import dlc
from dlc.dialects.nn.base import f64_attr, i64_attr
from dlc.dialects.nn.normalization import LayerNormOp, SoftmaxOp
from tests.support import random_array, run_function

Array = np.ndarray[Any, Any]
ELEMENT = {"float16": "f16", "float32": "f32", "float64": "f64"}


def tensor_type(shape: Sequence[int], dtype: str = "float32") -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def function(op: str, operands: Sequence[Array], props: str = "") -> str:
    """``@f`` applying ``op`` to its arguments; the result has the first one's type."""
    dtype = str(operands[0].dtype)
    types = [tensor_type(a.shape, dtype) for a in operands]
    args = ", ".join(f"%a{i}: {t}" for i, t in enumerate(types))
    uses = ", ".join(f"%a{i}" for i in range(len(operands)))
    out = types[0]
    signature = out if len(operands) == 1 else f"({', '.join(types)}) -> {out}"
    return f"""
    func.func @f({args}) -> {out} {{
      %r = {op} {uses} {props} : {signature}
      func.return %r : {out}
    }}
    """


def along_axis(fn: Callable[[list[float]], list[float]], x: Array, axis: int) -> Array:
    """Apply ``fn`` to every 1-D row of ``x`` along ``axis``."""
    moved = np.moveaxis(x.astype(np.float64), axis, -1)
    out = np.empty_like(moved)
    for index in np.ndindex(*moved.shape[:-1]):
        out[index] = fn([float(v) for v in moved[index]])
    return np.moveaxis(out, -1, axis)


def softmax_row(row: list[float]) -> list[float]:
    top = max(row)
    weights = [math.exp(v - top) for v in row]
    total = math.fsum(weights)
    return [w / total for w in weights]


def log_softmax_row(row: list[float]) -> list[float]:
    return [math.log(p) for p in softmax_row(row)]


SOFTMAX_CASES = [
    ((2, 3), -1),
    ((2, 3), 0),
    ((4,), 0),
    ((1, 5), 1),
    ((2, 3, 4), 1),
    ((2, 3, 4), -3),
]


@pytest.mark.parametrize(("shape", "axis"), SOFTMAX_CASES)
@pytest.mark.parametrize(
    ("op", "row_fn"), [("nn.softmax", softmax_row), ("nn.log_softmax", log_softmax_row)]
)
def test_softmax_normalizes_each_row_along_axis(op, row_fn, shape, axis):
    x = random_array(np.random.default_rng(len(shape)), shape) * 4
    out = run_function(function(op, [x], f"{{axis = {axis}}}"), x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, along_axis(row_fn, x, axis), rtol=1e-6, atol=1e-7)


def test_softmax_axis_defaults_to_the_last():
    x = random_array(np.random.default_rng(2), (3, 4))
    out = run_function(function("nn.softmax", [x]), x)
    np.testing.assert_allclose(out, along_axis(softmax_row, x, -1), rtol=1e-6)


def test_softmax_of_large_inputs_does_not_overflow():
    x = np.array([[1000.0, 1000.0, -1000.0], [-1e4, 0.0, 1e4]], dtype=np.float32)
    probabilities = run_function(function("nn.softmax", [x]), x)
    np.testing.assert_allclose(probabilities, [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    logs = run_function(function("nn.log_softmax", [x]), x)
    half = -math.log(2)
    np.testing.assert_allclose(logs, [[half, half, half - 2000], [-2e4, -1e4, 0.0]])


def normalize_trailing(
    x: Array, axis: int, fn: Callable[[list[float]], list[float]]
) -> Array:
    """Apply ``fn`` to the flattened block x[i0, ..., i_{axis-1}, :, ..., :]."""
    x = x.astype(np.float64)
    lead = x.shape[:axis]
    out = np.empty_like(x)
    for index in np.ndindex(*lead):
        block = x[index]
        out[index] = np.array(fn([float(v) for v in block.flat])).reshape(block.shape)
    return out


def layer_norm_by_hand(
    x: Array, scale: Array, bias: Array, axis: int, epsilon: float
) -> Array:
    def standardize(values: list[float]) -> list[float]:
        mean = math.fsum(values) / len(values)
        variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
        return [(v - mean) / math.sqrt(variance + epsilon) for v in values]

    return normalize_trailing(x, axis % x.ndim, standardize) * scale + bias


def rms_norm_by_hand(x: Array, scale: Array, axis: int, epsilon: float) -> Array:
    def rescale(values: list[float]) -> list[float]:
        rms = math.sqrt(math.fsum(v * v for v in values) / len(values) + epsilon)
        return [v / rms for v in values]

    return normalize_trailing(x, axis % x.ndim, rescale) * scale


TRAILING_CASES = [
    ((2, 3, 4), -1, None),
    ((2, 3, 4), 1, "1.0e-03"),
    ((2, 3, 4), -3, None),  # every dim is normalized
    ((1, 5), -1, "0.0"),
    ((5,), 0, None),
    ((3, 1), 1, "1.0e-02"),  # a size-1 normalized block: x - mean = 0
]


def trailing_props(axis: int, epsilon: str | None) -> tuple[str, float]:
    if epsilon is None:
        return f"{{axis = {axis}}}", 1e-5
    return f"{{axis = {axis}, epsilon = {epsilon}}}", float(epsilon)


@pytest.mark.parametrize(("shape", "axis", "epsilon"), TRAILING_CASES)
def test_layer_norm_standardizes_the_trailing_dims(shape, axis, epsilon):
    rng = np.random.default_rng(11)
    normalized = shape[axis % len(shape) :]
    x = random_array(rng, shape) * 3 + 1
    scale, bias = random_array(rng, normalized), random_array(rng, normalized)
    props, eps = trailing_props(axis, epsilon)
    text = function("nn.layer_norm", [x, scale, bias], props)
    out = run_function(text, x, scale, bias)
    expected = layer_norm_by_hand(x, scale, bias, axis, eps)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(("shape", "axis", "epsilon"), TRAILING_CASES)
def test_rms_norm_divides_by_the_root_mean_square(shape, axis, epsilon):
    rng = np.random.default_rng(12)
    x = random_array(rng, shape) * 3 + 1
    scale = random_array(rng, shape[axis % len(shape) :])
    props, eps = trailing_props(axis, epsilon)
    out = run_function(function("nn.rms_norm", [x, scale], props), x, scale)
    np.testing.assert_allclose(
        out, rms_norm_by_hand(x, scale, axis, eps), rtol=1e-5, atol=1e-5
    )


def batch_norm_by_hand(
    x: Array, scale: Array, bias: Array, mean: Array, variance: Array, epsilon: float
) -> Array:
    out = np.empty(x.shape, dtype=np.float64)
    for c in range(x.shape[1]):
        inv = 1 / math.sqrt(float(variance[c]) + epsilon)
        channel = x[:, c].astype(np.float64)
        out[:, c] = (channel - float(mean[c])) * inv * float(scale[c]) + float(bias[c])
    return out


@pytest.mark.parametrize("shape", [(2, 3), (1, 3, 4, 4), (2, 1, 5), (4, 2, 1, 3, 2)])
@pytest.mark.parametrize(
    ("props", "epsilon"), [("", 1e-5), ("{epsilon = 1.0e-03}", 1e-3)]
)
def test_batch_norm_normalizes_each_channel_with_statistics(shape, props, epsilon):
    rng = np.random.default_rng(13)
    channels = shape[1]
    x = random_array(rng, shape)
    scale, bias, mean = (random_array(rng, (channels,)) for _ in range(3))
    variance = np.abs(random_array(rng, (channels,))) + 0.1
    operands = [x, scale, bias, mean, variance]
    out = run_function(function("nn.batch_norm", operands, props), *operands)
    expected = batch_norm_by_hand(x, scale, bias, mean, variance, epsilon)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(("dtype", "rtol"), [("float16", 2e-3), ("float64", 1e-12)])
def test_f16_and_f64_keep_their_dtype(dtype, rtol):
    rng = np.random.default_rng(14)
    x = random_array(rng, (3, 8), dtype)
    scale, bias = random_array(rng, (8,), dtype), random_array(rng, (8,), dtype)
    out = run_function(function("nn.layer_norm", [x, scale, bias]), x, scale, bias)
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(
        out, layer_norm_by_hand(x, scale, bias, -1, 1e-5), rtol=rtol, atol=rtol
    )
    probabilities = run_function(function("nn.softmax", [x]), x)
    assert probabilities.dtype == np.dtype(dtype)
    np.testing.assert_allclose(
        probabilities, along_axis(softmax_row, x, -1), rtol=rtol, atol=rtol
    )


BAD_RESULT_TYPES = [
    ('"nn.softmax"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>', "nn.softmax"),
    ('"nn.log_softmax"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>', "nn.log_softmax"),
    (
        "nn.layer_norm %x, %s, %s : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)"
        " -> tensor<3x2xf32>",
        "nn.layer_norm",
    ),
    (
        "nn.rms_norm %x, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x2xf32>",
        "nn.rms_norm",
    ),
    (
        "nn.batch_norm %x, %s, %s, %s, %s : (tensor<2x3xf32>, tensor<3xf32>,"
        " tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3x2xf32>",
        "nn.batch_norm",
    ),
]


@pytest.mark.parametrize(("op_text", "op"), BAD_RESULT_TYPES)
def test_normalization_rejects_a_result_type_other_than_its_input(op_text, op):
    text = f"""
    func.func @f(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<3x2xf32> {{
      %r = {op_text}
      func.return %r : tensor<3x2xf32>
    }}
    """
    with pytest.raises(
        dlc.DiagnosticError, match=f"{op}: result type should be tensor<2x3xf32>"
    ):
        dlc.parse(text)


def test_from_operands_checks_axis_and_parameter_shapes():
    block = Block(arg_types=[TensorType(f32, [2, 3, 4]), TensorType(f32, [3, 4])])
    x, scale = block.args
    assert SoftmaxOp.from_operands([x], axis=i64_attr(-2)).normalized_axis() == 1
    op = LayerNormOp.from_operands([x, scale, scale], axis=i64_attr(1))
    assert op.result.type == x.type and op.epsilon_value() == 1e-5
    with pytest.raises(VerifyException, match="nn.softmax: axis 3 is out of range"):
        SoftmaxOp.from_operands([x], axis=i64_attr(3))
    with pytest.raises(VerifyException, match=r"nn.layer_norm: scale must .* \[4\]"):
        LayerNormOp.from_operands([x, scale, scale])
    with pytest.raises(VerifyException, match="nn.layer_norm: epsilon must be finite"):
        LayerNormOp.from_operands(
            [x, scale, scale], axis=i64_attr(1), epsilon=f64_attr(-1.0)
        )
