"""The tensor dialect: the interpreter against hand-written numpy, Python builders,
schedules that leave results alone, and producer inlining (fusion) keeping values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from xdsl.builder import ImplicitBuilder
from xdsl.dialects import arith, math
from xdsl.dialects.builtin import (
    Float32Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    ModuleOp,
    TensorType,
    f32,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.transforms.dead_code_elimination import dce
from xdsl.utils.exceptions import InterpretationError

import dlc
from dlc.dialects.tensor import ComputeOp, ReadOp, ScheduleAttr
from dlc.dialects.tensor.inlining import inlinable_producer, inline_producer
from dlc.interpreter import make_interpreter
from tests.support import random_array, run_function

Array = np.ndarray[Any, Any]


# --- Hand-written numpy references ---------------------------------------------------


def sliding_windows(
    x: Array, kh: int, kw: int, stride: int, pad: int, pad_value: float
) -> tuple[Array, list[tuple[int, int, Array]]]:
    """An NCHW output of the right shape, and each output position's input window."""
    padded = np.pad(
        x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=pad_value
    )
    out_h = (padded.shape[2] - kh) // stride + 1
    out_w = (padded.shape[3] - kw) // stride + 1
    windows = [
        (i, j, padded[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw])
        for i in range(out_h)
        for j in range(out_w)
    ]
    return np.zeros(x.shape[:2] + (out_h, out_w)), windows


def conv2d_reference(x: Array, w: Array, stride: int, pad: int) -> Array:
    """NCHW convolution by explicit windows over the zero-padded input."""
    out, windows = sliding_windows(x, w.shape[2], w.shape[3], stride, pad, 0.0)
    out = np.zeros((x.shape[0], w.shape[0]) + out.shape[2:])
    for i, j, window in windows:
        out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w)
    return out


def max_pool_reference(x: Array, size: int, stride: int, pad: int) -> Array:
    out, windows = sliding_windows(x, size, size, stride, pad, -np.inf)
    for i, j, window in windows:
        out[:, :, i, j] = window.max(axis=(2, 3))
    return out


# --- Textual computes on the interpreter ---------------------------------------------


def test_matmul_compute_is_a_sum_of_products():
    text = """
    func.func @f(%x: tensor<3x5xf32>, %w: tensor<5x7xf32>) -> tensor<3x7xf32> {
      %c = tensor.compute (%i, %j) reduce add (%k) in [5] init 0.0 : tensor<3x7xf32> {
        %a = tensor.read %x[%i, %k] : tensor<3x5xf32>
        %b = tensor.read %w[%k, %j] : tensor<5x7xf32>
        %p = arith.mulf %a, %b : f32
        tensor.yield %p : f32
      }
      func.return %c : tensor<3x7xf32>
    }
    """
    rng = np.random.default_rng(0)
    x, w = random_array(rng, (3, 5)), random_array(rng, (5, 7))
    out = run_function(text, x, w)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x @ w, rtol=1e-5, atol=1e-6)


def test_conv2d_with_stride_and_zero_padding():
    text = """
    func.func @f(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>)
        -> tensor<1x3x3x3xf32> {
      %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3]
          init 0.0 : tensor<1x3x3x3xf32> {
        %c1 = arith.constant 1 : index
        %c2 = arith.constant 2 : index
        %sh = arith.muli %oh, %c2 : index
        %h0 = arith.addi %sh, %kh : index
        %h = arith.subi %h0, %c1 : index
        %sw = arith.muli %ow, %c2 : index
        %w0 = arith.addi %sw, %kw : index
        %wi = arith.subi %w0, %c1 : index
        %a = tensor.read %x[%n, %c, %h, %wi] pad 0.0 : tensor<1x2x5x5xf32>
        %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<3x2x3x3xf32>
        %p = arith.mulf %a, %b : f32
        tensor.yield %p : f32
      }
      func.return %y : tensor<1x3x3x3xf32>
    }
    """
    rng = np.random.default_rng(1)
    x, w = random_array(rng, (1, 2, 5, 5)), random_array(rng, (3, 2, 3, 3))
    out = run_function(text, x, w)
    np.testing.assert_allclose(out, conv2d_reference(x, w, 2, 1), rtol=1e-5, atol=1e-5)


