// RUN: dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu}' | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu}' --print-op-generic | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu override="%%c: tile = [32, 32, 8], register = [2, 2, 1]; elementwise: parallel = [0]"}' | filecheck %s --check-prefix=OVERRIDE

// With target=gpu, a contraction gets the shared-memory tiled kernel: `tile` is
// the block tile (then the k tile), `register` the thread tile, `blocks` the
// output dims on the grid. A large matmul: 64 x 64 outputs per block, 16 deep
// slices of x and w in shared memory, 16 x 16 threads of 4 x 4 outputs.
// CHECK-LABEL: func.func @matmul
// CHECK:       tensor.compute (%i, %j) reduce add (%k) in [1024] init 0.000000e+00
// CHECK-SAME:    schedule<tile = [64, 64, 16], register = [4, 4, 1], blocks = [0, 1]>
// OVERRIDE-LABEL: func.func @matmul
// OVERRIDE:      schedule<tile = [32, 32, 8], register = [2, 2, 1], blocks = [0, 1]>
func.func @matmul(%x: tensor<1024x1024xf32>, %w: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [1024] init 0.0 : tensor<1024x1024xf32> {
    %a = tensor.read %x[%i, %k] : tensor<1024x1024xf32>
    %b = tensor.read %w[%k, %j] : tensor<1024x1024xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<1024x1024xf32>
}

// -----

// A dense layer with 10 outputs and its bias: the column tile shrinks to 16 (the
// next power of two), one column per thread; the epilogue does not change it.
// CHECK-LABEL: func.func @dense
// CHECK:       schedule<tile = [64, 16, 16], register = [4, 1, 1], blocks = [0, 1]>
func.func @dense(%x: tensor<64x784xf32>, %w: tensor<784x10xf32>, %bias: tensor<10xf32>) -> tensor<64x10xf32> {
  %h = tensor.compute (%i, %j) reduce add (%k) in [784] init 0.0 : tensor<64x10xf32> {
    %a = tensor.read %x[%i, %k] : tensor<64x784xf32>
    %b = tensor.read %w[%k, %j] : tensor<784x10xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%i: index, %j: index, %sum: f32):
    %b = tensor.read %bias[%j] : tensor<10xf32>
    %r = arith.addf %sum, %b : f32
    tensor.yield %r : f32
  }
  func.return %h : tensor<64x10xf32>
}

// -----

// A batched matmul: one batch point per block (gpu.block.z). 8 x 2 x 2 blocks
// of 64 x 64 would leave most of a GPU idle: 32 x 32 tiles, 2 x 2 per thread.
// CHECK-LABEL: func.func @batch
// CHECK:       schedule<tile = [1, 32, 32, 16], register = [1, 2, 2, 1], blocks = [0, 1, 2]>
func.func @batch(%x: tensor<8x128x64xf32>, %w: tensor<8x64x128xf32>) -> tensor<8x128x128xf32> {
  %d = tensor.compute (%n, %i, %j) reduce add (%k) in [64] init 0.0 : tensor<8x128x128xf32> {
    %a = tensor.read %x[%n, %i, %k] : tensor<8x128x64xf32>
    %b = tensor.read %w[%n, %k, %j] : tensor<8x64x128xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %d : tensor<8x128x128xf32>
}

// -----

// Odd sizes: tiles of the next power of two, threads only where there are points.
// The factors may come in either order and be transposed reads.
// CHECK-LABEL: func.func @odd_transposed
// CHECK:       schedule<tile = [4, 32, 8], register = [1, 2, 1], blocks = [0, 1]>
func.func @odd_transposed(%xt: tensor<5x3xf32>, %wt: tensor<17x5xf32>) -> tensor<3x17xf32> {
  %o = tensor.compute (%i, %j) reduce add (%k) in [5] init 0.0 : tensor<3x17xf32> {
    %b = tensor.read %wt[%j, %k] : tensor<17x5xf32>
    %a = tensor.read %xt[%k, %i] : tensor<5x3xf32>
    %p = arith.mulf %b, %a : f32
    tensor.yield %p : f32
  }
  func.return %o : tensor<3x17xf32>
}

// -----

// Everything else runs its output dims in parallel: tensor-to-loop makes them
// unmapped loop.parallel nests, for loop-to-gpu to map. So does a contraction
// the kernel does not take (a convolution has three reduction dims).
// CHECK-LABEL: func.func @others
// CHECK:       tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3]
// CHECK-SAME:    schedule<parallel = [0, 1, 2, 3]>
// CHECK:       tensor.compute (%i) schedule<parallel = [0]>
// OVERRIDE-LABEL: func.func @others
// OVERRIDE:      schedule<parallel = [0, 1, 2, 3]>
// OVERRIDE:      tensor.compute (%i) schedule<parallel = [0]>
func.func @others(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>, %v: tensor<7xf32>) -> (tensor<1x3x3x3xf32>, tensor<7xf32>) {
  %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3] init 0.0 : tensor<1x3x3x3xf32> {
    %h = arith.addi %oh, %kh : index
    %wi = arith.addi %ow, %kw : index
    %a = tensor.read %x[%n, %c, %h, %wi] : tensor<1x2x5x5xf32>
    %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<3x2x3x3xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  %e = tensor.compute (%i) : tensor<7xf32> {
    %a = tensor.read %v[%i] : tensor<7xf32>
    %r = math.exp %a : f32
    tensor.yield %r : f32
  }
  func.return %y, %e : tensor<1x3x3x3xf32>, tensor<7xf32>
}

// -----

// A schedule written in the IR is kept (and checked against the kernel).
// CHECK-LABEL: func.func @written
// CHECK:       schedule<tile = [2, 8, 4], register = [1, 2, 1], blocks = [0, 1]>
func.func @written(%x: tensor<4x6xf32>, %w: tensor<6x8xf32>) -> tensor<4x8xf32> {
  %kept = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 schedule<tile = [2, 8, 4], register = [1, 2, 1], blocks = [0, 1]> : tensor<4x8xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %b = tensor.read %w[%k, %j] : tensor<6x8xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %kept : tensor<4x8xf32>
}
