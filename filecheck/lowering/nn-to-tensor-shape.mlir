// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn-to-tensor on the shape ops: each is one compute that reads its input (concat:
// each input) at index expressions of the output point.

// reshape merging two dims: the row-major position of the output index, split by
// the input dims with divui/remui.
func.func @reshape_merge(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  %r = nn.reshape %x {shape = array<i64: 6>} : tensor<2x3xf32> -> tensor<6xf32>
  func.return %r : tensor<6xf32>
}
// CHECK-LABEL: func.func @reshape_merge(%x: tensor<2x3xf32>) -> tensor<6xf32> {
// CHECK-NEXT:   %r = tensor.compute (%i0) : tensor<6xf32> {
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[DIVUI:%[0-9]+]] = arith.divui %i0, [[C3]] : index
// CHECK-NEXT:     [[C3_2:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[REMUI:%[0-9]+]] = arith.remui %i0, [[C3_2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x{{\[}}[[DIVUI]], [[REMUI]]] : tensor<2x3xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<6xf32>
// CHECK-NEXT: }

// -----

// reshape splitting the last dim: the first dim keeps its index, and the split
// dims are linearized (i1 * 64 + i2) into the input's last dim.
func.func @reshape_split(%x: tensor<8x256xf32>) -> tensor<8x4x64xf32> {
  %r = nn.reshape %x {shape = array<i64: 8, 4, 64>} : tensor<8x256xf32> -> tensor<8x4x64xf32>
  func.return %r : tensor<8x4x64xf32>
}
// CHECK-LABEL: func.func @reshape_split(%x: tensor<8x256xf32>) -> tensor<8x4x64xf32> {
// CHECK-NEXT:   %r = tensor.compute (%i0, %i1, %i2) : tensor<8x4x64xf32> {
// CHECK-NEXT:     [[C64:%[0-9]+]] = arith.constant 64 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %i1, [[C64]] : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], %i2 : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%i0, [[ADDI]]] : tensor<8x256xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<8x4x64xf32>
// CHECK-NEXT: }

// -----

// 2x3 -> 3x2 shares no dim: linearize all, then split.
func.func @reshape_regroup(%x: tensor<2x3xf64>) -> tensor<3x2xf64> {
  %r = nn.reshape %x {shape = array<i64: 3, 2>} : tensor<2x3xf64> -> tensor<3x2xf64>
  func.return %r : tensor<3x2xf64>
}
// CHECK-LABEL: func.func @reshape_regroup(%x: tensor<2x3xf64>) -> tensor<3x2xf64> {
// CHECK-NEXT:   %r = tensor.compute (%i0, %i1) : tensor<3x2xf64> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %i0, [[C2]] : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI]], %i1 : index
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[DIVUI:%[0-9]+]] = arith.divui [[ADDI]], [[C3]] : index
// CHECK-NEXT:     [[C3_2:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[REMUI:%[0-9]+]] = arith.remui [[ADDI]], [[C3_2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x{{\[}}[[DIVUI]], [[REMUI]]] : tensor<2x3xf64>
// CHECK-NEXT:     tensor.yield [[X]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3x2xf64>
// CHECK-NEXT: }

// -----

// To and from rank 0: size-1 dims are read at 0.
func.func @reshape_scalar(%s: tensor<f32>, %t: tensor<1x1xf32>) -> (tensor<1x1xf32>, tensor<f32>) {
  %r = nn.reshape %s {shape = array<i64: 1, 1>} : tensor<f32> -> tensor<1x1xf32>
  %q = nn.reshape %t {shape = array<i64>} : tensor<1x1xf32> -> tensor<f32>
  func.return %r, %q : tensor<1x1xf32>, tensor<f32>
}
// CHECK-LABEL: func.func @reshape_scalar(%s: tensor<f32>, %t: tensor<1x1xf32>) -> (tensor<1x1xf32>, tensor<f32>) {
// CHECK-NEXT:   %r = tensor.compute (%i0, %i1) : tensor<1x1xf32> {
// CHECK-NEXT:     [[S:%[0-9]+]] = tensor.read %s[] : tensor<f32>
// CHECK-NEXT:     tensor.yield [[S]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %q = tensor.compute () : tensor<f32> {
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[T:%[0-9]+]] = tensor.read %t{{\[}}[[C0]], [[C0]]] : tensor<1x1xf32>
// CHECK-NEXT:     tensor.yield [[T]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r, %q : tensor<1x1xf32>, tensor<f32>
// CHECK-NEXT: }

// -----

