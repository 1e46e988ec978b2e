"""nn on integer and boolean tensors, from the verifier to compiled code.

Every behaviour is checked twice, in the reference interpreter and compiled for the
CPU, against expectations written here element by element in plain Python (not the
interpreter's numpy), at the edges where C leaves integers undefined and nn does
not: division by zero, the most negative value divided by -1, wraparound, casts of
NaN, infinities and out-of-range floats, gather indices out of range.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerType, TensorType, f32, i64
from xdsl.ir import Block
from xdsl.utils.exceptions import VerifyException

import dlc
from dlc.diagnostics import DiagnosticError
from dlc.dialects.nn.base import cast_scalar
from dlc.dialects.nn.logical import CastOp
from dlc.interpreter.scalar import numpy_dtype

Array = np.ndarray[Any, Any]
ELEMENT = {
    "bool": "i1",
    "int8": "i8",
    "int32": "i32",
    "int64": "i64",
    "float16": "f16",
    "float32": "f32",
    "float64": "f64",
}


def tensor(shape: Sequence[int], dtype: str) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def run_both(text: str, *inputs: Array) -> list[tuple[Array, ...]]:
    """The outputs of ``@f`` interpreted and compiled, each as a tuple."""
    results: list[tuple[Array, ...]] = []
    for run in (
        lambda: dlc.interpret(dlc.parse(text), "f", *inputs),
        lambda: dlc.compile(text)(*inputs),
    ):
        out = run()
        results.append(out if isinstance(out, tuple) else (out,))
    return results


def assert_both(text: str, inputs: Sequence[Array], *expected: Array) -> None:
    """Interpreter and compiled code both return exactly ``expected``."""
    for outputs in run_both(text, *inputs):
        assert len(outputs) == len(expected)
        for got, want in zip(outputs, expected, strict=True):
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got, want)


def binary_text(
    op: str,
    lhs: Sequence[int],
    rhs: Sequence[int],
    dtype: str,
    result_dtype: str | None = None,
) -> str:
    out_shape = np.broadcast_shapes(tuple(lhs), tuple(rhs))
    a, b = tensor(lhs, dtype), tensor(rhs, dtype)
    r = tensor(out_shape, result_dtype or dtype)
    return f"""
    func.func @f(%a: {a}, %b: {b}) -> {r} {{
      %r = {op} %a, %b : ({a}, {b}) -> {r}
      func.return %r : {r}
    }}
    """


def by_hand(fn: Callable[..., Any], dtype: str, *arrays: Array) -> Array:
    """``fn`` on Python scalars at every point of the broadcast shape."""
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    views = [np.broadcast_to(a, shape) for a in arrays]
    values = [fn(*(v[index].item() for v in views)) for index in np.ndindex(*shape)]
    return np.array(values, dtype=dtype).reshape(shape)


def wrap(value: int, dtype: str) -> int:
    """``value`` in two's complement of the dtype's width."""
    bits = np.iinfo(dtype).bits
    value %= 2**bits
    return value - 2**bits if value >= 2 ** (bits - 1) else value


# --- Arithmetic ----------------------------------------------------------------------


def truncated_quotient(a: int, b: int) -> int:
    if b == 0:
        return 0
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_integer_division_truncates_and_gives_0_for_a_zero_divisor(dtype: str):
    low = np.iinfo(dtype).min
    a = np.array([7, -7, 7, -7, 0, 5, low, low, low, 1], dtype)
    b = np.array([2, 2, -2, -2, 3, 0, -1, 1, 0, low], dtype)
    expected = np.array(
        [
            wrap(truncated_quotient(int(x), int(y)), dtype)
            for x, y in zip(a, b, strict=True)
        ],
        dtype,
    )
    assert expected[6] == low  # the most negative value / -1 wraps around to itself
    assert_both(binary_text("nn.div", [10], [10], dtype), [a, b], expected)


def test_integer_division_broadcasts_a_rank_0_divisor():
    a = np.arange(-8, 9, dtype=np.int32).reshape(17, 1)
    for divisor in (3, 0, -1):
        b = np.array(divisor, np.int32)
        expected = by_hand(truncated_quotient, "int32", a, b)
        assert_both(binary_text("nn.div", [17, 1], [], "int32"), [a, b], expected)


@pytest.mark.parametrize(
    ("op", "scalar"),
    [
        ("nn.add", lambda a, b: a + b),
        ("nn.sub", lambda a, b: a - b),
        ("nn.mul", lambda a, b: a * b),
        ("nn.maximum", max),
        ("nn.minimum", min),
    ],
)
@pytest.mark.parametrize("dtype", ["int8", "int64"])
def test_integer_arithmetic_wraps_around_and_compares_signed(op, scalar, dtype):
    info = np.iinfo(dtype)
    a = np.array([[info.max], [info.min], [-3], [100]], dtype)
    b = np.array([1, -1, 100, info.min], dtype)
    expected = by_hand(lambda x, y: wrap(scalar(x, y), dtype), dtype, a, b)
    assert_both(binary_text(op, [4, 1], [4], dtype), [a, b], expected)


def test_integer_negation_wraps_the_most_negative_value():
    text = """
    func.func @f(%x: tensor<4xi8>) -> tensor<4xi8> {
      %r = nn.neg %x : tensor<4xi8>
      func.return %r : tensor<4xi8>
    }
    """
    x = np.array([-128, -1, 0, 127], np.int8)
    assert_both(text, [x], np.array([-128, 1, 0, -127], np.int8))


def truncated_power(base: int, exponent: int) -> int:
    """The real base ** exponent truncated toward zero; 0 where it is infinite."""
    if exponent >= 0:
        return base**exponent
    if base in (1, -1):
        return base**-exponent
    return 0


@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_integer_power_is_exact_wraps_and_truncates_negative_exponents(dtype: str):
    bits = np.iinfo(dtype).bits
    a = np.array([[2], [-3], [0], [1], [-1], [7]], dtype)
    b = np.array([0, 1, bits - 1, bits, -1, -2, 5], dtype)
    expected = by_hand(lambda x, y: wrap(truncated_power(x, y), dtype), dtype, a, b)
    assert expected[0, 2] == np.iinfo(dtype).min  # 2 ** (bits - 1) wraps around
    assert_both(binary_text("nn.pow", [6, 1], [7], dtype), [a, b], expected)


# --- Comparisons, logic, where -------------------------------------------------------

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "nn.equal": lambda a, b: a == b,
    "nn.less": lambda a, b: a < b,
    "nn.less_equal": lambda a, b: a <= b,
    "nn.greater": lambda a, b: a > b,
    "nn.greater_equal": lambda a, b: a >= b,
}


@pytest.mark.parametrize("op", COMPARISONS)
def test_float_comparisons_are_false_for_nan_and_broadcast_from_rank_0(op: str):
    a = np.array([[-1.0], [0.0], [np.nan], [2.5], [-np.inf]], np.float32)
    for b in (np.array([0.0, np.nan, 2.5], np.float32), np.array(0.0, np.float32)):
        # Python's float comparisons are IEEE's: any with NaN is false.
        expected = by_hand(COMPARISONS[op], "bool", a, b)
        text = binary_text(op, a.shape, b.shape, "float32", "bool")
        assert_both(text, [a, b], expected)


@pytest.mark.parametrize("op", COMPARISONS)
def test_integer_comparisons_are_signed(op: str):
    a = np.array([[-128], [-1], [0], [127]], np.int8)
    b = np.array([-1, 0, 127], np.int8)
    expected = by_hand(COMPARISONS[op], "bool", a, b)
    assert_both(binary_text(op, [4, 1], [3], "int8", "bool"), [a, b], expected)


def test_logic_truth_tables_and_equality_of_booleans():
    text = """
    func.func @f(%a: tensor<4xi1>, %b: tensor<4xi1>)
        -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
      %n = nn.not %a : tensor<4xi1>
      %and = nn.and %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
      %or = nn.or %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
      %xor = nn.xor %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
      %eq = nn.equal %a, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
      func.return %n, %and, %or, %xor, %eq
          : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
    }
    """
    a = np.array([False, False, True, True])
    b = np.array([False, True, False, True])
    assert_both(
        text,
        [a, b],
        np.array([True, True, False, False]),
        np.array([False, False, False, True]),
        np.array([False, True, True, True]),
        np.array([False, True, True, False]),
        np.array([True, False, False, True]),
    )


def test_where_broadcasts_all_three_operands():
    text = """
    func.func @f(%c: tensor<3xi1>, %x: tensor<2x1xi64>, %y: tensor<i64>)
        -> tensor<2x3xi64> {
      %r = nn.where %c, %x, %y : (tensor<3xi1>, tensor<2x1xi64>, tensor<i64>)
          -> tensor<2x3xi64>
      func.return %r : tensor<2x3xi64>
    }
    """
    c = np.array([True, False, True])
    x = np.array([[10], [20]], np.int64)
    y = np.array(-1, np.int64)
    expected = np.array([[10, -1, 10], [20, -1, 20]], np.int64)
    assert_both(text, [c, x, y], expected)


# --- Cast ----------------------------------------------------------------------------

SPECIAL_FLOATS = [
    math.nan,
    math.inf,
    -math.inf,
    -0.7,
    0.7,
    -1.5,
    2.5,
    -0.0,
    127.9,
    128.0,
    -128.9,
    -129.0,
    255.0,
    3e9,
    -3e9,
    1e30,
    -1e30,
]


def saturated(value: float, dtype: str) -> int:
    """Truncate toward zero, clamp into the dtype's range, NaN to 0."""
    info = np.iinfo(dtype)
    if math.isnan(value):
        return 0
    if math.isinf(value):
        return int(info.max) if value > 0 else int(info.min)
    return min(max(math.trunc(value), int(info.min)), int(info.max))


