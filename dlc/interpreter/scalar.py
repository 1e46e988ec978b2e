"""Scalar arith and math for dlc's interpreters, completed and made IEEE-safe.

xDSL's interpreters lack ops that compute bodies and loop nests need (divf, negf,
tanh, erf, casts, ...) and use Python's math module, which raises on exp overflow or
log(0) where IEEE gives inf. These implementations follow IEEE by computing in numpy:
scalars in float64, vectors (1-D numpy arrays, from the loop dialect) in their dtype.
"""

from __future__ import annotations

import math as pymath
from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.dialects import arith, math
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    Signedness,
    TensorType,
    VectorType,
)
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.interpreters.arith import ArithFunctions
from xdsl.interpreters.math import MathFunctions
from xdsl.ir import Attribute, Operation
from xdsl.utils.comparisons import to_signed, to_unsigned

from dlc.diagnostics import DiagnosticError

ScalarImpl = Callable[
    [InterpreterFunctions, Interpreter, Any, PythonValues], PythonValues
]


def numpy_dtype(element_type: Attribute) -> np.dtype[Any]:
    """The numpy dtype of a tensor of ``element_type``; signless ints are signed."""
    if isinstance(element_type, Float16Type):
        return np.dtype(np.float16)
    if isinstance(element_type, Float32Type):
        return np.dtype(np.float32)
    if isinstance(element_type, Float64Type):
        return np.dtype(np.float64)
    if isinstance(element_type, IndexType):
        return np.dtype(np.int64)
    if (
        isinstance(element_type, IntegerType)
        and element_type.signedness.data == Signedness.SIGNLESS
    ):
        width = element_type.width.data
        if width == 1:
            return np.dtype(np.bool_)
        if width in (8, 16, 32, 64):
            return np.dtype(f"int{width}")
    raise DiagnosticError(
        f"element type {element_type} has no numpy dtype (dlc runs f16, f32, f64, "
        "index, i1, i8, i16, i32 and i64 tensors)"
    )


def _bitwidth(interpreter: Interpreter, type_: Attribute) -> int:
    if isinstance(type_, IntegerType):
        return type_.width.data
    return interpreter.index_bitwidth


def _float(fn: Callable[..., Any]) -> ScalarImpl:
    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: Any,
        args: PythonValues,
    ) -> PythonValues:
        with np.errstate(all="ignore"):
            value = fn(*(np.float64(arg) if np.ndim(arg) == 0 else arg for arg in args))
        return (float(value) if np.ndim(value) == 0 else value,)

    return run


def _integer(fn: Callable[[int, int], int], unsigned: bool = False) -> ScalarImpl:
    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: Any,
        args: PythonValues,
    ) -> PythonValues:
        width = _bitwidth(interpreter, op.result.type)
        convert = to_unsigned if unsigned else to_signed
        lhs, rhs = (convert(arg, width) for arg in args)
        return (to_signed(fn(lhs, rhs), width),)

    return run


def _cast(fn: Callable[[Any, Operation, Interpreter], Any]) -> ScalarImpl:
    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: Any,
        args: PythonValues,
    ) -> PythonValues:
        return (fn(args[0], op, interpreter),)

    return run


def _result_dtype(op: Operation) -> np.dtype[Any]:
    """The numpy dtype of ``op``'s result, a scalar or a vector's elements."""
    result_type = op.results[0].type
    if isinstance(result_type, VectorType):
        result_type = result_type.element_type
    return numpy_dtype(result_type)


def _round_to(value: Any, op: Operation, interpreter: Interpreter) -> Any:
    """``truncf``/``extf``: a scalar as a Python float rounded to the result type,
    a vector as an array of the result's dtype (``vector<4xf16>`` holds float16)."""
    dtype = _result_dtype(op)
    if np.ndim(value) == 0:
        return float(dtype.type(value))
    return np.asarray(value).astype(dtype)


def _erf(value: Any) -> Any:
    """erf of a scalar or, element by element, of a vector (numpy has no erf)."""
    if np.ndim(value) == 0:
        return pymath.erf(value)
    return np.array([pymath.erf(x) for x in value], dtype=value.dtype)


def _ieee_extremum(maximum: bool) -> ScalarImpl:
    """``arith.maximumf``/``minimumf`` on scalars and vectors: NaN if either
    operand is NaN, and -0.0 orders below +0.0 (xDSL's version takes scalars only)."""

    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: Any,
        args: PythonValues,
    ) -> PythonValues:
        lhs, rhs = (np.asarray(arg) for arg in args)
        with np.errstate(all="ignore"):
            value = np.maximum(lhs, rhs) if maximum else np.minimum(lhs, rhs)
            signs = np.signbit(lhs), np.signbit(rhs)
            negative = (signs[0] & signs[1]) if maximum else (signs[0] | signs[1])
            zeros = (lhs == 0) & (rhs == 0)
            value = np.where(zeros, np.where(negative, -0.0, 0.0), value)
        if np.ndim(value) == 0:
            return (float(value),)
        return (value.astype(lhs.dtype),)

    return run


