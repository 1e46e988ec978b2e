"""Hypothesis strategies that generate random, well-typed nn programs.

:func:`programs` draws one ``func.func @f`` whose body is a DAG of nn ops: random
input tensors, then ops drawn from :data:`OP_SPECS` (one entry per op of the nn
catalogue) with random valid shapes (1s, odd sizes, rank 0, broadcasting) and random
properties (negative axes, permutations, strides, pads, groups, dilations, ...).
Operands are reused, so values fan out; some values are never used; the function
returns one or more of them.

Ops are built through the Python API, ``Op.from_operands(operands, **properties)``,
so every result type is inferred by dlc itself; the generator never writes a type.
Its structure is drawn from small integers, booleans and ``sampled_from``, so
hypothesis shrinks a failing program towards few ops, small shapes and default
properties.

Programs must also *run*: the interpreter property checks that every output is
finite. Each generated value therefore carries a :class:`Range`, a conservative
bound on its elements, and each operand slot states what it needs (:class:`Need`):
a positive operand for ``log``, ``rsqrt``, a divisor, a power's base, a variance; a
small one for ``exp`` or an exponent. A value that does not qualify goes through a
guard op first (``tanh`` to shrink it, ``sigmoid(x) + 1`` to make it positive), and
an op whose result could grow too large for its element type gets guarded operands.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal, TypeVar

import numpy as np
from hypothesis import strategies as st
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Attribute, Block, BlockArgument, Region, SSAValue

from dlc.dialects.nn import activation as act
from dlc.dialects.nn import constant as const
from dlc.dialects.nn import contraction as contract
from dlc.dialects.nn import einsum as ein
from dlc.dialects.nn import elementwise as ew
from dlc.dialects.nn import indexing as idx
from dlc.dialects.nn import logical as lgc
from dlc.dialects.nn import lrn, tile
from dlc.dialects.nn import normalization as norm
from dlc.dialects.nn import pooling as pool
from dlc.dialects.nn import reduction as red
from dlc.dialects.nn import resize as rsz
from dlc.dialects.nn import shape as shp
from dlc.dialects.nn.base import (
    NNOp,
    f64_attr,
    float_property,
    i64_array,
    i64_attr,
    ints_property,
)
from dlc.resources import declare_resource, dense_from_array

Shape = tuple[int, ...]
Properties = dict[str, Attribute]
T = TypeVar("T")

MAX_RANK = 4
MAX_DIM = 5
INPUT_BOUND = 2.0
"""Inputs are drawn from [-2, 2]; inputs that must be positive from [0.5, 2]."""

POSITIVE_FLOOR = 0.5
SMALL_BOUND = 3.0

OPERAND_LIMIT: dict[type[Attribute], float] = {
    Float16Type: 1e2,
    Float32Type: 1e4,
    Float64Type: 1e4,
}
"""The largest magnitude an operand may have; its square bounds every result.

f16 gets a low limit because references compute squares (variances, norms) in the
operand type, and 65504 is f16's largest finite value.
"""

NUMPY_TYPES: dict[type[Attribute], type[np.floating[Any]]] = {
    Float16Type: np.float16,
    Float32Type: np.float32,
    Float64Type: np.float64,
}

FLOAT_WIDTHS: dict[type[Attribute], Literal[16, 32, 64]] = {
    Float16Type: 16,
    Float32Type: 32,
    Float64Type: 64,
}


# --- What is known about a value -----------------------------------------------------


@dataclass(frozen=True)
class Range:
    """A conservative bound on a value's elements: ``|x| <= bound``, ``x >= floor``.

    ``floor`` is a positive lower bound when one is known, else None.
    """

    bound: float
    floor: float | None = None


class Need(Enum):
    """What an operand slot requires of its value's elements."""

    ANY = "any"
    """|x| <= the element type's operand limit."""
    SMALL = "small"
    """|x| <= 3: the input of exp, an exponent."""
    POSITIVE = "positive"
    """x >= 0.5: the input of log/sqrt/rsqrt, a divisor, a power's base, a variance."""


@dataclass(frozen=True)
class Value:
    """A generated SSA value and the bound on its elements."""

    ssa: SSAValue
    range: Range

    @property
    def shape(self) -> Shape:
        assert isinstance(self.ssa.type, TensorType)
        return tuple(self.ssa.type.get_shape())  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType]

    @property
    def element_type(self) -> Attribute:
        assert isinstance(self.ssa.type, TensorType)
        return self.ssa.type.element_type  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


@dataclass
class Draft:
    """An op about to be built: operands (each with its need) and properties."""

    operands: list[Value]
    needs: list[Need]
    properties: Properties = field(default_factory=Properties)


# --- The program being built ---------------------------------------------------------


