// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// Every nn op, with every property spelled, printed and parsed again in custom
// and in generic form. Sections follow the op families of dlc/dialects/nn/.

// ===== elementwise ===========================================================

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

// Either bound may be left out; min == max and min > max (max everywhere) are allowed.

// CHECK-LABEL: func.func @clip
// CHECK-NEXT:    %0 = nn.clip %x {min = 0.000000e+00 : f64, max = 6.000000e+00 : f64} : tensor<4x8xf32>
// CHECK-NEXT:    %1 = nn.clip %0 {min = -1.000000e+00 : f64} : tensor<4x8xf32>
// CHECK-NEXT:    %2 = nn.clip %1 {max = 1 : i64} : tensor<4x8xf32>
// CHECK-NEXT:    %3 = nn.clip %2 {min = 5.000000e-01 : f64, max = 5.000000e-01 : f64} : tensor<4x8xf32>
// CHECK-NEXT:    %4 = nn.clip %3 : tensor<4x8xf32>
// CHECK-NEXT:    %5 = nn.clip %4 {min = 6.000000e+00 : f64, max = 0.000000e+00 : f64} : tensor<4x8xf32>
func.func @clip(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = nn.clip %x {min = 0.0, max = 6.0} : tensor<4x8xf32>
  %1 = nn.clip %0 {min = -1.0} : tensor<4x8xf32>
  %2 = nn.clip %1 {max = 1} : tensor<4x8xf32>
  %3 = nn.clip %2 {min = 0.5, max = 0.5} : tensor<4x8xf32>
  %4 = nn.clip %3 : tensor<4x8xf32>
  %5 = nn.clip %4 {min = 6.0, max = 0.0} : tensor<4x8xf32>
  func.return %5 : tensor<4x8xf32>
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
// CHECK-NEXT:    %7 = nn.pow %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
func.func @binary(%a: tensor<4x1xf32>, %b: tensor<3xf32>, %s: tensor<f32>, %i: tensor<3xi64>) -> tensor<4x3xf32> {
  %0 = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %1 = nn.sub %0, %b : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %2 = nn.mul %a, %1 : (tensor<4x1xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %3 = nn.div %2, %s : (tensor<4x3xf32>, tensor<f32>) -> tensor<4x3xf32>
  %4 = nn.pow %s, %3 : (tensor<f32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %5 = nn.maximum %4, %3 : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %6 = nn.minimum %5, %a : (tensor<4x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  %7 = nn.pow %i, %i : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
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

// -----

// Arithmetic on signless integers: i8, i32, i64.

// CHECK-LABEL: func.func @integer_arithmetic
// CHECK-NEXT:    %0 = nn.neg %x : tensor<4xi32>
// CHECK-NEXT:    %1 = nn.add %0, %s : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
// CHECK-NEXT:    %2 = nn.sub %1, %x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK-NEXT:    %3 = nn.mul %2, %x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
// CHECK-NEXT:    %4 = nn.div %3, %s : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
// CHECK-NEXT:    %5 = nn.maximum %b, %b : (tensor<2x1xi8>, tensor<2x1xi8>) -> tensor<2x1xi8>
// CHECK-NEXT:    %6 = nn.minimum %l, %l : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
func.func @integer_arithmetic(%x: tensor<4xi32>, %s: tensor<i32>, %b: tensor<2x1xi8>,
                              %l: tensor<3xi64>)
    -> (tensor<4xi32>, tensor<2x1xi8>, tensor<3xi64>) {
  %0 = nn.neg %x : tensor<4xi32>
  %1 = nn.add %0, %s : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %2 = nn.sub %1, %x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = nn.mul %2, %x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %4 = nn.div %3, %s : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %5 = nn.maximum %b, %b : (tensor<2x1xi8>, tensor<2x1xi8>) -> tensor<2x1xi8>
  %6 = nn.minimum %l, %l : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  func.return %4, %5, %6 : tensor<4xi32>, tensor<2x1xi8>, tensor<3xi64>
}

// -----

// ===== reduction =============================================================

// axes may be negative and in any order; without keepdims the reduced dims go away.

// CHECK-LABEL: func.func @reduce
// CHECK-NEXT:    %0 = nn.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
// CHECK-NEXT:    %1 = nn.reduce_mean %x {axes = array<i64: -1, 0>} : tensor<2x3x4xf32> -> tensor<3xf32>
// CHECK-NEXT:    %2 = nn.reduce_max %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
func.func @reduce(%x: tensor<2x3x4xf32>) -> (tensor<2x4xf32>, tensor<3xf32>, tensor<f32>) {
  %0 = nn.reduce_sum %x {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %1 = nn.reduce_mean %x {axes = array<i64: -1, 0>} : tensor<2x3x4xf32> -> tensor<3xf32>
  %2 = nn.reduce_max %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
  func.return %0, %1, %2 : tensor<2x4xf32>, tensor<3xf32>, tensor<f32>
}

// -----

// keepdims keeps each reduced dim with size 1.

// CHECK-LABEL: func.func @reduce_keepdims
// CHECK-NEXT:    %0 = nn.reduce_sum %x {axes = array<i64: -1>, keepdims} : tensor<4x5xf32> -> tensor<4x1xf32>
// CHECK-NEXT:    %1 = nn.reduce_mean %x {axes = array<i64: 0, 1>, keepdims} : tensor<4x5xf32> -> tensor<1x1xf32>
// CHECK-NEXT:    %2 = nn.reduce_max %x {axes = array<i64: -2>, keepdims} : tensor<4x5xf32> -> tensor<1x5xf32>
func.func @reduce_keepdims(%x: tensor<4x5xf32>)
    -> (tensor<4x1xf32>, tensor<1x1xf32>, tensor<1x5xf32>) {
  %0 = nn.reduce_sum %x {axes = array<i64: -1>, keepdims} : tensor<4x5xf32> -> tensor<4x1xf32>
  %1 = nn.reduce_mean %x {axes = array<i64: 0, 1>, keepdims} : tensor<4x5xf32> -> tensor<1x1xf32>
  %2 = nn.reduce_max %x {axes = array<i64: -2>, keepdims} : tensor<4x5xf32> -> tensor<1x5xf32>
  func.return %0, %1, %2 : tensor<4x1xf32>, tensor<1x1xf32>, tensor<1x5xf32>
}

// -----

// Size-1 dims, f16 and f64.

// CHECK-LABEL: func.func @reduce_widths
// CHECK-NEXT:    %0 = nn.reduce_sum %h {axes = array<i64: 0>} : tensor<1x7xf16> -> tensor<7xf16>
// CHECK-NEXT:    %1 = nn.reduce_max %d {axes = array<i64: 1>, keepdims} : tensor<3x1xf64> -> tensor<3x1xf64>
func.func @reduce_widths(%h: tensor<1x7xf16>, %d: tensor<3x1xf64>)
    -> (tensor<7xf16>, tensor<3x1xf64>) {
  %0 = nn.reduce_sum %h {axes = array<i64: 0>} : tensor<1x7xf16> -> tensor<7xf16>
  %1 = nn.reduce_max %d {axes = array<i64: 1>, keepdims} : tensor<3x1xf64> -> tensor<3x1xf64>
  func.return %0, %1 : tensor<7xf16>, tensor<3x1xf64>
}

// -----

// reduce_min and reduce_prod; sums and products of integers, max and min of
// booleans too.

// CHECK-LABEL: func.func @reduce_min_prod_integers
// CHECK-NEXT:    %0 = nn.reduce_min %x {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<2xf32>
// CHECK-NEXT:    %1 = nn.reduce_prod %x {axes = array<i64: 0>, keepdims} : tensor<2x3xf32> -> tensor<1x3xf32>
// CHECK-NEXT:    %2 = nn.reduce_sum %i {axes = array<i64: -1>} : tensor<2x3xi64> -> tensor<2xi64>
// CHECK-NEXT:    %3 = nn.reduce_prod %i {axes = array<i64: 0, 1>} : tensor<2x3xi64> -> tensor<i64>
// CHECK-NEXT:    %4 = nn.reduce_max %b {axes = array<i64: 0>} : tensor<2x3xi1> -> tensor<3xi1>
// CHECK-NEXT:    %5 = nn.reduce_min %b {axes = array<i64: 0>} : tensor<2x3xi1> -> tensor<3xi1>
func.func @reduce_min_prod_integers(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>, %b: tensor<2x3xi1>)
    -> (tensor<2xf32>, tensor<1x3xf32>, tensor<2xi64>, tensor<i64>, tensor<3xi1>, tensor<3xi1>) {
  %0 = nn.reduce_min %x {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<2xf32>
  %1 = nn.reduce_prod %x {axes = array<i64: 0>, keepdims} : tensor<2x3xf32> -> tensor<1x3xf32>
  %2 = nn.reduce_sum %i {axes = array<i64: -1>} : tensor<2x3xi64> -> tensor<2xi64>
  %3 = nn.reduce_prod %i {axes = array<i64: 0, 1>} : tensor<2x3xi64> -> tensor<i64>
  %4 = nn.reduce_max %b {axes = array<i64: 0>} : tensor<2x3xi1> -> tensor<3xi1>
  %5 = nn.reduce_min %b {axes = array<i64: 0>} : tensor<2x3xi1> -> tensor<3xi1>
  func.return %0, %1, %2, %3, %4, %5 : tensor<2xf32>, tensor<1x3xf32>, tensor<2xi64>, tensor<i64>, tensor<3xi1>, tensor<3xi1>
}

// -----

// ===== normalization =========================================================

// softmax and log_softmax keep their input's type; axis defaults to -1, which is
// not printed.

// CHECK-LABEL: func.func @softmax
// CHECK-NEXT:    %0 = nn.softmax %x {axis = 0 : i64} : tensor<64x10xf32>
// CHECK-NEXT:    %1 = nn.softmax %0 : tensor<64x10xf32>
// CHECK-NEXT:    %2 = nn.softmax %1 : tensor<64x10xf32>
// CHECK-NEXT:    %3 = nn.log_softmax %2 {axis = -2 : i64} : tensor<64x10xf32>
// CHECK-NEXT:    %4 = nn.log_softmax %3 : tensor<64x10xf32>
func.func @softmax(%x: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = nn.softmax %x {axis = 0} : tensor<64x10xf32>
  %1 = nn.softmax %0 {axis = -1} : tensor<64x10xf32>
  %2 = nn.softmax %1 : tensor<64x10xf32>
  %3 = nn.log_softmax %2 {axis = -2} : tensor<64x10xf32>
  %4 = nn.log_softmax %3 : tensor<64x10xf32>
  func.return %4 : tensor<64x10xf32>
}

// -----

// layer_norm's scale and bias have the normalized dims [axis, rank); epsilon
// defaults to 1e-5.

// CHECK-LABEL: func.func @layer_norm
// CHECK-NEXT:    %0 = nn.layer_norm %x, %g, %b : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
// CHECK-NEXT:    %1 = nn.layer_norm %0, %g2, %b2 {axis = 1 : i64, epsilon = 1.000000e-06 : f64} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
// CHECK-NEXT:    %2 = nn.layer_norm %1, %g2, %b2 {axis = -2 : i64} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
// CHECK-NEXT:    %3 = nn.layer_norm %2, %g, %b : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
func.func @layer_norm(%x: tensor<2x8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>,
                      %g2: tensor<8x16xf32>, %b2: tensor<8x16xf32>) -> tensor<2x8x16xf32> {
  %0 = nn.layer_norm %x, %g, %b : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  %1 = nn.layer_norm %0, %g2, %b2 {axis = 1, epsilon = 1.0e-06} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
  %2 = nn.layer_norm %1, %g2, %b2 {axis = -2} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<2x8x16xf32>
  %3 = nn.layer_norm %2, %g, %b {axis = -1, epsilon = 1.0e-05} : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  func.return %3 : tensor<2x8x16xf32>
}

// -----

// CHECK-LABEL: func.func @rms_norm
// CHECK-NEXT:    %0 = nn.rms_norm %x, %g : (tensor<4x16xf16>, tensor<16xf16>) -> tensor<4x16xf16>
// CHECK-NEXT:    %1 = nn.rms_norm %0, %g2 {axis = 0 : i64, epsilon = 0 : i64} : (tensor<4x16xf16>, tensor<4x16xf16>) -> tensor<4x16xf16>
func.func @rms_norm(%x: tensor<4x16xf16>, %g: tensor<16xf16>, %g2: tensor<4x16xf16>)
    -> tensor<4x16xf16> {
  %0 = nn.rms_norm %x, %g : (tensor<4x16xf16>, tensor<16xf16>) -> tensor<4x16xf16>
  %1 = nn.rms_norm %0, %g2 {axis = 0, epsilon = 0} : (tensor<4x16xf16>, tensor<4x16xf16>) -> tensor<4x16xf16>
  func.return %1 : tensor<4x16xf16>
}

// -----

// batch_norm's four parameters have shape [C], C = dim 1 of the input.

// CHECK-LABEL: func.func @batch_norm
// CHECK-NEXT:    %0 = nn.batch_norm %x, %s, %b, %m, %v : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %1 = nn.batch_norm %0, %s, %b, %m, %v {epsilon = 1.000000e-03 : f64} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NEXT:    %2 = nn.batch_norm %y, %s, %b, %m, %v : (tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
func.func @batch_norm(%x: tensor<1x3x4x4xf32>, %y: tensor<5x3xf32>, %s: tensor<3xf32>,
                      %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<1x3x4x4xf32>, tensor<5x3xf32>) {
  %0 = nn.batch_norm %x, %s, %b, %m, %v : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %1 = nn.batch_norm %0, %s, %b, %m, %v {epsilon = 1.0e-03} : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  %2 = nn.batch_norm %y, %s, %b, %m, %v : (tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  func.return %1, %2 : tensor<1x3x4x4xf32>, tensor<5x3xf32>
}

// -----

// ===== contraction ===========================================================

// nn.matmul follows numpy: batch dims broadcast, 1-D operands are promoted and the
// promoted dim is dropped from the result.

// CHECK-LABEL: func.func @matmul
// CHECK-NEXT: %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
// CHECK-NEXT: %1 = nn.matmul %c, %d : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
// CHECK-NEXT: %2 = nn.matmul %v, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
// CHECK-NEXT: %3 = nn.matmul %a, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
// CHECK-NEXT: %4 = nn.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
// CHECK-NEXT: %5 = nn.matmul %e, %e : (tensor<2x2xf64>, tensor<2x2xf64>) -> tensor<2x2xf64>
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x1x3x4xf32>,
                  %d: tensor<5x4x6xf32>, %v: tensor<4xf32>, %e: tensor<2x2xf64>) {
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %1 = nn.matmul %c, %d : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  %2 = nn.matmul %v, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %3 = nn.matmul %a, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  %4 = nn.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %5 = nn.matmul %e, %e : (tensor<2x2xf64>, tensor<2x2xf64>) -> tensor<2x2xf64>
  func.return
}

// -----

// nn.dense takes an optional bias; without it the operand list simply ends.

// CHECK-LABEL: func.func @dense
// CHECK-NEXT: %0 = nn.dense %x, %w, %b : (tensor<64x784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<64x512xf32>
// CHECK-NEXT: %1 = nn.dense %x, %w : (tensor<64x784xf32>, tensor<784x512xf32>) -> tensor<64x512xf32>
// CHECK-NEXT: %2 = nn.dense %s, %w : (tensor<2x3x784xf32>, tensor<784x512xf32>) -> tensor<2x3x512xf32>
// CHECK-NEXT: %3 = nn.dense %v, %w, %b : (tensor<784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<512xf32>
func.func @dense(%x: tensor<64x784xf32>, %w: tensor<784x512xf32>, %b: tensor<512xf32>,
                 %s: tensor<2x3x784xf32>, %v: tensor<784xf32>) {
  %0 = nn.dense %x, %w, %b : (tensor<64x784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<64x512xf32>
  %1 = nn.dense %x, %w : (tensor<64x784xf32>, tensor<784x512xf32>) -> tensor<64x512xf32>
  %2 = nn.dense %s, %w : (tensor<2x3x784xf32>, tensor<784x512xf32>) -> tensor<2x3x512xf32>
  %3 = nn.dense %v, %w, %b : (tensor<784xf32>, tensor<784x512xf32>, tensor<512xf32>) -> tensor<512xf32>
  func.return
}

// -----

// nn.conv2d with every property, each spelled out; properties equal to their
// defaults are left out when printed.

// CHECK-LABEL: func.func @conv2d
// CHECK-NEXT: %0 = nn.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %1 = nn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %2 = nn.conv2d %x, %w, %b {strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>, dilations = array<i64: 2, 3>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x3xf32>
// CHECK-NEXT: %3 = nn.conv2d %x, %g {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %4 = nn.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %5 = nn.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
// CHECK-NEXT: %6 = nn.conv2d %y, %p {strides = array<i64: 2, 2>} : (tensor<2x3x5x5xf64>, tensor<8x3x1x1xf64>) -> tensor<2x8x3x3xf64>
func.func @conv2d(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<6xf32>,
                  %g: tensor<6x2x3x3xf32>, %dw: tensor<4x1x3x3xf32>,
                  %y: tensor<2x3x5x5xf64>, %p: tensor<8x3x1x1xf64>) {
  %0 = nn.conv2d %x, %w, %b : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  %1 = nn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  %2 = nn.conv2d %x, %w, %b {strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>, dilations = array<i64: 2, 3>} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x3xf32>
  %3 = nn.conv2d %x, %g {groups = 2} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  %4 = nn.conv2d %x, %dw {padding = array<i64: 1, 1, 1, 1>, groups = 4 : i64} : (tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x8x8xf32>
  %5 = nn.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, groups = 1} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  %6 = nn.conv2d %y, %p {strides = array<i64: 2, 2>} : (tensor<2x3x5x5xf64>, tensor<8x3x1x1xf64>) -> tensor<2x8x3x3xf64>
  func.return
}

// -----

// ===== pooling ===============================================================

// nn.max_pool2d with each property; properties equal to their defaults are left
// out when printed.

// CHECK-LABEL: func.func @max_pool2d
// CHECK-NEXT: %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
// CHECK-NEXT: %1 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %2 = nn.max_pool2d %x {kernel = array<i64: 2, 3>, dilations = array<i64: 2, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x6x6xf32>
// CHECK-NEXT: %3 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %4 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x3x3xf32>
// CHECK-NEXT: %5 = nn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
// CHECK-NEXT: %6 = nn.max_pool2d %y {kernel = array<i64: 1, 1>} : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
func.func @max_pool2d(%x: tensor<1x3x8x8xf32>, %y: tensor<1x1x1x1xf64>) {
  %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  %1 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %2 = nn.max_pool2d %x {kernel = array<i64: 2, 3>, dilations = array<i64: 2, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x6x6xf32>
  %3 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %4 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x3x3xf32>
  %5 = nn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  %6 = nn.max_pool2d %y {kernel = array<i64: 1, 1>} : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
  func.return
}

// -----

// CHECK-LABEL: func.func @avg_pool2d
// CHECK-NEXT: %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %1 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 0, 2, 1>, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
// CHECK-NEXT: %2 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x5x5xf32>
// CHECK-NEXT: %3 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
// CHECK-NEXT: %4 = nn.avg_pool2d %x {kernel = array<i64: 2, 3>, dilations = array<i64: 2, 1>, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x6x6xf32>
func.func @avg_pool2d(%x: tensor<1x3x8x8xf32>) {
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %1 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 0, 2, 1>, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  %2 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x5x5xf32>
  %3 = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  %4 = nn.avg_pool2d %x {kernel = array<i64: 2, 3>, dilations = array<i64: 2, 1>, count_include_pad} : tensor<1x3x8x8xf32> -> tensor<1x3x6x6xf32>
  func.return
}

// -----

// CHECK-LABEL: func.func @global_avg_pool2d
// CHECK-NEXT: %0 = nn.global_avg_pool2d %x : tensor<2x512x7x7xf32> -> tensor<2x512x1x1xf32>
// CHECK-NEXT: %1 = nn.global_avg_pool2d %y : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
func.func @global_avg_pool2d(%x: tensor<2x512x7x7xf32>, %y: tensor<1x1x1x1xf64>) {
  %0 = nn.global_avg_pool2d %x : tensor<2x512x7x7xf32> -> tensor<2x512x1x1xf32>
  %1 = nn.global_avg_pool2d %y : tensor<1x1x1x1xf64> -> tensor<1x1x1x1xf64>
  func.return
}

// -----

// ===== shape =================================================================

// CHECK-LABEL: func.func @reshape
// CHECK-NEXT:    %{{.*}} = nn.reshape %{{.*}} {shape = array<i64: 2, 6>} : tensor<3x4xf32> -> tensor<2x6xf32>
// CHECK-NEXT:    %{{.*}} = nn.reshape %{{.*}} {shape = array<i64>} : tensor<1x1xf64> -> tensor<f64>
func.func @reshape(%x: tensor<3x4xf32>, %y: tensor<1x1xf64>) -> (tensor<2x6xf32>, tensor<f64>) {
  %0 = nn.reshape %x {shape = array<i64: 2, 6>} : tensor<3x4xf32> -> tensor<2x6xf32>
  %1 = nn.reshape %y {shape = array<i64>} : tensor<1x1xf64> -> tensor<f64>
  func.return %0, %1 : tensor<2x6xf32>, tensor<f64>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-NEXT:    %{{.*}} = nn.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
// CHECK-NEXT:    %{{.*}} = nn.transpose %{{.*}} {perm = array<i64: -1, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
func.func @transpose(%x: tensor<2x3x4xf16>) -> (tensor<4x2x3xf16>, tensor<4x2x3xf16>) {
  %0 = nn.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
  %1 = nn.transpose %x {perm = array<i64: -1, 0, 1>} : tensor<2x3x4xf16> -> tensor<4x2x3xf16>
  func.return %0, %1 : tensor<4x2x3xf16>, tensor<4x2x3xf16>
}

// -----

// The default axis 1 is not printed.

// CHECK-LABEL: func.func @flatten
// CHECK-NEXT:    %{{.*}} = nn.flatten %{{.*}} : tensor<2x3x4xf32> -> tensor<2x12xf32>
// CHECK-NEXT:    %{{.*}} = nn.flatten %{{.*}} {axis = 0 : i64} : tensor<2x3x4xf32> -> tensor<1x24xf32>
// CHECK-NEXT:    %{{.*}} = nn.flatten %{{.*}} {axis = -1 : i64} : tensor<2x3x4xf32> -> tensor<6x4xf32>
func.func @flatten(%x: tensor<2x3x4xf32>)
    -> (tensor<2x12xf32>, tensor<1x24xf32>, tensor<6x4xf32>) {
  %0 = nn.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %1 = nn.flatten %x {axis = 0} : tensor<2x3x4xf32> -> tensor<1x24xf32>
  %2 = nn.flatten %x {axis = -1} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  func.return %0, %1, %2 : tensor<2x12xf32>, tensor<1x24xf32>, tensor<6x4xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-NEXT:    %{{.*}} = nn.squeeze %{{.*}} {axes = array<i64: 0, -1>} : tensor<1x4x1xf32> -> tensor<4xf32>
// CHECK-NEXT:    %{{.*}} = nn.unsqueeze %{{.*}} {axes = array<i64: 2, 0>} : tensor<4xf32> -> tensor<1x4x1xf32>
func.func @squeeze_unsqueeze(%x: tensor<1x4x1xf32>) -> tensor<1x4x1xf32> {
  %0 = nn.squeeze %x {axes = array<i64: 0, -1>} : tensor<1x4x1xf32> -> tensor<4xf32>
  %1 = nn.unsqueeze %0 {axes = array<i64: 2, 0>} : tensor<4xf32> -> tensor<1x4x1xf32>
  func.return %1 : tensor<1x4x1xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to
// CHECK-NEXT:    %{{.*}} = nn.broadcast_to %{{.*}} {shape = array<i64: 2, 3, 4>} : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT:    %{{.*}} = nn.broadcast_to %{{.*}} {shape = array<i64: 5>} : tensor<f32> -> tensor<5xf32>
func.func @broadcast_to(%x: tensor<3x1xf32>, %s: tensor<f32>) -> (tensor<2x3x4xf32>, tensor<5xf32>) {
  %0 = nn.broadcast_to %x {shape = array<i64: 2, 3, 4>} : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = nn.broadcast_to %s {shape = array<i64: 5>} : tensor<f32> -> tensor<5xf32>
  func.return %0, %1 : tensor<2x3x4xf32>, tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @slice
// CHECK-NEXT:    %{{.*}} = nn.slice %{{.*}} {starts = array<i64: 1>, ends = array<i64: 100>} : tensor<5x6xf32> -> tensor<4x6xf32>
// CHECK-NEXT:    %{{.*}} = nn.slice %{{.*}} {starts = array<i64: -1, 0>, ends = array<i64: -9223372036854775807, 6>, axes = array<i64: 1, 0>, steps = array<i64: -2, 3>} : tensor<5x6xf32> -> tensor<2x3xf32>
func.func @slice(%x: tensor<5x6xf32>) -> (tensor<4x6xf32>, tensor<2x3xf32>) {
  %0 = nn.slice %x {starts = array<i64: 1>, ends = array<i64: 100>} : tensor<5x6xf32> -> tensor<4x6xf32>
  %1 = nn.slice %x {starts = array<i64: -1, 0>, ends = array<i64: -9223372036854775807, 6>,
                    axes = array<i64: 1, 0>, steps = array<i64: -2, 3>}
      : tensor<5x6xf32> -> tensor<2x3xf32>
  func.return %0, %1 : tensor<4x6xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>} : tensor<2x3xf32> -> tensor<3x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>, value = -1.000000e+00 : f64} : tensor<2x3xf32> -> tensor<3x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>, mode = "edge"} : tensor<2x3xf32> -> tensor<3x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 0, 0, 2>, mode = "reflect"} : tensor<2x3xf32> -> tensor<3x5xf32>
func.func @pad(%x: tensor<2x3xf32>)
    -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>} : tensor<2x3xf32> -> tensor<3x5xf32>
  %1 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>, value = -1.0} : tensor<2x3xf32> -> tensor<3x5xf32>
  %2 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>, mode = "edge"} : tensor<2x3xf32> -> tensor<3x5xf32>
  %3 = nn.pad %x {pads = array<i64: 1, 0, 0, 2>, mode = "reflect"} : tensor<2x3xf32> -> tensor<3x5xf32>
  func.return %0, %1, %2, %3 : tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-NEXT:    %{{.*}} = nn.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<2x1xf32>, tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
// CHECK-NEXT:    %{{.*}} = nn.concat %{{.*}} {axis = 0 : i64} : (tensor<2x1xf32>) -> tensor<2x1xf32>
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>) -> (tensor<2x5xf32>, tensor<2x1xf32>) {
  %0 = nn.concat %a, %b, %a {axis = -1} : (tensor<2x1xf32>, tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
  %1 = nn.concat %a {axis = 0} : (tensor<2x1xf32>) -> tensor<2x1xf32>
  func.return %0, %1 : tensor<2x5xf32>, tensor<2x1xf32>
}

// -----

// Shape ops move elements of every type: integers and booleans too.

// CHECK-LABEL: func.func @shape_integers
// CHECK-NEXT:    %{{.*}} = nn.transpose %{{.*}} {perm = array<i64: 1, 0>} : tensor<2x3xi8> -> tensor<3x2xi8>
// CHECK-NEXT:    %{{.*}} = nn.reshape %{{.*}} {shape = array<i64: 6>} : tensor<3x2xi8> -> tensor<6xi8>
// CHECK-NEXT:    %{{.*}} = nn.pad %{{.*}} {pads = array<i64: 1, 1>, value = 2.500000e+00 : f64} : tensor<6xi8> -> tensor<8xi8>
// CHECK-NEXT:    %{{.*}} = nn.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2xi1>, tensor<3xi1>) -> tensor<5xi1>
// CHECK-NEXT:    %{{.*}} = nn.broadcast_to %{{.*}} {shape = array<i64: 2, 5>} : tensor<5xi1> -> tensor<2x5xi1>
func.func @shape_integers(%x: tensor<2x3xi8>, %p: tensor<2xi1>, %q: tensor<3xi1>)
    -> (tensor<8xi8>, tensor<2x5xi1>) {
  %0 = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xi8> -> tensor<3x2xi8>
  %1 = nn.reshape %0 {shape = array<i64: 6>} : tensor<3x2xi8> -> tensor<6xi8>
  %2 = nn.pad %1 {pads = array<i64: 1, 1>, value = 2.5} : tensor<6xi8> -> tensor<8xi8>
  %3 = nn.concat %p, %q {axis = 0} : (tensor<2xi1>, tensor<3xi1>) -> tensor<5xi1>
  %4 = nn.broadcast_to %3 {shape = array<i64: 2, 5>} : tensor<5xi1> -> tensor<2x5xi1>
  func.return %2, %4 : tensor<8xi8>, tensor<2x5xi1>
}

// -----

// ===== constant ==============================================================

// The result type is the value's type and is not written twice.

// CHECK-LABEL: func.func @inline
// CHECK-NEXT:    %{{.*}} = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %{{.*}} = nn.constant dense<{{\[}}[1.000000e+00, -2.500000e-01], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf64>
// CHECK-NEXT:    %{{.*}} = nn.constant dense<1.500000e+00> : tensor<3x2xf16>
// CHECK-NEXT:    %{{.*}} = nn.constant dense<-5.000000e-01> : tensor<f32>
func.func @inline() -> (tensor<2xf32>, tensor<2x2xf64>, tensor<3x2xf16>, tensor<f32>) {
  %0 = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = nn.constant dense<[[1.0, -0.25], [3.0, 4.0]]> : tensor<2x2xf64>
  %2 = nn.constant dense<1.5> : tensor<3x2xf16>
  %3 = nn.constant dense<-0.5> : tensor<f32>
  func.return %0, %1, %2, %3 : tensor<2xf32>, tensor<2x2xf64>, tensor<3x2xf16>, tensor<f32>
}

// -----

// Integer and boolean constants.

// CHECK-LABEL: func.func @integer_constants
// CHECK-NEXT:    %0 = nn.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NEXT:    %1 = nn.constant dense<[-128, 127]> : tensor<2xi8>
// CHECK-NEXT:    %2 = nn.constant dense<7> : tensor<2x2xi32>
// CHECK-NEXT:    %3 = nn.constant dense<-9223372036854775808> : tensor<i64>
func.func @integer_constants() -> (tensor<2xi1>, tensor<2xi8>, tensor<2x2xi32>, tensor<i64>) {
  %0 = nn.constant dense<[true, false]> : tensor<2xi1>
  %1 = nn.constant dense<[-128, 127]> : tensor<2xi8>
  %2 = nn.constant dense<7> : tensor<2x2xi32>
  %3 = nn.constant dense<-9223372036854775808> : tensor<i64>
  func.return %0, %1, %2, %3 : tensor<2xi1>, tensor<2xi8>, tensor<2x2xi32>, tensor<i64>
}

// -----

// A resource constant prints its handle, and the blob it refers to is printed again
// in the resource section (xDSL 0.74 prints them on one line); blobs nothing refers
// to are dropped.

// CHECK-LABEL: func.func @resource
// CHECK-NEXT:    %{{.*}} = nn.constant dense_resource<roundtrip_w1> : tensor<2x2xf32>
// CHECK-NEXT:    %{{.*}} = nn.constant dense_resource<roundtrip_b1> : tensor<2xf32>
// CHECK:       {-#
// CHECK-NEXT:    dialect_resources: {
// CHECK-NEXT:      builtin: {
// CHECK-NEXT:        roundtrip_b1: "0x040000000000803F00000040",
// CHECK:             roundtrip_w1: "0x040000000000803F000000400000404000008040"
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:  #-}
func.func @resource() -> (tensor<2x2xf32>, tensor<2xf32>) {
  %w = nn.constant dense_resource<roundtrip_w1> : tensor<2x2xf32>
  %b = nn.constant dense_resource<roundtrip_b1> : tensor<2xf32>
  func.return %w, %b : tensor<2x2xf32>, tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      roundtrip_w1: "0x040000000000803F000000400000404000008040",
      roundtrip_b1: "0x040000000000803F00000040",
      roundtrip_unused: "0x0400000000000000"
    }
  }
#-}
// CHECK-NOT: roundtrip_unused
