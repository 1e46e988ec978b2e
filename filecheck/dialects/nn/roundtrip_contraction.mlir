// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// nn.matmul follows numpy: batch dims broadcast, 1-D operands are promoted and the
// promoted dim is dropped from the result.

// CHECK-LABEL: func.func @matmul
// CHECK-NEXT: %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
// CHECK-NEXT: %1 = nn.matmul %c, %d : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
// CHECK-NEXT: %2 = nn.matmul %v, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
// CHECK-NEXT: %3 = nn.matmul %a, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
// CHECK-NEXT: %4 = nn.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
// CHECK-NEXT: %5 = nn.matmul %e, %e : (tensor<2x2xf64>, tensor<2x2xf64>) -> tensor<2x2xf64>
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x1x3x4xf32>,
                  %d: tensor<5x4x6xf32>, %v: tensor<4xf32>, %e: tensor<2x2xf64>) {
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %1 = nn.matmul %c, %d : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  %2 = nn.matmul %v, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %3 = nn.matmul %a, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  %4 = nn.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %5 = nn.matmul %e, %e : (tensor<2x2xf64>, tensor<2x2xf64>) -> tensor<2x2xf64>
  func.return
}

// -----

// nn.dense takes an optional bias; without it the operand list simply ends.

// CHECK-LABEL: func.func @dense
// CHECK-NEXT: %0 = nn.dense %x, %w, %b : (tensor<64x784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<64x512xf32>
// CHECK-NEXT: %1 = nn.dense %x, %w : (tensor<64x784xf32>, tensor<784x512xf32>) -> tensor<64x512xf32>
// CHECK-NEXT: %2 = nn.dense %s, %w : (tensor<2x3x784xf32>, tensor<784x512xf32>) -> tensor<2x3x512xf32>
// CHECK-NEXT: %3 = nn.dense %v, %w, %b : (tensor<784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<512xf32>
func.func @dense(%x: tensor<64x784xf32>, %w: tensor<784x512xf32>, %b: tensor<512xf32>,
                 %s: tensor<2x3x784xf32>, %v: tensor<784xf32>) {
  %0 = nn.dense %x, %w, %b : (tensor<64x784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<64x512xf32>
  %1 = nn.dense %x, %w : (tensor<64x784xf32>, tensor<784x512xf32>) -> tensor<64x512xf32>
  %2 = nn.dense %s, %w : (tensor<2x3x784xf32>, tensor<784x512xf32>) -> tensor<2x3x512xf32>
  %3 = nn.dense %v, %w, %b : (tensor<784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<512xf32>
  func.return
}

// -----

// nn.conv2d with every property, each spelled out; properties equal to their
// defaults are left out when printed.

// CHECK-LABEL: func.func @conv2d
// CHECK-NEXT: %0 = nn.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %1 = nn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %2 = nn.conv2d %x, %w, %b {strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>, dilations = array<i64: 2, 3>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x3xf32>
// CHECK-NEXT: %3 = nn.conv2d %x, %g {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %4 = nn.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %5 = nn.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %6 = nn.conv2d %y, %p {strides = array<i64: 2, 2>} : (tensor<2x3x5x5xf64>, tensor<8x3x1x1xf64>) -> tensor<2x8x3x3xf64>
func.func @conv2d(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<6xf32>,
                  %g: tensor<6x2x3x3xf32>, %dw: tensor<4x1x3x3xf32>,
                  %y: tensor<2x3x5x5xf64>, %p: tensor<8x3x1x1xf64>) {
  %0 = nn.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  %1 = nn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  %2 = nn.conv2d %x, %w, %b {strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>, dilations = array<i64: 2, 3>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x3xf32>
  %3 = nn.conv2d %x, %g {groups = 2} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  %4 = nn.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
  %5 = nn.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  %6 = nn.conv2d %y, %p {strides = array<i64: 2, 2>} : (tensor<2x3x5x5xf64>, tensor<8x3x1x1xf64>) -> tensor<2x8x3x3xf64>
  func.return
}
