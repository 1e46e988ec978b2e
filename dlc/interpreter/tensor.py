"""Reference semantics of the tensor dialect: evaluate a compute point by point.

A ``tensor.compute`` is run as its definition reads: a Python loop over the output
domain (and the reduction domain inside it), running the scalar body once per point
and the epilogue, if any, once per folded value. That is slow, so it is meant for
small tensors, and plainly right, which is what an oracle needs. Where a compute
runs (``compute_at``) and how (``schedule``) do not change its value, so both are
ignored.

The body runs in a private *body interpreter* with scalar implementations of arith
and math, so that computes evaluate whatever else the main interpreter has
registered. The values the body uses from enclosing scopes (the tensors it reads, a
captured constant) are copied into the body interpreter's scope first.

Scalars are Python floats and ints: body arithmetic runs in double precision and
rounds once, when the element is stored into the result's dtype. The folded value of
a reduction is rounded to that dtype before the epilogue sees it, as the epilogue's
argument has the element type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    FloatAttr,
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
from xdsl.ir import Attribute, SSAValue
from xdsl.utils.exceptions import InterpretationError

from dlc.dialects.tensor import Combiner, ComputeOp, ReadOp, YieldOp, is_defined_inside
from dlc.interpreter.scalar import ScalarFunctions, numpy_dtype

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
    if isinstance(attr.type, IntegerType) and attr.type.width.data == 1:
        return attr.value.data & 1  # `true` is stored as -1
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
            body.set_values(
                zip(captured, interpreter.get_values(captured), strict=True)
            )
            return (_evaluate(body, op),)
        finally:
            body.pop_scope()

    @impl(ReadOp)
    def run_read(
        self, interpreter: Interpreter, op: ReadOp, args: PythonValues
    ) -> PythonValues:
        array, *indices = args
        index = tuple(indices)
        if all(0 <= i < extent for i, extent in zip(index, array.shape, strict=True)):
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
    """The values the body and epilogue use but do not define, in first-use order."""
    captured: dict[SSAValue, None] = {}
    for inner in op.walk():
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
        if op.epilogue is not None:
            folded = result.dtype.type(accumulator).item()
            (accumulator,) = body.run_ssacfg_region(
                op.epilogue, (*point, folded), "tensor.compute"
            )
        result[point] = accumulator
    return result