def cast_text(shape: Sequence[int], source: str, target: str) -> str:
    a, r = tensor(shape, source), tensor(shape, target)
    return f"""
    func.func @f(%x: {a}) -> {r} {{
      %r = nn.cast %x : {a} -> {r}
      func.return %r : {r}
    }}
    """


@pytest.mark.parametrize("source", ["float16", "float32", "float64"])
@pytest.mark.parametrize("target", ["int8", "int32", "int64"])
def test_float_to_integer_casts_truncate_and_saturate(source: str, target: str):
    with np.errstate(over="ignore"):  # 1e30 is inf in f16
        x = np.array(SPECIAL_FLOATS, source)
    expected = np.array([saturated(float(v), target) for v in x], target)
    assert_both(cast_text([len(x)], source, target), [x], expected)


def test_float_to_i64_saturates_at_the_first_float_above_its_range():
    x = np.array([2.0**63, -(2.0**63), 2.0**62, -(2.0**63) - 2048.0], np.float64)
    expected = np.array([2**63 - 1, -(2**63), 2**62, -(2**63)], np.int64)
    assert_both(cast_text([4], "float64", "int64"), [x], expected)


def test_casts_to_booleans_test_for_nonzero_and_nan_is_true():
    x = np.array([0.0, -0.0, 0.5, -2.0, math.nan, math.inf], np.float32)
    expected = np.array([False, False, True, True, True, True])
    assert_both(cast_text([6], "float32", "bool"), [x], expected)
    i = np.array([0, 1, -1, 256], np.int32)
    assert_both(cast_text([4], "int32", "bool"), [i], np.array([0, 1, 1, 1], bool))


