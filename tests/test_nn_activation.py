"""The float activations (dlc/dialects/nn/activation.py) against hand-written math.

Each expectation is computed element by element with Python's ``math`` in f64,
written from ONNX's definition rather than from the reference's numpy, and the
reference interpreter, the nn-to-tensor lowering (interpreted) and the code compiled
for the host CPU must all agree with it. Tolerances, relative to each element (with
an absolute floor for values near 0):

* f64: 1e-12; f16: 2e-3 (the f16 rounding of the input and of the result);
* f32: 1e-5 relative, 1e-6 absolute, the transcendental ones (erf, softplus, elu,
  selu, sin, cos) included: their f32 libm results are within a few ulps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block
from xdsl.utils.exceptions import VerifyException

import dlc
from dlc.dialects.nn import activation as act
from dlc.dialects.nn.base import f64_attr
from tests.strategies import OP_SPECS, Program, programs
from tests.support import check_random_program, lowered

Array = np.ndarray[Any, Any]
ELEMENT = {"float16": "f16", "float32": "f32", "float64": "f64"}
TOLERANCE = {  # (rtol, atol)
    "float16": (2e-3, 2e-3),
    "float32": (1e-5, 1e-6),
    "float64": (1e-12, 1e-12),
}
SELU_ALPHA = 1.6732632423543772
SELU_GAMMA = 1.0507009873554805


def softplus(v: float) -> float:
    """log(1 + e^v); for large v, v + log(1 + e^-v) ~ v + e^-v."""
    return math.log1p(math.exp(v)) if v < 30 else v + math.exp(-v)


def hard_sigmoid(v: float, alpha: float = 0.2, beta: float = 0.5) -> float:
    return min(1.0, max(0.0, alpha * v + beta))


def elu(v: float, alpha: float = 1.0) -> float:
    return v if v > 0 else alpha * (math.exp(v) - 1)


# op, properties, expected value of one element (f64)
UNARY: list[tuple[str, str, Callable[[float], float]]] = [
    ("erf", "", math.erf),
    ("abs", "", abs),
    ("reciprocal", "", lambda v: 1 / v),
    ("softplus", "", softplus),
    ("hard_swish", "", lambda v: v * min(1.0, max(0.0, v / 6 + 0.5))),
    ("hard_sigmoid", "", hard_sigmoid),
    (
        "hard_sigmoid",
        "{alpha = 0.5, beta = -0.25}",
        lambda v: hard_sigmoid(v, 0.5, -0.25),
    ),
    ("elu", "", elu),
    ("elu", "{alpha = 0.3}", lambda v: elu(v, 0.3)),
    ("selu", "", lambda v: SELU_GAMMA * elu(v, SELU_ALPHA)),
    ("selu", "{alpha = 2, gamma = 0.5}", lambda v: 0.5 * elu(v, 2.0)),
    ("floor", "", math.floor),
    ("ceil", "", math.ceil),
    ("sin", "", math.sin),
    ("cos", "", math.cos),
]
UNARY_IDS = [f"{op}{props and '-' + props}" for op, props, _ in UNARY]


def tensor_type(shape: tuple[int, ...], dtype: str) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def unary_module(op: str, props: str, shape: tuple[int, ...], dtype: str) -> ModuleOp:
    t = tensor_type(shape, dtype)
    return dlc.parse(
        f"func.func @f(%x: {t}) -> {t} {{\n"
        f"  %r = nn.{op} %x {props} : {t}\n  func.return %r : {t}\n}}"
    )


def per_element(fn: Callable[[float], float], x: Array) -> Array:
    return np.array([fn(float(v)) for v in x.flat], np.float64).reshape(x.shape)


def inputs_for(op: str, shape: tuple[int, ...], dtype: str, seed: int = 0) -> Array:
    """Values in [-4, 4]; away from 0 for reciprocal; for floor and ceil, values
    of the dtype itself, so that the expectation rounds the same number."""
    x = np.random.default_rng(seed).uniform(-4, 4, shape)
    if op == "reciprocal":
        x = np.where(np.abs(x) < 0.25, 0.5, x)
    return x.astype(dtype)


def assert_close(actual: Array, expected: Array, dtype: str) -> None:
    assert actual.dtype == np.dtype(dtype) and actual.shape == expected.shape
    rtol, atol = TOLERANCE[dtype]
    np.testing.assert_allclose(actual.astype(np.float64), expected, rtol, atol)


# --- Reference interpreter and lowering ----------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 1, 4)])
@pytest.mark.parametrize(("op", "props", "expected"), UNARY, ids=UNARY_IDS)
def test_reference_and_lowering_compute_the_onnx_definition(
    op: str, props: str, expected: Callable[[float], float], shape: Any, dtype: str
):
    module = unary_module(op, props, shape, dtype)
    x = inputs_for(op, shape, dtype)
    want = per_element(expected, x)
    assert_close(dlc.interpret(module, "f", x), want, dtype)
    assert_close(dlc.interpret(lowered(module), "f", x), want, dtype)


SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e30, -1e30, 88.0, -88.0])


def special_expected(op: str, props: str) -> Array:
    """What ONNX's definitions give on SPECIAL, worked out by hand."""
    inf, nan = np.inf, np.nan
    big = 1e30
    table: dict[tuple[str, str], list[float]] = {
        ("erf", ""): [0, -0.0, 1, -1, nan, 1, -1, 1, -1],
        ("abs", ""): [0, 0, inf, inf, nan, big, big, 88, 88],
        ("reciprocal", ""): [inf, -inf, 0, -0.0, nan, 1e-30, -1e-30, 1 / 88, -1 / 88],
        ("softplus", ""): [math.log(2), math.log(2), inf, 0, nan, big, 0, 88, 6e-39],
        ("hard_swish", ""): [0, -0.0, inf, nan, nan, big, -0.0, 88, -0.0],
        ("hard_sigmoid", ""): [0.5, 0.5, 1, 0, nan, 1, 0, 1, 0],
        ("elu", ""): [0, -0.0, inf, -1, nan, big, -1, 88, -1],
        ("floor", ""): [0, -0.0, inf, -inf, nan, big, -big, 88, -88],
        ("ceil", ""): [0, -0.0, inf, -inf, nan, big, -big, 88, -88],
    }
    return np.array(table[(op, props)])


