// RUN: dlc-opt %s --split-input-file -p tensor-to-loop | filecheck %s

// tensor-to-loop on fused computes: epilogues and compute_at (the contract of
// docs/dialects/tensor.md).

// An epilogue runs right after the reduction nest, on the folded value, before the
// store.
func.func @epilogue(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
  %y = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %v = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %acc: f32):
    %bias = tensor.read %b[%ej] : tensor<5xf32>
    %s = arith.addf %acc, %bias : f32
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %zero : f32
    tensor.yield %r : f32
  }
  func.return %y : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @epilogue
// CHECK:         loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      loop.for %j = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %add = loop.for %k = %c0 to %c6 step %c1 iter_args(%acc = %cst) -> (f32) {
// CHECK:               loop.yield %next : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        %bias = memref.load %b[%j] : memref<5xf32>
// CHECK-NEXT:        %s = arith.addf %add, %bias : f32
// CHECK-NEXT:        %r = arith.maximumf %s, %cst : f32
// CHECK-NEXT:        memref.store %r, %out0[%i, %j] : memref<4x5xf32>

// -----

// With a tiled reduction the sum is complete only after the last tile: a last nest
// applies the epilogue in place.
func.func @tiled_epilogue(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %y = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 schedule<tile = [0, 0, 4]> : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %v = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %acc: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %acc, %zero : f32
    tensor.yield %r : f32
  }
  func.return %y : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @tiled_epilogue
// CHECK:           memref.store %cst, %out0[%i, %j] : memref<4x5xf32>
// CHECK:         loop.for %k_tile = %c0 to %c6 step %c4 {
// CHECK:               %partial = memref.load %out0[%i_1, %j_1] : memref<4x5xf32>
// CHECK:               memref.store %add, %out0[%i_1, %j_1] : memref<4x5xf32>
// CHECK:         loop.for %i_2 = %c0 to %c4 step %c1 {
// CHECK-NEXT:      loop.for %j_2 = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %add_1 = memref.load %out0[%i_2, %j_2] : memref<4x5xf32>
// CHECK-NEXT:        %r = arith.maximumf %add_1, %cst : f32
// CHECK-NEXT:        memref.store %r, %out0[%i_2, %j_2] : memref<4x5xf32>

// -----

// A softmax whose statistics are computed at 1: one loop over rows holds the max,
// exp, sum and divide loops. The host's rows run in parallel, so each computed-at
// compute keeps its full buffer: rows do not share one.
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 compute_at 1 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %exp = tensor.compute (%i, %j) compute_at 1 : tensor<2x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
    %d = arith.subf %v, %m : f32
    %e = math.exp %d : f32
    tensor.yield %e : f32
  }
  %sum = tensor.compute (%i, %u) reduce add (%j) in [5] init 0.0 compute_at 1 : tensor<2x1xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    tensor.yield %e : f32
  }
  %p = tensor.compute (%i, %j) schedule<parallel = [0]> : tensor<2x5xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %s = tensor.read %sum[%i, %c0] : tensor<2x1xf32>
    %q = arith.divf %e, %s : f32
    tensor.yield %q : f32
  }
  func.return %p : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @softmax
// CHECK:         %max = memref.alloc() : memref<2x1xf32>
// CHECK-NEXT:    %exp = memref.alloc() : memref<2x5xf32>
// CHECK-NEXT:    %sum = memref.alloc() : memref<2x1xf32>
// CHECK-NEXT:    loop.parallel (%i) = (%c0) to (%c2) step (%c1) {
// CHECK-NEXT:      loop.for %u = %c0 to %c1 step %c1 {
// CHECK-NEXT:        %max_1 = loop.for %j = %c0 to %c5 step %c1 iter_args(%acc = %cst) -> (f32) {
// CHECK:             memref.store %max_1, %max[%i, %u] : memref<2x1xf32>
// CHECK:           loop.for %j_1 = %c0 to %c5 step %c1 {
// CHECK:             memref.store %e, %exp[%i, %j_1] : memref<2x5xf32>
// CHECK:           loop.for %u_1 = %c0 to %c1 step %c1 {
// CHECK:             memref.store %add, %sum[%i, %u_1] : memref<2x1xf32>
// CHECK:           loop.for %j_3 = %c0 to %c5 step %c1 {
// CHECK:             memref.store %q, %out0[%i, %j_3] : memref<2x5xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.dealloc %max : memref<2x1xf32>
// CHECK-NEXT:    memref.dealloc %exp : memref<2x5xf32>
// CHECK-NEXT:    memref.dealloc %sum : memref<2x1xf32>

// -----

// The same softmax with serial rows: each computed-at compute's buffer holds one
// row, rewritten at every iteration of the host's loop.
func.func @softmax_rows(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 compute_at 1 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %exp = tensor.compute (%i, %j) compute_at 1 : tensor<2x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
    %d = arith.subf %v, %m : f32
    %e = math.exp %d : f32
    tensor.yield %e : f32
  }
  %sum = tensor.compute (%i, %u) reduce add (%j) in [5] init 0.0 compute_at 1 : tensor<2x1xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    tensor.yield %e : f32
  }
  %p = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %s = tensor.read %sum[%i, %c0] : tensor<2x1xf32>
    %q = arith.divf %e, %s : f32
    tensor.yield %q : f32
  }
  func.return %p : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @softmax_rows
// CHECK:         %max = memref.alloc() : memref<1xf32>
// CHECK-NEXT:    %exp = memref.alloc() : memref<5xf32>
// CHECK-NEXT:    %sum = memref.alloc() : memref<1xf32>
// CHECK-NEXT:    loop.for %i = %c0 to %c2 step %c1 {
// CHECK:             memref.store %max_1, %max[%u] : memref<1xf32>
// CHECK:           loop.for %j_1 = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %v_1 = memref.load %x[%i, %j_1] : memref<2x5xf32>
// CHECK-NEXT:        %m = memref.load %max[%c0] : memref<1xf32>
// CHECK:             memref.store %e, %exp[%j_1] : memref<5xf32>
// CHECK:               %e_1 = memref.load %exp[%j_2] : memref<5xf32>
// CHECK:             memref.store %add, %sum[%u_1] : memref<1xf32>
// CHECK:           loop.for %j_3 = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %e_2 = memref.load %exp[%j_3] : memref<5xf32>
// CHECK-NEXT:        %s = memref.load %sum[%c0] : memref<1xf32>
// CHECK-NEXT:        %q = arith.divf %e_2, %s : f32
// CHECK-NEXT:        memref.store %q, %out0[%i, %j_3] : memref<2x5xf32>
