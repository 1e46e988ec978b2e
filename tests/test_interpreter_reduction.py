"""The reference interpreter on nn.reduce_sum / reduce_mean / reduce_max.

Expected values come from a loop over the kept indices that gathers each group of
reduced elements into a Python list, independent of numpy's ``axis=`` reductions.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, UnitAttr, f32
from xdsl.ir import Block
from xdsl.utils.exceptions import VerifyException

import dlc
from dlc.dialects.nn.base import i64_array
from dlc.dialects.nn.reduction import ReduceSumOp
from tests.support import random_array, run_function

Array = np.ndarray[Any, Any]
ELEMENT = {"float16": "f16", "float32": "f32", "float64": "f64"}

REDUCERS: dict[str, Callable[[list[float]], float]] = {
    "nn.reduce_sum": math.fsum,
    "nn.reduce_mean": lambda values: math.fsum(values) / len(values),
    "nn.reduce_max": max,
}


def tensor_type(shape: Sequence[int], dtype: str = "float32") -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def reduce_by_hand(
    reduce: Callable[[list[float]], float],
    x: Array,
    axes: Sequence[int],
    keepdims: bool,
) -> Array:
    """For every index of the kept dims, reduce the list of elements it selects."""
    axes = sorted(a % x.ndim for a in axes)
    out_shape = [1 if d in axes else n for d, n in enumerate(x.shape)]
    out = np.empty(out_shape, dtype=np.float64)
    for out_index in np.ndindex(*out_shape):
        ranges = [
            range(x.shape[d]) if d in axes else [i] for d, i in enumerate(out_index)
        ]
        out[out_index] = reduce([float(x[i]) for i in itertools.product(*ranges)])
    if keepdims:
        return out
    return out.reshape([n for d, n in enumerate(x.shape) if d not in axes])


def reduce_function(
    op: str, shape: Sequence[int], axes: Sequence[int], keepdims: bool, dtype: str
) -> tuple[str, tuple[int, ...]]:
    """``@f`` reducing its argument, and the expected result shape."""
    normalized = {a % len(shape) for a in axes}
    if keepdims:
        out_shape = tuple(1 if d in normalized else n for d, n in enumerate(shape))
    else:
        out_shape = tuple(n for d, n in enumerate(shape) if d not in normalized)
    props = "axes = array<i64: " + ", ".join(map(str, axes)) + ">"
    if keepdims:
        props += ", keepdims"
    t, out = tensor_type(shape, dtype), tensor_type(out_shape, dtype)
    text = f"""
    func.func @f(%x: {t}) -> {out} {{
      %r = {op} %x {{{props}}} : {t} -> {out}
      func.return %r : {out}
    }}
    """
    return text, out_shape


CASES = [
    ((2, 3, 4), (1,)),
    ((2, 3, 4), (-1,)),
    ((2, 3, 4), (0, 2)),
    ((2, 3, 4), (-1, 0)),  # negative and unsorted
    ((2, 3, 4), (0, 1, 2)),  # everything: a rank-0 result
    ((1, 5), (0,)),  # a size-1 dim
    ((2, 1, 3), (1, 2)),
    ((7,), (0,)),
]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize(("shape", "axes"), CASES)
@pytest.mark.parametrize("op", sorted(REDUCERS))
def test_reduction_matches_a_loop_over_each_reduced_group(op, shape, axes, keepdims):
    x = random_array(np.random.default_rng(len(shape) + len(axes)), shape)
    text, out_shape = reduce_function(op, shape, axes, keepdims, "float32")
    out = run_function(text, x)
    assert out.dtype == np.float32 and out.shape == out_shape
    expected = reduce_by_hand(REDUCERS[op], x, axes, keepdims)
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(("dtype", "rtol"), [("float16", 1e-3), ("float64", 1e-13)])
@pytest.mark.parametrize("op", sorted(REDUCERS))
def test_f16_and_f64_keep_their_dtype(op, dtype, rtol):
    x = random_array(np.random.default_rng(5), (3, 40), dtype)
    text, _ = reduce_function(op, (3, 40), (-1,), False, dtype)
    out = run_function(text, x)
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(
        out, reduce_by_hand(REDUCERS[op], x, (-1,), False), rtol=rtol, atol=rtol
    )


def test_f16_sum_is_accumulated_wider_than_f16():
    """2048 + 1 + 1 + ... is exact in the result only if not rounded at every step."""
    x = np.ones(65, dtype=np.float16)
    x[0] = 2048
    text, _ = reduce_function("nn.reduce_sum", (65,), (0,), False, "float16")
    assert float(run_function(text, x)) == 2112.0


def test_reduce_max_propagates_nan():
    x = np.array([[1.0, math.nan], [2.0, 3.0]], dtype=np.float32)
    text, _ = reduce_function("nn.reduce_max", (2, 2), (1,), False, "float32")
    out = run_function(text, x)
    assert math.isnan(out[0]) and out[1] == 3.0


@pytest.mark.parametrize("op", sorted(REDUCERS))
def test_reduction_rejects_a_result_type_that_ignores_keepdims(op):
    text = f"""
    func.func @f(%x: tensor<2x3xf32>) -> tensor<2xf32> {{
      %r = {op} %x {{axes = array<i64: 1>, keepdims}} : tensor<2x3xf32> -> tensor<2xf32>
      func.return %r : tensor<2xf32>
    }}
    """
    with pytest.raises(
        dlc.DiagnosticError, match=f"{op}: result type should be tensor<2x1xf32>"
    ):
        dlc.parse(text)


def test_from_operands_infers_the_reduced_type():
    x = Block(arg_types=[TensorType(f32, [2, 3, 4])]).args[0]
    op = ReduceSumOp.from_operands([x], axes=i64_array([-1, 0]), keepdims=UnitAttr())
    assert op.result.type == TensorType(f32, [1, 3, 1])
    assert op.reduced_axes() == (0, 2) and op.keeps_dims()
    with pytest.raises(VerifyException, match="nn.reduce_sum: axes must name"):
        ReduceSumOp.from_operands([x], axes=i64_array([]))
    with pytest.raises(VerifyException, match="nn.reduce_sum: missing property 'axes'"):
        ReduceSumOp.from_operands([x])
