// RUN: dlc-opt %s --split-input-file -p loop-hoist | filecheck %s

// loop-hoist moves loop-invariant pure ops, and loads of buffers nothing in the
// loop writes, to just before the loop, inner loops first, so that values move
// out as far as they stay invariant.

func.func @variance(%X: memref<4x8xf32>, %M: memref<4x1xf32>, %V: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 8.0 : f32
  loop.for %i = %c0 to %c4 step %c1 {
    %s = loop.for %j = %c0 to %c8 step %c1 iter_args(%a = %zero) -> (f32) {
      %x = memref.load %X[%i, %j] : memref<4x8xf32>
      %m = memref.load %M[%i, %c0] : memref<4x1xf32>
      %inv = arith.divf %zero, %n : f32
      %d = arith.subf %x, %m : f32
      %sq = arith.mulf %d, %d : f32
      %b = arith.addf %a, %sq : f32
      loop.yield %b : f32
    }
    memref.store %s, %V[%i] : memref<4xf32>
  }
  func.return
}
// CHECK-LABEL: func.func @variance
// CHECK:         %inv = arith.divf %zero, %n : f32
// CHECK-NEXT:    loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      %m = memref.load %M[%i, %c0] : memref<4x1xf32>
// CHECK-NEXT:      %s = loop.for %j = %c0 to %c8 step %c1 iter_args(%a = %zero) -> (f32) {
// CHECK-NEXT:        %x = memref.load %X[%i, %j] : memref<4x8xf32>
// CHECK-NEXT:        %d = arith.subf %x, %m : f32

// -----

// Stays: a load of a buffer the loop writes, a load out of a loop that may not
// run (its bounds are unknown), a division by a value that may be zero.

func.func @stays(%X: memref<8xindex>, %n: index, %k: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  loop.for %i = %c0 to %c8 step %c1 {
    %first = memref.load %X[%c0] : memref<8xindex>
    %q = arith.divsi %first, %k : index
    memref.store %q, %X[%i] : memref<8xindex>
  }
  loop.for %i = %c0 to %n step %c1 {
    %far = memref.load %X[%k] : memref<8xindex>
    %q = arith.divsi %n, %k : index
    %s = arith.addi %far, %q : index
    memref.store %s, %X[%i] : memref<8xindex>
  }
  func.return
}
// CHECK-LABEL: func.func @stays
// CHECK:         loop.for %i = %c0 to %c8 step %c1 {
// CHECK-NEXT:      %first = memref.load %X[%c0] : memref<8xindex>
// CHECK-NEXT:      %q = arith.divsi %first, %k : index
// CHECK:         loop.for %i_1 = %c0 to %n step %c1 {
// CHECK-NEXT:      %far = memref.load %X[%k] : memref<8xindex>
// CHECK-NEXT:      %q_1 = arith.divsi %n, %k : index

// -----

// Out of the point loop of a tile, [t, min(t + 4, 10)), which always runs, and
// then out of the tile loop too.

func.func @tile(%X: memref<10xf32>, %B: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c10 = arith.constant 10 : index
  loop.for %t = %c0 to %c10 step %c4 {
    %next = arith.addi %t, %c4 : index
    %end = arith.minsi %next, %c10 : index
    loop.for %i = %t to %end step %c1 {
      %x = memref.load %X[%i] : memref<10xf32>
      %b = memref.load %B[%c0] : memref<1xf32>
      %y = arith.addf %x, %b : f32
      memref.store %y, %X[%i] : memref<10xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @tile
// CHECK:         %b = memref.load %B[%c0] : memref<1xf32>
// CHECK-NEXT:    loop.for %t = %c0 to %c10 step %c4 {
// CHECK-NEXT:      %next = arith.addi %t, %c4 : index
// CHECK-NEXT:      %end = arith.minsi %next, %c10 : index
// CHECK-NEXT:      loop.for %i = %t to %end step %c1 {