@pytest.mark.parametrize("target", ["int8", "int64", "float16", "float64"])
def test_booleans_cast_to_0_and_1(target: str):
    b = np.array([True, False, True])
    assert_both(cast_text([3], "bool", target), [b], np.array([1, 0, 1], target))


def test_integer_casts_sign_extend_or_keep_the_low_bits():
    x = np.array([300, -1, 2**40 + 5, -129], np.int64)
    expected = np.array([wrap(int(v), "int8") for v in x], np.int8)
    assert_both(cast_text([4], "int64", "int8"), [x], expected)
    y = np.array([-128, -1, 0, 127], np.int8)
    assert_both(cast_text([4], "int8", "int32"), [y], y.astype(np.int32))


def test_integer_to_float_rounds_to_nearest():
    x = np.array([2**24 + 1, -(2**53) - 1, 3, 65519, 65520], np.int64)
    expected = np.array([float(int(v)) for v in x], np.float64).astype(np.float32)
    assert_both(cast_text([5], "int64", "float32"), [x], expected)
    # 65520 is halfway to f16's next value (inf): it rounds to even, to inf.
    halves = np.array([65504.0, 65504.0, 3.0, 65504.0, math.inf], np.float16)
    assert_both(cast_text([5], "int64", "float16"), [x[[3, 3, 2, 3, 4]]], halves)


