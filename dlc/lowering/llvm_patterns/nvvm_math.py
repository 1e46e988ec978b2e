"""math -> llvm for NVPTX: no libm, so transcendental functions are polynomials.

The NVPTX back end turns a few LLVM intrinsics into instructions (``llvm.sqrt``
into ``sqrt.rn``, ``llvm.fabs``, ``llvm.floor``, ``llvm.ceil``, ``llvm.trunc``,
``llvm.round``, ``llvm.roundeven``, ``llvm.copysign``, ``llvm.fma``,
``llvm.minimum``/``maximum``); those keep :mod:`~dlc.lowering.llvm_patterns.math`'s
lowering. Every other math function would become a call of ``expf``, ``sinf``,
... which does not exist on the GPU (libdevice is not linked), so ``ptxas``
rejects it. Here they are straight-line f32 code instead, built with the scalar
form of the CPU's vector polynomials
(:class:`~dlc.lowering.llvm_patterns.vector_math.PolynomialCode`):

* ``exp``, ``tanh``, ``erf``: the CPU's polynomials (at most 1 ulp, 4e-7, 4.3e-7);
* ``log``: Cephes' ``logf`` (mantissa in [sqrt(1/2), sqrt(2)), degree-9
  polynomial), within 2 ulp; denormals, 0, negative numbers, inf and NaN as libm;
  ``log2``/``log10`` scale it;
* ``sin``/``cos``/``tan``: Cephes' ``sinf``/``cosf`` (Cody-Waite reduction by
  pi/4 in three parts with FMAs, degree-3 polynomials), within 2e-7 absolute
  for ``|x| <= 2^23``; NaN beyond (no Payne-Hanek reduction);
* ``exp2``: ``2^n e^(f ln 2)``, ``n = roundeven(x)``; ``expm1``/``log1p``:
  Kahan's corrections of ``exp``/``log``; ``sinh``/``cosh`` from ``expm1``/``exp``;
* ``powf``: ``exp(y log|x|)`` with C's special cases (``x^0 = 1``, ``1^y = 1``,
  a negative base to an odd integer power is negative, to a non-integer NaN); its
  relative error grows with ``|y log x|`` (about ``|y log x| * 6e-8``).

f16 values are widened to f32 and the result narrowed back. f64 has only the
intrinsic functions above; any other f64 function is a diagnostic, as are
``asin``, ``acos``, ``atan``, ``atan2``, ``cbrt``, ``asinh``, ``acosh`` and
``atanh`` of any type.
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.dialects import llvm, math
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    IntegerAttr,
    f32,
    i1,
    i32,
)
from xdsl.ir import Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.lowering.llvm_patterns.conversion import (
    call_intrinsic,
    llvm_operands,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern
from dlc.lowering.llvm_patterns.vector_math import POLYNOMIALS, PolynomialCode

_LOG_POLYNOMIAL = (
    7.0376836292e-2,
    -1.1514610310e-1,
    1.1676998740e-1,
    -1.2420140846e-1,
    1.4249322787e-1,
    -1.6668057665e-1,
    2.0000714765e-1,
    -2.4999993993e-1,
    3.3333331174e-1,
)
"""Cephes' ``logf``: ``log(1 + m) = m - m^2/2 + m^3 P(m)`` for
``sqrt(1/2) <= 1 + m < sqrt(2)``, highest power first."""
_LN2_HIGH = 0.693359375
_LN2_LOW = -2.12194440e-4
_SQRT_HALF = 0.707106781186547524
_SMALLEST_NORMAL = 1.17549435e-38
_TWO_POW_23 = 8388608.0
_LOG2_E = 1.44269504088896341
_LOG10_E = 0.434294481903251828
_LN2 = 0.693147180559945309

_FOUR_OVER_PI = 1.27323954473516
_PI_OVER_4 = (0.78515625, 2.4187564849853515625e-4, 3.77489497744594108e-8)
"""pi/4 in three parts whose products with a small integer are exact."""
_SIN_COS_LIMIT = 8388608.0
"""2^23: up to here the reduction keeps sin and cos within 2e-7; beyond it they
are NaN rather than a wrong number."""
_SIN_POLYNOMIAL = (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1)
"""``sin(z) = z + z^3 P(z^2)`` for ``|z| <= pi/4``."""
_COS_POLYNOMIAL = (2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2)
"""``cos(z) = 1 - z^2/2 + z^4 P(z^2)`` for ``|z| <= pi/4``."""

_INF = float("inf")
_NAN = float("nan")


class _Code(PolynomialCode):
    """Scalar f32 code with the comparisons and selects the special cases need."""

    def __init__(self) -> None:
        super().__init__(f32)

    def value(self, b: SSAValue | float) -> SSAValue:
        """``b`` itself, or the constant ``b``."""
        return b if isinstance(b, SSAValue) else self.splat(b)

    def compare(self, predicate: str, a: SSAValue, b: SSAValue | float) -> SSAValue:
        return self.add(llvm.FCmpOp(a, self.value(b), predicate))

    def select(self, condition: SSAValue, a: SSAValue, b: SSAValue | float) -> SSAValue:
        """``condition ? a : b``."""
        return self.add(llvm.SelectOp(condition, a, self.value(b)))

    def where(self, condition: SSAValue, value: float, other: SSAValue) -> SSAValue:
        """``condition ? value : other``."""
        return self.add(llvm.SelectOp(condition, self.splat(value), other))

    def mul(self, a: SSAValue, b: SSAValue | float) -> SSAValue:
        return self.add(llvm.FMulOp(a, self.value(b)))

    def plus(self, a: SSAValue, b: SSAValue | float) -> SSAValue:
        return self.add(llvm.FAddOp(a, self.value(b)))

    def minus(self, a: SSAValue, b: SSAValue | float) -> SSAValue:
        return self.add(llvm.FSubOp(a, self.value(b)))

    def div(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.add(llvm.FDivOp(a, b))

    def negate(self, a: SSAValue) -> SSAValue:
        return self.add(llvm.FNegOp(a))

    def bits(self, a: SSAValue) -> SSAValue:
        return self.add(llvm.BitcastOp(a, i32))

    def is_set(self, integer: SSAValue, mask: int) -> SSAValue:
        """``integer & mask != 0``."""
        masked = self.add(llvm.AndOp(integer, self.integers(mask)))
        flag = llvm.ICmpPredicateFlag("ne").to_int()
        return self.add(
            llvm.ICmpOp(masked, self.integers(0), IntegerAttr(flag, 64))  # pyright: ignore[reportArgumentType]
        )


def _log(code: _Code, x: SSAValue) -> SSAValue:
    tiny = code.compare("olt", x, _SMALLEST_NORMAL)
    scaled = code.select(tiny, code.mul(x, _TWO_POW_23), x)
    bits = code.bits(scaled)
    biased = code.add(llvm.LShrOp(bits, code.integers(23)))
    exponent = code.add(llvm.SubOp(biased, code.integers(126)))
    zero = code.integers(0)
    shift = code.add(llvm.SelectOp(tiny, code.integers(23), zero))
    exponent = code.add(llvm.SubOp(exponent, shift))
    mantissa_bits = code.add(llvm.AndOp(bits, code.integers(0x807FFFFF)))
    mantissa_bits = code.add(llvm.OrOp(mantissa_bits, code.integers(0x3F000000)))
    mantissa = code.add(llvm.BitcastOp(mantissa_bits, f32))
    small = code.compare("olt", mantissa, _SQRT_HALF)
    borrow = code.add(llvm.SelectOp(small, code.integers(1), zero))
    exponent = code.add(llvm.SubOp(exponent, borrow))
    mantissa = code.select(small, code.plus(mantissa, mantissa), mantissa)
    m = code.minus(mantissa, 1.0)
    e = code.add(llvm.SIToFPOp(exponent, f32))
    square = code.mul(m, m)
    y = code.mul(code.mul(code.horner(m, _LOG_POLYNOMIAL), m), square)
    y = code.fma(e, code.splat(_LN2_LOW), y)
    y = code.fma(square, code.splat(-0.5), y)
    result = code.fma(e, code.splat(_LN2_HIGH), code.plus(m, y))
    result = code.where(code.compare("oeq", x, 0.0), -_INF, result)
    result = code.where(code.compare("olt", x, 0.0), _NAN, result)
    result = code.where(code.compare("oeq", x, _INF), _INF, result)
    return code.select(code.compare("uno", x, x), x, result)


def _exp(code: _Code, x: SSAValue) -> SSAValue:
    return POLYNOMIALS[math.ExpOp](code, x)


def _sin_or_cos(code: _Code, x: SSAValue, quarter_turns: int) -> SSAValue:
    """``sin(|x| + quarter_turns * pi/2)``, from the quadrant of ``|x|``."""
    magnitude = code.intrinsic("llvm.fabs", x)
    scaled = code.mul(magnitude, _FOUR_OVER_PI)
    octant = code.add(call_intrinsic("llvm.fptosi.sat", [scaled], i32, i32, f32))
    octant = code.add(llvm.AddOp(octant, code.integers(1)))
    octant = code.add(llvm.AndOp(octant, code.integers(-2)))
    y = code.add(llvm.SIToFPOp(octant, f32))
    z = magnitude
    for part in _PI_OVER_4:
        z = code.fma(y, code.splat(-part), z)
    quadrant = code.add(llvm.LShrOp(octant, code.integers(1)))
    quadrant = code.add(llvm.AddOp(quadrant, code.integers(quarter_turns)))
    square = code.mul(z, z)
    sine = code.fma(code.mul(code.horner(square, _SIN_POLYNOMIAL), square), z, z)
    cosine = code.mul(code.mul(code.horner(square, _COS_POLYNOMIAL), square), square)
    cosine = code.plus(cosine, code.fma(square, code.splat(-0.5), code.splat(1.0)))
    result = code.select(code.is_set(quadrant, 1), cosine, sine)
    result = code.select(code.is_set(quadrant, 2), code.negate(result), result)
    return code.where(code.compare("ogt", magnitude, _SIN_COS_LIMIT), _NAN, result)


def _sin(code: _Code, x: SSAValue) -> SSAValue:
    """``sin(|x|)`` times the sign of ``x``: sin is odd."""
    sign = code.add(call_intrinsic("llvm.copysign", [code.splat(1.0), x], f32))
    return code.mul(_sin_or_cos(code, x, 0), sign)


def _cos(code: _Code, x: SSAValue) -> SSAValue:
    return _sin_or_cos(code, x, 1)


def _tan(code: _Code, x: SSAValue) -> SSAValue:
    return code.div(_sin(code, x), _cos(code, x))


def _exp2(code: _Code, x: SSAValue) -> SSAValue:
    x = code.clamp(x, -151.0, 129.0)
    n = code.intrinsic("llvm.roundeven", x)
    fraction = code.mul(code.minus(x, n), _LN2)
    p = _exp(code, fraction)
    exponent = code.add(call_intrinsic("llvm.fptosi.sat", [n], i32, i32, f32))
    half = code.add(llvm.AShrOp(exponent, code.integers(1)))
    rest = code.add(llvm.SubOp(exponent, half))
    p = code.mul(p, code.power_of_two(half))
    return code.mul(p, code.power_of_two(rest))


def _log2(code: _Code, x: SSAValue) -> SSAValue:
    return code.mul(_log(code, x), _LOG2_E)


def _log10(code: _Code, x: SSAValue) -> SSAValue:
    return code.mul(_log(code, x), _LOG10_E)


def _log1p(code: _Code, x: SSAValue) -> SSAValue:
    """``log(u) * x / (u - 1)`` with ``u = 1 + x`` cancels the rounding of ``u``."""
    u = code.plus(x, 1.0)
    d = code.minus(u, 1.0)
    corrected = code.mul(_log(code, u), code.div(x, d))
    result = code.select(code.compare("oeq", d, 0.0), x, corrected)
    return code.select(code.compare("oeq", u, _INF), u, result)


def _expm1(code: _Code, x: SSAValue) -> SSAValue:
    """``(u - 1) * x / log(u)`` with ``u = e^x`` cancels the rounding of ``u``."""
    u = _exp(code, x)
    d = code.minus(u, 1.0)
    corrected = code.div(code.mul(d, x), _log(code, u))
    result = code.select(code.compare("oeq", u, 1.0), x, corrected)
    result = code.select(code.compare("oeq", d, -1.0), d, result)
    return code.select(code.compare("oeq", u, _INF), u, result)


def _sinh(code: _Code, x: SSAValue) -> SSAValue:
    """``(m + m / (m + 1)) / 2`` with ``m = e^|x| - 1``, accurate near 0 too, and
    the sign of ``x``."""
    m = _expm1(code, code.intrinsic("llvm.fabs", x))
    half = code.mul(code.plus(m, code.div(m, code.plus(m, 1.0))), 0.5)
    magnitude = code.select(code.compare("oeq", m, _INF), m, half)
    return code.add(call_intrinsic("llvm.copysign", [magnitude, x], f32))


def _cosh(code: _Code, x: SSAValue) -> SSAValue:
    e = _exp(code, code.intrinsic("llvm.fabs", x))
    return code.mul(code.plus(e, code.div(code.splat(1.0), e)), 0.5)


def _pow(code: _Code, x: SSAValue, y: SSAValue) -> SSAValue:
    magnitude = _exp(code, code.mul(_log(code, code.intrinsic("llvm.fabs", x)), y))
    integral = code.compare("oeq", code.intrinsic("llvm.floor", y), y)
    half = code.mul(y, 0.5)
    odd = code.add(
        llvm.AndOp(
            integral, code.compare("one", code.intrinsic("llvm.floor", half), half)
        )
    )
    negative = code.compare("olt", x, 0.0)
    signed = code.select(odd, code.negate(magnitude), magnitude)
    not_integral = code.add(
        llvm.XOrOp(integral, code.add(llvm.ConstantOp(IntegerAttr(1, i1), i1)))
    )
    result = code.select(
        negative, code.select(not_integral, code.splat(_NAN), signed), magnitude
    )
    result = code.where(code.compare("oeq", x, 1.0), 1.0, result)
    return code.where(code.compare("oeq", y, 0.0), 1.0, result)


_UNARY: dict[type[Operation], Callable[[_Code, SSAValue], SSAValue]] = {
    math.ExpOp: _exp,
    math.TanhOp: lambda code, x: POLYNOMIALS[math.TanhOp](code, x),
    math.ErfOp: lambda code, x: POLYNOMIALS[math.ErfOp](code, x),
    math.LogOp: _log,
    math.Log2Op: _log2,
    math.Log10Op: _log10,
    math.Log1pOp: _log1p,
    math.Exp2Op: _exp2,
    math.ExpM1Op: _expm1,
    math.SinOp: _sin,
    math.CosOp: _cos,
    math.TanOp: _tan,
    math.SinhOp: _sinh,
    math.CoshOp: _cosh,
}
"""The f32 functions built here, by the math op they implement."""

_UNSUPPORTED: tuple[type[Operation], ...] = (
    math.AsinOp,
    math.AcosOp,
    math.AtanOp,
    math.Atan2Op,
    math.CbrtOp,
    math.AsinhOp,
    math.AcoshOp,
    math.AtanhOp,
)
"""Functions NVPTX would need libdevice for and dlc has no polynomial of yet."""


class PolynomialMathToNVVM(LoweringPattern):
    """A scalar f32 (or f16) math function -> straight-line polynomial code::

        %y = math.log %x : f32

    becomes a bitcast of ``%x`` to its exponent and mantissa, a Horner chain of
    ``llvm.intr.fma`` and selects for 0, negative numbers, inf and NaN.
    """

    roots = (*_UNARY, math.PowFOp, *_UNSUPPORTED)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not (type(op) in _UNARY or isinstance(op, (math.PowFOp, *_UNSUPPORTED))):
            return
        operand_type = op.operands[0].type
        if isinstance(op, _UNSUPPORTED):
            raise DiagnosticError(
                f"{op.name}: no NVPTX lowering; the GPU target has no libm and "
                "dlc has no polynomial for this function",
                SourceLocation.of(op.location),
            )
        if not isinstance(operand_type, Float32Type | Float16Type):
            raise DiagnosticError(
                f"{op.name}: no NVPTX lowering for {operand_type}; the GPU target "
                "has no libm and dlc implements this function for f32 and f16 only",
                SourceLocation.of(op.location),
            )
        code = _Code()
        args = [
            code.add(llvm.FPExtOp(a, f32)) if a.type != f32 else a
            for a in llvm_operands(op.operands, rewriter)
        ]
        if isinstance(op, math.PowFOp):
            result = _pow(code, args[0], args[1])
        else:
            result = _UNARY[type(op)](code, args[0])
        if operand_type != f32:
            code.add(llvm.FPTruncOp(result, operand_type))
        replace_op(rewriter, op, code.ops)


NVVM_MATH_PATTERNS: list[RewritePattern] = [PolynomialMathToNVVM()]
