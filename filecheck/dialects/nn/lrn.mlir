// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// nn.lrn (dlc/dialects/nn/lrn.py) printed and parsed again in custom and generic
// form. size is required; alpha, beta and bias at their defaults are not printed.

// CHECK-LABEL: func.func @lrn
// CHECK-NEXT:    %0 = nn.lrn %x {size = 5 : i64} : tensor<1x16x8x8xf32>
// CHECK-NEXT:    %1 = nn.lrn %0 {size = 2 : i64, alpha = 2.000000e-05 : f64, beta = 5.000000e-01 : f64, bias = 2.000000e+00 : f64} : tensor<1x16x8x8xf32>
// CHECK-NEXT:    %2 = nn.lrn %1 {size = 3 : i64} : tensor<1x16x8x8xf32>
// CHECK-NEXT:    %3 = nn.lrn %h {size = 1 : i64, bias = 1 : i64} : tensor<2x3xf16>
func.func @lrn(%x: tensor<1x16x8x8xf32>, %h: tensor<2x3xf16>)
    -> (tensor<1x16x8x8xf32>, tensor<2x3xf16>) {
  %0 = nn.lrn %x {size = 5} : tensor<1x16x8x8xf32>
  %1 = nn.lrn %0 {size = 2, alpha = 2.0e-05, beta = 0.5, bias = 2.0} : tensor<1x16x8x8xf32>
  %2 = nn.lrn %1 {size = 3, alpha = 1.0e-4, beta = 0.75, bias = 1.0} : tensor<1x16x8x8xf32>
  %3 = nn.lrn %h {size = 1, bias = 1} : tensor<2x3xf16>
  func.return %2, %3 : tensor<1x16x8x8xf32>, tensor<2x3xf16>
}
