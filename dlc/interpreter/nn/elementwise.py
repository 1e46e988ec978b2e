"""Reference implementations of the elementwise nn ops."""

import numpy as np
from xdsl.interpreter import InterpreterFunctions, impl, register_impls

from dlc.dialects.nn import elementwise as nn
from dlc.interpreter.nn.support import elementwise


@register_impls
class ElementwiseFunctions(InterpreterFunctions):
    run_relu = impl(nn.ReluOp)(elementwise(lambda x: np.maximum(x, 0)))
    run_add = impl(nn.AddOp)(elementwise(np.add))