// flatten is a reshape to [prod(dims[:axis]), prod(dims[axis:])].
func.func @flatten(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %f = nn.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  func.return %f : tensor<2x12xf32>
}
// CHECK-LABEL: func.func @flatten(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
// CHECK-NEXT:   %f = tensor.compute (%i0, %i1) : tensor<2x12xf32> {
// CHECK-NEXT:     [[C4:%[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     [[DIVUI:%[0-9]+]] = arith.divui %i1, [[C4]] : index
// CHECK-NEXT:     [[C4_2:%[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     [[REMUI:%[0-9]+]] = arith.remui %i1, [[C4_2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%i0, [[DIVUI]], [[REMUI]]] : tensor<2x3x4xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %f : tensor<2x12xf32>
// CHECK-NEXT: }

// -----

// squeeze and unsqueeze only drop or add unit dims: plain index copies.
func.func @squeeze_unsqueeze(%x: tensor<1x4x1xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<1x4x1xf32>) {
  %s = nn.squeeze %x {axes = array<i64: 0, -1>} : tensor<1x4x1xf32> -> tensor<4xf32>
  %u = nn.unsqueeze %y {axes = array<i64: 0, -1>} : tensor<4xf32> -> tensor<1x4x1xf32>
  func.return %s, %u : tensor<4xf32>, tensor<1x4x1xf32>
}
// CHECK-LABEL: func.func @squeeze_unsqueeze(%x: tensor<1x4x1xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<1x4x1xf32>) {
// CHECK-NEXT:   %s = tensor.compute (%i0) : tensor<4xf32> {
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x{{\[}}[[C0]], %i0, [[C0]]] : tensor<1x4x1xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %u = tensor.compute (%i0_1, %i1, %i2) : tensor<1x4x1xf32> {
// CHECK-NEXT:     [[Y:%[0-9]+]] = tensor.read %y[%i1] : tensor<4xf32>
// CHECK-NEXT:     tensor.yield [[Y]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %s, %u : tensor<4xf32>, tensor<1x4x1xf32>
// CHECK-NEXT: }

// -----

// transpose: the output indices in another order.
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %t = nn.transpose %x {perm = array<i64: 2, 0, -2>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  func.return %t : tensor<4x2x3xf32>
}
// CHECK-LABEL: func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
// CHECK-NEXT:   %t = tensor.compute (%i0, %i1, %i2) : tensor<4x2x3xf32> {
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%i1, %i2, %i0] : tensor<2x3x4xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %t : tensor<4x2x3xf32>
// CHECK-NEXT: }

// -----

