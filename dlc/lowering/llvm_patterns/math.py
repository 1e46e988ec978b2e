"""math -> llvm: an LLVM intrinsic where one exists, else a libm call.

LLVM's math intrinsics work on scalars and vectors of f16/f32/f64, and the code
generator turns them into instructions (sqrt, floor, fabs, ...) or libm calls
(``expf``, ``tanhf``, ...)::

    %e = math.exp %x : vector<8xf32>
    %e = llvm.call_intrinsic "llvm.exp.v8f32"(%x) : (vector<8xf32>) -> vector<8xf32>

Functions without an intrinsic (erf, expm1, log1p, cbrt, the inverse hyperbolics)
call libm: ``erff`` for f32, ``erf`` for f64, and ``erff`` on the value widened to
f32 for f16. On a vector, each lane gets its own call. ``math.rsqrt`` is
``1 / sqrt(x)``.
"""

from __future__ import annotations

from xdsl.dialects import llvm, math
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseIntOrFPElementsAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    VectorType,
    f32,
    i1,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dlc.lowering.llvm_patterns.conversion import (
    call_intrinsic,
    declare_function,
    llvm_operands,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern
from dlc.lowering.llvm_patterns.vectors import map_lanes

_INTRINSICS: dict[type[Operation], str] = {
    math.AbsFOp: "llvm.fabs",
    math.CeilOp: "llvm.ceil",
    math.FloorOp: "llvm.floor",
    math.RoundOp: "llvm.round",
    math.RoundEvenOp: "llvm.roundeven",
    math.TruncOp: "llvm.trunc",
    math.SqrtOp: "llvm.sqrt",
    math.ExpOp: "llvm.exp",
    math.Exp2Op: "llvm.exp2",
    math.LogOp: "llvm.log",
    math.Log2Op: "llvm.log2",
    math.Log10Op: "llvm.log10",
    math.SinOp: "llvm.sin",
    math.CosOp: "llvm.cos",
    math.TanOp: "llvm.tan",
    math.AsinOp: "llvm.asin",
    math.AcosOp: "llvm.acos",
    math.AtanOp: "llvm.atan",
    math.SinhOp: "llvm.sinh",
    math.CoshOp: "llvm.cosh",
    math.TanhOp: "llvm.tanh",
    math.PowFOp: "llvm.pow",
    math.Atan2Op: "llvm.atan2",
    math.CopySignOp: "llvm.copysign",
}
"""Float ops with an LLVM intrinsic of the same meaning (one, two operands)."""

_LIBM: dict[type[Operation], str] = {
    math.ErfOp: "erf",
    math.ExpM1Op: "expm1",
    math.Log1pOp: "log1p",
    math.CbrtOp: "cbrt",
    math.AsinhOp: "asinh",
    math.AcoshOp: "acosh",
    math.AtanhOp: "atanh",
}
"""Unary float ops with no intrinsic: the libm function for f64 (``erf``); the f32
one has an ``f`` suffix (``erff``)."""


class MathIntrinsicToLLVM(LoweringPattern):
    """A math op with an LLVM intrinsic (or ``llvm.intr.fma``) -> that intrinsic."""

    roots = (math.FmaOp, math.AbsIOp, *_INTRINSICS)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, math.FmaOp):
            a, b, c = llvm_operands(op.operands, rewriter)
            replace_op(rewriter, op, [llvm.FMAOp(a, b, c)])
        elif isinstance(op, math.AbsIOp):
            (value,) = llvm_operands(op.operands, rewriter)
            poison_on_min = llvm.ConstantOp(IntegerAttr(0, i1), i1)
            call = call_intrinsic("llvm.abs", [value, poison_on_min.result], value.type)
            replace_op(rewriter, op, [poison_on_min, call])
        elif type(op) in _INTRINSICS:
            args = llvm_operands(op.operands, rewriter)
            name = _INTRINSICS[type(op)]
            replace_op(rewriter, op, [call_intrinsic(name, args, args[0].type)])


class RsqrtToLLVM(LoweringPattern):
    """``math.rsqrt %x`` -> ``1.0 / sqrt(x)``."""

    roots = (math.RsqrtOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, math.RsqrtOp):
            return
        (value,) = llvm_operands(op.operands, rewriter)
        one = llvm.ConstantOp(_ones(value.type), value.type)
        root = call_intrinsic("llvm.sqrt", [value], value.type)
        replace_op(rewriter, op, [one, root, llvm.FDivOp(one.result, root.results[0])])


def _ones(type_: Attribute) -> Attribute:
    if isinstance(type_, VectorType):
        width = type_.get_shape()[0]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return DenseIntOrFPElementsAttr.from_list(type_, [1.0] * width)  # pyright: ignore[reportUnknownArgumentType, reportArgumentType]
    assert isinstance(type_, AnyFloat)
    return FloatAttr(1.0, type_)


class LibmCallToLLVM(LoweringPattern):
    """A math op without an intrinsic -> a call of its libm function::

        %y = math.erf %x : f32
        %y = llvm.call @erff(%x) : (f32) -> f32

    (the first line becomes the second).
    """

    roots = tuple(_LIBM)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        base = _LIBM.get(type(op))
        if base is None:
            return
        (value,) = llvm_operands(op.operands, rewriter)
        element = (
            value.type.element_type  # pyright: ignore[reportUnknownMemberType]
            if isinstance(value.type, VectorType)
            else value.type
        )
        if isinstance(element, Float64Type):
            name, call_type = base, element
        elif isinstance(element, Float32Type | Float16Type):
            name, call_type = base + "f", f32
        else:
            return
        function_type = llvm.LLVMFunctionType([call_type], call_type)
        declare_function(op, name, function_type, rewriter)

        def scalar_call(x: SSAValue) -> list[Operation]:
            return _libm_call(name, x, call_type)

        if isinstance(value.type, VectorType):
            replace_op(rewriter, op, map_lanes(value, scalar_call))
        else:
            replace_op(rewriter, op, scalar_call(value))


def _libm_call(name: str, value: SSAValue, call_type: Attribute) -> list[Operation]:
    """Call ``@name`` on ``value``, widening to ``call_type`` and narrowing back."""
    if value.type == call_type:
        return [llvm.CallOp(name, value, return_type=call_type)]
    wide = llvm.FPExtOp(value, call_type)
    call = llvm.CallOp(name, wide.result, return_type=call_type)
    assert call.returned is not None
    ops: list[Operation] = [wide, call, llvm.FPTruncOp(call.returned, value.type)]
    return ops


MATH_PATTERNS: list[RewritePattern] = [
    MathIntrinsicToLLVM(),
    RsqrtToLLVM(),
    LibmCallToLLVM(),
]
