// RUN: dlc-opt %s --split-input-file -p loop-to-llvm | filecheck %s

// exp, tanh and erf on f32 vectors become straight-line polynomial code, not one
// libm call per lane (tests/test_vector_math.py checks their accuracy). Scalars,
// and vectors of other element types, keep the intrinsic or libm lowering.

func.func @exp(%x: vector<16xf32>) -> vector<16xf32> {
  %y = math.exp %x : vector<16xf32>
  func.return %y : vector<16xf32>
}
// CHECK-LABEL: llvm.func @exp
// CHECK:         llvm.call_intrinsic "llvm.minimum.v16f32"
// CHECK:         llvm.call_intrinsic "llvm.maximum.v16f32"
// CHECK:         llvm.call_intrinsic "llvm.roundeven.v16f32"
// CHECK-COUNT-7: llvm.intr.fma
// CHECK:         llvm.call_intrinsic "llvm.fptosi.sat.v16i32.v16f32"
// CHECK:         llvm.ashr
// CHECK:         llvm.shl
// CHECK:         llvm.bitcast %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK-NOT:     llvm.call
// CHECK:         llvm.return

// -----

func.func @tanh_erf(%x: vector<8xf32>) -> vector<8xf32> {
  %t = math.tanh %x : vector<8xf32>
  %e = math.erf %t : vector<8xf32>
  func.return %e : vector<8xf32>
}
// CHECK-LABEL: llvm.func @tanh_erf
// CHECK-NOT:     llvm.call @
// CHECK:         llvm.fdiv %{{.*}} : vector<8xf32>
// CHECK:         llvm.fdiv %{{.*}} : vector<8xf32>
// CHECK-NOT:     llvm.call @
// CHECK:         llvm.return

// -----

func.func @scalar(%x: f32) -> f32 {
  %e = math.exp %x : f32
  func.return %e : f32
}
// CHECK-LABEL: llvm.func @scalar
// CHECK:         llvm.call_intrinsic "llvm.exp.f32"

// -----

func.func @double(%y: vector<4xf64>) -> vector<4xf64> {
  %t = math.tanh %y : vector<4xf64>
  func.return %t : vector<4xf64>
}
// CHECK-LABEL: llvm.func @double
// CHECK:         llvm.call_intrinsic "llvm.tanh.v4f64"