def _to_float(value: int, op: Operation, interpreter: Interpreter) -> float:
    """Rounded once, from the integer to the result type, as ``sitofp`` rounds."""
    return float(np.int64(value).astype(numpy_dtype(op.results[0].type)))


def _saturate(value: float, op: Operation, interpreter: Interpreter) -> int:
    """``fptosi`` as dlc lowers it (``llvm.fptosi.sat``): truncate toward zero,
    saturate outside the result's range, NaN to 0. MLIR leaves those last two
    undefined; dlc defines them, so that ``nn.cast`` never is."""
    width = _bitwidth(interpreter, op.results[0].type)
    limit = 2 ** (width - 1)
    if pymath.isnan(value):
        return 0
    if value >= limit:
        return limit - 1
    if value < -limit:
        return -limit
    return int(value)


def _zero_extend(value: int, op: Operation, interpreter: Interpreter) -> int:
    return to_unsigned(int(value), _bitwidth(interpreter, op.operands[0].type))


def _wrap(value: int, op: Operation, interpreter: Interpreter) -> int:
    return to_signed(int(value), _bitwidth(interpreter, op.results[0].type))


def _ceil_div(lhs: int, rhs: int) -> int:
    return -(-lhs // rhs)


@register_impls
class ScalarFunctions(ArithFunctions, MathFunctions):
    """xDSL's arith and math implementations, completed and made IEEE-safe."""

    @impl(arith.ConstantOp)
    def run_constant(
        self, interpreter: Interpreter, op: arith.ConstantOp, args: PythonValues
    ) -> PythonValues:
        """Scalars as xDSL does; tensor-typed constants (from nn-to-tensor) too."""
        result_type = op.result.type
        if isinstance(result_type, TensorType):
            from dlc.interpreter.elements import elements_array  # imports this module

            return (elements_array(op.value, result_type, op.name),)
        value = op.value
        assert isinstance(value, IntegerAttr | FloatAttr)
        if isinstance(result_type, IndexType):
            return (to_signed(value.value.data, interpreter.index_bitwidth),)
        return (value.value.data,)

    run_divf = impl(arith.DivfOp)(_float(np.divide))
    run_negf = impl(arith.NegfOp)(_float(np.negative))
    run_maxnumf = impl(arith.MaxnumfOp)(_float(np.fmax))
    run_minnumf = impl(arith.MinnumfOp)(_float(np.fmin))
    run_maximumf = impl(arith.MaximumfOp)(_ieee_extremum(maximum=True))
    run_minimumf = impl(arith.MinimumfOp)(_ieee_extremum(maximum=False))
    run_exp = impl(math.ExpOp)(_float(np.exp))
    run_exp2 = impl(math.Exp2Op)(_float(np.exp2))
    run_expm1 = impl(math.ExpM1Op)(_float(np.expm1))
    run_log = impl(math.LogOp)(_float(np.log))
    run_log2 = impl(math.Log2Op)(_float(np.log2))
    run_log1p = impl(math.Log1pOp)(_float(np.log1p))
    run_sqrt = impl(math.SqrtOp)(_float(np.sqrt))
    run_rsqrt = impl(math.RsqrtOp)(_float(lambda x: 1.0 / np.sqrt(x)))
    run_tanh = impl(math.TanhOp)(_float(np.tanh))
    run_erf = impl(math.ErfOp)(_float(_erf))
    run_absf = impl(math.AbsFOp)(_float(np.abs))
    run_floor = impl(math.FloorOp)(_float(np.floor))
    run_ceil = impl(math.CeilOp)(_float(np.ceil))
    run_sin = impl(math.SinOp)(_float(np.sin))
    run_cos = impl(math.CosOp)(_float(np.cos))
    run_powf = impl(math.PowFOp)(_float(np.power))
    run_fma = impl(math.FmaOp)(_float(lambda a, b, c: a * b + c))
    run_copysign = impl(math.CopySignOp)(_float(np.copysign))

    run_divui = impl(arith.DivUIOp)(_integer(lambda a, b: a // b, unsigned=True))
    run_remui = impl(arith.RemUIOp)(_integer(lambda a, b: a % b, unsigned=True))
    run_ceildivsi = impl(arith.CeilDivSIOp)(_integer(_ceil_div))
    run_maxsi = impl(arith.MaxSIOp)(_integer(max))
    run_minsi = impl(arith.MinSIOp)(_integer(min))

    run_sitofp = impl(arith.SIToFPOp)(_cast(_to_float))
    run_fptosi = impl(arith.FPToSIOp)(_cast(_saturate))
    run_extf = impl(arith.ExtFOp)(_cast(_round_to))
    run_truncf = impl(arith.TruncFOp)(_cast(_round_to))
    run_extsi = impl(arith.ExtSIOp)(_cast(lambda value, op, interp: int(value)))
    run_extui = impl(arith.ExtUIOp)(_cast(_zero_extend))
    run_trunci = impl(arith.TruncIOp)(_cast(_wrap))
