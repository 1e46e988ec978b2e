// RUN: dlc-opt %s --split-input-file -p 'loop-interchange{order=1,0}' | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-interchange{order=1,0 debug=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REMARK

// loop-interchange permutes the loops of a perfectly nested band, leaving the
// body as it is, when that provably keeps the result: every buffer written in
// the band is accessed at one list of indices that uses every permuted index, so
// no two iterations touch one element of it.

func.func @columns(%X: memref<4x5xf32>, %Y: memref<4x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  loop.for %j = %c0 to %c5 step %c1 {
    loop.for %i = %c0 to %c4 step %c1 {
      %x = memref.load %X[%i, %j] : memref<4x5xf32>
      memref.store %x, %Y[%i, %j] : memref<4x5xf32>
    } {vectorize = 4 : i64}
  }
  func.return
}
// CHECK-LABEL: func.func @columns
// CHECK:         loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      loop.for %j = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %x = memref.load %X[%i, %j] : memref<4x5xf32>
// CHECK-NEXT:        memref.store %x, %Y[%i, %j] : memref<4x5xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    } {vectorize = 4 : i64}

// -----

// An annotation names its own band and order; the loops below the permuted ones
// keep their place.

func.func @annotated(%X: memref<2x3x4xf32>, %Y: memref<4x2x3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  loop.for %k = %c0 to %c4 step %c1 {
    loop.for %i = %c0 to %c2 step %c1 {
      loop.for %j = %c0 to %c3 step %c1 {
        %x = memref.load %X[%i, %j, %k] : memref<2x3x4xf32>
        memref.store %x, %Y[%k, %i, %j] : memref<4x2x3xf32>
      }
    }
  } {interchange = array<i64: 1, 0>}
  func.return
}
// CHECK-LABEL: func.func @annotated
// CHECK:         loop.for %i = %c0 to %c2 step %c1 {
// CHECK-NEXT:      loop.for %k = %c0 to %c4 step %c1 {
// CHECK-NEXT:        loop.for %j = %c0 to %c3 step %c1 {
// CHECK-NOT:     interchange

// -----

// Refused: each row's sum is accumulated in one element of %Y, over %j.

func.func @rows(%X: memref<4x6xf32>, %Y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c6 step %c1 {
      %x = memref.load %X[%i, %j] : memref<4x6xf32>
      %y = memref.load %Y[%i] : memref<4xf32>
      %s = arith.addf %x, %y : f32
      memref.store %s, %Y[%i] : memref<4xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @rows
// CHECK:         loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      loop.for %j = %c0 to %c6 step %c1 {
// REMARK: remark: loop-interchange: not interchanged: memref.store writes one element at several iterations: an index does not use every loop index

// -----

// Refused: an iter_arg carries a reduction through both loops, whose order
// would change.

func.func @carried(%X: memref<4x6xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0.0 : f32
  %s = loop.for %i = %c0 to %c4 step %c1 iter_args(%a = %zero) -> (f32) {
    %t = loop.for %j = %c0 to %c6 step %c1 iter_args(%b = %a) -> (f32) {
      %x = memref.load %X[%i, %j] : memref<4x6xf32>
      %n = arith.addf %b, %x : f32
      loop.yield %n : f32
    }
    loop.yield %t : f32
  }
  func.return %s : f32
}
// CHECK-LABEL: func.func @carried
// CHECK:         %s = loop.for %i = %c0 to %c4 step %c1 iter_args(%a = %zero) -> (f32) {
// REMARK: remark: loop-interchange: not interchanged: only 1 perfectly nested loops (without iter_args), the order has 2

// -----

// Refused: the inner loop's range depends on the outer index.

func.func @triangle(%X: memref<6x6xf32>, %Y: memref<6x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c6 step %c1 {
    loop.for %j = %i to %c6 step %c1 {
      %x = memref.load %X[%i, %j] : memref<6x6xf32>
      memref.store %x, %Y[%i, %j] : memref<6x6xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @triangle
// CHECK:         loop.for %i = %c0 to %c6 step %c1 {
// CHECK-NEXT:      loop.for %j = %i to %c6 step %c1 {
// REMARK: remark: loop-interchange: not interchanged: a loop's bounds depend on an enclosing loop (the band is not rectangular)
