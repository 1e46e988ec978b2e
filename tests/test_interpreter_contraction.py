"""The reference interpreter on nn.matmul, nn.dense and nn.conv2d.

Expected values come from naive loops over tiny shapes, written here independently
of the interpreter's einsum / strided-slice formulation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import Float32Type, TensorType
from xdsl.ir import Block

import dlc
from dlc.dialects.nn.base import i64_array, i64_attr
from dlc.dialects.nn.contraction import Conv2dOp, DenseOp
from tests.support import random_array, run_function

Array = np.ndarray[Any, Any]
ELEMENT = {"float32": "f32", "float64": "f64"}


def tensor(shape: tuple[int, ...], dtype: str = "float32") -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def function(
    op: str, operands: list[Array], result: tuple[int, ...], tail: str = ""
) -> str:
    """``@f`` applying ``op`` (with properties ``tail``) to its arguments."""
    dtype = str(operands[0].dtype)
    types = [tensor(a.shape, dtype) for a in operands]
    args = ", ".join(f"%a{i}: {t}" for i, t in enumerate(types))
    uses = ", ".join(f"%a{i}" for i in range(len(operands)))
    out = tensor(result, dtype)
    return f"""
    func.func @f({args}) -> {out} {{
      %r = {op} {uses} {tail} : ({", ".join(types)}) -> {out}
      func.return %r : {out}
    }}
    """


def naive_matmul(a: Array, b: Array) -> Array:
    """numpy matmul spelled out: promote 1-D operands, broadcast batches, sum over K."""
    a2 = a[None, :] if a.ndim == 1 else a
    b2 = b[:, None] if b.ndim == 1 else b
    batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    a2 = np.broadcast_to(a2, batch + a2.shape[-2:])
    b2 = np.broadcast_to(b2, batch + b2.shape[-2:])
    rows, k, cols = a2.shape[-2], a2.shape[-1], b2.shape[-1]
    out = np.zeros(batch + (rows, cols), dtype=np.float64)
    for index in itertools.product(*(range(d) for d in batch)):
        for i in range(rows):
            for j in range(cols):
                out[index + (i, j)] = sum(
                    float(a2[index + (i, p)]) * float(b2[index + (p, j)])
                    for p in range(k)
                )
    if a.ndim == 1:
        out = out[..., 0, :]
    if b.ndim == 1:
        out = out[..., 0]
    return out


@pytest.mark.parametrize(
    ("lhs", "rhs"),
    [
        ((3, 4), (4, 5)),
        ((2, 1, 3, 4), (5, 4, 6)),  # batch dims broadcast both ways
        ((4,), (4, 5)),  # 1-D lhs is a row, dropped from the result
        ((3, 4), (4,)),  # 1-D rhs is a column, dropped from the result
        ((4,), (4,)),  # dot product: a rank-0 result
        ((2, 3, 4), (4,)),
        ((4,), (2, 4, 3)),
        ((1, 1), (1, 1)),
    ],
)
def test_matmul_follows_numpy_promotion_and_batch_broadcasting(lhs, rhs):
    rng = np.random.default_rng(1)
    a, b = random_array(rng, lhs), random_array(rng, rhs)
    expected = naive_matmul(a, b)
    out = run_function(function("nn.matmul", [a, b], expected.shape), a, b)
    assert out.dtype == np.float32 and out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_matmul_in_f64_keeps_f64():
    rng = np.random.default_rng(2)
    a, b = random_array(rng, (2, 3), "float64"), random_array(rng, (3, 2), "float64")
    out = run_function(function("nn.matmul", [a, b], (2, 2)), a, b)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, naive_matmul(a, b), rtol=1e-12)


def naive_dense(x: Array, w: Array, b: Array | None) -> Array:
    out = np.zeros(x.shape[:-1] + (w.shape[1],), dtype=np.float64)
    for index in itertools.product(*(range(d) for d in x.shape[:-1])):
        for n in range(w.shape[1]):
            out[index + (n,)] = sum(
                float(x[index + (k,)]) * float(w[k, n]) for k in range(w.shape[0])
            )
            if b is not None:
                out[index + (n,)] += b[n]
    return out


@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("x_shape", [(2, 3), (3,), (2, 1, 3), (1, 3)])
def test_dense_is_input_times_weight_plus_optional_bias(x_shape, with_bias):
    rng = np.random.default_rng(3)
    x, w = random_array(rng, x_shape), random_array(rng, (3, 4))
    b = random_array(rng, (4,))
    operands = [x, w, b] if with_bias else [x, w]
    expected = naive_dense(x, w, b if with_bias else None)
    out = run_function(function("nn.dense", operands, expected.shape), *operands)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@dataclass(frozen=True)
class ConvCase:
    x: tuple[int, int, int, int]
    w: tuple[int, int, int, int]
    bias: bool = True
    strides: tuple[int, int] = (1, 1)
    padding: tuple[int, int, int, int] = (0, 0, 0, 0)
    dilations: tuple[int, int] = (1, 1)
    groups: int = 1

    def properties(self) -> str:
        def ints(values: tuple[int, ...]) -> str:
            return "array<i64: " + ", ".join(map(str, values)) + ">"

        return (
            f"{{strides = {ints(self.strides)}, padding = {ints(self.padding)}, "
            f"dilations = {ints(self.dilations)}, groups = {self.groups}}}"
        )


def naive_conv2d(x: Array, w: Array, b: Array | None, case: ConvCase) -> Array:
    """Direct convolution: one loop per index, skipping taps that land in padding."""
    n_, c_, h_, w_ = x.shape
    o_, cg, kh, kw = w.shape
    assert c_ == cg * case.groups
    top, left, bottom, right = case.padding
    (sh, sw), (dh, dw) = case.strides, case.dilations
    oh = (h_ + top + bottom - dh * (kh - 1) - 1) // sh + 1
    ow = (w_ + left + right - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n_, o_, oh, ow), dtype=np.float64)
    per_group = o_ // case.groups
    for n, o, y, z in itertools.product(range(n_), range(o_), range(oh), range(ow)):
        group = o // per_group
        acc = 0.0 if b is None else float(b[o])
        for c, i, j in itertools.product(range(cg), range(kh), range(kw)):
            row = y * sh + i * dh - top
            col = z * sw + j * dw - left
            if 0 <= row < h_ and 0 <= col < w_:
                acc += float(x[n, group * cg + c, row, col]) * float(w[o, c, i, j])
        out[n, o, y, z] = acc
    return out


CONV_CASES = {
    "3x3 with bias": ConvCase((2, 3, 5, 5), (4, 3, 3, 3)),
    "stride 2, same padding": ConvCase(
        (1, 2, 6, 7), (3, 2, 3, 3), strides=(2, 2), padding=(1, 1, 1, 1)
    ),
    "asymmetric padding and strides": ConvCase(
        (1, 2, 5, 6), (2, 2, 2, 3), bias=False, strides=(2, 1), padding=(1, 0, 2, 1)
    ),
    "dilation": ConvCase(
        (1, 1, 7, 7), (2, 1, 3, 2), padding=(0, 1, 0, 1), dilations=(2, 3)
    ),
    "two groups": ConvCase((2, 4, 5, 5), (6, 2, 3, 3), padding=(1, 1, 1, 1), groups=2),
    "depthwise, multiplier 2": ConvCase(
        (1, 3, 5, 4), (6, 1, 3, 3), strides=(1, 2), padding=(1, 1, 1, 1), groups=3
    ),
    "depthwise, multiplier 1": ConvCase(
        (1, 3, 4, 4), (3, 1, 2, 2), bias=False, groups=3
    ),
    "1x1 kernel, strided": ConvCase((1, 3, 5, 5), (4, 3, 1, 1), strides=(2, 2)),
    "size-1 dims": ConvCase((1, 1, 1, 5), (1, 1, 1, 3)),
    "kernel as large as padded input": ConvCase(
        (1, 1, 2, 2), (1, 1, 3, 4), bias=False, padding=(0, 1, 1, 1)
    ),
}


@pytest.mark.parametrize("case", CONV_CASES.values(), ids=CONV_CASES.keys())
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_conv2d_matches_direct_loops(case: ConvCase, dtype: str):
    rng = np.random.default_rng(4)
    x, w = random_array(rng, case.x, dtype), random_array(rng, case.w, dtype)
    b = random_array(rng, (case.w[0],), dtype)
    operands = [x, w, b] if case.bias else [x, w]
    expected = naive_conv2d(x, w, b if case.bias else None, case)
    text = function("nn.conv2d", operands, expected.shape, case.properties())
    out = run_function(text, *operands)
    assert out.dtype == np.dtype(dtype) and out.shape == expected.shape
    tolerance = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(out, expected, rtol=tolerance, atol=tolerance)


def test_conv2d_with_default_properties_is_a_valid_convolution():
    rng = np.random.default_rng(5)
    x, w = random_array(rng, (1, 2, 4, 4)), random_array(rng, (3, 2, 2, 2))
    out = run_function(function("nn.conv2d", [x, w], (1, 3, 3, 3)), x, w)
    expected = naive_conv2d(x, w, None, ConvCase(x.shape, w.shape))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("op", "shapes", "message"),
    [
        ("nn.matmul", [(3, 4), (5, 6)], "nn.matmul: contracted dims differ"),
        ("nn.matmul", [(2, 3, 4), (3, 4, 5)], "nn.matmul: batch dims [2] and [3]"),
        ("nn.dense", [(2, 3), (4, 5)], "nn.dense: input last dim 3 must equal"),
        ("nn.conv2d", [(1, 3, 8, 8), (8, 4, 3, 3)], "nn.conv2d: input channels 3"),
        ("nn.conv2d", [(1, 3, 2, 2), (8, 3, 3, 3)], "nn.conv2d: window height 3"),
    ],
)
def test_bad_shapes_are_rejected_naming_the_op_and_both_shapes(op, shapes, message):
    operands = [np.zeros(s, dtype=np.float32) for s in shapes]
    with pytest.raises(dlc.DiagnosticError) as error:
        dlc.parse(function(op, operands, (1,)))
    assert message in error.value.message
    for shape in shapes:
        assert tensor(shape) in error.value.message


def test_from_operands_infers_types_with_and_without_bias():
    block = Block(
        arg_types=[
            TensorType(Float32Type(), [2, 4, 8, 8]),
            TensorType(Float32Type(), [6, 2, 3, 3]),
            TensorType(Float32Type(), [6]),
            TensorType(Float32Type(), [6, 5]),
        ]
    )
    x, w, b, v = block.args
    conv = Conv2dOp.from_operands(
        [x, w, b], groups=i64_attr(2), strides=i64_array([2, 1])
    )
    conv.verify()
    assert conv.result.type == TensorType(Float32Type(), [2, 6, 3, 6])
    dense = DenseOp.from_operands([b, v])
    dense.verify()
    assert dense.result.type == TensorType(Float32Type(), [5])
