"""numpy reference implementations of every nn op, one module per op family."""

from xdsl.interpreter import InterpreterFunctions

from dlc.interpreter.nn.activation import ActivationFunctions
from dlc.interpreter.nn.constant import ConstantFunctions
from dlc.interpreter.nn.contraction import ContractionFunctions
from dlc.interpreter.nn.einsum import EinsumFunctions
from dlc.interpreter.nn.elementwise import ElementwiseFunctions
from dlc.interpreter.nn.indexing import IndexingFunctions
from dlc.interpreter.nn.logical import LogicalFunctions
from dlc.interpreter.nn.lrn import LrnFunctions
from dlc.interpreter.nn.normalization import NormalizationFunctions
from dlc.interpreter.nn.pooling import PoolingFunctions
from dlc.interpreter.nn.reduction import ReductionFunctions
from dlc.interpreter.nn.resize import ResizeFunctions
from dlc.interpreter.nn.shape import ShapeFunctions
from dlc.interpreter.nn.tile import TileFunctions

NN_FUNCTIONS: tuple[type[InterpreterFunctions], ...] = (
    ElementwiseFunctions,
    ReductionFunctions,
    NormalizationFunctions,
    ContractionFunctions,
    PoolingFunctions,
    ShapeFunctions,
    ConstantFunctions,
    LogicalFunctions,
    IndexingFunctions,
    ActivationFunctions,
    EinsumFunctions,
    LrnFunctions,
    TileFunctions,
    ResizeFunctions,
)
