"""nn-to-tensor on the contraction, pooling and shape ops keeps what a program computes.

The oracle is the reference interpreter: for every op, on small shapes with odd
sizes, size-1 dims, groups, dilations, asymmetric padding, ceil_mode, negative slice
steps and f16/f64, running the nn module and running its lowering (tensor computes,
evaluated point by point) give the same values. A hypothesis property does the same
for random programs of these ops (tests/strategies.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Region

import dlc
from dlc.dialects.nn import contraction as contract
from dlc.dialects.nn import pooling as pool
from dlc.dialects.nn import shape as shp
from dlc.dialects.nn.base import NNOp, f64_attr, i64_array, i64_attr
from dlc.dialects.tensor import ComputeOp
from dlc.lowering.nn_to_tensor.indexing import reshape_groups
from tests.strategies import OP_SPECS, Program, programs
from tests.support import lowered

Array = np.ndarray[Any, Any]

ELEMENT_TYPES: dict[str, Attribute] = {
    "float16": Float16Type(),
    "float32": Float32Type(),
    "float64": Float64Type(),
}

TOLERANCE = {"float16": 1e-2, "float32": 1e-5, "float64": 1e-12}
"""Relative to the largest output magnitude: the lowering sums in another order."""


def assert_close(actual: Array, expected: Array, *, exact: bool = False) -> None:
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    if exact:
        np.testing.assert_array_equal(actual, expected)
        return
    tolerance = TOLERANCE[str(expected.dtype)]
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(
        actual.astype(np.float64),
        expected.astype(np.float64),
        rtol=tolerance,
        atol=tolerance * scale,
    )


def assert_lowering_preserves(
    module: ModuleOp, inputs: list[Array], *, exact: bool = False
) -> None:
    """The lowered module computes what the nn module computes, output by output.

    ``exact`` for ops that only move elements: then not even the rounding differs.
    """
    expected = outputs(module, inputs)
    actual = outputs(lowered(module), inputs)
    for got, want in zip(actual, expected, strict=True):
        assert_close(got, want, exact=exact)


def outputs(module: ModuleOp, inputs: list[Array]) -> tuple[Array, ...]:
    """What ``@f`` returns, always as a tuple."""
    result = dlc.interpret(module, "f", *inputs)
    return cast(tuple[Array, ...], result if isinstance(result, tuple) else (result,))


# --- One op per function -------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One nn op applied to fresh arguments of ``shapes``; result type inferred."""

    op: type[NNOp]
    shapes: tuple[tuple[int, ...], ...]
    properties: dict[str, Attribute] = field(default_factory=dict[str, Attribute])
    dtype: str = "float32"

    def module(self) -> ModuleOp:
        element = ELEMENT_TYPES[self.dtype]
        block = Block(arg_types=[TensorType(element, list(s)) for s in self.shapes])
        op = self.op.from_operands(list(block.args), **self.properties)
        block.add_ops([op, ReturnOp(op.results[0])])
        function_type = ([a.type for a in block.args], [op.results[0].type])
        return ModuleOp([FuncOp("f", function_type, Region(block))])

    def inputs(self) -> list[Array]:
        rng = np.random.default_rng(0)
        return [rng.uniform(-2, 2, s).astype(self.dtype) for s in self.shapes]

    def __str__(self) -> str:
        props = ", ".join(f"{k}={v}" for k, v in self.properties.items())
        return f"{self.op.name}{list(self.shapes)}{{{props}}}:{self.dtype}"


def ints(*values: int) -> Attribute:
    return i64_array(values)


def check(case: Case, *, exact: bool = False) -> None:
    assert_lowering_preserves(case.module(), case.inputs(), exact=exact)


