// RUN: dlc-opt %s --split-input-file -p 'tensor-schedule{target=avx512}' | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'tensor-schedule{target=avx2}' | filecheck %s --check-prefix=AVX2
// RUN: dlc-opt %s --split-input-file -p 'tensor-schedule{target=avx512 override="contraction: pack = [], tile = []; %y: register = [1, 2, 1, 16, 1, 1, 1]; %keep: unroll = 2; contraction#1: vectorize = 8, register = [1, 8, 1]"}' | filecheck %s --check-prefix=OVERRIDE

// Default schedules come from the kernel kind, the shapes and the CPU model
// (target=avx512: 16 f32 lanes, 32 vector registers, 48 KiB L1, 1 MiB L2).

// A dense layer: the register-tiled kernel. Rows of i times four 16-lane vectors
// of j; w is packed into panels (it is read 64 times, once per row, and its rows
// are 4 KiB apart); j is tiled so that the panels of one tile fit half of L2,
// and its tile loop runs in parallel.
// CHECK-LABEL: func.func @dense
// CHECK:       tensor.compute (%i, %j) reduce add (%k) in [784] init 0.000000e+00
// CHECK-SAME:    schedule<tile = [0, 128, 0], parallel = [1], vectorize = 16, register = [6, 64, 1], pack = [1]>
// AVX2-LABEL:  func.func @dense
// AVX2:          schedule<tile = [0, 72, 0], parallel = [1], vectorize = 8, register = [4, 24, 1], pack = [1]>
// OVERRIDE-LABEL: func.func @dense
// OVERRIDE:      schedule<parallel = [1], vectorize = 16, register = [6, 64, 1]>
func.func @dense(%x: tensor<64x784xf32>, %w: tensor<784x1024xf32>) -> tensor<64x1024xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [784] init 0.0 : tensor<64x1024xf32> {
    %a = tensor.read %x[%i, %k] : tensor<64x784xf32>
    %b = tensor.read %w[%k, %j] : tensor<784x1024xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<64x1024xf32>
}

// -----

// A 3x3 convolution: rows of output channels f (the weight is one scalar per
// row, the input one vector per lane block, shared by the rows), vectors of ow.
// The padded input is not packed: that would copy it 9 times.
// CHECK-LABEL: func.func @conv
// CHECK:       schedule<parallel = [1], vectorize = 16, register = [1, 8, 1, 48, 1, 1, 1]>
// OVERRIDE-LABEL: func.func @conv
// OVERRIDE:      schedule<parallel = [1], vectorize = 16, register = [1, 2, 1, 16, 1, 1, 1]>
func.func @conv(%x: tensor<1x64x56x56xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<1x64x56x56xf32> {
  %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [64, 3, 3] init 0.0 : tensor<1x64x56x56xf32> {
    %c1 = arith.constant 1 : index
    %h0 = arith.addi %oh, %kh : index
    %h = arith.subi %h0, %c1 : index
    %w0 = arith.addi %ow, %kw : index
    %wi = arith.subi %w0, %c1 : index
    %a = tensor.read %x[%n, %c, %h, %wi] pad 0.0 : tensor<1x64x56x56xf32>
    %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<64x64x3x3xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %y : tensor<1x64x56x56xf32>
}

// -----

// q kᵀ reads k across its rows along the vector loop: k is packed, whatever it
// costs, so that the kernel loads it contiguously. The lane count follows the
// 10 columns: 8 lanes.
// CHECK-LABEL: func.func @transposed
// CHECK:       schedule<parallel = [0], vectorize = 8, register = [16, 8, 1], pack = [1]>
func.func @transposed(%q: tensor<128x64xf32>, %k: tensor<10x64xf32>) -> tensor<128x10xf32> {
  %s = tensor.compute (%i, %j) reduce add (%d) in [64] init 0.0 : tensor<128x10xf32> {
    %a = tensor.read %q[%i, %d] : tensor<128x64xf32>
    %b = tensor.read %k[%j, %d] : tensor<10x64xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %s : tensor<128x10xf32>
}

// -----

// A contraction this small keeps the plain loop nest; so does every other
// reduction (a row max) and every elementwise compute, which get a vector width
// for loop-vectorize and, with enough work, a parallel outer loop.
// CHECK-LABEL: func.func @small_and_others
// CHECK:       tensor.compute (%i, %j) reduce add (%k) in [3] init 0.000000e+00 schedule<vectorize = 4> :
// CHECK:       tensor.compute (%r) reduce max (%col) in [512] init 0xff800000 schedule<parallel = [0]> :
// CHECK:       tensor.compute (%r_1, %col_1) schedule<parallel = [0], vectorize = 16> :
func.func @small_and_others(%x: tensor<4x3xf32>, %w: tensor<3x5xf32>, %z: tensor<256x512xf32>) -> (tensor<4x5xf32>, tensor<256xf32>, tensor<256x512xf32>) {
  %c = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.0 : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x3xf32>
    %b = tensor.read %w[%k, %j] : tensor<3x5xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  %m = tensor.compute (%r) reduce max (%col) in [512] init 0xFF800000 : tensor<256xf32> {
    %v = tensor.read %z[%r, %col] : tensor<256x512xf32>
    tensor.yield %v : f32
  }
  %e = tensor.compute (%r, %col) : tensor<256x512xf32> {
    %v = tensor.read %z[%r, %col] : tensor<256x512xf32>
    %t = math.exp %v : f32
    tensor.yield %t : f32
  }
  func.return %c, %m, %e : tensor<4x5xf32>, tensor<256xf32>, tensor<256x512xf32>
}

// -----

// A schedule written in the IR is the user's: kept as it is; the override
// option still applies to it. Rules by name beat rules by ordinal (the n-th
// contraction of the module), which beat rules by kind.
// CHECK-LABEL: func.func @written
// CHECK:       %keep = tensor.compute
// CHECK-SAME:    schedule<tile = [2, 0, 0], vectorize = 4, register = [2, 4, 1]>
// CHECK:       %other = tensor.compute
// CHECK-SAME:    schedule<tile = [0, 128, 0], parallel = [1], vectorize = 16, register = [6, 64, 1], pack = [1]>
// OVERRIDE-LABEL: func.func @written
// OVERRIDE:      %keep = tensor.compute
// OVERRIDE-SAME:   schedule<vectorize = 4, unroll = 2, register = [2, 4, 1]>
// OVERRIDE:      %other = tensor.compute
// OVERRIDE-SAME:   schedule<parallel = [1], vectorize = 8, register = [1, 8, 1]>
func.func @written(%x: tensor<64x784xf32>, %w: tensor<784x1024xf32>) -> (tensor<64x1024xf32>, tensor<64x1024xf32>) {
  %keep = tensor.compute (%i, %j) reduce add (%k) in [784] init 0.0 schedule<tile = [2, 0, 0], vectorize = 4, register = [2, 4, 1]> : tensor<64x1024xf32> {
    %a = tensor.read %x[%i, %k] : tensor<64x784xf32>
    %b = tensor.read %w[%k, %j] : tensor<784x1024xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  %other = tensor.compute (%i, %j) reduce add (%k) in [784] init 0.0 : tensor<64x1024xf32> {
    %a = tensor.read %x[%i, %k] : tensor<64x784xf32>
    %b = tensor.read %w[%k, %j] : tensor<784x1024xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %keep, %other : tensor<64x1024xf32>, tensor<64x1024xf32>
}
