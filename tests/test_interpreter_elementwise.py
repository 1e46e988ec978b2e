"""The reference interpreter on elementwise nn ops, against hand-written numpy.

Each expectation is written differently from the interpreter (another formula, or
an element-by-element loop in Python floats) and computed in f64.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import StringAttr, TensorType, f32
from xdsl.ir import Block
from xdsl.utils.exceptions import VerifyException

import dlc
from dlc.dialects.nn.base import f64_attr
from dlc.dialects.nn.elementwise import ClipOp, GeluOp, LeakyReluOp
from tests.support import random_array, run_function

Array = np.ndarray[Any, Any]
ELEMENT = {"float16": "f16", "float32": "f32", "float64": "f64"}
SHAPES = [(), (1,), (5,), (3, 1, 4)]


def tensor_type(shape: tuple[int, ...], dtype: str = "float32") -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def unary_function(
    op: str, shape: tuple[int, ...], dtype: str = "float32", props: str = ""
) -> str:
    t = tensor_type(shape, dtype)
    return f"""
    func.func @f(%x: {t}) -> {t} {{
      %r = {op} %x {props} : {t}
      func.return %r : {t}
    }}
    """


def binary_function(
    op: str, lhs: tuple[int, ...], rhs: tuple[int, ...], dtype: str = "float32"
) -> str:
    a, b = tensor_type(lhs, dtype), tensor_type(rhs, dtype)
    out = tensor_type(np.broadcast_shapes(lhs, rhs), dtype)
    return f"""
    func.func @f(%a: {a}, %b: {b}) -> {out} {{
      %r = {op} %a, %b : ({a}, {b}) -> {out}
      func.return %r : {out}
    }}
    """


def per_element(fn: Callable[[float], float], x: Array) -> Array:
    """Apply a scalar Python function to every element, in f64."""
    return np.array([fn(float(v)) for v in x.flat], dtype=np.float64).reshape(x.shape)


def positive(x: Array) -> Array:
    return np.abs(x) + np.asarray(0.25, dtype=x.dtype)


def sigmoid(v: float) -> float:
    """1 / (1 + e^-v), written through tanh."""
    return 0.5 * (1 + math.tanh(v / 2))


# (op, expected on f64 inputs, needs positive inputs)
UNARY: list[tuple[str, Callable[[Array], Array], bool]] = [
    ("nn.relu", lambda x: np.where(x > 0, x, 0.0), False),
    ("nn.sigmoid", lambda x: per_element(sigmoid, x), False),
    ("nn.tanh", lambda x: per_element(math.tanh, x), False),
    ("nn.exp", lambda x: per_element(math.exp, x), False),
    ("nn.log", lambda x: per_element(math.log, x), True),
    ("nn.sqrt", lambda x: x**0.5, True),
    ("nn.rsqrt", lambda x: x**-0.5, True),
    ("nn.neg", lambda x: 0.0 - x, False),
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("op", "expected", "needs_positive"), UNARY)
def test_unary_op_matches_its_scalar_definition(op, expected, needs_positive, shape):
    rng = np.random.default_rng(len(shape))
    x = random_array(rng, shape)
    if needs_positive:
        x = positive(x)
    out = run_function(unary_function(op, shape), x)
    assert out.dtype == np.float32 and out.shape == shape
    wide = x.astype(np.float64)
    np.testing.assert_allclose(out, expected(wide), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("props", "alpha"),
    [
        ("", 0.01),
        ("{alpha = 0.2}", 0.2),
        ("{alpha = 2}", 2.0),
        ("{alpha = -0.5}", -0.5),
    ],
)
def test_leaky_relu_scales_negatives_by_alpha(props, alpha):
    x = np.array([[-3.0, -0.5, 0.0], [0.25, 1.0, 7.0]], dtype=np.float32)
    out = run_function(unary_function("nn.leaky_relu", (2, 3), props=props), x)
    expected = [[-3.0 * alpha, -0.5 * alpha, 0.0], [0.25, 1.0, 7.0]]
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def exact_gelu(v: float) -> float:
    """x * Phi(x), Phi the standard normal CDF."""
    return v * 0.5 * math.erfc(-v / math.sqrt(2))


def tanh_gelu(v: float) -> float:
    return 0.5 * v * (1 + math.tanh(math.sqrt(2 / math.pi) * (v + 0.044715 * v**3)))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    ("props", "scalar"),
    [
        ("", exact_gelu),
        ('{approximate = "none"}', exact_gelu),
        ('{approximate = "tanh"}', tanh_gelu),
    ],
)
def test_gelu_exact_and_tanh_forms(props, scalar, shape):
    x = random_array(np.random.default_rng(1), shape) * 3
    out = run_function(unary_function("nn.gelu", shape, props=props), x)
    np.testing.assert_allclose(out, per_element(scalar, x), rtol=1e-6, atol=1e-7)


def test_gelu_known_values_and_tanh_approximation_error():
    x = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    exact = run_function(unary_function("nn.gelu", (5,), "float64"), x)
    np.testing.assert_allclose(
        exact,
        [-0.0040496941, -0.1586552539, 0.0, 0.8413447461, 2.9959503059],
        rtol=1e-8,
    )
    approx = run_function(
        unary_function("nn.gelu", (5,), "float64", '{approximate = "tanh"}'), x
    )
    assert np.max(np.abs(approx - exact)) < 1e-3


@pytest.mark.parametrize(
    ("props", "low", "high"),
    [
        ("{min = 0.0, max = 6.0}", 0.0, 6.0),
        ("{min = -0.5}", -0.5, math.inf),
        ("{max = 1}", -math.inf, 1.0),
        ("", -math.inf, math.inf),
        ("{min = 0.5, max = 0.5}", 0.5, 0.5),
        ("{min = 1.0, max = -1.0}", 1.0, -1.0),  # min > max: max everywhere
    ],
)
def test_clip_clamps_into_the_given_bounds(props, low, high):
    x = np.array([-10.0, -0.75, -0.5, 0.0, 0.5, 0.9, 1.0, 5.0, 6.5], dtype=np.float32)
    out = run_function(unary_function("nn.clip", (9,), props=props), x)
    expected = [min(max(float(v), low), high) for v in x]
    np.testing.assert_array_equal(out, np.array(expected, dtype=np.float32))


BINARY: list[tuple[str, Callable[[float, float], float]]] = [
    ("nn.add", lambda a, b: a + b),
    ("nn.sub", lambda a, b: a - b),
    ("nn.mul", lambda a, b: a * b),
    ("nn.div", lambda a, b: a / b),
    ("nn.pow", lambda a, b: math.exp(b * math.log(a))),
    ("nn.maximum", max),
    ("nn.minimum", min),
]

BROADCASTS = [
    ((), ()),
    ((), (2, 3)),  # rank 0 against a matrix
    ((4, 1), (3,)),
    ((2, 1, 5), (7, 1)),
    ((1,), (4,)),
    ((3, 4), (3, 4)),
]


def broadcast_by_hand(fn: Callable[[float, float], float], a: Array, b: Array) -> Array:
    """Apply ``fn`` at every index of the broadcast shape, reading size-1 dims at 0."""
    shape = np.broadcast_shapes(a.shape, b.shape)
    out = np.empty(shape, dtype=np.float64)

    def read(array: Array, index: tuple[int, ...]) -> float:
        index = index[len(index) - array.ndim :]
        clamped = tuple(
            i if d > 1 else 0 for i, d in zip(index, array.shape, strict=True)
        )
        return float(array[clamped])

    for index in np.ndindex(*shape):
        out[index] = fn(read(a, index), read(b, index))
    return out


@pytest.mark.parametrize(("lhs", "rhs"), BROADCASTS)
@pytest.mark.parametrize(("op", "scalar"), BINARY)
def test_binary_op_broadcasts_like_numpy(op, scalar, lhs, rhs):
    rng = np.random.default_rng(7)
    a, b = random_array(rng, lhs), random_array(rng, rhs)
    if op in ("nn.div", "nn.pow"):
        a, b = (positive(a), positive(b)) if op == "nn.pow" else (a, positive(b))
    out = run_function(binary_function(op, lhs, rhs), a, b)
    assert out.shape == np.broadcast_shapes(lhs, rhs)
    expected = broadcast_by_hand(scalar, a, b)
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)


def test_add_broadcasts_like_numpy_and_relu_clamps_negatives():
    text = """
    func.func @f(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
      %0 = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
      %1 = nn.relu %0 : tensor<4x3xf32>
      func.return %1 : tensor<4x3xf32>
    }
    """
    rng = np.random.default_rng(0)
    a, b = random_array(rng, (4, 1)), random_array(rng, (3,))
    out = run_function(text, a, b)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.maximum(a + b, 0))


@pytest.mark.parametrize(("dtype", "rtol"), [("float16", 2e-3), ("float64", 1e-12)])
def test_f16_and_f64_keep_their_dtype(dtype, rtol):
    rng = np.random.default_rng(3)
    a, b = random_array(rng, (2, 3), dtype), random_array(rng, (3,), dtype)
    added = run_function(binary_function("nn.mul", (2, 3), (3,), dtype), a, b)
    assert added.dtype == np.dtype(dtype)
    wide = a.astype(np.float64) * b.astype(np.float64)
    np.testing.assert_allclose(added, wide, rtol=rtol)
    for op, scalar in [("nn.gelu", exact_gelu), ("nn.exp", math.exp)]:
        out = run_function(unary_function(op, (2, 3), dtype), a)
        assert out.dtype == np.dtype(dtype)
        np.testing.assert_allclose(out, per_element(scalar, a), rtol=rtol, atol=rtol)


UNARY_OPS = [op for op, _, _ in UNARY] + ["nn.leaky_relu", "nn.gelu", "nn.clip"]


@pytest.mark.parametrize("op", UNARY_OPS)
def test_unary_op_rejects_a_result_type_other_than_its_input(op):
    text = f"""
    func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf64> {{
      %r = "{op}"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf64>
      func.return %r : tensor<2x3xf64>
    }}
    """
    with pytest.raises(dlc.DiagnosticError, match=f"{op}: result type should be "):
        dlc.parse(text)


@pytest.mark.parametrize("op", [op for op, _ in BINARY])
def test_binary_op_rejects_a_result_type_other_than_the_broadcast(op):
    text = f"""
    func.func @f(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x1xf32> {{
      %r = {op} %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x1xf32>
      func.return %r : tensor<4x1xf32>
    }}
    """
    with pytest.raises(dlc.DiagnosticError, match=f"{op}: result type should be "):
        dlc.parse(text)


@pytest.mark.parametrize(
    ("op", "props", "message"),
    [
        (
            "nn.leaky_relu",
            '{alpha = "x"}',
            "nn.leaky_relu: property 'alpha' must be a float",
        ),
        (
            "nn.gelu",
            '{approximate = "fast"}',
            'nn.gelu: approximate must be "none" or "tanh"',
        ),
        (
            "nn.clip",
            "{min = 0x7FF8000000000000 : f64}",
            "nn.clip: min must be a number, got nan",
        ),
    ],
)
def test_bad_property_is_reported_at_the_op(op, props, message):
    with pytest.raises(dlc.DiagnosticError, match=message) as error:
        dlc.parse(unary_function(op, (2,), props=props))
    assert error.value.location is not None and error.value.location.line == 3


def test_from_operands_infers_the_type_and_names_the_op_on_bad_properties():
    x = Block(arg_types=[TensorType(f32, [2, 3])]).args[0]
    assert LeakyReluOp.from_operands([x], alpha=f64_attr(0.1)).result.type == x.type
    gelu = GeluOp.from_operands([x], approximate=StringAttr("tanh"))
    assert gelu.approximation() == "tanh"
    with pytest.raises(VerifyException, match="nn.gelu: property 'approximate'"):
        GeluOp.from_operands([x], approximate=f64_attr(1.0))
    clip = ClipOp.from_operands([x], min=f64_attr(2.0), max=f64_attr(1.0))
    assert clip.bounds() == (2.0, 1.0)
