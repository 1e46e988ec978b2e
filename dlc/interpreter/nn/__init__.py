"""numpy reference implementations of every nn op, one module per op family."""

from xdsl.interpreter import InterpreterFunctions

from dlc.interpreter.nn.constant import ConstantFunctions
from dlc.interpreter.nn.contraction import ContractionFunctions
from dlc.interpreter.nn.elementwise import ElementwiseFunctions
from dlc.interpreter.nn.normalization import NormalizationFunctions
from dlc.interpreter.nn.pooling import PoolingFunctions
from dlc.interpreter.nn.reduction import ReductionFunctions
from dlc.interpreter.nn.shape import ShapeFunctions

NN_FUNCTIONS: tuple[type[InterpreterFunctions], ...] = (
    ElementwiseFunctions,
    ReductionFunctions,
    NormalizationFunctions,
    ContractionFunctions,
    PoolingFunctions,
    ShapeFunctions,
    ConstantFunctions,
)
