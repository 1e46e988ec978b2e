"""nn-to-tensor patterns for comparisons, logic, where and cast: one compute each.

Each op is elementwise: one compute over the result's shape reads every operand at
the output point (numpy-broadcast) and applies one or a few scalar ops::

    %m = nn.less %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>

becomes::

    %m = tensor.compute (%i, %j) : tensor<4x3xi1> {
      %c0 = arith.constant 0 : index
      %x = tensor.read %a[%i, %c0] : tensor<4x1xf32>
      %y = tensor.read %b[%j] : tensor<3xf32>
      %r = arith.cmpf olt, %x, %y : f32
      tensor.yield %r : i1
    }

Float comparisons use the ordered predicates (false when either side is NaN),
integer ones the signed predicates, booleans ``eq``. ``nn.where`` is
``arith.select``; the logic ops are ``andi``, ``ori``, ``xori`` on ``i1``.
"""

from __future__ import annotations

from xdsl.dialects import arith
from xdsl.dialects.builtin import FixedBitwidthType
from xdsl.ir import Attribute, SSAValue
from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from dlc.dialects.nn import logical as nn
from dlc.dialects.nn.base import is_bool, is_float
from dlc.lowering.nn_to_tensor.common import Scalar, elementwise_compute, tensor_type
from dlc.lowering.nn_to_tensor.elementwise import BinaryScalar, scalar_constant

PREDICATES: dict[type[nn.ComparisonOp], tuple[str, str]] = {
    nn.EqualOp: ("oeq", "eq"),
    nn.LessOp: ("olt", "slt"),
    nn.LessEqualOp: ("ole", "sle"),
    nn.GreaterOp: ("ogt", "sgt"),
    nn.GreaterEqualOp: ("oge", "sge"),
}
"""Each comparison's ``arith.cmpf`` and ``arith.cmpi`` predicates."""

LOGIC: dict[type[nn.LogicalBinaryOp], BinaryScalar] = {
    nn.AndOp: arith.AndIOp,
    nn.OrOp: arith.OrIOp,
    nn.XorOp: arith.XOrIOp,
}


def compare(op: nn.ComparisonOp) -> BinaryScalar:
    """The scalar comparison of ``op`` for its operands' element type."""
    on_floats, on_integers = PREDICATES[type(op)]
    if is_float(tensor_type(op.lhs).element_type):
        return lambda x, y: arith.CmpfOp(x, y, on_floats)
    return lambda x, y: arith.CmpiOp(x, y, on_integers)


class ComparisonToCompute(RewritePattern):
    """``nn.<comparison> %a, %b`` -> a compute of ``cmpf``/``cmpi``, broadcast."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.ComparisonOp, rewriter: PatternRewriter) -> None:
        compute = elementwise_compute(
            tensor_type(op.result), [op.lhs, op.rhs], compare(op)
        )
        rewriter.replace(op, compute)


class LogicToCompute(RewritePattern):
    """``nn.and``/``or``/``xor`` -> ``andi``/``ori``/``xori``; ``nn.not`` is a
    ``xori`` with true."""

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: nn.LogicalBinaryOp | nn.NotOp, rewriter: PatternRewriter
    ) -> None:
        result_type = tensor_type(op.results[0])
        if isinstance(op, nn.NotOp):
            compute = elementwise_compute(
                result_type,
                [op.input],
                lambda x: arith.XOrIOp(x, scalar_constant(1, x.type)),
            )
        else:
            compute = elementwise_compute(
                result_type, [op.lhs, op.rhs], LOGIC[type(op)]
            )
        rewriter.replace(op, compute)


class WhereToCompute(RewritePattern):
    """``nn.where %c, %x, %y`` -> a compute of ``arith.select``, all three broadcast."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.WhereOp, rewriter: PatternRewriter) -> None:
        compute = elementwise_compute(
            tensor_type(op.result),
            [op.condition, op.lhs, op.rhs],
            lambda c, x, y: arith.SelectOp(c, x, y),
        )
        rewriter.replace(op, compute)


def convert(x: SSAValue, target: Attribute) -> Scalar:
    """``x`` converted to ``target`` as ``nn.cast`` defines it.

    ``fptosi`` is saturating in dlc (NaN gives 0), see
    :mod:`dlc.lowering.llvm_patterns.arith`; a boolean becomes 0 or 1 by a select,
    and anything becomes a boolean by a comparison with 0 (``une``: NaN is true).
    """
    source = x.type
    if source == target:
        return x
    if is_bool(target):
        zero = scalar_constant(0, source)
        if is_float(source):
            return arith.CmpfOp(x, zero, "une")
        return arith.CmpiOp(x, zero, "ne")
    if is_bool(source):
        return arith.SelectOp(x, scalar_constant(1, target), scalar_constant(0, target))
    if is_float(source) and is_float(target):
        widen = _bits(target) > _bits(source)
        return arith.ExtFOp(x, target) if widen else arith.TruncFOp(x, target)
    if is_float(target):
        return arith.SIToFPOp(x, target)
    if is_float(source):
        return arith.FPToSIOp(x, target)
    widen = _bits(target) > _bits(source)
    return arith.ExtSIOp(x, target) if widen else arith.TruncIOp(x, target)


def _bits(element_type: Attribute) -> int:
    assert isinstance(element_type, FixedBitwidthType)
    return element_type.bitwidth


class CastToCompute(RewritePattern):
    """``nn.cast %x : A -> B`` -> a compute converting each element; a cast to the
    input's own type is the input."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: nn.CastOp, rewriter: PatternRewriter) -> None:
        result_type = tensor_type(op.result)
        if result_type == op.input.type:
            rewriter.replace(op, [], [op.input])
            return
        target = result_type.element_type
        compute = elementwise_compute(
            result_type, [op.input], lambda x: convert(x, target)
        )
        rewriter.replace(op, compute)


LOGICAL_PATTERNS: list[RewritePattern] = [
    ComparisonToCompute(),
    LogicToCompute(),
    WhereToCompute(),
    CastToCompute(),
]
