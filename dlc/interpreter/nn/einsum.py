"""Reference implementation of ``nn.einsum``: numpy's einsum of the same equation.

The verifier has already checked what numpy would also accept, and more: letters
of one size everywhere, so numpy's size-1 broadcasting of letters never happens.
"""

from __future__ import annotations

import numpy as np
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)

from dlc.dialects.nn import einsum as nn
from dlc.interpreter.nn.support import result


@register_impls
class EinsumFunctions(InterpreterFunctions):
    @impl(nn.EinsumOp)
    def run_einsum(
        self, interpreter: Interpreter, op: nn.EinsumOp, args: PythonValues
    ) -> PythonValues:
        return result(op, np.einsum(op.einsum().equation, *args))
