// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// axes may be negative and in any order; without keepdims the reduced dims go away.

// CHECK-LABEL: func.func @reduce
// CHECK-NEXT:    %0 = nn.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %1 = nn.reduce_mean %x {axes = array<i64: -1, 0>} : tensor<2x3x4xf32> -> tensor<3xf32>
// CHECK-NEXT:    %2 = nn.reduce_max %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
func.func @reduce(%x: tensor<2x3x4xf32>) -> (tensor<2x4xf32>, tensor<3xf32>, tensor<f32>) {
  %0 = nn.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %1 = nn.reduce_mean %x {axes = array<i64: -1, 0>} : tensor<2x3x4xf32> -> tensor<3xf32>
  %2 = nn.reduce_max %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
  func.return %0, %1, %2 : tensor<2x4xf32>, tensor<3xf32>, tensor<f32>
}

// -----

// keepdims keeps each reduced dim with size 1.

// CHECK-LABEL: func.func @reduce_keepdims
// CHECK-NEXT:    %0 = nn.reduce_sum %x {axes = array<i64: -1>, keepdims} : tensor<4x5xf32> -> tensor<4x1xf32>
// CHECK-NEXT:    %1 = nn.reduce_mean %x {axes = array<i64: 0, 1>, keepdims} : tensor<4x5xf32> -> tensor<1x1xf32>
// CHECK-NEXT:    %2 = nn.reduce_max %x {axes = array<i64: -2>, keepdims} : tensor<4x5xf32> -> tensor<1x5xf32>
func.func @reduce_keepdims(%x: tensor<4x5xf32>)
    -> (tensor<4x1xf32>, tensor<1x1xf32>, tensor<1x5xf32>) {
  %0 = nn.reduce_sum %x {axes = array<i64: -1>, keepdims} : tensor<4x5xf32> -> tensor<4x1xf32>
  %1 = nn.reduce_mean %x {axes = array<i64: 0, 1>, keepdims} : tensor<4x5xf32> -> tensor<1x1xf32>
  %2 = nn.reduce_max %x {axes = array<i64: -2>, keepdims} : tensor<4x5xf32> -> tensor<1x5xf32>
  func.return %0, %1, %2 : tensor<4x1xf32>, tensor<1x1xf32>, tensor<1x5xf32>
}

// -----

// Size-1 dims, f16 and f64.

// CHECK-LABEL: func.func @reduce_widths
// CHECK-NEXT:    %0 = nn.reduce_sum %h {axes = array<i64: 0>} : tensor<1x7xf16> -> tensor<7xf16>
// CHECK-NEXT:    %1 = nn.reduce_max %d {axes = array<i64: 1>, keepdims} : tensor<3x1xf64> -> tensor<3x1xf64>
func.func @reduce_widths(%h: tensor<1x7xf16>, %d: tensor<3x1xf64>)
    -> (tensor<7xf16>, tensor<3x1xf64>) {
  %0 = nn.reduce_sum %h {axes = array<i64: 0>} : tensor<1x7xf16> -> tensor<7xf16>
  %1 = nn.reduce_max %d {axes = array<i64: 1>, keepdims} : tensor<3x1xf64> -> tensor<3x1xf64>
  func.return %0, %1 : tensor<7xf16>, tensor<3x1xf64>
}
