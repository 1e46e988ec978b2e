"""tensor-to-loop: bufferize tensor functions into rolled loop nests over memrefs.

Every function on tensors becomes a function on buffers in destination-passing
style (:mod:`.function`), every ``tensor.compute`` a loop nest that stores into its
buffer (:mod:`.compute`, :mod:`.read`), every tensor constant a global
(:mod:`.constants`)::

    func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
      %y = tensor.compute (%i) : tensor<4xf32> {
        %v = tensor.read %x[%i] : tensor<4xf32>
        %zero = arith.constant 0.0 : f32
        %r = arith.maximumf %v, %zero : f32
        tensor.yield %r : f32
      }
      func.return %y : tensor<4xf32>
    }

becomes::

    func.func @relu(%x: memref<4xf32>, %out0: memref<4xf32>) {
      %c0 = arith.constant 0 : index
      %c4 = arith.constant 4 : index
      %c1 = arith.constant 1 : index
      %cst = arith.constant 0.000000e+00 : f32
      loop.for %i = %c0 to %c4 step %c1 {
        %v = memref.load %x[%i] : memref<4xf32>
        %r = arith.maximumf %v, %cst : f32
        memref.store %r, %out0[%i] : memref<4xf32>
      }
      func.return
    }

Scalar constants, those of the bodies included, move to the top of the function,
one per value. Loops stay rolled, so a compute costs a number of ops independent
of its shape. Whatever cannot be lowered is reported at its op, before anything
is rewritten.
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from dlc.lowering.legality import check_fully_lowered
from dlc.lowering.tensor_to_loop.constants import ConstantGlobals
from dlc.lowering.tensor_to_loop.function import bufferize_function


@dataclass(frozen=True)
class TensorToLoopPass(ModulePass):
    """Lower tensor computes to loop nests over buffers, function by function."""

    name = "tensor-to-loop"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        globals_ = ConstantGlobals(op)
        for function in [f for f in op.walk() if isinstance(f, func.FuncOp)]:
            bufferize_function(function, globals_)
        check_fully_lowered(op, "tensor", self.name)
