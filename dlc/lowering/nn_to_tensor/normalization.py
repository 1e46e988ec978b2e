"""nn-to-tensor patterns for the nn normalization ops, in numerically careful forms.

Each op is a few computes: reductions over the normalized dims, kept as size-1 dims
(``keepdims``) so that the computes after them read the statistics back by plain
broadcasting, then one elementwise compute that normalizes. The forms avoid overflow
and cancellation the way the references in ``dlc/interpreter/nn/normalization.py``
do:

* softmax = max-reduce, exp(x - max), sum-reduce, divide (exp never overflows);
* log_softmax = x - max - log(sum exp(x - max)) (no log of an underflowed 0);
* layer_norm takes the mean first, then the variance as the mean of (x - mean)^2:
  two passes, never E[x^2] - E[x]^2, which cancels catastrophically;
* means are sums of term * (1 / n), so an f16 accumulator holds no more than the
  largest term;
* rms_norm and batch_norm scale by rsqrt(mean square + epsilon) and
  rsqrt(variance + epsilon), computed once per normalized group or channel.

``nn.softmax %x {axis = 1} : tensor<2x5xf32>`` becomes::

    %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000
             : tensor<2x1xf32> {
      %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
      tensor.yield %v : f32
    }
    %exp = tensor.compute (%i, %j) : tensor<2x5xf32> {
      %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
      %c0 = arith.constant 0 : index
      %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
      %d = arith.subf %v, %m : f32
      %e = math.exp %d : f32
      tensor.yield %e : f32
    }
    %sum = tensor.compute (%i, %u) reduce add (%j) in [5] init 0.0 : tensor<2x1xf32> {
      %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
      tensor.yield %e : f32
    }
    %p = tensor.compute (%i, %j) : tensor<2x5xf32> {
      ... arith.divf of %exp[%i, %j] by %sum[%i, %c0]
    }
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import nan, prod

from xdsl.dialects import arith, math
from xdsl.dialects.builtin import Float16Type, Float32Type, TensorType
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import normalization as nn
from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp
from dlc.lowering.nn_to_tensor.common import (
    Scalar,
    elementwise_compute,
    float_constant,
    reduced_indices,
    reduction_compute,
    shape_of,
    tensor_type,
)


def _named(compute: ComputeOp, name: str) -> ComputeOp:
    """Give an intermediate a readable name in the printed IR."""
    compute.result.name_hint = name
    return compute


class _Statistics:
    """Reductions of one input over fixed axes, with the reduced dims kept as 1s."""

    def __init__(self, x: SSAValue, axes: Sequence[int]):
        self.axes = tuple(axes)
        self.shape = shape_of(x)
        self.count = prod(self.shape[axis] for axis in self.axes)
        kept = [1 if d in self.axes else size for d, size in enumerate(self.shape)]
        self.type = TensorType(tensor_type(x).element_type, kept)

    def reduce(
        self,
        term: Callable[[Sequence[SSAValue]], Scalar],
        combiner: Combiner,
        name: str,
    ) -> ComputeOp:
        """Fold ``term(point)`` over the axes, for each point of the other dims."""
        compute = reduction_compute(
            self.type, self.shape, self.axes, term, combiner=combiner, keepdims=True
        )
        return _named(compute, name)

    def read(self, statistic: SSAValue, point: Sequence[SSAValue]) -> ReadOp:
        """A statistic's value for the input element at ``point``."""
        return ReadOp(statistic, reduced_indices(point, self.axes, keepdims=True))

    def mean(
        self, term: Callable[[Sequence[SSAValue]], Scalar], name: str
    ) -> ComputeOp:
        """The mean of ``term(point)`` over the axes: a sum of term * (1 / count).

        Weighting each term keeps the accumulator within the terms' magnitude, where
        a sum divided afterwards could overflow f16.
        """

        # With no elements (a dim of size 0) there is no mean, and no output either.
        weight = 1 / self.count if self.count else nan

        def weighted(point: Sequence[SSAValue]) -> Scalar:
            value = SSAValue.get(term(point))
            return arith.MulfOp(value, float_constant(weight, value.type))

        return self.reduce(weighted, Combiner.ADD, name)

    def inverse_root(self, mean_square: SSAValue, epsilon: float) -> ComputeOp:
        """1 / sqrt(mean_square + epsilon), once per normalized group."""
        compute = elementwise_compute(self.type, [mean_square], _inverse_root(epsilon))
        return _named(compute, "inv_std")


