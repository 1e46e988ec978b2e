// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// nn.max_pool2d with each property; properties equal to their defaults are left
// out when printed.

// CHECK-LABEL: func.func @max_pool2d
// CHECK-NEXT: %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
// CHECK-NEXT: %1 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %2 = nn.max_pool2d %x {kernel = array<i64: 2, 3>, dilations = array<i64: 2, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x6x6xf32>
// CHECK-NEXT: %3 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %4 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x3x3xf32>
// CHECK-NEXT: %5 = nn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
// CHECK-NEXT: %6 = nn.max_pool2d %y {kernel = array<i64: 1, 1>} : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
func.func @max_pool2d(%x: tensor<1x3x8x8xf32>, %y: tensor<1x1x1x1xf64>) {
  %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  %1 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %2 = nn.max_pool2d %x {kernel = array<i64: 2, 3>, dilations = array<i64: 2, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x6x6xf32>
  %3 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %4 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x3x3xf32>
  %5 = nn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  %6 = nn.max_pool2d %y {kernel = array<i64: 1, 1>} : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
  func.return
}

// -----

// CHECK-LABEL: func.func @avg_pool2d
// CHECK-NEXT: %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %1 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 0, 2, 1>, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
// CHECK-NEXT: %2 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x5x5xf32>
// CHECK-NEXT: %3 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
func.func @avg_pool2d(%x: tensor<1x3x8x8xf32>) {
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %1 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 0, 2, 1>, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  %2 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x5x5xf32>
  %3 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @global_avg_pool2d
// CHECK-NEXT: %0 = nn.global_avg_pool2d %x : tensor<2x512x7x7xf32> -> tensor<2x512x1x1xf32>
// CHECK-NEXT: %1 = nn.global_avg_pool2d %y : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
func.func @global_avg_pool2d(%x: tensor<2x512x7x7xf32>, %y: tensor<1x1x1x1xf64>) {
  %0 = nn.global_avg_pool2d %x : tensor<2x512x7x7xf32> -> tensor<2x512x1x1xf32>
  %1 = nn.global_avg_pool2d %y : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
  func.return
}
