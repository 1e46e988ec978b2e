"""math -> llvm for f32 vectors: exp, tanh and erf as polynomials, not libm calls.

LLVM has no vector form of ``expf``, ``tanhf`` or ``erff`` without a vector math
library, so ``llvm.exp.v16f32`` becomes sixteen scalar calls, with every vector
spilled around each of them: a vectorized softmax or GELU would run slower than
the scalar loop. These patterns give the three functions straight-line vector
code instead (the approximations Eigen and XLA use for float):

* ``exp``: Cody-Waite range reduction ``x = n ln2 + r``, Cephes' degree-5
  polynomial for ``e^r``, and ``2^n`` built in the exponent bits, in two factors
  so that results down to the denormals round once. At most 1 ulp from the true
  value; ``x > 88.73`` gives ``inf``, ``-inf`` gives 0, NaN stays NaN.
* ``tanh``: ``x P(x^2) / Q(x^2)`` on ``x`` clamped to [-7.9053, 7.9053] (beyond
  it tanh is ±1 in f32); absolute and relative error below 4e-7.
* ``erf``: ``x P(x^2) / Q(x^2)`` on ``x`` clamped to [-4, 4]; absolute error
  below 4.3e-7.

The clamps use ``llvm.minimum``/``llvm.maximum``, which propagate NaN. Scalars
and other element types keep :mod:`~dlc.lowering.llvm_patterns.math`'s lowering
(an intrinsic or a libm call); the patterns here go before that set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from xdsl.dialects import llvm, math
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    VectorType,
    f32,
    i32,
)
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dlc.lowering.llvm_patterns.conversion import (
    call_intrinsic,
    llvm_operand,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern

_LOG2_E = 1.44269504088896341
_LN2_HIGH = 0.693359375
_LN2_LOW = -2.12194440e-4
_EXP_POLYNOMIAL = (
    1.9875691500e-4,
    1.3981999507e-3,
    8.3334519073e-3,
    4.1665795894e-2,
    1.6666665459e-1,
    5.0000001201e-1,
)
"""Cephes' ``expf``: ``e^r - 1 - r = r^2 P(r)`` for ``|r| <= ln2 / 2``."""

_EXP_LOWEST = -104.0
"""Below this, ``e^x`` rounds to 0 in f32; above 89, 2^n overflows to inf."""
_EXP_HIGHEST = 89.0

_TANH_CLAMP = 7.90531110763549805
_TANH_NUMERATOR = (
    -2.76076847742355e-16,
    2.00018790482477e-13,
    -8.60467152213735e-11,
    5.12229709037114e-08,
    1.48572235717979e-05,
    6.37261928875436e-04,
    4.89352455891786e-03,
)
_TANH_DENOMINATOR = (
    1.19825839466702e-06,
    1.18534705686654e-04,
    2.26843463243900e-03,
    4.89352518554385e-03,
)

_ERF_CLAMP = 4.0
_ERF_NUMERATOR = (
    -2.72614225801306e-10,
    2.77068142495902e-08,
    -2.10102402082508e-06,
    -5.69250639462346e-05,
    -7.34990630326855e-04,
    -2.95459980854025e-03,
    -1.60960333262415e-02,
)
_ERF_DENOMINATOR = (
    -1.45660718464996e-05,
    -2.13374055278905e-04,
    -1.68282697438203e-03,
    -7.37332916720468e-03,
    -1.42647390514189e-02,
)
"""The rational approximations' coefficients, highest power of ``x^2`` first."""


