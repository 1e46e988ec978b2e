"""arith -> llvm: one llvm instruction (or intrinsic call) per arith op.

Most ops map one to one and are table entries::

    %s = arith.addi %i, %c1 : index
    %m = arith.maximumf %x, %y : f32
    %t = arith.fptosi %x : f32 to i32

become::

    %s = llvm.add %i, %c1 : i64
    %m = llvm.call_intrinsic "llvm.maximum.f32"(%x, %y) : (f32, f32) -> f32
    %t = llvm.call_intrinsic "llvm.fptosi.sat.i32.f32"(%x) : (f32) -> i32

``index`` values become ``i64``. ``fptosi``/``fptoui`` use LLVM's saturating
conversions (xDSL's llvm dialect has no ``llvm.fptosi``). They agree with the plain
conversion wherever that one is defined (in range); where MLIR's is poison, dlc
defines ``fptosi`` as saturating, NaN giving 0, which ``nn.cast`` relies on and the
interpreter (:mod:`dlc.interpreter.scalar`) implements too. ``ceildivsi``,
``floordivsi`` and ``ceildivui`` expand into a division and a correction, as MLIR's
``arith-expand`` does.

Not converted (the legality check names them): ``arith.cmpf`` and ``arith.select``
on vectors (xDSL's ``llvm.fcmp`` and ``llvm.select`` take scalar conditions only),
``uitofp`` and the extended multiplications.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from xdsl.dialects import arith, llvm
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    VectorType,
    i1,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from dlc.lowering.llvm_patterns.conversion import (
    call_intrinsic,
    constant,
    icmp,
    integer_attr,
    llvm_operand,
    llvm_operands,
    llvm_type,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern

_NO_FAST_MATH = llvm.FastMathAttr(None)
"""The float ops' default flags, made once rather than by each constructor."""

_BINARY: dict[type[Operation], Callable[[SSAValue, SSAValue], Operation]] = {
    arith.AddiOp: llvm.AddOp,
    arith.SubiOp: llvm.SubOp,
    arith.MuliOp: llvm.MulOp,
    arith.DivSIOp: llvm.SDivOp,
    arith.DivUIOp: llvm.UDivOp,
    arith.RemSIOp: llvm.SRemOp,
    arith.RemUIOp: llvm.URemOp,
    arith.AndIOp: llvm.AndOp,
    arith.OrIOp: llvm.OrOp,
    arith.XOrIOp: llvm.XOrOp,
    arith.ShLIOp: llvm.ShlOp,
    arith.ShRSIOp: llvm.AShrOp,
    arith.ShRUIOp: llvm.LShrOp,
    arith.AddfOp: partial(llvm.FAddOp, fast_math=_NO_FAST_MATH),
    arith.SubfOp: partial(llvm.FSubOp, fast_math=_NO_FAST_MATH),
    arith.MulfOp: partial(llvm.FMulOp, fast_math=_NO_FAST_MATH),
    arith.DivfOp: partial(llvm.FDivOp, fast_math=_NO_FAST_MATH),
}

_BINARY_INTRINSICS: dict[type[Operation], str] = {
    arith.MaximumfOp: "llvm.maximum",
    arith.MinimumfOp: "llvm.minimum",
    arith.MaxnumfOp: "llvm.maxnum",
    arith.MinnumfOp: "llvm.minnum",
    arith.MaxSIOp: "llvm.smax",
    arith.MinSIOp: "llvm.smin",
    arith.MaxUIOp: "llvm.umax",
    arith.MinUIOp: "llvm.umin",
}
"""Ops whose LLVM form is an overloaded intrinsic (NaN rules match: maximumf
propagates NaN like llvm.maximum, maxnumf ignores it like llvm.maxnum)."""

_CASTS: dict[type[Operation], Callable[[SSAValue, Attribute], Operation]] = {
    arith.ExtFOp: llvm.FPExtOp,
    arith.TruncFOp: llvm.FPTruncOp,
    arith.ExtSIOp: llvm.SExtOp,
    arith.ExtUIOp: llvm.ZExtOp,
    arith.TruncIOp: llvm.TruncOp,
    arith.SIToFPOp: llvm.SIToFPOp,
    arith.BitcastOp: llvm.BitcastOp,
}

