"""The register-tiled kernel computes what numpy computes, whatever the schedule.

Contractions (matmul, dense, batched matmul, conv2d with stride, dilation, groups
and padding) on odd sizes are compiled end to end, with the default schedules of
``tensor-schedule`` and with schedules given by its ``override`` option, and
compared with plain numpy. Every lane of a vector load is stored to its own
output point, so a load past the end of a buffer gives a wrong value; a few
cases also check every index at run time (``loop-bounds-check``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlc.compiler import (
    CompiledFunction,
    CompileTimes,
    TensorSignature,
    cpu_passes,
    find_entry,
    run_pipeline,
)
from dlc.compiler import compile as dlc_compile
from dlc.context import make_context
from dlc.parse import parse_module
from dlc.targets.cpu import JitModule, llvm_ir_text
from dlc.transforms.tensor_schedule import TensorSchedulePass

Array = np.ndarray[Any, Any]
SIZES = (1, 3, 17, 33, 127)


def compile_with(
    text: str, override: str = "", bounds_check: bool = False
) -> CompiledFunction:
    """dlc.compile on one thread, with ``override`` given to tensor-schedule."""
    if not override:
        return dlc_compile(text, bounds_check=bounds_check, threads=1)
    ctx = make_context()
    module = parse_module(ctx, text, "<test>")
    function = find_entry(module, None)
    name = function.sym_name.data
    signature = function.function_type
    inputs = [TensorSignature.of(t, "input") for t in signature.inputs.data]
    outputs = [TensorSignature.of(t, "output") for t in signature.outputs.data]
    passes = [
        TensorSchedulePass(override=override)
        if isinstance(pass_, TensorSchedulePass)
        else pass_
        for pass_ in cpu_passes(bounds_check=bounds_check, threads=1)
    ]
    times = CompileTimes()
    run_pipeline(ctx, module, passes, times)
    llvm_ir = llvm_ir_text(module)
    jit = JitModule(llvm_ir)
    address = jit.function_address(name)
    return CompiledFunction(name, inputs, outputs, address, jit, times, llvm_ir)


def assert_close(got: Array, want: Array, terms: int) -> None:
    """float32 sums of ``terms`` products of standard normals, against float64."""
    tolerance = 1e-5 * (1 + np.sqrt(terms)) * max(1.0, float(np.abs(want).max()))
    np.testing.assert_allclose(got, want, rtol=0, atol=tolerance)


def normal(rng: np.random.Generator, *shape: int) -> Array:
    return rng.standard_normal(shape).astype(np.float32)


# --- references ----------------------------------------------------------------------


def conv2d_reference(
    x: Array,
    w: Array,
    strides: tuple[int, int],
    padding: tuple[int, int, int, int],
    dilations: tuple[int, int],
    groups: int,
) -> Array:
    """NCHW convolution, tap by tap, in float64."""
    top, left, bottom, right = padding
    padded = np.pad(
        x.astype(np.float64), ((0, 0), (0, 0), (top, bottom), (left, right))
    )
    n, _, height, width = padded.shape
    filters, group_channels, kh, kw = w.shape
    (sh, sw), (dh, dw) = strides, dilations
    out_h = (height - dh * (kh - 1) - 1) // sh + 1
    out_w = (width - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, filters, out_h, out_w))
    per_group = filters // groups
    for f in range(filters):
        channels = slice(
            f // per_group * group_channels, (f // per_group + 1) * group_channels
        )
        for i in range(kh):
            for j in range(kw):
                patch = padded[
                    :,
                    channels,
                    i * dh : i * dh + sh * (out_h - 1) + 1 : sh,
                    j * dw : j * dw + sw * (out_w - 1) + 1 : sw,
                ]
                out[:, f] += np.einsum("nchw,c->nhw", patch, w[f, :, i, j])
    return out


def matmul_text(a: tuple[int, ...], b: tuple[int, ...], out: tuple[int, ...]) -> str:
    def t(shape: tuple[int, ...]) -> str:
        return "tensor<" + "x".join(map(str, shape)) + "xf32>"

    return f"""
    func.func @f(%a: {t(a)}, %b: {t(b)}) -> {t(out)} {{
      %c = nn.matmul %a, %b : ({t(a)}, {t(b)}) -> {t(out)}
      func.return %c : {t(out)}
    }}
    """


def dense_text(m: int, k: int, n: int) -> str:
    return f"""
    func.func @f(%x: tensor<{m}x{k}xf32>, %w: tensor<{k}x{n}xf32>,
                 %b: tensor<{n}xf32>) -> tensor<{m}x{n}xf32> {{
      %y = nn.dense %x, %w, %b : (tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>,
                                  tensor<{n}xf32>) -> tensor<{m}x{n}xf32>
      func.return %y : tensor<{m}x{n}xf32>
    }}
    """


def conv_text(
    x: tuple[int, ...],
    w: tuple[int, ...],
    out: tuple[int, ...],
    strides: tuple[int, int],
    padding: tuple[int, int, int, int],
    dilations: tuple[int, int],
    groups: int,
) -> str:
    def t(shape: tuple[int, ...]) -> str:
        return "tensor<" + "x".join(map(str, shape)) + "xf32>"

    def a(values: tuple[int, ...]) -> str:
        return "array<i64: " + ", ".join(map(str, values)) + ">"

    return f"""
    func.func @f(%x: {t(x)}, %w: {t(w)}) -> {t(out)} {{
      %y = nn.conv2d %x, %w {{strides = {a(strides)}, padding = {a(padding)},
             dilations = {a(dilations)}, groups = {groups}}}
             : ({t(x)}, {t(w)}) -> {t(out)}
      func.return %y : {t(out)}
    }}
    """


# --- matmul, dense, batched matmul ---------------------------------------------------


def check_matmul(
    m: int, k: int, n: int, override: str = "", bounds_check: bool = False
) -> None:
    rng = np.random.default_rng(m * 10007 + k * 101 + n)
    a, b = normal(rng, m, k), normal(rng, k, n)
    text = matmul_text((m, k), (k, n), (m, n))
    compiled = compile_with(text, override, bounds_check)
    assert_close(compiled(a, b), a.astype(np.float64) @ b, k)


@pytest.mark.parametrize(
    ("m", "n"), [(1, 1), (1, 127), (3, 17), (17, 33), (33, 3), (127, 127)]
)
def test_matmul_with_the_default_schedule(m: int, n: int) -> None:
    check_matmul(m, 33, n)


@pytest.mark.parametrize("k", SIZES)
def test_matmul_reduction_lengths(k: int) -> None:
    check_matmul(17, k, 127)


@pytest.mark.parametrize(
    "override",
    [
        # rows and vectors that no size divides: every remainder segment runs
        "contraction: vectorize = 16, register = [6, 32, 1], pack = [1]",
        # packing both operands, tiling all three loops (K-blocking in memory)
        "contraction: vectorize = 4, register = [3, 8, 1], tile = [6, 16, 2], "
        "pack = [0, 1]",
        # scalar register tiling, parallel loops
        "contraction: vectorize = 1, register = [3, 2, 1], tile = [0, 4, 5], "
        "parallel = [0]",
        # one vector wide, no packing
        "contraction: vectorize = 8, register = [1, 8, 1], pack = []",
    ],
)
@pytest.mark.parametrize(("m", "k", "n"), [(1, 1, 1), (17, 33, 127)])
def test_matmul_with_explicit_schedules(m: int, k: int, n: int, override: str) -> None:
    check_matmul(m, k, n, override)


@pytest.mark.parametrize(("m", "k", "n"), [(1, 3, 1), (64, 127, 10), (17, 33, 33)])
def test_dense_adds_the_bias_after_the_kernel(m: int, k: int, n: int) -> None:
    rng = np.random.default_rng(7)
    x, w, b = normal(rng, m, k), normal(rng, k, n), normal(rng, n)
    got = compile_with(dense_text(m, k, n))(x, w, b)
    assert_close(got, x.astype(np.float64) @ w + b, k)


def test_f64_uses_half_the_lanes() -> None:
    rng = np.random.default_rng(13)
    a, b = rng.standard_normal((17, 33)), rng.standard_normal((33, 127))
    text = matmul_text((17, 33), (33, 127), (17, 127)).replace("f32", "f64")
    got = compile_with(text)(a, b)
    np.testing.assert_allclose(got, a @ b, rtol=1e-12, atol=1e-12)


EPILOGUES = """
func.func @f(%x: tensor<7x5xf32>, %w: tensor<5x37xf32>, %b: tensor<37xf32>,
             %s: tensor<37x7xf32>) -> (tensor<7x37xf32>, tensor<7x37xf32>) {
  %r = tensor.compute (%i, %j) reduce add (%k) in [5] init 0.0
      schedule<vectorize = 8, register = [2, 16, 1]> : tensor<7x37xf32> {
    %a = tensor.read %x[%i, %k] : tensor<7x5xf32>
    %v = tensor.read %w[%k, %j] : tensor<5x37xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %sum: f32):
    %bias = tensor.read %b[%ej] : tensor<37xf32>
    %t = arith.addf %sum, %bias : f32
    %zero = arith.constant 0.0 : f32
    %relu = arith.maximumf %t, %zero : f32
    tensor.yield %relu : f32
  }
  %g = tensor.compute (%i, %j) reduce add (%k) in [5] init 0.0
      schedule<vectorize = 4, register = [3, 8, 1], tile = [0, 0, 2]>
      : tensor<7x37xf32> {
    %a = tensor.read %x[%i, %k] : tensor<7x5xf32>
    %v = tensor.read %w[%k, %j] : tensor<5x37xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %sum: f32):
    %scale = tensor.read %s[%ej, %ei] : tensor<37x7xf32>
    %t = arith.mulf %sum, %scale : f32
    tensor.yield %t : f32
  }
  func.return %r, %g : tensor<7x37xf32>, tensor<7x37xf32>
}
"""


@pytest.mark.parametrize("tile_k", [False, True])
def test_epilogues_on_vectors_and_lane_by_lane(tile_k: bool) -> None:
    """A bias and relu run on vectors; a read across rows of s, lane by lane."""
    text = EPILOGUES if tile_k else EPILOGUES.replace(", tile = [0, 0, 2]", "")
    rng = np.random.default_rng(17)
    x, w, b, s = (normal(rng, *shape) for shape in ((7, 5), (5, 37), (37,), (37, 7)))
    product = x.astype(np.float64) @ w
    relu, scaled = compile_with(text)(x, w, b, s)
    assert_close(relu, np.maximum(product + b, 0), 5)
    assert_close(scaled, product * s.T, 5)


@pytest.mark.parametrize(
    ("a", "b", "out"),
    [
        ((3, 17, 33), (3, 33, 5), (3, 17, 5)),
        ((1, 3, 127), (4, 127, 17), (4, 3, 17)),  # lhs broadcast over the batch
        ((2, 1, 33, 3), (3, 17), (2, 1, 33, 17)),  # rhs a matrix
    ],
)
def test_batched_matmul(a: tuple[int, ...], b: tuple[int, ...], out: tuple[int, ...]):
    rng = np.random.default_rng(11)
    x, y = normal(rng, *a), normal(rng, *b)
    got = compile_with(matmul_text(a, b, out))(x, y)
    assert_close(got, np.matmul(x.astype(np.float64), y), a[-1])


def test_transposed_operand_is_packed_and_correct() -> None:
    """``q @ kᵀ`` reads k along its rows: not contiguous along the vector loop."""
    q_type, k_type = "tensor<33x17xf32>", "tensor<127x17xf32>"
    kt_type, s_type = "tensor<17x127xf32>", "tensor<33x127xf32>"
    text = f"""
    func.func @f(%q: {q_type}, %k: {k_type}) -> {s_type} {{
      %kt = nn.transpose %k {{perm = array<i64: 1, 0>}} : {k_type} -> {kt_type}
      %s = nn.matmul %q, %kt : ({q_type}, {kt_type}) -> {s_type}
      func.return %s : {s_type}
    }}
    """
    rng = np.random.default_rng(3)
    q, k = normal(rng, 33, 17), normal(rng, 127, 17)
    for override in ("", "contraction: pack = []"):
        got = compile_with(text, override)(q, k)
        assert_close(got, q.astype(np.float64) @ k.T, 17)


# --- convolution ---------------------------------------------------------------------


CONV_CASES = [
    # (x shape, filters, kernel, strides, padding, dilations, groups)
    ((1, 3, 17, 17), 5, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 1),
    ((2, 4, 33, 33), 6, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 1),
    ((1, 3, 17, 33), 4, (3, 3), (1, 1), (2, 2, 2, 2), (2, 2), 1),
    ((1, 6, 17, 17), 9, (3, 3), (1, 1), (1, 0, 2, 1), (1, 1), 3),
    ((1, 4, 17, 17), 4, (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 4),  # depthwise
    ((1, 3, 3, 127), 17, (1, 3), (1, 1), (0, 1, 0, 1), (1, 1), 1),
    ((1, 1, 1, 1), 1, (1, 1), (1, 1), (0, 0, 0, 0), (1, 1), 1),
    ((1, 2, 9, 9), 3, (3, 2), (2, 1), (0, 3, 1, 0), (1, 2), 1),
]


def conv_output(
    x: tuple[int, ...],
    filters: int,
    kernel: tuple[int, int],
    strides: tuple[int, int],
    padding: tuple[int, int, int, int],
    dilations: tuple[int, int],
) -> tuple[int, ...]:
    top, left, bottom, right = padding
    height = (x[2] + top + bottom - dilations[0] * (kernel[0] - 1) - 1) // strides[0]
    width = (x[3] + left + right - dilations[1] * (kernel[1] - 1) - 1) // strides[1]
    return (x[0], filters, height + 1, width + 1)


def check_conv(
    case: tuple[Any, ...], override: str = "", bounds_check: bool = False
) -> None:
    x_shape, filters, kernel, strides, padding, dilations, groups = case
    w_shape = (filters, x_shape[1] // groups, *kernel)
    out = conv_output(x_shape, filters, kernel, strides, padding, dilations)
    text = conv_text(x_shape, w_shape, out, strides, padding, dilations, groups)
    rng = np.random.default_rng(5)
    x, w = normal(rng, *x_shape), normal(rng, *w_shape)
    got = compile_with(text, override, bounds_check)(x, w)
    want = conv2d_reference(x, w, strides, padding, dilations, groups)
    assert_close(got, want, w_shape[1] * kernel[0] * kernel[1])


@pytest.mark.parametrize("case", CONV_CASES)
def test_conv2d_with_the_default_schedule(case: tuple[Any, ...]) -> None:
    check_conv(case)


@pytest.mark.parametrize(
    "override",
    [
        "contraction: vectorize = 4, register = [1, 3, 1, 8, 1, 1, 1], pack = [0, 1]",
        "contraction: vectorize = 2, register = [1, 1, 2, 2, 1, 1, 1], "
        "tile = [0, 2, 4, 4, 2, 0, 2], pack = []",
    ],
)
@pytest.mark.parametrize("case", CONV_CASES[1:3])
def test_conv2d_with_explicit_schedules(case: tuple[Any, ...], override: str) -> None:
    check_conv(case, override)


def test_kernel_accesses_stay_in_bounds() -> None:
    """Every remainder segment, panel and padded copy, with checked indices."""
    check_matmul(5, 3, 27, "contraction: register = [2, 8, 1], vectorize = 4", True)
    check_conv(CONV_CASES[1], "contraction: pack = [0, 1]", True)
    check_conv(CONV_CASES[3], "", True)


# --- random schedules ----------------------------------------------------------------


@st.composite
def schedules(draw: st.DrawFn, extents: tuple[int, ...], rank: int, reads: int) -> str:
    """A random valid kernel schedule for loops of ``extents``, as override fields."""
    width = draw(st.sampled_from([1, 2, 4, 8, 16]))
    register = [draw(st.integers(1, 5)) for _ in range(rank - 1)]
    register.append(width * draw(st.integers(1, 3)))
    register += [1] * (len(extents) - rank)
    tiles = []
    for factor, extent in zip(register, extents, strict=True):
        blocks = draw(st.integers(0, 3))
        tiles.append(factor * blocks if factor * blocks < extent else 0)
    packed = draw(st.sets(st.integers(0, reads - 1)))
    parallel = draw(st.sets(st.integers(0, rank - 1), max_size=1))

    def ints(values: Any) -> str:
        return "[" + ", ".join(map(str, values)) + "]"

    return (
        f"contraction: vectorize = {width}, register = {ints(register)}, "
        f"tile = {ints(tiles)}, pack = {ints(sorted(packed))}, "
        f"parallel = {ints(sorted(parallel))}"
    )


@settings(max_examples=max(4, settings().max_examples // 10))
@given(st.data())
def test_random_schedules_of_a_matmul_keep_its_value(data: st.DataObject) -> None:
    m, k, n = (data.draw(st.sampled_from(SIZES[:4])) for _ in range(3))
    check_matmul(m, k, n, data.draw(schedules((m, n, k), 2, 2)))


@settings(max_examples=max(4, settings().max_examples // 10))
@given(st.data())
def test_random_schedules_of_a_conv_keep_its_value(data: st.DataObject) -> None:
    case = data.draw(st.sampled_from(CONV_CASES))
    x_shape, filters, kernel, strides, padding, dilations, groups = case
    out = conv_output(x_shape, filters, kernel, strides, padding, dilations)
    extents = (*out, x_shape[1] // groups, *kernel)
    check_conv(case, data.draw(schedules(extents, 4, 2)))