def test_softmax_as_four_computes():
    text = """
    func.func @f(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
      %max = tensor.compute (%i) reduce max (%j) in [5] init 0xFF800000
          : tensor<3xf32> {
        %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
        tensor.yield %v : f32
      }
      %exp = tensor.compute (%i, %j) : tensor<3x5xf32> {
        %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
        %m = tensor.read %max[%i] : tensor<3xf32>
        %d = arith.subf %v, %m : f32
        %e = math.exp %d : f32
        tensor.yield %e : f32
      }
      %sum = tensor.compute (%i) reduce add (%j) in [5] init 0.0 : tensor<3xf32> {
        %e = tensor.read %exp[%i, %j] : tensor<3x5xf32>
        tensor.yield %e : f32
      }
      %y = tensor.compute (%i, %j) : tensor<3x5xf32> {
        %e = tensor.read %exp[%i, %j] : tensor<3x5xf32>
        %s = tensor.read %sum[%i] : tensor<3xf32>
        %q = arith.divf %e, %s : f32
        tensor.yield %q : f32
      }
      func.return %y : tensor<3x5xf32>
    }
    """
    x = np.array(
        [[1.0, 2.0, 3.0, 4.0, 5.0], [-1e4, 0.0, 1e4, 5.0, 5.0], [0.5] * 5],
        dtype=np.float32,
    )
    shifted = np.exp(x - x.max(axis=1, keepdims=True))
    expected = shifted / shifted.sum(axis=1, keepdims=True)
    out = run_function(text, x)
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-6)


def test_max_pool_pads_with_negative_infinity():
    text = """
    func.func @f(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
      %y = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [3, 3]
          init 0xFF800000 : tensor<1x2x3x3xf32> {
        %c1 = arith.constant 1 : index
        %c2 = arith.constant 2 : index
        %sh = arith.muli %oh, %c2 : index
        %h0 = arith.addi %sh, %kh : index
        %h = arith.subi %h0, %c1 : index
        %sw = arith.muli %ow, %c2 : index
        %w0 = arith.addi %sw, %kw : index
        %w = arith.subi %w0, %c1 : index
        %v = tensor.read %x[%n, %c, %h, %w] pad 0xFF800000 : tensor<1x2x5x5xf32>
        tensor.yield %v : f32
      }
      func.return %y : tensor<1x2x3x3xf32>
    }
    """
    x = -np.abs(random_array(np.random.default_rng(2), (1, 2, 5, 5))) - 1.0
    out = run_function(text, x)
    np.testing.assert_array_equal(out, max_pool_reference(x, 3, 2, 1))


def test_transpose_reshape_and_concat_are_index_maps():
    text = """
    func.func @f(%x: tensor<2x6xf32>, %b: tensor<3x4xf32>)
        -> (tensor<6x4xf32>, tensor<4x3xf32>) {
      %r = tensor.compute (%p, %q) : tensor<3x4xf32> {
        %c4 = arith.constant 4 : index
        %c6 = arith.constant 6 : index
        %row = arith.muli %p, %c4 : index
        %flat = arith.addi %row, %q : index
        %i = arith.divui %flat, %c6 : index
        %j = arith.remui %flat, %c6 : index
        %v = tensor.read %x[%i, %j] : tensor<2x6xf32>
        tensor.yield %v : f32
      }
      %t = tensor.compute (%j, %i) : tensor<4x3xf32> {
        %v = tensor.read %b[%i, %j] : tensor<3x4xf32>
        tensor.yield %v : f32
      }
      %tt = tensor.compute (%i, %j) : tensor<3x4xf32> {
        %v = tensor.read %t[%j, %i] : tensor<4x3xf32>
        tensor.yield %v : f32
      }
      %y = tensor.compute (%i, %j) : tensor<6x4xf32> {
        %c3 = arith.constant 3 : index
        %first = arith.cmpi slt, %i, %c3 : index
        %i2 = arith.subi %i, %c3 : index
        %u = tensor.read %r[%i, %j] pad 0.0 : tensor<3x4xf32>
        %v = tensor.read %tt[%i2, %j] pad 0.0 : tensor<3x4xf32>
        %s = arith.select %first, %u, %v : f32
        tensor.yield %s : f32
      }
      func.return %y, %t : tensor<6x4xf32>, tensor<4x3xf32>
    }
    """
    rng = np.random.default_rng(3)
    x, b = random_array(rng, (2, 6)), random_array(rng, (3, 4))
    concatenated, transposed = run_function(text, x, b)
    np.testing.assert_array_equal(transposed, b.T)
    np.testing.assert_array_equal(concatenated, np.concatenate([x.reshape(3, 4), b]))


