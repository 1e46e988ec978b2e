// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// The reduced axes become the reduction domain, the other dims the output domain.
func.func @reduce_sum(%x: tensor<4x5xf32>) -> tensor<4xf32> {
  %r = nn.reduce_sum %x {axes = array<i64: -1>} : tensor<4x5xf32> -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}
// CHECK-LABEL: func.func @reduce_sum(%x: tensor<4x5xf32>) -> tensor<4xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) reduce add (%[[R0:[0-9]+]]) in [5] init 0.000000e+00 : tensor<4xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[R0]]] : tensor<4x5xf32>
// CHECK-NEXT:     tensor.yield %[[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<4xf32>
// CHECK-NEXT: }

// -----

// keepdims: the reduced dim stays as a size-1 output dim whose index is unused.
func.func @reduce_sum_keepdims(%x: tensor<4x5xf32>) -> tensor<1x5xf32> {
  %r = nn.reduce_sum %x {axes = array<i64: 0>, keepdims} : tensor<4x5xf32> -> tensor<1x5xf32>
  func.return %r : tensor<1x5xf32>
}
// CHECK-LABEL: func.func @reduce_sum_keepdims(%x: tensor<4x5xf32>) -> tensor<1x5xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) reduce add (%[[R0:[0-9]+]]) in [4] init 0.000000e+00 : tensor<1x5xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[R0]], %[[D1]]] : tensor<4x5xf32>
// CHECK-NEXT:     tensor.yield %[[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<1x5xf32>
// CHECK-NEXT: }

// -----

// Axes in any order reduce in the input's dim order; the kept dim is the output.
func.func @reduce_sum_middle(%x: tensor<2x3x4xf64>) -> tensor<3xf64> {
  %r = nn.reduce_sum %x {axes = array<i64: 2, 0>} : tensor<2x3x4xf64> -> tensor<3xf64>
  func.return %r : tensor<3xf64>
}
// CHECK-LABEL: func.func @reduce_sum_middle(%x: tensor<2x3x4xf64>) -> tensor<3xf64> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) reduce add (%[[R0:[0-9]+]], %[[R1:[0-9]+]]) in [2, 4] init 0.000000e+00 : tensor<3xf64> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[R0]], %[[D0]], %[[R1]]] : tensor<2x3x4xf64>
// CHECK-NEXT:     tensor.yield %[[X]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf64>
// CHECK-NEXT: }

// -----

// A mean sums each element times 1/n (here 1/12), so that the accumulator stays
// within the elements' magnitude.
func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  %r = nn.reduce_mean %x {axes = array<i64: 1, 2>, keepdims} : tensor<2x3x4xf32> -> tensor<2x1x1xf32>
  func.return %r : tensor<2x1x1xf32>
}
// CHECK-LABEL: func.func @reduce_mean(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) reduce add (%[[R0:[0-9]+]], %[[R1:[0-9]+]]) in [3, 4] init 0.000000e+00 : tensor<2x1x1xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[R0]], %[[R1]]] : tensor<2x3x4xf32>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 0.0833333358 : f32
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[X]], %[[CST]] : f32
// CHECK-NEXT:     tensor.yield %[[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x1x1xf32>
// CHECK-NEXT: }

// -----

// max starts from -inf; reducing every dim gives rank 0.
func.func @reduce_max(%x: tensor<4x5xf32>) -> tensor<f32> {
  %r = nn.reduce_max %x {axes = array<i64: 0, 1>} : tensor<4x5xf32> -> tensor<f32>
  func.return %r : tensor<f32>
}
// CHECK-LABEL: func.func @reduce_max(%x: tensor<4x5xf32>) -> tensor<f32> {
// CHECK-NEXT:   %r = tensor.compute () reduce max (%[[R0:[0-9]+]], %[[R1:[0-9]+]]) in [4, 5] init 0xff800000 : tensor<f32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[R0]], %[[R1]]] : tensor<4x5xf32>
// CHECK-NEXT:     tensor.yield %[[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<f32>
// CHECK-NEXT: }

// -----