def test_cast_scalar_states_the_same_rules():
    assert cast_scalar(2.7, IntegerType(32)) == 2
    assert cast_scalar(-2.7, IntegerType(8)) == -2
    assert cast_scalar(1e10, IntegerType(8)) == 127
    assert cast_scalar(-math.inf, IntegerType(64)) == -(2**63)
    assert cast_scalar(math.nan, IntegerType(32)) == 0
    assert cast_scalar(0.5, IntegerType(1)) == 1
    assert cast_scalar(math.nan, IntegerType(1)) == 1
    assert cast_scalar(-0.0, IntegerType(1)) == 0
    assert cast_scalar(2.7, f32) == 2.7


def test_cast_from_python_names_its_target():
    block = Block(arg_types=[TensorType(f32, [3])])
    cast = CastOp.from_operands([block.args[0]], to=i64)
    assert cast.result.type == TensorType(i64, [3])
    with pytest.raises(VerifyException, match="build the op with to=<element type>"):
        CastOp.from_operands([block.args[0]])


# --- Gather --------------------------------------------------------------------------


def gather_text(
    data: Sequence[int],
    indices: Sequence[int],
    index: str,
    axis: int,
    dtype: str = "float32",
) -> str:
    rank = len(data)
    normalized = axis % rank
    result = [*data[:normalized], *indices, *data[normalized + 1 :]]
    d, i, r = tensor(data, dtype), tensor(indices, index), tensor(result, dtype)
    return f"""
    func.func @f(%x: {d}, %i: {i}) -> {r} {{
      %r = nn.gather %x, %i {{axis = {axis}}} : ({d}, {i}) -> {r}
      func.return %r : {r}
    }}
    """


def gathered_position(index: int, size: int) -> int:
    """Negative indices count from the end once; the rest is clamped into range."""
    position = index + size if index < 0 else index
    return min(max(position, 0), size - 1)


@pytest.mark.parametrize("index", ["int32", "int64"])
def test_gather_counts_negative_indices_from_the_end_and_clamps_the_rest(index: str):
    x = np.arange(15, dtype=np.float32).reshape(5, 3)
    i = np.array([[-1, 0], [4, -5], [7, -9], [2**31 - 1, -(2**31)]], index)
    expected = np.array(
        [[x[gathered_position(int(k), 5)] for k in row] for row in i], np.float32
    )
    assert_both(gather_text([5, 3], [4, 2], index, 0), [x, i], expected)


def test_gather_along_the_last_axis_with_a_rank_0_index():
    x = np.arange(24, dtype=np.int8).reshape(2, 3, 4)
    for k in (-1, 2, 9, -7):
        i = np.array(k, np.int64)
        expected = x[:, :, gathered_position(k, 4)]
        assert_both(gather_text([2, 3, 4], [], "int64", -1, "int8"), [x, i], expected)


def test_gather_of_booleans_along_a_middle_axis():
    x = np.array([[[True, False], [False, False], [True, True]]])
    i = np.array([2, -3, 0], np.int32)
    expected = np.stack([x[:, gathered_position(int(k), 3), :] for k in i], axis=1)
    assert_both(gather_text([1, 3, 2], [3], "int32", 1, "bool"), [x, i], expected)


# --- Reductions ----------------------------------------------------------------------


def reduce_text(op: str, shape: Sequence[int], axes: Sequence[int], dtype: str) -> str:
    kept = [d for k, d in enumerate(shape) if k not in axes]
    a, r = tensor(shape, dtype), tensor(kept, dtype)
    listed = ", ".join(map(str, axes))
    return f"""
    func.func @f(%x: {a}) -> {r} {{
      %r = {op} %x {{axes = array<i64: {listed}>}} : {a} -> {r}
      func.return %r : {r}
    }}
    """


INTEGER_REDUCERS: dict[str, Callable[[list[int]], int]] = {
    "nn.reduce_sum": sum,
    "nn.reduce_prod": math.prod,
    "nn.reduce_max": max,
    "nn.reduce_min": min,
}


@pytest.mark.parametrize("op", INTEGER_REDUCERS)
@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_integer_reductions_wrap_around_like_the_hardware(op: str, dtype: str):
    x = np.array([[100, 100, 100], [-128, 3, -5], [7, 0, 127]], dtype)
    reduce = INTEGER_REDUCERS[op]
    expected = np.array(
        [wrap(reduce([int(v) for v in col]), dtype) for col in x.T], dtype
    )
    assert_both(reduce_text(op, [3, 3], [0], dtype), [x], expected)


def test_boolean_max_is_any_and_min_is_all():
    x = np.array([[True, False, False], [True, True, False]])
    assert_both(
        reduce_text("nn.reduce_max", [2, 3], [0], "bool"),
        [x],
        np.array([True, True, False]),
    )
    assert_both(
        reduce_text("nn.reduce_min", [2, 3], [0], "bool"),
        [x],
        np.array([True, False, False]),
    )


