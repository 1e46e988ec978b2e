"""Canonicalization keeps what the reference interpreter computes, and is idempotent.

Hand-written programs cover each pattern; hypothesis builds random chains of shape
ops, starting from a function argument or from an inline constant (which then folds
away entirely), and random programs of every nn op (tests/strategies.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.dialects.builtin import (
    Float32Type,
    FunctionType,
    ModuleOp,
    TensorType,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Operation, SSAValue
from xdsl.transforms.canonicalize import CanonicalizePass

import dlc
from dlc.context import make_context
from dlc.dialects.nn import shape as nn
from dlc.dialects.nn.base import f64_attr, i64_array, i64_attr
from dlc.dialects.nn.constant import ConstantOp
from dlc.parse import verify_module
from dlc.resources import dense_from_array
from tests.strategies import Program, programs


def canonicalize(module: ModuleOp) -> ModuleOp:
    CanonicalizePass().apply(make_context(), module)
    verify_module(module)
    return module


def check_canonicalize(
    module: ModuleOp, *inputs: np.ndarray[Any, Any], function: str = "f"
) -> str:
    """Canonicalize ``module`` in place; check results and idempotence.

    Returns the canonical text, for tests that pin its shape.
    """
    before = dlc.interpret(module, function, *inputs)
    canonicalize(module)
    after = dlc.interpret(module, function, *inputs)
    for b, a in zip(_as_tuple(before), _as_tuple(after), strict=True):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    text = str(module)
    assert str(canonicalize(module)) == text, "canonicalize is not idempotent"
    return text


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return cast(tuple[Any, ...], value) if isinstance(value, tuple) else (value,)


RNG = np.random.default_rng(0)


def test_shape_chain_collapses_and_keeps_values():
    text = """
    func.func @f(%x: tensor<2x3x4xf32>)
        -> (tensor<4x6xf32>, tensor<2x3x4xf32>, tensor<4x3x2xf32>) {
      %a = nn.transpose %x {perm = array<i64: 1, 2, 0>}
          : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
      %b = nn.transpose %a {perm = array<i64: 1, 0, 2>}
          : tensor<3x4x2xf32> -> tensor<4x3x2xf32>
      %f = nn.flatten %b : tensor<4x3x2xf32> -> tensor<4x6xf32>
      %r = nn.reshape %f {shape = array<i64: 4, 6>} : tensor<4x6xf32> -> tensor<4x6xf32>
      %s = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 99>}
          : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
      %p = nn.pad %s {pads = array<i64: 0, 0, 0, 0, 0, 0>}
          : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
      func.return %r, %p, %b : tensor<4x6xf32>, tensor<2x3x4xf32>, tensor<4x3x2xf32>
    }
    """
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    canonical = check_canonicalize(dlc.parse(text), x)
    assert canonical.count("nn.transpose") == 1
    assert "nn.slice" not in canonical and "nn.pad" not in canonical


def test_reversing_slice_is_kept():
    text = """
    func.func @f(%x: tensor<5xf32>) -> tensor<5xf32> {
      %s = nn.slice %x {starts = array<i64: -1>, ends = array<i64: -6>,
                        steps = array<i64: -1>} : tensor<5xf32> -> tensor<5xf32>
      func.return %s : tensor<5xf32>
    }
    """
    x = np.arange(5, dtype=np.float32)
    assert "nn.slice" in check_canonicalize(dlc.parse(text), x)


def test_constants_fold_through_shape_and_elementwise_ops():
    text = """
    func.func @f(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
      %a = nn.constant dense<[1.0, -2.0, 3.0, -4.0]> : tensor<4xf32>
      %b = nn.reshape %a {shape = array<i64: 2, 2>} : tensor<4xf32> -> tensor<2x2xf32>
      %c = nn.transpose %b {perm = array<i64: 1, 0>}
          : tensor<2x2xf32> -> tensor<2x2xf32>
      %d = nn.relu %c : tensor<2x2xf32>
      %e = nn.add %d, %x : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
      func.return %e : tensor<2x2xf32>
    }
    """
    x = RNG.standard_normal((2, 2)).astype(np.float32)
    canonical = check_canonicalize(dlc.parse(text), x)
    assert canonical.count("nn.constant") == 1
    assert "nn.relu" not in canonical and "nn.add" in canonical


def test_large_results_are_not_folded():
    text = """
    func.func @f() -> tensor<257xf32> {
      %a = nn.constant dense<2.0> : tensor<1xf32>
      %b = nn.broadcast_to %a {shape = array<i64: 257>}
          : tensor<1xf32> -> tensor<257xf32>
      func.return %b : tensor<257xf32>
    }
    """
    assert "nn.broadcast_to" in check_canonicalize(dlc.parse(text))


# --- Random chains of shape ops ------------------------------------------------------

Builder = Callable[[SSAValue], Operation]


@st.composite
def shape_op(draw: st.DrawFn, shape: tuple[int, ...]) -> Builder:
    """A random well-typed shape op on a value of ``shape``."""
    rank = len(shape)
    kinds = ["transpose", "reshape", "unsqueeze", "broadcast", "pad"]
    if rank:
        kinds += ["slice", "flatten", "concat"]
    if 1 in shape:
        kinds.append("squeeze")
    kind = draw(st.sampled_from(kinds))
    if kind == "transpose":
        perm = draw(st.permutations(range(rank)))
        return lambda v: nn.TransposeOp.from_operands([v], perm=i64_array(perm))
    if kind == "reshape":
        target = draw(st.sampled_from([shape, shape[::-1], (int(np.prod(shape)),)]))
        return lambda v: nn.ReshapeOp.from_operands([v], shape=i64_array(target))
    if kind == "flatten":
        axis = draw(st.integers(-rank, rank))
        return lambda v: nn.FlattenOp.from_operands([v], axis=i64_attr(axis))
    if kind == "squeeze":
        ones = [i for i, d in enumerate(shape) if d == 1]
        axes = draw(st.lists(st.sampled_from(ones), unique=True))
        return lambda v: nn.SqueezeOp.from_operands([v], axes=i64_array(axes))
    if kind == "unsqueeze":
        axes = draw(st.lists(st.integers(0, rank), unique=True, max_size=1))
        return lambda v: nn.UnsqueezeOp.from_operands([v], axes=i64_array(axes))
    if kind == "broadcast":
        target = (draw(st.integers(1, 2)), *shape)
        return lambda v: nn.BroadcastToOp.from_operands([v], shape=i64_array(target))
    if kind == "slice":
        axis = draw(st.integers(0, rank - 1))
        starts = draw(st.integers(-6, 6))
        ends = draw(st.integers(-6, 6) | st.just(2**63 - 1))
        step = draw(st.sampled_from([-2, -1, 1, 2]))
        props = {
            "starts": i64_array([starts]),
            "ends": i64_array([ends]),
            "axes": i64_array([axis]),
            "steps": i64_array([step]),
        }
        return lambda v: nn.SliceOp.from_operands([v], **props)
    if kind == "pad":
        pads = draw(st.lists(st.integers(0, 1), min_size=2 * rank, max_size=2 * rank))
        return lambda v: nn.PadOp.from_operands(
            [v], pads=i64_array(pads), value=f64_attr(0.5)
        )
    axis = draw(st.integers(-rank, rank - 1))
    inputs = draw(st.integers(1, 2))
    return lambda v: nn.ConcatOp.from_operands([v] * inputs, axis=i64_attr(axis))


@st.composite
def shape_program(draw: st.DrawFn) -> tuple[ModuleOp, tuple[np.ndarray[Any, Any], ...]]:
    """``@f`` applying 1-5 random shape ops to an argument or an inline constant."""
    shape = tuple(draw(st.lists(st.integers(1, 3), max_size=3)))
    x = RNG.standard_normal(shape).astype(np.float32)
    from_constant = draw(st.booleans())
    x_type = TensorType(Float32Type(), shape)
    function = FuncOp("f", ((), ()) if from_constant else ((x_type,), ()))
    block = function.body.block
    if from_constant:
        constant = ConstantOp.from_operands([], value=dense_from_array(x))
        block.add_op(constant)
        current: SSAValue = constant.result
    else:
        current = block.args[0]
    for _ in range(draw(st.integers(1, 5))):
        op = draw(shape_op(tuple(current.type.get_shape())))(current)  # pyright: ignore
        block.add_op(op)
        current = op.results[0]
    block.add_op(ReturnOp(current))
    inputs = () if from_constant else (x,)
    function.function_type = FunctionType.from_lists(
        [a.type for a in block.args], [current.type]
    )
    return ModuleOp([function]), inputs


@given(shape_program())
def test_random_shape_chains(
    program: tuple[ModuleOp, tuple[np.ndarray[Any, Any], ...]],
):
    module, inputs = program
    verify_module(module)
    check_canonicalize(module, *inputs)


@pytest.mark.parametrize("dtype", ["f16", "f64"])
def test_folding_keeps_the_element_type(dtype: str):
    text = f"""
    func.func @f() -> tensor<3x{dtype}> {{
      %a = nn.constant dense<[0.1, 0.2, 0.3]> : tensor<3x{dtype}>
      %b = nn.slice %a {{starts = array<i64: -1>, ends = array<i64: -4>,
                        steps = array<i64: -1>}}
          : tensor<3x{dtype}> -> tensor<3x{dtype}>
      func.return %b : tensor<3x{dtype}>
    }}
    """
    canonical = check_canonicalize(dlc.parse(text))
    assert "nn.constant dense<" in canonical and "nn.slice" not in canonical


@given(programs(), st.integers(0, 2**16))
def test_random_programs_keep_their_results(program: Program, seed: int):
    inputs = program.random_inputs(seed)
    check_canonicalize(program.module, *inputs, function=program.function)
