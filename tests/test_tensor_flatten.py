"""tensor-flatten: strided convolutions over one flattened row dim compute the same.

The oracle is a hand-written numpy convolution (a sum over taps of strided
slices), on odd sizes: rows of 7, 13 and 27 columns (no multiple of any vector
width), stride 2 and 3, with and without padding, bias, relu, and a consumer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import dlc
from dlc.context import make_context
from dlc.dialects.tensor import ComputeOp
from dlc.lowering.nn_to_tensor import NNToTensorPass
from dlc.transforms.tensor_flatten import TensorFlattenPass
from dlc.transforms.tensor_fuse import TensorFusePass

Array = np.ndarray[Any, Any]


def conv_reference(x: Array, w: Array, b: Array, stride: int, pad: int) -> Array:
    _, _, kh, kw = w.shape
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (padded.shape[2] - kh) // stride + 1
    ow = (padded.shape[3] - kw) // stride + 1
    out = np.zeros((x.shape[0], w.shape[0], oh, ow))
    for i in range(kh):
        for j in range(kw):
            window = padded[
                :, :, i : i + stride * oh : stride, j : j + stride * ow : stride
            ]
            out += np.einsum("nchw,oc->nohw", window, w[:, :, i, j])
    return out + b[None, :, None, None]


def t(*shape: int) -> str:
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def conv_text(
    image: tuple[int, int, int], out: int, kernel: int, stride: int, pad: int
) -> tuple[str, tuple[int, int]]:
    channels, height, width = image
    oh = (height + 2 * pad - kernel) // stride + 1
    ow = (width + 2 * pad - kernel) // stride + 1
    x, w, b = t(1, *image), t(out, channels, kernel, kernel), t(out)
    y = t(1, out, oh, ow)
    text = f"""func.func @f(%x: {x}, %w: {w}, %b: {b}) -> {y} {{
  %c = nn.conv2d %x, %w, %b {{strides = array<i64: {stride}, {stride}>,
      padding = array<i64: {pad}, {pad}, {pad}, {pad}>}} : ({x}, {w}, {b}) -> {y}
  %r = nn.relu %c : {y}
  func.return %r : {y}
}}
"""
    return text, (oh, ow)


def flattened(text: str, target: str) -> list[ComputeOp]:
    module = dlc.parse(text)
    ctx = make_context()
    for pass_ in (NNToTensorPass(), TensorFusePass(), TensorFlattenPass(target)):
        pass_.apply(ctx, module)
    module.verify()
    return [
        op
        for op in module.walk()
        if isinstance(op, ComputeOp)
        and op.result.name_hint is not None
        and op.result.name_hint.endswith("_flat")
    ]


CASES = [
    # image (C, H, W), out channels, kernel, stride, pad
    ((3, 13, 13), 5, 3, 2, 1),
    ((4, 27, 27), 6, 3, 2, 0),
    ((2, 25, 53), 3, 7, 2, 3),
    ((3, 20, 21), 4, 1, 3, 0),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}-k{c[2]}s{c[3]}")
def test_flattened_strided_conv_matches_numpy(case: Any):
    image, out, kernel, stride, pad = case
    text, (_, ow) = conv_text(image, out, kernel, stride, pad)
    flat = flattened(text, "avx512")
    assert len(flat) == (1 if ow % 16 else 0)
    assert len(flat) == 0 or flat[0].epilogue is not None  # bias and relu kept
    rng = np.random.default_rng(sum(image) + kernel)
    x = rng.standard_normal((1, *image)).astype(np.float32)
    w = rng.standard_normal((out, image[0], kernel, kernel)).astype(np.float32)
    b = rng.standard_normal(out).astype(np.float32)
    got = dlc.compile(text, threads=1)(x, w, b)
    want = np.maximum(conv_reference(x, w, b, stride, pad), 0)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_a_consumer_reads_the_rows_back():
    text, (oh, ow) = conv_text((3, 15, 15), 4, 3, 2, 1)
    y = t(1, 4, oh, ow)
    pooled = t(1, 4, oh - 1, ow - 1)
    text = text.replace(
        f"  func.return %r : {y}\n}}",
        f"  %p = nn.max_pool2d %r {{kernel = array<i64: 2, 2>, strides = array<i64: 1, "
        f"1>}} : {y} -> {pooled}\n  func.return %p : {pooled}\n}}",
    ).replace(f"-> {y} {{", f"-> {pooled} {{")
    assert len(flattened(text, "avx512")) == 1
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1, 3, 15, 15)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    conv = np.maximum(conv_reference(x, w, b, 2, 1), 0)
    want = np.maximum.reduce(
        [conv[:, :, i : i + oh - 1, j : j + ow - 1] for i in (0, 1) for j in (0, 1)]
    )
    got = dlc.compile(text, threads=1)(x, w, b)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_the_vector_width_decides():
    text, (_, ow) = conv_text((3, 33, 33), 4, 3, 2, 1)
    assert ow == 17
    assert len(flattened(text, "sse")) == 1  # 17 % 4 != 0
    text, (_, ow) = conv_text((3, 31, 31), 4, 3, 2, 1)
    assert ow == 16
    assert flattened(text, "sse") == []
    assert flattened(text, "avx512") == []


def test_an_unknown_target_is_an_error():
    text, _ = conv_text((3, 13, 13), 5, 3, 2, 1)
    with pytest.raises(ValueError, match="tensor-flatten: unknown target 'neon'"):
        flattened(text, "neon")
