"""nn.lrn and nn.tile against hand-written loops, onnxruntime, the lowering and the
compiled code.

The expectations are element-by-element Python loops in f64 that follow ONNX's
text: for LRN, the window ``max(0, c - floor((size-1)/2)) <= i <= min(C-1, c +
ceil((size-1)/2))`` and ``x / (bias + alpha / size * square_sum) ^ beta``; for
Tile, ``out[o] = x[o mod shape]``. Tolerances: f32 rtol 1e-5 / atol 1e-6 (pow
of a sum), f64 1e-12; tile moves elements, so it must be exact.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp

import dlc
from dlc.dialects.nn import lrn, tile
from tests.strategies import OP_SPECS, Program, programs
from tests.support import check_random_program, lowered

Array = np.ndarray[Any, Any]
ELEMENT = {"float16": "f16", "float32": "f32", "float64": "f64"}
TOLERANCE = {"float32": (1e-5, 1e-6), "float64": (1e-12, 1e-12)}


def tensor_type(shape: tuple[int, ...], dtype: str) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def lrn_module(shape: tuple[int, ...], props: str, dtype: str = "float32") -> ModuleOp:
    t = tensor_type(shape, dtype)
    return dlc.parse(
        f"func.func @f(%x: {t}) -> {t} {{\n"
        f"  %y = nn.lrn %x {props} : {t}\n  func.return %y : {t}\n}}"
    )


def lrn_expected(
    x: Array, size: int, alpha: float = 1e-4, beta: float = 0.75, bias: float = 1.0
) -> Array:
    channels = x.shape[1]
    out = np.empty(x.shape)
    for point in np.ndindex(*x.shape):
        c = point[1]
        first = max(0, c - math.floor((size - 1) / 2))
        last = min(channels - 1, c + math.ceil((size - 1) / 2))
        square_sum = sum(
            float(x[(point[0], i, *point[2:])]) ** 2 for i in range(first, last + 1)
        )
        out[point] = float(x[point]) / (bias + alpha / size * square_sum) ** beta
    return out


def assert_close(actual: Array, expected: Array, dtype: str) -> None:
    assert actual.dtype == np.dtype(dtype) and actual.shape == expected.shape
    rtol, atol = TOLERANCE[dtype]
    np.testing.assert_allclose(actual.astype(np.float64), expected, rtol, atol)


LRN_CASES: list[tuple[tuple[int, ...], int, dict[str, float]]] = [
    ((1, 5, 3, 3), 3, {}),
    ((2, 6, 2, 2), 4, {}),  # even: one more channel after c than before
    ((1, 3, 2, 2), 1, {}),
    ((1, 3, 4), 7, {}),  # wider than the channels: clipped at both ends
    ((3, 4), 2, {"alpha": 0.5, "beta": 0.5, "bias": 2.0}),
    ((1, 1, 5, 5), 5, {"alpha": 1.0, "beta": 1.0, "bias": 0.5}),
]


def lrn_props(size: int, params: dict[str, float]) -> str:
    listed = [f"size = {size}", *(f"{k} = {v}" for k, v in params.items())]
    return "{" + ", ".join(listed) + "}"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("shape", "size", "params"), LRN_CASES)
def test_lrn_reference_and_lowering_follow_the_onnx_text(
    shape: Any, size: int, params: dict[str, float], dtype: str
):
    module = lrn_module(shape, lrn_props(size, params), dtype)
    x = np.random.default_rng(0).uniform(-3, 3, shape).astype(dtype)
    want = lrn_expected(x, size, **params)
    assert_close(dlc.interpret(module, "f", x), want, dtype)
    assert_close(dlc.interpret(lowered(module), "f", x), want, dtype)


@pytest.mark.parametrize("size", [1, 3, 5, 9])
def test_lrn_reference_equals_onnxruntime(size: int):
    """onnxruntime implements the specification (ONNX's own Python reference loops
    over the batch dim instead of the channels, so it is not the oracle here). It
    refuses even sizes, which the hand-written test above covers."""
    ort = pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper

    shape = (2, 6, 3, 4)
    node = helper.make_node(
        "LRN", ["x"], ["y"], size=size, alpha=0.3, beta=0.6, bias=1.5
    )
    graph = helper.make_graph(
        [node],
        "lrn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    session = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    x = np.random.default_rng(1).uniform(-3, 3, shape).astype(np.float32)
    (want,) = session.run(None, {"x": x})
    module = lrn_module(
        shape, lrn_props(size, {"alpha": 0.3, "beta": 0.6, "bias": 1.5})
    )
    np.testing.assert_allclose(dlc.interpret(module, "f", x), want, 1e-5, 1e-6)


@pytest.mark.parametrize(
    ("shape", "size"), [((1, 17, 5, 3), 5), ((3, 127), 4), ((1, 3, 17, 17), 3)]
)
def test_compiled_lrn_equals_the_onnx_text_on_odd_sizes(shape: Any, size: int):
    module = lrn_module(shape, f"{{size = {size}, alpha = 0.01}}")
    x = np.random.default_rng(2).uniform(-3, 3, shape).astype(np.float32)
    assert_close(dlc.compile(module)(x), lrn_expected(x, size, alpha=0.01), "float32")


# --- tile ----------------------------------------------------------------------------


def tile_module(
    shape: tuple[int, ...], repeats: tuple[int, ...], dtype: str
) -> ModuleOp:
    t = tensor_type(shape, dtype)
    out = tensor_type(tuple(d * r for d, r in zip(shape, repeats, strict=True)), dtype)
    listed = ", ".join(map(str, repeats))
    attr = f"array<i64: {listed}>" if repeats else "array<i64>"
    return dlc.parse(
        f"func.func @f(%x: {t}) -> {out} {{\n"
        f"  %t = nn.tile %x {{repeats = {attr}}} : {t} -> {out}\n"
        f"  func.return %t : {out}\n}}"
    )


def tile_expected(x: Array, repeats: tuple[int, ...]) -> Array:
    shape = tuple(d * r for d, r in zip(x.shape, repeats, strict=True))
    out = np.empty(shape, x.dtype)
    for point in np.ndindex(*shape):
        out[point] = x[tuple(o % d for o, d in zip(point, x.shape, strict=True))]
    return out


TILE_CASES: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
    ((), ()),
    ((3,), (4,)),
    ((2, 3), (1, 1)),
    ((2, 3), (2, 3)),
    ((1, 3, 1), (3, 1, 2)),
    ((2, 3), (0, 2)),  # an empty result
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize(("shape", "repeats"), TILE_CASES)
def test_tile_reference_and_lowering_repeat_the_input(
    shape: Any, repeats: Any, dtype: str
):
    module = tile_module(shape, repeats, dtype)
    x = np.random.default_rng(3).uniform(-2, 2, shape).astype(dtype)
    want = tile_expected(x, repeats)
    np.testing.assert_array_equal(dlc.interpret(module, "f", x), want)
    np.testing.assert_array_equal(dlc.interpret(lowered(module), "f", x), want)


@pytest.mark.parametrize(
    ("dtype", "element"), [("int8", "i8"), ("int64", "i64"), ("bool", "i1")]
)
def test_tile_takes_integers_and_booleans(dtype: str, element: str):
    t, out = f"tensor<2x3x{element}>", f"tensor<4x3x{element}>"
    module = dlc.parse(
        f"func.func @f(%x: {t}) -> {out} {{\n"
        f"  %t = nn.tile %x {{repeats = array<i64: 2, 1>}} : {t} -> {out}\n"
        f"  func.return %t : {out}\n}}"
    )
    x = np.array([[1, 0, -3], [127, -128, 5]]).astype(dtype)
    want = tile_expected(x, (2, 1))
    for got in (
        dlc.interpret(module, "f", x),
        dlc.interpret(lowered(module), "f", x),
        dlc.compile(module)(x),
    ):
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize(
    ("shape", "repeats"),
    [((3, 17), (2, 3)), ((1, 127), (17, 1)), ((17, 1, 3), (1, 5, 1))],
)
def test_compiled_tile_repeats_the_input_on_odd_sizes(shape: Any, repeats: Any):
    module = tile_module(shape, repeats, "float32")
    x = np.random.default_rng(4).uniform(-2, 2, shape).astype(np.float32)
    np.testing.assert_array_equal(dlc.compile(module)(x), tile_expected(x, repeats))


# --- Random programs -----------------------------------------------------------------

SPECS = [spec for spec in OP_SPECS if spec.op in (lrn.LrnOp, tile.TileOp)]


@settings(max_examples=30, deadline=None)
@given(programs(max_ops=5, specs=SPECS), st.integers(0, 2**16))
def test_lowering_and_compiling_preserve_random_lrn_and_tile_programs(
    program: Program, seed: int
):
    check_random_program(program, seed)
