// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn.resize is one compute. Along H and W the source coordinate is the fraction
// (a*o + b) / d, and each rounding of it is an integer floor division (divui),
// exact; an index that may leave the input is clamped (maxsi/minsi).

// half_pixel 2 -> 4: x = (4*oh - 2) / 8; round_prefer_floor (half down) is
// (8*oh + 3) / 16, never outside [0, 2). W keeps its size: it reads %ow.
func.func @nearest(%x: tensor<1x1x2x3xf32>) -> tensor<1x1x4x3xf32> {
  %y = nn.resize %x {sizes = array<i64: 1, 1, 4, 3>} : tensor<1x1x2x3xf32> -> tensor<1x1x4x3xf32>
  func.return %y : tensor<1x1x4x3xf32>
}
// CHECK-LABEL: func.func @nearest
// CHECK-NEXT:   %y = tensor.compute (%n, %c, %oh, %ow) : tensor<1x1x4x3xf32> {
// CHECK-NEXT:     %[[C8:[0-9]+]] = arith.constant 8 : index
// CHECK-NEXT:     %[[M:[0-9]+]] = arith.muli %oh, %[[C8]] : index
// CHECK-NEXT:     %[[C3:[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     %[[N:[0-9]+]] = arith.addi %[[M]], %[[C3]] : index
// CHECK-NEXT:     %[[C16:[0-9]+]] = arith.constant 16 : index
// CHECK-NEXT:     %h = arith.divui %[[N]], %[[C16]] : index
// CHECK-NEXT:     %[[V:[0-9]+]] = tensor.read %x[%n, %c, %h, %ow] : tensor<1x1x2x3xf32>
// CHECK-NEXT:     tensor.yield %[[V]] : f32

// -----

// ceil of x = (14*oh - 2) / 18 is (14*oh + 15) / 18, which reaches 7 at oh = 8:
// clamped to the last row. Along W, 4 -> 3: (8*ow + 6) / 6 stays inside.
func.func @nearest_ceil_clamped(%x: tensor<1x1x7x4xf32>) -> tensor<1x1x9x3xf32> {
  %y = nn.resize %x {nearest_mode = "ceil", sizes = array<i64: 1, 1, 9, 3>} : tensor<1x1x7x4xf32> -> tensor<1x1x9x3xf32>
  func.return %y : tensor<1x1x9x3xf32>
}
// CHECK-LABEL: func.func @nearest_ceil_clamped
// CHECK:          %[[Q:[0-9]+]] = arith.divui
// CHECK-NEXT:     %[[C6:[0-9]+]] = arith.constant 6 : index
// CHECK-NEXT:     %h = arith.minsi %[[Q]], %[[C6]] : index
// CHECK:          %w = arith.divui
// CHECK-NEXT:     tensor.read %x[%n, %c, %h, %w] : tensor<1x1x7x4xf32>

// -----

