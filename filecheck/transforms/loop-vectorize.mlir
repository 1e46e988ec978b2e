// RUN: dlc-opt %s --split-input-file -p loop-vectorize | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-vectorize{width=4}' | filecheck %s --check-prefix=ALL
// RUN: dlc-opt %s --split-input-file -p 'loop-vectorize{debug=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REMARK
// RUN: dlc-opt %s --split-input-file -p loop-vectorize,loop-to-llvm | filecheck %s --check-prefix=LLVM

// loop-vectorize runs W iterations of an annotated loop at once: a main loop over
// vectors, then the original scalar loop for the rest. Loads and stores along the
// loop index become loop.vload/vstore, invariant scalars a loop.splat before the
// loop, float arith/math takes vector types, a * b + c becomes loop.fma.

func.func @scale(%X: memref<4x19xf32>, %Y: memref<4x19xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c19 = arith.constant 19 : index
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c19 step %c1 {
      %x = memref.load %X[%i, %j] : memref<4x19xf32>
      %y = arith.mulf %x, %s : f32
      %z = arith.addf %y, %x : f32
      %e = math.exp %z : f32
      memref.store %e, %Y[%i, %j] : memref<4x19xf32>
    } {vectorize = 8 : i64}
  }
  func.return
}
// CHECK-LABEL: func.func @scale
// CHECK:         loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      %c8 = arith.constant 8 : index
// CHECK-NEXT:      %c16 = arith.constant 16 : index
// CHECK-NEXT:      %[[S:.*]] = loop.splat %s : vector<8xf32>
// CHECK-NEXT:      loop.for %j = %c0 to %c16 step %c8 {
// CHECK-NEXT:        %x = loop.vload %X[%i, %j] : memref<4x19xf32>, vector<8xf32>
// CHECK-NEXT:        %z = loop.fma %x, %[[S]], %x : vector<8xf32>
// CHECK-NEXT:        %e = math.exp %z : vector<8xf32>
// CHECK-NEXT:        loop.vstore %e, %Y[%i, %j] : memref<4x19xf32>, vector<8xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      loop.for %j_1 = %c16 to %c19 step %c1 {
// CHECK-NEXT:        %x_1 = memref.load %X[%i, %j_1] : memref<4x19xf32>
// CHECK-NEXT:        %y = arith.mulf %x_1, %s : f32
// CHECK-NEXT:        %z_1 = arith.addf %y, %x_1 : f32
// CHECK-NEXT:        %e_1 = math.exp %z_1 : f32
// CHECK-NEXT:        memref.store %e_1, %Y[%i, %j_1] : memref<4x19xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// LLVM-LABEL:  llvm.func @scale
// LLVM:          llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<8xf32>
// LLVM:          llvm.intr.fma
// LLVM:          llvm.call_intrinsic "llvm.roundeven.v8f32"
// LLVM-NOT:      @expf

// -----

// A reduction in iter_args becomes a vector accumulator, started at the
// identity (-0.0 for a sum), reduced by loop.vreduce after the loop and combined
// with the initial value; the scalar loop continues from there. When the width
// divides the trip count, no scalar loop is left.

func.func @dot(%A: memref<32xf32>, %B: memref<32xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %s = loop.for %k = %c0 to %c32 step %c1 iter_args(%acc = %zero) -> (f32) {
    %a = memref.load %A[%k] : memref<32xf32>
    %b = memref.load %B[%k] : memref<32xf32>
    %p = arith.mulf %a, %b : f32
    %n = arith.addf %acc, %p : f32
    loop.yield %n : f32
  } {vectorize = 16 : i64}
  func.return %s : f32
}
// CHECK-LABEL: func.func @dot
// CHECK:         %c16 = arith.constant 16 : index
// CHECK-NEXT:    %[[ID:.*]] = arith.constant -0.000000e+00 : f32
// CHECK-NEXT:    %[[INIT:.*]] = loop.splat %[[ID]] : vector<16xf32>
// CHECK-NEXT:    %[[V:.*]] = loop.for %k = %c0 to %c32 step %c16 iter_args(%acc = %[[INIT]]) -> (vector<16xf32>) {
// CHECK-NEXT:      %a = loop.vload %A[%k] : memref<32xf32>, vector<16xf32>
// CHECK-NEXT:      %b = loop.vload %B[%k] : memref<32xf32>, vector<16xf32>
// CHECK-NEXT:      %n = loop.fma %a, %b, %acc : vector<16xf32>
// CHECK-NEXT:      loop.yield %n : vector<16xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[R:.*]] = loop.vreduce add %[[V]] : vector<16xf32>
// CHECK-NEXT:    %[[S:.*]] = arith.addf %zero, %[[R]] : f32
// CHECK-NEXT:    func.return %[[S]] : f32

// -----

// An outer loop vectorizes across its own index: the inner loop runs once per
// vector and its iter_arg becomes a vector (a column sum). With width=4, an
// innermost loop that cannot be vectorized (x[k, j] along k is a gather) is
// replaced as a candidate by its parent.

