// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn-to-tensor on the pooling ops: max pooling is one reduce-max compute whose
// reads pad with -inf; average pooling sums with zero padding, then divides by the
// counted taps of each window, which match the nn reference exactly.

// max_pool2d without padding: a reduce-max compute whose init is -inf (0xff800000)
// and whose reads need no pad value.
func.func @max_pool2d(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32> {
  %m = nn.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x4x4xf32> -> tensor<1x3x2x2xf32>
  func.return %m : tensor<1x3x2x2xf32>
}
// CHECK-LABEL: func.func @max_pool2d(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x2x2xf32> {
// CHECK-NEXT:   %m = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [2, 2] init 0xff800000 : tensor<1x3x2x2xf32> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %oh, [[C2]] : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], %kh : index
// CHECK-NEXT:     [[C2_2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI_2:%[0-9]+]] = arith.muli %ow, [[C2_2]] : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi [[MULI_2]], %kw : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[ADDI]], [[ADDI_2]]] : tensor<1x3x4x4xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %m : tensor<1x3x2x2xf32>
// CHECK-NEXT: }

// -----

// Padding and ceil_mode: reads outside the input give -inf.
func.func @max_pool2d_ceil(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x5x5xf32> {
  %m = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode} : tensor<1x2x8x8xf32> -> tensor<1x2x5x5xf32>
  func.return %m : tensor<1x2x5x5xf32>
}
// CHECK-LABEL: func.func @max_pool2d_ceil(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x5x5xf32> {
// CHECK-NEXT:   %m = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [3, 3] init 0xff800000 : tensor<1x2x5x5xf32> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %oh, [[C2]] : index
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], %kh : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[ADDI]], [[C1]] : index
// CHECK-NEXT:     [[C2_2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI_2:%[0-9]+]] = arith.muli %ow, [[C2_2]] : index
// CHECK-NEXT:     [[C1_2:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi [[MULI_2]], %kw : index
// CHECK-NEXT:     [[SUBI_2:%[0-9]+]] = arith.subi [[ADDI_2]], [[C1_2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[SUBI]], [[SUBI_2]]] pad 0xff800000 : tensor<1x2x8x8xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %m : tensor<1x2x5x5xf32>
// CHECK-NEXT: }

// -----

// Dilated taps (kh * 2) and f16: -inf is 0xfc00.
func.func @max_pool2d_dilated(%x: tensor<1x1x6x5xf16>) -> tensor<1x1x3x3xf16> {
  %m = nn.max_pool2d %x {kernel = array<i64: 2, 3>, dilations = array<i64: 2, 1>, padding = array<i64: 0, 0, 1, 0>, strides = array<i64: 2, 1>} : tensor<1x1x6x5xf16> -> tensor<1x1x3x3xf16>
  func.return %m : tensor<1x1x3x3xf16>
}
// CHECK-LABEL: func.func @max_pool2d_dilated(%x: tensor<1x1x6x5xf16>) -> tensor<1x1x3x3xf16> {
// CHECK-NEXT:   %m = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [2, 3] init 0xfc00 : tensor<1x1x3x3xf16> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %oh, [[C2]] : index
// CHECK-NEXT:     [[C2_2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI_2:%[0-9]+]] = arith.muli %kh, [[C2_2]] : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], [[MULI_2]] : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[ADDI]], [[ADDI_2]]] pad 0xfc00 : tensor<1x1x6x5xf16>
// CHECK-NEXT:     tensor.yield [[X]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %m : tensor<1x1x3x3xf16>
// CHECK-NEXT: }

// -----

// avg_pool2d where every window holds kernel-many inputs: sum, then divide by 4.0.
func.func @avg_pool2d(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %a = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  func.return %a : tensor<1x2x2x2xf32>
}
// CHECK-LABEL: func.func @avg_pool2d(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
// CHECK-NEXT:   %a = tensor.compute (%n, %c, %oh, %ow) reduce add (%kh, %kw) in [2, 2] init 0.000000e+00 : tensor<1x2x2x2xf32> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %oh, [[C2]] : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], %kh : index
// CHECK-NEXT:     [[C2_2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI_2:%[0-9]+]] = arith.muli %ow, [[C2_2]] : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi [[MULI_2]], %kw : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[ADDI]], [[ADDI_2]]] : tensor<1x2x4x4xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %a_1 = tensor.compute (%n_1, %c_1, %oh_1, %ow_1) : tensor<1x2x2x2xf32> {
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%n_1, %c_1, %oh_1, %ow_1] : tensor<1x2x2x2xf32>
// CHECK-NEXT:     [[C4:%[0-9]+]] = arith.constant 4.000000e+00 : f32
// CHECK-NEXT:     [[DIVF:%[0-9]+]] = arith.divf [[A]], [[C4]] : f32
// CHECK-NEXT:     tensor.yield [[DIVF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %a_1 : tensor<1x2x2x2xf32>
// CHECK-NEXT: }

