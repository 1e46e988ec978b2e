"""nn.resize against ONNX's text (exact fractions, element by element) and
onnxruntime, through the reference, the lowering and the compiled code.

The hand-written expectation computes each output element from ONNX's formulas
with Python fractions: nearest rounds half down as ``ceil(x - 1/2)`` and half up as
``floor(x + 1/2)``, linear is the bilinear blend of the four neighbours. Nearest
must match exactly; linear within f32 rtol 1e-5 / atol 1e-6 (the lowering weighs
in f32, the reference in f64), f64 1e-12.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp

import dlc
from dlc.dialects.nn import resize as rsz
from tests.strategies import OP_SPECS, Program, programs
from tests.support import check_random_program, lowered

Array = np.ndarray[Any, Any]
ELEMENT = {"float32": "f32", "float64": "f64"}
TOLERANCE = {"float32": (1e-5, 1e-6), "float64": (1e-12, 1e-12)}
COORDINATE_MODES = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"]
NEAREST_MODES = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]
# (mode, coordinate_transformation_mode, nearest_mode); linear ignores nearest_mode
MODES = [("nearest", ctm, nm) for ctm in COORDINATE_MODES for nm in NEAREST_MODES]
MODES += [("linear", ctm, "round_prefer_floor") for ctm in COORDINATE_MODES]
# (H, W) -> (H', W'): up, down, equal, to and from 1, and 7 -> 9, where ONNX's f64
# Python reference floors 2.9999999999999996 (exactly 3) and onnxruntime does not.
SIZES = [((2, 3), (4, 5)), ((5, 4), (3, 2)), ((3, 3), (7, 1)), ((1, 4), (3, 4))]
SIZES += [((7, 2), (9, 2)), ((6, 6), (2, 3))]


def resize_module(
    shape: tuple[int, ...],
    out_hw: tuple[int, int],
    modes: tuple[str, str, str],
    dtype: str = "float32",
) -> ModuleOp:
    mode, ctm, nm = modes
    n, c = shape[:2]
    sizes = (n, c, *out_hw)
    t = "tensor<" + "x".join(map(str, shape)) + f"x{ELEMENT[dtype]}>"
    o = "tensor<" + "x".join(map(str, sizes)) + f"x{ELEMENT[dtype]}>"
    props = (
        f'mode = "{mode}", coordinate_transformation_mode = "{ctm}", '
        f'nearest_mode = "{nm}", sizes = array<i64: {", ".join(map(str, sizes))}>'
    )
    return dlc.parse(
        f"func.func @f(%x: {t}) -> {o} {{\n"
        f"  %y = nn.resize %x {{{props}}} : {t} -> {o}\n  func.return %y : {o}\n}}"
    )


def coordinate(ctm: str, o: int, size: int, out: int) -> Fraction:
    """ONNX's coordinate transformation, with scale = out / size, exactly."""
    scale = Fraction(out, size)
    if ctm == "align_corners":
        return Fraction(0) if out == 1 else Fraction(o * (size - 1), out - 1)
    if ctm == "asymmetric":
        return o / scale
    if ctm == "pytorch_half_pixel" and out == 1:
        return Fraction(-1, 2)
    return (o + Fraction(1, 2)) / scale - Fraction(1, 2)


def rounded(x: Fraction, nearest_mode: str) -> int:
    return {
        "round_prefer_floor": math.ceil(x - Fraction(1, 2)),
        "round_prefer_ceil": math.floor(x + Fraction(1, 2)),
        "floor": math.floor(x),
        "ceil": math.ceil(x),
    }[nearest_mode]


def resize_expected(x: Array, out_hw: tuple[int, int], modes: tuple[str, ...]) -> Array:
    mode, ctm, nm = modes
    n, c, h, w = x.shape
    out = np.empty((n, c, *out_hw))

    def at(i: int, j: int, point: tuple[int, int]) -> float:
        return float(x[(*point, min(max(i, 0), h - 1), min(max(j, 0), w - 1))])

    for b, ch, oh, ow in np.ndindex(*out.shape):
        y = coordinate(ctm, oh, h, out_hw[0])
        z = coordinate(ctm, ow, w, out_hw[1])
        if mode == "nearest":
            out[b, ch, oh, ow] = at(rounded(y, nm), rounded(z, nm), (b, ch))
            continue
        i, j = math.floor(y), math.floor(z)
        fy, fz = float(y - i), float(z - j)
        out[b, ch, oh, ow] = (1 - fz) * (
            (1 - fy) * at(i, j, (b, ch)) + fy * at(i + 1, j, (b, ch))
        ) + fz * ((1 - fy) * at(i, j + 1, (b, ch)) + fy * at(i + 1, j + 1, (b, ch)))
    return out