def test_reductions_over_no_elements_are_their_identities():
    x = np.zeros((2, 0), np.int32)
    for op, identity in [
        ("nn.reduce_sum", 0),
        ("nn.reduce_prod", 1),
        ("nn.reduce_max", -(2**31)),
        ("nn.reduce_min", 2**31 - 1),
    ]:
        assert_both(
            reduce_text(op, [2, 0], [1], "int32"), [x], np.full(2, identity, np.int32)
        )
    f = np.zeros((2, 0), np.float32)
    assert_both(
        reduce_text("nn.reduce_min", [2, 0], [1], "float32"),
        [f],
        np.full(2, np.inf, np.float32),
    )
    assert_both(
        reduce_text("nn.reduce_prod", [2, 0], [1], "float32"),
        [f],
        np.ones(2, np.float32),
    )


def test_float_min_propagates_nan_and_prod_multiplies():
    x = np.array([[1.5, -2.0, 0.5], [np.nan, 4.0, -1.0]], np.float32)
    for got in run_both(reduce_text("nn.reduce_min", [2, 3], [1], "float32"), x):
        assert got[0][0] == -2.0 and np.isnan(got[0][1])
    for got in run_both(reduce_text("nn.reduce_prod", [2, 3], [0], "float32"), x):
        assert np.isnan(got[0][0])
        np.testing.assert_array_equal(got[0][1:], np.array([-8.0, -0.5], np.float32))


# --- Shape ops and constants ---------------------------------------------------------


def test_shape_ops_move_integers_and_booleans():
    text = """
    func.func @f(%x: tensor<2x3xi8>, %b: tensor<3xi1>)
        -> (tensor<5x2xi8>, tensor<2x5xi1>, tensor<4xi1>) {
      %t = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xi8> -> tensor<3x2xi8>
      %p = nn.pad %t {pads = array<i64: 1, 0, 1, 0>, value = -1000.0}
          : tensor<3x2xi8> -> tensor<5x2xi8>
      %q = nn.pad %b {pads = array<i64: 1, 1>, value = 0.25}
          : tensor<3xi1> -> tensor<5xi1>
      %r = nn.broadcast_to %q {shape = array<i64: 2, 5>}
          : tensor<5xi1> -> tensor<2x5xi1>
      %s = nn.slice %q {starts = array<i64: -1>, ends = array<i64: 0>,
                        steps = array<i64: -1>} : tensor<5xi1> -> tensor<4xi1>
      func.return %p, %r, %s : tensor<5x2xi8>, tensor<2x5xi1>, tensor<4xi1>
    }
    """
    x = np.array([[1, -2, 3], [4, 5, -6]], np.int8)
    b = np.array([False, True, False])
    padded = np.array([[-128, -128], [1, 4], [-2, 5], [3, -6], [-128, -128]], np.int8)
    q = [True, False, True, False, True]
    assert_both(
        text,
        [x, b],
        padded,
        np.array([q, q]),
        np.array(q[:0:-1]),
    )


def test_integer_and_boolean_constants_inline_and_as_blobs():
    """A blob holds one byte per boolean, any nonzero one true (here 0x02)."""
    text = """
    func.func @f() -> (tensor<2xi1>, tensor<3xi1>, tensor<2xi8>, tensor<i64>) {
      %a = nn.constant dense<[true, false]> : tensor<2xi1>
      %b = nn.constant dense_resource<integers_bools> : tensor<3xi1>
      %c = nn.constant dense<[-128, 127]> : tensor<2xi8>
      %d = nn.constant dense<-9223372036854775808> : tensor<i64>
      func.return %a, %b, %c, %d : tensor<2xi1>, tensor<3xi1>, tensor<2xi8>, tensor<i64>
    }
    {-#
      dialect_resources: {
        builtin: {
          integers_bools: "0x01000000010002"
        }
      }
    #-}
    """
    assert_both(
        text,
        [],
        np.array([True, False]),
        np.array([True, False, True]),
        np.array([-128, 127], np.int8),
        np.array(-(2**63), np.int64),
    )


