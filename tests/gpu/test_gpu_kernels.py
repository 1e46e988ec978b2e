"""The shared-memory tiled GPU kernel computes the contraction, at any shape and tile.

The kernel's level-1 loop IR runs on the CPU under dlc's loop interpreter: mapped
loops run serially and each thread loop finishes before the next op, which is
what the GPU's barriers guarantee. Loads and stores check their bounds
(``tests.test_tensor_to_loop.run_lowered``), so a staging or store guard that
lets a point out of its buffer fails the test. The oracle is numpy's matmul in
float64 on the same inputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import memref
from xdsl.dialects.builtin import ModuleOp
from xdsl.transforms.canonicalize import CanonicalizePass

import dlc
from dlc.context import make_context
from dlc.diagnostics import DiagnosticError
from dlc.dialects import loop
from dlc.dialects.loop.memory_space import PRIVATE, WORKGROUP
from dlc.dialects.tensor import ComputeOp, ScheduleAttr
from dlc.lowering.nn_to_tensor import NNToTensorPass
from dlc.lowering.tensor_to_loop import TensorToLoopPass
from dlc.lowering.tensor_to_loop.gpu_kernel_plan import GpuTiles, gpu_contraction
from dlc.transforms.gpu_schedules import choose_tiles
from dlc.transforms.tensor_fuse import TensorFusePass
from dlc.transforms.tensor_schedule import TensorSchedulePass
from tests.test_tensor_to_loop import run_lowered

Array = np.ndarray[Any, Any]


def gpu_schedule(text: str, override: str = "") -> ModuleOp:
    """``text`` (nn or tensor level) through tensor-schedule{target=gpu}."""
    module = dlc.parse(text)
    ctx = make_context()
    for step in (
        CanonicalizePass(),
        NNToTensorPass(),
        TensorFusePass(),
        TensorSchedulePass(target="gpu", override=override),
    ):
        step.apply(ctx, module)
    module.verify()
    return module


def gpu_lowered(text: str, override: str = "") -> ModuleOp:
    module = gpu_schedule(text, override)
    TensorToLoopPass().apply(make_context(), module)
    module.verify()
    return module


def schedules(module: ModuleOp) -> list[ScheduleAttr | None]:
    return [op.schedule for op in module.walk() if isinstance(op, ComputeOp)]


def matmul(m: int, n: int, k: int, dtype: str = "f32") -> str:
    return f"""
