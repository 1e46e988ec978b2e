"""The nn dialect: a graph of neural-network ops on value tensors (NNVM/Relay level).

The ops are grouped by family, one module each; see docs/dialects/nn.md.
"""

from xdsl.ir import Dialect

from dlc.dialects.nn.constant import CONSTANT_OPS
from dlc.dialects.nn.contraction import CONTRACTION_OPS
from dlc.dialects.nn.elementwise import ELEMENTWISE_OPS
from dlc.dialects.nn.normalization import NORMALIZATION_OPS
from dlc.dialects.nn.pooling import POOLING_OPS
from dlc.dialects.nn.reduction import REDUCTION_OPS
from dlc.dialects.nn.shape import SHAPE_OPS

NN_OPS = [
    *ELEMENTWISE_OPS,
    *REDUCTION_OPS,
    *NORMALIZATION_OPS,
    *CONTRACTION_OPS,
    *POOLING_OPS,
    *SHAPE_OPS,
    *CONSTANT_OPS,
]

NN = Dialect("nn", NN_OPS, [])
