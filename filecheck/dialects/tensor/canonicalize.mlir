// RUN: dlc-opt %s --split-input-file -p canonicalize | filecheck %s
// RUN: dlc-opt %s --split-input-file -p cse | filecheck %s --check-prefix=CSE

// The tensor dialect's canonicalization patterns (FoldIdentityCompute,
// FoldReadOfUniformCompute), then what xDSL's cse does to reads and computes.

// An elementwise copy of a tensor of the same type is that tensor; the pad does not
// matter, since the indices cover exactly the tensor's own shape.
func.func @identity(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = tensor.compute (%i, %j) : tensor<4x8xf32> {
    %v = tensor.read %x[%i, %j] pad 0.0 : tensor<4x8xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<4x8xf32>
}
// CHECK-LABEL: func.func @identity(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT:  func.return %x : tensor<4x8xf32>
// CHECK-NEXT:  }

// -----

// Not copies: a transpose, a slice of a larger tensor, a reduction.
func.func @not_identity(%x: tensor<4x4xf32>, %big: tensor<8x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>) {
  %t = tensor.compute (%i, %j) : tensor<4x4xf32> {
    %v = tensor.read %x[%j, %i] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  %s = tensor.compute (%i, %j) : tensor<4x4xf32> {
    %v = tensor.read %big[%i, %j] : tensor<8x4xf32>
    tensor.yield %v : f32
  }
  %r = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<4xf32> {
    %v = tensor.read %x[%i, %k] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return %t, %s, %r : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>
}
// CHECK-LABEL: func.func @not_identity(%x: tensor<4x4xf32>, %big: tensor<8x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>) {
// CHECK-NEXT:  %t = tensor.compute (%i, %j) : tensor<4x4xf32> {
// CHECK-NEXT:  %v = tensor.read %x[%j, %i] : tensor<4x4xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %s = tensor.compute (%i_1, %j_1) : tensor<4x4xf32> {
// CHECK-NEXT:  %v_1 = tensor.read %big[%i_1, %j_1] : tensor<8x4xf32>
// CHECK-NEXT:  tensor.yield %v_1 : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %r = tensor.compute (%i_2) reduce add (%k) in [4] init 0.000000e+00 : tensor<4xf32> {
// CHECK-NEXT:  %v_2 = tensor.read %x[%i_2, %k] : tensor<4x4xf32>
// CHECK-NEXT:  tensor.yield %v_2 : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %t, %s, %r : tensor<4x4xf32>, tensor<4x4xf32>, tensor<4xf32>
// CHECK-NEXT:  }

// -----

// Reading a compute that is one constant everywhere reads the constant; the filled
// tensor is then dead and disappears.
func.func @read_of_fill(%x: tensor<4xf32>) -> tensor<4xf32> {
  %fill = tensor.compute (%i) : tensor<4xf32> {
    %one = arith.constant 1.0 : f32
    tensor.yield %one : f32
  }
  %y = tensor.compute (%i) : tensor<4xf32> {
    %a = tensor.read %x[%i] : tensor<4xf32>
    %b = tensor.read %fill[%i] : tensor<4xf32>
    %s = arith.addf %a, %b : f32
    tensor.yield %s : f32
  }
  func.return %y : tensor<4xf32>
}
// CHECK-LABEL: func.func @read_of_fill(%x: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT:  %y = tensor.compute (%i) : tensor<4xf32> {
// CHECK-NEXT:  %a = tensor.read %x[%i] : tensor<4xf32>
// CHECK-NEXT:  %one = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:  %s = arith.addf %a, %one : f32
// CHECK-NEXT:  tensor.yield %s : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<4xf32>
// CHECK-NEXT:  }

// -----

// The same when the uniform value is defined above the producer.
func.func @read_of_broadcast_scalar(%x: tensor<4xf32>, %c: f32) -> tensor<4xf32> {
  %fill = tensor.compute (%i) : tensor<4xf32> {
    tensor.yield %c : f32
  }
  %y = tensor.compute (%i) : tensor<4xf32> {
    %a = tensor.read %x[%i] : tensor<4xf32>
    %b = tensor.read %fill[%i] : tensor<4xf32>
    %s = arith.mulf %a, %b : f32
    tensor.yield %s : f32
  }
  func.return %y : tensor<4xf32>
}
// CHECK-LABEL: func.func @read_of_broadcast_scalar(%x: tensor<4xf32>, %c: f32) -> tensor<4xf32> {
// CHECK-NEXT:  %y = tensor.compute (%i) : tensor<4xf32> {
// CHECK-NEXT:  %a = tensor.read %x[%i] : tensor<4xf32>
// CHECK-NEXT:  %s = arith.mulf %a, %c : f32
// CHECK-NEXT:  tensor.yield %s : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<4xf32>
// CHECK-NEXT:  }

// -----

// A padded read of a fill is left alone: out of bounds it gives the pad.
func.func @padded_read_of_fill() -> tensor<6xf32> {
  %fill = tensor.compute (%i) : tensor<4xf32> {
    %one = arith.constant 1.0 : f32
    tensor.yield %one : f32
  }
  %y = tensor.compute (%i) : tensor<6xf32> {
    %c1 = arith.constant 1 : index
    %j = arith.subi %i, %c1 : index
    %b = tensor.read %fill[%j] pad 0.0 : tensor<4xf32>
    tensor.yield %b : f32
  }
  func.return %y : tensor<6xf32>
}
// CHECK-LABEL: func.func @padded_read_of_fill() -> tensor<6xf32> {
// CHECK-NEXT:  %fill = tensor.compute (%i) : tensor<4xf32> {
// CHECK-NEXT:  %one = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:  tensor.yield %one : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %y = tensor.compute (%i_1) : tensor<6xf32> {
// CHECK-NEXT:  %c1 = arith.constant 1 : index
// CHECK-NEXT:  %j = arith.subi %i_1, %c1 : index
// CHECK-NEXT:  %b = tensor.read %fill[%j] pad 0.000000e+00 : tensor<4xf32>
// CHECK-NEXT:  tensor.yield %b : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<6xf32>
// CHECK-NEXT:  }

// -----

// Identical reads in one body are one read.
func.func @square(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = tensor.compute (%i) : tensor<4xf32> {
    %a = tensor.read %x[%i] : tensor<4xf32>
    %b = tensor.read %x[%i] : tensor<4xf32>
    %s = arith.mulf %a, %b : f32
    tensor.yield %s : f32
  }
  func.return %y : tensor<4xf32>
}
// CSE-LABEL: func.func @square(%x: tensor<4xf32>) -> tensor<4xf32> {
// CSE-NEXT:  %y = tensor.compute (%i) : tensor<4xf32> {
// CSE-NEXT:  %a = tensor.read %x[%i] : tensor<4xf32>
// CSE-NEXT:  %s = arith.mulf %a, %a : f32
// CSE-NEXT:  tensor.yield %s : f32
// CSE-NEXT:  }
// CSE-NEXT:  func.return %y : tensor<4xf32>
// CSE-NEXT:  }

// -----

// Reads that differ in their pad are different reads.
func.func @different_pads(%x: tensor<4xf32>) -> tensor<6xf32> {
  %y = tensor.compute (%i) : tensor<6xf32> {
    %a = tensor.read %x[%i] pad 0.0 : tensor<4xf32>
    %b = tensor.read %x[%i] pad 1.0 : tensor<4xf32>
    %s = arith.mulf %a, %b : f32
    tensor.yield %s : f32
  }
  func.return %y : tensor<6xf32>
}
// CSE-LABEL: func.func @different_pads(%x: tensor<4xf32>) -> tensor<6xf32> {
// CSE-NEXT:  %y = tensor.compute (%i) : tensor<6xf32> {
// CSE-NEXT:  %a = tensor.read %x[%i] pad 0.000000e+00 : tensor<4xf32>
// CSE-NEXT:  %b = tensor.read %x[%i] pad 1.000000e+00 : tensor<4xf32>
// CSE-NEXT:  %s = arith.mulf %a, %b : f32
// CSE-NEXT:  tensor.yield %s : f32
// CSE-NEXT:  }
// CSE-NEXT:  func.return %y : tensor<6xf32>
// CSE-NEXT:  }

// -----

// Two identical computes are one compute.
func.func @twice(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = tensor.compute (%i) : tensor<4xf32> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    %e = math.exp %v : f32
    tensor.yield %e : f32
  }
  %b = tensor.compute (%i) : tensor<4xf32> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    %e = math.exp %v : f32
    tensor.yield %e : f32
  }
  func.return %a, %b : tensor<4xf32>, tensor<4xf32>
}
// CSE-LABEL: func.func @twice(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
// CSE-NEXT:  %a = tensor.compute (%i) : tensor<4xf32> {
// CSE-NEXT:  %v = tensor.read %x[%i] : tensor<4xf32>
// CSE-NEXT:  %e = math.exp %v : f32
// CSE-NEXT:  tensor.yield %e : f32
// CSE-NEXT:  }
// CSE-NEXT:  func.return %a, %a : tensor<4xf32>, tensor<4xf32>
// CSE-NEXT:  }

// -----

// A copy of a computed-at compute stays: that compute is only read in its host's
// loop nest, and the copy is the host.
func.func @copy_of_computed_at(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %e = tensor.compute (%i, %j) compute_at 1 : tensor<2x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %n = math.exp %v : f32
    tensor.yield %n : f32
  }
  %y = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %v = tensor.read %e[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @copy_of_computed_at(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
// CHECK:         %e = tensor.compute (%i, %j) compute_at 1 : tensor<2x5xf32> {
// CHECK:         %y = tensor.compute (%i_1, %j_1) : tensor<2x5xf32> {
// CHECK-NEXT:      %v_1 = tensor.read %e[%i_1, %j_1] : tensor<2x5xf32>
// CHECK-NEXT:      tensor.yield %v_1 : f32
// CHECK:         func.return %y : tensor<2x5xf32>
