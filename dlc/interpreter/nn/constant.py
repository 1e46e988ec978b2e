"""Reference implementation of nn.constant: the value's elements as an array."""

from __future__ import annotations

from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)

from dlc.dialects.nn import constant as nn
from dlc.dialects.nn.base import as_any_tensor
from dlc.interpreter.elements import elements_array
from dlc.interpreter.nn.support import result


@register_impls
class ConstantFunctions(InterpreterFunctions):
    @impl(nn.ConstantOp)
    def run_constant(
        self, interpreter: Interpreter, op: nn.ConstantOp, args: PythonValues
    ) -> PythonValues:
        tensor = as_any_tensor(op.result.type, f"{op.name} result")
        return result(op, elements_array(op.value, tensor, op.name))
