"""numpy reference implementations of every nn op, one module per op family."""

from xdsl.interpreter import InterpreterFunctions

from dlc.interpreter.nn.elementwise import ElementwiseFunctions

NN_FUNCTIONS: tuple[type[InterpreterFunctions], ...] = (ElementwiseFunctions,)
