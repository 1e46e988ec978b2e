// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn-to-tensor on the contraction ops: each of matmul, dense and conv2d is one
// reduce-add compute multiplying an element of each operand; a bias is a second,
// elementwise compute.

// matmul of two matrices: one reduce-add compute over k.
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %r = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  func.return %r : tensor<3x5xf32>
}
// CHECK-LABEL: func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
// CHECK-NEXT:   %r = tensor.compute (%i, %j) reduce add (%k) in [4] init 0.000000e+00 : tensor<3x5xf32> {
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%i, %k] : tensor<3x4xf32>
// CHECK-NEXT:     [[B:%[0-9]+]] = tensor.read %b[%k, %j] : tensor<4x5xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[A]], [[B]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3x5xf32>
// CHECK-NEXT: }

// -----

// Batch dims broadcast like numpy: lhs batch [2, 1] reads its size-1 dim at 0 and
// rhs (one batch dim) leaves out the leading result dim.
func.func @matmul_batch(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %r = nn.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  func.return %r : tensor<2x5x3x6xf32>
}
// CHECK-LABEL: func.func @matmul_batch(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
// CHECK-NEXT:   %r = tensor.compute (%b0, %b1, %i, %j) reduce add (%k) in [4] init 0.000000e+00 : tensor<2x5x3x6xf32> {
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%b0, [[C0]], %i, %k] : tensor<2x1x3x4xf32>
// CHECK-NEXT:     [[B:%[0-9]+]] = tensor.read %b[%b1, %k, %j] : tensor<5x4x6xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[A]], [[B]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x5x3x6xf32>
// CHECK-NEXT: }

// -----

// A rank-1 operand is promoted and its dim dropped: matrix times vector, and
// vector times vector (a rank-0 result).
func.func @matmul_vectors(%m: tensor<3x4xf64>, %v: tensor<4xf64>) -> (tensor<3xf64>, tensor<f64>) {
  %mv = nn.matmul %m, %v : (tensor<3x4xf64>, tensor<4xf64>) -> tensor<3xf64>
  %dot = nn.matmul %v, %v : (tensor<4xf64>, tensor<4xf64>) -> tensor<f64>
  func.return %mv, %dot : tensor<3xf64>, tensor<f64>
}
// CHECK-LABEL: func.func @matmul_vectors(%m: tensor<3x4xf64>, %v: tensor<4xf64>) -> (tensor<3xf64>, tensor<f64>) {
// CHECK-NEXT:   %mv = tensor.compute (%i) reduce add (%k) in [4] init 0.000000e+00 : tensor<3xf64> {
// CHECK-NEXT:     [[M:%[0-9]+]] = tensor.read %m[%i, %k] : tensor<3x4xf64>
// CHECK-NEXT:     [[V:%[0-9]+]] = tensor.read %v[%k] : tensor<4xf64>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[M]], [[V]] : f64
// CHECK-NEXT:     tensor.yield [[MULF]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   %dot = tensor.compute () reduce add (%k_1) in [4] init 0.000000e+00 : tensor<f64> {
// CHECK-NEXT:     [[V_2:%[0-9]+]] = tensor.read %v[%k_1] : tensor<4xf64>
// CHECK-NEXT:     [[V_3:%[0-9]+]] = tensor.read %v[%k_1] : tensor<4xf64>
// CHECK-NEXT:     [[MULF_2:%[0-9]+]] = arith.mulf [[V_2]], [[V_3]] : f64
// CHECK-NEXT:     tensor.yield [[MULF_2]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %mv, %dot : tensor<3xf64>, tensor<f64>
// CHECK-NEXT: }

// -----

