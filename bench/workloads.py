"""The benchmark workloads, each defined once: an nn function and its seeded inputs.

Every peer of ``bench/run.py`` runs the same workload from this one definition: dlc
compiles the nn IR, onnxruntime runs its ONNX export (``dlc.export``), PyTorch runs
it op by op (``bench/torch_ops.py``), and numpy runs the workload's hand-written
numpy function, when it has one. The FLOP count comes from the nn ops themselves
(:func:`count_flops`), so a workload needs nothing but its IR and its inputs.

Adding a workload is one entry in :data:`WORKLOADS`. The IR may come from anywhere
that yields nn text or a module: a file, a generator, or an importer, e.g. for a
model imported from ONNX::

    Workload(
        "resnet50",
        source=lambda: import_onnx_file(MODELS / "resnet50.onnx"),
        inputs=seeded(lambda rng: [rng.standard_normal((1, 3, 224, 224))]),
    )

Without a ``numpy`` function the numpy peer is skipped and the reference is the
dlc interpreter.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Operation

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dlc  # noqa: E402
from dlc.dialects.nn.einsum import EinsumOp  # noqa: E402
from tests.example_models import EXAMPLE_MODELS, Example  # noqa: E402

Array = np.ndarray[Any, Any]
SEED = 0


@dataclass(frozen=True)
class Workload:
    """One benchmark: nn IR, seeded float32 inputs, and optionally numpy's version.

    ``source`` returns nn text or a parsed module; it is called lazily, so that an
    expensive import runs only for the workloads chosen. ``numpy`` computes the
    same function as the IR with numpy on the same inputs: the numpy peer times it
    and, run on float64 copies of the inputs, it is the reference every peer must
    match. ``entry`` names the function when the module has several.
    """

    name: str
    source: Callable[[], str | ModuleOp]
    inputs: Callable[[], list[Array]]
    numpy: Callable[..., Array] | None = None
    entry: str | None = None

    def module(self) -> ModuleOp:
        source = self.source()
        if isinstance(source, ModuleOp):
            return source
        return dlc.parse(source, f"<workload {self.name}>")


def seeded(
    draw: Callable[[np.random.Generator], list[Array]],
) -> Callable[[], list[Array]]:
    """Inputs drawn by ``draw`` from a fixed seed, as C-contiguous float32 arrays."""

    def inputs() -> list[Array]:
        return [
            np.ascontiguousarray(a, dtype=np.float32)
            for a in draw(np.random.default_rng(SEED))
        ]

    return inputs


def matmul_text(n: int) -> str:
    t = f"tensor<{n}x{n}xf32>"
    return f"""
    func.func @matmul(%a: {t}, %b: {t}) -> {t} {{
      %c = nn.matmul %a, %b : ({t}, {t}) -> {t}
      func.return %c : {t}
    }}
    """


def matmul(n: int) -> Workload:
    """C = A · B, square, float32."""
    return Workload(
        f"matmul{n}",
        source=lambda: matmul_text(n),
        inputs=seeded(lambda rng: [rng.standard_normal((n, n)) for _ in range(2)]),
        numpy=np.matmul,
    )


def example(model: Example) -> Workload:
    """A model of examples/, with the inputs and numpy version of its tests."""
    return Workload(
        model.name,
        source=lambda: model.text,
        inputs=seeded(model.inputs),
        numpy=model.reference,
    )


def strided_conv_numpy(stride: int, pad: int) -> Callable[..., Array]:
    """A 2-D convolution (one image) as a sum over the taps of strided slices."""

    def conv(x: Array, w: Array) -> Array:
        _, _, kh, kw = w.shape
        padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        oh = (padded.shape[2] - kh) // stride + 1
        ow = (padded.shape[3] - kw) // stride + 1
        out = np.zeros((x.shape[0], w.shape[0], oh, ow), dtype=x.dtype)
        for i in range(kh):
            for j in range(kw):
                window = padded[
                    :, :, i : i + stride * oh : stride, j : j + stride * ow : stride
                ]
                out += np.einsum("nchw,oc->nohw", window, w[:, :, i, j])
        return out

    return conv


def strided_conv(
    name: str, image: tuple[int, int, int], out: int, kernel: int, stride: int
) -> Workload:
    """A convolution with a stride, padded to keep ``size / stride`` outputs:
    ResNet's 7x7/2 stem, its 3x3/2 downsampling."""
    channels, height, width = image
    pad = kernel // 2
    oh = (height + 2 * pad - kernel) // stride + 1
    ow = (width + 2 * pad - kernel) // stride + 1
    x = f"tensor<1x{channels}x{height}x{width}xf32>"
    w = f"tensor<{out}x{channels}x{kernel}x{kernel}xf32>"
    y = f"tensor<1x{out}x{oh}x{ow}xf32>"
    text = f"""
    func.func @conv(%x: {x}, %w: {w}) -> {y} {{
      %y = nn.conv2d %x, %w {{strides = array<i64: {stride}, {stride}>,
          padding = array<i64: {pad}, {pad}, {pad}, {pad}>}} : ({x}, {w}) -> {y}
      func.return %y : {y}
    }}
    """
    scale = 1 / math.sqrt(channels * kernel * kernel)
    return Workload(
        name,
        source=lambda: text,
        inputs=seeded(
            lambda rng: [
                rng.standard_normal((1, channels, height, width)),
                scale * rng.standard_normal((out, channels, kernel, kernel)),
            ]
        ),
        numpy=strided_conv_numpy(stride, pad),
    )


WORKLOADS: list[Workload] = [
    *(matmul(n) for n in (256, 512, 1024, 2048)),
    *(example(model) for model in EXAMPLE_MODELS),
    strided_conv("conv7x7s2", (3, 224, 224), 64, 7, 2),
    strided_conv("conv3x3s2", (64, 56, 56), 128, 3, 2),
    strided_conv("conv3x3s2_28", (128, 28, 28), 256, 3, 2),
]


# --- FLOPs ---------------------------------------------------------------------------


def count_flops(module: ModuleOp) -> int:
    """Multiply-adds of the contractions, counted as 2 FLOPs each.

    matmul and dense: 2·M·N·K per batch (the result's size times 2·K); conv2d:
    2·N·O·OH·OW·(C/groups)·KH·KW; einsum of two or more operands: 2 times the
    product of every index's size. Elementwise ops, reductions, normalizations and
    pooling are not counted: GFLOP/s measures the contractions, which dominate
    every workload here.
    """
    return sum(_contraction_flops(op) for op in module.walk())


def _shape(value_type: Any) -> tuple[int, ...]:
    assert isinstance(value_type, TensorType)
    return tuple(value_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


def _contraction_flops(op: Operation) -> int:
    if op.name in ("nn.matmul", "nn.dense"):
        contracted = _shape(op.operands[0].type)[-1]
        return 2 * math.prod(_shape(op.results[0].type)) * contracted
    if op.name == "nn.conv2d":
        _, group_channels, kh, kw = _shape(op.operands[1].type)
        return 2 * math.prod(_shape(op.results[0].type)) * group_channels * kh * kw
    if isinstance(op, EinsumOp) and len(op.operands) > 1:
        return 2 * math.prod(op.einsum().sizes.values())
    return 0
