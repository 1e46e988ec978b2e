// RUN: dlc-opt %s -p canonicalize --split-input-file | filecheck %s
// Canonicalizing the output again changes nothing:
// RUN: dlc-opt %s -p canonicalize --split-input-file | dlc-opt -p canonicalize --split-input-file | filecheck %s

// Order-preserving shape ops whose result type is their input type disappear.

// CHECK-LABEL: func.func @same_type_shape_ops_are_removed
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    func.return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @same_type_shape_ops_are_removed(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %reshape = nn.reshape %x {shape = array<i64: 2, 3>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %flatten = nn.flatten %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %squeeze = nn.squeeze %x {axes = array<i64>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %unsqueeze = nn.unsqueeze %x {axes = array<i64>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %broadcast = nn.broadcast_to %x {shape = array<i64: 2, 3>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %pad = nn.pad %x {pads = array<i64: 0, 0, 0, 0>, mode = "edge"} : tensor<2x3xf32> -> tensor<2x3xf32>
  %concat = nn.concat %x {axis = 1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %reshape, %flatten, %squeeze, %unsqueeze, %broadcast, %pad, %concat
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>,
        tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// A shape op that changes the type stays.

// CHECK-LABEL: func.func @type_changing_shape_ops_stay
// CHECK-NEXT:    nn.reshape
// CHECK-NEXT:    nn.flatten
// CHECK-NEXT:    nn.pad
// CHECK-NEXT:    nn.concat
// CHECK-NEXT:    func.return
func.func @type_changing_shape_ops_stay(%x: tensor<2x3x1xf32>)
    -> (tensor<6xf32>, tensor<2x3xf32>, tensor<2x3x2xf32>, tensor<2x3x2xf32>) {
  %reshape = nn.reshape %x {shape = array<i64: 6>} : tensor<2x3x1xf32> -> tensor<6xf32>
  %flatten = nn.flatten %x : tensor<2x3x1xf32> -> tensor<2x3xf32>
  %pad = nn.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 1>} : tensor<2x3x1xf32> -> tensor<2x3x2xf32>
  %concat = nn.concat %x, %x {axis = -1} : (tensor<2x3x1xf32>, tensor<2x3x1xf32>) -> tensor<2x3x2xf32>
  func.return %reshape, %flatten, %pad, %concat
      : tensor<6xf32>, tensor<2x3xf32>, tensor<2x3x2xf32>, tensor<2x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @identity_transpose_is_removed
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x2xf32>)
// CHECK-NEXT:    func.return %[[X]]
func.func @identity_transpose_is_removed(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %t = nn.transpose %x {perm = array<i64: -2, 1>} : tensor<2x2xf32> -> tensor<2x2xf32>
  func.return %t : tensor<2x2xf32>
}

// -----

// A square transpose keeps the type but is not the identity.

// CHECK-LABEL: func.func @square_transpose_stays
// CHECK-NEXT:    %{{.*}} = nn.transpose %{{.*}} {perm = array<i64: 1, 0>}
func.func @square_transpose_stays(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %t = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x2xf32> -> tensor<2x2xf32>
  func.return %t : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @transposes_compose
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[T:.*]] = nn.transpose %[[X]] {perm = array<i64: 2, 1, 0>} : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
// CHECK-NEXT:    func.return %[[T]]
func.func @transposes_compose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %a = nn.transpose %x {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %b = nn.transpose %a {perm = array<i64: 1, 0, 2>} : tensor<3x4x2xf32> -> tensor<4x3x2xf32>
  func.return %b : tensor<4x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @inverse_transposes_cancel
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    func.return %[[X]]
func.func @inverse_transposes_cancel(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %a = nn.transpose %x {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %b = nn.transpose %a {perm = array<i64: 2, 0, 1>} : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  func.return %b : tensor<2x3x4xf32>
}

// -----

// The inner transpose has another use, so it stays; the outer one reads %x.

// CHECK-LABEL: func.func @shared_inner_transpose_stays
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[A:.*]] = nn.transpose %[[X]] {perm = array<i64: 1, 0>}
// CHECK-NEXT:    func.return %[[A]], %[[X]]
func.func @shared_inner_transpose_stays(%x: tensor<2x3xf32>)
    -> (tensor<3x2xf32>, tensor<2x3xf32>) {
  %a = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %b = nn.transpose %a {perm = array<i64: 1, 0>} : tensor<3x2xf32> -> tensor<2x3xf32>
  func.return %a, %b : tensor<3x2xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshapes_compose
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[R:.*]] = nn.reshape %[[X]] {shape = array<i64: 4, 6>} : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NEXT:    func.return %[[R]]
func.func @reshapes_compose(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %a = nn.reshape %x {shape = array<i64: 6, 4>} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %b = nn.reshape %a {shape = array<i64: 4, 6>} : tensor<6x4xf32> -> tensor<4x6xf32>
  func.return %b : tensor<4x6xf32>
}

// -----

// A flatten, squeeze or unsqueeze followed by a reshape is one reshape too.

// CHECK-LABEL: func.func @reshape_of_flatten_and_unsqueeze
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[A:.*]] = nn.reshape %[[X]] {shape = array<i64: 24>}
// CHECK-NEXT:    %[[B:.*]] = nn.reshape %[[X]] {shape = array<i64: 6, 4>}
// CHECK-NEXT:    func.return %[[A]], %[[B]]
func.func @reshape_of_flatten_and_unsqueeze(%x: tensor<2x3x4xf32>)
    -> (tensor<24xf32>, tensor<6x4xf32>) {
  %f = nn.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %a = nn.reshape %f {shape = array<i64: 24>} : tensor<2x12xf32> -> tensor<24xf32>
  %u = nn.unsqueeze %x {axes = array<i64: 0>} : tensor<2x3x4xf32> -> tensor<1x2x3x4xf32>
  %b = nn.reshape %u {shape = array<i64: 6, 4>} : tensor<1x2x3x4xf32> -> tensor<6x4xf32>
  func.return %a, %b : tensor<24xf32>, tensor<6x4xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_back_to_the_source_cancels
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    func.return %[[X]]
func.func @reshape_back_to_the_source_cancels(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = nn.reshape %x {shape = array<i64: 3, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %b = nn.reshape %a {shape = array<i64: 2, 3>} : tensor<3x2xf32> -> tensor<2x3xf32>
  func.return %b : tensor<2x3xf32>
}

// -----

// A slice that keeps everything in order is removed, whatever its bounds say.

// CHECK-LABEL: func.func @full_slices_are_removed
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<4x1xf32>)
// CHECK-NEXT:    func.return %[[X]], %[[X]]
func.func @full_slices_are_removed(%x: tensor<4x1xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>) {
  %a = nn.slice %x {starts = array<i64: -100>, ends = array<i64: 9223372036854775807>}
      : tensor<4x1xf32> -> tensor<4x1xf32>
  // a reversed size-1 dimension is the same dimension
  %b = nn.slice %x {starts = array<i64: 0>, ends = array<i64: -5>, axes = array<i64: 1>,
                    steps = array<i64: -1>} : tensor<4x1xf32> -> tensor<4x1xf32>
  func.return %a, %b : tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// A reversing slice keeps the type but not the order, and a partial slice changes
// the type: both stay.

// CHECK-LABEL: func.func @reversing_and_partial_slices_stay
// CHECK-NEXT:    nn.slice %{{.*}} {starts = array<i64: -1>, ends = array<i64: -5>, steps = array<i64: -1>}
// CHECK-NEXT:    nn.slice %{{.*}} {starts = array<i64: 1>, ends = array<i64: 4>}
func.func @reversing_and_partial_slices_stay(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<3xf32>) {
  %a = nn.slice %x {starts = array<i64: -1>, ends = array<i64: -5>, steps = array<i64: -1>}
      : tensor<4xf32> -> tensor<4xf32>
  %b = nn.slice %x {starts = array<i64: 1>, ends = array<i64: 4>} : tensor<4xf32> -> tensor<3xf32>
  func.return %a, %b : tensor<4xf32>, tensor<3xf32>
}

// -----

// Ops on small inline constants fold, through chains, with the interpreter's values.

// CHECK-LABEL: func.func @constants_fold
// CHECK-NEXT:    %[[C:.*]] = nn.constant dense<{{\[}}[2.000000e+00, 6.000000e+00], [-2.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT:    func.return %[[C]] : tensor<2x2xf32>
func.func @constants_fold() -> tensor<2x2xf32> {
  %a = nn.constant dense<[1.0, -2.0, 3.0, 4.0]> : tensor<4xf32>
  %b = nn.reshape %a {shape = array<i64: 2, 2>} : tensor<4xf32> -> tensor<2x2xf32>
  %c = nn.transpose %b {perm = array<i64: 1, 0>} : tensor<2x2xf32> -> tensor<2x2xf32>
  %d = nn.relu %c : tensor<2x2xf32>
  %e = nn.add %d, %c : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %e : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @broadcasting_constants_fold
// CHECK-NEXT:    %[[C:.*]] = nn.constant dense<{{\[}}[1.100000e+01, 2.100000e+01], [1.200000e+01, 2.200000e+01]]> : tensor<2x2xf64>
// CHECK-NEXT:    func.return %[[C]]
func.func @broadcasting_constants_fold() -> tensor<2x2xf64> {
  %a = nn.constant dense<[[1.0], [2.0]]> : tensor<2x1xf64>
  %b = nn.constant dense<[10.0, 20.0]> : tensor<2xf64>
  %c = nn.add %a, %b : (tensor<2x1xf64>, tensor<2xf64>) -> tensor<2x2xf64>
  func.return %c : tensor<2x2xf64>
}

// -----

// No folding when an operand is not a constant, when an operand is a resource
// blob, or when the result has more than 256 elements.

// CHECK-LABEL: func.func @constants_that_do_not_fold
// CHECK-NEXT:    nn.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT:    nn.add
// CHECK-NEXT:    nn.constant dense_resource<canonicalize_blob> : tensor<2xf32>
// CHECK-NEXT:    nn.relu
// CHECK-NEXT:    nn.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT:    nn.broadcast_to %{{.*}} {shape = array<i64: 16, 17>} : tensor<f32> -> tensor<16x17xf32>
// CHECK-NEXT:    func.return
func.func @constants_that_do_not_fold(%x: tensor<2xf32>)
    -> (tensor<2xf32>, tensor<2xf32>, tensor<16x17xf32>) {
  %one = nn.constant dense<1.0> : tensor<2xf32>
  %a = nn.add %x, %one : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %w = nn.constant dense_resource<canonicalize_blob> : tensor<2xf32>
  %b = nn.relu %w : tensor<2xf32>
  %half = nn.constant dense<0.5> : tensor<f32>
  %c = nn.broadcast_to %half {shape = array<i64: 16, 17>} : tensor<f32> -> tensor<16x17xf32>
  func.return %a, %b, %c : tensor<2xf32>, tensor<2xf32>, tensor<16x17xf32>
}
{-#
  dialect_resources: {
    builtin: {
      canonicalize_blob: "0x040000000000803F000000C0"
    }
  }
#-}
// CHECK:       canonicalize_blob: "0x040000000000803F000000C0"