_SATURATING_CASTS: dict[type[Operation], str] = {
    arith.FPToSIOp: "llvm.fptosi.sat",
    arith.FPToUIOp: "llvm.fptoui.sat",
}


class ArithTableToLLVM(LoweringPattern):
    """Every arith op that is one llvm instruction or one intrinsic call."""

    roots = (
        *_BINARY,
        *_BINARY_INTRINSICS,
        *_CASTS,
        *_SATURATING_CASTS,
        arith.NegfOp,
    )

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        kind = type(op)
        if kind in _BINARY:
            lhs, rhs = llvm_operands(op.operands, rewriter)
            replace_op(rewriter, op, [_BINARY[kind](lhs, rhs)])
        elif kind in _BINARY_INTRINSICS:
            lhs, rhs = llvm_operands(op.operands, rewriter)
            new = call_intrinsic(_BINARY_INTRINSICS[kind], [lhs, rhs], lhs.type)
            replace_op(rewriter, op, [new])
        elif kind in _CASTS:
            source = llvm_operand(op.operands[0], rewriter)
            new = _CASTS[kind](source, llvm_type(op.results[0].type))
            replace_op(rewriter, op, [new])
        elif kind in _SATURATING_CASTS:
            source = llvm_operand(op.operands[0], rewriter)
            target = llvm_type(op.results[0].type)
            name = _SATURATING_CASTS[kind]
            replace_op(
                rewriter,
                op,
                [call_intrinsic(name, [source], target, target, source.type)],
            )
        elif isinstance(op, arith.NegfOp):
            replace_op(rewriter, op, [llvm.FNegOp(llvm_operand(op.operand, rewriter))])


class ConstantToLLVM(LoweringPattern):
    """``arith.constant`` -> ``llvm.mlir.constant``; index constants become i64.

    A vector constant keeps its dense value (``dense<0.0> : vector<8xf32>``).
    """

    roots = (arith.ConstantOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, arith.ConstantOp):
            return
        value = op.value
        target = llvm_type(op.result.type)
        if isinstance(value, IntegerAttr):
            assert isinstance(target, IntegerType)
            new_value: Attribute = integer_attr(value.value.data, target)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        elif isinstance(value, FloatAttr):
            new_value = value
        elif isinstance(value, DenseIntOrFPElementsAttr) and isinstance(
            op.result.type, VectorType
        ):
            new_value = _dense_vector(value, target)  # pyright: ignore[reportUnknownArgumentType]
        else:
            return
        replace_op(rewriter, op, [constant(new_value, target)])


def _dense_vector(
    value: DenseIntOrFPElementsAttr, target: Attribute
) -> DenseIntOrFPElementsAttr:
    if not isinstance(value.get_element_type(), IndexType):
        return value
    assert isinstance(target, VectorType)
    return DenseIntOrFPElementsAttr.from_list(target, value.get_values())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType, reportArgumentType]


class CompareToLLVM(LoweringPattern):
    """``arith.cmpi`` -> ``llvm.icmp``; scalar ``arith.cmpf`` -> ``llvm.fcmp``.

    The two always-false/always-true float predicates become constants.
    """

    roots = (arith.CmpiOp, arith.CmpfOp)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, arith.CmpiOp):
            lhs, rhs = llvm_operands([op.lhs, op.rhs], rewriter)
            name = arith.CMPI_COMPARISON_OPERATIONS[op.predicate.value.data]
            replace_op(rewriter, op, [icmp(name, lhs, rhs)])
        elif isinstance(op, arith.CmpfOp) and not isinstance(op.lhs.type, VectorType):
            name = arith.CMPF_COMPARISON_OPERATIONS[op.predicate.value.data]
            if name in ("false", "true"):
                constant = IntegerAttr(int(name == "true"), i1)
                replace_op(rewriter, op, [llvm.ConstantOp(constant, i1)])
                return
            lhs, rhs = llvm_operands([op.lhs, op.rhs], rewriter)
            replace_op(rewriter, op, [llvm.FCmpOp(lhs, rhs, name)])


