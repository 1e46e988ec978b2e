"""Shape converters against onnxruntime: reshape, transpose, slicing, padding..."""

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
    run_dlc,
)

INT64_MAX = np.iinfo(np.int64).max


def ints(*values: int) -> np.ndarray:
    return np.array(values, np.int64)


@pytest.mark.parametrize(
    ("shape", "allowzero", "expected"),
    [
        ((0, -1), 0, (2, 12)),
        ((-1, 4), 0, (6, 4)),
        ((2, 3, 4), 0, None),
        ((4, 0, 3), 1, "error"),
    ],
)
def test_reshape(
    shape: tuple[int, ...], allowzero: int, expected: tuple[int, ...] | str | None
) -> None:
    x = random((2, 3, 4), seed=1)
    model = make_model(
        [node("Reshape", ["x", "shape"], ["y"], allowzero=allowzero)],
        {"x": x},
        ["y"],
        {"shape": ints(*shape)},
    )
    if expected == "error":
        with pytest.raises(OnnxImportError, match="nn.reshape"):
            import_model(model)
        return
    module = assert_matches_onnxruntime(model, {"x": x})
    assert ("nn.reshape" in str(module)) == (expected is not None)


@pytest.mark.parametrize("perm", [None, [1, 0, 2], [0, 1, 2]])
def test_transpose(perm: list[int] | None) -> None:
    x = random((2, 3, 4), seed=2)
    attrs = {} if perm is None else {"perm": perm}
    model = make_model([node("Transpose", ["x"], ["y"], **attrs)], {"x": x}, ["y"])
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize("axis", [0, 2, -1])
def test_flatten(axis: int) -> None:
    x = random((2, 3, 4), seed=3)
    model = make_model([node("Flatten", ["x"], ["y"], axis=axis)], {"x": x}, ["y"])
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize("axes", [None, [0], [-1, 0]])
def test_squeeze(axes: list[int] | None) -> None:
    x = random((1, 3, 1), seed=4)
    inputs = ["x"] if axes is None else ["x", "axes"]
    initializers = {} if axes is None else {"axes": ints(*axes)}
    model = make_model([node("Squeeze", inputs, ["y"])], {"x": x}, ["y"], initializers)
    assert_matches_onnxruntime(model, {"x": x})


def test_squeeze_and_unsqueeze_of_opset_11_use_attributes() -> None:
    x = random((1, 3), seed=5)
    model = make_model(
        [
            node("Squeeze", ["x"], ["s"], axes=[0]),
            node("Unsqueeze", ["s"], ["y"], axes=[1]),
        ],
        {"x": x},
        ["y"],
        opset=11,
    )
    assert_matches_onnxruntime(model, {"x": x})


