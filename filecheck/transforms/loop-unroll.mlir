// RUN: dlc-opt %s --split-input-file -p loop-unroll | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-unroll{factor=2}' | filecheck %s --check-prefix=ALL
// RUN: dlc-opt %s --split-input-file -p 'loop-unroll{debug=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REMARK

// loop-unroll repeats an annotated loop's body N times per iteration. A main loop
// steps N iterations at a time, and the original loop, started where the main
// loop stops, runs the remainder; the copies pass the iter_args along, so a
// reduction keeps its order. The annotation is consumed.

func.func @sum(%A: memref<5xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %zero = arith.constant 0.0 : f32
  %s = loop.for %i = %c0 to %c5 step %c1 iter_args(%a = %zero) -> (f32) {
    %x = memref.load %A[%i] : memref<5xf32>
    %n = arith.addf %a, %x : f32
    loop.yield %n : f32
  } {unroll = 2 : i64}
  func.return %s : f32
}
// CHECK-LABEL: func.func @sum
// CHECK:         %c2 = arith.constant 2 : index
// CHECK-NEXT:    %c1_1 = arith.constant 1 : index
// CHECK-NEXT:    %c4 = arith.constant 4 : index
// CHECK-NEXT:    %0 = loop.for %i = %c0 to %c4 step %c2 iter_args(%a = %zero) -> (f32) {
// CHECK-NEXT:      %x = memref.load %A[%i] : memref<5xf32>
// CHECK-NEXT:      %n = arith.addf %a, %x : f32
// CHECK-NEXT:      %1 = arith.addi %i, %c1_1 : index
// CHECK-NEXT:      %x_1 = memref.load %A[%1] : memref<5xf32>
// CHECK-NEXT:      %n_1 = arith.addf %n, %x_1 : f32
// CHECK-NEXT:      loop.yield %n_1 : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    %s = loop.for %i_1 = %c4 to %c5 step %c1 iter_args(%a_1 = %0) -> (f32) {
// CHECK-NEXT:      %x_2 = memref.load %A[%i_1] : memref<5xf32>
// CHECK-NEXT:      %n_2 = arith.addf %a_1, %x_2 : f32
// CHECK-NEXT:      loop.yield %n_2 : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %s : f32

// -----

// A constant trip count no larger than the factor unrolls completely.

func.func @short(%A: memref<3xf32>, %B: memref<3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  loop.for %i = %c0 to %c3 step %c1 {
    %x = memref.load %A[%i] : memref<3xf32>
    memref.store %x, %B[%i] : memref<3xf32>
  } {unroll = 4 : i64}
  func.return
}
// CHECK-LABEL: func.func @short
// CHECK-NOT:     loop.for
// CHECK:         %c0_1 = arith.constant 0 : index
// CHECK-NEXT:    %x = memref.load %A[%c0_1] : memref<3xf32>
// CHECK-NEXT:    memref.store %x, %B[%c0_1] : memref<3xf32>
// CHECK-NEXT:    %c1_1 = arith.constant 1 : index
// CHECK-NEXT:    %x_1 = memref.load %A[%c1_1] : memref<3xf32>
// CHECK-NEXT:    memref.store %x_1, %B[%c1_1] : memref<3xf32>
// CHECK-NEXT:    %c2 = arith.constant 2 : index
// CHECK-NEXT:    %x_2 = memref.load %A[%c2] : memref<3xf32>
// CHECK-NEXT:    memref.store %x_2, %B[%c2] : memref<3xf32>
// CHECK-NEXT:    func.return

// -----

// Dynamic bounds (the point loop of a tile) split at lb + ((ub - lb) / 8) * 8,
// computed at run time; an empty range stays empty in both parts.

func.func @dynamic(%A: memref<100xf32>, %lb: index, %ub: index) {
  %c1 = arith.constant 1 : index
  loop.for %i = %lb to %ub step %c1 {
    %x = memref.load %A[%i] : memref<100xf32>
    %y = arith.mulf %x, %x : f32
    memref.store %y, %A[%i] : memref<100xf32>
  } {unroll = 8 : i64}
  func.return
}
// CHECK-LABEL: func.func @dynamic
// CHECK:         %c8 = arith.constant 8 : index
// CHECK:         %[[SPAN:.*]] = arith.subi %ub, %lb : index
// CHECK-NEXT:    %[[COUNT:.*]] = arith.divsi %[[SPAN]], %c8 : index
// CHECK-NEXT:    %[[COVERED:.*]] = arith.muli %[[COUNT]], %c8 : index
// CHECK-NEXT:    %split = arith.addi %lb, %[[COVERED]] : index
// CHECK-NEXT:    loop.for %i = %lb to %split step %c8 {
// CHECK-COUNT-8: arith.mulf
// CHECK:         }
// CHECK-NEXT:    loop.for %i_1 = %split to %ub step %c1 {

// -----

// With factor=2, innermost loops without an annotation unroll too; unroll = 1
// means never. Outer loops are not innermost.

func.func @options(%A: memref<4x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c6 step %c1 {
      %x = memref.load %A[%i, %j] : memref<4x6xf32>
      %y = math.exp %x : f32
      memref.store %y, %A[%i, %j] : memref<4x6xf32>
    }
    loop.for %j = %c0 to %c6 step %c1 {
      %x = memref.load %A[%i, %j] : memref<4x6xf32>
      %y = math.sqrt %x : f32
      memref.store %y, %A[%i, %j] : memref<4x6xf32>
    } {unroll = 1 : i64}
  }
  func.return
}
// CHECK-LABEL: func.func @options
// CHECK-COUNT-1: math.exp
// CHECK-NOT:     math.exp
// ALL-LABEL:   func.func @options
// ALL:           loop.for %i = %c0 to %c4 step %c1 {
// ALL:             loop.for %j = %c0 to %c6 step %c2 {
// ALL-COUNT-2:       math.exp
// ALL:             loop.for %j_1 = %c0 to %c6 step %c1 {
// ALL-NEXT:          memref.load
// ALL-NEXT:          math.sqrt
// ALL-NOT:       unroll

// -----

// A loop.parallel mapped to CPU threads keeps its iterations: one per task.

func.func @mapped(%A: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  loop.parallel (%i) = (%c0) to (%c8) step (%c1) mapping [cpu.thread] {
    %x = memref.load %A[%i] : memref<8xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %A[%i] : memref<8xf32>
  } {unroll = 2 : i64}
  func.return
}
// CHECK-LABEL: func.func @mapped
// CHECK:         loop.parallel (%i) = (%c0) to (%c8) step (%c1) mapping [cpu.thread] {
// CHECK-NOT:     unroll
// REMARK: remark: loop-unroll: not unrolled by 2: cannot unroll a loop.parallel mapped to cpu.thread