CONTRACTION_CASES = [
    Case(contract.MatmulOp, ((3, 4), (4, 5))),
    Case(contract.MatmulOp, ((1, 1), (1, 1))),
    Case(contract.MatmulOp, ((4,), (4, 3))),
    Case(contract.MatmulOp, ((3, 4), (4,))),
    Case(contract.MatmulOp, ((4,), (4,))),
    Case(contract.MatmulOp, ((2, 1, 3, 4), (5, 4, 2))),
    Case(contract.MatmulOp, ((2, 3, 4), (4,))),
    Case(contract.MatmulOp, ((5,), (2, 5, 3))),
    Case(contract.MatmulOp, ((1, 3, 2), (4, 2, 1)), dtype="float64"),
    Case(contract.MatmulOp, ((3, 5), (5, 3)), dtype="float16"),
    Case(contract.MatmulOp, ((2, 0), (0, 3))),
    Case(contract.DenseOp, ((4, 3), (3, 5), (5,))),
    Case(contract.DenseOp, ((3,), (3, 2))),
    Case(contract.DenseOp, ((3,), (3, 2), (2,))),
    Case(contract.DenseOp, ((2, 3, 4), (4, 3), (3,)), dtype="float64"),
    Case(contract.DenseOp, ((1, 1), (1, 1), (1,))),
    Case(contract.Conv2dOp, ((1, 2, 4, 4), (3, 2, 3, 3))),
    Case(
        contract.Conv2dOp,
        ((1, 2, 4, 4), (3, 2, 3, 3), (3,)),
        {"padding": ints(1, 1, 1, 1)},
    ),
    Case(
        contract.Conv2dOp,
        ((2, 3, 7, 6), (2, 3, 2, 3)),
        {"strides": ints(2, 3), "padding": ints(0, 1, 2, 1)},
    ),
    Case(
        contract.Conv2dOp,
        ((1, 2, 7, 7), (2, 2, 3, 2)),
        {"dilations": ints(2, 3), "padding": ints(1, 0, 2, 2)},
    ),
    Case(
        contract.Conv2dOp,
        ((1, 4, 5, 5), (6, 2, 3, 3), (6,)),
        {"groups": i64_attr(2), "strides": ints(2, 2)},
    ),
    Case(
        contract.Conv2dOp,
        ((1, 3, 5, 4), (3, 1, 3, 3)),
        {"groups": i64_attr(3), "padding": ints(1, 1, 1, 1)},
        dtype="float64",
    ),
    Case(
        contract.Conv2dOp,
        ((1, 2, 4, 3), (4, 1, 2, 2), (4,)),
        {"groups": i64_attr(2), "dilations": ints(1, 2), "padding": ints(0, 0, 1, 1)},
    ),
    Case(contract.Conv2dOp, ((2, 3, 3, 4), (5, 3, 1, 1), (5,))),
    Case(
        contract.Conv2dOp,
        ((1, 1, 1, 1), (1, 1, 3, 3)),
        {"padding": ints(1, 1, 1, 1)},
        dtype="float16",
    ),
    Case(
        contract.Conv2dOp,
        ((1, 2, 3, 3), (2, 2, 2, 2)),
        {"strides": ints(2, 2), "padding": ints(0, 0, 1, 1)},
    ),
]


def pool_props(kernel: tuple[int, int], *flags: str, **lists: Any) -> dict[str, Any]:
    props: dict[str, Attribute] = {"kernel": ints(*kernel)}
    props |= {name: ints(*values) for name, values in lists.items()}
    props |= {flag: UnitAttr() for flag in flags}
    return props