def check(actual: Array, expected: Array, mode: str, dtype: str) -> None:
    assert actual.dtype == np.dtype(dtype) and actual.shape == expected.shape
    if mode == "nearest":
        np.testing.assert_array_equal(actual, expected.astype(dtype))
    else:
        rtol, atol = TOLERANCE[dtype]
        np.testing.assert_allclose(actual.astype(np.float64), expected, rtol, atol)


@pytest.mark.parametrize("modes", MODES, ids="-".join)
def test_reference_and_lowering_follow_the_onnx_formulas(modes: tuple[str, str, str]):
    rng = np.random.default_rng(0)
    for (h, w), out_hw in SIZES:
        x = rng.uniform(-2, 2, (1, 2, h, w)).astype(np.float32)
        module = resize_module(x.shape, out_hw, modes)
        expected = resize_expected(x, out_hw, modes)
        check(dlc.interpret(module, "f", x), expected, modes[0], "float32")
        check(dlc.interpret(lowered(module), "f", x), expected, modes[0], "float32")


def test_f64_linear_resize():
    x = np.random.default_rng(1).uniform(-2, 2, (2, 1, 3, 4))
    modes = ("linear", "half_pixel", "round_prefer_floor")
    module = resize_module(x.shape, (5, 2), modes, "float64")
    expected = resize_expected(x, (5, 2), modes)
    check(dlc.interpret(module, "f", x), expected, "linear", "float64")
    check(dlc.interpret(lowered(module), "f", x), expected, "linear", "float64")


def test_coordinates_are_exact_where_f64_would_round_below_an_integer():
    """7 -> 9, half_pixel: x = (o + 1/2) * 7/9 - 1/2 is exactly 3 at o = 4, which
    f64 computes as 2.9999999999999996; floor must still give row 3."""
    x = np.arange(7, dtype=np.float32).reshape(1, 1, 7, 1)
    module = resize_module(x.shape, (9, 1), ("nearest", "half_pixel", "floor"))
    rows = dlc.interpret(module, "f", x).reshape(9)
    assert rows[4] == 3.0
    np.testing.assert_array_equal(dlc.compile(module)(x).reshape(9), rows)


def onnxruntime_resize(x: Array, out_hw: tuple[int, int], modes: tuple[str, ...]):
    ort = pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper

    mode, ctm, nm = modes
    sizes = [*x.shape[:2], *out_hw]
    node = helper.make_node(
        "Resize",
        ["x", "", "", "sizes"],
        ["y"],
        mode=mode,
        coordinate_transformation_mode=ctm,
        nearest_mode=nm,
    )
    graph = helper.make_graph(
        [node],
        "resize",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        initializer=[helper.make_tensor("sizes", TensorProto.INT64, [4], sizes)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    session = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {"x": x})[0]


@pytest.mark.parametrize("modes", MODES, ids="-".join)
def test_reference_equals_onnxruntime(modes: tuple[str, str, str]):
    rng = np.random.default_rng(2)
    for (h, w), out_hw in SIZES:
        x = rng.uniform(-2, 2, (1, 2, h, w)).astype(np.float32)
        got = dlc.interpret(resize_module(x.shape, out_hw, modes), "f", x)
        np.testing.assert_allclose(
            got, onnxruntime_resize(x, out_hw, modes), 1e-5, 1e-6
        )


ODD = [((1, 3, 17, 17), (127, 9)), ((2, 1, 127, 3), (17, 1))]


@pytest.mark.parametrize(
    "modes", [MODES[0], MODES[7], MODES[-4], MODES[-2]], ids="-".join
)
@pytest.mark.parametrize(("shape", "out_hw"), ODD)
def test_compiled_resize_on_odd_sizes(shape: Any, out_hw: Any, modes: Any):
    x = np.random.default_rng(3).uniform(-2, 2, shape).astype(np.float32)
    got = dlc.compile(resize_module(shape, out_hw, modes))(x)
    check(got, resize_expected(x, out_hw, modes), modes[0], "float32")


def test_source_fraction_is_the_coordinate_transformation():
    for ctm, size, out in itertools.product(COORDINATE_MODES, range(1, 6), range(1, 6)):
        fraction = rsz.source_fraction(ctm, size, out)
        assert fraction.d > 0
        for o in range(out):
            assert fraction.at(o) == coordinate(ctm, o, size, out)


SPECS = [spec for spec in OP_SPECS if spec.op is rsz.ResizeOp]


@settings(max_examples=30, deadline=None)
@given(programs(max_ops=3, specs=SPECS), st.integers(0, 2**16))
def test_lowering_and_compiling_preserve_random_resizes(program: Program, seed: int):
    check_random_program(program, seed)