def test_broadcasting_from_rank_0_and_size_1_dims():
    text = """
    func.func @f(%s: tensor<f32>, %col: tensor<3x1xf32>, %row: tensor<4xf32>)
        -> tensor<3x4xf32> {
      %y = tensor.compute (%i, %j) : tensor<3x4xf32> {
        %c0 = arith.constant 0 : index
        %a = tensor.read %s[] : tensor<f32>
        %b = tensor.read %col[%i, %c0] : tensor<3x1xf32>
        %c = tensor.read %row[%j] : tensor<4xf32>
        %ab = arith.mulf %a, %b : f32
        %sum = arith.addf %ab, %c : f32
        tensor.yield %sum : f32
      }
      func.return %y : tensor<3x4xf32>
    }
    """
    rng = np.random.default_rng(4)
    s = np.array(2.5, dtype=np.float32)
    col, row = random_array(rng, (3, 1)), random_array(rng, (4,))
    out = run_function(text, s, col, row)
    np.testing.assert_allclose(out, s * col + row, rtol=1e-6)


def test_gather_reads_at_data_dependent_indices():
    text = """
    func.func @f(%table: tensor<5x2xf32>, %ids: tensor<4xi64>) -> tensor<4x2xf32> {
      %y = tensor.compute (%i, %j) : tensor<4x2xf32> {
        %id = tensor.read %ids[%i] : tensor<4xi64>
        %row = arith.index_cast %id : i64 to index
        %v = tensor.read %table[%row, %j] : tensor<5x2xf32>
        tensor.yield %v : f32
      }
      func.return %y : tensor<4x2xf32>
    }
    """
    module = dlc.parse(text)
    table = random_array(np.random.default_rng(5), (5, 2))
    ids = np.array([4, 0, 0, 2], dtype=np.int64)
    (out,) = make_interpreter(module).call_op("f", (table, ids))
    np.testing.assert_array_equal(out, table[ids])


@pytest.mark.parametrize(
    ("combiner", "init", "reference"),
    [
        ("add", "1.5", lambda x: 1.5 + x.sum(axis=1)),
        ("mul", "2.0", lambda x: 2.0 * x.prod(axis=1)),
        ("max", "0.0", lambda x: np.maximum(0.0, x.max(axis=1))),
        ("min", "0x7F800000", lambda x: x.min(axis=1)),
    ],
)
def test_each_combiner_folds_from_its_init(
    combiner: str, init: str, reference: Callable[[Array], Array]
):
    text = f"""
    func.func @f(%x: tensor<3x4xf32>) -> tensor<3xf32> {{
      %y = tensor.compute (%i) reduce {combiner} (%k) in [4] init {init}
          : tensor<3xf32> {{
        %v = tensor.read %x[%i, %k] : tensor<3x4xf32>
        tensor.yield %v : f32
      }}
      func.return %y : tensor<3xf32>
    }}
    """
    x = random_array(np.random.default_rng(6), (3, 4))
    np.testing.assert_allclose(run_function(text, x), reference(x), rtol=1e-5)


def test_max_propagates_nan_and_rank_0_sums_everything():
    text = """
    func.func @f(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<f32>) {
      %m = tensor.compute (%i) reduce max (%j) in [3] init 0xFF800000 : tensor<2xf32> {
        %v = tensor.read %x[%i, %j] : tensor<2x3xf32>
        tensor.yield %v : f32
      }
      %s = tensor.compute () reduce add (%i, %j) in [2, 3] init 0.0 : tensor<f32> {
        %v = tensor.read %x[%i, %j] : tensor<2x3xf32>
        tensor.yield %v : f32
      }
      func.return %m, %s : tensor<2xf32>, tensor<f32>
    }
    """
    x = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]], dtype=np.float32)
    maxima, total = run_function(text, x)
    np.testing.assert_array_equal(maxima, [np.nan, 6.0])
    assert total.shape == () and np.isnan(total)


def test_integer_reduction_with_padded_reads():
    text = """
    func.func @f(%x: tensor<4xi32>) -> tensor<2xi32> {
      %y = tensor.compute (%i) reduce min (%k) in [3] init 100 : tensor<2xi32> {
        %c3 = arith.constant 3 : index
        %base = arith.muli %i, %c3 : index
        %at = arith.addi %base, %k : index
        %v = tensor.read %x[%at] pad 50 : tensor<4xi32>
        tensor.yield %v : i32
      }
      func.return %y : tensor<2xi32>
    }
    """
    module = dlc.parse(text)
    x = np.array([7, -3, 9, 60], dtype=np.int32)
    (out,) = make_interpreter(module).call_op("f", (x,))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [-3, 50])