// broadcast_to: a stretched size-1 dim is read at 0, a new leading dim is ignored.
func.func @broadcast_to(%x: tensor<2x1xf32>, %s: tensor<f16>) -> (tensor<3x2x4xf32>, tensor<2xf16>) {
  %b = nn.broadcast_to %x {shape = array<i64: 3, 2, 4>} : tensor<2x1xf32> -> tensor<3x2x4xf32>
  %c = nn.broadcast_to %s {shape = array<i64: 2>} : tensor<f16> -> tensor<2xf16>
  func.return %b, %c : tensor<3x2x4xf32>, tensor<2xf16>
}
// CHECK-LABEL: func.func @broadcast_to(%x: tensor<2x1xf32>, %s: tensor<f16>) -> (tensor<3x2x4xf32>, tensor<2xf16>) {
// CHECK-NEXT:   %b = tensor.compute (%i0, %i1, %i2) : tensor<3x2x4xf32> {
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%i1, [[C0]]] : tensor<2x1xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %c = tensor.compute (%i0_1) : tensor<2xf16> {
// CHECK-NEXT:     [[S:%[0-9]+]] = tensor.read %s[] : tensor<f16>
// CHECK-NEXT:     tensor.yield [[S]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %b, %c : tensor<3x2x4xf32>, tensor<2xf16>
// CHECK-NEXT: }

// -----

// slice: start + step * i on each sliced dim; a negative step subtracts.
func.func @slice(%x: tensor<7x6xf32>) -> tensor<3x2xf32> {
  %s = nn.slice %x {starts = array<i64: 6, 1>, ends = array<i64: 0, 9223372036854775807>, steps = array<i64: -2, 3>} : tensor<7x6xf32> -> tensor<3x2xf32>
  func.return %s : tensor<3x2xf32>
}
// CHECK-LABEL: func.func @slice(%x: tensor<7x6xf32>) -> tensor<3x2xf32> {
// CHECK-NEXT:   %s = tensor.compute (%i0, %i1) : tensor<3x2xf32> {
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MULI:%[0-9]+]] = arith.muli %i0, [[C2]] : index
// CHECK-NEXT:     [[C6:%[0-9]+]] = arith.constant 6 : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[C6]], [[MULI]] : index
// CHECK-NEXT:     [[C3:%[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     [[MULI_2:%[0-9]+]] = arith.muli %i1, [[C3]] : index
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[ADDI:%[0-9]+]] = arith.addi [[MULI_2]], [[C1]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x{{\[}}[[SUBI]], [[ADDI]]] : tensor<7x6xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %s : tensor<3x2xf32>
// CHECK-NEXT: }

// -----

// Reversal: 7 - i.
func.func @slice_reverse(%x: tensor<8xf32>) -> tensor<8xf32> {
  %r = nn.slice %x {starts = array<i64: -1>, ends = array<i64: -9>, steps = array<i64: -1>} : tensor<8xf32> -> tensor<8xf32>
  func.return %r : tensor<8xf32>
}
// CHECK-LABEL: func.func @slice_reverse(%x: tensor<8xf32>) -> tensor<8xf32> {
// CHECK-NEXT:   %r = tensor.compute (%i0) : tensor<8xf32> {
// CHECK-NEXT:     [[C7:%[0-9]+]] = arith.constant 7 : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi [[C7]], %i0 : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x{{\[}}[[SUBI]]] : tensor<8xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<8xf32>
// CHECK-NEXT: }

// -----

// pad, mode "constant": read at i - pad_before, with the pad value out of bounds.
func.func @pad_constant(%x: tensor<2x3xf32>) -> tensor<3x5xf32> {
  %p = nn.pad %x {pads = array<i64: 1, 0, 0, 2>, value = -1.5} : tensor<2x3xf32> -> tensor<3x5xf32>
  func.return %p : tensor<3x5xf32>
}
// CHECK-LABEL: func.func @pad_constant(%x: tensor<2x3xf32>) -> tensor<3x5xf32> {
// CHECK-NEXT:   %p = tensor.compute (%i0, %i1) : tensor<3x5xf32> {
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi %i0, [[C1]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x{{\[}}[[SUBI]], %i1] pad -1.500000e+00 : tensor<2x3xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %p : tensor<3x5xf32>
// CHECK-NEXT: }

// -----

// pad, mode "edge": the index clamped into the input.
func.func @pad_edge(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %p = nn.pad %x {pads = array<i64: 0, 1, 0, 2>, mode = "edge"} : tensor<2x3xf32> -> tensor<2x6xf32>
  func.return %p : tensor<2x6xf32>
}
// CHECK-LABEL: func.func @pad_edge(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
// CHECK-NEXT:   %p = tensor.compute (%i0, %i1) : tensor<2x6xf32> {
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi %i1, [[C1]] : index
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[MAXSI:%[0-9]+]] = arith.maxsi [[SUBI]], [[C0]] : index
// CHECK-NEXT:     [[C2:%[0-9]+]] = arith.constant 2 : index
// CHECK-NEXT:     [[MINSI:%[0-9]+]] = arith.minsi [[MAXSI]], [[C2]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%i0, [[MINSI]]] : tensor<2x3xf32>
// CHECK-NEXT:     tensor.yield [[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %p : tensor<2x6xf32>
// CHECK-NEXT: }

// -----

// pad, mode "reflect": max(i, -i) mirrors at the start, min(i, 2 * (3 - 1) - i) at
// the end.
func.func @pad_reflect(%x: tensor<2x3xf64>) -> tensor<2x6xf64> {
  %p = nn.pad %x {pads = array<i64: 0, 1, 0, 2>, mode = "reflect"} : tensor<2x3xf64> -> tensor<2x6xf64>
  func.return %p : tensor<2x6xf64>
}
// CHECK-LABEL: func.func @pad_reflect(%x: tensor<2x3xf64>) -> tensor<2x6xf64> {
// CHECK-NEXT:   %p = tensor.compute (%i0, %i1) : tensor<2x6xf64> {
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi %i1, [[C1]] : index
// CHECK-NEXT:     [[C0:%[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     [[SUBI_2:%[0-9]+]] = arith.subi [[C0]], [[SUBI]] : index
// CHECK-NEXT:     [[MAXSI:%[0-9]+]] = arith.maxsi [[SUBI]], [[SUBI_2]] : index
// CHECK-NEXT:     [[C4:%[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     [[SUBI_3:%[0-9]+]] = arith.subi [[C4]], [[MAXSI]] : index
// CHECK-NEXT:     [[MINSI:%[0-9]+]] = arith.minsi [[MAXSI]], [[SUBI_3]] : index
// CHECK-NEXT:     [[X:%[0-9]+]] = tensor.read %x[%i0, [[MINSI]]] : tensor<2x3xf64>
// CHECK-NEXT:     tensor.yield [[X]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %p : tensor<2x6xf64>
// CHECK-NEXT: }

// -----

// concat: each input read shifted by its offset, with pad 0.0 so that every read
// is defined; cmpi/select pick the input that holds the row.
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>, %c: tensor<2x2xf32>) -> tensor<2x6xf32> {
  %r = nn.concat %a, %b, %c {axis = -1} : (tensor<2x1xf32>, tensor<2x3xf32>, tensor<2x2xf32>) -> tensor<2x6xf32>
  func.return %r : tensor<2x6xf32>
}
// CHECK-LABEL: func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>, %c: tensor<2x2xf32>) -> tensor<2x6xf32> {
// CHECK-NEXT:   %r = tensor.compute (%i0, %i1) : tensor<2x6xf32> {
// CHECK-NEXT:     [[A:%[0-9]+]] = tensor.read %a[%i0, %i1] pad 0.000000e+00 : tensor<2x1xf32>
// CHECK-NEXT:     [[C1:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[SUBI:%[0-9]+]] = arith.subi %i1, [[C1]] : index
// CHECK-NEXT:     [[B:%[0-9]+]] = tensor.read %b[%i0, [[SUBI]]] pad 0.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT:     [[C4:%[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     [[SUBI_2:%[0-9]+]] = arith.subi %i1, [[C4]] : index
// CHECK-NEXT:     [[C:%[0-9]+]] = tensor.read %c[%i0, [[SUBI_2]]] pad 0.000000e+00 : tensor<2x2xf32>
// CHECK-NEXT:     [[C4_2:%[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     [[CMPI:%[0-9]+]] = arith.cmpi slt, %i1, [[C4_2]] : index
// CHECK-NEXT:     [[SELECT:%[0-9]+]] = arith.select [[CMPI]], [[B]], [[C]] : f32
// CHECK-NEXT:     [[C1_2:%[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     [[CMPI_2:%[0-9]+]] = arith.cmpi slt, %i1, [[C1_2]] : index
// CHECK-NEXT:     [[SELECT_2:%[0-9]+]] = arith.select [[CMPI_2]], [[A]], [[SELECT]] : f32
// CHECK-NEXT:     tensor.yield [[SELECT_2]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x6xf32>
// CHECK-NEXT: }