class ProgramBuilder:
    """Grows one function body: arguments on demand, ops appended in order."""

    def __init__(self, draw: st.DrawFn, element_type: Attribute):
        self.draw = draw
        self.element_type = element_type
        self.dtype = NUMPY_TYPES[type(element_type)]
        self.limit = OPERAND_LIMIT[type(element_type)]
        self.block = Block()
        self.values: list[Value] = []
        self.argument_ranges: list[tuple[float, float]] = []
        self._one: Value | None = None

    # Small draws

    def dim(self, low: int = 1, high: int = MAX_DIM) -> int:
        return self.draw(st.integers(low, high))

    def shape(self, rank: int, high: int = MAX_DIM) -> Shape:
        return tuple(self.dim(1, high) for _ in range(rank))

    def rank(self, low: int = 0, high: int = MAX_RANK) -> int:
        return self.draw(st.integers(low, high))

    def flag(self) -> bool:
        return self.draw(st.booleans())

    def axis(self, rank: int) -> tuple[int, int]:
        """A normalized axis in [0, rank) and how it is written (maybe negative)."""
        axis = self.draw(st.integers(0, rank - 1))
        return axis, axis - rank if self.flag() else axis

    def axes(self, rank: int, choices: Sequence[int] | None = None) -> list[int]:
        """A non-empty list of distinct axes in any order, each maybe negative."""
        pool = list(range(rank)) if choices is None else list(choices)
        chosen = self.distinct(pool, self.draw(st.integers(1, len(pool))))
        return [a - rank if self.flag() else a for a in chosen]

    def distinct(self, pool: Sequence[T], count: int) -> list[T]:
        """``count`` distinct elements of ``pool`` in random order."""
        return self.draw(st.permutations(pool))[:count]

    # Values

    def argument(self, shape: Shape, need: Need = Need.ANY) -> Value:
        """A fresh function argument; positive ones get inputs in [0.5, 2]."""
        arg_type = TensorType(self.element_type, list(shape))
        ssa = self.block.insert_arg(arg_type, len(self.block.args))
        if need is Need.POSITIVE:
            self.argument_ranges.append((POSITIVE_FLOOR, INPUT_BOUND))
            value = Value(ssa, Range(INPUT_BOUND, POSITIVE_FLOOR))
        else:
            self.argument_ranges.append((-INPUT_BOUND, INPUT_BOUND))
            value = Value(ssa, Range(INPUT_BOUND))
        self.values.append(value)
        return value

    def pick(
        self,
        fits: Callable[[Shape], bool],
        make: Callable[[], Shape],
        need: Need = Need.ANY,
    ) -> Value:
        """An existing value whose shape fits, or a fresh argument of shape make().

        Candidates are ordered newest first, so that programs grow deep chains.
        Only values of the program's element type are candidates (see the integer
        section below for the others).
        """
        candidates = [
            v
            for v in reversed(self.values)
            if fits(v.shape) and v.element_type == self.element_type
        ]
        if not candidates or self.flag():
            return self.argument(make(), need)
        return candidates[self.draw(st.integers(0, len(candidates) - 1))]

    def of_shape(self, shape: Shape, need: Need = Need.ANY) -> Value:
        return self.pick(lambda s: s == shape, lambda: shape, need)

    def of_rank(
        self, low: int = 0, high: int = MAX_RANK, need: Need = Need.ANY
    ) -> Value:
        return self.pick(
            lambda s: low <= len(s) <= high,
            lambda: self.shape(self.rank(low, high)),
            need,
        )

    # Ops

    def emit(self, spec: OpSpec) -> Value:
        """Draw one op of ``spec``, guarding operands so its result stays finite."""
        draft = spec.draw(self)
        needs = draft.needs
        operands = [self.meet(v, n) for v, n in zip(draft.operands, needs, strict=True)]
        result_range = spec.range(operands, draft.properties)
        if result_range.bound > self.limit**2:
            operands = [self.tame(v, n) for v, n in zip(operands, needs, strict=True)]
            result_range = spec.range(operands, draft.properties)
        return self.build(spec.op, operands, draft.properties, result_range)

    def build(
        self,
        op_class: type[NNOp],
        operands: Sequence[Value],
        properties: Properties,
        value_range: Range,
    ) -> Value:
        op = op_class.from_operands([v.ssa for v in operands], **properties)
        self.block.add_op(op)
        value = Value(op.results[0], value_range)
        self.values.append(value)
        return value

    def meet(self, value: Value, need: Need) -> Value:
        """``value`` itself if it satisfies ``need``, else a guarded copy."""
        r = value.range
        if need is Need.POSITIVE:
            ok = r.floor is not None and r.floor >= POSITIVE_FLOOR
            ok = ok and r.bound <= self.limit
        elif need is Need.SMALL:
            ok = r.bound <= SMALL_BOUND
        else:
            ok = r.bound <= self.limit
        return value if ok else self.tame(value, need)

    def tame(self, value: Value, need: Need) -> Value:
        """``value`` within [0.5, 2] if it must be positive, else within [-1, 1]."""
        r = value.range
        if need is Need.POSITIVE:
            if r.floor is not None and r.floor >= POSITIVE_FLOOR and r.bound <= 2:
                return value
            squashed = self.build(ew.SigmoidOp, [value], {}, Range(1.0))
            return self.build(ew.AddOp, [squashed, self.one()], {}, Range(2.0, 1.0))
        if r.bound <= 1:
            return value
        return self.build(ew.TanhOp, [value], {}, Range(1.0))

    def one(self) -> Value:
        """The scalar constant 1 (made once, then shared)."""
        if self._one is None:
            value = dense_from_array(np.array(1.0, self.dtype))
            self._one = self.build(
                const.ConstantOp, [], {"value": value}, Range(1.0, 1.0)
            )
        return self._one


# --- One entry per op: how to draw its operands and properties -----------------------

RangeRule = Callable[[Sequence[Value], Mapping[str, Attribute]], Range]
"""The bound on an op's result, from its (guarded) operands and its properties."""


@dataclass(frozen=True)
class OpSpec:
    """How to generate one nn op.

    ``draw`` picks operands (reusing values or making arguments) and properties;
    ``range`` bounds the result's elements from the operands' ranges.
    """

    op: type[NNOp]
    draw: Callable[[ProgramBuilder], Draft]
    range: RangeRule


def bound(values: Sequence[Value], index: int = 0) -> float:
    return values[index].range.bound


def floor(values: Sequence[Value], index: int = 0) -> float:
    low = values[index].range.floor
    assert low is not None, "a POSITIVE operand always has a floor"
    return low


def bias_bound(values: Sequence[Value], index: int) -> float:
    """The bound of an optional trailing operand, 0 when it is absent."""
    return bound(values, index) if len(values) > index else 0.0


def ranged(rule: Callable[[Sequence[Value]], Range]) -> RangeRule:
    """A range rule that does not depend on properties."""
    return lambda values, props: rule(values)


same_range = ranged(lambda v: v[0].range)
unit_range = ranged(lambda v: Range(1.0))
widest = ranged(lambda v: Range(max(x.range.bound for x in v)))


# Elementwise ------------------------------------------------------------------------


def unary(
    need: Need = Need.ANY,
    properties: Callable[[ProgramBuilder], Properties] | None = None,
) -> Callable[[ProgramBuilder], Draft]:
    def draw(b: ProgramBuilder) -> Draft:
        x = b.of_rank(need=need)
        return Draft([x], [need], properties(b) if properties else {})

    return draw


def leaky_relu_properties(b: ProgramBuilder) -> Properties:
    if b.flag():
        return {}
    return {"alpha": f64_attr(b.draw(st.floats(0.0, 1.0)))}


def leaky_relu_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    alpha = float_property(props, "alpha", 0.01)
    return Range(bound(values) * max(1.0, abs(alpha)))


def gelu_properties(b: ProgramBuilder) -> Properties:
    approximate = b.draw(st.sampled_from([None, "none", "tanh"]))
    return {} if approximate is None else {"approximate": StringAttr(approximate)}


def clip_properties(b: ProgramBuilder) -> Properties:
    """Either bound, both (min <= max) or neither."""
    pair = b.draw(st.lists(st.floats(-3.0, 3.0), min_size=2, max_size=2))
    low, high = sorted(pair)
    props: Properties = {}
    if b.flag():
        props["min"] = f64_attr(low)
    if b.flag():
        props["max"] = f64_attr(high)
    return props


def clip_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    ends = [abs(float_property(props, k)) for k in ("min", "max") if k in props]
    if len(ends) == 2:
        return Range(max(ends))
    return Range(max([bound(values), *ends]))


def binary(
    lhs_need: Need = Need.ANY, rhs_need: Need = Need.ANY
) -> Callable[[ProgramBuilder], Draft]:
    """Two operands whose shapes broadcast (numpy rules), either one drawn first."""

    def draw(b: ProgramBuilder) -> Draft:
        swap = b.flag()
        first_need, second_need = (rhs_need, lhs_need) if swap else (lhs_need, rhs_need)
        first = b.of_rank(need=first_need)
        second = b.pick(
            lambda s: broadcasts(first.shape, s),
            lambda: broadcast_partner(b, first.shape),
            second_need,
        )
        operands = [second, first] if swap else [first, second]
        return Draft(operands, [lhs_need, rhs_need])

    return draw


def broadcasts(lhs: Shape, rhs: Shape) -> bool:
    try:
        np.broadcast_shapes(lhs, rhs)
    except ValueError:
        return False
    return True