SPECIAL_OPS = ["erf", "abs", "reciprocal", "softplus", "hard_swish", "hard_sigmoid"]
SPECIAL_OPS += ["elu", "floor", "ceil"]


@pytest.mark.parametrize("op", SPECIAL_OPS)
def test_special_values_in_reference_lowering_and_compiled_code(op: str):
    """±0, ±inf, NaN and huge values, in f32 (1e30 stays finite; hard_swish(-inf)
    is -inf * 0, which IEEE makes NaN)."""
    module = unary_module(op, "", SPECIAL.shape, "float64")
    x = SPECIAL.astype(np.float32).astype(np.float64)
    expected = special_expected(op, "")
    f32_module = unary_module(op, "", SPECIAL.shape, "float32")
    x32 = SPECIAL.astype(np.float32)
    with np.errstate(all="ignore"):
        results = {
            "reference": dlc.interpret(module, "f", x),
            "lowered": dlc.interpret(lowered(module), "f", x),
            "compiled f32": dlc.compile(f32_module)(x32).astype(np.float64),
        }
    for where, got in results.items():
        np.testing.assert_allclose(got, expected, 1e-6, 1e-38, err_msg=where)
        assert (np.signbit(got) == np.signbit(expected))[~np.isnan(expected)].all(), (
            f"{where}: signs of zeros differ: {got}"
        )


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_integer_abs_wraps_at_the_most_negative_value(dtype: str):
    """|x| exactly; the most negative value has no positive counterpart and stays
    itself, as two's complement negation (and numpy) gives."""
    width = np.iinfo(dtype).bits
    t = f"tensor<6xi{width}>"
    module = dlc.parse(
        f"func.func @f(%x: {t}) -> {t} {{\n"
        f"  %r = nn.abs %x : {t}\n  func.return %r : {t}\n}}"
    )
    low, high = int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)
    x = np.array([low, low + 1, -7, 0, 5, high], dtype)
    want = np.array([low, high, 7, 0, 5, high], dtype)
    for got in (
        dlc.interpret(module, "f", x),
        dlc.interpret(lowered(module), "f", x),
        dlc.compile(module)(x),
    ):
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got, want)


# --- prelu ---------------------------------------------------------------------------


def prelu_module(x_shape: tuple[int, ...], s_shape: tuple[int, ...], dtype: str):
    x, s = tensor_type(x_shape, dtype), tensor_type(s_shape, dtype)
    return dlc.parse(
        f"func.func @f(%x: {x}, %s: {s}) -> {x} {{\n"
        f"  %r = nn.prelu %x, %s : ({x}, {s}) -> {x}\n  func.return %r : {x}\n}}"
    )


def prelu_expected(x: Array, slope: Array) -> Array:
    """Element by element, the slope indexed as unidirectional broadcasting says."""
    out = np.empty(x.shape)
    offset = x.ndim - slope.ndim
    for point in np.ndindex(*x.shape):
        at = tuple(
            0 if size == 1 else point[offset + d] for d, size in enumerate(slope.shape)
        )
        v = float(x[point])
        out[point] = v if v > 0 else float(slope[at]) * v
    return out