@dataclass
class PolynomialCode:
    """Straight-line llvm ops on one f32 type, a vector or a scalar, in order.

    The scalar form serves the GPU lowering (:mod:`dlc.lowering.llvm_patterns.
    nvvm_math`), where NVPTX has no libm to call.
    """

    type: VectorType | Float32Type
    ops: list[Operation] = field(default_factory=list[Operation])

    def add(self, op: Operation) -> SSAValue:
        self.ops.append(op)
        return op.results[0]

    def splat(self, value: float) -> SSAValue:
        """The constant ``value`` in every lane (or the scalar)."""
        if isinstance(self.type, Float32Type):
            return self.add(llvm.ConstantOp(FloatAttr(value, f32), f32))
        values = [value] * self.type.get_shape()[0]
        attr = DenseIntOrFPElementsAttr.from_list(self.type, values)  # pyright: ignore[reportArgumentType, reportCallIssue]
        return self.add(llvm.ConstantOp(attr, self.type))

    @property
    def integer_type(self) -> VectorType[IntegerType] | IntegerType:
        """The i32 type with this type's shape: the bits of its floats."""
        if isinstance(self.type, Float32Type):
            return i32
        return VectorType(i32, self.type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]

    def integers(self, value: int) -> SSAValue:
        type_ = self.integer_type
        if isinstance(type_, IntegerType):
            return self.add(llvm.ConstantOp(IntegerAttr(value, i32), i32))
        attr = DenseIntOrFPElementsAttr.from_list(type_, [value] * type_.get_shape()[0])
        return self.add(llvm.ConstantOp(attr, type_))

    def intrinsic(self, name: str, *args: SSAValue) -> SSAValue:
        return self.add(call_intrinsic(name, args, self.type))

    def clamp(self, x: SSAValue, low: float, high: float) -> SSAValue:
        """``max(min(x, high), low)``, NaN staying NaN."""
        below = self.intrinsic("llvm.minimum", x, self.splat(high))
        return self.intrinsic("llvm.maximum", below, self.splat(low))

    def fma(self, a: SSAValue, b: SSAValue, c: SSAValue) -> SSAValue:
        return self.add(llvm.FMAOp(a, b, c))

    def horner(self, x: SSAValue, coefficients: Sequence[float]) -> SSAValue:
        """``c0 x^n + c1 x^(n-1) + ... + cn``, one FMA per coefficient."""
        result = self.splat(coefficients[0])
        for coefficient in coefficients[1:]:
            result = self.fma(result, x, self.splat(coefficient))
        return result

    def rational(
        self,
        x: SSAValue,
        numerator: Sequence[float],
        denominator: Sequence[float],
    ) -> SSAValue:
        """``x P(x^2) / Q(x^2)``, an odd function such as tanh or erf."""
        square = self.add(llvm.FMulOp(x, x))
        top = self.add(llvm.FMulOp(x, self.horner(square, numerator)))
        return self.add(llvm.FDivOp(top, self.horner(square, denominator)))

    def power_of_two(self, exponent: SSAValue) -> SSAValue:
        """``2^n`` for an integer ``n`` in [-126, 127], from its bits."""
        biased = self.add(llvm.AddOp(exponent, self.integers(127)))
        bits = self.add(llvm.ShlOp(biased, self.integers(23)))
        return self.add(llvm.BitcastOp(bits, self.type))


def exp(code: PolynomialCode, x: SSAValue) -> SSAValue:
    x = code.clamp(x, _EXP_LOWEST, _EXP_HIGHEST)
    scaled = code.add(llvm.FMulOp(x, code.splat(_LOG2_E)))
    n = code.intrinsic("llvm.roundeven", scaled)
    r = code.fma(n, code.splat(-_LN2_HIGH), x)
    r = code.fma(n, code.splat(-_LN2_LOW), r)
    square = code.add(llvm.FMulOp(r, r))
    p = code.fma(code.horner(r, _EXP_POLYNOMIAL), square, r)
    p = code.add(llvm.FAddOp(p, code.splat(1.0)))
    integer_type = code.integer_type
    exponent = code.add(
        call_intrinsic("llvm.fptosi.sat", [n], integer_type, integer_type, code.type)
    )
    half = code.add(llvm.AShrOp(exponent, code.integers(1)))
    rest = code.add(llvm.SubOp(exponent, half))
    p = code.add(llvm.FMulOp(p, code.power_of_two(half)))
    return code.add(llvm.FMulOp(p, code.power_of_two(rest)))


def tanh(code: PolynomialCode, x: SSAValue) -> SSAValue:
    x = code.clamp(x, -_TANH_CLAMP, _TANH_CLAMP)
    return code.rational(x, _TANH_NUMERATOR, _TANH_DENOMINATOR)


def erf(code: PolynomialCode, x: SSAValue) -> SSAValue:
    x = code.clamp(x, -_ERF_CLAMP, _ERF_CLAMP)
    return code.rational(x, _ERF_NUMERATOR, _ERF_DENOMINATOR)


POLYNOMIALS: dict[type[Operation], Callable[[PolynomialCode, SSAValue], SSAValue]] = {
    math.ExpOp: exp,
    math.TanhOp: tanh,
    math.ErfOp: erf,
}
"""The f32 functions with a polynomial form, by the math op they implement."""


class VectorMathToLLVM(LoweringPattern):
    """``math.exp``/``tanh``/``erf`` on f32 vectors -> vector polynomials::

        %y = math.tanh %x : vector<16xf32>

    becomes a clamp (``llvm.minimum``, ``llvm.maximum``), two Horner chains of
    ``llvm.intr.fma`` in ``x^2`` and one ``llvm.fdiv``.
    """

    roots = tuple(POLYNOMIALS)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        function = POLYNOMIALS.get(type(op))
        if function is None:
            return
        vector_type = op.results[0].type
        if not isinstance(vector_type, VectorType) or not isinstance(
            vector_type.element_type, Float32Type
        ):
            return
        code = PolynomialCode(vector_type)  # pyright: ignore[reportUnknownArgumentType]
        function(code, llvm_operand(op.operands[0], rewriter))
        replace_op(rewriter, op, code.ops)


VECTOR_MATH_PATTERNS: list[RewritePattern] = [VectorMathToLLVM()]
