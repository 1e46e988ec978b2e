// RUN: dlc-opt %s --split-input-file -p 'loop-parallelize{threads=2 min_task_work=100}' | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-parallelize{threads=2 min_task_work=100}' | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-parallelize{threads=1 min_task_work=1}' | filecheck %s --check-prefix=SERIAL
// RUN: dlc-opt %s --split-input-file -p 'loop-parallelize{min_task_work=1}' | filecheck %s --check-prefix=RUNTIME

// loop-parallelize maps the outermost unmapped loop.parallel of each nest to
// cpu.thread when each of its chunks (one per thread) has at least min_task_work
// estimated ops, and records the thread count. threads=1 changes nothing; the
// default threads=0 leaves the count to the runtime (no annotation).

// 64 tasks of 16 x 3 ops: mapped. The loop nested in it stays unmapped and runs
// inside each task.
func.func @mapped(%x: memref<64x16xf32>, %y: memref<64x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  loop.parallel (%i) = (%c0) to (%c64) step (%c1) {
    loop.parallel (%j) = (%c0) to (%c16) step (%c1) {
      %v = memref.load %x[%i, %j] : memref<64x16xf32>
      %d = arith.addf %v, %v : f32
      memref.store %d, %y[%i, %j] : memref<64x16xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @mapped
// CHECK:         loop.parallel (%i) = (%c0) to (%c64) step (%c1) mapping [cpu.thread] {
// CHECK-NEXT:      loop.parallel (%j) = (%c0) to (%c16) step (%c1) {
// CHECK:           }
// CHECK-NEXT:    } {threads = 2 : i64}
// SERIAL-LABEL: func.func @mapped
// SERIAL-NOT:     mapping
// SERIAL:         func.return
// RUNTIME-LABEL: func.func @mapped
// RUNTIME:         loop.parallel (%i) = (%c0) to (%c64) step (%c1) mapping [cpu.thread] {
// RUNTIME-NOT:     threads
// RUNTIME:         func.return

// -----

// 4 tasks of 3 ops: not worth waking a thread.
func.func @too_small(%x: memref<4xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  loop.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %x[%i] : memref<4xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %y[%i] : memref<4xf32>
  }
  func.return
}
// CHECK-LABEL: func.func @too_small
// CHECK:         loop.parallel (%i) = (%c0) to (%c4) step (%c1) {
// CHECK-NOT:     threads

// -----

// A dimension that runs once is looked through; the next parallel loop inside
// is mapped. In a two-dimensional loop, the first dimension that runs more than
// once is the tasks.
func.func @looked_through(%x: memref<1x64x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%n) = (%c0) to (%c1) step (%c1) {
    loop.parallel (%i) = (%c0) to (%c64) step (%c1) {
      loop.for %j = %c0 to %c16 step %c1 {
        memref.store %zero, %x[%n, %i, %j] : memref<1x64x16xf32>
      }
    }
  }
  loop.parallel (%n, %i) = (%c0, %c0) to (%c1, %c64) step (%c1, %c1) {
    loop.for %j = %c0 to %c16 step %c1 {
      memref.store %zero, %x[%n, %i, %j] : memref<1x64x16xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @looked_through
// CHECK:         loop.parallel (%n) = (%c0) to (%c1) step (%c1) {
// CHECK-NEXT:      loop.parallel (%i) = (%c0) to (%c64) step (%c1) mapping [cpu.thread] {
// CHECK:           } {threads = 2 : i64}
// CHECK:         loop.parallel (%n_1, %i_1) = (%c0, %c0) to (%c1, %c64) step (%c1, %c1) mapping [none, cpu.thread] {
// CHECK:         } {threads = 2 : i64}

// -----

// A parallel loop inside a sequential one is mapped too: one parallel region
// per iteration of %k. A tile loop's point loop counts its tile size, 8, as its
// trip count.
func.func @inside_for(%x: memref<8x64x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  loop.for %k = %c0 to %c8 step %c1 {
    loop.parallel (%it) = (%c0) to (%c64) step (%c8) {
      %end = arith.addi %it, %c8 : index
      loop.for %i = %it to %end step %c1 {
        loop.for %j = %c0 to %c16 step %c1 {
          memref.store %zero, %x[%k, %i, %j] : memref<8x64x16xf32>
        }
      }
    }
  }
  func.return
}
// CHECK-LABEL: func.func @inside_for
// CHECK:         loop.for %k = %c0 to %c8 step %c1 {
// CHECK-NEXT:      loop.parallel (%it) = (%c0) to (%c64) step (%c8) mapping [cpu.thread] {
// CHECK:           } {threads = 2 : i64}

// -----

// A loop that is already mapped is left alone, and so is everything inside it.
func.func @already_mapped(%x: memref<64x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%i) = (%c0) to (%c64) step (%c1) mapping [gpu.block.x] {
    loop.parallel (%j) = (%c0) to (%c16) step (%c1) {
      memref.store %zero, %x[%i, %j] : memref<64x16xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @already_mapped
// CHECK:         loop.parallel (%i) = (%c0) to (%c64) step (%c1) mapping [gpu.block.x] {
// CHECK-NEXT:      loop.parallel (%j) = (%c0) to (%c16) step (%c1) {
// CHECK-NOT:     threads

// -----

// 3 tasks on 2 threads keep them busy 3/4 of the time. A task is one parallel
// loop (through a batch of 1) and index arithmetic, so that loop is mapped
// instead: one region per panel, each of 112 balanced rows.
func.func @balanced_rows(%x: memref<112x112xf32>, %p: memref<3x1x112x48xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c48 = arith.constant 48 : index
  %c112 = arith.constant 112 : index
  loop.parallel (%b) = (%c0) to (%c3) step (%c1) {
    %start = arith.muli %b, %c48 : index
    %left = arith.subi %c112, %start : index
    %lanes = arith.minsi %left, %c48 : index
    loop.parallel (%n) = (%c0) to (%c1) step (%c1) {
      loop.parallel (%i) = (%c0) to (%c112) step (%c1) {
        loop.for %l = %c0 to %lanes step %c1 {
          %j = arith.addi %start, %l : index
          %v = memref.load %x[%i, %j] : memref<112x112xf32>
          memref.store %v, %p[%b, %n, %i, %l] : memref<3x1x112x48xf32>
        }
      }
    }
  }
  func.return
}
// CHECK-LABEL: func.func @balanced_rows
// CHECK:         loop.parallel (%b) = (%c0) to (%c3) step (%c1) {
// CHECK:             loop.parallel (%n) = (%c0) to (%c1) step (%c1) {
// CHECK-NEXT:          loop.parallel (%i) = (%c0) to (%c112) step (%c1) mapping [cpu.thread] {
// CHECK:               } {threads = 2 : i64}
// CHECK-NEXT:        }
// CHECK-NEXT:      }

// -----

// A task that does more than its inner parallel loop (a store of its own) keeps
// the outer loop's tasks, however few: mapping the inner loop would leave the
// store serial.
func.func @not_only_a_loop(%x: memref<3x112xf32>, %y: memref<3xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c112 = arith.constant 112 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%b) = (%c0) to (%c3) step (%c1) {
    memref.store %zero, %y[%b] : memref<3xf32>
    loop.parallel (%i) = (%c0) to (%c112) step (%c1) {
      memref.store %zero, %x[%b, %i] : memref<3x112xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @not_only_a_loop
// CHECK:         loop.parallel (%b) = (%c0) to (%c3) step (%c1) mapping [cpu.thread] {
// CHECK:           loop.parallel (%i) = (%c0) to (%c112) step (%c1) {
// CHECK:         } {threads = 2 : i64}