func.func @f(%x: tensor<{m}x{k}x{dtype}>, %w: tensor<{k}x{n}x{dtype}>)
    -> tensor<{m}x{n}x{dtype}> {{
  %c = nn.matmul %x, %w : (tensor<{m}x{k}x{dtype}>, tensor<{k}x{n}x{dtype}>)
      -> tensor<{m}x{n}x{dtype}>
  func.return %c : tensor<{m}x{n}x{dtype}>
}}
"""


def tiles_override(tiles: GpuTiles) -> str:
    return (
        f"contraction: tile = [{tiles.bm}, {tiles.bn}, {tiles.bk}], "
        f"register = [{tiles.tm}, {tiles.tn}, 1]"
    )


def random(rng: np.random.Generator, *shape: int, dtype: Any = np.float32) -> Array:
    return rng.standard_normal(shape).astype(dtype)


def assert_matmul(m: int, n: int, k: int, override: str = "", seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    x, w = random(rng, m, k), random(rng, k, n)
    (out,) = run_lowered(gpu_lowered(matmul(m, n, k), override), x, w)
    expected = x.astype(np.float64) @ w.astype(np.float64)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    ("m", "n", "k"),
    [(1, 1, 1), (3, 5, 7), (5, 3, 65), (65, 2, 3), (1, 33, 9), (17, 16, 16)],
)
def test_matmul_with_default_tiles(m: int, n: int, k: int) -> None:
    assert_matmul(m, n, k)


@pytest.mark.parametrize(
    "tiles",
    [
        GpuTiles(bm=4, bn=8, bk=2, tm=2, tn=2),  # nothing divides 9 x 11 x 5
        GpuTiles(bm=8, bn=4, bk=16, tm=4, tn=1),  # k tile deeper than k
        GpuTiles(bm=2, bn=2, bk=1, tm=1, tn=1),  # one point per thread
        GpuTiles(bm=16, bn=16, bk=4, tm=4, tn=4),  # blocks larger than the output
        GpuTiles(bm=3, bn=5, bk=3, tm=3, tn=5),  # one thread per block
    ],
)
def test_matmul_with_given_tiles(tiles: GpuTiles) -> None:
    assert_matmul(9, 11, 5, tiles_override(tiles))


DENSE = """
func.func @f(%x: tensor<5x7xf32>, %w: tensor<7x3xf32>, %b: tensor<3xf32>,
             %r: tensor<5x3xf32>) -> tensor<5x3xf32> {
  %h = nn.dense %x, %w, %b : (tensor<5x7xf32>, tensor<7x3xf32>, tensor<3xf32>)
      -> tensor<5x3xf32>
  %a = nn.relu %h : tensor<5x3xf32>
  %s = nn.add %a, %r : (tensor<5x3xf32>, tensor<5x3xf32>) -> tensor<5x3xf32>
  func.return %s : tensor<5x3xf32>
}
"""


@pytest.mark.parametrize("override", ["", "contraction: tile = [2, 2, 3]"])
def test_dense_bias_relu_residual_run_in_the_store_loop(override: str) -> None:
    module = gpu_lowered(DENSE, override)
    computes = [op for op in module.walk() if isinstance(op, loop.ParallelOp)]
    assert len(computes) == 5  # the block loop and its four thread loops
    rng = np.random.default_rng(1)
    x, w, b, r = random(rng, 5, 7), random(rng, 7, 3), random(rng, 3), random(rng, 5, 3)
    (out,) = run_lowered(module, x, w, b, r)
    expected = np.maximum(x.astype(np.float64) @ w + b, 0.0) + r
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


BATCH_MATMUL = """
func.func @f(%x: tensor<3x5x4xf32>, %w: tensor<3x4x6xf32>, %v: tensor<4x6xf32>)
    -> (tensor<3x5x6xf32>, tensor<3x5x6xf32>) {
  %c = nn.matmul %x, %w : (tensor<3x5x4xf32>, tensor<3x4x6xf32>) -> tensor<3x5x6xf32>
  %d = nn.matmul %x, %v : (tensor<3x5x4xf32>, tensor<4x6xf32>) -> tensor<3x5x6xf32>
  func.return %c, %d : tensor<3x5x6xf32>, tensor<3x5x6xf32>
}
"""


def test_batch_matmul_maps_the_batch_to_block_z() -> None:
    module = gpu_lowered(BATCH_MATMUL, "contraction: tile = [1, 4, 4, 2]")
    blocks = [
        op.mapping_names()
        for op in module.walk()
        if isinstance(op, loop.ParallelOp) and "gpu.block.x" in op.mapping_names()
    ]
    assert blocks == [("gpu.block.z", "gpu.block.y", "gpu.block.x")] * 2
    rng = np.random.default_rng(2)
    x, w, v = random(rng, 3, 5, 4), random(rng, 3, 4, 6), random(rng, 4, 6)
    c, d = run_lowered(module, x, w, v)
    x64 = x.astype(np.float64)
    np.testing.assert_allclose(c, x64 @ w, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(d, x64 @ v, rtol=1e-5, atol=1e-5)


TRANSPOSED = """
func.func @f(%xt: tensor<6x5xf32>, %wt: tensor<7x6xf32>) -> tensor<5x7xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 : tensor<5x7xf32> {
    %a = tensor.read %xt[%k, %i] : tensor<6x5xf32>
    %b = tensor.read %wt[%j, %k] : tensor<7x6xf32>
    %p = arith.mulf %b, %a : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<5x7xf32>
}
"""

STRIDED = """
func.func @f(%x: tensor<9x4xf32>, %w: tensor<4x3xf32>) -> tensor<3x3xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [4] init 1.5 : tensor<3x3xf32> {
    %c3 = arith.constant 3 : index
    %c2 = arith.constant 2 : index
    %r = arith.muli %i, %c3 : index
    %s = arith.addi %r, %c2 : index
    %a = tensor.read %x[%s, %k] : tensor<9x4xf32>
    %b = tensor.read %w[%k, %j] : tensor<4x3xf32>
    %e = math.exp %b : f32
    %p = arith.mulf %a, %e : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<3x3xf32>
}
"""


@pytest.mark.parametrize(
    "override", ["", "contraction: tile = [2, 4, 4], register = [1, 2, 1]"]
)
def test_transposed_operands(override: str) -> None:
    module = gpu_lowered(TRANSPOSED, override)
    rng = np.random.default_rng(3)
    xt, wt = random(rng, 6, 5), random(rng, 7, 6)
    (out,) = run_lowered(module, xt, wt)
    expected = xt.T.astype(np.float64) @ wt.T
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_strided_read_computed_factor_and_init() -> None:
    module = gpu_lowered(STRIDED, "contraction: tile = [2, 2, 2]")
    rng = np.random.default_rng(4)
    x, w = random(rng, 9, 4), random(rng, 4, 3)
    (out,) = run_lowered(module, x, w)
    expected = 1.5 + x[2::3].astype(np.float64) @ np.exp(w.astype(np.float64))
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


VECTOR_MATRIX = """
func.func @f(%v: tensor<6xf64>, %w: tensor<6x5xf64>) -> tensor<5xf64> {
  %c = nn.matmul %v, %w : (tensor<6xf64>, tensor<6x5xf64>) -> tensor<5xf64>
  func.return %c : tensor<5xf64>
}
"""


def test_rank_one_result_in_f64() -> None:
    module = gpu_lowered(VECTOR_MATRIX, "contraction: tile = [2, 4], register = [1, 1]")
    rng = np.random.default_rng(5)
    v, w = random(rng, 6, dtype=np.float64), random(rng, 6, 5, dtype=np.float64)
    (out,) = run_lowered(module, v, w)
    np.testing.assert_allclose(out, v @ w, rtol=1e-12)


def test_buffers_live_in_shared_and_private_memory() -> None:
    module = gpu_lowered(matmul(64, 64, 32))
    spaces = [
        op.memref.type.memory_space
        for op in module.walk()
        if isinstance(op, memref.AllocOp)
    ]
    assert spaces == [WORKGROUP, WORKGROUP, PRIVATE]
    threads = [
        op
        for op in module.walk()
        if isinstance(op, loop.ParallelOp) and "gpu.thread.x" in op.mapping_names()
    ]
    mappings = [op.mapping_names() for op in threads]
    assert mappings == [("gpu.thread.y", "gpu.thread.x")] * 4


@settings(max_examples=12, deadline=None)
@given(
    m=st.integers(1, 8),
    n=st.integers(1, 8),
    k=st.integers(1, 8),
    bm=st.integers(1, 8),
    bn=st.integers(1, 8),
    bk=st.integers(1, 8),
    tm=st.integers(1, 4),
    tn=st.integers(1, 4),
)
def test_any_tiles_compute_the_product(
    m: int, n: int, k: int, bm: int, bn: int, bk: int, tm: int, tn: int
) -> None:
    tiles = GpuTiles(bm=bm * tm, bn=bn * tn, bk=bk, tm=tm, tn=tn)
    assert_matmul(m, n, k, tiles_override(tiles), seed=m * 100 + n * 10 + k)


# --- schedules ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "tiles"),
    [
        ((1024, 1024, 1024), GpuTiles(64, 64, 16, 4, 4)),
        ((256, 256, 256), GpuTiles(32, 32, 16, 2, 2)),  # 16 large blocks: too few
        ((64, 10, 784), GpuTiles(64, 16, 16, 4, 1)),
        ((3, 17, 5), GpuTiles(4, 32, 8, 1, 2)),
        ((1, 1, 1), GpuTiles(1, 1, 1, 1, 1)),
    ],
)
def test_default_tiles_follow_the_shapes(
    shape: tuple[int, int, int], tiles: GpuTiles
) -> None:
    m, n, k = shape
    module = gpu_schedule(matmul(m, n, k))
    (compute,) = [op for op in module.walk() if isinstance(op, ComputeOp)]
    contraction = gpu_contraction(compute)
    assert contraction is not None
    assert choose_tiles(contraction) == tiles


CONV_AND_SOFTMAX = """
func.func @f(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x3x3xf32> {
  %y = nn.conv2d %x, %w {padding = array<i64: 0, 0, 0, 0>}
      : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x3x3xf32>
  %s = nn.softmax %y : tensor<1x3x3x3xf32>
  func.return %s : tensor<1x3x3x3xf32>
}
"""


def test_other_computes_get_parallel_output_dims() -> None:
    module = gpu_schedule(CONV_AND_SOFTMAX)
    for schedule in schedules(module):
        assert schedule is None or schedule == ScheduleAttr(parallel=range(4))
    assert ScheduleAttr(parallel=range(4)) in schedules(module)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            "contraction: blocks = [], tile = [], register = [1, 4, 1], vectorize = 4",
            "target gpu takes no CPU kernel schedule",
        ),
        (
            "contraction: tile = [64, 64, 16], register = [1, 1, 1]",
            "4096 threads per block",
        ),
        (
            "contraction: tile = [64, 6, 16], register = [4, 4, 1]",
            "must be a positive multiple of its thread tile 4",
        ),
        (
            "contraction: tile = [64, 64, 256], register = [4, 4, 1]",
            "131072 bytes in shared memory",
        ),
        ("contraction: blocks = [1, 0]", "expected every output dim in order"),
        ("contraction: parallel = [0]", "takes no parallel"),
        (
            "reduction: parallel = [], tile = [2, 2, 2], register = [1, 1, 1], "
            "blocks = [0, 1]",
            "needs a float contraction",
        ),
    ],
)
def test_schedules_the_kernel_cannot_run_are_errors(
    override: str, message: str
) -> None:
    with pytest.raises(DiagnosticError, match=message):
        gpu_schedule(DENSE + MAX_PRODUCT, override)


MAX_PRODUCT = """
func.func @g(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %y = tensor.compute (%i, %j) reduce max (%k) in [3] init 0.0 : tensor<2x4xf32> {
    %a = tensor.read %x[%i, %k] : tensor<2x3xf32>
    %b = tensor.read %w[%k, %j] : tensor<3x4xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %y : tensor<2x4xf32>
}
"""


def test_batch_dim_is_not_tiled() -> None:
    with pytest.raises(DiagnosticError, match="tiles the batch dim 0 by 1"):
        gpu_schedule(BATCH_MATMUL, "contraction: tile = [2, 4, 4, 2]")
