// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// nn.einsum (dlc/dialects/nn/einsum.py) printed and parsed again in custom and in
// generic form. The equation is kept as written, spaces included.

// CHECK-LABEL: func.func @contractions
// CHECK-NEXT:    %0 = nn.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %1 = nn.einsum %a, %b {equation = "ij, jk"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    %2 = nn.einsum %b, %a {equation = "jk,ij->ki"} : (tensor<3x4xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
// CHECK-NEXT:    %3 = nn.einsum %a, %a, %a {equation = "ij,ij,ij->"} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<f32>
func.func @contractions(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>)
    -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<4x2xf32>, tensor<f32>) {
  %0 = nn.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = nn.einsum %a, %b {equation = "ij, jk"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %2 = nn.einsum %b, %a {equation = "jk,ij->ki"} : (tensor<3x4xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  %3 = nn.einsum %a, %a, %a {equation = "ij,ij,ij->"} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<f32>
  func.return %0, %1, %2, %3 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<4x2xf32>, tensor<f32>
}

// -----

// One operand: a transpose, a trace, a diagonal; the implicit output sorts its
// letters in ASCII order (upper case first).

// CHECK-LABEL: func.func @one_operand
// CHECK-NEXT:    %0 = nn.einsum %m {equation = "ij->ji"} : (tensor<3x3xf64>) -> tensor<3x3xf64>
// CHECK-NEXT:    %1 = nn.einsum %m {equation = "ii"} : (tensor<3x3xf64>) -> tensor<f64>
// CHECK-NEXT:    %2 = nn.einsum %m {equation = "ii->i"} : (tensor<3x3xf64>) -> tensor<3xf64>
// CHECK-NEXT:    %3 = nn.einsum %r {equation = "bA"} : (tensor<2x5xf64>) -> tensor<5x2xf64>
func.func @one_operand(%m: tensor<3x3xf64>, %r: tensor<2x5xf64>)
    -> (tensor<3x3xf64>, tensor<f64>, tensor<3xf64>, tensor<5x2xf64>) {
  %0 = nn.einsum %m {equation = "ij->ji"} : (tensor<3x3xf64>) -> tensor<3x3xf64>
  %1 = nn.einsum %m {equation = "ii"} : (tensor<3x3xf64>) -> tensor<f64>
  %2 = nn.einsum %m {equation = "ii->i"} : (tensor<3x3xf64>) -> tensor<3xf64>
  %3 = nn.einsum %r {equation = "bA"} : (tensor<2x5xf64>) -> tensor<5x2xf64>
  func.return %0, %1, %2, %3 : tensor<3x3xf64>, tensor<f64>, tensor<3xf64>, tensor<5x2xf64>
}

// -----

// '...' broadcasts like numpy and comes first in an implicit output.

// CHECK-LABEL: func.func @ellipsis
// CHECK-NEXT:    %0 = nn.einsum %x, %y {equation = "...ij,...jk->...ik"} : (tensor<5x1x2x3xf16>, tensor<4x3x2xf16>) -> tensor<5x4x2x2xf16>
// CHECK-NEXT:    %1 = nn.einsum %x, %y {equation = "...ij,...jk"} : (tensor<5x1x2x3xf16>, tensor<4x3x2xf16>) -> tensor<5x4x2x2xf16>
// CHECK-NEXT:    %2 = nn.einsum %y {equation = "i...->...i"} : (tensor<4x3x2xf16>) -> tensor<3x2x4xf16>
func.func @ellipsis(%x: tensor<5x1x2x3xf16>, %y: tensor<4x3x2xf16>)
    -> (tensor<5x4x2x2xf16>, tensor<5x4x2x2xf16>, tensor<3x2x4xf16>) {
  %0 = nn.einsum %x, %y {equation = "...ij,...jk->...ik"} : (tensor<5x1x2x3xf16>, tensor<4x3x2xf16>) -> tensor<5x4x2x2xf16>
  %1 = nn.einsum %x, %y {equation = "...ij,...jk"} : (tensor<5x1x2x3xf16>, tensor<4x3x2xf16>) -> tensor<5x4x2x2xf16>
  %2 = nn.einsum %y {equation = "i...->...i"} : (tensor<4x3x2xf16>) -> tensor<3x2x4xf16>
  func.return %0, %1, %2 : tensor<5x4x2x2xf16>, tensor<5x4x2x2xf16>, tensor<3x2x4xf16>
}
