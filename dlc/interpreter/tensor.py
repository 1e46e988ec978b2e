"""Reference semantics of the tensor dialect: evaluate a compute point by point.

A ``tensor.compute`` is run as its definition reads: a Python loop over the output
domain (and the reduction domain inside it), running the scalar body once per point.
That is slow, so it is meant for small tensors, and plainly right, which is what an
oracle needs.

The body runs in a private *body interpreter* with scalar implementations of arith
and math, so that computes evaluate whatever else the main interpreter has
registered. The values the body uses from enclosing scopes (the tensors it reads, a
captured constant) are copied into the body interpreter's scope first.

Scalars are Python floats and ints: body arithmetic runs in double precision and
rounds once, when the element is stored into the result's dtype.
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
)
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    ReturnedValues,
    TerminatorValue,
    impl,
    impl_terminator,
    register_impls,
)
from xdsl.interpreters.arith import ArithFunctions
from xdsl.interpreters.math import MathFunctions
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.utils.comparisons import to_signed, to_unsigned
from xdsl.utils.exceptions import InterpretationError

from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp, YieldOp, is_defined_inside

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
    assert isinstance(element_type, IntegerType)
    width = element_type.width.data
    return np.dtype(np.bool_) if width == 1 else np.dtype(f"int{width}")


def _bitwidth(interpreter: Interpreter, type_: Attribute) -> int:
    if isinstance(type_, IntegerType):
        return type_.width.data
    return interpreter.index_bitwidth


# --- Scalar arith and math -----------------------------------------------------------
# xDSL's interpreters lack ops that bodies need (divf, negf, tanh, casts, ...) and use
# Python's math module, which raises on exp overflow or log(0) where IEEE gives inf.
# These implementations follow IEEE by computing in numpy float64.


def _float(fn: Callable[..., Any]) -> ScalarImpl:
    def run(
        functions: InterpreterFunctions,
        interpreter: Interpreter,
        op: Any,
        args: PythonValues,
    ) -> PythonValues:
        with np.errstate(all="ignore"):
            return (float(fn(*(np.float64(arg) for arg in args))),)

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


def _round_to(value: float, op: Operation, interpreter: Interpreter) -> float:
    return float(numpy_dtype(op.results[0].type).type(value))


def _zero_extend(value: int, op: Operation, interpreter: Interpreter) -> int:
    return to_unsigned(int(value), _bitwidth(interpreter, op.operands[0].type))


def _wrap(value: int, op: Operation, interpreter: Interpreter) -> int:
    return to_signed(int(value), _bitwidth(interpreter, op.results[0].type))


def _ceil_div(lhs: int, rhs: int) -> int:
    return -(-lhs // rhs)


@register_impls
class ScalarFunctions(ArithFunctions, MathFunctions):
    """xDSL's arith and math implementations, completed and made IEEE-safe."""

    run_divf = impl(arith.DivfOp)(_float(np.divide))
    run_negf = impl(arith.NegfOp)(_float(np.negative))
    run_maxnumf = impl(arith.MaxnumfOp)(_float(np.fmax))
    run_minnumf = impl(arith.MinnumfOp)(_float(np.fmin))
    run_exp = impl(math.ExpOp)(_float(np.exp))
    run_exp2 = impl(math.Exp2Op)(_float(np.exp2))
    run_expm1 = impl(math.ExpM1Op)(_float(np.expm1))
    run_log = impl(math.LogOp)(_float(np.log))
    run_log2 = impl(math.Log2Op)(_float(np.log2))
    run_log1p = impl(math.Log1pOp)(_float(np.log1p))
    run_sqrt = impl(math.SqrtOp)(_float(np.sqrt))
    run_rsqrt = impl(math.RsqrtOp)(_float(lambda x: 1.0 / np.sqrt(x)))
    run_tanh = impl(math.TanhOp)(_float(np.tanh))
    run_erf = impl(math.ErfOp)(_float(pymath.erf))
    run_absf = impl(math.AbsFOp)(_float(np.abs))
    run_floor = impl(math.FloorOp)(_float(np.floor))
    run_ceil = impl(math.CeilOp)(_float(np.ceil))
    run_sin = impl(math.SinOp)(_float(np.sin))
    run_cos = impl(math.CosOp)(_float(np.cos))
    run_powf = impl(math.PowFOp)(_float(np.power))
    run_fma = impl(math.FmaOp)(_float(lambda a, b, c: a * b + c))

    run_divui = impl(arith.DivUIOp)(_integer(lambda a, b: a // b, unsigned=True))
    run_remui = impl(arith.RemUIOp)(_integer(lambda a, b: a % b, unsigned=True))
    run_ceildivsi = impl(arith.CeilDivSIOp)(_integer(_ceil_div))
    run_maxsi = impl(arith.MaxSIOp)(_integer(max))
    run_minsi = impl(arith.MinSIOp)(_integer(min))

    run_sitofp = impl(arith.SIToFPOp)(_cast(lambda value, op, interp: float(value)))
    run_fptosi = impl(arith.FPToSIOp)(_cast(lambda value, op, interp: int(value)))
    run_extf = impl(arith.ExtFOp)(_cast(lambda value, op, interp: value))
    run_truncf = impl(arith.TruncFOp)(_cast(_round_to))
    run_extsi = impl(arith.ExtSIOp)(_cast(lambda value, op, interp: int(value)))
    run_extui = impl(arith.ExtUIOp)(_cast(_zero_extend))
    run_trunci = impl(arith.TruncIOp)(_cast(_wrap))


# --- The tensor ops ------------------------------------------------------------------


def _maximum(lhs: Any, rhs: Any) -> Any:
    return lhs if lhs != lhs or lhs >= rhs else rhs


def _minimum(lhs: Any, rhs: Any) -> Any:
    return lhs if lhs != lhs or lhs <= rhs else rhs


_COMBINE: dict[Combiner, Callable[[Any, Any], Any]] = {
    Combiner.ADD: lambda lhs, rhs: lhs + rhs,
    Combiner.MUL: lambda lhs, rhs: lhs * rhs,
    Combiner.MAX: _maximum,
    Combiner.MIN: _minimum,
}
"""Each combiner on Python scalars; max and min propagate NaN like arith.maximumf."""


def _python_scalar(attr: Attribute) -> Any:
    assert isinstance(attr, IntegerAttr | FloatAttr)
    return attr.value.data


@register_impls
class TensorFunctions(InterpreterFunctions):
    """``tensor.compute`` for the main interpreter; read and yield for bodies."""

    @impl(ComputeOp)
    def run_compute(
        self, interpreter: Interpreter, op: ComputeOp, args: PythonValues
    ) -> PythonValues:
        body = _body_interpreter(interpreter)
        captured = _captured_values(op)
        body.push_scope("tensor.compute")
        try:
            body.set_values(zip(captured, interpreter.get_values(captured)))
            return (_evaluate(body, op),)
        finally:
            body.pop_scope()

    @impl(ReadOp)
    def run_read(
        self, interpreter: Interpreter, op: ReadOp, args: PythonValues
    ) -> PythonValues:
        array, *indices = args
        index = tuple(indices)
        if all(0 <= i < extent for i, extent in zip(index, array.shape)):
            return (array[index].item(),)
        if op.pad is None:
            raise InterpretationError(
                f"tensor.read: index {list(index)} is out of bounds for "
                f"{op.tensor.type} and the read has no pad value"
            )
        return (_python_scalar(op.pad),)

    @impl_terminator(YieldOp)
    def run_yield(
        self, interpreter: Interpreter, op: YieldOp, args: PythonValues
    ) -> tuple[TerminatorValue, PythonValues]:
        return ReturnedValues(args), ()


def _body_interpreter(interpreter: Interpreter) -> Interpreter:
    """The interpreter bodies run in, made once per main interpreter."""

    def make() -> Interpreter:
        body = Interpreter(
            interpreter.module, index_bitwidth=interpreter.index_bitwidth
        )
        body.register_implementations(ScalarFunctions())
        body.register_implementations(TensorFunctions())
        return body

    return interpreter.get_data(TensorFunctions, "body_interpreter", make)


def _captured_values(op: ComputeOp) -> list[SSAValue]:
    """The values the body uses but does not define, in first-use order."""
    captured: dict[SSAValue, None] = {}
    for inner in op.body.walk():
        for operand in inner.operands:
            if not is_defined_inside(operand, op):
                captured[operand] = None
    return list(captured)


def _evaluate(body: Interpreter, op: ComputeOp) -> np.ndarray[Any, Any]:
    result = np.empty(op.output_shape, dtype=numpy_dtype(op.element_type))
    region = op.body
    if not op.has_reduction:
        for point in np.ndindex(*op.output_shape):
            (result[point],) = body.run_ssacfg_region(region, point, "tensor.compute")
        return result
    assert op.combiner is not None and op.init is not None
    combine = _COMBINE[Combiner(op.combiner.data)]
    init = _python_scalar(op.init)
    for point in np.ndindex(*op.output_shape):
        accumulator = init
        for reduction_point in np.ndindex(*op.reduction_extents):
            (value,) = body.run_ssacfg_region(
                region, point + reduction_point, "tensor.compute"
            )
            accumulator = combine(accumulator, value)
        result[point] = accumulator
    return result