def _inverse_root(epsilon: float) -> Callable[[SSAValue], Scalar]:
    """The scalar function 1 / sqrt(v + epsilon), in v's type."""
    return lambda v: math.RsqrtOp(arith.AddfOp(v, float_constant(epsilon, v.type)))


def _square(value: Scalar) -> Operation:
    return arith.MulfOp(value, value)


class SoftmaxToCompute(RewritePattern):
    """``nn.softmax`` -> max, exp(x - max), sum, divide (four computes)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.SoftmaxOp, rewriter: PatternRewriter) -> None:
        x = op.input
        stats = _Statistics(x, [op.normalized_axis()])
        maximum = stats.reduce(lambda p: ReadOp(x, p), Combiner.MAX, "max")
        exp = _named(
            elementwise_compute(
                tensor_type(x),
                [x, maximum.result],
                lambda v, m: math.ExpOp(arith.SubfOp(v, m)),
            ),
            "exp",
        )
        total = stats.reduce(lambda p: ReadOp(exp, p), Combiner.ADD, "sum")
        result = elementwise_compute(
            tensor_type(op.result), [exp.result, total.result], arith.DivfOp
        )
        rewriter.replace(op, [maximum, exp, total, result])


class LogSoftmaxToCompute(RewritePattern):
    """``nn.log_softmax`` -> max, sum of exp(x - max), x - max - log(sum)."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.LogSoftmaxOp, rewriter: PatternRewriter) -> None:
        x = op.input
        stats = _Statistics(x, [op.normalized_axis()])
        maximum = stats.reduce(lambda p: ReadOp(x, p), Combiner.MAX, "max")

        def shifted_exp(point: Sequence[SSAValue]) -> Scalar:
            shifted = arith.SubfOp(ReadOp(x, point), stats.read(maximum.result, point))
            return math.ExpOp(shifted)

        total = stats.reduce(shifted_exp, Combiner.ADD, "sum")
        result = elementwise_compute(
            tensor_type(op.result),
            [x, maximum.result, total.result],
            lambda v, m, s: arith.SubfOp(arith.SubfOp(v, m), math.LogOp(s)),
        )
        rewriter.replace(op, [maximum, total, result])


class LayerNormToCompute(RewritePattern):
    """``nn.layer_norm`` -> mean, variance of x - mean, then normalize and scale.

    Four computes: the mean, the variance as the mean of (x - mean)^2, then
    inv_std = 1 / sqrt(variance + epsilon) and (x - mean) * inv_std * scale + bias,
    where scale and bias (shaped like the trailing dims) broadcast against x.
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.LayerNormOp, rewriter: PatternRewriter) -> None:
        x = op.input
        rank = len(shape_of(x))
        stats = _Statistics(x, range(op.normalized_axis(), rank))
        mean = stats.mean(lambda p: ReadOp(x, p), "mean")

        def squared_deviation(point: Sequence[SSAValue]) -> Scalar:
            return _square(
                arith.SubfOp(ReadOp(x, point), stats.read(mean.result, point))
            )

        variance = stats.mean(squared_deviation, "variance")
        inv_std = stats.inverse_root(variance.result, op.epsilon_value())

        def normalize(
            v: SSAValue, m: SSAValue, r: SSAValue, g: SSAValue, b: SSAValue
        ) -> Scalar:
            normalized = arith.MulfOp(arith.SubfOp(v, m), r)
            return arith.AddfOp(arith.MulfOp(normalized, g), b)

        result = elementwise_compute(
            tensor_type(op.result),
            [x, mean.result, inv_std.result, op.scale, op.bias],
            normalize,
        )
        rewriter.replace(op, [mean, variance, inv_std, result])


class RmsNormToCompute(RewritePattern):
    """``nn.rms_norm`` -> mean of x^2, 1 / sqrt(it + epsilon), x * inv_std * scale."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.RmsNormOp, rewriter: PatternRewriter) -> None:
        x = op.input
        rank = len(shape_of(x))
        stats = _Statistics(x, range(op.normalized_axis(), rank))
        mean_square = stats.mean(lambda p: _square(ReadOp(x, p)), "mean_square")
        inv_std = stats.inverse_root(mean_square.result, op.epsilon_value())
        result = elementwise_compute(
            tensor_type(op.result),
            [x, inv_std.result, op.scale],
            lambda v, r, g: arith.MulfOp(arith.MulfOp(v, r), g),
        )
        rewriter.replace(op, [mean_square, inv_std, result])


