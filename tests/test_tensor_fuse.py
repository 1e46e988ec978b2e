"""tensor-fuse: what it merges, and that it never changes what a program computes.

The oracles: the nn reference interpreter and independent numpy models (examples),
the tensor interpreter before fusion, and compiled code with fusion left out of the
pipeline. Fused programs must also survive ``canonicalize`` and ``cse`` (a fixed
point after one round) and a second ``tensor-fuse`` (which changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import arith
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Block, Region
from xdsl.passes import ModulePass
from xdsl.transforms.canonicalize import CanonicalizePass
from xdsl.transforms.common_subexpression_elimination import (
    CommonSubexpressionElimination,
)

import dlc
import dlc.pipelines
from dlc.context import make_context
from dlc.dialects.tensor import ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor import NNToTensorPass
from dlc.transforms.registry import all_passes
from dlc.transforms.tensor_fuse import TensorFusePass
from tests.example_models import EXAMPLE_MODELS, Example
from tests.strategies import Program, programs
from tests.test_nn_to_tensor_part2 import assert_close, outputs
from tests.test_tensor_to_loop import assert_same_as_tensor_level

Array = np.ndarray[Any, Any]


def applied(module: ModuleOp, *passes: ModulePass) -> ModuleOp:
    """A verified copy of ``module`` after ``passes``."""
    copy = module.clone()
    ctx = make_context()
    for pass_ in passes:
        pass_.apply(ctx, copy)
    copy.verify()
    return copy


def computes(module: ModuleOp) -> list[ComputeOp]:
    return [op for op in module.walk() if isinstance(op, ComputeOp)]


# --- The examples --------------------------------------------------------------------

COMPUTES_AFTER_FUSION = {"mlp": 7, "cnn": 10, "conv": 1, "transformer_block": 19}
"""Computes per example after tensor-fuse (before: 12, 15, 3 and 38)."""


def test_every_example_has_a_pinned_compute_count():
    assert sorted(COMPUTES_AFTER_FUSION) == sorted(e.name for e in EXAMPLE_MODELS)


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_fusion_merges_the_computes_of_each_example(example: Example):
    module = dlc.parse(example.text)
    tensors = applied(module, CanonicalizePass(), NNToTensorPass())
    fused = applied(tensors, TensorFusePass())
    assert len(computes(fused)) == COMPUTES_AFTER_FUSION[example.name]
    assert len(computes(fused)) < len(computes(tensors))


def compile_without_fusion(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    unfused = tuple(
        p for p in dlc.pipelines.CPU_PIPELINE if not isinstance(p, TensorFusePass)
    )
    with monkeypatch.context() as patch:
        patch.setattr(dlc.pipelines, "CPU_PIPELINE", unfused)
        return dlc.compile(text)


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_fused_example_equals_unfused_and_numpy(
    example: Example, monkeypatch: pytest.MonkeyPatch
):
    inputs = [a.astype(np.float32) for a in example.inputs(np.random.default_rng(1))]
    expected = example.reference(*[a.astype(np.float64) for a in inputs])
    fused = dlc.compile(example.text)(*inputs)
    unfused = compile_without_fusion(example.text, monkeypatch)(*inputs)
    scale = float(np.abs(expected).max())
    np.testing.assert_allclose(fused, expected, rtol=1e-4, atol=1e-4 * scale)
    np.testing.assert_allclose(fused, unfused, rtol=1e-4, atol=1e-5 * scale)


# --- Random programs -----------------------------------------------------------------


@settings(max_examples=max(5, settings.default.max_examples // 2))
@given(programs(max_ops=6), st.integers(0, 2**16))
def test_fusion_keeps_what_the_tensor_interpreter_computes(program: Program, seed: int):
    inputs = program.random_inputs(seed)
    tensors = applied(program.module, NNToTensorPass())
    fused = applied(tensors, TensorFusePass())
    reference = outputs(program.module, inputs)
    for before, after, want in zip(
        outputs(tensors, inputs), outputs(fused, inputs), reference, strict=True
    ):
        assert_close(after, want)
        assert_close(after, before)


@given(programs(max_ops=10))
def test_canonicalize_cse_and_fusion_are_idempotent_after_fusion(program: Program):
    fused = applied(program.module, NNToTensorPass(), TensorFusePass())
    assert str(applied(fused, TensorFusePass())) == str(fused)
    cleanup = (CanonicalizePass(), CommonSubexpressionElimination())
    once = applied(fused, *cleanup)
    assert str(applied(once, *cleanup)) == str(once)
    assert str(applied(once, TensorFusePass())) == str(once)


# --- Odd sizes, compiled -------------------------------------------------------------


def t(shape: str) -> str:
    return f"tensor<{shape}xf32>"


FIRE = (
    "%e = nn.conv2d %x, %w, %b : "
    f"({t('1x5x9x9')}, {t('3x5x1x1')}, {t('3')}) -> {t('1x3x9x9')}\n"
    f"  %re = nn.relu %e : {t('1x3x9x9')}\n"
    "  %f = nn.conv2d %x, %v, %c {padding = array<i64: 1, 1, 1, 1>} : "
    f"({t('1x5x9x9')}, {t('4x5x3x3')}, {t('4')}) -> {t('1x4x9x9')}\n"
    f"  %rf = nn.relu %f : {t('1x4x9x9')}\n"
    "  %cat = nn.concat %re, %rf {axis = 1 : i64} : "
    f"({t('1x3x9x9')}, {t('1x4x9x9')}) -> {t('1x7x9x9')}\n  "
)
"""SqueezeNet's fire module: two convolutions with relu, concatenated."""


