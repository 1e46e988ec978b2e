// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// nn.gather (dlc/dialects/nn/indexing.py), printed and parsed again in custom and in
// generic form. The default axis 0 is not printed.

// CHECK-LABEL: func.func @gather
// CHECK-NEXT:    %0 = nn.gather %x, %i : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
// CHECK-NEXT:    %1 = nn.gather %x, %k {axis = -1 : i64} : (tensor<10x4xf32>, tensor<i32>) -> tensor<10xf32>
// CHECK-NEXT:    %2 = nn.gather %b, %k {axis = 1 : i64} : (tensor<2x5x3xi1>, tensor<i32>) -> tensor<2x3xi1>
// CHECK-NEXT:    %3 = nn.gather %x, %i : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
func.func @gather(%x: tensor<10x4xf32>, %i: tensor<2x3xi64>, %k: tensor<i32>,
                  %b: tensor<2x5x3xi1>)
    -> (tensor<2x3x4xf32>, tensor<10xf32>, tensor<2x3xi1>, tensor<2x3x4xf32>) {
  %0 = nn.gather %x, %i : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  %1 = nn.gather %x, %k {axis = -1} : (tensor<10x4xf32>, tensor<i32>) -> tensor<10xf32>
  %2 = nn.gather %b, %k {axis = 1} : (tensor<2x5x3xi1>, tensor<i32>) -> tensor<2x3xi1>
  %3 = nn.gather %x, %i {axis = 0} : (tensor<10x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  func.return %0, %1, %2, %3 : tensor<2x3x4xf32>, tensor<10xf32>, tensor<2x3xi1>, tensor<2x3x4xf32>
}