def test_reading_out_of_bounds_without_pad_is_an_error():
    text = """
    func.func @f(%x: tensor<4xf32>) -> tensor<5xf32> {
      %y = tensor.compute (%i) : tensor<5xf32> {
        %c0 = arith.constant 0 : index
        %j = arith.addi %i, %c0 : index
        %v = tensor.read %x[%j] : tensor<4xf32>
        tensor.yield %v : f32
      }
      func.return %y : tensor<5xf32>
    }
    """
    # %j is %i, but only the interpreter sees it: the verifier bounds block
    # arguments and constants only (reading %x[%i] is a verifier error).
    with pytest.raises(InterpretationError, match=r"index \[4\] is out of bounds"):
        run_function(text, np.zeros(4, dtype=np.float32))


# --- Building computes from Python ---------------------------------------------------


def build_function(
    arg_types: Sequence[Attribute], body: Callable[..., SSAValue | ComputeOp]
) -> ModuleOp:
    """A module with ``@f(args)`` returning what ``body(*args)`` builds."""
    block = Block(arg_types=arg_types)
    with ImplicitBuilder(block) as args:
        result = SSAValue.get(body(*args))
        ReturnOp(result)
    module = ModuleOp([FuncOp("f", (arg_types, [result.type]), Region(block))])
    module.verify()
    return module


def index(value: int) -> arith.ConstantOp:
    return arith.ConstantOp(IntegerAttr(value, IndexType()))


def conv2d(
    x: SSAValue,
    w: SSAValue,
    stride: int,
    pad: int,
    schedule: ScheduleAttr | None = None,
) -> ComputeOp:
    """nn.conv2d's decomposition, written with ComputeOp.from_callable."""
    assert isinstance(x.type, TensorType) and isinstance(w.type, TensorType)
    n, channels, height, width = x.type.get_shape()
    filters, _, kh, kw = w.type.get_shape()
    out_shape = [
        n,
        filters,
        (height + 2 * pad - kh) // stride + 1,
        (width + 2 * pad - kw) // stride + 1,
    ]

    def input_index(out: SSAValue, tap: SSAValue) -> SSAValue:
        scaled = arith.MuliOp(out, index(stride))
        return arith.SubiOp(arith.AddiOp(scaled, tap), index(pad)).result

    def body(*indices: SSAValue) -> SSAValue:
        b, f, oh, ow, c, r, s = indices
        pixel = ReadOp(x, [b, c, input_index(oh, r), input_index(ow, s)], pad=0.0)
        weight = ReadOp(w, [f, c, r, s])
        return arith.MulfOp(pixel, weight).result

    return ComputeOp.from_callable(
        TensorType(f32, out_shape),
        body,
        reduce_extents=[channels, kh, kw],
        schedule=schedule,
    )


@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (1, 1), (2, 1), (2, 2)])
def test_conv2d_built_from_python(stride: int, pad: int):
    x_type = TensorType(f32, [2, 3, 5, 6])
    w_type = TensorType(f32, [4, 3, 3, 2])
    module = build_function([x_type, w_type], lambda x, w: conv2d(x, w, stride, pad))
    rng = np.random.default_rng(7)
    x, w = random_array(rng, (2, 3, 5, 6)), random_array(rng, (4, 3, 3, 2))
    out = dlc.interpret(module, "f", x, w)
    expected = conv2d_reference(x, w, stride, pad)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_python_built_compute_prints_and_parses_back():
    module = build_function(
        [TensorType(f32, [1, 1, 4, 4]), TensorType(f32, [1, 1, 3, 3])],
        lambda x, w: conv2d(x, w, 1, 1, ScheduleAttr(tile=[0, 0, 2, 2, 0, 0, 0])),
    )
    text = str(module)
    assert "schedule<tile = [0, 0, 2, 2, 0, 0, 0]>" in text
    assert "pad 0.000000e+00" in text
    assert str(dlc.parse(text)) == text


def test_from_callable_defaults_init_to_the_combiner_identity():
    def row_max(x: SSAValue) -> ComputeOp:
        return ComputeOp.from_callable(
            TensorType(f32, [2]),
            lambda i, k: ReadOp(x, [i, k]).result,
            reduce_extents=[3],
            combiner="max",
        )

    module = build_function([TensorType(f32, [2, 3])], row_max)
    x = np.array([[-5.0, -7.0, -6.0], [1.0, 3.0, 2.0]], dtype=np.float32)
    np.testing.assert_array_equal(dlc.interpret(module, "f", x), [-5.0, 3.0])
    compute = next(op for op in module.walk() if isinstance(op, ComputeOp))
    assert compute.init == FloatAttr(float("-inf"), Float32Type())