PRELU_SHAPES = [
    ((), ()),
    ((5,), ()),
    ((2, 3, 4, 4), (3, 1, 1)),
    ((1, 3, 17), (17,)),
    ((4, 1, 3), (1, 3)),
    ((2, 3), (2, 3)),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("x_shape", "s_shape"), PRELU_SHAPES)
def test_prelu_reads_the_slope_unidirectionally_broadcast(
    x_shape: Any, s_shape: Any, dtype: str
):
    module = prelu_module(x_shape, s_shape, dtype)
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, x_shape).astype(dtype)
    slope = rng.uniform(-1, 1, s_shape).astype(dtype)
    want = prelu_expected(x, slope)
    assert_close(dlc.interpret(module, "f", x, slope), want, dtype)
    assert_close(dlc.interpret(lowered(module), "f", x, slope), want, dtype)


# --- Compiled code on odd sizes ------------------------------------------------------


def all_unary_module(shape: tuple[int, ...], dtype: str) -> ModuleOp:
    """One function applying every unary case of UNARY to %x (one compile)."""
    t = tensor_type(shape, dtype)
    lines = [
        f"  %r{i} = nn.{op} %x {props} : {t}" for i, (op, props, _) in enumerate(UNARY)
    ]
    results = ", ".join(f"%r{i}" for i in range(len(UNARY)))
    types = ", ".join([t] * len(UNARY))
    return dlc.parse(
        f"func.func @f(%x: {t}) -> ({types}) {{\n"
        + "\n".join(lines)
        + f"\n  func.return {results} : {types}\n}}"
    )


@pytest.mark.parametrize(
    ("shape", "dtype"),
    [
        ((1,), "float32"),
        ((127,), "float32"),
        ((3, 17), "float64"),
        ((1, 17, 3), "float16"),
    ],
)
def test_compiled_activations_equal_the_definition_on_odd_sizes(shape: Any, dtype: str):
    module = all_unary_module(shape, dtype)
    compiled = dlc.compile(module)
    x = np.random.default_rng(2).uniform(-4, 4, shape).astype(dtype)
    x = np.where(np.abs(x) < 0.25, 0.5, x).astype(dtype)  # for reciprocal
    outputs = compiled(x)
    for (op, props, expected), got in zip(UNARY, outputs, strict=True):
        rtol, atol = TOLERANCE[dtype]
        np.testing.assert_allclose(
            got.astype(np.float64),
            per_element(expected, x),
            rtol,
            atol,
            err_msg=f"nn.{op} {props}",
        )


@pytest.mark.parametrize(
    ("x_shape", "s_shape"), [((3, 17, 1), (17, 1)), ((127,), (1,))]
)
def test_compiled_prelu_on_odd_sizes(x_shape: Any, s_shape: Any):
    module = prelu_module(x_shape, s_shape, "float32")
    rng = np.random.default_rng(3)
    x = rng.uniform(-2, 2, x_shape).astype(np.float32)
    slope = rng.uniform(-1, 1, s_shape).astype(np.float32)
    got = dlc.compile(module)(x, slope)
    assert_close(got, prelu_expected(x, slope), "float32")


# --- The Python API ------------------------------------------------------------------


def test_from_operands_infers_the_type_and_names_the_op_in_errors():
    block = Block(arg_types=[TensorType(f32, [2, 3]), TensorType(f32, [4])])
    x, s = block.args
    assert act.SeluOp.from_operands([x], gamma=f64_attr(2.0)).result.type == x.type
    with pytest.raises(VerifyException, match="nn.elu: alpha must be finite"):
        act.EluOp.from_operands([x], alpha=f64_attr(math.inf))
    with pytest.raises(VerifyException, match="nn.prelu: slope tensor<4xf32> must"):
        act.PReluOp.from_operands([x, s])


def test_parameters_fill_in_the_onnx_defaults():
    block = Block(arg_types=[TensorType(f32, [2])])
    (x,) = block.args
    assert act.HardSigmoidOp.from_operands([x]).parameters() == {
        "alpha": 0.2,
        "beta": 0.5,
    }
    assert act.SeluOp.from_operands([x]).parameters() == {
        "alpha": SELU_ALPHA,
        "gamma": SELU_GAMMA,
    }


# --- Random programs -----------------------------------------------------------------

ACTIVATION_SPECS = [spec for spec in OP_SPECS if spec.op in act.ACTIVATION_OPS]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=40, deadline=None)
@given(programs(max_ops=8, specs=ACTIVATION_SPECS), st.integers(0, 2**16))
def test_lowering_and_compiling_preserve_random_activation_programs(
    program: Program, seed: int
):
    check_random_program(program, seed)