class BatchNormToCompute(RewritePattern):
    """``nn.batch_norm`` -> 1 / sqrt(variance + epsilon) per channel, then normalize.

    The parameters have shape [C] and apply along dim 1, so the normalizing compute
    reads them at the channel index of each point::

        %inv_std = tensor.compute (%c) : tensor<3xf32> { rsqrt(%var[%c] + eps) }
        %y = tensor.compute (%n, %c, %h, %w) : tensor<1x3x4x4xf32> {
          (%x[%n, %c, %h, %w] - %mean[%c]) * %inv_std[%c] * %scale[%c] + %bias[%c]
        }
    """

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.BatchNormOp, rewriter: PatternRewriter) -> None:
        inverse_root = _inverse_root(op.epsilon_value())
        inv_std = _named(
            elementwise_compute(tensor_type(op.variance), [op.variance], inverse_root),
            "inv_std",
        )

        def normalize(*point: SSAValue) -> Scalar:
            channel = [point[1]]
            x = ReadOp(op.input, point)
            centered = arith.SubfOp(x, ReadOp(op.mean, channel))
            normalized = arith.MulfOp(centered, ReadOp(inv_std, channel))
            scaled = arith.MulfOp(normalized, ReadOp(op.scale, channel))
            return arith.AddfOp(scaled, ReadOp(op.bias, channel))

        result = ComputeOp.from_callable(tensor_type(op.result), normalize)
        rewriter.replace(op, [inv_std, result])


class NormalizeHalfPrecisionInF32(RewritePattern):
    """An f16 normalization computes in f32, as PyTorch and onnxruntime do.

    f16 keeps about three decimal digits: a variance of nearly equal values, or
    x - mean, loses most of them, and the normalized result can be off by percents.
    The op is rewritten as f32 copies of its operands, the same op on them, and a
    truncation of its result::

        %y = nn.layer_norm %x, %g, %b : (f16 tensors) -> tensor<4x8xf16>

    becomes computes ``%x32 = extf(%x)`` (likewise for %g, %b), then
    ``%y32 = nn.layer_norm %x32, %g32, %b32`` (lowered by the patterns above), then
    ``%y = truncf(%y32)``.
    """

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if not isinstance(op, _NORMALIZATION_OPS):
            return
        if not isinstance(tensor_type(op.results[0]).element_type, Float16Type):
            return
        f32 = Float32Type()
        widened = [
            _named(
                elementwise_compute(
                    TensorType(f32, shape_of(operand)),
                    [operand],
                    lambda v: arith.ExtFOp(v, f32),
                ),
                f"{operand.name_hint or 'operand'}_f32",
            )
            for operand in op.operands
        ]
        wide = type(op).from_operands(
            [w.result for w in widened], **dict(op.properties)
        )
        wide.results[0].name_hint = f"{op.results[0].name_hint or 'result'}_f32"
        narrowed = elementwise_compute(
            tensor_type(op.results[0]),
            [wide.result],
            lambda v: arith.TruncFOp(v, Float16Type()),
        )
        rewriter.replace(op, [*widened, wide, narrowed])


_NORMALIZATION_OPS = (
    nn.SoftmaxOp,
    nn.LogSoftmaxOp,
    nn.LayerNormOp,
    nn.RmsNormOp,
    nn.BatchNormOp,
)

NORMALIZATION_PATTERNS: list[RewritePattern] = [
    NormalizeHalfPrecisionInF32(),
    SoftmaxToCompute(),
    LogSoftmaxToCompute(),
    LayerNormToCompute(),
    RmsNormToCompute(),
    BatchNormToCompute(),
]
