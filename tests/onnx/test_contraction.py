"""MatMul, Gemm (every decomposition), Conv (padding modes, 1-D), Einsum."""

from __future__ import annotations

import numpy as np
import pytest

from dlc.frontends.onnx import OnnxImportError, import_model
from tests.onnx.support import (
    assert_matches_onnxruntime,
    check_or_expect_missing,
    make_model,
    node,
    random,
)


@pytest.mark.parametrize(
    ("a_shape", "b_shape"),
    [((3, 4), (4, 5)), ((2, 1, 3, 4), (5, 4, 6)), ((4,), (4, 3)), ((3, 4), (4,))],
)
def test_matmul(a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> None:
    a, b = random(a_shape, seed=1), random(b_shape, seed=2)
    model = make_model([node("MatMul", ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
    assert_matches_onnxruntime(model, {"a": a, "b": b}, rtol=1e-4)


def test_gemm_of_a_linear_layer_is_one_dense_with_the_weight_transposed() -> None:
    x = random((3, 8), seed=3)
    weights = {"w": random((5, 8), seed=4), "b": random((5,), seed=5)}
    model = make_model(
        [node("Gemm", ["x", "w", "b"], ["y"], transB=1)], {"x": x}, ["y"], weights
    )
    module = assert_matches_onnxruntime(model, {"x": x}, rtol=1e-4)
    text = str(module)
    assert text.count("nn.dense") == 1
    assert "nn.transpose" not in text and "nn.add" not in text


@pytest.mark.parametrize(
    ("attrs", "c_shape", "constant_b"),
    [
        ({"alpha": 0.5, "beta": 2.0}, (5,), True),
        ({"alpha": 0.5, "beta": 2.0}, (5,), False),
        ({"transA": 1}, (1, 5), True),
        ({"transA": 1, "transB": 1}, (3, 5), False),
        ({"beta": 0.0}, (3, 5), True),
        ({}, (), True),
        ({"transB": 1, "alpha": 2.0}, None, False),
        ({"beta": 3.0}, (3, 1), False),
    ],
)
def test_gemm_variants(
    attrs: dict[str, float], c_shape: tuple[int, ...] | None, constant_b: bool
) -> None:
    a_shape = (8, 3) if attrs.get("transA") else (3, 8)
    b_shape = (5, 8) if attrs.get("transB") else (8, 5)
    a, b = random(a_shape, seed=6), random(b_shape, seed=7)
    feeds = {"a": a} if constant_b else {"a": a, "b": b}
    initializers = {"b": b} if constant_b else {}
    inputs = ["a", "b"]
    if c_shape is not None:
        initializers["c"] = random(c_shape, seed=8)
        inputs.append("c")
    model = make_model(
        [node("Gemm", inputs, ["y"], **attrs)], feeds, ["y"], initializers
    )
    assert_matches_onnxruntime(model, feeds, rtol=1e-4, atol=1e-5)


def test_gemm_with_runtime_bias() -> None:
    a, b, c = random((2, 4), seed=9), random((4, 3), seed=10), random((3,), seed=11)
    feeds = {"a": a, "b": b, "c": c}
    model = make_model([node("Gemm", ["a", "b", "c"], ["y"], beta=0.5)], feeds, ["y"])
    assert_matches_onnxruntime(model, feeds, rtol=1e-4)


@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"pads": [1, 1, 1, 1]},
        {"strides": [2, 2], "pads": [0, 1, 2, 1]},
        {"dilations": [2, 1], "pads": [2, 1, 2, 1]},
        {"group": 2},
        {"auto_pad": "SAME_UPPER", "strides": [2, 2]},
        {"auto_pad": "SAME_LOWER", "strides": [2, 2]},
        {"auto_pad": "SAME_UPPER", "strides": [3, 1]},
        {"auto_pad": "VALID", "strides": [2, 1]},
    ],
)
def test_conv2d(attrs: dict[str, object]) -> None:
    x = random((1, 4, 7, 6), seed=12)
    weights = {"w": random((6, 4 // int(attrs.get("group", 1)), 3, 3), seed=13)}  # pyright: ignore
    weights["b"] = random((6,), seed=14)
    model = make_model(
        [node("Conv", ["x", "w", "b"], ["y"], kernel_shape=[3, 3], **attrs)],
        {"x": x},
        ["y"],
        weights,
    )
    assert_matches_onnxruntime(model, {"x": x}, rtol=1e-4, atol=1e-5)


def test_conv2d_with_runtime_weight_and_no_bias() -> None:
    x, w = random((2, 3, 5, 5), seed=15), random((4, 3, 2, 2), seed=16)
    model = make_model([node("Conv", ["x", "w"], ["y"])], {"x": x, "w": w}, ["y"])
    assert_matches_onnxruntime(model, {"x": x, "w": w}, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("constant_weight", [True, False])
def test_conv1d_runs_as_a_conv2d_of_height_1(constant_weight: bool) -> None:
    x, w = random((2, 3, 9), seed=17), random((4, 3, 3), seed=18)
    feeds = {"x": x} if constant_weight else {"x": x, "w": w}
    model = make_model(
        [node("Conv", ["x", "w"], ["y"], strides=[2], pads=[1, 2], dilations=[1])],
        feeds,
        ["y"],
        {"w": w} if constant_weight else {},
    )
    module = assert_matches_onnxruntime(model, feeds, rtol=1e-4, atol=1e-5)
    assert "nn.conv2d" in str(module)


def test_conv3d_is_unsupported() -> None:
    x, w = random((1, 1, 3, 3, 3)), random((1, 1, 2, 2, 2))
    model = make_model([node("Conv", ["x", "w"], ["y"])], {"x": x, "w": w}, ["y"])
    with pytest.raises(OnnxImportError, match="3-D convolution"):
        import_model(model)


@pytest.mark.parametrize(
    ("equation", "shapes"),
    [("ij,jk->ik", [(3, 4), (4, 5)]), ("bij, bjk -> bik", [(2, 3, 4), (2, 4, 2)])],
)
def test_einsum(equation: str, shapes: list[tuple[int, ...]]) -> None:
    feeds = {f"x{i}": random(shape, seed=i) for i, shape in enumerate(shapes)}
    model = make_model(
        [node("Einsum", list(feeds), ["y"], equation=equation)], feeds, ["y"]
    )
    check_or_expect_missing(["nn.einsum"], model, feeds, rtol=1e-4)


def test_matmul_of_constants_is_folded() -> None:
    x = random((2, 2))
    model = make_model(
        [node("MatMul", ["a", "b"], ["ab"]), node("Add", ["x", "ab"], ["y"])],
        {"x": x},
        ["y"],
        {"a": np.eye(2, dtype=np.float32), "b": np.full((2, 2), 2, np.float32)},
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert "nn.matmul" not in str(module)