class SelectToLLVM(LoweringPattern):
    """``arith.select`` with a scalar condition -> ``llvm.select``."""

    roots = (arith.SelectOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, arith.SelectOp) or op.cond.type != i1:
            return
        cond, lhs, rhs = llvm_operands([op.cond, op.lhs, op.rhs], rewriter)
        replace_op(rewriter, op, [llvm.SelectOp(cond, lhs, rhs)])


class IndexCastToLLVM(LoweringPattern):
    """``arith.index_cast``: with index = i64, a cast to or from i64 is no
    instruction at all; narrower integers are truncated or sign-extended.
    """

    roots = (arith.IndexCastOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, arith.IndexCastOp):
            return
        source = llvm_operand(op.input, rewriter)
        target = llvm_type(op.result.type)
        from_bits, to_bits = _integer_bits(source.type), _integer_bits(target)
        if from_bits == to_bits:
            replace_op(rewriter, op, [], [source])
        elif from_bits > to_bits:
            replace_op(rewriter, op, [llvm.TruncOp(source, target)])
        else:
            replace_op(rewriter, op, [llvm.SExtOp(source, target)])


def _integer_bits(type_: Attribute) -> int:
    element = type_.element_type if isinstance(type_, VectorType) else type_  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    assert isinstance(element, IntegerType)
    return element.width.data


class RoundedDivisionToLLVM(LoweringPattern):
    """``ceildivsi``, ``floordivsi``, ``ceildivui``: truncating division, then a
    correction by one when the division was inexact and rounds the other way::

        q = a / b;  inexact = a != q * b
        ceildivsi:  q + 1  if inexact and sign(a) == sign(b)
        floordivsi: q - 1  if inexact and sign(a) != sign(b)
        ceildivui:  q + 1  if inexact
    """

    roots = (arith.CeilDivSIOp, arith.FloorDivSIOp, arith.CeilDivUIOp)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(
            op, arith.CeilDivSIOp | arith.FloorDivSIOp | arith.CeilDivUIOp
        ) or isinstance(op.lhs.type, VectorType):
            return
        lhs, rhs = llvm_operands([op.lhs, op.rhs], rewriter)
        type_ = lhs.type
        assert isinstance(type_, IntegerType)
        signed = not isinstance(op, arith.CeilDivUIOp)
        quotient = llvm.SDivOp(lhs, rhs) if signed else llvm.UDivOp(lhs, rhs)
        product = llvm.MulOp(quotient.res, rhs)
        inexact = icmp("ne", lhs, product.res)
        ops: list[Operation] = [quotient, product, inexact]
        round_away = inexact
        if signed:
            zero = llvm.ConstantOp(IntegerAttr(0, type_), type_)
            lhs_negative = icmp("slt", lhs, zero.result)
            rhs_negative = icmp("slt", rhs, zero.result)
            floor = isinstance(op, arith.FloorDivSIOp)
            signs = icmp("ne" if floor else "eq", lhs_negative.res, rhs_negative.res)
            round_away = llvm.AndOp(inexact.res, signs.res)
            ops += [zero, lhs_negative, rhs_negative, signs, round_away]
        step = -1 if isinstance(op, arith.FloorDivSIOp) else 1
        one = llvm.ConstantOp(IntegerAttr(step, type_), type_)
        adjusted = llvm.AddOp(quotient.res, one.result)
        select = llvm.SelectOp(round_away.results[0], adjusted.res, quotient.res)
        replace_op(rewriter, op, [*ops, one, adjusted, select])


ARITH_PATTERNS: list[RewritePattern] = [
    ArithTableToLLVM(),
    ConstantToLLVM(),
    CompareToLLVM(),
    SelectToLLVM(),
    IndexCastToLLVM(),
    RoundedDivisionToLLVM(),
]