def test_unsqueeze() -> None:
    x = random((3, 4), seed=6)
    model = make_model(
        [node("Unsqueeze", ["x", "axes"], ["y"])],
        {"x": x},
        ["y"],
        {"axes": ints(0, -1)},
    )
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize(
    ("shape", "op"), [((2, 1, 4), "nn.broadcast_to"), ((3, 1), None)]
)
def test_expand_result_may_exceed_the_shape(
    shape: tuple[int, ...], op: str | None
) -> None:
    x = random((3, 1), seed=7)
    model = make_model(
        [node("Expand", ["x", "shape"], ["y"])],
        {"x": x},
        ["y"],
        {"shape": ints(*shape)},
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert op is None or op in str(module)


@pytest.mark.parametrize(
    ("starts", "ends", "axes", "steps"),
    [
        ([1], [100], [-1], None),
        ([0, 1], [2, 4], None, None),
        ([-1], [-INT64_MAX], [1], [-1]),
        ([4, 0], [0, 3], [1, 0], [-2, 2]),
    ],
)
def test_slice(
    starts: list[int], ends: list[int], axes: list[int] | None, steps: list[int] | None
) -> None:
    x = random((3, 5), seed=8)
    initializers = {"starts": ints(*starts), "ends": ints(*ends)}
    inputs = ["x", "starts", "ends"]
    if axes is not None or steps is not None:
        initializers["axes"] = ints(*(axes or range(len(starts))))
        inputs.append("axes")
    if steps is not None:
        initializers["steps"] = ints(*steps)
        inputs.append("steps")
    model = make_model([node("Slice", inputs, ["y"])], {"x": x}, ["y"], initializers)
    assert_matches_onnxruntime(model, {"x": x})


def test_slice_of_opset_9_uses_attributes() -> None:
    x = random((4, 5), seed=9)
    model = make_model(
        [node("Slice", ["x"], ["y"], starts=[1], ends=[3], axes=[1])],
        {"x": x},
        ["y"],
        opset=9,
    )
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize(
    ("mode", "pads", "value", "axes"),
    [
        ("constant", [0, 1, 2, 0], None, None),
        ("constant", [1, 1, 1, 1], 2.5, None),
        ("edge", [1, 2, 0, 1], None, None),
        ("reflect", [0, 2, 0, 1], None, None),
        ("constant", [1, 2], -1.0, [-1]),
    ],
)
def test_pad(
    mode: str, pads: list[int], value: float | None, axes: list[int] | None
) -> None:
    x = random((3, 4), seed=10)
    initializers = {"pads": ints(*pads)}
    inputs = ["x", "pads"]
    if value is not None:
        initializers["value"] = np.array(value, np.float32)
        inputs.append("value")
    if axes is not None:
        if value is None:
            inputs.append("")
        initializers["axes"] = ints(*axes)
        inputs.append("axes")
    model = make_model(
        [node("Pad", inputs, ["y"], mode=mode)], {"x": x}, ["y"], initializers
    )
    assert_matches_onnxruntime(model, {"x": x})


@pytest.mark.parametrize(
    ("shape", "pads"),
    [
        ((3, 4), [0, 1, 0, 1]),
        ((2, 3, 5), [1, 0, 2, 0, 4, 1]),  # more than the dim: wraps more than once
        ((1, 2), [2, 0, 3, 5]),
        ((3, 4), [0, 0, 0, 0]),
    ],
)
def test_pad_wrap_tiles_and_slices(shape: tuple[int, ...], pads: list[int]) -> None:
    x = random(shape)
    model = make_model(
        [node("Pad", ["x", "pads"], ["y"], mode="wrap")],
        {"x": x},
        ["y"],
        {"pads": ints(*pads)},
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    rank = len(shape)
    expected = np.pad(x, list(zip(pads[:rank], pads[rank:], strict=True)), "wrap")
    np.testing.assert_array_equal(run_dlc(module, {"x": x})[0], expected)


def test_concat() -> None:
    a, b = random((2, 3), seed=11), random((2, 5), seed=12)
    model = make_model(
        [node("Concat", ["a", "b", "a"], ["y"], axis=-1)], {"a": a, "b": b}, ["y"]
    )
    assert_matches_onnxruntime(model, {"a": a, "b": b})


@pytest.mark.parametrize(
    ("inputs", "attrs", "initializers", "outputs", "opset"),
    [
        (["x", "split"], {"axis": 1}, {"split": ints(2, 5)}, 2, 21),
        (["x"], {"axis": 1}, {}, 7, 13),
        (["x"], {"axis": 1, "num_outputs": 3}, {}, 3, 18),
        (["x"], {"axis": 0, "split": [1, 2]}, {}, 2, 11),
        (["x"], {"axis": -1, "num_outputs": 2}, {}, 2, 21),
    ],
)
def test_split(
    inputs: list[str],
    attrs: dict[str, object],
    initializers: dict[str, np.ndarray],
    outputs: int,
    opset: int,
) -> None:
    x = random((3, 7), seed=13)
    names = [f"y{i}" for i in range(outputs)]
    model = make_model(
        [node("Split", inputs, names, **attrs)], {"x": x}, names, initializers, opset
    )
    assert_matches_onnxruntime(model, {"x": x})


def test_split_emits_slices_only_for_used_outputs() -> None:
    x = random((4, 2), seed=14)
    model = make_model(
        [node("Split", ["x"], ["a", "b"], num_outputs=2), node("Relu", ["b"], ["y"])],
        {"x": x},
        ["y"],
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert str(module).count("nn.slice") == 1


def test_tile() -> None:
    x = random((2, 3), seed=15)
    model = make_model(
        [node("Tile", ["x", "r"], ["y"])], {"x": x}, ["y"], {"r": ints(2, 1)}
    )
    check_or_expect_missing(["nn.tile"], model, {"x": x})


@pytest.mark.parametrize(("index", "axis"), [(0, 1), (-1, 0), (2, -1)])
def test_gather_of_a_constant_scalar_index_is_a_slice(index: int, axis: int) -> None:
    x = random((3, 4, 5), seed=16)
    model = make_model(
        [node("Gather", ["x", "i"], ["y"], axis=axis)],
        {"x": x},
        ["y"],
        {"i": np.array(index, np.int64)},
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert "nn.gather" not in str(module)


def test_gather_of_an_embedding_table() -> None:
    ids = np.array([[0, 3], [2, -1]], np.int64)
    model = make_model(
        [node("Gather", ["table", "ids"], ["y"])],
        {"ids": ids},
        ["y"],
        {"table": random((4, 6), seed=17)},
    )
    check_or_expect_missing(["nn.gather"], model, {"ids": ids})


@pytest.mark.parametrize(
    ("attrs", "scales", "sizes"),
    [
        ({"mode": "nearest"}, None, (1, 2, 6, 8)),
        ({"mode": "linear"}, (1.0, 1.0, 2.0, 2.0), None),
        (
            {
                "mode": "nearest",
                "coordinate_transformation_mode": "asymmetric",
                "nearest_mode": "floor",
            },
            (1.0, 1.0, 2.0, 1.0),
            None,
        ),
    ],
)
def test_resize(
    attrs: dict[str, str],
    scales: tuple[float, ...] | None,
    sizes: tuple[int, ...] | None,
) -> None:
    x = random((1, 2, 3, 4), seed=18)
    initializers: dict[str, np.ndarray] = {}
    inputs = ["x", "", ""]
    if scales is not None:
        initializers["scales"] = np.array(scales, np.float32)
        inputs[2] = "scales"
    if sizes is not None:
        initializers["sizes"] = ints(*sizes)
        inputs.append("sizes")
    model = make_model(
        [node("Resize", inputs, ["y"], **attrs)], {"x": x}, ["y"], initializers
    )
    check_or_expect_missing(["nn.resize"], model, {"x": x})


def test_resize_to_scales_that_give_fractional_sizes_is_unsupported() -> None:
    x = random((1, 1, 3, 3))
    model = make_model(
        [node("Resize", ["x", "", "scales"], ["y"])],
        {"x": x},
        ["y"],
        {"scales": np.array([1, 1, 1.5, 1.5], np.float32)},
    )
    with pytest.raises(OnnxImportError, match="does not give a whole size"):
        import_model(model)
