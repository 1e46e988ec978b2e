// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn.tile is one compute whose read wraps each tiled index modulo the input's
// size; a dim repeated once keeps its index and a size-1 dim is read at 0.

func.func @tile(%x: tensor<3x4x1xf32>) -> tensor<6x4x5xf32> {
  %t = nn.tile %x {repeats = array<i64: 2, 1, 5>} : tensor<3x4x1xf32> -> tensor<6x4x5xf32>
  func.return %t : tensor<6x4x5xf32>
}
// CHECK-LABEL: func.func @tile
// CHECK-NEXT:   %t = tensor.compute (%i0, %i1, %i2) : tensor<6x4x5xf32> {
// CHECK-NEXT:     %[[C3:[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     %[[WRAP:[0-9]+]] = arith.remui %i0, %[[C3]] : index
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[V:[0-9]+]] = tensor.read %x[%[[WRAP]], %i1, %[[C0]]] : tensor<3x4x1xf32>
// CHECK-NEXT:     tensor.yield %[[V]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %t : tensor<6x4x5xf32>

// -----

func.func @scalar(%s: tensor<f16>) -> tensor<f16> {
  %t = nn.tile %s {repeats = array<i64>} : tensor<f16> -> tensor<f16>
  func.return %t : tensor<f16>
}
// CHECK-LABEL: func.func @scalar
// CHECK-NEXT:   %t = tensor.compute () : tensor<f16> {
// CHECK-NEXT:     %[[V:[0-9]+]] = tensor.read %s[] : tensor<f16>
// CHECK-NEXT:     tensor.yield %[[V]] : f16
