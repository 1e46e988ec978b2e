"""The reference interpreter: run a function op by op with numpy.

It is the oracle every compiled result is checked against, so each op's
implementation is the plainest numpy that states its meaning. It is built on xDSL's
``Interpreter``, which already runs ``func``, ``arith``, ``memref`` and ``scf``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.dialects.func import FuncOp
from xdsl.interpreter import Interpreter
from xdsl.interpreters.func import FuncFunctions
from xdsl.interpreters.memref import MemRefFunctions
from xdsl.utils.exceptions import InterpretationError

from dlc.diagnostics import DiagnosticError
from dlc.interpreter.gpu import GpuFunctions
from dlc.interpreter.loop import LoopFunctions
from dlc.interpreter.nn import NN_FUNCTIONS
from dlc.interpreter.scalar import ScalarFunctions, numpy_dtype
from dlc.interpreter.tensor import TensorFunctions
from dlc.interpreter.views import ViewFunctions


def make_interpreter(module: ModuleOp) -> Interpreter:
    """An xDSL interpreter with every dlc reference implementation registered."""
    interpreter = Interpreter(module)
    interpreter.register_implementations(FuncFunctions())
    interpreter.register_implementations(ScalarFunctions())
    interpreter.register_implementations(MemRefFunctions())
    interpreter.register_implementations(LoopFunctions())
    interpreter.register_implementations(TensorFunctions())
    interpreter.register_implementations(ViewFunctions())
    interpreter.register_implementations(GpuFunctions())
    for functions in NN_FUNCTIONS:
        interpreter.register_implementations(functions())
    return interpreter


def interpret(module: ModuleOp, function: str, *inputs: Any) -> Any:
    """Run ``function`` of ``module`` on numpy ``inputs``.

    Returns the single result as an array, or a tuple when the function returns
    several. Inputs are checked against the signature and converted to its dtypes.
    A program with no meaning on these inputs (a read out of bounds, an integer
    division by zero) raises ``InterpretationError``.
    """
    func_op = _find_function(module, function)
    arg_types = func_op.function_type.inputs.data
    if len(inputs) != len(arg_types):
        raise DiagnosticError(
            f"@{function} takes {len(arg_types)} arguments, got {len(inputs)}"
        )
    arrays: list[np.ndarray[Any, Any]] = []
    for index, (value, arg_type) in enumerate(zip(inputs, arg_types, strict=True)):
        array = np.asarray(value)
        if isinstance(arg_type, TensorType):
            expected = tuple(arg_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
            if array.shape != expected:
                raise DiagnosticError(
                    f"@{function} argument {index} should have shape {expected} "
                    f"({arg_type}), got {array.shape}"
                )
            array = array.astype(numpy_dtype(arg_type.element_type), copy=False)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        arrays.append(array)
    try:
        results = make_interpreter(module).call_op(func_op, tuple(arrays))
    except ZeroDivisionError as error:
        # An integer division by zero means nothing, like a read out of bounds.
        raise InterpretationError(f"@{function}: {error}") from None
    return results[0] if len(results) == 1 else tuple(results)


def _find_function(module: ModuleOp, name: str) -> FuncOp:
    for op in module.walk():
        if isinstance(op, FuncOp) and op.sym_name.data == name:
            return op
    raise DiagnosticError(f"no function named @{name} in the module")
