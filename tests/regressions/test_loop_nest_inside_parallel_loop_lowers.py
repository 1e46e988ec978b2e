"""loop-to-llvm lowers a loop.parallel nested in a multi-dimensional loop.parallel.

ParallelToFor turns ``loop.parallel (%i, %j)`` into two nested ``loop.for``; the
greedy walk could then lower an inner loop first, leaving its parent's body with
several blocks, and ForToLLVM failed on ``op.body.block`` (an internal compiler
error of dlc-cpu on the loop dialect's own roundtrip test). Loops now wait for the
loops around them.
"""

import ctypes

import numpy as np

import dlc
from dlc.context import make_context
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.targets.cpu import JitModule, llvm_ir_text

NEST = """func.func @fill(%out: memref<2x3x4xf32>, %x: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  loop.parallel (%i, %j) = (%c0, %c0) to (%c2, %c3) step (%c1, %c1) {
    loop.parallel (%k) = (%c0) to (%c4) step (%c1) {
      %v = memref.load %x[] : memref<f32>
      %ik = arith.muli %i, %c4 : index
      %jk = arith.addi %ik, %k : index
      %f = arith.index_cast %jk : index to i64
      %g = arith.sitofp %f : i64 to f32
      %s = arith.addf %v, %g : f32
      memref.store %s, %out[%i, %j, %k] : memref<2x3x4xf32>
    }
  }
  func.return
}
"""


def test_nested_parallel_loops_lower_and_compute_every_element():
    module = dlc.parse(NEST)
    LoopToLLVMPass().apply(make_context(), module)
    module.verify()
    jit = JitModule(llvm_ir_text(module))
    fill = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(
        jit.function_address("fill")
    )
    out = np.full((2, 3, 4), np.nan, np.float32)
    x = np.array(0.5, np.float32)
    fill(out.ctypes.data, x.ctypes.data)
    i, _, k = np.meshgrid(range(2), range(3), range(4), indexing="ij")
    np.testing.assert_array_equal(out, 0.5 + 4 * i + k)
