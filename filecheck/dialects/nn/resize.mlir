// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// nn.resize (dlc/dialects/nn/resize.py): sizes gives all four dims (N and C stay);
// the modes at their ONNX defaults (nearest, half_pixel, round_prefer_floor) are
// not printed. The properties keep the order they are written in.

// CHECK-LABEL: func.func @resize
// CHECK-NEXT:    %0 = nn.resize %x {sizes = array<i64: 1, 3, 8, 8>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
// CHECK-NEXT:    %1 = nn.resize %x {sizes = array<i64: 1, 3, 8, 8>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
// CHECK-NEXT:    %2 = nn.resize %x {mode = "linear", coordinate_transformation_mode = "align_corners", sizes = array<i64: 1, 3, 3, 5>} : tensor<1x3x4x4xf32> -> tensor<1x3x3x5xf32>
// CHECK-NEXT:    %3 = nn.resize %x {coordinate_transformation_mode = "asymmetric", nearest_mode = "ceil", sizes = array<i64: 1, 3, 1, 7>} : tensor<1x3x4x4xf32> -> tensor<1x3x1x7xf32>
// CHECK-NEXT:    %4 = nn.resize %h {mode = "linear", coordinate_transformation_mode = "pytorch_half_pixel", sizes = array<i64: 2, 1, 2, 2>} : tensor<2x1x5x3xf16> -> tensor<2x1x2x2xf16>
func.func @resize(%x: tensor<1x3x4x4xf32>, %h: tensor<2x1x5x3xf16>)
    -> (tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>, tensor<1x3x3x5xf32>,
        tensor<1x3x1x7xf32>, tensor<2x1x2x2xf16>) {
  %0 = nn.resize %x {sizes = array<i64: 1, 3, 8, 8>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  %1 = nn.resize %x {mode = "nearest", coordinate_transformation_mode = "half_pixel", nearest_mode = "round_prefer_floor", sizes = array<i64: 1, 3, 8, 8>} : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>
  %2 = nn.resize %x {mode = "linear", coordinate_transformation_mode = "align_corners", sizes = array<i64: 1, 3, 3, 5>} : tensor<1x3x4x4xf32> -> tensor<1x3x3x5xf32>
  %3 = nn.resize %x {coordinate_transformation_mode = "asymmetric", nearest_mode = "ceil", sizes = array<i64: 1, 3, 1, 7>} : tensor<1x3x4x4xf32> -> tensor<1x3x1x7xf32>
  %4 = nn.resize %h {mode = "linear", coordinate_transformation_mode = "pytorch_half_pixel", sizes = array<i64: 2, 1, 2, 2>} : tensor<2x1x5x3xf16> -> tensor<2x1x2x2xf16>
  func.return %0, %1, %2, %3, %4 : tensor<1x3x8x8xf32>, tensor<1x3x8x8xf32>, tensor<1x3x3x5xf32>, tensor<1x3x1x7xf32>, tensor<2x1x2x2xf16>
}
