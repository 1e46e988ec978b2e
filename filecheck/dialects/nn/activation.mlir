// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// The float activations of dlc/dialects/nn/activation.py, printed and parsed again
// in custom and in generic form.

// Ops without parameters print their operand type once.

// CHECK-LABEL: func.func @plain
// CHECK-NEXT:    %0 = nn.erf %x : tensor<4x8xf32>
// CHECK-NEXT:    %1 = nn.abs %0 : tensor<4x8xf32>
// CHECK-NEXT:    %2 = nn.reciprocal %1 : tensor<4x8xf32>
// CHECK-NEXT:    %3 = nn.softplus %2 : tensor<4x8xf32>
// CHECK-NEXT:    %4 = nn.hard_swish %3 : tensor<4x8xf32>
// CHECK-NEXT:    %5 = nn.floor %4 : tensor<4x8xf32>
// CHECK-NEXT:    %6 = nn.ceil %5 : tensor<4x8xf32>
// CHECK-NEXT:    %7 = nn.sin %6 : tensor<4x8xf32>
// CHECK-NEXT:    %8 = nn.cos %7 : tensor<4x8xf32>
// CHECK-NEXT:    func.return %8 : tensor<4x8xf32>
func.func @plain(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = nn.erf %x : tensor<4x8xf32>
  %1 = nn.abs %0 : tensor<4x8xf32>
  %2 = nn.reciprocal %1 : tensor<4x8xf32>
  %3 = nn.softplus %2 : tensor<4x8xf32>
  %4 = nn.hard_swish %3 : tensor<4x8xf32>
  %5 = nn.floor %4 : tensor<4x8xf32>
  %6 = nn.ceil %5 : tensor<4x8xf32>
  %7 = nn.sin %6 : tensor<4x8xf32>
  %8 = nn.cos %7 : tensor<4x8xf32>
  func.return %8 : tensor<4x8xf32>
}

// -----

// Rank 0, f16 and f64; abs also takes integers.

// CHECK-LABEL: func.func @widths
// CHECK-NEXT:    %0 = nn.erf %s : tensor<f32>
// CHECK-NEXT:    %1 = nn.softplus %h : tensor<3xf16>
// CHECK-NEXT:    %2 = nn.cos %d : tensor<1x2xf64>
// CHECK-NEXT:    %3 = nn.abs %i : tensor<5xi32>
func.func @widths(%s: tensor<f32>, %h: tensor<3xf16>, %d: tensor<1x2xf64>, %i: tensor<5xi32>)
    -> (tensor<f32>, tensor<3xf16>, tensor<1x2xf64>, tensor<5xi32>) {
  %0 = nn.erf %s : tensor<f32>
  %1 = nn.softplus %h : tensor<3xf16>
  %2 = nn.cos %d : tensor<1x2xf64>
  %3 = nn.abs %i : tensor<5xi32>
  func.return %0, %1, %2, %3 : tensor<f32>, tensor<3xf16>, tensor<1x2xf64>, tensor<5xi32>
}

// -----

// Parameters are f64 (an integer is accepted too); one at its default is not
// printed.

// CHECK-LABEL: func.func @parameters
// CHECK-NEXT:    %0 = nn.hard_sigmoid %x {alpha = 2.500000e-01 : f64, beta = 0.000000e+00 : f64} : tensor<4xf32>
// CHECK-NEXT:    %1 = nn.hard_sigmoid %0 : tensor<4xf32>
// CHECK-NEXT:    %2 = nn.hard_sigmoid %1 {beta = 1 : i64} : tensor<4xf32>
// CHECK-NEXT:    %3 = nn.elu %2 {alpha = 5.000000e-01 : f64} : tensor<4xf32>
// CHECK-NEXT:    %4 = nn.elu %3 : tensor<4xf32>
// CHECK-NEXT:    %5 = nn.selu %4 {alpha = 2.000000e+00 : f64, gamma = 3.000000e+00 : f64} : tensor<4xf32>
// CHECK-NEXT:    %6 = nn.selu %5 : tensor<4xf32>
// CHECK-NEXT:    %7 = nn.selu %6 {gamma = -1.000000e+00 : f64} : tensor<4xf32>
func.func @parameters(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.hard_sigmoid %x {alpha = 0.25, beta = 0.0} : tensor<4xf32>
  %1 = nn.hard_sigmoid %0 {alpha = 0.2, beta = 0.5} : tensor<4xf32>
  %2 = nn.hard_sigmoid %1 {beta = 1} : tensor<4xf32>
  %3 = nn.elu %2 {alpha = 0.5} : tensor<4xf32>
  %4 = nn.elu %3 {alpha = 1.0} : tensor<4xf32>
  %5 = nn.selu %4 {alpha = 2.0, gamma = 3.0} : tensor<4xf32>
  %6 = nn.selu %5 {alpha = 1.6732632423543772, gamma = 1.0507009873554805} : tensor<4xf32>
  %7 = nn.selu %6 {gamma = -1.0} : tensor<4xf32>
  func.return %7 : tensor<4xf32>
}

// -----

// prelu's slope broadcasts to the input's shape: fewer dims, size-1 dims, rank 0.

// CHECK-LABEL: func.func @prelu
// CHECK-NEXT:    %0 = nn.prelu %x, %c : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %1 = nn.prelu %0, %s : (tensor<1x3x4x4xf32>, tensor<f32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %2 = nn.prelu %1, %x : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %3 = nn.prelu %h, %h : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
func.func @prelu(%x: tensor<1x3x4x4xf32>, %c: tensor<3x1x1xf32>, %s: tensor<f32>,
                 %h: tensor<2xf16>) -> (tensor<1x3x4x4xf32>, tensor<2xf16>) {
  %0 = nn.prelu %x, %c : (tensor<1x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<1x3x4x4xf32>
  %1 = nn.prelu %0, %s : (tensor<1x3x4x4xf32>, tensor<f32>) -> tensor<1x3x4x4xf32>
  %2 = nn.prelu %1, %x : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %3 = nn.prelu %h, %h : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
  func.return %2, %3 : tensor<1x3x4x4xf32>, tensor<2xf16>
}