func.func @reduce_max_f16(%x: tensor<3x1xf16>) -> tensor<1xf16> {
  %r = nn.reduce_max %x {axes = array<i64: -2>} : tensor<3x1xf16> -> tensor<1xf16>
  func.return %r : tensor<1xf16>
}
// CHECK-LABEL: func.func @reduce_max_f16(%x: tensor<3x1xf16>) -> tensor<1xf16> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) reduce max (%[[R0:[0-9]+]]) in [3] init 0xfc00 : tensor<1xf16> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[R0]], %[[D0]]] : tensor<3x1xf16>
// CHECK-NEXT:     tensor.yield %[[X]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<1xf16>
// CHECK-NEXT: }

// -----

// reduce_min starts from +inf and combines with min; reduce_prod from 1 with mul.

func.func @reduce_min_prod(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<1x3xf32>) {
  %m = nn.reduce_min %x {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<2xf32>
  %p = nn.reduce_prod %x {axes = array<i64: 0>, keepdims} : tensor<2x3xf32> -> tensor<1x3xf32>
  func.return %m, %p : tensor<2xf32>, tensor<1x3xf32>
}
// CHECK-LABEL: func.func @reduce_min_prod(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<1x3xf32>) {
// CHECK-NEXT:   %m = tensor.compute (%[[D0:[0-9]+]]) reduce min (%[[R0:[0-9]+]]) in [3] init 0x7f800000 : tensor<2xf32> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %x[%[[D0]], %[[R0]]] : tensor<2x3xf32>
// CHECK-NEXT:     tensor.yield %[[READ]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %p = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) reduce mul (%[[R0:[0-9]+]]) in [2] init 1.000000e+00 : tensor<1x3xf32> {
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %x[%[[R0]], %[[D1]]] : tensor<2x3xf32>
// CHECK-NEXT:     tensor.yield %[[READ2]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %m, %p : tensor<2xf32>, tensor<1x3xf32>
// CHECK-NEXT: }

// -----

// On integers the inits are the combiner's identities in the element type: 0 for
// a sum, the lowest value for a max; a boolean max starts from false ("any").

func.func @reduce_integers(%i: tensor<2x3xi32>, %b: tensor<4xi1>) -> (tensor<2xi32>, tensor<3xi32>, tensor<i1>) {
  %s = nn.reduce_sum %i {axes = array<i64: 1>} : tensor<2x3xi32> -> tensor<2xi32>
  %m = nn.reduce_max %i {axes = array<i64: 0>} : tensor<2x3xi32> -> tensor<3xi32>
  %a = nn.reduce_max %b {axes = array<i64: 0>} : tensor<4xi1> -> tensor<i1>
  func.return %s, %m, %a : tensor<2xi32>, tensor<3xi32>, tensor<i1>
}
// CHECK-LABEL: func.func @reduce_integers(%i: tensor<2x3xi32>, %b: tensor<4xi1>) -> (tensor<2xi32>, tensor<3xi32>, tensor<i1>) {
// CHECK-NEXT:   %s = tensor.compute (%[[D0:[0-9]+]]) reduce add (%[[R0:[0-9]+]]) in [3] init 0 : tensor<2xi32> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %i[%[[D0]], %[[R0]]] : tensor<2x3xi32>
// CHECK-NEXT:     tensor.yield %[[READ]] : i32
// CHECK-NEXT:   }
// CHECK-NEXT:   %m = tensor.compute (%[[D0:[0-9]+]]) reduce max (%[[R0:[0-9]+]]) in [2] init -2147483648 : tensor<3xi32> {
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %i[%[[R0]], %[[D0]]] : tensor<2x3xi32>
// CHECK-NEXT:     tensor.yield %[[READ2]] : i32
// CHECK-NEXT:   }
// CHECK-NEXT:   %a = tensor.compute () reduce max (%[[R0:[0-9]+]]) in [4] init false : tensor<i1> {
// CHECK-NEXT:     %[[READ3:[0-9]+]] = tensor.read %b[%[[R0]]] : tensor<4xi1>
// CHECK-NEXT:     tensor.yield %[[READ3]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %s, %m, %a : tensor<2xi32>, tensor<3xi32>, tensor<i1>
// CHECK-NEXT: }
