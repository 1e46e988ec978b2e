// RUN: dlc-opt %s --split-input-file -p 'tensor-flatten{target=avx512}' | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'tensor-flatten{target=avx512}' --print-op-generic | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'nn-to-tensor,tensor-schedule{target=avx512 override="%z: register = [1, 2, 1, 4, 1, 1, 1], vectorize = 4"},tensor-flatten{target=avx512}' | filecheck %s --check-prefix=SCHEDULED

// A 3x3/2 convolution with 7-wide rows and a bias epilogue: its rows become one
// dim of 35 points (oh * 7 + ow), and a copy reads it back into rows.
func.func @strided(%x: tensor<1x3x11x13xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x5x7xf32> {
  %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [3, 3, 3] init 0.0 : tensor<1x4x5x7xf32> {
    %two = arith.constant 2 : index
    %h0 = arith.muli %oh, %two : index
    %h = arith.addi %h0, %kh : index
    %v0 = arith.muli %ow, %two : index
    %v = arith.addi %v0, %kw : index
    %xv = tensor.read %x[%n, %c, %h, %v] : tensor<1x3x11x13xf32>
    %wv = tensor.read %w[%f, %c, %kh, %kw] : tensor<4x3x3x3xf32>
    %m = arith.mulf %xv, %wv : f32
    tensor.yield %m : f32
  } epilogue {
  ^bb0(%n_e: index, %f_e: index, %oh_e: index, %ow_e: index, %acc: f32):
    %bv = tensor.read %b[%f_e] : tensor<4xf32>
    %s = arith.addf %acc, %bv : f32
    tensor.yield %s : f32
  }
  func.return %y : tensor<1x4x5x7xf32>
}
// CHECK-LABEL: func.func @strided
// CHECK-NEXT:    %y_flat = tensor.compute (%n, %f, %p) reduce add (%c, %kh, %kw) in [3, 3, 3] init 0.000000e+00 : tensor<1x4x35xf32> {
// CHECK-NEXT:      %0 = arith.constant 7 : index
// CHECK-NEXT:      %oh = arith.divui %p, %0 : index
// CHECK-NEXT:      %ow = arith.remui %p, %0 : index
// CHECK:           %xv = tensor.read %x[%n, %c, %h, %v] : tensor<1x3x11x13xf32>
// CHECK:         } epilogue {
// CHECK-NEXT:    ^bb0(%n_e: index, %f_e: index, %p_1: index, %acc: f32):
// CHECK:           %bv = tensor.read %b[%f_e] : tensor<4xf32>
// CHECK:         %y = tensor.compute (%n_1, %f_1, %oh_1, %ow_1) : tensor<1x4x5x7xf32> {
// CHECK-NEXT:      %{{.*}} = arith.constant 7 : index
// CHECK-NEXT:      %[[ROW:.*]] = arith.muli %oh_1, %{{.*}} : index
// CHECK-NEXT:      %[[POINT:.*]] = arith.addi %[[ROW]], %ow_1 : index
// CHECK-NEXT:      %{{.*}} = tensor.read %y_flat[%n_1, %f_1, %[[POINT]]] : tensor<1x4x35xf32>
// CHECK:         func.return %y : tensor<1x4x5x7xf32>

// -----

// Stride 1: the input is read with plain vector loads along the row; rows that
// fill whole vectors (32 = 2 x 16); a residual read along the rows in the
// epilogue: none of them is flattened.
func.func @kept(%x: tensor<1x3x9x9xf32>, %w: tensor<4x3x3x3xf32>, %r: tensor<1x4x4x7xf32>, %z: tensor<1x3x8x64xf32>) -> (tensor<1x4x7x7xf32>, tensor<1x4x4x32xf32>, tensor<1x4x4x7xf32>) {
  %s1 = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [3, 3, 3] init 0.0 : tensor<1x4x7x7xf32> {
    %h = arith.addi %oh, %kh : index
    %v = arith.addi %ow, %kw : index
    %xv = tensor.read %x[%n, %c, %h, %v] : tensor<1x3x9x9xf32>
    %wv = tensor.read %w[%f, %c, %kh, %kw] : tensor<4x3x3x3xf32>
    %m = arith.mulf %xv, %wv : f32
    tensor.yield %m : f32
  }
  %wide = tensor.compute (%n, %f, %oh, %ow) reduce add (%c) in [3] init 0.0 : tensor<1x4x4x32xf32> {
    %two = arith.constant 2 : index
    %h = arith.muli %oh, %two : index
    %v = arith.muli %ow, %two : index
    %xv = tensor.read %z[%n, %c, %h, %v] : tensor<1x3x8x64xf32>
    %wv = tensor.read %w[%f, %c, %two, %two] : tensor<4x3x3x3xf32>
    %m = arith.mulf %xv, %wv : f32
    tensor.yield %m : f32
  }
  %res = tensor.compute (%n, %f, %oh, %ow) reduce add (%c) in [3] init 0.0 : tensor<1x4x4x7xf32> {
    %two = arith.constant 2 : index
    %h = arith.muli %oh, %two : index
    %v = arith.muli %ow, %two : index
    %xv = tensor.read %x[%n, %c, %h, %v] : tensor<1x3x9x9xf32>
    %wv = tensor.read %w[%f, %c, %two, %two] : tensor<4x3x3x3xf32>
    %m = arith.mulf %xv, %wv : f32
    tensor.yield %m : f32
  } epilogue {
  ^bb0(%n_e: index, %f_e: index, %oh_e: index, %ow_e: index, %acc: f32):
    %rv = tensor.read %r[%n_e, %f_e, %oh_e, %ow_e] : tensor<1x4x4x7xf32>
    %s = arith.addf %acc, %rv : f32
    tensor.yield %s : f32
  }
  func.return %s1, %wide, %res : tensor<1x4x7x7xf32>, tensor<1x4x4x32xf32>, tensor<1x4x4x7xf32>
}
// CHECK-LABEL: func.func @kept
// CHECK-NOT:     _flat
// CHECK-NOT:     arith.divui
// CHECK:         func.return

// -----

// After tensor-schedule: a default schedule is replaced by the defaults of the
// two new computes; a schedule the user chose stays, with the loops it names.
func.func @scheduled(%x: tensor<1x3x11x15xf32>, %w: tensor<8x3x3x3xf32>) -> (tensor<1x8x5x7xf32>, tensor<1x8x5x7xf32>) {
  %y = nn.conv2d %x, %w {strides = array<i64: 2, 2>} : (tensor<1x3x11x15xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x5x7xf32>
  %z = nn.conv2d %x, %w {strides = array<i64: 2, 2>} : (tensor<1x3x11x15xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x5x7xf32>
  func.return %y, %z : tensor<1x8x5x7xf32>, tensor<1x8x5x7xf32>
}
// SCHEDULED-LABEL: func.func @scheduled
// SCHEDULED:         %y_flat = tensor.compute (%n, %f, %p) reduce add (%c, %kh, %kw) in [3, 3, 3] init 0.000000e+00 schedule<vectorize = 16, register = [1, 8, 32, 1, 1, 1], pack = [0]> : tensor<1x8x35xf32> {
// SCHEDULED:         %y = tensor.compute (%n_1, %f_1, %oh_1, %ow_1) schedule<vectorize = 4> : tensor<1x8x5x7xf32> {
// SCHEDULED:         %z = tensor.compute (%n_2, %f_2, %oh_2, %ow_2) reduce add (%c_1, %kh_1, %kw_1) in [3, 3, 3] init 0.000000e+00 schedule<vectorize = 4, register = [1, 2, 1, 4, 1, 1, 1], pack = [0]> : tensor<1x8x5x7xf32> {
