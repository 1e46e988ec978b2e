"""nn-to-tensor on the elementwise, reduction, normalization and constant ops.

The oracle is the reference interpreter: for every op, on shapes with size-1 dims,
rank 0, broadcasting and negative axes, in f32, f64 (and f16 for some), the lowered
module (tensor computes, run point by point) must compute what the nn module
computes. A hypothesis property checks the same on random programs of these ops.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, Region, SSAValue

import dlc
from dlc.context import make_context
from dlc.dialects.nn import constant as const
from dlc.dialects.nn import elementwise as ew
from dlc.dialects.nn import normalization as norm
from dlc.dialects.nn import reduction as red
from dlc.dialects.nn.base import NNOp, f64_attr, i64_array, i64_attr
from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor import NNToTensorPass
from dlc.resources import declare_resource, dense_from_array
from tests.strategies import OP_SPECS, Program, programs

Array = np.ndarray[Any, Any]

ELEMENT_TYPES: dict[str, Attribute] = {
    "float16": Float16Type(),
    "float32": Float32Type(),
    "float64": Float64Type(),
}

TOLERANCE = {"float16": 5e-3, "float32": 2e-6, "float64": 1e-12}
"""Relative (and absolute, for values near 0) tolerance between the two results.

The nn references compute in the operands' dtype or in f64, rounding once; the
computes' bodies run in f64 but round each intermediate tensor to the element
type, so results agree to a few units in the last place.
"""


def lower(module: ModuleOp) -> ModuleOp:
    """Run nn-to-tensor in place; the result verifies and holds no nn op."""
    NNToTensorPass().apply(make_context(), module)
    module.verify()
    assert not [op.name for op in module.walk() if op.name.startswith("nn.")]
    return module


def nn_module(
    op_class: type[NNOp], operand_types: Sequence[Attribute], **properties: Attribute
) -> ModuleOp:
    """``@f`` applying one nn op to its arguments, the result type inferred."""
    block = Block(arg_types=operand_types)
    op = op_class.from_operands(block.args, **properties)
    block.add_ops([op, ReturnOp(op.results[0])])
    func = FuncOp("f", (list(operand_types), [op.results[0].type]), Region(block))
    return ModuleOp([func])


def tensor(shape: Sequence[int], dtype: str) -> TensorType:
    return TensorType(ELEMENT_TYPES[dtype], list(shape))


def assert_lowering_preserves(
    module: ModuleOp, inputs: Sequence[Array], tolerance: float
) -> None:
    """The interpreter gives the same result before and after nn-to-tensor.

    The module goes through its printed form, as dlc-opt would read it.
    """
    expected = dlc.interpret(dlc.parse(str(module)), "f", *inputs)
    actual = dlc.interpret(lower(dlc.parse(str(module))), "f", *inputs)
    assert actual.dtype == expected.dtype and actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance)


def check_op(
    op_class: type[NNOp],
    shapes: Sequence[Sequence[int]],
    dtype: str,
    properties: Mapping[str, Attribute] | None = None,
    *,
    positive: Sequence[int] = (),
    seed: int = 0,
) -> None:
    """Lower one op on random inputs; operands listed in ``positive`` are > 0."""
    rng = np.random.default_rng(seed)
    inputs = [rng.uniform(-2, 2, shape).astype(dtype) for shape in shapes]
    for index in positive:
        inputs[index] = rng.uniform(0.5, 2, shapes[index]).astype(dtype)
    operand_types = [tensor(s, dtype) for s in shapes]
    module = nn_module(op_class, operand_types, **(properties or {}))
    assert_lowering_preserves(module, inputs, TOLERANCE[dtype])


def computes(module: ModuleOp) -> list[ComputeOp]:
    return [op for op in module.walk() if isinstance(op, ComputeOp)]


# --- Elementwise ---------------------------------------------------------------------

UNARY_SHAPES = [(), (1,), (3, 1, 4), (2, 5)]
DTYPES = ["float32", "float64"]

UNARY_CASES: list[tuple[type[NNOp], dict[str, Attribute]]] = [
    (ew.ReluOp, {}),
    (ew.SigmoidOp, {}),
    (ew.TanhOp, {}),
    (ew.ExpOp, {}),
    (ew.NegOp, {}),
    (ew.LeakyReluOp, {}),
    (ew.LeakyReluOp, {"alpha": f64_attr(0.2)}),
    (ew.GeluOp, {}),
    (ew.GeluOp, {"approximate": StringAttr("tanh")}),
    (ew.ClipOp, {"min": f64_attr(-0.5), "max": f64_attr(1.5)}),
    (ew.ClipOp, {"min": f64_attr(0.0)}),
    (ew.ClipOp, {"max": f64_attr(6.0)}),
    (ew.ClipOp, {}),
]


def case_id(case: tuple[type[NNOp], dict[str, Attribute]]) -> str:
    op_class, props = case
    return op_class.name + "".join(f"-{k}" for k in props)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", UNARY_SHAPES, ids=str)
@pytest.mark.parametrize("case", UNARY_CASES, ids=case_id)
def test_unary_ops_lower_to_one_compute_of_the_same_values(
    case: tuple[type[NNOp], dict[str, Attribute]], shape: tuple[int, ...], dtype: str
):
    op_class, props = case
    check_op(op_class, [shape], dtype, props)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", UNARY_SHAPES, ids=str)
@pytest.mark.parametrize("op_class", [ew.LogOp, ew.SqrtOp, ew.RsqrtOp])
def test_unary_ops_of_positive_inputs_lower(
    op_class: type[NNOp], shape: tuple[int, ...], dtype: str
):
    check_op(op_class, [shape], dtype, positive=[0])


@pytest.mark.parametrize("case", UNARY_CASES, ids=case_id)
def test_unary_ops_lower_in_f16(case: tuple[type[NNOp], dict[str, Attribute]]):
    op_class, props = case
    check_op(op_class, [(2, 3)], "float16", props)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_unary_ops_keep_ieee_special_values():
    """NaN stays NaN through relu, clip and leaky_relu; log(0) is -inf, sqrt(-1) NaN."""
    x = np.array([np.nan, -np.inf, np.inf, 0.0, -1.0, 2.0], np.float32)
    for op_class, props in [
        (ew.ReluOp, {}),
        (ew.ClipOp, {"min": f64_attr(-0.5), "max": f64_attr(1.5)}),
        (ew.ClipOp, {"min": f64_attr(1.5), "max": f64_attr(-0.5)}),
        (ew.LeakyReluOp, {}),
        (ew.LogOp, {}),
        (ew.SqrtOp, {}),
        (ew.SigmoidOp, {}),
    ]:
        module = nn_module(op_class, [tensor(x.shape, "float32")], **props)
        assert_lowering_preserves(module, [x], TOLERANCE["float32"])


def test_clip_without_bounds_forwards_its_input():
    module = lower(nn_module(ew.ClipOp, [tensor((2, 3), "float32")]))
    func = next(op for op in module.walk() if isinstance(op, FuncOp))
    assert not computes(module)
    (ret,) = func.body.block.ops
    assert isinstance(ret, ReturnOp) and ret.arguments[0] == func.args[0]


BROADCAST_SHAPES = [
    ((), ()),
    ((2, 3), (2, 3)),
    ((4, 1), (3,)),
    ((2, 1, 3), (1, 4, 1)),
    ((), (2, 3)),
    ((3, 1), ()),
    ((1,), (1, 1)),
    ((1, 5), (2, 1, 1)),
]

BINARY_OPS = [ew.AddOp, ew.SubOp, ew.MulOp, ew.MaximumOp, ew.MinimumOp]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
@pytest.mark.parametrize("op_class", BINARY_OPS)
def test_binary_ops_broadcast_like_numpy(
    op_class: type[NNOp], shapes: tuple[tuple[int, ...], ...], dtype: str
):
    check_op(op_class, shapes, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
def test_div_broadcasts(shapes: tuple[tuple[int, ...], ...], dtype: str):
    check_op(ew.DivOp, shapes, dtype, positive=[1])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shapes", BROADCAST_SHAPES, ids=str)
def test_pow_broadcasts(shapes: tuple[tuple[int, ...], ...], dtype: str):
    check_op(ew.PowOp, shapes, dtype, positive=[0])


@pytest.mark.parametrize("op_class", [*BINARY_OPS, ew.DivOp, ew.PowOp])
def test_binary_ops_lower_in_f16(op_class: type[NNOp]):
    check_op(op_class, [(2, 1), (3,)], "float16", positive=[0, 1])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_binary_ops_keep_ieee_special_values():
    """x / 0 is inf or NaN, a NaN wins maximum and minimum, (-8) ** 0.5 is NaN."""
    lhs = np.array([1.0, -1.0, 0.0, np.nan, -8.0, 2.0], np.float64)
    rhs = np.array([0.0, 0.0, 0.0, 1.0, 0.5, np.nan], np.float64)
    for op_class in [ew.DivOp, ew.MaximumOp, ew.MinimumOp, ew.PowOp]:
        module = nn_module(op_class, [tensor((6,), "float64")] * 2)
        assert_lowering_preserves(module, [lhs, rhs], TOLERANCE["float64"])


def reads_of(module: ModuleOp) -> list[list[str]]:
    """The index operands of each read of the one compute, as constants or dims."""
    (compute,) = computes(module)
    dims: dict[SSAValue, str] = {
        index: f"d{n}" for n, index in enumerate(compute.output_indices)
    }
    described: list[list[str]] = []
    for read in (op for op in compute.body.walk() if isinstance(op, ReadOp)):
        names: list[str] = []
        for index in read.indices:
            owner = index.owner
            if isinstance(owner, arith.ConstantOp):
                names.append(str(owner.value.value.data))  # pyright: ignore
            else:
                names.append(dims[index])
        described.append(names)
    return described


def test_broadcast_reads_use_index_zero_only_on_stretched_dims():
    stretched = nn_module(
        ew.AddOp, [tensor((4, 1), "float32"), tensor((1, 3), "float32")]
    )
    assert reads_of(lower(stretched)) == [["d0", "0"], ["0", "d1"]]
    same = nn_module(ew.MulOp, [tensor((4, 1), "float32"), tensor((1,), "float32")])
    assert reads_of(lower(same)) == [["d0", "d1"], ["d1"]]
    scalar = nn_module(ew.SubOp, [tensor((), "float32"), tensor((2, 3), "float32")])
    assert reads_of(lower(scalar)) == [[], ["d0", "d1"]]


# --- Reduction -----------------------------------------------------------------------

REDUCTION_CASES = [
    ((4, 5), [-1], True),
    ((4, 5), [0, 1], False),
    ((4, 5), [1, 0], True),
    ((3,), [0], False),
    ((2, 1, 3), [1], False),
    ((2, 3, 4), [2, 0], True),
    ((2, 3, 4), [-2], False),
    ((1, 1), [0], True),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", REDUCTION_CASES, ids=str)
@pytest.mark.parametrize("op_class", red.REDUCTION_OPS)
def test_reductions_over_any_axes(
    op_class: type[NNOp],
    case: tuple[tuple[int, ...], list[int], bool],
    dtype: str,
):
    shape, axes, keepdims = case
    props: dict[str, Attribute] = {"axes": i64_array(axes)}
    if keepdims:
        props["keepdims"] = UnitAttr()
    check_op(op_class, [shape], dtype, props)


@pytest.mark.parametrize("op_class", red.REDUCTION_OPS)
def test_reductions_lower_in_f16(op_class: type[NNOp]):
    check_op(op_class, [(3, 4)], "float16", {"axes": i64_array([-1])})


def test_reduce_max_propagates_nan_and_sees_negative_infinity():
    x = np.array([[np.nan, 1.0, 2.0], [-np.inf, -np.inf, -np.inf]], np.float32)
    module = nn_module(
        red.ReduceMaxOp, [tensor(x.shape, "float32")], axes=i64_array([1])
    )
    assert_lowering_preserves(module, [x], TOLERANCE["float32"])


def test_reduction_combiners_and_extents():
    """Each reduction is one compute: add for sum and mean (of x / n), max for max."""
    x = tensor((2, 3, 4), "float32")
    axes = i64_array([0, -1])
    for op_class, combiners in [
        (red.ReduceSumOp, ["add"]),
        (red.ReduceMeanOp, ["add"]),
        (red.ReduceMaxOp, ["max"]),
    ]:
        found = computes(lower(nn_module(op_class, [x], axes=axes)))
        assert [c.combiner.data if c.combiner else None for c in found] == combiners
        assert found[0].reduction_extents == (2, 4)
        assert found[0].output_shape == (3,)


# --- Normalization -------------------------------------------------------------------

SOFTMAX_CASES = [((5,), None), ((2, 5), 1), ((2, 3, 4), -2), ((3, 1), -1), ((1, 4), 0)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", SOFTMAX_CASES, ids=str)
@pytest.mark.parametrize("op_class", [norm.SoftmaxOp, norm.LogSoftmaxOp])
def test_softmax_along_any_axis(
    op_class: type[NNOp], case: tuple[tuple[int, ...], int | None], dtype: str
):
    shape, axis = case
    props = {} if axis is None else {"axis": i64_attr(axis)}
    check_op(op_class, [shape], dtype, props)


@pytest.mark.parametrize("op_class", [norm.SoftmaxOp, norm.LogSoftmaxOp])
def test_softmax_lowers_in_f16(op_class: type[NNOp]):
    check_op(op_class, [(2, 6)], "float16")


@pytest.mark.parametrize("op_class", [norm.SoftmaxOp, norm.LogSoftmaxOp])
def test_softmax_subtracts_the_max_before_exp(op_class: type[NNOp]):
    """exp(1000) overflows f32, exp(-200) underflows it: the lowering does neither."""
    x = np.array([[1000.0, 1001.0, 1002.0], [0.0, -200.0, -100.0]], np.float32)
    module = nn_module(op_class, [tensor(x.shape, "float32")])
    assert_lowering_preserves(module, [x], TOLERANCE["float32"])
    result = dlc.interpret(lower(module), "f", x)
    assert np.isfinite(result).all()


def test_softmax_is_max_exp_sum_divide():
    found = computes(lower(nn_module(norm.SoftmaxOp, [tensor((2, 5), "float32")])))
    assert [c.combiner.data if c.combiner else None for c in found] == [
        Combiner.MAX,
        None,
        Combiner.ADD,
        None,
    ]


TRAILING_NORM_CASES = [
    ((2, 3, 4), -1),
    ((2, 3, 4), -2),
    ((2, 3, 4), 0),
    ((5,), 0),
    ((2, 1), -1),
    ((3, 1, 2), 1),
]


def trailing_norm_props(axis: int, epsilon: float | None) -> dict[str, Attribute]:
    props: dict[str, Attribute] = {"axis": i64_attr(axis)}
    if epsilon is not None:
        props["epsilon"] = f64_attr(epsilon)
    return props


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("epsilon", [None, 1e-3])
@pytest.mark.parametrize("case", TRAILING_NORM_CASES, ids=str)
def test_layer_norm_over_trailing_dims(
    case: tuple[tuple[int, ...], int], epsilon: float | None, dtype: str
):
    shape, axis = case
    suffix = shape[axis % len(shape) :]
    props = trailing_norm_props(axis, epsilon)
    check_op(norm.LayerNormOp, [shape, suffix, suffix], dtype, props)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("epsilon", [None, 1e-3])
@pytest.mark.parametrize("case", TRAILING_NORM_CASES, ids=str)
def test_rms_norm_over_trailing_dims(
    case: tuple[tuple[int, ...], int], epsilon: float | None, dtype: str
):
    shape, axis = case
    suffix = shape[axis % len(shape) :]
    props = trailing_norm_props(axis, epsilon)
    check_op(norm.RmsNormOp, [shape, suffix], dtype, props)


def test_layer_norm_takes_the_variance_in_two_passes():
    """Around 1e8, E[x^2] - E[x]^2 in f64 loses every digit of a variance of 1."""
    rng = np.random.default_rng(1)
    x = 1e8 + rng.standard_normal((2, 8))
    ones, zeros = np.ones(8), np.zeros(8)
    module = nn_module(
        norm.LayerNormOp, [tensor(s, "float64") for s in [(2, 8), (8,), (8,)]]
    )
    expected = (x - x.mean(-1, keepdims=True)) / np.sqrt(
        x.var(-1, keepdims=True) + 1e-5
    )
    actual = dlc.interpret(lower(module), "f", x, ones, zeros)
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("op_class", [norm.LayerNormOp, norm.RmsNormOp])
def test_trailing_norms_lower_in_f16(op_class: type[NNOp]):
    params = 2 if op_class is norm.LayerNormOp else 1
    check_op(op_class, [(2, 6), *[(6,)] * params], "float16")


BATCH_NORM_SHAPES = [(1, 3, 2, 2), (2, 3), (2, 1, 3), (1, 2, 1, 1, 2)]


@pytest.mark.parametrize("dtype", [*DTYPES, "float16"])
@pytest.mark.parametrize("epsilon", [None, 1e-3])
@pytest.mark.parametrize("shape", BATCH_NORM_SHAPES, ids=str)
def test_batch_norm_per_channel(
    shape: tuple[int, ...], epsilon: float | None, dtype: str
):
    channels = (shape[1],)
    props = {} if epsilon is None else {"epsilon": f64_attr(epsilon)}
    check_op(norm.BatchNormOp, [shape, *[channels] * 4], dtype, props, positive=[4])


# --- Constant ------------------------------------------------------------------------


CONSTANT_ARRAYS = {
    "dense": np.array([[1.0, -2.5, 3.0], [0.5, 0.0, -1.0]]),
    "splat": np.full((2, 2), 0.125),
    "rank0": np.array(4.0),
    "single": np.array([7.0]),
}


def constant_module(value: Attribute) -> ModuleOp:
    return nn_module(const.ConstantOp, [], value=value)


def constant_values(
    kind: str, dtype: str, storage: str
) -> tuple[Array, DenseIntOrFPElementsAttr | DenseResourceAttr]:
    array = CONSTANT_ARRAYS[kind].astype(dtype)
    if storage == "resource":
        return array, declare_resource("lowered", array)
    return array, dense_from_array(array)


@pytest.mark.parametrize("storage", ["inline", "resource"])
@pytest.mark.parametrize("dtype", [*DTYPES, "float16"])
@pytest.mark.parametrize("kind", CONSTANT_ARRAYS)
def test_constant_becomes_a_tensor_typed_arith_constant(
    kind: str, dtype: str, storage: str
):
    _, value = constant_values(kind, dtype, storage)
    module = lower(constant_module(value))
    (constant,) = (op for op in module.walk() if isinstance(op, arith.ConstantOp))
    assert constant.value == value
    assert constant.result.type == value.get_type()
    assert isinstance(constant.value, DenseResourceAttr) == (storage == "resource")


@pytest.mark.parametrize("storage", ["inline", "resource"])
@pytest.mark.parametrize("dtype", [*DTYPES, "float16"])
@pytest.mark.parametrize("kind", CONSTANT_ARRAYS)
def test_lowered_constant_has_the_same_value(kind: str, dtype: str, storage: str):
    array, value = constant_values(kind, dtype, storage)
    module = lower(constant_module(value))
    actual = dlc.interpret(module, "f")
    assert actual.dtype == array.dtype
    np.testing.assert_array_equal(actual, array)


# --- Random programs -----------------------------------------------------------------

PART1_OPS = {*ew.ELEMENTWISE_OPS, *red.REDUCTION_OPS, *norm.NORMALIZATION_OPS}
PART1_SPECS = tuple(s for s in OP_SPECS if s.op in PART1_OPS | {const.ConstantOp})

PROGRAM_TOLERANCE = {"float16": 3e-2, "float32": 1e-4, "float64": 1e-9}
"""Chains of ops amplify the last-place differences of single ops, so random programs
are compared relative to the largest magnitude in each output."""


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=150, deadline=None)
@given(programs(max_ops=12, specs=PART1_SPECS), st.integers(0, 2**16))
def test_lowering_preserves_what_random_programs_compute(program: Program, seed: int):
    inputs = program.random_inputs(seed)
    expected = dlc.interpret(program.module, program.function, *inputs)
    actual = dlc.interpret(lower(program.module.clone()), program.function, *inputs)
    if not isinstance(expected, tuple):
        expected, actual = (expected,), (actual,)
    for want, got in zip(expected, actual, strict=True):
        tolerance = PROGRAM_TOLERANCE[str(want.dtype)]
        scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance * scale)
