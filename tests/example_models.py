"""The example models of examples/, written out independently in numpy (float64).

Shared by tests/test_examples.py (the interpreter and the compiled code must agree
with these) and bench/ (numpy's time for the same math). Weights are scaled by
1/sqrt(fan-in), as at initialization.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

Array = np.ndarray[Any, Any]


# --- Independent numpy implementations (float64) -------------------------------------


def dense(x: Array, w: Array, b: Array) -> Array:
    return x @ w + b


def relu(x: Array) -> Array:
    return np.maximum(x, 0.0)


def softmax(x: Array) -> Array:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layer_norm(x: Array, scale: Array, bias: Array, eps: float = 1e-5) -> Array:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * scale + bias


_erf = np.vectorize(math.erf)


def gelu(x: Array) -> Array:
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def conv2d_same_3x3(x: Array, w: Array, b: Array) -> Array:
    """3x3 convolution with zero padding 1: a sum of nine shifted channel mixes."""
    n, _, h, width = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((n, w.shape[0], h, width))
    for i in range(3):
        for j in range(3):
            patch = padded[:, :, i : i + h, j : j + width]
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])
    return out + b[None, :, None, None]


def max_pool_2x2(x: Array) -> Array:
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def mlp(
    x: Array, w1: Array, b1: Array, w2: Array, b2: Array, w3: Array, b3: Array
) -> Array:
    h = relu(dense(x, w1, b1))
    h = relu(dense(h, w2, b2))
    return softmax(dense(h, w3, b3))


def cnn(
    x: Array, k1: Array, c1: Array, k2: Array, c2: Array, w: Array, b: Array
) -> Array:
    h = max_pool_2x2(relu(conv2d_same_3x3(x, k1, c1)))
    h = max_pool_2x2(relu(conv2d_same_3x3(h, k2, c2)))
    return softmax(dense(h.reshape(h.shape[0], -1), w, b))


def conv(x: Array, w: Array, b: Array) -> Array:
    return relu(conv2d_same_3x3(x, w, b))


def transformer_block(
    x: Array,
    ln1_scale: Array, ln1_bias: Array,
    wq: Array, bq: Array, wk: Array, bk: Array,
    wv: Array, bv: Array, wo: Array, bo: Array,
    ln2_scale: Array, ln2_bias: Array,
    w1: Array, b1: Array, w2: Array, b2: Array,
) -> Array:  # fmt: skip
    """Attention computed head by head on column blocks, without reshapes."""
    n = layer_norm(x, ln1_scale, ln1_bias)
    q, k, v = dense(n, wq, bq), dense(n, wk, bk), dense(n, wv, bv)
    context = np.zeros_like(q)
    for head in range(4):
        cols = slice(64 * head, 64 * (head + 1))
        weights = softmax(q[:, cols] @ k[:, cols].T / math.sqrt(64))
        context[:, cols] = weights @ v[:, cols]
    h = x + dense(context, wo, bo)
    return h + dense(gelu(dense(layer_norm(h, ln2_scale, ln2_bias), w1, b1)), w2, b2)


# --- Inputs --------------------------------------------------------------------------


def weight(rng: np.random.Generator, *shape: int) -> Array:
    """A weight scaled by 1/sqrt(fan-in): dense [K, N] has K inputs, conv [O, C, KH,
    KW] has C*KH*KW."""
    fan_in = shape[0] if len(shape) == 2 else math.prod(shape[1:])
    return rng.standard_normal(shape) / math.sqrt(fan_in)


def bias(rng: np.random.Generator, size: int) -> Array:
    return 0.1 * rng.standard_normal(size)


def mlp_inputs(rng: np.random.Generator) -> list[Array]:
    return [
        rng.standard_normal((64, 784)),
        weight(rng, 784, 1024), bias(rng, 1024),
        weight(rng, 1024, 1024), bias(rng, 1024),
        weight(rng, 1024, 10), bias(rng, 10),
    ]  # fmt: skip


def cnn_inputs(rng: np.random.Generator) -> list[Array]:
    return [
        rng.standard_normal((8, 3, 32, 32)),
        weight(rng, 32, 3, 3, 3), bias(rng, 32),
        weight(rng, 64, 32, 3, 3), bias(rng, 64),
        weight(rng, 4096, 10), bias(rng, 10),
    ]  # fmt: skip


def conv_inputs(rng: np.random.Generator) -> list[Array]:
    return [
        rng.standard_normal((1, 64, 56, 56)),
        weight(rng, 64, 64, 3, 3),
        bias(rng, 64),
    ]


def transformer_block_inputs(rng: np.random.Generator) -> list[Array]:
    def norm_params() -> list[Array]:
        return [1.0 + 0.1 * rng.standard_normal(256), bias(rng, 256)]

    def projection() -> list[Array]:
        return [weight(rng, 256, 256), bias(rng, 256)]

    return [
        rng.standard_normal((128, 256)),
        *norm_params(),
        *projection(), *projection(), *projection(), *projection(),
        *norm_params(),
        weight(rng, 256, 1024), bias(rng, 1024),
        weight(rng, 1024, 256), bias(rng, 256),
    ]  # fmt: skip


@dataclass(frozen=True)
class Example:
    name: str
    inputs: Callable[[np.random.Generator], list[Array]]
    reference: Callable[..., Array]
    returns_probabilities: bool

    @property
    def text(self) -> str:
        return (EXAMPLES / f"{self.name}.mlir").read_text()


EXAMPLE_MODELS = [
    Example("mlp", mlp_inputs, mlp, returns_probabilities=True),
    Example("cnn", cnn_inputs, cnn, returns_probabilities=True),
    Example("conv", conv_inputs, conv, returns_probabilities=False),
    Example("transformer_block", transformer_block_inputs, transformer_block, False),
]
