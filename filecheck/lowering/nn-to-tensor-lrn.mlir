// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn.lrn is two computes: the sum of squares over a window of channels (reads
// outside [0, C) give 0), then x / (bias + alpha / size * sum) ^ beta.

// An odd window reaches (size - 1) / 2 channels either side: channel c + k - 1.
func.func @odd(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %y = nn.lrn %x {size = 3} : tensor<1x4x2x2xf32>
  func.return %y : tensor<1x4x2x2xf32>
}
// CHECK-LABEL: func.func @odd
// CHECK-NEXT:   %square_sum = tensor.compute (%n, %c, %d0, %d1) reduce add (%k) in [3] init 0.000000e+00 : tensor<1x4x2x2xf32> {
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     %[[CK:[0-9]+]] = arith.addi %c, %k : index
// CHECK-NEXT:     %[[CH:[0-9]+]] = arith.subi %[[CK]], %[[ONE]] : index
// CHECK-NEXT:     %[[V:[0-9]+]] = tensor.read %x[%n, %[[CH]], %d0, %d1] pad 0.000000e+00 : tensor<1x4x2x2xf32>
// CHECK-NEXT:     %[[SQ:[0-9]+]] = arith.mulf %[[V]], %[[V]] : f32
// CHECK-NEXT:     tensor.yield %[[SQ]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %y = tensor.compute (%[[I0:[0-9]+]], %[[I1:[0-9]+]], %[[I2:[0-9]+]], %[[I3:[0-9]+]]) : tensor<1x4x2x2xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[I0]], %[[I1]], %[[I2]], %[[I3]]] : tensor<1x4x2x2xf32>
// CHECK-NEXT:     %[[SUM:[0-9]+]] = tensor.read %square_sum[%[[I0]], %[[I1]], %[[I2]], %[[I3]]] : tensor<1x4x2x2xf32>
// CHECK-NEXT:     %[[SCALE:[0-9]+]] = arith.constant 3.33333337e-05 : f32
// CHECK-NEXT:     %[[SCALED:[0-9]+]] = arith.mulf %[[SCALE]], %[[SUM]] : f32
// CHECK-NEXT:     %[[BIAS:[0-9]+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:     %[[BASE:[0-9]+]] = arith.addf %[[BIAS]], %[[SCALED]] : f32
// CHECK-NEXT:     %[[BETA:[0-9]+]] = arith.constant 7.500000e-01 : f32
// CHECK-NEXT:     %[[POW:[0-9]+]] = math.powf %[[BASE]], %[[BETA]] : f32
// CHECK-NEXT:     %[[Y:[0-9]+]] = arith.divf %[[X]], %[[POW]] : f32
// CHECK-NEXT:     tensor.yield %[[Y]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<1x4x2x2xf32>

// -----

// An even window has one channel more after c than before: size 4 reads c - 1 to
// c + 2. The properties become the constants of the formula.
func.func @even(%x: tensor<2x5xf64>) -> tensor<2x5xf64> {
  %y = nn.lrn %x {size = 4, alpha = 0.5, beta = 0.25, bias = 2.0} : tensor<2x5xf64>
  func.return %y : tensor<2x5xf64>
}
// CHECK-LABEL: func.func @even
// CHECK-NEXT:   tensor.compute (%n, %c) reduce add (%k) in [4] init 0.000000e+00 : tensor<2x5xf64> {
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     %[[CK:[0-9]+]] = arith.addi %c, %k : index
// CHECK-NEXT:     %[[CH:[0-9]+]] = arith.subi %[[CK]], %[[ONE]] : index
// CHECK-NEXT:     tensor.read %x[%n, %[[CH]]] pad 0.000000e+00 : tensor<2x5xf64>
// CHECK:        arith.constant 1.250000e-01 : f64
// CHECK:        arith.constant 2.000000e+00 : f64
// CHECK:        arith.constant 2.500000e-01 : f64

// -----

// A one-channel window never leaves the input: no pad, no offset.
func.func @single_channel(%x: tensor<1x3x2xf32>) -> tensor<1x3x2xf32> {
  %y = nn.lrn %x {size = 1} : tensor<1x3x2xf32>
  func.return %y : tensor<1x3x2xf32>
}
// CHECK-LABEL: func.func @single_channel
// CHECK-NEXT:   tensor.compute (%n, %c, %d0) reduce add (%k) in [1] init 0.000000e+00 : tensor<1x3x2xf32> {
// CHECK-NEXT:     %[[CK:[0-9]+]] = arith.addi %c, %k : index
// CHECK-NEXT:     %[[V:[0-9]+]] = tensor.read %x[%n, %[[CK]], %d0] : tensor<1x3x2xf32>
