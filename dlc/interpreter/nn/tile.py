"""Reference implementation of ``nn.tile``: numpy's tile."""

from __future__ import annotations

import numpy as np
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)

from dlc.dialects.nn import tile as nn
from dlc.dialects.nn.base import ints_property
from dlc.interpreter.nn.support import result


@register_impls
class TileFunctions(InterpreterFunctions):
    @impl(nn.TileOp)
    def run_tile(
        self, interpreter: Interpreter, op: nn.TileOp, args: PythonValues
    ) -> PythonValues:
        (x,) = args
        return result(op, np.tile(x, ints_property(op.properties, "repeats")))
