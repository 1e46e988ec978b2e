"""End to end: every nn op compiled for the host CPU equals the reference."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlc
from dlc.compiler import CompiledFunction
from tests.strategies import OP_SPECS, Program, programs

TOLERANCE = {"float16": 2e-2, "float32": 1e-4, "float64": 1e-9}
"""Relative to the largest reference magnitude of each output."""


def assert_matches_reference(compiled: CompiledFunction, module: Any, *inputs: Any):
    got = compiled(*inputs)
    want = dlc.interpret(module, compiled.name, *inputs)
    got, want = (
        (got if isinstance(got, tuple) else (got,)),
        (want if isinstance(want, tuple) else (want,)),
    )
    for out, ref in zip(got, want, strict=True):
        assert out.shape == ref.shape and out.dtype == ref.dtype
        scale = max(float(np.max(np.abs(ref), initial=0.0)), 1e-3)
        error = float(np.max(np.abs(out.astype(np.float64) - ref), initial=0.0))
        assert error <= TOLERANCE[str(ref.dtype)] * scale, (
            f"max abs error {error} for reference scale {scale}"
        )


def check_program(program: Program, seed: int) -> None:
    compiled = dlc.compile(program.module, entry=program.function)
    inputs = [
        x.astype(signature.dtype)
        for x, signature in zip(
            program.random_inputs(seed), compiled.inputs, strict=True
        )
    ]
    assert_matches_reference(compiled, program.module, *inputs)


@pytest.mark.parametrize("spec", OP_SPECS, ids=lambda spec: spec.op.name)
@settings(max_examples=max(4, settings.default.max_examples // 12))
@given(data=st.data())
def test_each_op_compiles_to_what_the_reference_computes(spec: Any, data: Any):
    program = data.draw(programs(max_ops=2, specs=[spec]))
    check_program(program, data.draw(st.integers(0, 2**16)))


@given(programs(), st.integers(0, 2**16))
def test_random_programs_compile_to_what_the_reference_computes(
    program: Program, seed: int
):
    check_program(program, seed)


def t(shape: str) -> str:
    return f"tensor<{shape}xf32>"


ODD_SIZES: dict[str, tuple[str, str, str]] = {
    # name: (arguments, op, result type)
    "broadcast_add": (
        f"%a: {t('127x1')}, %b: {t('17')}",
        f"nn.add %a, %b : ({t('127x1')}, {t('17')}) -> {t('127x17')}",
        t("127x17"),
    ),
    "batched_matmul": (
        f"%a: {t('3x1x17x5')}, %b: {t('2x5x127')}",
        f"nn.matmul %a, %b : ({t('3x1x17x5')}, {t('2x5x127')}) -> {t('3x2x17x127')}",
        t("3x2x17x127"),
    ),
    "dense": (
        f"%x: {t('3x127')}, %w: {t('127x17')}, %b: {t('17')}",
        f"nn.dense %x, %w, %b : ({t('3x127')}, {t('127x17')}, {t('17')})"
        f" -> {t('3x17')}",
        t("3x17"),
    ),
    "grouped_strided_conv": (
        f"%x: {t('1x3x17x17')}, %w: {t('6x1x3x3')}, %b: {t('6')}",
        "nn.conv2d %x, %w, %b {strides = array<i64: 2, 2>, padding = array<i64: 1, 0,"
        f" 2, 1>, groups = 3 : i64}} : ({t('1x3x17x17')}, {t('6x1x3x3')}, {t('6')})"
        f" -> {t('1x6x9x8')}",
        t("1x6x9x8"),
    ),
    "avg_pool_ceil": (
        f"%x: {t('1x3x17x17')}",
        "nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>,"
        f" padding = array<i64: 1, 1, 1, 1>, ceil_mode}} : {t('1x3x17x17')}"
        f" -> {t('1x3x9x9')}",
        t("1x3x9x9"),
    ),
    "softmax": (f"%x: {t('3x127')}", f"nn.softmax %x : {t('3x127')}", t("3x127")),
    "layer_norm": (
        f"%x: {t('17x127')}, %g: {t('127')}, %b: {t('127')}",
        f"nn.layer_norm %x, %g, %b : ({t('17x127')}, {t('127')}, {t('127')})"
        f" -> {t('17x127')}",
        t("17x127"),
    ),
    "reduce_mean_keepdims": (
        f"%x: {t('3x17x127')}",
        f"nn.reduce_mean %x {{axes = array<i64: 0, -1>, keepdims}} : {t('3x17x127')}"
        f" -> {t('1x17x1')}",
        t("1x17x1"),
    ),
    "vector_matmul": (
        f"%a: {t('127')}, %b: {t('127x17')}",
        f"nn.matmul %a, %b : ({t('127')}, {t('127x17')}) -> {t('17')}",
        t("17"),
    ),
    "dilated_conv": (
        f"%x: {t('1x3x17x17')}, %w: {t('5x3x3x3')}",
        "nn.conv2d %x, %w {dilations = array<i64: 2, 2>, padding = array<i64: 2, 2, 2,"
        f" 2>}} : ({t('1x3x17x17')}, {t('5x3x3x3')}) -> {t('1x5x17x17')}",
        t("1x5x17x17"),
    ),
    "max_pool_dilated": (
        f"%x: {t('3x1x17x17')}",
        "nn.max_pool2d %x {kernel = array<i64: 3, 3>, dilations = array<i64: 2, 1>,"
        f" padding = array<i64: 1, 1, 1, 1>}} : {t('3x1x17x17')} -> {t('3x1x15x17')}",
        t("3x1x15x17"),
    ),
    "global_avg_pool": (
        f"%x: {t('1x3x17x127')}",
        f"nn.global_avg_pool2d %x : {t('1x3x17x127')} -> {t('1x3x1x1')}",
        t("1x3x1x1"),
    ),
    "log_softmax_axis0": (
        f"%x: {t('127x3')}",
        f"nn.log_softmax %x {{axis = 0 : i64}} : {t('127x3')}",
        t("127x3"),
    ),
    "batch_norm": (
        f"%x: {t('1x3x17x17')}, %s: {t('3')}, %b: {t('3')}, %m: {t('3')}, %v: {t('3')}",
        f"nn.batch_norm %x, %s, %b, %m, %v : ({t('1x3x17x17')}, {t('3')}, {t('3')},"
        f" {t('3')}, {t('3')}) -> {t('1x3x17x17')}",
        t("1x3x17x17"),
    ),
    "gelu_tanh": (
        f"%x: {t('17x127')}",
        f'nn.gelu %x {{approximate = "tanh"}} : {t("17x127")}',
        t("17x127"),
    ),
    "reduce_max_all": (
        f"%x: {t('3x17x127')}",
        f"nn.reduce_max %x {{axes = array<i64: 0, 1, 2>}} : {t('3x17x127')}"
        " -> tensor<f32>",
        "tensor<f32>",
    ),
    "concat": (
        f"%a: {t('3x1')}, %b: {t('3x17')}, %c: {t('3x127')}",
        f"nn.concat %a, %b, %c {{axis = -1 : i64}} : ({t('3x1')}, {t('3x17')},"
        f" {t('3x127')}) -> {t('3x145')}",
        t("3x145"),
    ),
    "slice_negative_step": (
        f"%x: {t('17x127')}",
        "nn.slice %x {starts = array<i64: -1, 3>, ends = array<i64: -18, 127>, steps ="
        f" array<i64: -2, 5>}} : {t('17x127')} -> {t('9x25')}",
        t("9x25"),
    ),
    "pad_reflect": (
        f"%x: {t('3x17')}",
        'nn.pad %x {pads = array<i64: 1, 2, 2, 16>, mode = "reflect"}'
        f" : {t('3x17')} -> {t('6x35')}",
        t("6x35"),
    ),
    "transpose": (
        f"%x: {t('3x17x1')}",
        f"nn.transpose %x {{perm = array<i64: 2, 0, 1>}} : {t('3x17x1')}"
        f" -> {t('1x3x17')}",
        t("1x3x17"),
    ),
}


@pytest.mark.parametrize("name", ODD_SIZES)
def test_odd_sizes_compile_to_what_the_reference_computes(name: str):
    arguments, op, result_type = ODD_SIZES[name]
    module = dlc.parse(
        f"func.func @f({arguments}) -> {result_type} {{\n"
        f"  %r = {op}\n  func.return %r : {result_type}\n}}"
    )
    compiled = dlc.compile(module)
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal(a.shape).astype(a.dtype) for a in compiled.inputs]
    if name == "batch_norm":  # a variance is never negative
        inputs[-1] = np.abs(inputs[-1])
    assert_matches_reference(compiled, module, *inputs)


def test_f16_layer_norm_of_nearly_equal_values_is_computed_in_f32():
    """Found by the long profile: in f16, x - mean and the variance of values within
    a few f16 ulps of each other lose most digits (7% off); dlc normalizes in f32."""
    text = """
    func.func @f(%x: tensor<1x3xf16>, %g: tensor<3xf16>, %b: tensor<3xf16>)
        -> tensor<1x3xf16> {
      %y = nn.layer_norm %x, %g, %b
          : (tensor<1x3xf16>, tensor<3xf16>, tensor<3xf16>) -> tensor<1x3xf16>
      func.return %y : tensor<1x3xf16>
    }
    """
    module = dlc.parse(text)
    x = np.array([[1.0, 1.001, 1.003]], dtype=np.float16)
    g = np.array([1.0, -0.5, 2.0], dtype=np.float16)
    b = np.array([0.1, 0.2, 0.3], dtype=np.float16)
    assert_matches_reference(dlc.compile(module), module, x, g, b)
