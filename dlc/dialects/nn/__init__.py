"""The nn dialect: a graph of neural-network ops on value tensors (NNVM/Relay level).

The ops are grouped by family, one module each; see docs/dialects/nn.md.
"""

from xdsl.ir import Dialect

from dlc.dialects.nn.activation import ACTIVATION_OPS
from dlc.dialects.nn.constant import CONSTANT_OPS
from dlc.dialects.nn.contraction import CONTRACTION_OPS
from dlc.dialects.nn.einsum import EINSUM_OPS
from dlc.dialects.nn.elementwise import ELEMENTWISE_OPS
from dlc.dialects.nn.indexing import INDEXING_OPS
from dlc.dialects.nn.logical import LOGICAL_OPS
from dlc.dialects.nn.lrn import LRN_OPS
from dlc.dialects.nn.normalization import NORMALIZATION_OPS
from dlc.dialects.nn.pooling import POOLING_OPS
from dlc.dialects.nn.reduction import REDUCTION_OPS
from dlc.dialects.nn.resize import RESIZE_OPS
from dlc.dialects.nn.shape import SHAPE_OPS
from dlc.dialects.nn.tile import TILE_OPS

NN_OPS = [
    *ELEMENTWISE_OPS,
    *REDUCTION_OPS,
    *NORMALIZATION_OPS,
    *CONTRACTION_OPS,
    *POOLING_OPS,
    *SHAPE_OPS,
    *CONSTANT_OPS,
    *LOGICAL_OPS,
    *INDEXING_OPS,
    *ACTIVATION_OPS,
    *EINSUM_OPS,
    *LRN_OPS,
    *TILE_OPS,
    *RESIZE_OPS,
]

NN = Dialect("nn", NN_OPS, [])
