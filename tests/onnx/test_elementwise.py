"""Elementwise converters against onnxruntime: activations, arithmetic, logic."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto

from dlc.frontends.onnx import OnnxImportError, import_model
from dlc.frontends.onnx.elementwise import ATTRIBUTE_OPS, BINARY_OPS, UNARY_OPS
from tests.onnx.support import (
    assert_matches_onnxruntime,
    check_or_expect_missing,
    make_model,
    node,
    random,
)

POSITIVE_ONLY = {"Log", "Sqrt", "Reciprocal"}


@pytest.mark.parametrize("op_type", sorted(set(UNARY_OPS) - {"Not"}))
def test_unary(op_type: str) -> None:
    x = random((2, 3, 5), seed=1)
    if op_type in POSITIVE_ONLY:
        x = np.abs(x) + 0.1
    model = make_model([node(op_type, ["x"], ["y"])], {"x": x}, ["y"])
    check_or_expect_missing([UNARY_OPS[op_type]], model, {"x": x})


def test_not() -> None:
    x = np.array([[True, False, True]])
    model = make_model([node("Not", ["x"], ["y"])], {"x": x}, ["y"])
    check_or_expect_missing(["nn.not"], model, {"x": x})


@pytest.mark.parametrize(
    ("op_type", "attrs"),
    [
        ("LeakyRelu", {}),
        ("LeakyRelu", {"alpha": 0.2}),
        ("Elu", {"alpha": 0.5}),
        ("Selu", {}),
        ("Selu", {"alpha": 1.5, "gamma": 2.0}),
        ("HardSigmoid", {"alpha": 0.3, "beta": 0.6}),
        ("Gelu", {}),
        ("Gelu", {"approximate": "tanh"}),
    ],
)
def test_with_attributes(op_type: str, attrs: dict[str, object]) -> None:
    x = 2 * random((3, 7), seed=2)
    model = make_model(
        [node(op_type, ["x"], ["y"], **attrs)], {"x": x}, ["y"], opset=21
    )
    check_or_expect_missing([ATTRIBUTE_OPS[op_type][0]], model, {"x": x})


@pytest.mark.parametrize("op_type", ["Add", "Sub", "Mul", "Div"])
def test_arithmetic_broadcasts(op_type: str) -> None:
    a, b = random((4, 1, 3), seed=3), random((5, 3), seed=4) + 3
    model = make_model([node(op_type, ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
    assert_matches_onnxruntime(model, {"a": a, "b": b})


def test_add_of_a_scalar_initializer() -> None:
    x = random((2, 3))
    model = make_model(
        [node("Add", ["x", "c"], ["y"])],
        {"x": x},
        ["y"],
        {"c": np.array(0.5, np.float32)},
    )
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize(
    "op_type", ["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"]
)
def test_comparisons(op_type: str) -> None:
    a = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]], np.float32)
    b = np.array([2.0, 2.0, 2.0], np.float32)
    model = make_model([node(op_type, ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
    check_or_expect_missing([BINARY_OPS[op_type]], model, {"a": a, "b": b})


@pytest.mark.parametrize("op_type", ["And", "Or", "Xor"])
def test_logic(op_type: str) -> None:
    a = np.array([[True, False], [True, True]])
    b = np.array([False, True])
    model = make_model([node(op_type, ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
    check_or_expect_missing([BINARY_OPS[op_type]], model, {"a": a, "b": b})


def test_prelu_slope_broadcasts_per_channel() -> None:
    x = random((2, 3, 4, 4), seed=5)
    slope = np.array([[[0.1]], [[0.2]], [[0.3]]], np.float32)
    model = make_model(
        [node("PRelu", ["x", "slope"], ["y"])], {"x": x}, ["y"], {"slope": slope}
    )
    check_or_expect_missing(["nn.prelu"], model, {"x": x})


def test_pow_with_float_exponent() -> None:
    x, p = np.abs(random((2, 3), seed=6)) + 0.5, random((3,), seed=7)
    model = make_model([node("Pow", ["x", "p"], ["y"])], {"x": x, "p": p}, ["y"])
    assert_matches_onnxruntime(model, {"x": x, "p": p})


def test_pow_with_constant_integer_exponent_is_cast_at_import() -> None:
    x = random((2, 3), seed=8)
    model = make_model(
        [node("Pow", ["x", "p"], ["y"])], {"x": x}, ["y"], {"p": np.array(3, np.int64)}
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert "nn.cast" not in str(module)


def test_pow_with_integer_exponent_input() -> None:
    x, p = random((4,), seed=9), np.array([0, 1, 2, 3], np.int64)
    model = make_model([node("Pow", ["x", "p"], ["y"])], {"x": x, "p": p}, ["y"])
    check_or_expect_missing(["nn.cast"], model, {"x": x, "p": p})


@pytest.mark.parametrize(
    ("base_dtype", "exponent_dtype"),
    [(np.int32, np.float32), (np.int64, np.float64), (np.int64, np.int32)],
)
def test_pow_with_integer_base(base_dtype: type, exponent_dtype: type) -> None:
    """An integer base keeps its type; a float exponent is raised in f64."""
    x = np.array([[1, 2, -3], [4, 0, 5]], base_dtype)
    p = np.array([3, 2, 2], exponent_dtype)
    if np.issubdtype(exponent_dtype, np.floating):
        p = np.array([0.5, 2.5, 2.0], exponent_dtype)
    model = make_model([node("Pow", ["x", "p"], ["y"])], {"x": x, "p": p}, ["y"])
    assert_matches_onnxruntime(model, {"x": x, "p": p})


@pytest.mark.parametrize("op_type", ["Sum", "Max", "Min", "Mean"])
def test_variadic_ops_chain_with_broadcasting(op_type: str) -> None:
    a, b, c = random((2, 3), seed=10), random((3,), seed=11), random((1, 1), seed=12)
    feeds = {"a": a, "b": b, "c": c}
    model = make_model([node(op_type, ["a", "b", "c"], ["y"])], feeds, ["y"])
    module = assert_matches_onnxruntime(model, feeds)
    assert str(module).count("nn.") >= 2


def test_variadic_op_of_one_input_is_its_input() -> None:
    x = random((2, 3))
    model = make_model([node("Mean", ["x"], ["y"])], {"x": x}, ["y"])
    module = assert_matches_onnxruntime(model, {"x": x})
    assert "nn." not in str(module)


@pytest.mark.parametrize(
    ("bounds", "initializers"),
    [
        (["x", "lo", "hi"], {"lo": -0.5, "hi": 0.5}),
        (["x", "", "hi"], {"hi": 0.2}),
        (["x", "lo"], {"lo": 0.0}),
        (["x"], {}),
    ],
)
def test_clip_bounds_are_constant_inputs(
    bounds: list[str], initializers: dict[str, float]
) -> None:
    x = random((3, 4), seed=13)
    arrays = {k: np.array(v, np.float32) for k, v in initializers.items()}
    model = make_model([node("Clip", bounds, ["y"])], {"x": x}, ["y"], arrays)
    assert_matches_onnxruntime(model, {"x": x})


def test_clip_of_opset_6_uses_attributes() -> None:
    x = random((3, 4), seed=14)
    model = make_model(
        [node("Clip", ["x"], ["y"], min=-0.1, max=0.3)], {"x": x}, ["y"], opset=6
    )
    assert_matches_onnxruntime(model, {"x": x})


def test_clip_with_runtime_bound_is_unsupported() -> None:
    x, lo = random((3,)), random(())
    model = make_model([node("Clip", ["x", "lo"], ["y"])], {"x": x, "lo": lo}, ["y"])
    with pytest.raises(OnnxImportError, match="input 'min' must be a constant"):
        import_model(model)


def test_where() -> None:
    cond = np.array([[True], [False]])
    x, y = random((2, 3), seed=15), random((3,), seed=16)
    feeds = {"c": cond, "x": x, "y": y}
    model = make_model([node("Where", ["c", "x", "y"], ["z"])], feeds, ["z"])
    check_or_expect_missing(["nn.where"], model, feeds)


@pytest.mark.parametrize(
    "to", [TensorProto.DOUBLE, TensorProto.INT64, TensorProto.BOOL]
)
def test_cast(to: int) -> None:
    x = 3 * random((2, 5), seed=17)
    model = make_model([node("Cast", ["x"], ["y"], to=to)], {"x": x}, ["y"])
    check_or_expect_missing(["nn.cast"], model, {"x": x})


def test_cast_to_the_same_type_is_no_op() -> None:
    x = random((2, 5))
    model = make_model(
        [node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)], {"x": x}, ["y"]
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert "nn." not in str(module)


def test_cast_like() -> None:
    x, like = random((4,), seed=18), np.zeros((1,), np.float64)
    feeds = {"x": x, "like": like}
    model = make_model([node("CastLike", ["x", "like"], ["y"])], feeds, ["y"])
    check_or_expect_missing(["nn.cast"], model, feeds)


def test_identity_and_inference_dropout_forward_their_input() -> None:
    x = random((2, 3))
    model = make_model(
        [
            node("Identity", ["x"], ["i"]),
            node("Dropout", ["i", "ratio"], ["d", "mask"]),
            node("Relu", ["d"], ["y"]),
        ],
        {"x": x},
        ["y"],
        {"ratio": np.array(0.5, np.float32)},
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert str(module).count("nn.") == 1


@pytest.mark.parametrize(
    ("inputs", "constants"),
    [
        (["x"], {}),
        (["x", "ratio"], {"ratio": np.array(0.25, np.float32)}),
        (
            ["x", "ratio", "train"],
            {"ratio": np.array(0.0, np.float32), "train": np.array(True)},
        ),
    ],
)
def test_dropout_that_drops_nothing_has_an_all_true_mask(
    inputs: list[str], constants: dict[str, np.ndarray]
) -> None:
    """Inference, or training with ratio 0: the identity, and a mask of ones."""
    x = random((2, 3))
    model = make_model(
        [node("Dropout", inputs, ["d", "mask"])], {"x": x}, ["d", "mask"], constants
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert "nn.constant dense<true> : tensor<2x3xi1>" in str(module)


def test_dropout_in_training_mode_is_unsupported() -> None:
    x = random((2, 3))
    model = make_model(
        [node("Dropout", ["x", "", "train"], ["d"])],
        {"x": x},
        ["d"],
        {"train": np.array(True)},
    )
    with pytest.raises(OnnxImportError, match="training_mode = true with ratio 0.5"):
        import_model(model)