// -----

// An input with no rows is never read; one input left is a plain copy.
func.func @concat_single(%a: tensor<0x2xf32>, %b: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %r = nn.concat %a, %b {axis = 0} : (tensor<0x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  func.return %r : tensor<3x2xf32>
}
// CHECK-LABEL: func.func @concat_single(%a: tensor<0x2xf32>, %b: tensor<3x2xf32>) -> tensor<3x2xf32> {
// CHECK-NEXT:   %r = tensor.compute (%i0, %i1) : tensor<3x2xf32> {
// CHECK-NEXT:     [[B:%[0-9]+]] = tensor.read %b[%i0, %i1] : tensor<3x2xf32>
// CHECK-NEXT:     tensor.yield [[B]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3x2xf32>
// CHECK-NEXT: }

// -----

// Padding an integer or boolean tensor converts the value as nn.cast does:
// 2.5 truncates to 2, and any nonzero value is true.

func.func @pad_integers(%x: tensor<3xi32>, %b: tensor<2xi1>) -> (tensor<5xi32>, tensor<3xi1>) {
  %p = nn.pad %x {pads = array<i64: 1, 1>, value = 2.5} : tensor<3xi32> -> tensor<5xi32>
  %q = nn.pad %b {pads = array<i64: 0, 1>, value = 0.5} : tensor<2xi1> -> tensor<3xi1>
  func.return %p, %q : tensor<5xi32>, tensor<3xi1>
}
// CHECK-LABEL: func.func @pad_integers(%x: tensor<3xi32>, %b: tensor<2xi1>) -> (tensor<5xi32>, tensor<3xi1>) {
// CHECK-NEXT:   %p = tensor.compute (%i0) : tensor<5xi32> {
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 1 : index
// CHECK-NEXT:     %[[SUBI:[0-9]+]] = arith.subi %i0, %[[CONSTANT]] : index
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %x[%[[SUBI]]] pad 2 : tensor<3xi32>
// CHECK-NEXT:     tensor.yield %[[READ]] : i32
// CHECK-NEXT:   }
// CHECK-NEXT:   %q = tensor.compute (%i0_1) : tensor<3xi1> {
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %b[%i0_1] pad true : tensor<2xi1>
// CHECK-NEXT:     tensor.yield %[[READ2]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %p, %q : tensor<5xi32>, tensor<3xi1>
// CHECK-NEXT: }