// dense: the product, then a second compute adding the bias along the last dim.
func.func @dense(%x: tensor<2x3x4xf32>, %w: tensor<4x5xf32>, %b: tensor<5xf32>) -> tensor<2x3x5xf32> {
  %h = nn.dense %x, %w, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>, tensor<5xf32>) -> tensor<2x3x5xf32>
  func.return %h : tensor<2x3x5xf32>
}
// CHECK-LABEL: func.func @dense(%x: tensor<2x3x4xf32>, %w: tensor<4x5xf32>, %b: tensor<5xf32>) -> tensor<2x3x5xf32> {
// CHECK-NEXT:   %h = tensor.compute (%b0, %i, %j) reduce add (%k) in [4] init 0.000000e+00 : tensor<2x3x5xf32> {
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%b0, %i, %k] : tensor<2x3x4xf32>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%k, %j] : tensor<4x5xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %h_1 = tensor.compute (%b0_1, %i_1, %j_1) : tensor<2x3x5xf32> {
// CHECK-NEXT:     [[H:%[0-9]+]] = tensor.read %h[%b0_1, %i_1, %j_1] : tensor<2x3x5xf32>
// CHECK-NEXT:     [[B:%[0-9]+]] = tensor.read %b[%j_1] : tensor<5xf32>
// CHECK-NEXT:     [[ADDF:%[0-9]+]] = arith.addf [[H]], [[B]] : f32
// CHECK-NEXT:     tensor.yield [[ADDF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %h_1 : tensor<2x3x5xf32>
// CHECK-NEXT: }

// -----

// dense without bias is the product alone.
func.func @dense_no_bias(%x: tensor<4xf16>, %w: tensor<4x2xf16>) -> tensor<2xf16> {
  %h = nn.dense %x, %w : (tensor<4xf16>, tensor<4x2xf16>) -> tensor<2xf16>
  func.return %h : tensor<2xf16>
}
// CHECK-LABEL: func.func @dense_no_bias(%x: tensor<4xf16>, %w: tensor<4x2xf16>) -> tensor<2xf16> {
// CHECK-NEXT:   %h = tensor.compute (%j) reduce add (%k) in [4] init 0.000000e+00 : tensor<2xf16> {
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%k] : tensor<4xf16>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%k, %j] : tensor<4x2xf16>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f16
// CHECK-NEXT:     tensor.yield [[MULF]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %h : tensor<2xf16>
// CHECK-NEXT: }

// -----

// conv2d, padding 1 and a bias: the input read is padded with 0.0, and the bias is
// added along the channel dim by a second compute.
func.func @conv2d(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
  %y = nn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
  func.return %y : tensor<1x3x4x4xf32>
}
// CHECK-LABEL: func.func @conv2d(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x3x4x4xf32> {
// CHECK-NEXT:   %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3] init 0.000000e+00 : tensor<1x3x4x4xf32> {
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi %oh, %kh : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[ADDI]], [[C1]] : index
// CHECK-NEXT:     [[C1_2:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[SUBI_2:%[0-9]+]] = arith.subi [[ADDI_2]], [[C1_2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[SUBI]], [[SUBI_2]]] pad 0.000000e+00 : tensor<1x2x4x4xf32>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%f, %c, %kh, %kw] : tensor<3x2x3x3xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %y_1 = tensor.compute (%n_1, %f_1, %oh_1, %ow_1) : tensor<1x3x4x4xf32> {
// CHECK-NEXT:     [[Y:%[0-9]+]] = tensor.read %y[%n_1, %f_1, %oh_1, %ow_1] : tensor<1x3x4x4xf32>
// CHECK-NEXT:     [[B:%[0-9]+]] = tensor.read %b[%f_1] : tensor<3xf32>
// CHECK-NEXT:     [[ADDF:%[0-9]+]] = arith.addf [[Y]], [[B]] : f32
// CHECK-NEXT:     tensor.yield [[ADDF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y_1 : tensor<1x3x4x4xf32>
// CHECK-NEXT: }

// -----

// Strides, dilations and asymmetric padding: oh * sh + kh * dh - top.
func.func @conv2d_strided_dilated(%x: tensor<1x1x9x8xf32>, %w: tensor<2x1x2x3xf32>) -> tensor<1x2x4x2xf32> {
  %y = nn.conv2d %x, %w {strides = array<i64: 2, 3>, dilations = array<i64: 3, 2>, padding = array<i64: 1, 0, 0, 2>} : (tensor<1x1x9x8xf32>, tensor<2x1x2x3xf32>) -> tensor<1x2x4x2xf32>
  func.return %y : tensor<1x2x4x2xf32>
}
// CHECK-LABEL: func.func @conv2d_strided_dilated(%x: tensor<1x1x9x8xf32>, %w: tensor<2x1x2x3xf32>) -> tensor<1x2x4x2xf32> {
// CHECK-NEXT:   %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [1, 2, 3] init 0.000000e+00 : tensor<1x2x4x2xf32> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %oh, [[C2]] : index
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[MULI_2:%[0-9]+]] = arith.muli %kh, [[C3]] : index
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], [[MULI_2]] : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[ADDI]], [[C1]] : index
// CHECK-NEXT:     [[C3_2:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[MULI_3:%[0-9]+]] = arith.muli %ow, [[C3_2]] : index
// CHECK-NEXT:     [[C2_2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI_4:%[0-9]+]] = arith.muli %kw, [[C2_2]] : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi [[MULI_3]], [[MULI_4]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[SUBI]], [[ADDI_2]]] pad 0.000000e+00 : tensor<1x1x9x8xf32>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%f, %c, %kh, %kw] : tensor<2x1x2x3xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<1x2x4x2xf32>
// CHECK-NEXT: }