def test_schedule_does_not_change_the_result():
    x_type, w_type = TensorType(f32, [1, 2, 6, 6]), TensorType(f32, [3, 2, 3, 3])
    schedule = ScheduleAttr(
        tile=[0, 2, 2, 4, 0, 0, 0], parallel=[1], vectorize=4, unroll=3
    )
    plain = build_function([x_type, w_type], lambda x, w: conv2d(x, w, 1, 1))
    scheduled = build_function(
        [x_type, w_type], lambda x, w: conv2d(x, w, 1, 1, schedule)
    )
    rng = np.random.default_rng(8)
    x, w = random_array(rng, (1, 2, 6, 6)), random_array(rng, (3, 2, 3, 3))
    np.testing.assert_array_equal(
        dlc.interpret(plain, "f", x, w), dlc.interpret(scheduled, "f", x, w)
    )


# --- Inlining producers (fusion) -----------------------------------------------------


class InlineEveryProducer(RewritePattern):
    """The simplest fusion policy: inline every reduction-free producer."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ReadOp, rewriter: PatternRewriter) -> None:
        if inlinable_producer(op) is not None:
            inline_producer(op, rewriter)


def fuse(module: ModuleOp) -> None:
    """Inline every producer, then drop the computes nothing reads any more."""
    PatternRewriteWalker(InlineEveryProducer()).rewrite_module(module)
    dce(module)
    module.verify()


def count_computes(module: ModuleOp) -> int:
    return sum(isinstance(op, ComputeOp) for op in module.walk())


def test_inlining_relu_into_a_padded_conv_keeps_the_padding():
    def relu_then_conv(x: SSAValue, w: SSAValue) -> ComputeOp:
        def relu(*indices: SSAValue) -> SSAValue:
            zero = arith.ConstantOp(FloatAttr(0.0, f32))
            return arith.MaximumfOp(ReadOp(x, indices), zero).result

        assert isinstance(x.type, TensorType)
        activated = ComputeOp.from_callable(x.type, relu)
        return conv2d(activated.result, w, 2, 1)

    x_type, w_type = TensorType(f32, [1, 2, 5, 5]), TensorType(f32, [2, 2, 3, 3])
    module = build_function([x_type, w_type], relu_then_conv)
    rng = np.random.default_rng(9)
    x, w = random_array(rng, (1, 2, 5, 5)) - 0.5, random_array(rng, (2, 2, 3, 3))
    expected = conv2d_reference(np.maximum(x, 0), w, 2, 1)
    out = dlc.interpret(module, "f", x, w)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)

    fuse(module)
    assert count_computes(module) == 1
    fused = dlc.interpret(dlc.parse(str(module)), "f", x, w)
    np.testing.assert_allclose(fused, expected, rtol=1e-5, atol=1e-5)


def test_inlining_chains_of_elementwise_producers_into_a_reduction():
    text = """
    func.func @f(%x: tensor<3x4xf32>, %y: tensor<4xf32>) -> tensor<3xf32> {
      %sum = tensor.compute (%i, %j) : tensor<3x4xf32> {
        %a = tensor.read %x[%i, %j] : tensor<3x4xf32>
        %b = tensor.read %y[%j] : tensor<4xf32>
        %s = arith.addf %a, %b : f32
        tensor.yield %s : f32
      }
      %exp = tensor.compute (%i, %j) : tensor<3x4xf32> {
        %v = tensor.read %sum[%i, %j] : tensor<3x4xf32>
        %e = math.exp %v : f32
        tensor.yield %e : f32
      }
      %r = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<3xf32> {
        %v = tensor.read %exp[%i, %k] : tensor<3x4xf32>
        tensor.yield %v : f32
      }
      func.return %r : tensor<3xf32>
    }
    """
    module = dlc.parse(text)
    rng = np.random.default_rng(10)
    x, y = random_array(rng, (3, 4)), random_array(rng, (4,))
    before = dlc.interpret(module, "f", x, y)
    np.testing.assert_allclose(before, np.exp(x + y).sum(axis=1), rtol=1e-5)
    fuse(module)
    assert count_computes(module) == 1
    reduction = next(op for op in module.walk() if isinstance(op, ComputeOp))
    reads = [op for op in reduction.body.walk() if isinstance(op, ReadOp)]
    assert {read.tensor.name_hint for read in reads} == {"x", "y"}
    assert any(isinstance(op, math.ExpOp) for op in reduction.body.walk())
    np.testing.assert_allclose(dlc.interpret(module, "f", x, y), before, rtol=1e-6)
