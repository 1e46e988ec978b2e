"""Pooling, normalization and reduction converters against onnxruntime."""

from __future__ import annotations

import numpy as np
import pytest

from dlc.frontends.onnx import OnnxImportError, import_model
from dlc.frontends.onnx.reduction import REDUCE_OPS
from tests.onnx.support import (
    assert_matches_onnxruntime,
    check_or_expect_missing,
    make_model,
    node,
    random,
    run_dlc,
)

# --- Pooling -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op_type", "attrs"),
    [
        ("MaxPool", {"kernel_shape": [2, 2], "strides": [2, 2]}),
        ("MaxPool", {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1]}),
        ("MaxPool", {"kernel_shape": [3, 3], "strides": [2, 2], "ceil_mode": 1}),
        ("MaxPool", {"kernel_shape": [2, 2], "dilations": [2, 2]}),
        (
            "MaxPool",
            {"kernel_shape": [3, 2], "auto_pad": "SAME_UPPER", "strides": [2, 2]},
        ),
        ("AveragePool", {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1]}),
        (
            "AveragePool",
            {"kernel_shape": [3, 3], "pads": [1, 1, 1, 1], "count_include_pad": 1},
        ),
        ("AveragePool", {"kernel_shape": [2, 2], "strides": [2, 2], "ceil_mode": 1}),
        ("AveragePool", {"kernel_shape": [3, 3], "auto_pad": "SAME_LOWER"}),
        ("AveragePool", {"kernel_shape": [2, 2], "dilations": [2, 2]}),
        (
            "AveragePool",
            {"kernel_shape": [3, 2], "dilations": [2, 3], "pads": [2, 1, 1, 1]},
        ),
        (
            "AveragePool",
            {
                "kernel_shape": [2, 3],
                "dilations": [3, 2],
                "strides": [2, 2],
                "pads": [1, 0, 1, 2],
                "count_include_pad": 1,
            },
        ),
    ],
)
def test_pool2d(op_type: str, attrs: dict[str, object]) -> None:
    x = random((1, 3, 7, 7), seed=1)
    model = make_model([node(op_type, ["x"], ["y"], **attrs)], {"x": x}, ["y"])
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize("op_type", ["MaxPool", "AveragePool"])
def test_pool1d_runs_as_pool2d_of_height_1(op_type: str) -> None:
    x = random((2, 3, 9), seed=2)
    model = make_model(
        [node(op_type, ["x"], ["y"], kernel_shape=[3], strides=[2], pads=[1, 1])],
        {"x": x},
        ["y"],
    )
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize(
    ("op_type", "attrs"),
    [
        ("MaxPool", {"kernel_shape": [3, 2, 2]}),
        (
            "MaxPool",
            {
                "kernel_shape": [2, 3, 2],
                "strides": [2, 1, 3],
                "pads": [1, 1, 0, 0, 1, 1],
                "dilations": [2, 1, 2],
            },
        ),
        ("MaxPool", {"kernel_shape": [2, 2, 3], "strides": [2, 2, 2], "ceil_mode": 1}),
        ("AveragePool", {"kernel_shape": [3, 3, 3], "pads": [1, 0, 1, 1, 2, 1]}),
        (
            "AveragePool",
            {
                "kernel_shape": [3, 2, 3],
                "strides": [2, 2, 1],
                "pads": [1, 1, 1, 1, 0, 2],
                "count_include_pad": 1,
            },
        ),
        (
            "AveragePool",
            {"kernel_shape": [2, 2, 2], "dilations": [2, 1, 3], "pads": [1] * 6},
        ),
    ],
)
def test_pool3d_is_two_2d_pools(op_type: str, attrs: dict[str, object]) -> None:
    """Odd sizes, and a 1-wide dim."""
    x = random((2, 3, 5, 7, 9), seed=4)
    model = make_model([node(op_type, ["x"], ["y"], **attrs)], {"x": x}, ["y"])
    module = assert_matches_onnxruntime(model, {"x": x})
    pool = "nn.max_pool2d" if op_type == "MaxPool" else "nn.avg_pool2d"
    assert str(module).count(pool) == 2


def test_pool3d_of_a_size_1_depth() -> None:
    x = random((1, 2, 1, 6, 5), seed=5)
    pool = node("MaxPool", ["x"], ["y"], kernel_shape=[1, 3, 3], pads=[0, 1, 1] * 2)
    model = make_model([pool], {"x": x}, ["y"])
    assert_matches_onnxruntime(model, {"x": x})


