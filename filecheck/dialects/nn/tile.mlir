// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// nn.tile (dlc/dialects/nn/tile.py): one count per dim, 0 empties the dim; any
// element type.

// CHECK-LABEL: func.func @tile
// CHECK-NEXT:    %0 = nn.tile %x {repeats = array<i64: 2, 1, 3>} : tensor<2x3x4xf32> -> tensor<4x3x12xf32>
// CHECK-NEXT:    %1 = nn.tile %x {repeats = array<i64: 1, 0, 1>} : tensor<2x3x4xf32> -> tensor<2x0x4xf32>
// CHECK-NEXT:    %2 = nn.tile %s {repeats = array<i64>} : tensor<f64> -> tensor<f64>
// CHECK-NEXT:    %3 = nn.tile %i {repeats = array<i64: 3>} : tensor<2xi64> -> tensor<6xi64>
// CHECK-NEXT:    %4 = nn.tile %b {repeats = array<i64: 1, 2>} : tensor<2x1xi1> -> tensor<2x2xi1>
func.func @tile(%x: tensor<2x3x4xf32>, %s: tensor<f64>, %i: tensor<2xi64>, %b: tensor<2x1xi1>)
    -> (tensor<4x3x12xf32>, tensor<2x0x4xf32>, tensor<f64>, tensor<6xi64>, tensor<2x2xi1>) {
  %0 = nn.tile %x {repeats = array<i64: 2, 1, 3>} : tensor<2x3x4xf32> -> tensor<4x3x12xf32>
  %1 = nn.tile %x {repeats = array<i64: 1, 0, 1>} : tensor<2x3x4xf32> -> tensor<2x0x4xf32>
  %2 = nn.tile %s {repeats = array<i64>} : tensor<f64> -> tensor<f64>
  %3 = nn.tile %i {repeats = array<i64: 3>} : tensor<2xi64> -> tensor<6xi64>
  %4 = nn.tile %b {repeats = array<i64: 1, 2>} : tensor<2x1xi1> -> tensor<2x2xi1>
  func.return %0, %1, %2, %3, %4 : tensor<4x3x12xf32>, tensor<2x0x4xf32>, tensor<f64>, tensor<6xi64>, tensor<2x2xi1>
}