POOLING_CASES = [
    Case(pool.MaxPool2dOp, ((1, 3, 4, 4),), pool_props((2, 2), strides=(2, 2))),
    Case(
        pool.MaxPool2dOp,
        ((1, 2, 8, 7),),
        pool_props((3, 3), "ceil_mode", strides=(2, 2), padding=(1, 1, 1, 1)),
    ),
    Case(
        pool.MaxPool2dOp,
        ((2, 1, 6, 5),),
        pool_props((2, 3), dilations=(2, 1), padding=(1, 0, 0, 2)),
    ),
    Case(
        pool.MaxPool2dOp,
        ((1, 2, 5, 5),),
        pool_props((2, 2), "ceil_mode", strides=(2, 2), dilations=(2, 2)),
        dtype="float64",
    ),
    Case(pool.MaxPool2dOp, ((1, 1, 3, 1),), pool_props((1, 1))),
    Case(
        pool.MaxPool2dOp,
        ((1, 2, 5, 4),),
        pool_props((3, 2), strides=(2, 1), padding=(2, 1, 0, 0)),
        dtype="float16",
    ),
    Case(pool.AvgPool2dOp, ((1, 2, 4, 4),), pool_props((2, 2), strides=(2, 2))),
    Case(
        pool.AvgPool2dOp,
        ((1, 1, 3, 3),),
        pool_props((3, 3), padding=(1, 1, 1, 1)),
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 2, 5, 5),),
        pool_props((3, 3), "count_include_pad", padding=(1, 1, 1, 1)),
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 2, 6, 5),),
        pool_props((3, 2), "ceil_mode", strides=(2, 2), padding=(1, 0, 0, 1)),
    ),
    Case(
        pool.AvgPool2dOp,
        ((2, 1, 6, 5),),
        pool_props(
            (3, 2),
            "ceil_mode",
            "count_include_pad",
            strides=(2, 2),
            padding=(1, 0, 0, 1),
        ),
        dtype="float64",
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 1, 7, 5),),
        pool_props(
            (3, 2),
            "ceil_mode",
            "count_include_pad",
            strides=(2, 1),
            padding=(1, 0, 0, 1),
        ),
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 1, 7, 4),),
        pool_props((2, 2), "ceil_mode", "count_include_pad", strides=(3, 3)),
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 2, 4, 5),),
        pool_props((2, 3), padding=(0, 2, 1, 0)),
        dtype="float16",
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 2, 9, 7),),
        pool_props((3, 2), strides=(2, 1), dilations=(2, 3), padding=(2, 1, 1, 1)),
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 1, 7, 8),),
        pool_props(
            (2, 3), "ceil_mode", "count_include_pad", strides=(3, 2), dilations=(3, 2)
        ),
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 1, 5, 5),),
        pool_props((2, 2), "ceil_mode", strides=(3, 3), dilations=(3, 3)),
    ),
    Case(
        pool.AvgPool2dOp,
        ((1, 1, 5, 5),),
        pool_props((2, 2), dilations=(2, 2), padding=(1, 1, 0, 0)),
    ),
    Case(pool.GlobalAvgPool2dOp, ((1, 3, 4, 5),)),
    Case(pool.GlobalAvgPool2dOp, ((2, 1, 1, 1),), dtype="float64"),
    Case(pool.GlobalAvgPool2dOp, ((1, 2, 3, 3),), dtype="float16"),
]

INT64_MAX = 2**63 - 1