def broadcast_partner(b: ProgramBuilder, shape: Shape) -> Shape:
    """A shape that broadcasts with ``shape``: fewer or more dims, some of them 1."""
    rank = b.rank()
    partner: list[int] = []
    for i in range(rank):
        j = len(shape) - rank + i
        if j < 0 or shape[j] == 1:
            partner.append(b.dim())
        else:
            partner.append(b.draw(st.sampled_from([shape[j], 1])))
    return tuple(partner)


def pow_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    base = max(bound(values, 0), 1.0 / floor(values, 0))
    return Range(base ** bound(values, 1))


exp_range = ranged(lambda v: Range(math.exp(bound(v)), math.exp(-bound(v))))
log_range = ranged(
    lambda v: Range(max(abs(math.log(floor(v))), abs(math.log(bound(v)))))
)
sqrt_range = ranged(lambda v: Range(math.sqrt(bound(v)), math.sqrt(floor(v))))
rsqrt_range = ranged(lambda v: Range(1 / math.sqrt(floor(v)), 1 / math.sqrt(bound(v))))
gelu_range = ranged(lambda v: Range(bound(v) + 0.2))
sum_range = ranged(lambda v: Range(bound(v, 0) + bound(v, 1)))
product_range = ranged(lambda v: Range(bound(v, 0) * bound(v, 1)))
quotient_range = ranged(lambda v: Range(bound(v, 0) / floor(v, 1)))


# Reductions -------------------------------------------------------------------------


def draw_reduction(b: ProgramBuilder) -> Draft:
    x = b.of_rank(1)
    props: Properties = {"axes": i64_array(b.axes(len(x.shape)))}
    if b.flag():
        props["keepdims"] = UnitAttr()
    return Draft([x], [Need.ANY], props)


def reduce_sum_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    shape = values[0].shape
    count = math.prod(shape[a] for a in ints_property(props, "axes"))
    return Range(bound(values) * count)


# Normalization ----------------------------------------------------------------------


def draw_softmax(b: ProgramBuilder) -> Draft:
    x = b.of_rank(1)
    props: Properties = {}
    if b.flag():
        props["axis"] = i64_attr(b.axis(len(x.shape))[1])
    return Draft([x], [Need.ANY], props)


log_softmax_range = ranged(
    lambda v: Range(2 * bound(v) + math.log(max(v[0].shape)) + 1.0)
)


def normalized_suffix(b: ProgramBuilder, x: Value, props: Properties) -> Shape:
    """Draw axis and epsilon of layer_norm/rms_norm; return the normalized shape."""
    if b.flag():
        axis, written = b.axis(len(x.shape))
        props["axis"] = i64_attr(written)
    else:
        axis = len(x.shape) - 1
    if b.flag():
        props["epsilon"] = f64_attr(b.draw(st.sampled_from([1e-5, 1e-6, 1e-3, 0.1])))
    return x.shape[axis:]


def draw_layer_norm(b: ProgramBuilder) -> Draft:
    x = b.of_rank(1)
    props: Properties = {}
    suffix = normalized_suffix(b, x, props)
    return Draft([x, b.of_shape(suffix), b.of_shape(suffix)], [Need.ANY] * 3, props)


def draw_rms_norm(b: ProgramBuilder) -> Draft:
    x = b.of_rank(1)
    props: Properties = {}
    suffix = normalized_suffix(b, x, props)
    return Draft([x, b.of_shape(suffix)], [Need.ANY] * 2, props)


norm_range = ranged(
    lambda v: Range(math.sqrt(math.prod(v[1].shape)) * bound(v, 1) + bias_bound(v, 2))
)
"""A normalized element is at most sqrt(n) in size; then scale (and bias)."""


def draw_batch_norm(b: ProgramBuilder) -> Draft:
    x = b.of_rank(2)
    channels = (x.shape[1],)
    operands = [x, *(b.of_shape(channels) for _ in range(3))]
    operands.append(b.of_shape(channels, Need.POSITIVE))
    props: Properties = {}
    if b.flag():
        props["epsilon"] = f64_attr(b.draw(st.sampled_from([1e-5, 1e-3])))
    return Draft(operands, [Need.ANY] * 4 + [Need.POSITIVE], props)


batch_norm_range = ranged(
    lambda v: Range(
        (bound(v, 0) + bound(v, 3)) / math.sqrt(floor(v, 4)) * bound(v, 1) + bound(v, 2)
    )
)


# Contraction ------------------------------------------------------------------------


def matmul_shape(lhs: Shape, rhs: Shape) -> Shape | None:
    """numpy's matmul result shape, or None where numpy refuses."""
    try:
        return np.matmul(np.zeros(lhs), np.zeros(rhs)).shape
    except ValueError:
        return None


def draw_matmul(b: ProgramBuilder) -> Draft:
    """lhs of any rank >= 1; rhs a vector or a batch of matrices that broadcasts."""
    a = b.of_rank(1)
    k = a.shape[-1]

    def make() -> Shape:
        if b.flag():
            return (k,)
        batch = broadcast_partner(b, a.shape[:-2])[-2:]
        return (*batch, k, b.dim())

    rhs = b.pick(lambda s: len(s) >= 1 and matmul_shape(a.shape, s) is not None, make)
    return Draft([a, rhs], [Need.ANY] * 2)


matmul_range = ranged(lambda v: Range(v[0].shape[-1] * bound(v, 0) * bound(v, 1)))


def draw_dense(b: ProgramBuilder) -> Draft:
    x = b.of_rank(1)
    k = x.shape[-1]
    w = b.pick(lambda s: len(s) == 2 and s[0] == k, lambda: (k, b.dim()))
    operands = [x, w]
    if b.flag():
        operands.append(b.of_shape((w.shape[1],)))
    return Draft(operands, [Need.ANY] * len(operands))


dense_range = ranged(
    lambda v: Range(v[1].shape[0] * bound(v, 0) * bound(v, 1) + bias_bound(v, 2))
)


@dataclass(frozen=True)
class Window:
    """Sliding-window parameters of conv2d and the pools, per spatial dim (H, W)."""

    kernel: tuple[int, int]
    strides: tuple[int, int]
    padding: tuple[int, int, int, int]
    dilations: tuple[int, int]

    def min_input(self, dim: int, *, every_window_sees_input: bool) -> int:
        """The smallest input extent along spatial ``dim`` giving one output.

        A dilated window can step over an input narrower than its span and see only
        padding, which a max pool turns into -inf; ``every_window_sees_input``
        asks for an input at least that wide.
        """
        span = self.dilations[dim] * (self.kernel[dim] - 1) + 1
        if every_window_sees_input and self.dilations[dim] > 1:
            return span
        return max(1, span - self.padding[dim] - self.padding[dim + 2])


def draw_window(b: ProgramBuilder, *, pad_below_kernel: bool, dilate: bool) -> Window:
    kh, kw = b.dim(1, 3), b.dim(1, 3)
    strides = (b.dim(1, 3), b.dim(1, 3))
    high_h, high_w = (kh - 1, kw - 1) if pad_below_kernel else (2, 2)
    top, left, bottom, right = (
        b.dim(0, high_h),
        b.dim(0, high_w),
        b.dim(0, high_h),
        b.dim(0, high_w),
    )
    dilations = (b.dim(1, 2), b.dim(1, 2)) if dilate else (1, 1)
    return Window((kh, kw), strides, (top, left, bottom, right), dilations)