def keeps_a_select(module: ModuleOp) -> bool:
    """Whether a compute without a reduction selects between two reads: the
    concatenation kept its compute instead of being inlined into a window."""
    return any(
        not c.has_reduction and any(isinstance(op, arith.SelectOp) for op in c.walk())
        for c in computes(module)
    )


FUSED_PROGRAMS: dict[str, tuple[str, str, Callable[[ModuleOp], bool]]] = {
    # name: (arguments, body ending in %r, what the fused IR must show)
    "dense_bias_relu": (
        f"%x: {t('3x127')}, %w: {t('127x17')}, %b: {t('17')}",
        f"%h = nn.dense %x, %w, %b : ({t('3x127')}, {t('127x17')}, {t('17')})"
        f" -> {t('3x17')}\n  %r = nn.relu %h : {t('3x17')}",
        lambda m: len(computes(m)) == 1 and computes(m)[0].epilogue is not None,
    ),
    "conv_bias_relu": (
        f"%x: {t('1x3x17x17')}, %w: {t('5x3x3x3')}, %b: {t('5')}",
        "%h = nn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : "
        f"({t('1x3x17x17')}, {t('5x3x3x3')}, {t('5')}) -> {t('1x5x17x17')}\n"
        f"  %r = nn.relu %h : {t('1x5x17x17')}",
        lambda m: len(computes(m)) == 1,
    ),
    "softmax_3d": (
        f"%x: {t('3x17x127')}",
        f"%r = nn.softmax %x : {t('3x17x127')}",
        lambda m: [c.computed_at for c in computes(m)] == [2, 2, 2, None],
    ),
    "log_softmax": (
        f"%x: {t('17x127')}",
        f"%r = nn.log_softmax %x : {t('17x127')}",
        lambda m: [c.computed_at for c in computes(m)] == [1, 1, None],
    ),
    "layer_norm": (
        f"%x: {t('17x127')}, %g: {t('127')}, %b: {t('127')}",
        f"%r = nn.layer_norm %x, %g, %b : ({t('17x127')}, {t('127')}, {t('127')})"
        f" -> {t('17x127')}",
        lambda m: [c.computed_at for c in computes(m)] == [1, 1, None],
    ),
    "rms_norm_of_a_dense": (
        f"%x: {t('1x127')}, %w: {t('127x17')}, %g: {t('17')}",
        f"%h = nn.matmul %x, %w : ({t('1x127')}, {t('127x17')}) -> {t('1x17')}\n"
        f"  %r = nn.rms_norm %h, %g : ({t('1x17')}, {t('17')}) -> {t('1x17')}",
        lambda m: [c.computed_at for c in computes(m)] == [None, 1, None],
    ),
    "residual_gelu": (
        f"%x: {t('3x17')}, %w: {t('17x17')}",
        f"%h = nn.matmul %x, %w : ({t('3x17')}, {t('17x17')}) -> {t('3x17')}\n"
        f"  %g = nn.gelu %h : {t('3x17')}\n"
        f"  %r = nn.add %x, %g : ({t('3x17')}, {t('3x17')}) -> {t('3x17')}",
        lambda m: len(computes(m)) == 1,
    ),
    "concat_into_a_conv": (
        f"%x: {t('1x5x9x9')}, %w: {t('3x5x1x1')}, %b: {t('3')}, %v: {t('4x5x3x3')},"
        f" %c: {t('4')}, %u: {t('6x7x1x1')}, %d: {t('6')}",
        FIRE + "%r = nn.conv2d %cat, %u, %d : "
        f"({t('1x7x9x9')}, {t('6x7x1x1')}, {t('6')}) -> {t('1x6x9x9')}",
        keeps_a_select,
    ),
    "concat_into_a_pool": (
        f"%x: {t('1x5x9x9')}, %w: {t('3x5x1x1')}, %b: {t('3')}, %v: {t('4x5x3x3')},"
        f" %c: {t('4')}",
        FIRE + "%r = nn.max_pool2d %cat {kernel = array<i64: 3, 3>, "
        f"strides = array<i64: 2, 2>}} : {t('1x7x9x9')} -> {t('1x7x4x4')}",
        keeps_a_select,
    ),
}