// Linear: floor(x) and floor(x) + 1, clamped where they leave the input, weighed
// by (numerator mod d) / d. half_pixel 2 -> 4 starts at x = -1/4: the numerator
// 4*oh - 2 is shifted up by 8 for an unsigned division, and the quotient down by 1.
func.func @linear(%x: tensor<1x1x2x3xf32>) -> tensor<1x1x4x3xf32> {
  %y = nn.resize %x {mode = "linear", sizes = array<i64: 1, 1, 4, 3>} : tensor<1x1x2x3xf32> -> tensor<1x1x4x3xf32>
  func.return %y : tensor<1x1x4x3xf32>
}
// CHECK-LABEL: func.func @linear
// CHECK-NEXT:   %y = tensor.compute (%n, %c, %oh, %ow) : tensor<1x1x4x3xf32> {
// CHECK-NEXT:     %[[C4:[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     %[[M:[0-9]+]] = arith.muli %oh, %[[C4]] : index
// CHECK-NEXT:     %[[C6:[0-9]+]] = arith.constant 6 : index
// CHECK-NEXT:     %[[N:[0-9]+]] = arith.addi %[[M]], %[[C6]] : index
// CHECK-NEXT:     %[[C8:[0-9]+]] = arith.constant 8 : index
// CHECK-NEXT:     %[[Q:[0-9]+]] = arith.divui %[[N]], %[[C8]] : index
// CHECK-NEXT:     %[[C1:[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     %[[LOW:[0-9]+]] = arith.subi %[[Q]], %[[C1]] : index
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %h = arith.maxsi %[[LOW]], %[[C0]] : index
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     %[[HIGH:[0-9]+]] = arith.addi %[[LOW]], %[[ONE]] : index
// CHECK-NEXT:     %[[LAST:[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     %h_next = arith.minsi %[[HIGH]], %[[LAST]] : index
// CHECK-NEXT:     %[[D:[0-9]+]] = arith.constant 8 : index
// CHECK-NEXT:     %[[R:[0-9]+]] = arith.remui %[[N]], %[[D]] : index
// CHECK-NEXT:     %[[RI:[0-9]+]] = arith.index_cast %[[R]] : index to i64
// CHECK-NEXT:     %[[RF:[0-9]+]] = arith.sitofp %[[RI]] : i64 to f32
// CHECK-NEXT:     %[[DF:[0-9]+]] = arith.constant 8.000000e+00 : f32
// CHECK-NEXT:     %h_weight = arith.divf %[[RF]], %[[DF]] : f32
// CHECK-NEXT:     %[[ONEF:[0-9]+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:     %[[COMP:[0-9]+]] = arith.subf %[[ONEF]], %h_weight : f32
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %x[%n, %c, %h, %ow] : tensor<1x1x2x3xf32>
// CHECK-NEXT:     %[[WA:[0-9]+]] = arith.mulf %[[COMP]], %[[A]] : f32
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %x[%n, %c, %h_next, %ow] : tensor<1x1x2x3xf32>
// CHECK-NEXT:     %[[WB:[0-9]+]] = arith.mulf %h_weight, %[[B]] : f32
// CHECK-NEXT:     %[[S:[0-9]+]] = arith.addf %[[WA]], %[[WB]] : f32
// CHECK-NEXT:     tensor.yield %[[S]] : f32

// -----

// Bilinear: along H inside, then along W: four reads.
func.func @bilinear(%x: tensor<1x1x2x3xf64>) -> tensor<1x1x4x5xf64> {
  %y = nn.resize %x {mode = "linear", coordinate_transformation_mode = "align_corners", sizes = array<i64: 1, 1, 4, 5>} : tensor<1x1x2x3xf64> -> tensor<1x1x4x5xf64>
  func.return %y : tensor<1x1x4x5xf64>
}
// CHECK-LABEL: func.func @bilinear
// CHECK:          %h_weight = arith.divf
// CHECK:          %w_weight = arith.divf
// CHECK:          tensor.read %x[%n, %c, %h, %w] : tensor<1x1x2x3xf64>
// CHECK:          tensor.read %x[%n, %c, %h_next, %w] : tensor<1x1x2x3xf64>
// CHECK:          tensor.read %x[%n, %c, %h, %w_next] : tensor<1x1x2x3xf64>
// CHECK:          tensor.read %x[%n, %c, %h_next, %w_next] : tensor<1x1x2x3xf64>

// -----

// An output of size 1 reads a constant row: pytorch_half_pixel puts it at -1/2,
// which rounds half down to -1 and is clamped to 0.
func.func @single_row(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x1x4xf32> {
  %y = nn.resize %x {coordinate_transformation_mode = "pytorch_half_pixel", sizes = array<i64: 1, 1, 1, 4>} : tensor<1x1x4x4xf32> -> tensor<1x1x1x4xf32>
  func.return %y : tensor<1x1x1x4xf32>
}
// CHECK-LABEL: func.func @single_row
// CHECK-NEXT:   %y = tensor.compute (%n, %c, %oh, %ow) : tensor<1x1x1x4xf32> {
// CHECK-NEXT:     %h = arith.constant 0 : index
// CHECK-NEXT:     %[[V:[0-9]+]] = tensor.read %x[%n, %c, %h, %ow] : tensor<1x1x4x4xf32>
// CHECK-NEXT:     tensor.yield %[[V]] : f32