// -----

// No padding: the input read needs no pad value.
func.func @conv2d_valid(%x: tensor<1x2x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return %y : tensor<1x4x3x3xf32>
}
// CHECK-LABEL: func.func @conv2d_valid(%x: tensor<1x2x5x5xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32> {
// CHECK-NEXT:   %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3] init 0.000000e+00 : tensor<1x4x3x3xf32> {
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi %oh, %kh : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[ADDI]], [[ADDI_2]]] : tensor<1x2x5x5xf32>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%f, %c, %kh, %kw] : tensor<4x2x3x3xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<1x4x3x3xf32>
// CHECK-NEXT: }

// -----

// Two groups of 2 input and 3 output channels: input channel (f / 3) * 2 + c.
func.func @conv2d_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
  %y = nn.conv2d %x, %w {groups = 2} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32>
  func.return %y : tensor<1x6x3x3xf32>
}
// CHECK-LABEL: func.func @conv2d_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x3x3xf32> {
// CHECK-NEXT:   %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3] init 0.000000e+00 : tensor<1x6x3x3xf32> {
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi %oh, %kh : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[DIVUI:%[0-9]+]] = arith.divui %f, [[C3]] : index
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli [[DIVUI]], [[C2]] : index
// CHECK-NEXT:     [[ADDI_3:%[0-9]+]] = arith.addi [[MULI]], %c : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, [[ADDI_3]], [[ADDI]], [[ADDI_2]]] : tensor<1x4x5x5xf32>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%f, %c, %kh, %kw] : tensor<6x2x3x3xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<1x6x3x3xf32>
// CHECK-NEXT: }

// -----

// Depthwise (groups = channels, one output channel each): input channel f.
func.func @conv2d_depthwise(%x: tensor<1x3x4x4xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x2x2xf32> {
  %y = nn.conv2d %x, %w {groups = 3} : (tensor<1x3x4x4xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x2x2xf32>
  func.return %y : tensor<1x3x2x2xf32>
}
// CHECK-LABEL: func.func @conv2d_depthwise(%x: tensor<1x3x4x4xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x2x2xf32> {
// CHECK-NEXT:   %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [1, 3, 3] init 0.000000e+00 : tensor<1x3x2x2xf32> {
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi %oh, %kh : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %f, [[ADDI]], [[ADDI_2]]] : tensor<1x3x4x4xf32>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%f, %c, %kh, %kw] : tensor<3x1x3x3xf32>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f32
// CHECK-NEXT:     tensor.yield [[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<1x3x2x2xf32>
// CHECK-NEXT: }

// -----

// A 1x1 kernel reads at the output position itself.
func.func @conv2d_pointwise(%x: tensor<2x3x4x4xf64>, %w: tensor<5x3x1x1xf64>) -> tensor<2x5x4x4xf64> {
  %y = nn.conv2d %x, %w : (tensor<2x3x4x4xf64>, tensor<5x3x1x1xf64>) -> tensor<2x5x4x4xf64>
  func.return %y : tensor<2x5x4x4xf64>
}
// CHECK-LABEL: func.func @conv2d_pointwise(%x: tensor<2x3x4x4xf64>, %w: tensor<5x3x1x1xf64>) -> tensor<2x5x4x4xf64> {
// CHECK-NEXT:   %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [3, 1, 1] init 0.000000e+00 : tensor<2x5x4x4xf64> {
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, %oh, %ow] : tensor<2x3x4x4xf64>
// CHECK-NEXT:     [[W:%[0-9]+]] = tensor.read %w[%f, %c, %kh, %kw] : tensor<5x3x1x1xf64>
// CHECK-NEXT:     [[MULF:%[0-9]+]] = arith.mulf [[X]], [[W]] : f64
// CHECK-NEXT:     tensor.yield [[MULF]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<2x5x4x4xf64>
// CHECK-NEXT: }