@pytest.mark.parametrize("name", FUSED_PROGRAMS)
def test_fused_odd_sizes_compile_to_what_the_reference_computes(name: str):
    arguments, body, shows = FUSED_PROGRAMS[name]
    result_type = body.rpartition(": ")[2].rpartition("-> ")[2]
    text = (
        f"func.func @f({arguments}) -> {result_type} {{\n  {body}\n"
        f"  func.return %r : {result_type}\n}}\n"
    )
    module = dlc.parse(text)
    assert shows(applied(module, NNToTensorPass(), TensorFusePass()))
    rng = np.random.default_rng(0)
    compiled = dlc.compile(module)
    inputs = [rng.uniform(-2, 2, s.shape).astype(s.dtype) for s in compiled.inputs]
    want = dlc.interpret(module, "f", *inputs)
    scale = max(1.0, float(np.abs(want).max()))
    np.testing.assert_allclose(compiled(*inputs), want, rtol=1e-4, atol=1e-5 * scale)


# --- The lowering of epilogues and compute_at, with schedules ------------------------

ROW_STATISTIC = """
func.func @f(%x: tensor<5x7xf32>, %b: tensor<7xf32>) -> tensor<5x7xf32> {
  %max = tensor.compute (%i, %u) reduce max (%j) in [7] init 0xFF800000
      compute_at 1 SCHEDULE_MAX : tensor<5x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<5x7xf32>
    tensor.yield %v : f32
  }
  %shifted = tensor.compute (%i, %j) compute_at 1 SCHEDULE_SHIFTED : tensor<5x7xf32> {
    %v = tensor.read %x[%i, %j] : tensor<5x7xf32>
    %c0 = arith.constant 0 : index
    %m = tensor.read %max[%i, %c0] : tensor<5x1xf32>
    %d = arith.subf %v, %m : f32
    tensor.yield %d : f32
  }
  %y = tensor.compute (%i, %j) SCHEDULE_HOST : tensor<5x7xf32> {
    %s = tensor.read %shifted[%i, %j] : tensor<5x7xf32>
    %bv = tensor.read %b[%j] : tensor<7xf32>
    %r = arith.mulf %s, %bv : f32
    tensor.yield %r : f32
  }
  func.return %y : tensor<5x7xf32>
}
"""