def test_max_pool_indices_output_is_unsupported() -> None:
    x = random((1, 1, 4, 4))
    model = make_model(
        [node("MaxPool", ["x"], ["y", "i"], kernel_shape=[2, 2])], {"x": x}, ["y", "i"]
    )
    with pytest.raises(OnnxImportError, match="Indices"):
        import_model(model)


@pytest.mark.parametrize(
    ("op_type", "shape"),
    [
        ("GlobalAveragePool", (2, 3, 5, 4)),
        ("GlobalAveragePool", (2, 3, 5)),
        ("GlobalMaxPool", (2, 3, 5, 4)),
        ("GlobalMaxPool", (1, 2, 3, 2, 2)),
    ],
)
def test_global_pools_reduce_the_spatial_dims(
    op_type: str, shape: tuple[int, ...]
) -> None:
    x = random(shape, seed=3)
    model = make_model([node(op_type, ["x"], ["y"])], {"x": x}, ["y"])
    assert_matches_onnxruntime(model, {"x": x})


# --- Normalization -----------------------------------------------------------------


@pytest.mark.parametrize("op_type", ["Softmax", "LogSoftmax"])
@pytest.mark.parametrize("axis", [None, 0, 1, -2])
def test_softmax(op_type: str, axis: int | None) -> None:
    x = random((3, 4, 5), seed=4)
    attrs = {} if axis is None else {"axis": axis}
    model = make_model([node(op_type, ["x"], ["y"], **attrs)], {"x": x}, ["y"])
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize("op_type", ["Softmax", "LogSoftmax"])
def test_softmax_of_opset_11_flattens_at_its_axis(op_type: str) -> None:
    """Before opset 13, softmax normalized over all dims from ``axis`` on."""
    x = random((2, 3, 4), seed=5)
    model = make_model([node(op_type, ["x"], ["y"], axis=1)], {"x": x}, ["y"], opset=11)
    assert_matches_onnxruntime(model, {"x": x})


def test_batch_normalization() -> None:
    x = random((2, 3, 4, 4), seed=6)
    params = {
        "s": random((3,), seed=7),
        "b": random((3,), seed=8),
        "m": random((3,), seed=9),
        "v": np.abs(random((3,), seed=10)) + 0.5,
    }
    model = make_model(
        [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], epsilon=1e-3)],
        {"x": x},
        ["y"],
        params,
    )
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize(
    ("shape", "outputs"),
    [
        ((2, 3, 5), ["y", "running_mean", "running_var"]),
        ((4, 3), ["y", "", "running_var"]),
        ((1, 3, 2, 3), ["y", "running_mean", ""]),
    ],
)
def test_batch_normalization_in_training_mode_uses_the_batch_statistics(
    shape: tuple[int, ...], outputs: list[str]
) -> None:
    """Against numpy (onnxruntime's inference build has no training mode)."""
    x = random(shape, seed=11)
    s, b, m = (random((3,), seed=seed) for seed in (12, 13, 14))
    v = np.abs(random((3,), seed=15)) + 0.5
    model = make_model(
        [
            node(
                "BatchNormalization",
                ["x", "s", "b", "m", "v"],
                outputs,
                training_mode=1,
                momentum=0.8,
                epsilon=0.01,
            )
        ],
        {"x": x},
        [name for name in outputs if name],
        {"s": s, "b": b, "m": m, "v": v},
    )
    axes = (0, *range(2, len(shape)))
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    per_channel = (3,) + (1,) * (len(shape) - 2)

    def channels(a: np.ndarray) -> np.ndarray:
        return a.reshape(per_channel)

    y = (x - channels(mean)) / np.sqrt(channels(var) + 0.01) * channels(s)
    expected = {
        "y": y + channels(b),
        "running_mean": m * 0.8 + mean * 0.2,
        "running_var": v * 0.8 + var * 0.2,
    }
    got = run_dlc(import_model(model), {"x": x})
    for name, value in zip([n for n in outputs if n], got, strict=True):
        np.testing.assert_allclose(value, expected[name], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    ("axis", "scale_shape", "with_bias"),
    [(-1, (6,), True), (1, (5, 6), False), (1, (1, 6), True), (-2, (5, 6), False)],
)
def test_layer_normalization(
    axis: int, scale_shape: tuple[int, ...], with_bias: bool
) -> None:
    x = random((2, 5, 6), seed=11)
    params = {"s": random(scale_shape, seed=12)}
    inputs = ["x", "s"]
    if with_bias:
        params["b"] = random(scale_shape, seed=13)
        inputs.append("b")
    model = make_model(
        [node("LayerNormalization", inputs, ["y"], axis=axis, epsilon=1e-3)],
        {"x": x},
        ["y"],
        params,
        opset=17,
    )
    assert_matches_onnxruntime(model, {"x": x}, rtol=1e-4, atol=1e-5)


