// RUN: not dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu override="contraction: blocks = [], tile = [], register = [1, 16, 1], vectorize = 16"}' 2>&1 | filecheck %s --check-prefix=CPU
// RUN: not dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu override="contraction: tile = [64, 64, 16], register = [2, 1, 1]"}' 2>&1 | filecheck %s --check-prefix=THREADS
// RUN: not dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu override="contraction: tile = [64, 64, 128]"}' 2>&1 | filecheck %s --check-prefix=SHARED
// RUN: not dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu override="contraction: tile = [64, 258, 16], register = [4, 4, 1]"}' 2>&1 | filecheck %s --check-prefix=MULTIPLE
// RUN: not dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu override="contraction: blocks = [1]"}' 2>&1 | filecheck %s --check-prefix=BLOCKS
// RUN: not dlc-opt %s --split-input-file -p 'tensor-schedule{target=gpu}' 2>&1 | filecheck %s --check-prefix=KERNEL
// RUN: not dlc-opt %s --split-input-file -p 'tensor-to-loop' 2>&1 | filecheck %s --check-prefix=LOWER
// RUN: not dlc-opt %s --split-input-file -p 'tensor-schedule{target=avx512 override="%%c: tile = [32, 32, 8], register = [2, 2, 1], blocks = [0, 1], pack = [], vectorize = 1, parallel = []"}' 2>&1 | filecheck %s --check-prefix=CPU-TARGET

// A GPU schedule that the tiled kernel cannot run is reported at its compute.

// CPU: tensor-schedule-gpu-invalid.mlir:[[# @LINE + 7]]:3: error: tensor-schedule: target gpu takes no CPU kernel schedule (register without blocks, or pack), got #tensor.schedule<vectorize = 16, register = [1, 16, 1]>
// THREADS: error: tensor-schedule: tensor.compute: GPU schedule runs 2048 threads per block (tile [64, 64] / register [2, 1]), expected at most 1024
// SHARED: error: tensor-schedule: a GPU schedule stages 128 x (64 + 64) elements = 65536 bytes in shared memory, expected at most 49152
// MULTIPLE: error: tensor-schedule: tensor.compute: GPU block tile 258 of output dim 1 must be a positive multiple of its thread tile 4
// CPU-TARGET: error: tensor-schedule: a CPU target takes no GPU schedule (blocks), got #tensor.schedule<tile = [32, 32, 8], register = [2, 2, 1], blocks = [0, 1]>
// BLOCKS: error: tensor-schedule: tensor.compute: schedule maps output dims [1] to GPU blocks, expected every output dim in order, [0, 1], and at most 3 of them
func.func @matmul(%x: tensor<256x512xf32>, %w: tensor<512x256xf32>) -> tensor<256x256xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [512] init 0.0 : tensor<256x256xf32> {
    %a = tensor.read %x[%i, %k] : tensor<256x512xf32>
    %b = tensor.read %w[%k, %j] : tensor<512x256xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<256x256xf32>
}

// -----

// KERNEL: tensor-schedule-gpu-invalid.mlir:[[# @LINE + 3]]:3: error: tensor-schedule: a GPU schedule (blocks) needs a float contraction over one reduction dim with 1 to 3 output dims, whose product has a factor independent of the last output dim and one independent of the dim before it
// LOWER: tensor-schedule-gpu-invalid.mlir:[[# @LINE + 2]]:3: error: tensor-to-loop: a GPU schedule (blocks) needs a float contraction
func.func @max_product(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %c = tensor.compute (%i, %j) reduce max (%k) in [8] init 0.0 schedule<tile = [4, 4, 4], register = [1, 1, 1], blocks = [0, 1]> : tensor<8x8xf32> {
    %a = tensor.read %x[%i, %k] : tensor<8x8xf32>
    %b = tensor.read %w[%k, %j] : tensor<8x8xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<8x8xf32>
}