func.func @columns(%X: memref<6x8xf32>, %Y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  loop.for %j = %c0 to %c8 step %c1 {
    %s = loop.for %k = %c0 to %c6 step %c1 iter_args(%acc = %zero) -> (f32) {
      %x = memref.load %X[%k, %j] : memref<6x8xf32>
      %n = arith.addf %acc, %x : f32
      loop.yield %n : f32
    }
    memref.store %s, %Y[%j] : memref<8xf32>
  }
  func.return
}
// ALL-LABEL:   func.func @columns
// ALL:           %[[Z:.*]] = loop.splat %zero : vector<4xf32>
// ALL-NEXT:      loop.for %j = %c0 to %c8 step %c4 {
// ALL-NEXT:        %s = loop.for %k = %c0 to %c6 step %c1 iter_args(%acc = %[[Z]]) -> (vector<4xf32>) {
// ALL-NEXT:          %x = loop.vload %X[%k, %j] : memref<6x8xf32>, vector<4xf32>
// ALL-NEXT:          %n = arith.addf %acc, %x : vector<4xf32>
// ALL-NEXT:          loop.yield %n : vector<4xf32>
// ALL-NEXT:        }
// ALL-NEXT:        loop.vstore %s, %Y[%j] : memref<8xf32>, vector<4xf32>
// ALL-NEXT:      }
// ALL-NEXT:      func.return
// CHECK-LABEL: func.func @columns
// CHECK-NOT:     vector

// -----

// Dynamic bounds split at run time, at lb + ((ub - lb) / W) * W.

func.func @dynamic(%X: memref<64xf32>, %lb: index, %ub: index) {
  %c1 = arith.constant 1 : index
  loop.for %i = %lb to %ub step %c1 {
    %x = memref.load %X[%i] : memref<64xf32>
    %y = arith.negf %x : f32
    memref.store %y, %X[%i] : memref<64xf32>
  } {vectorize = 4 : i64}
  func.return
}
// CHECK-LABEL: func.func @dynamic
// CHECK:         %[[SPAN:.*]] = arith.subi %ub, %lb : index
// CHECK-NEXT:    %[[COUNT:.*]] = arith.divsi %[[SPAN]], %c4 : index
// CHECK-NEXT:    %[[COVERED:.*]] = arith.muli %[[COUNT]], %c4 : index
// CHECK-NEXT:    %split = arith.addi %lb, %[[COVERED]] : index
// CHECK-NEXT:    loop.for %i = %lb to %split step %c4 {
// CHECK-NEXT:      %x = loop.vload %X[%i] : memref<64xf32>, vector<4xf32>
// CHECK-NEXT:      %y = arith.negf %x : vector<4xf32>
// CHECK-NEXT:      loop.vstore %y, %X[%i] : memref<64xf32>, vector<4xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    loop.for %i_1 = %split to %ub step %c1 {

// -----

// What it leaves scalar, and why (debug=true). The annotation is consumed.

func.func @refused(%X: memref<16x16xf32>, %Y: memref<16x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  loop.for %j = %c0 to %c8 step %c1 {
    %x = memref.load %X[%j, %c0] : memref<16x16xf32>
    memref.store %x, %Y[%c0, %j] : memref<16x16xf32>
  } {vectorize = 4 : i64}
  loop.for %j = %c0 to %c8 step %c1 {
    %x = memref.load %X[%c0, %j] : memref<16x16xf32>
    %p = arith.cmpf oge, %x, %zero : f32
    %r = arith.select %p, %x, %zero : f32
    memref.store %r, %Y[%c0, %j] : memref<16x16xf32>
  } {vectorize = 4 : i64}
  loop.for %j = %c0 to %c8 step %c1 {
    %j1 = arith.addi %j, %c1 : index
    %x = memref.load %Y[%c0, %j] : memref<16x16xf32>
    memref.store %x, %Y[%c0, %j1] : memref<16x16xf32>
  } {vectorize = 4 : i64}
  loop.for %j = %c0 to %c8 step %c2 {
    %x = memref.load %X[%c0, %j] : memref<16x16xf32>
    memref.store %x, %Y[%c0, %j] : memref<16x16xf32>
  } {vectorize = 4 : i64}
  loop.for %j = %c0 to %c2 step %c1 {
    %x = memref.load %X[%c0, %j] : memref<16x16xf32>
    memref.store %x, %Y[%c0, %j] : memref<16x16xf32>
  } {vectorize = 4 : i64}
  func.return
}
// CHECK-LABEL: func.func @refused
// CHECK-NOT:     vector
// CHECK-NOT:     vectorize
// REMARK: remark: loop-vectorize: not vectorized: memref.load at indices that are not (uniform..., loop index + c): a gather or scatter
// REMARK: remark: loop-vectorize: not vectorized: arith.cmpf of values that differ between lanes (its result is a scalar i1)
// REMARK: remark: loop-vectorize: not vectorized: memref.store accesses a buffer the loop writes at other indices, so the lanes could depend on each other
// REMARK: remark: loop-vectorize: not vectorized: its step is not 1, so the lanes would not be consecutive
// REMARK: remark: loop-vectorize: not vectorized: its trip count 2 is below the width 4
