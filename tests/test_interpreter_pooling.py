"""The reference interpreter on nn.max_pool2d, nn.avg_pool2d, nn.global_avg_pool2d.

Expected values come from naive loops that visit every window tap and classify it
as an input element, padding, or ceil_mode overhang, written independently of the
interpreter's padded-array formulation.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import dlc
from tests.support import random_array, run_function

Array = np.ndarray[Any, Any]
ELEMENT = {"float32": "f32", "float64": "f64"}


def tensor(shape: tuple[int, ...], dtype: str = "float32") -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def function(
    op: str,
    x_shape: tuple[int, ...],
    out_shape: tuple[int, ...],
    properties: str = "",
    dtype: str = "float32",
) -> str:
    x, out = tensor(x_shape, dtype), tensor(out_shape, dtype)
    return f"""
    func.func @f(%x: {x}) -> {out} {{
      %r = {op} %x {properties} : {x} -> {out}
      func.return %r : {out}
    }}
    """


def ints(values: tuple[int, ...]) -> str:
    return "array<i64: " + ", ".join(map(str, values)) + ">"


@dataclass(frozen=True)
class PoolCase:
    x: tuple[int, int, int, int]
    kernel: tuple[int, int]
    strides: tuple[int, int] = (1, 1)
    padding: tuple[int, int, int, int] = (0, 0, 0, 0)
    dilations: tuple[int, int] = (1, 1)
    ceil_mode: bool = False

    def properties(self, *flags: str) -> str:
        entries = [
            f"kernel = {ints(self.kernel)}",
            f"strides = {ints(self.strides)}",
            f"padding = {ints(self.padding)}",
        ]
        if self.dilations != (1, 1):
            entries.append(f"dilations = {ints(self.dilations)}")
        if self.ceil_mode:
            entries.append("ceil_mode")
        entries.extend(flags)
        return "{" + ", ".join(entries) + "}"


def output_size(
    size: int,
    kernel: int,
    stride: int,
    before: int,
    after: int,
    dilation: int,
    ceil_mode: bool,
) -> int:
    """PyTorch's rule: a ceil_mode window must start inside the input or its
    leading padding."""
    span = (size + before + after - dilation * (kernel - 1) - 1) / stride
    count = (math.ceil(span) if ceil_mode else math.floor(span)) + 1
    if ceil_mode and (count - 1) * stride >= size + before:
        count -= 1
    return count


def naive_pool(
    x: Array, case: PoolCase, kind: str, count_include_pad: bool = False
) -> Array:
    n_, c_, h_, w_ = x.shape
    (kh, kw), (sh, sw), (dh, dw) = case.kernel, case.strides, case.dilations
    top, left, bottom, right = case.padding
    oh = output_size(h_, kh, sh, top, bottom, dh, case.ceil_mode)
    ow = output_size(w_, kw, sw, left, right, dw, case.ceil_mode)
    out = np.zeros((n_, c_, oh, ow), dtype=np.float64)
    for n, c, y, z in itertools.product(range(n_), range(c_), range(oh), range(ow)):
        inputs: list[float] = []
        padded = 0
        for i, j in itertools.product(range(kh), range(kw)):
            row = y * sh + i * dh - top
            col = z * sw + j * dw - left
            if 0 <= row < h_ and 0 <= col < w_:
                inputs.append(float(x[n, c, row, col]))
            elif row < h_ + bottom and col < w_ + right:
                padded += 1  # in the padding, not in the ceil_mode overhang
        if kind == "max":
            out[n, c, y, z] = max(inputs + [-math.inf] * padded)
        else:
            divisor = len(inputs) + (padded if count_include_pad else 0)
            out[n, c, y, z] = sum(inputs) / divisor
    return out


POOL_CASES = {
    "2x2 stride 2": PoolCase((2, 3, 4, 6), (2, 2), strides=(2, 2)),
    "3x3 stride 1": PoolCase((1, 2, 5, 5), (3, 3)),
    "3x3 stride 2 padded": PoolCase(
        (1, 2, 7, 6), (3, 3), strides=(2, 2), padding=(1, 1, 1, 1)
    ),
    "asymmetric padding and strides": PoolCase(
        (1, 1, 5, 6), (3, 2), strides=(2, 1), padding=(2, 0, 1, 1)
    ),
    "ceil_mode overhang": PoolCase(
        (1, 2, 5, 5), (2, 2), strides=(2, 2), ceil_mode=True
    ),
    "ceil_mode with padding": PoolCase(
        (1, 1, 6, 7), (3, 3), strides=(2, 2), padding=(1, 1, 1, 1), ceil_mode=True
    ),
    "ceil_mode window in trailing padding dropped": PoolCase(
        (1, 1, 5, 5), (2, 2), strides=(2, 2), padding=(1, 1, 1, 1), ceil_mode=True
    ),
    "1x1 kernel": PoolCase((1, 3, 3, 4), (1, 1), strides=(2, 3)),
    "size-1 dims": PoolCase((1, 1, 1, 5), (1, 3)),
}

DILATED_CASES = {
    "dilation 2": PoolCase((1, 2, 7, 7), (2, 2), dilations=(2, 2)),
    "dilation, stride, padding": PoolCase(
        (1, 1, 8, 6), (3, 2), strides=(2, 1), padding=(1, 1, 2, 0), dilations=(2, 3)
    ),
    "dilation with ceil_mode": PoolCase(
        (1, 1, 7, 6), (2, 2), strides=(2, 2), dilations=(2, 1), ceil_mode=True
    ),
}


@pytest.mark.parametrize(
    "case",
    [*POOL_CASES.values(), *DILATED_CASES.values()],
    ids=[*POOL_CASES.keys(), *DILATED_CASES.keys()],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_max_pool2d_matches_naive_windows(case: PoolCase, dtype: str):
    x = random_array(np.random.default_rng(1), case.x, dtype)
    expected = naive_pool(x, case, "max")
    text = function("nn.max_pool2d", x.shape, expected.shape, case.properties(), dtype)
    out = run_function(text, x)
    assert out.dtype == np.dtype(dtype) and out.shape == expected.shape
    np.testing.assert_array_equal(out, expected.astype(dtype))


@pytest.mark.parametrize("count_include_pad", [False, True])
@pytest.mark.parametrize(
    "case",
    [*POOL_CASES.values(), *DILATED_CASES.values()],
    ids=[*POOL_CASES.keys(), *DILATED_CASES.keys()],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_avg_pool2d_matches_naive_windows(
    case: PoolCase, dtype: str, count_include_pad: bool
):
    x = random_array(np.random.default_rng(2), case.x, dtype)
    expected = naive_pool(x, case, "avg", count_include_pad)
    flags = ["count_include_pad"] if count_include_pad else []
    properties = case.properties(*flags)
    text = function("nn.avg_pool2d", x.shape, expected.shape, properties, dtype)
    out = run_function(text, x)
    assert out.dtype == np.dtype(dtype) and out.shape == expected.shape
    tolerance = 1e-6 if dtype == "float32" else 1e-14
    np.testing.assert_allclose(out, expected, rtol=tolerance, atol=tolerance)


def test_ceil_mode_keeps_the_partial_last_window_with_known_values():
    x = np.arange(1, 6, dtype=np.float32).reshape(1, 1, 1, 5)
    props = "{kernel = array<i64: 1, 2>, strides = array<i64: 1, 2>, ceil_mode}"
    max_text = function("nn.max_pool2d", x.shape, (1, 1, 1, 3), props)
    np.testing.assert_array_equal(run_function(max_text, x).ravel(), [2, 4, 5])
    # The last window holds only the 5: its overhang counts for nothing, even with
    # count_include_pad (PyTorch's divisor).
    for flag in ("", ", count_include_pad"):
        avg_props = props[:-1] + flag + "}"
        avg_text = function("nn.avg_pool2d", x.shape, (1, 1, 1, 3), avg_props)
        np.testing.assert_array_equal(run_function(avg_text, x).ravel(), [1.5, 3.5, 5])


def test_avg_pool2d_padding_counts_only_with_count_include_pad():
    x = np.ones((1, 1, 2, 2), dtype=np.float32)
    props = "{kernel = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>"
    excluded = function("nn.avg_pool2d", x.shape, (1, 1, 2, 2), props + "}")
    included = function(
        "nn.avg_pool2d", x.shape, (1, 1, 2, 2), props + ", count_include_pad}"
    )
    np.testing.assert_array_equal(run_function(excluded, x), np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(
        run_function(included, x)[0, 0], [[0.25, 0.5], [0.5, 1.0]]
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (1, 1, 1, 1), (1, 2, 1, 7)])
def test_global_avg_pool2d_is_the_mean_over_h_and_w(shape, dtype: str):
    x = random_array(np.random.default_rng(3), shape, dtype)
    out = run_function(
        function("nn.global_avg_pool2d", shape, shape[:2] + (1, 1), dtype=dtype), x
    )
    assert out.dtype == np.dtype(dtype)
    for n, c in itertools.product(range(shape[0]), range(shape[1])):
        values = [float(v) for v in x[n, c].ravel()]
        assert out[n, c, 0, 0] == pytest.approx(sum(values) / len(values), rel=1e-6)


@pytest.mark.parametrize(
    ("op", "properties", "message"),
    [
        (
            "nn.max_pool2d",
            "{kernel = array<i64: 3, 3>, padding = array<i64: 3, 0, 0, 0>}",
            "nn.max_pool2d: padding [3, 0, 0, 0] must be smaller than kernel [3, 3]",
        ),
        (
            "nn.avg_pool2d",
            "{kernel = array<i64: 5, 2>}",
            "nn.avg_pool2d: window height 5 (kernel 5, dilation 1) is larger than",
        ),
        (
            "nn.max_pool2d",
            "{kernel = array<i64: 2, 2>, dilations = array<i64: 1, 4>}",
            "nn.max_pool2d: window width 5 (kernel 2, dilation 4) is larger than",
        ),
    ],
)
def test_bad_windows_are_rejected_naming_the_op_and_input(op, properties, message):
    with pytest.raises(dlc.DiagnosticError) as error:
        dlc.parse(function(op, (1, 2, 4, 4), (1, 2, 1, 1), properties))
    assert message in error.value.message
    assert tensor((1, 2, 4, 4)) in error.value.message


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ("{kernel = array<i64: 2>}", "kernel must have 2 entries [h, w], got 1: [2]"),
        (
            "{kernel = array<i64: 2, 2>, strides = array<i64: 0, 1>}",
            "strides must be positive, got [0, 1]",
        ),
        (
            "{kernel = array<i64: 2, 2>, padding = array<i64: 0, -1, 0, 0>}",
            "padding must be non-negative, got [0, -1, 0, 0]",
        ),
        ("{kernel = [2, 2]}", "property 'kernel' must be an array<i64: ...>"),
        ("{kernel = array<i64: 2, 2>, ceil_mode = true}", "ceil_mode"),
    ],
)
def test_bad_properties_are_rejected_naming_the_op(properties, message):
    with pytest.raises(dlc.DiagnosticError) as error:
        dlc.parse(function("nn.avg_pool2d", (1, 2, 4, 4), (1, 2, 1, 1), properties))
    assert error.value.message.startswith("nn.avg_pool2d: ")
    assert message in error.value.message