def test_layer_normalization_with_runtime_scale() -> None:
    x, s = random((3, 4), seed=14), random((4,), seed=15)
    model = make_model(
        [node("LayerNormalization", ["x", "s"], ["y"])], {"x": x, "s": s}, ["y"]
    )
    assert_matches_onnxruntime(model, {"x": x, "s": s}, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    ("outputs", "axis"),
    [(["y", "mean", "inv"], -1), (["y", "", "inv"], 1), (["y", "mean"], 0)],
)
def test_layer_normalization_mean_and_inv_std_dev_outputs(
    outputs: list[str], axis: int
) -> None:
    x, s = random((2, 3, 5), seed=16), random((2, 3, 5)[axis:], seed=17)
    model = make_model(
        [node("LayerNormalization", ["x", "s"], outputs, axis=axis, epsilon=0.1)],
        {"x": x},
        [name for name in outputs if name],
        {"s": s},
    )
    module = assert_matches_onnxruntime(model, {"x": x}, rtol=1e-4, atol=1e-5)
    assert str(module).count("nn.rsqrt") == ("inv" in outputs)


def test_rms_normalization() -> None:
    x = random((2, 3, 8), seed=16)
    model = make_model(
        [node("RMSNormalization", ["x", "s"], ["y"], epsilon=1e-4)],
        {"x": x},
        ["y"],
        {"s": random((8,), seed=17)},
        opset=23,
    )
    assert_matches_onnxruntime(model, {"x": x}, rtol=1e-4, atol=1e-5)


def test_lrn() -> None:
    x = random((1, 5, 3, 3), seed=18)
    model = make_model(
        [node("LRN", ["x"], ["y"], size=3, alpha=1e-3, beta=0.7, bias=2.0)],
        {"x": x},
        ["y"],
    )
    check_or_expect_missing(["nn.lrn"], model, {"x": x}, rtol=1e-4)


# --- Reduction ---------------------------------------------------------------------


@pytest.mark.parametrize("op_type", sorted(REDUCE_OPS))
def test_reductions_with_axes_input(op_type: str) -> None:
    x = random((3, 4, 5), seed=19)
    model = make_model(
        [node(op_type, ["x", "axes"], ["y"], keepdims=0)],
        {"x": x},
        ["y"],
        {"axes": np.array([0, -1], np.int64)},
        opset=18,
    )
    before, reduce, after = REDUCE_OPS[op_type]
    needs = [op for op in (before, reduce, after) if op and op.startswith("nn.")]
    check_or_expect_missing(needs, model, {"x": x}, rtol=1e-4)


@pytest.mark.parametrize(
    ("attrs", "opset"),
    [
        ({"axes": [1]}, 13),
        ({}, 13),
        ({"keepdims": 0}, 18),
        ({"noop_with_empty_axes": 1}, 18),
    ],
)
def test_reduce_mean_axes_forms(attrs: dict[str, object], opset: int) -> None:
    """Axes as an attribute (old opsets, upgraded), none (every axis), no-op."""
    x = random((2, 3, 4), seed=20)
    model = make_model(
        [node("ReduceMean", ["x"], ["y"], **attrs)], {"x": x}, ["y"], opset=opset
    )
    assert_matches_onnxruntime(model, {"x": x})


def test_reduce_with_runtime_axes_is_unsupported() -> None:
    x, axes = random((2, 3)), np.array([1], np.int64)
    model = make_model(
        [node("ReduceSum", ["x", "axes"], ["y"])], {"x": x, "axes": axes}, ["y"]
    )
    with pytest.raises(OnnxImportError, match="input 'axes' must be a constant"):
        import_model(model)