// -----

// With padding the count varies: min(oh - 1 + 3, 3) - max(oh - 1, 0) input rows,
// times as many columns.
func.func @avg_pool2d_padded(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %a = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x1x3x3xf32> -> tensor<1x1x3x3xf32>
  func.return %a : tensor<1x1x3x3xf32>
}
// CHECK-LABEL: func.func @avg_pool2d_padded(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
// CHECK-NEXT:   %a = tensor.compute (%n, %c, %oh, %ow) reduce add (%kh, %kw) in [3, 3] init 0.000000e+00 : tensor<1x1x3x3xf32> {
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi %oh, %kh : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[ADDI]], [[C1]] : index
// CHECK-NEXT:     [[C1_2:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[SUBI_2:%[0-9]+]] = arith.subi [[ADDI_2]], [[C1_2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[SUBI]], [[SUBI_2]]] pad 0.000000e+00 : tensor<1x1x3x3xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %a_1 = tensor.compute (%n_1, %c_1, %oh_1, %ow_1) : tensor<1x1x3x3xf32> {
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%n_1, %c_1, %oh_1, %ow_1] : tensor<1x1x3x3xf32>
// CHECK-NEXT:     [[C1_3:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[SUBI_3:%[0-9]+]] = arith.subi %oh_1, [[C1_3]] : index
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[ADDI_3:%[0-9]+]] = arith.addi [[SUBI_3]], [[C3]] : index
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[MAXSI:%[0-9]+]] = arith.maxsi [[SUBI_3]], [[C0]] : index
// CHECK-NEXT:     [[C3_2:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[MINSI:%[0-9]+]] = arith.minsi [[ADDI_3]], [[C3_2]] : index
// CHECK-NEXT:     [[SUBI_4:%[0-9]+]] = arith.subi [[MINSI]], [[MAXSI]] : index
// CHECK-NEXT:     [[C1_4:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[SUBI_5:%[0-9]+]] = arith.subi %ow_1, [[C1_4]] : index
// CHECK-NEXT:     [[C3_3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[ADDI_4:%[0-9]+]] = arith.addi [[SUBI_5]], [[C3_3]] : index
// CHECK-NEXT:     [[C0_2:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[MAXSI_2:%[0-9]+]] = arith.maxsi [[SUBI_5]], [[C0_2]] : index
// CHECK-NEXT:     [[C3_4:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[MINSI_2:%[0-9]+]] = arith.minsi [[ADDI_4]], [[C3_4]] : index
// CHECK-NEXT:     [[SUBI_6:%[0-9]+]] = arith.subi [[MINSI_2]], [[MAXSI_2]] : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli [[SUBI_4]], [[SUBI_6]] : index
// CHECK-NEXT:     [[INDEX_CAST:%[0-9]+]] = arith.index_cast [[MULI]] : index to i64
// CHECK-NEXT:     [[SITOFP:%[0-9]+]] = arith.sitofp [[INDEX_CAST]] : i64 to f32
// CHECK-NEXT:     [[DIVF:%[0-9]+]] = arith.divf [[A]], [[SITOFP]] : f32
// CHECK-NEXT:     tensor.yield [[DIVF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %a_1 : tensor<1x1x3x3xf32>
// CHECK-NEXT: }

// -----

