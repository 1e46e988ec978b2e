// RUN: dlc-opt %s --split-input-file -p canonicalize | filecheck %s

// A loop.for whose upper bound is not above its lower bound never runs: its
// results are its initial values.

// CHECK-LABEL: func.func @for_zero_trip
// CHECK-SAME:  (%[[X:.*]]: f32, %{{.*}}: memref<8xf32>)
// CHECK-NOT:   loop.for
// CHECK:       func.return %[[X]], %[[X]] : f32, f32
func.func @for_zero_trip(%x: f32, %A: memref<8xf32>) -> (f32, f32) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = loop.for %i = %c4 to %c4 step %c1 iter_args(%acc = %x) -> (f32) {
    %y = arith.addf %acc, %acc : f32
    loop.yield %y : f32
  }
  %s = loop.for %i = %c4 to %c1 step %c1 iter_args(%acc = %x) -> (f32) {
    memref.store %acc, %A[%i] : memref<8xf32>
    loop.yield %acc : f32
  }
  func.return %r, %s : f32, f32
}

// -----

// A loop.for that runs exactly once is replaced by its body, with the induction
// variable at the lower bound and the iter_args at their initial values.

// CHECK-LABEL: func.func @for_single_iteration
// CHECK-SAME:  (%[[X:.*]]: f32, %[[A:.*]]: memref<8xf32>)
// CHECK-DAG:   %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:   %[[C2:.*]] = arith.constant 2 : index
// CHECK-NOT:   loop.for
// CHECK:       %[[Y:.*]] = arith.addf %[[X]], %[[X]] : f32
// CHECK-NEXT:  memref.store %[[Y]], %[[A]][%[[C0]]] : memref<8xf32>
// CHECK-NEXT:  memref.store %[[X]], %[[A]][%[[C2]]] : memref<8xf32>
// CHECK-NEXT:  func.return %[[Y]] : f32
func.func @for_single_iteration(%x: f32, %A: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %r = loop.for %i = %c0 to %c4 step %c4 iter_args(%acc = %x) -> (f32) {
    %y = arith.addf %acc, %acc : f32
    memref.store %y, %A[%i] : memref<8xf32>
    loop.yield %y : f32
  }
  loop.for %i = %c2 to %c3 step %c1 {
    memref.store %x, %A[%i] : memref<8xf32>
  } {unroll = 4 : i64}
  func.return %r : f32
}

// -----

// Loops that run more than once, or whose trip count is unknown, stay.

// CHECK-LABEL: func.func @for_kept
// CHECK-SAME:  %[[N:[a-z0-9_]+]]: index, %[[S:[a-z0-9_]+]]: index)
// CHECK-DAG:   %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:   %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:   %[[C2:.*]] = arith.constant 2 : index
// CHECK:       loop.for %{{.*}} = %[[C0]] to %[[N]] step %[[C1]] {
// CHECK:       loop.for %{{.*}} = %[[C0]] to %[[C2]] step %[[C1]] {
// CHECK:       loop.for %{{.*}} = %[[C0]] to %[[C2]] step %[[S]] {
func.func @for_kept(%x: f32, %A: memref<8xf32>, %n: index, %s: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  loop.for %i = %c0 to %n step %c1 {
    memref.store %x, %A[%i] : memref<8xf32>
  }
  loop.for %i = %c0 to %c2 step %c1 {
    memref.store %x, %A[%i] : memref<8xf32>
  }
  loop.for %i = %c0 to %c2 step %s {
    memref.store %x, %A[%i] : memref<8xf32>
  }
  func.return
}

// -----

// A loop.parallel with an empty dimension does nothing, whatever its mapping.

// CHECK-LABEL: func.func @parallel_zero_trip
// CHECK-NOT:   loop.parallel
// CHECK:       func.return
func.func @parallel_zero_trip(%x: f32, %A: memref<8x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  loop.parallel (%i, %j) = (%c0, %c1) to (%n, %c0) step (%c1, %c1) mapping [gpu.block.x, gpu.thread.x] {
    memref.store %x, %A[%i, %j] : memref<8x8xf32>
  }
  func.return
}

// -----

// Unmapped dimensions that run once become their lower bound; a loop.parallel left
// with no dimension is replaced by its body.

// CHECK-LABEL: func.func @parallel_single_iteration
// CHECK-SAME:  (%[[X:.*]]: f32, %[[A:.*]]: memref<8x8xf32>, %[[N:.*]]: index)
// CHECK-DAG:   %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:   %[[C3:.*]] = arith.constant 3 : index
// CHECK:       loop.parallel (%[[J:.*]]) = (%[[C0]]) to (%[[N]]) step (%{{.*}}) {
// CHECK-NEXT:    memref.store %[[X]], %[[A]][%[[C3]], %[[J]]] : memref<8x8xf32>
// CHECK-NEXT:  } {vectorize = 16 : i64}
// CHECK-NEXT:  memref.store %[[X]], %[[A]][%[[C3]], %[[C0]]] : memref<8x8xf32>
// CHECK-NOT:   loop.parallel
// CHECK:       func.return
func.func @parallel_single_iteration(%x: f32, %A: memref<8x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  loop.parallel (%i, %j) = (%c3, %c0) to (%c4, %n) step (%c1, %c1) {
    memref.store %x, %A[%i, %j] : memref<8x8xf32>
  } {vectorize = 16 : i64}
  loop.parallel (%i, %j) = (%c3, %c0) to (%c4, %c1) step (%c4, %c1) {
    memref.store %x, %A[%i, %j] : memref<8x8xf32>
  }
  func.return
}

// -----

// A dimension mapped to a processor is kept even when it runs once; unmapped
// dimensions next to it are still dropped, and the mapping shrinks with them.

// CHECK-LABEL: func.func @parallel_mapped_single_iteration
// CHECK:       loop.parallel (%[[B:.*]]) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) mapping [gpu.block.x] {
// CHECK-NEXT:    memref.store %{{.*}}, %{{.*}}[%[[B]], %{{.*}}] : memref<8x8xf32>
// CHECK:       loop.parallel (%{{.*}}, %{{.*}}) = {{.*}} mapping [cpu.thread, none] {
func.func @parallel_mapped_single_iteration(%x: f32, %A: memref<8x8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  loop.parallel (%b, %i) = (%c0, %c0) to (%c1, %c1) step (%c1, %c1) mapping [gpu.block.x, none] {
    memref.store %x, %A[%b, %i] : memref<8x8xf32>
  }
  loop.parallel (%t, %j) = (%c0, %c0) to (%n, %n) step (%c1, %c1) mapping [cpu.thread, none] {
    memref.store %x, %A[%t, %j] : memref<8x8xf32>
  }
  func.return
}
