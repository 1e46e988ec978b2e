// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// softmax and log_softmax keep their input's type; axis defaults to -1, which is
// not printed.

// CHECK-LABEL: func.func @softmax
// CHECK-NEXT:    %0 = nn.softmax %x {axis = 0 : i64} : tensor<64x10xf32>
// CHECK-NEXT:    %1 = nn.softmax %0 : tensor<64x10xf32>
// CHECK-NEXT:    %2 = nn.softmax %1 : tensor<64x10xf32>
// CHECK-NEXT:    %3 = nn.log_softmax %2 {axis = -2 : i64} : tensor<64x10xf32>
// CHECK-NEXT:    %4 = nn.log_softmax %3 : tensor<64x10xf32>
func.func @softmax(%x: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = nn.softmax %x {axis = 0} : tensor<64x10xf32>
  %1 = nn.softmax %0 {axis = -1} : tensor<64x10xf32>
  %2 = nn.softmax %1 : tensor<64x10xf32>
  %3 = nn.log_softmax %2 {axis = -2} : tensor<64x10xf32>
  %4 = nn.log_softmax %3 : tensor<64x10xf32>
  func.return %4 : tensor<64x10xf32>
}

// -----

// layer_norm's scale and bias have the normalized dims [axis, rank); epsilon
// defaults to 1e-5.

// CHECK-LABEL: func.func @layer_norm
// CHECK-NEXT:    %0 = nn.layer_norm %x, %g, %b : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
// CHECK-NEXT:    %1 = nn.layer_norm %0, %g2, %b2 {axis = 1 : i64, epsilon = 1.000000e-06 : f64} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
// CHECK-NEXT:    %2 = nn.layer_norm %1, %g2, %b2 {axis = -2 : i64} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
// CHECK-NEXT:    %3 = nn.layer_norm %2, %g, %b : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
func.func @layer_norm(%x: tensor<2x8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>,
                      %g2: tensor<8x16xf32>, %b2: tensor<8x16xf32>) -> tensor<2x8x16xf32> {
  %0 = nn.layer_norm %x, %g, %b : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  %1 = nn.layer_norm %0, %g2, %b2 {axis = 1, epsilon = 1.0e-06} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
  %2 = nn.layer_norm %1, %g2, %b2 {axis = -2} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
  %3 = nn.layer_norm %2, %g, %b {axis = -1, epsilon = 1.0e-05} : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  func.return %3 : tensor<2x8x16xf32>
}

// -----

// CHECK-LABEL: func.func @rms_norm
// CHECK-NEXT:    %0 = nn.rms_norm %x, %g : (tensor<4x16xf16>, tensor<16xf16>) -> tensor<4x16xf16>
// CHECK-NEXT:    %1 = nn.rms_norm %0, %g2 {axis = 0 : i64, epsilon = 0 : i64} : (tensor<4x16xf16>, tensor<4x16xf16>) -> tensor<4x16xf16>
func.func @rms_norm(%x: tensor<4x16xf16>, %g: tensor<16xf16>, %g2: tensor<4x16xf16>)
    -> tensor<4x16xf16> {
  %0 = nn.rms_norm %x, %g : (tensor<4x16xf16>, tensor<16xf16>) -> tensor<4x16xf16>
  %1 = nn.rms_norm %0, %g2 {axis = 0, epsilon = 0} : (tensor<4x16xf16>, tensor<4x16xf16>) -> tensor<4x16xf16>
  func.return %1 : tensor<4x16xf16>
}

// -----

// batch_norm's four parameters have shape [C], C = dim 1 of the input.

// CHECK-LABEL: func.func @batch_norm
// CHECK-NEXT:    %0 = nn.batch_norm %x, %s, %b, %m, %v : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %1 = nn.batch_norm %0, %s, %b, %m, %v {epsilon = 1.000000e-03 : f64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %2 = nn.batch_norm %y, %s, %b, %m, %v : (tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
func.func @batch_norm(%x: tensor<1x3x4x4xf32>, %y: tensor<5x3xf32>, %s: tensor<3xf32>,
                      %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<1x3x4x4xf32>, tensor<5x3xf32>) {
  %0 = nn.batch_norm %x, %s, %b, %m, %v : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %1 = nn.batch_norm %0, %s, %b, %m, %v {epsilon = 1.0e-03} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %2 = nn.batch_norm %y, %s, %b, %m, %v : (tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  func.return %1, %2 : tensor<1x3x4x4xf32>, tensor<5x3xf32>
}