def window_properties(b: ProgramBuilder, window: Window, *, dilate: bool) -> Properties:
    """The window's properties, each left out when it has its default (or not)."""
    listed: list[tuple[str, tuple[int, ...], tuple[int, ...]]] = [
        ("strides", window.strides, (1, 1)),
        ("padding", window.padding, (0, 0, 0, 0)),
    ]
    if dilate:
        listed.append(("dilations", window.dilations, (1, 1)))
    return {
        name: i64_array(values)
        for name, values, default in listed
        if values != default or b.flag()
    }


def nchw_input(
    b: ProgramBuilder, window: Window, *, groups: int = 1, pooling: bool = False
) -> Value:
    """An N x C x H x W operand large enough for ``window``, C divisible by groups."""
    low_h = window.min_input(0, every_window_sees_input=pooling)
    low_w = window.min_input(1, every_window_sees_input=pooling)
    return b.pick(
        lambda s: (
            len(s) == 4 and s[1] % groups == 0 and s[2] >= low_h and s[3] >= low_w
        ),
        lambda: (
            b.dim(1, 2),
            groups * b.dim(1, 3),
            b.dim(low_h, low_h + 4),
            b.dim(low_w, low_w + 4),
        ),
    )


def draw_conv2d(b: ProgramBuilder) -> Draft:
    groups = b.dim(1, 3)
    window = draw_window(b, pad_below_kernel=False, dilate=True)
    x = nchw_input(b, window, groups=groups)
    out_channels = groups * b.dim(1, 3)
    operands = [x, b.of_shape((out_channels, x.shape[1] // groups, *window.kernel))]
    if b.flag():
        operands.append(b.of_shape((out_channels,)))
    props = window_properties(b, window, dilate=True)
    if groups != 1 or b.flag():
        props["groups"] = i64_attr(groups)
    return Draft(operands, [Need.ANY] * len(operands), props)


conv2d_range = ranged(
    lambda v: Range(
        math.prod(v[1].shape[1:]) * bound(v, 0) * bound(v, 1) + bias_bound(v, 2)
    )
)


# Pooling ----------------------------------------------------------------------------


def draw_pool(
    *, dilate: bool, flags: Sequence[str]
) -> Callable[[ProgramBuilder], Draft]:
    """max_pool2d/avg_pool2d: padding below the kernel, optional flag properties."""

    def draw(b: ProgramBuilder) -> Draft:
        window = draw_window(b, pad_below_kernel=True, dilate=dilate)
        x = nchw_input(b, window, pooling=True)
        props = window_properties(b, window, dilate=dilate)
        props["kernel"] = i64_array(window.kernel)
        for flag in flags:
            if b.flag():
                props[flag] = UnitAttr()
        return Draft([x], [Need.ANY], props)

    return draw


def draw_global_avg_pool2d(b: ProgramBuilder) -> Draft:
    return Draft([b.of_rank(4, 4)], [Need.ANY])


# Shape ------------------------------------------------------------------------------


def prime_factors(n: int) -> list[int]:
    factors: list[int] = []
    p = 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    return factors


def draw_reshape(b: ProgramBuilder) -> Draft:
    """A new shape with the same size: the prime factors dealt out to new dims."""
    x = b.of_rank()
    factors = prime_factors(math.prod(x.shape))
    rank = b.rank(1 if factors else 0)
    dims = [1] * rank
    for factor in factors:
        dims[b.draw(st.integers(0, rank - 1))] *= factor
    return Draft([x], [Need.ANY], {"shape": i64_array(dims)})


def draw_transpose(b: ProgramBuilder) -> Draft:
    x = b.of_rank()
    perm = b.draw(st.permutations(range(len(x.shape))))
    return Draft([x], [Need.ANY], {"perm": i64_array(perm)})


def draw_flatten(b: ProgramBuilder) -> Draft:
    """axis in [-rank, rank], or left at its default 1."""
    x = b.of_rank(1)
    rank = len(x.shape)
    if b.flag():
        return Draft([x], [Need.ANY])
    axis = b.draw(st.integers(0, rank))
    written = axis - rank if axis < rank and b.flag() else axis
    return Draft([x], [Need.ANY], {"axis": i64_attr(written)})


def with_a_unit_dim(b: ProgramBuilder) -> Shape:
    shape = list(b.shape(b.rank(1)))
    shape[b.draw(st.integers(0, len(shape) - 1))] = 1
    return tuple(shape)


def draw_squeeze(b: ProgramBuilder) -> Draft:
    x = b.pick(lambda s: 1 in s, lambda: with_a_unit_dim(b))
    units = [i for i, d in enumerate(x.shape) if d == 1]
    return Draft([x], [Need.ANY], {"axes": i64_array(b.axes(len(x.shape), units))})


def draw_unsqueeze(b: ProgramBuilder) -> Draft:
    """New unit dims at distinct positions of the result, each maybe negative."""
    x = b.of_rank(0, MAX_RANK - 1)
    added = b.dim(1, MAX_RANK - len(x.shape))
    out_rank = len(x.shape) + added
    positions = b.distinct(range(out_rank), added)
    axes = [p - out_rank if b.flag() else p for p in positions]
    return Draft([x], [Need.ANY], {"axes": i64_array(axes)})


def draw_broadcast_to(b: ProgramBuilder) -> Draft:
    x = b.of_rank(0, MAX_RANK - 1)
    leading = b.shape(b.rank(0, MAX_RANK - len(x.shape)))
    trailing = [b.dim() if d == 1 else d for d in x.shape]
    return Draft([x], [Need.ANY], {"shape": i64_array([*leading, *trailing])})


INT64_MAX = 2**63 - 1


def slice_bounds(b: ProgramBuilder, dim: int, step: int) -> tuple[int, int]:
    """``start, end`` selecting at least one element, spelled in ONNX's many ways.

    Negative values count from the end and out-of-range values clamp, so the first
    and last positions have several spellings (``INT64_MAX`` for "to the end").
    """
    start = b.draw(st.integers(0, dim - 1))
    if step > 0:
        end = b.draw(st.integers(start + 1, dim))
        starts = [start, start - dim] + ([-dim - 3] if start == 0 else [])
        ends = [end] + ([end - dim] if end < dim else [dim + 3, INT64_MAX])
    else:
        end = b.draw(st.integers(-1, start - 1))
        starts = [start, start - dim] + ([dim + 3] if start == dim - 1 else [])
        ends = [end, end - dim] if end >= 0 else [-dim - 1, -INT64_MAX]
    return b.draw(st.sampled_from(starts)), b.draw(st.sampled_from(ends))


def draw_slice(b: ProgramBuilder) -> Draft:
    """Slice some axes (all, in order, when ``axes`` is left out) with any steps."""
    x = b.of_rank(1)
    rank = len(x.shape)
    explicit_axes = b.flag()
    axes = b.axes(rank) if explicit_axes else list(range(rank))
    steps = [b.draw(st.sampled_from([1, -1, 2, -2, 3])) for _ in axes]
    bounds = [slice_bounds(b, x.shape[a], s) for a, s in zip(axes, steps, strict=True)]
    props: Properties = {
        "starts": i64_array([start for start, _ in bounds]),
        "ends": i64_array([end for _, end in bounds]),
    }
    if explicit_axes:
        props["axes"] = i64_array(axes)
    if any(s != 1 for s in steps) or b.flag():
        props["steps"] = i64_array(steps)
    return Draft([x], [Need.ANY], props)


def draw_pad(b: ProgramBuilder) -> Draft:
    """Pads up to 2 per side (reflect: below the dim); value only in constant mode."""
    x = b.of_rank()
    mode = b.draw(st.sampled_from([None, "constant", "edge", "reflect"]))
    limits = [min(2, d - 1) if mode == "reflect" else 2 for d in x.shape]
    pads = [b.dim(0, high) for high in limits + limits]
    props: Properties = {"pads": i64_array(pads)}
    if mode is not None:
        props["mode"] = StringAttr(mode)
    if mode in (None, "constant") and b.flag():
        props["value"] = f64_attr(b.draw(st.floats(-3.0, 3.0)))
    return Draft([x], [Need.ANY], props)


def pad_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    return Range(max(bound(values), abs(float_property(props, "value", 0.0))))


def draw_concat(b: ProgramBuilder) -> Draft:
    """One to three inputs that agree on every dim but the (maybe negative) axis."""
    first = b.of_rank(1)
    rank = len(first.shape)
    axis, written = b.axis(rank)

    def fits(s: Shape) -> bool:
        return len(s) == rank and all(
            d == e
            for i, (d, e) in enumerate(zip(s, first.shape, strict=True))
            if i != axis
        )

    def make() -> Shape:
        return tuple(b.dim() if i == axis else d for i, d in enumerate(first.shape))

    operands = [first, *(b.pick(fits, make) for _ in range(b.dim(0, 2)))]
    return Draft(operands, [Need.ANY] * len(operands), {"axis": i64_attr(written)})


# Constant ---------------------------------------------------------------------------


def draw_constant(b: ProgramBuilder) -> Draft:
    """An inline ``dense<...>`` (maybe a splat) or a ``dense_resource<...>`` blob."""
    shape = b.shape(b.rank(0, 3), high=4)
    width = FLOAT_WIDTHS[type(b.element_type)]
    element = st.floats(-INPUT_BOUND, INPUT_BOUND, width=width)
    kind = b.draw(st.sampled_from(["dense", "splat", "resource"]))
    count = 1 if kind == "splat" else math.prod(shape)
    data = b.draw(st.lists(element, min_size=count, max_size=count))
    array = np.broadcast_to(np.array(data, b.dtype), (math.prod(shape),))
    if kind == "resource":
        value = declare_resource("blob", array.reshape(shape))
    else:
        value = dense_from_array(array.reshape(shape))
    return Draft([], [], {"value": value})


# Activation -------------------------------------------------------------------------


def float_parameters(
    **ranges: tuple[float, float],
) -> Callable[[ProgramBuilder], Properties]:
    """Each named float parameter left at its default or drawn from its range."""

    def draw(b: ProgramBuilder) -> Properties:
        props: Properties = {}
        for name, (low, high) in ranges.items():
            if b.flag():
                props[name] = f64_attr(b.draw(st.floats(low, high)))
        return props

    return draw


def draw_exact_input(b: ProgramBuilder) -> Draft:
    """A fresh argument, for floor and ceil: they jump at integers, so their input
    must be the same bits in compiled code and reference (a computed value may round
    to either side of an integer)."""
    return Draft([b.argument(b.shape(b.rank()))], [Need.ANY])


def broadcasts_to(shape: Shape, target: Shape) -> bool:
    """Whether ``shape`` broadcasts to ``target`` without growing it (ONNX's
    unidirectional broadcasting)."""
    return broadcasts(shape, target) and np.broadcast_shapes(shape, target) == target


def draw_prelu(b: ProgramBuilder) -> Draft:
    """A slope that is a suffix of x's shape, some dims 1 (per channel: [C, 1, 1])."""
    x = b.of_rank()

    def make() -> Shape:
        kept = x.shape[len(x.shape) - b.rank(0, len(x.shape)) :]
        return tuple(b.draw(st.sampled_from([d, 1])) for d in kept)

    slope = b.pick(lambda s: broadcasts_to(s, x.shape), make)
    return Draft([x, slope], [Need.ANY] * 2)


def elu_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    """x above 0, alpha * (e^x - 1) in (-|alpha|, |alpha|) below."""
    alpha = float_property(props, "alpha", 1.0)
    return Range(max(bound(values), abs(alpha)))


def selu_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    alpha = float_property(props, "alpha", act.SeluOp.PARAMETERS["alpha"])
    gamma = float_property(props, "gamma", act.SeluOp.PARAMETERS["gamma"])
    return Range(abs(gamma) * max(bound(values), abs(alpha)))


# Einsum -----------------------------------------------------------------------------

EINSUM_LETTERS = "ijk"


def draw_einsum(b: ProgramBuilder) -> Draft:
    """1 to 3 operands over up to three letters, some repeated within an operand
    (a diagonal), some operands with a '...' that broadcasts; the output explicit
    (any subset of the letters, in any order) or implicit."""
    letters = EINSUM_LETTERS[: b.dim(1, len(EINSUM_LETTERS))]
    sizes = {letter: b.dim() for letter in letters}
    ellipsis = b.shape(1) if b.flag() else ()
    terms: list[str] = []
    operands: list[Value] = []
    for _ in range(b.dim(1, 3)):
        term = "".join(b.draw(st.sampled_from(letters)) for _ in range(b.rank(0, 3)))
        shape = [sizes[letter] for letter in term]
        if ellipsis and b.flag():
            covered = [b.draw(st.sampled_from([d, 1])) for d in ellipsis]
            at = b.draw(st.integers(0, len(term)))
            term = term[:at] + "..." + term[at:]
            shape[at:at] = covered[len(covered) - b.rank(0, len(covered)) :]
        terms.append(term)
        operands.append(b.of_shape(tuple(shape)))
    equation = ",".join(terms)
    if b.flag():
        used = sorted(set(equation.replace("...", "").replace(",", "")))
        output = "".join(b.distinct(used, b.draw(st.integers(0, len(used)))))
        if "..." in equation:
            at = b.draw(st.integers(0, len(output)))
            output = output[:at] + "..." + output[at:]
        equation += "->" + output
    props: Properties = {"equation": StringAttr(equation)}
    return Draft(operands, [Need.ANY] * len(operands), props)


def einsum_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    """Each output element sums one product per point of the summed letters."""
    einsum = ein.EinsumOp.read([v.ssa.type for v in values], props)
    terms = math.prod(einsum.sizes[label] for label in einsum.summed_labels)
    return Range(terms * math.prod(v.range.bound for v in values))


# LRN and tile -----------------------------------------------------------------------


def draw_lrn(b: ProgramBuilder) -> Draft:
    """Any window size (wider than the channels too); parameters that keep the
    divisor's base at least 0.5 (bias >= 0.5, alpha >= 0)."""
    x = b.of_rank(2)
    props: Properties = {"size": i64_attr(b.dim(1, 6))}
    props |= float_parameters(alpha=(0.0, 1.0), beta=(0.25, 1.0), bias=(0.5, 2.0))(b)
    return Draft([x], [Need.ANY], props)


def draw_tile(b: ProgramBuilder) -> Draft:
    x = b.of_rank(0, 3)
    return Draft(
        [x], [Need.ANY], {"repeats": i64_array([b.dim(1, 3) for _ in x.shape])}
    )


# Resize -----------------------------------------------------------------------------


def draw_resize(b: ProgramBuilder) -> Draft:
    """New H and W (smaller, equal or larger) and any modes, each maybe left at its
    default."""
    x = b.of_rank(4, 4)
    n, c, _, _ = x.shape
    props: Properties = {"sizes": i64_array([n, c, b.dim(1, 7), b.dim(1, 7)])}
    choices = {
        "mode": ["nearest", "linear"],
        "coordinate_transformation_mode": [
            "half_pixel",
            "pytorch_half_pixel",
            "align_corners",
            "asymmetric",
        ],
        "nearest_mode": ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"],
    }
    for name, values in choices.items():
        if b.flag():
            props[name] = StringAttr(b.draw(st.sampled_from(values)))
    return Draft([x], [Need.ANY], props)


# Integers, booleans, logic, cast and gather -----------------------------------------
#
# Integer and boolean values live beside the program's float ones: float ops never
# pick them (ProgramBuilder.pick serves the program's element type), integer ops and
# the logic ops pick them here, and a returned one is cast back to the float type.
# Only exact values are truncated or compared: function arguments and integers. A
# computed float may differ in its last bit between compiled code and reference,
# and a truncation or a comparison would turn that into a jump.

BOOL = IntegerType(1)
INTEGER_TYPES: tuple[IntegerType, ...] = (
    IntegerType(32),
    IntegerType(64),
    IntegerType(8),
)
INTEGER_INPUT_BOUND = 9.0
"""Integer arguments are uniform in (-9, 9), truncated: small, with many zeros, so
that integer division by zero (0, in nn) is drawn often."""
INTEGER_OPERAND_BOUND = 16.0
"""Larger integer values are never reused as operands, so that integer results stay
far below every operand limit and never need a guard (guards are float ops)."""
COMPARISONS = (
    lgc.EqualOp,
    lgc.LessOp,
    lgc.LessEqualOp,
    lgc.GreaterOp,
    lgc.GreaterEqualOp,
)


def any_shape(shape: Shape) -> bool:
    return True


def integer_value(
    b: ProgramBuilder,
    element_type: Attribute,
    fits: Callable[[Shape], bool],
    make: Callable[[], Shape],
) -> Value:
    """A small existing value of ``element_type`` whose shape fits, or a fresh one:
    an integer argument, or a comparison of two fresh float arguments for ``i1``."""
    candidates = [
        v
        for v in reversed(b.values)
        if v.element_type == element_type
        and fits(v.shape)
        and v.range.bound <= INTEGER_OPERAND_BOUND
    ]
    if candidates and b.flag():
        return candidates[b.draw(st.integers(0, len(candidates) - 1))]
    shape = make()
    if element_type == BOOL:
        compare = b.draw(st.sampled_from(COMPARISONS))
        operands = [b.argument(shape), b.argument(shape)]
        return b.build(compare, operands, {}, Range(1.0))
    ssa = b.block.insert_arg(TensorType(element_type, list(shape)), len(b.block.args))
    b.argument_ranges.append((-INTEGER_INPUT_BOUND, INTEGER_INPUT_BOUND))
    value = Value(ssa, Range(INTEGER_INPUT_BOUND))
    b.values.append(value)
    return value


def exact_float(
    b: ProgramBuilder, fits: Callable[[Shape], bool], make: Callable[[], Shape]
) -> Value:
    """A float function argument whose shape fits, maybe a fresh one."""
    candidates = [
        v
        for v in reversed(b.values)
        if isinstance(v.ssa, BlockArgument)
        and v.element_type == b.element_type
        and fits(v.shape)
    ]
    if candidates and b.flag():
        return candidates[b.draw(st.integers(0, len(candidates) - 1))]
    return b.argument(make())


def or_integers(
    draw_float: Callable[[ProgramBuilder], Draft],
    draw_integer: Callable[[ProgramBuilder], Draft],
) -> Callable[[ProgramBuilder], Draft]:
    """``draw_float``, and one time in three ``draw_integer``: an op that takes both
    has one catalogue entry (shrinking leads to the float form)."""

    def draw(b: ProgramBuilder) -> Draft:
        if b.draw(st.integers(0, 2)) == 2:
            return draw_integer(b)
        return draw_float(b)

    return draw


def integer_unary(b: ProgramBuilder) -> Draft:
    element_type = b.draw(st.sampled_from(INTEGER_TYPES))
    x = integer_value(b, element_type, any_shape, lambda: b.shape(b.rank()))
    return Draft([x], [Need.ANY])


def typed_pair(b: ProgramBuilder, element_type: Attribute) -> list[Value]:
    """Two values of ``element_type`` whose shapes broadcast, in either order."""
    first = integer_value(b, element_type, any_shape, lambda: b.shape(b.rank()))
    second = integer_value(
        b,
        element_type,
        lambda s: broadcasts(first.shape, s),
        lambda: broadcast_partner(b, first.shape),
    )
    return [second, first] if b.flag() else [first, second]


def integer_binary(b: ProgramBuilder) -> Draft:
    element_type = b.draw(st.sampled_from(INTEGER_TYPES))
    return Draft(typed_pair(b, element_type), [Need.ANY] * 2)


def division_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    """An integer quotient is truncated: never larger than the dividend."""
    if values[0].element_type in INTEGER_TYPES:
        return Range(bound(values))
    return quotient_range(values, props)


def integer_reduction(
    element_types: Sequence[Attribute],
) -> Callable[[ProgramBuilder], Draft]:
    """A reduction of an integer (or boolean) value; i8 sums are left out, because
    their wrapping accumulator is not what the tensor-level interpreter models."""

    def draw(b: ProgramBuilder) -> Draft:
        element_type = b.draw(st.sampled_from(element_types))
        x = integer_value(
            b, element_type, lambda s: len(s) >= 1, lambda: b.shape(b.rank(1))
        )
        props: Properties = {"axes": i64_array(b.axes(len(x.shape)))}
        if b.flag():
            props["keepdims"] = UnitAttr()
        return Draft([x], [Need.ANY], props)

    return draw


def reduce_prod_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    """bound ** count, or infinity where that overflows (then the operand is tamed)."""
    shape = values[0].shape
    count = math.prod(shape[a] for a in ints_property(props, "axes"))
    base = max(bound(values), 1.0)
    if count * math.log(base) > 700:
        return Range(math.inf)
    return Range(base**count)


def draw_comparison(*, booleans: bool) -> Callable[[ProgramBuilder], Draft]:
    """Two exact operands of one element type whose shapes broadcast: float
    arguments, integers or (for nn.equal) booleans."""

    def draw(b: ProgramBuilder) -> Draft:
        kinds = ["float", "integer", *(["bool"] if booleans else [])]
        kind = b.draw(st.sampled_from(kinds))
        if kind == "float":
            first = exact_float(b, any_shape, lambda: b.shape(b.rank()))
            second = exact_float(
                b,
                lambda s: broadcasts(first.shape, s),
                lambda: broadcast_partner(b, first.shape),
            )
            return Draft([first, second], [Need.ANY] * 2)
        element_type = (
            BOOL if kind == "bool" else b.draw(st.sampled_from(INTEGER_TYPES))
        )
        return Draft(typed_pair(b, element_type), [Need.ANY] * 2)

    return draw


def draw_logic(b: ProgramBuilder) -> Draft:
    return Draft(typed_pair(b, BOOL), [Need.ANY] * 2)


def draw_not(b: ProgramBuilder) -> Draft:
    return Draft(
        [integer_value(b, BOOL, any_shape, lambda: b.shape(b.rank()))], [Need.ANY]
    )


def draw_where(b: ProgramBuilder) -> Draft:
    """Two float values and a boolean condition, all three broadcasting."""
    x = b.of_rank()
    y = b.pick(lambda s: broadcasts(x.shape, s), lambda: broadcast_partner(b, x.shape))
    shape = np.broadcast_shapes(x.shape, y.shape)
    condition = integer_value(
        b, BOOL, lambda s: broadcasts(s, shape), lambda: broadcast_partner(b, shape)
    )
    return Draft([condition, x, y], [Need.ANY] * 3)


where_range = ranged(lambda v: Range(max(bound(v, 1), bound(v, 2))))
boolean_range = ranged(lambda v: Range(1.0))

FLOAT_TARGETS: tuple[Attribute, ...] = (Float32Type(), Float64Type(), Float16Type())


def draw_cast(b: ProgramBuilder) -> Draft:
    """A cast from an exact float argument, an integer or a boolean to any element
    type, or from any float value to another float type."""
    source = b.draw(st.sampled_from(["exact", "integer", "bool", "float"]))
    if source == "exact":
        x = exact_float(b, any_shape, lambda: b.shape(b.rank()))
    elif source == "float":
        x = b.of_rank()
    else:
        kinds = INTEGER_TYPES if source == "integer" else (BOOL,)
        element_type = b.draw(st.sampled_from(kinds))
        x = integer_value(b, element_type, any_shape, lambda: b.shape(b.rank()))
    targets = (
        FLOAT_TARGETS if source == "float" else (*FLOAT_TARGETS, BOOL, *INTEGER_TYPES)
    )
    return Draft([x], [Need.ANY], {"to": b.draw(st.sampled_from(targets))})


def cast_range(values: Sequence[Value], props: Mapping[str, Attribute]) -> Range:
    target = props["to"]
    if target == BOOL:
        return Range(1.0)
    if isinstance(target, IntegerType):
        return Range(min(bound(values), 2.0 ** (target.width.data - 1)))
    return Range(bound(values))


def draw_gather(b: ProgramBuilder) -> Draft:
    """Gather from a float value along any axis, at constant indices that also count
    from the end or lie out of range (clamped), or at an integer value's indices."""
    data = b.of_rank(1)
    rank = len(data.shape)
    axis, written = b.axis(rank)
    index_type = b.draw(st.sampled_from([IntegerType(64), IntegerType(32)]))
    index_rank = b.rank(0, min(2, MAX_RANK - rank + 1))
    if b.flag():
        indices = integer_value(
            b, index_type, lambda s: len(s) == index_rank, lambda: b.shape(index_rank)
        )
    else:
        shape = b.shape(index_rank)
        size = data.shape[axis]
        count = math.prod(shape)
        positions = b.draw(
            st.lists(st.integers(-size - 2, size + 1), min_size=count, max_size=count)
        )
        dtype = np.int64 if index_type.width.data == 64 else np.int32
        value = dense_from_array(np.array(positions, dtype).reshape(shape))
        indices = b.build(const.ConstantOp, [], {"value": value}, Range(size + 2.0))
    props: Properties = {"axis": i64_attr(written)} if written or b.flag() else {}
    return Draft([data, indices], [Need.ANY] * 2, props)


# --- The catalogue -------------------------------------------------------------------

OP_SPECS: tuple[OpSpec, ...] = (
    # elementwise
    OpSpec(ew.ReluOp, unary(), same_range),
    OpSpec(ew.SigmoidOp, unary(), unit_range),
    OpSpec(ew.TanhOp, unary(), unit_range),
    OpSpec(ew.ExpOp, unary(Need.SMALL), exp_range),
    OpSpec(ew.LogOp, unary(Need.POSITIVE), log_range),
    OpSpec(ew.SqrtOp, unary(Need.POSITIVE), sqrt_range),
    OpSpec(ew.RsqrtOp, unary(Need.POSITIVE), rsqrt_range),
    OpSpec(
        ew.NegOp, or_integers(unary(), integer_unary), ranged(lambda v: Range(bound(v)))
    ),
    OpSpec(ew.LeakyReluOp, unary(properties=leaky_relu_properties), leaky_relu_range),
    OpSpec(ew.GeluOp, unary(properties=gelu_properties), gelu_range),
    OpSpec(ew.ClipOp, unary(properties=clip_properties), clip_range),
    OpSpec(ew.AddOp, or_integers(binary(), integer_binary), sum_range),
    OpSpec(ew.SubOp, or_integers(binary(), integer_binary), sum_range),
    OpSpec(ew.MulOp, or_integers(binary(), integer_binary), product_range),
    OpSpec(
        ew.DivOp,
        or_integers(binary(rhs_need=Need.POSITIVE), integer_binary),
        division_range,
    ),
    OpSpec(ew.PowOp, binary(Need.POSITIVE, Need.SMALL), pow_range),
    OpSpec(ew.MaximumOp, or_integers(binary(), integer_binary), widest),
    OpSpec(ew.MinimumOp, or_integers(binary(), integer_binary), widest),
    # reduction
    OpSpec(
        red.ReduceSumOp,
        or_integers(draw_reduction, integer_reduction(INTEGER_TYPES[:2])),
        reduce_sum_range,
    ),
    OpSpec(red.ReduceMeanOp, draw_reduction, same_range),
    OpSpec(
        red.ReduceMaxOp,
        or_integers(draw_reduction, integer_reduction((*INTEGER_TYPES, BOOL))),
        same_range,
    ),
    OpSpec(
        red.ReduceMinOp,
        or_integers(draw_reduction, integer_reduction((*INTEGER_TYPES, BOOL))),
        same_range,
    ),
    OpSpec(red.ReduceProdOp, draw_reduction, reduce_prod_range),
    # normalization
    OpSpec(norm.SoftmaxOp, draw_softmax, unit_range),
    OpSpec(norm.LogSoftmaxOp, draw_softmax, log_softmax_range),
    OpSpec(norm.LayerNormOp, draw_layer_norm, norm_range),
    OpSpec(norm.RmsNormOp, draw_rms_norm, norm_range),
    OpSpec(norm.BatchNormOp, draw_batch_norm, batch_norm_range),
    # contraction
    OpSpec(contract.MatmulOp, draw_matmul, matmul_range),
    OpSpec(contract.DenseOp, draw_dense, dense_range),
    OpSpec(contract.Conv2dOp, draw_conv2d, conv2d_range),
    # pooling
    OpSpec(pool.MaxPool2dOp, draw_pool(dilate=True, flags=["ceil_mode"]), same_range),
    OpSpec(
        pool.AvgPool2dOp,
        draw_pool(dilate=False, flags=["ceil_mode", "count_include_pad"]),
        same_range,
    ),
    OpSpec(pool.GlobalAvgPool2dOp, draw_global_avg_pool2d, same_range),
    # shape
    OpSpec(shp.ReshapeOp, draw_reshape, same_range),
    OpSpec(shp.TransposeOp, draw_transpose, same_range),
    OpSpec(shp.FlattenOp, draw_flatten, same_range),
    OpSpec(shp.SqueezeOp, draw_squeeze, same_range),
    OpSpec(shp.UnsqueezeOp, draw_unsqueeze, same_range),
    OpSpec(shp.BroadcastToOp, draw_broadcast_to, same_range),
    OpSpec(shp.SliceOp, draw_slice, same_range),
    OpSpec(shp.PadOp, draw_pad, pad_range),
    OpSpec(shp.ConcatOp, draw_concat, widest),
    # constant
    OpSpec(const.ConstantOp, draw_constant, ranged(lambda v: Range(INPUT_BOUND))),
    # logical
    OpSpec(lgc.EqualOp, draw_comparison(booleans=True), boolean_range),
    OpSpec(lgc.LessOp, draw_comparison(booleans=False), boolean_range),
    OpSpec(lgc.LessEqualOp, draw_comparison(booleans=False), boolean_range),
    OpSpec(lgc.GreaterOp, draw_comparison(booleans=False), boolean_range),
    OpSpec(lgc.GreaterEqualOp, draw_comparison(booleans=False), boolean_range),
    OpSpec(lgc.NotOp, draw_not, boolean_range),
    OpSpec(lgc.AndOp, draw_logic, boolean_range),
    OpSpec(lgc.OrOp, draw_logic, boolean_range),
    OpSpec(lgc.XorOp, draw_logic, boolean_range),
    OpSpec(lgc.WhereOp, draw_where, where_range),
    OpSpec(lgc.CastOp, draw_cast, cast_range),
    # indexing
    OpSpec(idx.GatherOp, draw_gather, same_range),
    # activation
    OpSpec(act.ErfOp, unary(), unit_range),
    OpSpec(act.AbsOp, unary(), ranged(lambda v: Range(bound(v)))),
    OpSpec(
        act.ReciprocalOp,
        unary(Need.POSITIVE),
        ranged(lambda v: Range(1 / floor(v), 1 / bound(v))),
    ),
    OpSpec(act.SoftplusOp, unary(), ranged(lambda v: Range(bound(v) + math.log(2)))),
    OpSpec(act.HardSwishOp, unary(), ranged(lambda v: Range(bound(v)))),
    OpSpec(
        act.HardSigmoidOp,
        unary(properties=float_parameters(alpha=(-1.0, 1.0), beta=(-1.0, 1.5))),
        unit_range,
    ),
    OpSpec(act.EluOp, unary(properties=float_parameters(alpha=(-1.0, 2.0))), elu_range),
    OpSpec(
        act.SeluOp,
        unary(properties=float_parameters(alpha=(0.0, 2.0), gamma=(0.5, 2.0))),
        selu_range,
    ),
    OpSpec(act.FloorOp, draw_exact_input, ranged(lambda v: Range(bound(v) + 1))),
    OpSpec(act.CeilOp, draw_exact_input, ranged(lambda v: Range(bound(v) + 1))),
    OpSpec(act.SinOp, unary(), unit_range),
    OpSpec(act.CosOp, unary(), unit_range),
    OpSpec(
        act.PReluOp,
        draw_prelu,
        ranged(lambda v: Range(bound(v, 0) * max(1.0, bound(v, 1)))),
    ),
    # einsum
    OpSpec(ein.EinsumOp, draw_einsum, einsum_range),
    # lrn and tile
    OpSpec(lrn.LrnOp, draw_lrn, ranged(lambda v: Range(2 * bound(v)))),
    OpSpec(tile.TileOp, draw_tile, same_range),
    # resize
    OpSpec(rsz.ResizeOp, draw_resize, same_range),
)


# --- Programs ------------------------------------------------------------------------

ELEMENT_TYPES: tuple[Attribute, ...] = (Float32Type(), Float64Type(), Float16Type())


@dataclass(frozen=True)
class Program:
    """A generated module and the input ranges its function was built for."""

    module: ModuleOp
    function: str
    argument_ranges: tuple[tuple[float, float], ...]

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show the IR itself when hypothesis reports a failing program."""
        printer.text(f"Program:\n{self.module!s}\n")

    def random_inputs(self, seed: int) -> list[np.ndarray[Any, Any]]:
        """Uniform inputs within the ranges the generator assumed (see Range)."""
        rng = np.random.default_rng(seed)
        func = next(op for op in self.module.ops if isinstance(op, FuncOp))
        inputs: list[np.ndarray[Any, Any]] = []
        for arg, (low, high) in zip(func.args, self.argument_ranges, strict=True):
            assert isinstance(arg.type, TensorType)
            shape = tuple(arg.type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
            inputs.append(rng.uniform(low, high, shape))
        return inputs


def as_program_type(b: ProgramBuilder, value: Value) -> Value:
    """``value``, cast to the program's float type if it has another element type,
    so that every output is compared as the program's floats are."""
    if value.element_type == b.element_type:
        return value
    cast = lgc.CastOp.from_operands([value.ssa], to=b.element_type)
    b.block.add_op(cast)
    return Value(cast.result, value.range)


@st.composite
def programs(
    draw: st.DrawFn,
    max_ops: int = 12,
    specs: Sequence[OpSpec] = OP_SPECS,
    element_types: Sequence[Attribute] = ELEMENT_TYPES,
) -> Program:
    """A module with one function ``@f``: a random DAG of ``specs`` ops.

    nn.constant takes its value inline (``dense<...>``) or from a
    ``dense_resource`` blob. The program's float type is one of ``element_types``.
    """
    element_type = draw(st.sampled_from(element_types))
    b = ProgramBuilder(draw, element_type)
    b.of_rank()
    for _ in range(draw(st.integers(0, max_ops))):
        b.emit(draw(st.sampled_from(specs)))
    returned = b.distinct(b.values[::-1], draw(st.integers(1, min(3, len(b.values)))))
    returned = [as_program_type(b, v) for v in returned]
    b.block.add_op(ReturnOp(*(v.ssa for v in returned)))
    function_type = ([a.type for a in b.block.args], [v.ssa.type for v in returned])
    func = FuncOp("f", function_type, Region(b.block))
    return Program(ModuleOp([func]), "f", tuple(b.argument_ranges))
