// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn.einsum is one compute: the output letters are its output dims, the summed
// letters its reduce-add dims (in order of first appearance), and the body
// multiplies one read of each operand at the indices of its letters.

func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %r = nn.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  func.return %r : tensor<2x4xf32>
}
// CHECK-LABEL: func.func @matmul
// CHECK-NEXT:   %r = tensor.compute (%i, %k) reduce add (%j) in [3] init 0.000000e+00 : tensor<2x4xf32> {
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%i, %j] : tensor<2x3xf32>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%j, %k] : tensor<3x4xf32>
// CHECK-NEXT:     %[[P:[0-9]+]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[P]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x4xf32>

// -----

// Three operands, two summed letters; the implicit output is the letter seen once.
func.func @chain(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4xf32>) -> tensor<2xf32> {
  %r = nn.einsum %a, %b, %c {equation = "ij,jk,k"} : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2xf32>
  func.return %r : tensor<2xf32>
}
// CHECK-LABEL: func.func @chain
// CHECK-NEXT:   %r = tensor.compute (%i) reduce add (%j, %k) in [3, 4] init 0.000000e+00 : tensor<2xf32> {
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%i, %j] : tensor<2x3xf32>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%j, %k] : tensor<3x4xf32>
// CHECK-NEXT:     %[[AB:[0-9]+]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT:     %[[C:[0-9]+]] = tensor.read %c[%k] : tensor<4xf32>
// CHECK-NEXT:     %[[ABC:[0-9]+]] = arith.mulf %[[AB]], %[[C]] : f32
// CHECK-NEXT:     tensor.yield %[[ABC]] : f32

// -----

// A repeated letter reads the diagonal: the trace sums m[i, i].
func.func @trace(%m: tensor<3x3xf64>) -> tensor<f64> {
  %r = nn.einsum %m {equation = "ii"} : (tensor<3x3xf64>) -> tensor<f64>
  func.return %r : tensor<f64>
}
// CHECK-LABEL: func.func @trace
// CHECK-NEXT:   %r = tensor.compute () reduce add (%i) in [3] init 0.000000e+00 : tensor<f64> {
// CHECK-NEXT:     %[[D:[0-9]+]] = tensor.read %m[%i, %i] : tensor<3x3xf64>
// CHECK-NEXT:     tensor.yield %[[D]] : f64

// -----

// Nothing summed: a compute without reduction (here an outer product, transposed).
func.func @outer(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<3x2xf32> {
  %r = nn.einsum %a, %b {equation = "i,j->ji"} : (tensor<2xf32>, tensor<3xf32>) -> tensor<3x2xf32>
  func.return %r : tensor<3x2xf32>
}
// CHECK-LABEL: func.func @outer
// CHECK-NEXT:   %r = tensor.compute (%j, %i) : tensor<3x2xf32> {
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%i] : tensor<2xf32>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%j] : tensor<3xf32>
// CHECK-NEXT:     %[[P:[0-9]+]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[P]] : f32

// -----

// The dims under '...' are %e0, %e1, ...; an operand's size-1 dim under a wider
// '...' is read at 0, and an operand with fewer of them takes the last ones.
func.func @ellipsis(%x: tensor<5x1x3xf32>, %y: tensor<2x3xf32>) -> tensor<5x2xf32> {
  %r = nn.einsum %x, %y {equation = "...i,...i"} : (tensor<5x1x3xf32>, tensor<2x3xf32>) -> tensor<5x2xf32>
  func.return %r : tensor<5x2xf32>
}
// CHECK-LABEL: func.func @ellipsis
// CHECK-NEXT:   %r = tensor.compute (%e0, %e1) reduce add (%i) in [3] init 0.000000e+00 : tensor<5x2xf32> {
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%e0, %[[C0]], %i] : tensor<5x1x3xf32>
// CHECK-NEXT:     %[[Y:[0-9]+]] = tensor.read %y[%e1, %i] : tensor<2x3xf32>
// CHECK-NEXT:     %[[P:[0-9]+]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK-NEXT:     tensor.yield %[[P]] : f32
