// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// CHECK-LABEL: func.func @reshape
// CHECK-NEXT:    %{{.*}} = nn.reshape %{{.*}} {shape = array<i64: 2, 6>} : tensor<3x4xf32> -> tensor<2x6xf32>
// CHECK-NEXT:    %{{.*}} = nn.reshape %{{.*}} {shape = array<i64>} : tensor<1x1xf64> -> tensor<f64>
func.func @reshape(%x: tensor<3x4xf32>, %y: tensor<1x1xf64>) -> (tensor<2x6xf32>, tensor<f64>) {
  %0 = nn.reshape %x {shape = array<i64: 2, 6>} : tensor<3x4xf32> -> tensor<2x6xf32>
  %1 = nn.reshape %y {shape = array<i64>} : tensor<1x1xf64> -> tensor<f64>
  func.return %0, %1 : tensor<2x6xf32>, tensor<f64>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-NEXT:    %{{.*}} = nn.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
// CHECK-NEXT:    %{{.*}} = nn.transpose %{{.*}} {perm = array<i64: -1, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
func.func @transpose(%x: tensor<2x3x4xf16>) -> (tensor<4x2x3xf16>, tensor<4x2x3xf16>) {
  %0 = nn.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
  %1 = nn.transpose %x {perm = array<i64: -1, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
  func.return %0, %1 : tensor<4x2x3xf16>, tensor<4x2x3xf16>
}

// -----

// The default axis 1 is not printed.

// CHECK-LABEL: func.func @flatten
// CHECK-NEXT:    %{{.*}} = nn.flatten %{{.*}} : tensor<2x3x4xf32> -> tensor<2x12xf32>
// CHECK-NEXT:    %{{.*}} = nn.flatten %{{.*}} {axis = 0 : i64} : tensor<2x3x4xf32> -> tensor<1x24xf32>
// CHECK-NEXT:    %{{.*}} = nn.flatten %{{.*}} {axis = -1 : i64} : tensor<2x3x4xf32> -> tensor<6x4xf32>
func.func @flatten(%x: tensor<2x3x4xf32>)
    -> (tensor<2x12xf32>, tensor<1x24xf32>, tensor<6x4xf32>) {
  %0 = nn.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %1 = nn.flatten %x {axis = 0} : tensor<2x3x4xf32> -> tensor<1x24xf32>
  %2 = nn.flatten %x {axis = -1} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  func.return %0, %1, %2 : tensor<2x12xf32>, tensor<1x24xf32>, tensor<6x4xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-NEXT:    %{{.*}} = nn.squeeze %{{.*}} {axes = array<i64: 0, -1>} : tensor<1x4x1xf32> -> tensor<4xf32>
// CHECK-NEXT:    %{{.*}} = nn.unsqueeze %{{.*}} {axes = array<i64: 2, 0>} : tensor<4xf32> -> tensor<1x4x1xf32>
func.func @squeeze_unsqueeze(%x: tensor<1x4x1xf32>) -> tensor<1x4x1xf32> {
  %0 = nn.squeeze %x {axes = array<i64: 0, -1>} : tensor<1x4x1xf32> -> tensor<4xf32>
  %1 = nn.unsqueeze %0 {axes = array<i64: 2, 0>} : tensor<4xf32> -> tensor<1x4x1xf32>
  func.return %1 : tensor<1x4x1xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to
// CHECK-NEXT:    %{{.*}} = nn.broadcast_to %{{.*}} {shape = array<i64: 2, 3, 4>} : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT:    %{{.*}} = nn.broadcast_to %{{.*}} {shape = array<i64: 5>} : tensor<f32> -> tensor<5xf32>
func.func @broadcast_to(%x: tensor<3x1xf32>, %s: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<5xf32>) {
  %0 = nn.broadcast_to %x {shape = array<i64: 2, 3, 4>} : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = nn.broadcast_to %s {shape = array<i64: 5>} : tensor<f32> -> tensor<5xf32>
  func.return %0, %1 : tensor<2x3x4xf32>, tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @slice
// CHECK-NEXT:    %{{.*}} = nn.slice %{{.*}} {starts = array<i64: 1>, ends = array<i64: 100>} : tensor<5x6xf32> -> tensor<4x6xf32>
// CHECK-NEXT:    %{{.*}} = nn.slice %{{.*}} {starts = array<i64: -1, 0>, ends = array<i64: -9223372036854775807, 6>, axes = array<i64: 1, 0>, steps = array<i64: -2, 3>} : tensor<5x6xf32> -> tensor<2x3xf32>
func.func @slice(%x: tensor<5x6xf32>) -> (tensor<4x6xf32>, tensor<2x3xf32>) {
  %0 = nn.slice %x {starts = array<i64: 1>, ends = array<i64: 100>} : tensor<5x6xf32> -> tensor<4x6xf32>
  %1 = nn.slice %x {starts = array<i64: -1, 0>, ends = array<i64: -9223372036854775807, 6>,
                    axes = array<i64: 1, 0>, steps = array<i64: -2, 3>}
      : tensor<5x6xf32> -> tensor<2x3xf32>
  func.return %0, %1 : tensor<4x6xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>} : tensor<2x3xf32> -> tensor<3x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>, value = -1.000000e+00 : f64} : tensor<2x3xf32> -> tensor<3x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>, mode = "edge"} : tensor<2x3xf32> -> tensor<3x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>, mode = "reflect"} : tensor<2x3xf32> -> tensor<3x5xf32>
func.func @pad(%x: tensor<2x3xf32>)
    -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>} : tensor<2x3xf32> -> tensor<3x5xf32>
  %1 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>, value = -1.0} : tensor<2x3xf32> -> tensor<3x5xf32>
  %2 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>, mode = "edge"} : tensor<2x3xf32> -> tensor<3x5xf32>
  %3 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>, mode = "reflect"} : tensor<2x3xf32> -> tensor<3x5xf32>
  func.return %0, %1, %2, %3 : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-NEXT:    %{{.*}} = nn.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<2x1xf32>, tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.concat %{{.*}} {axis = 0 : i64} : (tensor<2x1xf32>) -> tensor<2x1xf32>
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>) -> (tensor<2x5xf32>, tensor<2x1xf32>) {
  %0 = nn.concat %a, %b, %a {axis = -1} : (tensor<2x1xf32>, tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
  %1 = nn.concat %a {axis = 0} : (tensor<2x1xf32>) -> tensor<2x1xf32>
  func.return %0, %1 : tensor<2x5xf32>, tensor<2x1xf32>
}