SHAPE_CASES = [
    Case(shp.ReshapeOp, ((2, 3),), {"shape": ints(6)}),
    Case(shp.ReshapeOp, ((6,),), {"shape": ints(2, 3)}),
    Case(shp.ReshapeOp, ((2, 3, 4),), {"shape": ints(4, 6)}),
    Case(shp.ReshapeOp, ((4, 6),), {"shape": ints(6, 4)}),
    Case(shp.ReshapeOp, ((2, 1, 3),), {"shape": ints(3, 1, 2)}),
    Case(shp.ReshapeOp, ((1, 4, 1),), {"shape": ints(2, 2)}),
    Case(shp.ReshapeOp, ((3, 4, 5),), {"shape": ints(3, 2, 10)}, dtype="float64"),
    Case(shp.ReshapeOp, ((),), {"shape": ints(1, 1)}),
    Case(shp.ReshapeOp, ((1, 1),), {"shape": ints()}),
    Case(shp.ReshapeOp, ((0, 3),), {"shape": ints(3, 0)}),
    Case(shp.FlattenOp, ((2, 3, 4),)),
    Case(shp.FlattenOp, ((2, 3, 4),), {"axis": i64_attr(0)}),
    Case(shp.FlattenOp, ((2, 3, 4),), {"axis": i64_attr(-1)}),
    Case(shp.FlattenOp, ((3, 1, 2),), {"axis": i64_attr(3)}, dtype="float16"),
    Case(shp.SqueezeOp, ((1, 4, 1),), {"axes": ints(0, -1)}),
    Case(shp.SqueezeOp, ((1, 1),), {"axes": ints(1, 0)}),
    Case(shp.UnsqueezeOp, ((4,),), {"axes": ints(0, -1)}),
    Case(shp.UnsqueezeOp, ((),), {"axes": ints(0)}),
    Case(shp.UnsqueezeOp, ((2, 3),), {"axes": ints(1)}, dtype="float64"),
    Case(shp.TransposeOp, ((2, 3),), {"perm": ints(1, 0)}),
    Case(shp.TransposeOp, ((2, 3, 4),), {"perm": ints(2, 0, 1)}),
    Case(shp.TransposeOp, ((1, 3, 2),), {"perm": ints(-1, 0, -2)}, dtype="float64"),
    Case(shp.TransposeOp, ((),), {"perm": ints()}),
    Case(shp.BroadcastToOp, ((3,),), {"shape": ints(2, 3)}),
    Case(shp.BroadcastToOp, ((),), {"shape": ints(2, 2)}),
    Case(shp.BroadcastToOp, ((2, 1),), {"shape": ints(3, 2, 4)}),
    Case(shp.BroadcastToOp, ((1, 1),), {"shape": ints(1, 3)}, dtype="float16"),
    Case(
        shp.SliceOp, ((2, 5),), {"starts": ints(1), "ends": ints(100), "axes": ints(-1)}
    ),
    Case(
        shp.SliceOp,
        ((8,),),
        {"starts": ints(-1), "ends": ints(-9), "steps": ints(-1)},
    ),
    Case(
        shp.SliceOp,
        ((7, 6),),
        {"starts": ints(6, 1), "ends": ints(0, INT64_MAX), "steps": ints(-2, 3)},
    ),
    Case(
        shp.SliceOp,
        ((3, 4, 5),),
        {
            "starts": ints(-1, 0),
            "ends": ints(-INT64_MAX, 3),
            "axes": ints(2, 0),
            "steps": ints(-3, 2),
        },
        dtype="float64",
    ),
    Case(shp.SliceOp, ((4,),), {"starts": ints(2), "ends": ints(2)}),
    Case(shp.PadOp, ((3,),), {"pads": ints(1, 1), "value": f64_attr(-1.5)}),
    Case(shp.PadOp, ((2, 3),), {"pads": ints(0, 1, 2, 0)}),
    Case(shp.PadOp, ((2, 3),), {"pads": ints(1, 2, 2, 0), "mode": StringAttr("edge")}),
    Case(
        shp.PadOp,
        ((3, 4),),
        {"pads": ints(2, 0, 1, 3), "mode": StringAttr("reflect")},
        dtype="float64",
    ),
    Case(
        shp.PadOp, ((1, 3),), {"pads": ints(0, 2, 0, 2), "mode": StringAttr("reflect")}
    ),
    Case(shp.PadOp, ((1,),), {"pads": ints(2, 1), "mode": StringAttr("edge")}),
    Case(shp.PadOp, ((),), {"pads": ints()}),
    Case(
        shp.PadOp,
        ((2, 2),),
        {"pads": ints(1, 1, 1, 1), "value": f64_attr(0.1)},
        dtype="float16",
    ),
    Case(shp.ConcatOp, ((2, 3), (2, 5)), {"axis": i64_attr(-1)}),
    Case(shp.ConcatOp, ((1, 2), (3, 2), (2, 2)), {"axis": i64_attr(0)}),
    Case(
        shp.ConcatOp, ((2, 0), (2, 3), (2, 1)), {"axis": i64_attr(1)}, dtype="float64"
    ),
    Case(shp.ConcatOp, ((3,),), {"axis": i64_attr(0)}),
    Case(shp.ConcatOp, ((2, 1, 2), (2, 2, 2)), {"axis": i64_attr(1)}, dtype="float16"),
]


