// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn.constant becomes a tensor-typed arith.constant with the same value.
func.func @dense() -> tensor<2x2xf32> {
  %c = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  func.return %c : tensor<2x2xf32>
}
// CHECK-LABEL: func.func @dense() -> tensor<2x2xf32> {
// CHECK-NEXT:   %c = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT:   func.return %c : tensor<2x2xf32>
// CHECK-NEXT: }

// -----

func.func @splat() -> tensor<f64> {
  %c = nn.constant dense<1.25e-01> : tensor<f64>
  func.return %c : tensor<f64>
}
// CHECK-LABEL: func.func @splat() -> tensor<f64> {
// CHECK-NEXT:   %c = arith.constant dense<1.250000e-01> : tensor<f64>
// CHECK-NEXT:   func.return %c : tensor<f64>
// CHECK-NEXT: }

// -----

// A constant used by a compute is read like any other tensor.
func.func @used(%x: tensor<2xf16>) -> tensor<2xf16> {
  %c = nn.constant dense<[1.0, -1.0]> : tensor<2xf16>
  %r = nn.mul %x, %c : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
  func.return %r : tensor<2xf16>
}
// CHECK-LABEL: func.func @used(%x: tensor<2xf16>) -> tensor<2xf16> {
// CHECK-NEXT:   %c = arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf16>
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xf16> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<2xf16>
// CHECK-NEXT:     %[[C:[0-9]+]] = tensor.read %c[%[[D0]]] : tensor<2xf16>
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[X]], %[[C]] : f16
// CHECK-NEXT:     tensor.yield %[[MULF]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2xf16>
// CHECK-NEXT: }

// -----

// A resource keeps its handle, and the module still prints the blob.
func.func @resource() -> tensor<2xf32> {
  %w = nn.constant dense_resource<w1> : tensor<2xf32>
  func.return %w : tensor<2xf32>
}
// CHECK-LABEL: func.func @resource() -> tensor<2xf32> {
// CHECK-NEXT:   %w = arith.constant dense_resource<w1> : tensor<2xf32>
// CHECK-NEXT:   func.return %w : tensor<2xf32>
// CHECK-NEXT: }
// CHECK:      dialect_resources: {
// CHECK-NEXT:   builtin: {
// CHECK-NEXT:     w1: "0x040000000000803F00000040"

{-#
  dialect_resources: {
    builtin: {
      w1: "0x040000000000803F00000040"
    }
  }
#-}