// count_include_pad counts the padding, so the count is 9 everywhere.
func.func @avg_pool2d_count_include_pad(%x: tensor<1x1x3x3xf64>) -> tensor<1x1x3x3xf64> {
  %a = nn.avg_pool2d %x {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, count_include_pad} : tensor<1x1x3x3xf64> -> tensor<1x1x3x3xf64>
  func.return %a : tensor<1x1x3x3xf64>
}
// CHECK-LABEL: func.func @avg_pool2d_count_include_pad(%x: tensor<1x1x3x3xf64>) -> tensor<1x1x3x3xf64> {
// CHECK-NEXT:   %a = tensor.compute (%n, %c, %oh, %ow) reduce add (%kh, %kw) in [3, 3] init 0.000000e+00 : tensor<1x1x3x3xf64> {
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi %oh, %kh : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[ADDI]], [[C1]] : index
// CHECK-NEXT:     [[C1_2:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[SUBI_2:%[0-9]+]] = arith.subi [[ADDI_2]], [[C1_2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[SUBI]], [[SUBI_2]]] pad 0.000000e+00 : tensor<1x1x3x3xf64>
// CHECK-NEXT:     tensor.yield [[X]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   %a_1 = tensor.compute (%n_1, %c_1, %oh_1, %ow_1) : tensor<1x1x3x3xf64> {
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%n_1, %c_1, %oh_1, %ow_1] : tensor<1x1x3x3xf64>
// CHECK-NEXT:     [[C9:%[0-9]+]] = arith.constant 9.000000e+00 : f64
// CHECK-NEXT:     [[DIVF:%[0-9]+]] = arith.divf [[A]], [[C9]] : f64
// CHECK-NEXT:     tensor.yield [[DIVF]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %a_1 : tensor<1x1x3x3xf64>
// CHECK-NEXT: }

// -----

// ceil_mode with count_include_pad: the last row window (rows 5 to 7) hangs past
// the padded input (rows -1 to 6); the overhang does not count, so the row count is
// min(oh * 2 - 1 + 3, 7) - (oh * 2 - 1). Every column window counts 2.
func.func @avg_pool2d_ceil(%x: tensor<1x1x7x5xf32>) -> tensor<1x1x4x5xf32> {
  %a = nn.avg_pool2d %x {kernel = array<i64: 3, 2>, strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 0, 1>, ceil_mode, count_include_pad} : tensor<1x1x7x5xf32> -> tensor<1x1x4x5xf32>
  func.return %a : tensor<1x1x4x5xf32>
}
// CHECK-LABEL: func.func @avg_pool2d_ceil(%x: tensor<1x1x7x5xf32>) -> tensor<1x1x4x5xf32> {
// CHECK-NEXT:   %a = tensor.compute (%n, %c, %oh, %ow) reduce add (%kh, %kw) in [3, 2] init 0.000000e+00 : tensor<1x1x4x5xf32> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %oh, [[C2]] : index
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], %kh : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[ADDI]], [[C1]] : index
// CHECK-NEXT:     [[ADDI_2:%[0-9]+]] = arith.addi %ow, %kw : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%n, %c, [[SUBI]], [[ADDI_2]]] pad 0.000000e+00 : tensor<1x1x7x5xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %a_1 = tensor.compute (%n_1, %c_1, %oh_1, %ow_1) : tensor<1x1x4x5xf32> {
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%n_1, %c_1, %oh_1, %ow_1] : tensor<1x1x4x5xf32>
// CHECK-NEXT:     [[C2_2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI_2:%[0-9]+]] = arith.muli %oh_1, [[C2_2]] : index
// CHECK-NEXT:     [[C1_2:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[SUBI_2:%[0-9]+]] = arith.subi [[MULI_2]], [[C1_2]] : index
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[ADDI_3:%[0-9]+]] = arith.addi [[SUBI_2]], [[C3]] : index
// CHECK-NEXT:     [[C7:%[0-9]+]] = arith.constant 7 : index
// CHECK-NEXT:     [[MINSI:%[0-9]+]] = arith.minsi [[ADDI_3]], [[C7]] : index
// CHECK-NEXT:     [[SUBI_3:%[0-9]+]] = arith.subi [[MINSI]], [[SUBI_2]] : index
// CHECK-NEXT:     [[C2_3:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI_3:%[0-9]+]] = arith.muli [[SUBI_3]], [[C2_3]] : index
// CHECK-NEXT:     [[INDEX_CAST:%[0-9]+]] = arith.index_cast [[MULI_3]] : index to i64
// CHECK-NEXT:     [[SITOFP:%[0-9]+]] = arith.sitofp [[INDEX_CAST]] : i64 to f32
// CHECK-NEXT:     [[DIVF:%[0-9]+]] = arith.divf [[A]], [[SITOFP]] : f32
// CHECK-NEXT:     tensor.yield [[DIVF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %a_1 : tensor<1x1x4x5xf32>
// CHECK-NEXT: }

// -----