def test_a_boolean_is_any_nonzero_byte_in_and_0_or_1_out():
    """xDSL writes `true` as 0xFF; numpy as 1: compiled code tests bytes against 0."""
    text = """
    func.func @f(%a: tensor<300xi1>) -> tensor<300xi1> {
      %t = nn.constant dense<true> : tensor<300xi1>
      %r = nn.and %a, %t : (tensor<300xi1>, tensor<300xi1>) -> tensor<300xi1>
      func.return %r : tensor<300xi1>
    }
    """
    raw = np.zeros(300, np.uint8)
    raw[::3] = np.resize([1, 2, 255], 100)
    a = raw.view(np.bool_)
    compiled = dlc.compile(text)
    out = compiled(a)
    np.testing.assert_array_equal(out.view(np.uint8), (raw != 0).astype(np.uint8))
    assert "load i8" in compiled.llvm_ir and "zext i1" in compiled.llvm_ir


def test_integer_ops_on_constants_fold_to_what_they_compute():
    text = """
    func.func @f() -> (tensor<3xi32>, tensor<3xi1>) {
      %a = nn.constant dense<[7, -7, 5]> : tensor<3xi32>
      %b = nn.constant dense<[2, 2, 0]> : tensor<3xi32>
      %q = nn.div %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
      %l = nn.less %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi1>
      func.return %q, %l : tensor<3xi32>, tensor<3xi1>
    }
    """
    module = dlc.parse(text)
    from xdsl.transforms.canonicalize import CanonicalizePass

    from dlc.context import make_context

    CanonicalizePass().apply(make_context(), module)
    printed = str(module)
    assert "nn.div" not in printed and "nn.less" not in printed
    assert "dense<[3, -3, 0]> : tensor<3xi32>" in printed
    assert "dense<[false, true, false]> : tensor<3xi1>" in printed


# --- dlc.compile's argument checks ---------------------------------------------------


def test_compiled_functions_check_integer_dtypes_strictly():
    compiled = dlc.compile(binary_text("nn.add", [3], [3], "int64"))
    good = np.arange(3, dtype=np.int64)
    np.testing.assert_array_equal(compiled(good, good), 2 * good)
    with pytest.raises(TypeError, match="argument 1 must have dtype int64, got int32"):
        compiled(good, good.astype(np.int32))
    where = dlc.compile(cast_text([2], "bool", "int8"))
    with pytest.raises(TypeError, match="must have dtype bool, got int8"):
        where(np.array([0, 1], np.int8))


@pytest.mark.parametrize("element", ["ui8", "si32"])
def test_signed_and_unsigned_integers_have_no_numpy_dtype(element: str):
    with pytest.raises(DiagnosticError, match=f"element type {element} has no numpy"):
        numpy_dtype(
            dlc.parse(f"func.func private @g(%x: tensor<2x{element}>)")
            .ops.first.function_type.inputs.data[0]
            .element_type
        )  # pyright: ignore


# --- Odd sizes end to end ------------------------------------------------------------

ODD_PROGRAMS: dict[
    str, tuple[str, Callable[[np.random.Generator], list[Array]], Callable[..., Array]]
] = {
    "div_by_rank_0": (
        binary_text("nn.div", [127, 17], [], "int32"),
        lambda rng: [
            rng.integers(-50, 50, (127, 17)).astype(np.int32),
            np.array(-7, np.int32),
        ],
        lambda a, b: by_hand(truncated_quotient, "int32", a, b),
    ),
    "less_broadcast": (
        binary_text("nn.less", [3, 1], [127], "int64", "bool"),
        lambda rng: [rng.integers(-5, 5, (3, 1)), rng.integers(-5, 5, (127,))],
        lambda a, b: by_hand(lambda x, y: x < y, "bool", a, b),
    ),
    "cast_1": (
        cast_text([1], "float32", "int8"),
        lambda rng: [np.array([-300.5], np.float32)],
        lambda x: np.array([-128], np.int8),
    ),
    "gather_17": (
        gather_text([17, 3], [127], "int64", 0),
        lambda rng: [
            rng.standard_normal((17, 3)).astype(np.float32),
            rng.integers(-25, 25, (127,)),
        ],
        lambda x, i: np.array([x[gathered_position(int(k), 17)] for k in i]),
    ),
}


@pytest.mark.parametrize("name", ODD_PROGRAMS)
def test_odd_sizes_compile_to_what_python_computes(name: str):
    text, make_inputs, expect = ODD_PROGRAMS[name]
    inputs = make_inputs(np.random.default_rng(0))
    assert_both(text, inputs, expect(*inputs))