@pytest.mark.parametrize(
    ("host", "producers"),
    [
        ("", ""),
        ("schedule<parallel = [0], vectorize = 4>", "schedule<unroll = 2>"),
        ("schedule<tile = [2, 3]>", "schedule<tile = [0, 4]>"),
        ("schedule<tile = [4, 0], parallel = [0]>", ""),
    ],
)
def test_compute_at_never_changes_the_value(host: str, producers: str):
    text = (
        ROW_STATISTIC.replace("SCHEDULE_HOST", host)
        .replace("SCHEDULE_SHIFTED", producers)
        .replace("SCHEDULE_MAX", producers.replace("0, 4", "0, 4, 3"))
    )
    assert_same_as_tensor_level(text)


EPILOGUE = """
func.func @f(%x: tensor<5x6xf32>, %w: tensor<6x7xf32>, %b: tensor<7xf32>,
             %res: tensor<5x7xf32>) -> tensor<5x7xf32> {
  %y = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 SCHEDULE
      : tensor<5x7xf32> {
    %a = tensor.read %x[%i, %k] : tensor<5x6xf32>
    %v = tensor.read %w[%k, %j] : tensor<6x7xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %acc: f32):
    %bias = tensor.read %b[%ej] : tensor<7xf32>
    %c1 = arith.constant 1 : index
    %up = arith.subi %ei, %c1 : index
    %r = tensor.read %res[%up, %ej] pad 0.5 : tensor<5x7xf32>
    %s = arith.addf %acc, %bias : f32
    %t = arith.mulf %s, %r : f32
    tensor.yield %t : f32
  }
  func.return %y : tensor<5x7xf32>
}
"""


@pytest.mark.parametrize(
    "schedule",
    ["", "schedule<tile = [2, 3, 0]>", "schedule<tile = [0, 2, 4], parallel = [0]>"],
)
def test_epilogue_is_applied_once_to_each_finished_point(schedule: str):
    """Also with K-blocking, where partial sums wait in the result buffer."""
    assert_same_as_tensor_level(EPILOGUE.replace("SCHEDULE", schedule), exact=False)


def test_a_reduction_can_host_a_row_statistic():
    """compute_at of a producer read in the body and the epilogue of a reduction."""
    text = """
    func.func @f(%x: tensor<3x5xf32>) -> tensor<3xf32> {
      %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000
          compute_at 1 : tensor<3x1xf32> {
        %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
        tensor.yield %v : f32
      }
      %lse = tensor.compute (%i) reduce add (%j) in [5] init 0.0 : tensor<3xf32> {
        %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
        %c0 = arith.constant 0 : index
        %m = tensor.read %max[%i, %c0] : tensor<3x1xf32>
        %d = arith.subf %v, %m : f32
        %e = math.exp %d : f32
        tensor.yield %e : f32
      } epilogue {
      ^bb0(%ei: index, %sum: f32):
        %c0 = arith.constant 0 : index
        %m = tensor.read %max[%ei, %c0] : tensor<3x1xf32>
        %l = math.log %sum : f32
        %r = arith.addf %l, %m : f32
        tensor.yield %r : f32
      }
      func.return %lse : tensor<3xf32>
    }
    """
    assert_same_as_tensor_level(text, exact=False)
    x = np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32)
    got = dlc.interpret(dlc.parse(text), "f", x)
    np.testing.assert_allclose(got, np.log(np.exp(x).sum(axis=1)), rtol=1e-6)


def test_epilogue_sees_the_folded_value_rounded_to_the_element_type():
    """r[o] = epilogue(o, fold): the fold is an f16 before the epilogue runs."""
    text = """
    func.func @f(%x: tensor<2x3xf16>) -> tensor<2xf16> {
      %y = tensor.compute (%i) reduce add (%k) in [3] init 0.0 : tensor<2xf16> {
        %v = tensor.read %x[%i, %k] : tensor<2x3xf16>
        tensor.yield %v : f16
      } epilogue {
      ^bb0(%e: index, %acc: f16):
        %big = arith.constant 2048.0 : f16
        %s = arith.addf %acc, %big : f16
        %r = arith.subf %s, %big : f16
        tensor.yield %r : f16
      }
      func.return %y : tensor<2xf16>
    }
    """
    x = np.array([[0.25, 0.5, 0.125], [1.0, 2.0, 3.0]], np.float16)
    got = dlc.interpret(dlc.parse(text), "f", x)
    folded = x.astype(np.float64).sum(axis=1).astype(np.float16).astype(np.float64)
    np.testing.assert_array_equal(got, ((folded + 2048.0) - 2048.0).astype(np.float16))