// Dilated taps: the count along a dim is the taps between the first and the last
// counted one, ceildiv(bound - start, dilation) clamped to [0, kernel]: below the
// leading padding for rows, past the input (a ceil_mode overhang) for columns.
func.func @avg_pool2d_dilated(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x4x2xf32> {
  %a = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, dilations = array<i64: 2, 3>, strides = array<i64: 1, 3>, padding = array<i64: 1, 0, 0, 0>, ceil_mode} : tensor<1x1x5x5xf32> -> tensor<1x1x4x2xf32>
  func.return %a : tensor<1x1x4x2xf32>
}
// CHECK-LABEL: func.func @avg_pool2d_dilated(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x4x2xf32> {
// CHECK:        %a_1 = tensor.compute (%n_1, %c_1, %oh_1, %ow_1) : tensor<1x1x4x2xf32> {
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%n_1, %c_1, %oh_1, %ow_1] : tensor<1x1x4x2xf32>
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[START:%[0-9]+]] = arith.subi %oh_1, [[C1]] : index
// CHECK-NEXT:     [[KH:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[LOW:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[TO_LOW:%[0-9]+]] = arith.subi [[LOW]], [[START]] : index
// CHECK-NEXT:     [[DH:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[BELOW:%[0-9]+]] = arith.ceildivsi [[TO_LOW]], [[DH]] : index
// CHECK-NEXT:     [[FIRST:%[0-9]+]] = arith.maxsi [[C0]], [[BELOW]] : index
// CHECK-NEXT:     [[ROWS:%[0-9]+]] = arith.subi [[KH]], [[FIRST]] : index
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[START_W:%[0-9]+]] = arith.muli %ow_1, [[C3]] : index
// CHECK-NEXT:     [[KW:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[HIGH:%[0-9]+]] = arith.constant 5 : index
// CHECK-NEXT:     [[TO_HIGH:%[0-9]+]] = arith.subi [[HIGH]], [[START_W]] : index
// CHECK-NEXT:     [[DW:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[BEFORE_HIGH:%[0-9]+]] = arith.ceildivsi [[TO_HIGH]], [[DW]] : index
// CHECK-NEXT:     [[COLS:%[0-9]+]] = arith.minsi [[KW]], [[BEFORE_HIGH]] : index
// CHECK-NEXT:     [[COUNT:%[0-9]+]] = arith.muli [[ROWS]], [[COLS]] : index
// CHECK-NEXT:     [[I64:%[0-9]+]] = arith.index_cast [[COUNT]] : index to i64
// CHECK-NEXT:     [[F:%[0-9]+]] = arith.sitofp [[I64]] : i64 to f32
// CHECK-NEXT:     [[D:%[0-9]+]] = arith.divf [[A]], [[F]] : f32
// CHECK-NEXT:     tensor.yield [[D]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %a_1 : tensor<1x1x4x2xf32>
// CHECK-NEXT: }

// -----

// global_avg_pool2d: sum over H and W into size-1 dims, then divide by H * W.
func.func @global_avg_pool2d(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32> {
  %g = nn.global_avg_pool2d %x : tensor<2x3x4x5xf32> -> tensor<2x3x1x1xf32>
  func.return %g : tensor<2x3x1x1xf32>
}
// CHECK-LABEL: func.func @global_avg_pool2d(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x1x1xf32> {
// CHECK-NEXT:   %g = tensor.compute ([[D:%[0-9]+]], [[D_2:%[0-9]+]], [[D_3:%[0-9]+]], [[D_4:%[0-9]+]]) reduce add ([[D_5:%[0-9]+]], [[D_6:%[0-9]+]]) in [4, 5] init 0.000000e+00 : tensor<2x3x1x1xf32> {
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x{{\[}}[[D]], [[D_2]], [[D_5]], [[D_6]]] : tensor<2x3x4x5xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %g_1 = tensor.compute ([[D_7:%[0-9]+]], [[D_8:%[0-9]+]], [[D_9:%[0-9]+]], [[D_10:%[0-9]+]]) : tensor<2x3x1x1xf32> {
// CHECK-NEXT:     [[G:%[0-9]+]] = tensor.read %g{{\[}}[[D_7]], [[D_8]], [[D_9]], [[D_10]]] : tensor<2x3x1x1xf32>
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2.000000e+01 : f32
// CHECK-NEXT:     [[DIVF:%[0-9]+]] = arith.divf [[G]], [[C2]] : f32
// CHECK-NEXT:     tensor.yield [[DIVF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %g_1 : tensor<2x3x1x1xf32>
// CHECK-NEXT: }