@pytest.mark.parametrize("case", CONTRACTION_CASES, ids=str)
def test_contraction_lowering_preserves_values(case: Case):
    check(case)


@pytest.mark.parametrize("case", POOLING_CASES, ids=str)
def test_pooling_lowering_preserves_values(case: Case):
    check(case)


@pytest.mark.parametrize("case", SHAPE_CASES, ids=str)
def test_shape_lowering_preserves_values(case: Case):
    check(case, exact=True)


def run_lowered(case: Case, *inputs: Array) -> Array:
    return dlc.interpret(lowered(case.module()), "f", *inputs)


def test_negative_slice_steps_count_down_from_start():
    props = {"starts": ints(5), "ends": ints(0), "steps": ints(-2)}
    x = np.arange(6, dtype=np.float32)
    np.testing.assert_array_equal(
        run_lowered(Case(shp.SliceOp, ((6,),), props), x), [5, 3, 1]
    )


def test_avg_pool_divides_by_the_counted_taps_of_each_window():
    """A 3x3 window padded by 1 holds 4 inputs at a corner, 6 on an edge, 9 inside.

    On ones, the mean over the inputs is 1 everywhere; counting the padding too,
    it is the share of the window the input fills.
    """
    ones = np.ones((1, 1, 3, 3), np.float32)
    padding = {"padding": (1, 1, 1, 1)}
    inputs_only = Case(pool.AvgPool2dOp, (ones.shape,), pool_props((3, 3), **padding))
    np.testing.assert_array_equal(run_lowered(inputs_only, ones), ones)
    with_pad = Case(
        pool.AvgPool2dOp,
        (ones.shape,),
        pool_props((3, 3), "count_include_pad", **padding),
    )
    expected = np.array([[4, 6, 4], [6, 9, 6], [4, 6, 4]]) / 9
    np.testing.assert_allclose(run_lowered(with_pad, ones)[0, 0], expected, rtol=1e-6)


def computes_of(module: ModuleOp) -> list[ComputeOp]:
    return [op for op in module.walk() if isinstance(op, ComputeOp)]


def test_each_op_is_a_constant_number_of_computes_whatever_the_shape():
    """The lowering never unrolls by shape: a large conv is one compute, as a small."""
    big = Case(
        contract.Conv2dOp,
        ((1, 64, 56, 56), (64, 64, 3, 3), (64,)),
        {"padding": ints(1, 1, 1, 1)},
    )
    computes = computes_of(lowered(big.module()))
    assert len(computes) == 2
    assert computes[0].reduction_extents == (64, 3, 3)


def test_reshape_pairs_dims_of_equal_size():
    assert reshape_groups([128, 256], [128, 4, 64]) == [([0], [0]), ([1], [1, 2])]
    assert reshape_groups([2, 3], [3, 2]) == [([0, 1], [0, 1])]
    assert reshape_groups([6, 4], [2, 12]) == [([0, 1], [0, 1])]
    assert reshape_groups([], []) == []


# --- Random programs -----------------------------------------------------------------

PART2_OPS = {
    *contract.CONTRACTION_OPS,
    *pool.POOLING_OPS,
    *shp.SHAPE_OPS,
}
PART2_SPECS = [spec for spec in OP_SPECS if spec.op in PART2_OPS]


@given(programs(max_ops=10, specs=PART2_SPECS), st.integers(0, 2**16))
def test_lowering_preserves_random_programs(program: Program, seed: int):
    """Chains of these ops, with the guards the generator adds (tanh, sigmoid + 1)."""
    assert_lowering_preserves(program.module, program.random_inputs(seed))