def test_python_built_epilogue_adds_the_bias_to_each_sum():
    x_type, w_type = TensorType(f32, [3, 4]), TensorType(f32, [4, 2])
    block = Block(arg_types=[x_type, w_type, TensorType(f32, [2])])
    x, w, b = block.args
    compute = ComputeOp.from_callable(
        TensorType(f32, [3, 2]),
        lambda i, j, k: arith.MulfOp(ReadOp(x, [i, k]), ReadOp(w, [k, j])),
        reduce_extents=[4],
        epilogue=lambda i, j, acc: arith.AddfOp(acc, ReadOp(b, [j])),
    )
    block.add_ops([compute, ReturnOp(compute.result)])
    signature = ([x_type, w_type, b.type], [compute.result.type])
    module = ModuleOp([FuncOp("f", signature, Region(block))])
    module.verify()
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal(s).astype(np.float32) for s in ((3, 4), (4, 2), 2)]
    got = dlc.interpret(module, "f", *inputs)
    np.testing.assert_allclose(got, inputs[0] @ inputs[1] + inputs[2], rtol=1e-6)
    assert dlc.parse(str(module)).is_structurally_equivalent(module)


# --- The pass ------------------------------------------------------------------------


def test_tensor_fuse_runs_between_nn_to_tensor_and_tensor_to_loop():
    names = [p.name for p in dlc.pipelines.CPU_PIPELINE]
    assert names.index("nn-to-tensor") < names.index("tensor-fuse")
    assert names.index("tensor-fuse") < names.index("tensor-to-loop")
    assert all_passes()["tensor-fuse"]() is TensorFusePass


def test_each_step_can_be_turned_off():
    text = f"""
    func.func @f(%x: {t("4x3")}, %w: {t("3x5")}, %b: {t("5")}) -> {t("4x5")} {{
      %h = nn.dense %x, %w, %b : ({t("4x3")}, {t("3x5")}, {t("5")}) -> {t("4x5")}
      %r = nn.relu %h : {t("4x5")}
      %p = nn.softmax %r : {t("4x5")}
      func.return %p : {t("4x5")}
    }}
    """
    tensors = applied(dlc.parse(text), NNToTensorPass())
    count = len(computes(tensors))
    nothing = TensorFusePass(inline_elementwise=False, epilogues=False, rows=False)
    assert str(applied(tensors, nothing)) == str(tensors)
    no_epilogues = applied(tensors, TensorFusePass(epilogues=False))
    assert not any(c.epilogue for c in computes(no_epilogues))
    assert len(computes(no_epilogues)) == count - 1
    no_rows = applied(tensors, TensorFusePass(rows=False))
    assert all(c.computed_at is None for c in computes(no_rows))


def test_max_recompute_ops_bounds_what_is_computed_twice():
    text = f"""
    func.func @f(%x: {t("8")}) -> ({t("8")}, {t("8")}) {{
      %s = nn.add %x, %x : ({t("8")}, {t("8")}) -> {t("8")}
      %a = nn.mul %s, %x : ({t("8")}, {t("8")}) -> {t("8")}
      %b = nn.sub %s, %x : ({t("8")}, {t("8")}) -> {t("8")}
      func.return %a, %b : {t("8")}, {t("8")}
    }}
    """
    tensors = applied(dlc.parse(text), NNToTensorPass())
    assert len(computes(applied(tensors, TensorFusePass()))) == 2
    kept = applied(tensors, TensorFusePass(max_recompute_ops=0))
    assert len(computes(kept)) == 3
