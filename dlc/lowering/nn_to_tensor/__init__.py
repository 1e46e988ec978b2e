"""nn-to-tensor: decompose every nn op into tensor-expression computes.

Each nn op becomes one or more ``tensor.compute`` ops whose bodies read the operands
at index expressions (TVM's ``te.compute``); ``nn.constant`` becomes a tensor-typed
``arith.constant``. The patterns live in one module per nn op family, mirroring
``dlc/dialects/nn/``::

    %r = nn.relu %x : tensor<4x8xf32>

becomes::

    %r = tensor.compute (%i, %j) : tensor<4x8xf32> {
      %v = tensor.read %x[%i, %j] : tensor<4x8xf32>
      %zero = arith.constant 0.0 : f32
      %m = arith.maximumf %v, %zero : f32
      tensor.yield %m : f32
    }
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriteWalker

from dlc.lowering.legality import check_fully_lowered
from dlc.lowering.nn_to_tensor.activation import ACTIVATION_PATTERNS
from dlc.lowering.nn_to_tensor.constant import CONSTANT_PATTERNS
from dlc.lowering.nn_to_tensor.contraction import CONTRACTION_PATTERNS
from dlc.lowering.nn_to_tensor.einsum import EINSUM_PATTERNS
from dlc.lowering.nn_to_tensor.elementwise import ELEMENTWISE_PATTERNS
from dlc.lowering.nn_to_tensor.gather import GATHER_PATTERNS
from dlc.lowering.nn_to_tensor.logical import LOGICAL_PATTERNS
from dlc.lowering.nn_to_tensor.lrn import LRN_PATTERNS
from dlc.lowering.nn_to_tensor.normalization import NORMALIZATION_PATTERNS
from dlc.lowering.nn_to_tensor.pooling import POOLING_PATTERNS
from dlc.lowering.nn_to_tensor.reduction import REDUCTION_PATTERNS
from dlc.lowering.nn_to_tensor.resize import RESIZE_PATTERNS
from dlc.lowering.nn_to_tensor.shape import SHAPE_PATTERNS
from dlc.lowering.nn_to_tensor.tile import TILE_PATTERNS

NN_TO_TENSOR_PATTERNS = [
    *ELEMENTWISE_PATTERNS,
    *REDUCTION_PATTERNS,
    *NORMALIZATION_PATTERNS,
    *CONTRACTION_PATTERNS,
    *POOLING_PATTERNS,
    *SHAPE_PATTERNS,
    *CONSTANT_PATTERNS,
    *LOGICAL_PATTERNS,
    *GATHER_PATTERNS,
    *ACTIVATION_PATTERNS,
    *EINSUM_PATTERNS,
    *LRN_PATTERNS,
    *TILE_PATTERNS,
    *RESIZE_PATTERNS,
]


@dataclass(frozen=True)
class NNToTensorPass(ModulePass):
    """Lower every nn op to tensor computes; any op left over is a diagnostic."""

    name = "nn-to-tensor"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier(NN_TO_TENSOR_PATTERNS)
        ).rewrite_module(op)
        check_fully_lowered(op, "nn", self.name)
