// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// Unary ops print their operand type once; the result has the same type.

// CHECK-LABEL: func.func @unary
// CHECK-NEXT:    %0 = nn.relu %x : tensor<4x8xf32>
// CHECK-NEXT:    %1 = nn.sigmoid %0 : tensor<4x8xf32>
// CHECK-NEXT:    %2 = nn.tanh %1 : tensor<4x8xf32>
// CHECK-NEXT:    %3 = nn.exp %2 : tensor<4x8xf32>
// CHECK-NEXT:    %4 = nn.log %3 : tensor<4x8xf32>
// CHECK-NEXT:    %5 = nn.sqrt %4 : tensor<4x8xf32>
// CHECK-NEXT:    %6 = nn.rsqrt %5 : tensor<4x8xf32>
// CHECK-NEXT:    %7 = nn.neg %6 : tensor<4x8xf32>
// CHECK-NEXT:    func.return %7 : tensor<4x8xf32>
func.func @unary(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = nn.relu %x : tensor<4x8xf32>
  %1 = nn.sigmoid %0 : tensor<4x8xf32>
  %2 = nn.tanh %1 : tensor<4x8xf32>
  %3 = nn.exp %2 : tensor<4x8xf32>
  %4 = nn.log %3 : tensor<4x8xf32>
  %5 = nn.sqrt %4 : tensor<4x8xf32>
  %6 = nn.rsqrt %5 : tensor<4x8xf32>
  %7 = nn.neg %6 : tensor<4x8xf32>
  func.return %7 : tensor<4x8xf32>
}

// -----

// Rank 0 and the other float widths.

// CHECK-LABEL: func.func @unary_scalar_f16_f64
// CHECK-NEXT:    %0 = nn.exp %s : tensor<f32>
// CHECK-NEXT:    %1 = nn.tanh %h : tensor<3xf16>
// CHECK-NEXT:    %2 = nn.sigmoid %d : tensor<1x2xf64>
func.func @unary_scalar_f16_f64(%s: tensor<f32>, %h: tensor<3xf16>, %d: tensor<1x2xf64>)
    -> (tensor<f32>, tensor<3xf16>, tensor<1x2xf64>) {
  %0 = nn.exp %s : tensor<f32>
  %1 = nn.tanh %h : tensor<3xf16>
  %2 = nn.sigmoid %d : tensor<1x2xf64>
  func.return %0, %1, %2 : tensor<f32>, tensor<3xf16>, tensor<1x2xf64>
}

// -----

// alpha is an f64; an integer is accepted too. The default 0.01 is not printed.

// CHECK-LABEL: func.func @leaky_relu
// CHECK-NEXT:    %0 = nn.leaky_relu %x {alpha = 2.000000e-01 : f64} : tensor<4x8xf32>
// CHECK-NEXT:    %1 = nn.leaky_relu %0 {alpha = 2 : i64} : tensor<4x8xf32>
// CHECK-NEXT:    %2 = nn.leaky_relu %1 : tensor<4x8xf32>
// CHECK-NEXT:    %3 = nn.leaky_relu %2 : tensor<4x8xf32>
func.func @leaky_relu(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = nn.leaky_relu %x {alpha = 0.2} : tensor<4x8xf32>
  %1 = nn.leaky_relu %0 {alpha = 2} : tensor<4x8xf32>
  %2 = nn.leaky_relu %1 {alpha = 0.01} : tensor<4x8xf32>
  %3 = nn.leaky_relu %2 : tensor<4x8xf32>
  func.return %3 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @gelu
// CHECK-NEXT:    %0 = nn.gelu %x {approximate = "tanh"} : tensor<8x16xf32>
// CHECK-NEXT:    %1 = nn.gelu %0 : tensor<8x16xf32>
// CHECK-NEXT:    %2 = nn.gelu %1 : tensor<8x16xf32>
func.func @gelu(%x: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = nn.gelu %x {approximate = "tanh"} : tensor<8x16xf32>
  %1 = nn.gelu %0 {approximate = "none"} : tensor<8x16xf32>
  %2 = nn.gelu %1 : tensor<8x16xf32>
  func.return %2 : tensor<8x16xf32>
}

// -----

// Either bound may be left out; min == max is allowed.

// CHECK-LABEL: func.func @clip
// CHECK-NEXT:    %0 = nn.clip %x {min = 0.000000e+00 : f64, max = 6.000000e+00 : f64} : tensor<4x8xf32>
// CHECK-NEXT:    %1 = nn.clip %0 {min = -1.000000e+00 : f64} : tensor<4x8xf32>
// CHECK-NEXT:    %2 = nn.clip %1 {max = 1 : i64} : tensor<4x8xf32>
// CHECK-NEXT:    %3 = nn.clip %2 {min = 5.000000e-01 : f64, max = 5.000000e-01 : f64} : tensor<4x8xf32>
// CHECK-NEXT:    %4 = nn.clip %3 : tensor<4x8xf32>
func.func @clip(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = nn.clip %x {min = 0.0, max = 6.0} : tensor<4x8xf32>
  %1 = nn.clip %0 {min = -1.0} : tensor<4x8xf32>
  %2 = nn.clip %1 {max = 1} : tensor<4x8xf32>
  %3 = nn.clip %2 {min = 0.5, max = 0.5} : tensor<4x8xf32>
  %4 = nn.clip %3 : tensor<4x8xf32>
  func.return %4 : tensor<4x8xf32>
}

// -----

// Binary ops print their functional type: numpy broadcasting makes the result
// type more than a copy of one operand's.

// CHECK-LABEL: func.func @binary
// CHECK-NEXT:    %0 = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %1 = nn.sub %0, %b : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %2 = nn.mul %a, %1 : (tensor<4x1xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %3 = nn.div %2, %s : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %4 = nn.pow %s, %3 : (tensor<f32>, tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %5 = nn.maximum %4, %3 : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %6 = nn.minimum %5, %a : (tensor<4x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
func.func @binary(%a: tensor<4x1xf32>, %b: tensor<3xf32>, %s: tensor<f32>) -> tensor<4x3xf32> {
  %0 = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %1 = nn.sub %0, %b : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %2 = nn.mul %a, %1 : (tensor<4x1xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %3 = nn.div %2, %s : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %4 = nn.pow %s, %3 : (tensor<f32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %5 = nn.maximum %4, %3 : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %6 = nn.minimum %5, %a : (tensor<4x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  func.return %6 : tensor<4x3xf32>
}

// -----

// Both operands rank 0; size-1 dims on both sides; f16 and f64.

// CHECK-LABEL: func.func @binary_shapes
// CHECK-NEXT:    %0 = nn.add %s, %s : (tensor<f64>, tensor<f64>) -> tensor<f64>
// CHECK-NEXT:    %1 = nn.mul %p, %q : (tensor<2x1x5xf16>, tensor<7x1xf16>) -> tensor<2x7x5xf16>
func.func @binary_shapes(%s: tensor<f64>, %p: tensor<2x1x5xf16>, %q: tensor<7x1xf16>)
    -> (tensor<f64>, tensor<2x7x5xf16>) {
  %0 = nn.add %s, %s : (tensor<f64>, tensor<f64>) -> tensor<f64>
  %1 = nn.mul %p, %q : (tensor<2x1x5xf16>, tensor<7x1xf16>) -> tensor<2x7x5xf16>
  func.return %0, %1 : tensor<f64>, tensor<2x7x5xf16>
}
