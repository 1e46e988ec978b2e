// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// A matmul loop nest over memrefs: the k loop keeps its sum in a register
// (iter_args) and carries a schedule annotation; the j loop has none.

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:  (%[[A:.*]]: memref<4x3xf32>, %[[B:.*]]: memref<3x5xf32>, %[[C:.*]]: memref<4x5xf32>)
// CHECK:       loop.for %[[I:.*]] = %[[C0:.*]] to %[[C4:.*]] step %[[C1:.*]] {
// CHECK-NEXT:    loop.for %[[J:.*]] = %[[C0]] to %[[C5:.*]] step %[[C1]] {
// CHECK-NEXT:      %[[SUM:.*]] = loop.for %[[K:.*]] = %[[C0]] to %[[C3:.*]] step %[[C1]] iter_args(%[[ACC:.*]] = %[[ZERO:.*]]) -> (f32) {
// CHECK-NEXT:        %[[AV:.*]] = memref.load %[[A]][%[[I]], %[[K]]] : memref<4x3xf32>
// CHECK-NEXT:        %[[BV:.*]] = memref.load %[[B]][%[[K]], %[[J]]] : memref<3x5xf32>
// CHECK-NEXT:        %[[P:.*]] = arith.mulf %[[AV]], %[[BV]] : f32
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK-NEXT:        loop.yield %[[S]] : f32
// CHECK-NEXT:      } {unroll = 4 : i64}
// CHECK-NEXT:      memref.store %[[SUM]], %[[C]][%[[I]], %[[J]]] : memref<4x5xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:  }
func.func @matmul(%A: memref<4x3xf32>, %B: memref<3x5xf32>, %C: memref<4x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %zero = arith.constant 0.0 : f32
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c5 step %c1 {
      %sum = loop.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (f32) {
        %a = memref.load %A[%i, %k] : memref<4x3xf32>
        %b = memref.load %B[%k, %j] : memref<3x5xf32>
        %p = arith.mulf %a, %b : f32
        %s = arith.addf %acc, %p : f32
        loop.yield %s : f32
      } {unroll = 4 : i64}
      memref.store %sum, %C[%i, %j] : memref<4x5xf32>
    }
  }
  func.return
}

// -----

// A reduction with two values carried in registers; both are results of the loop.

// CHECK-LABEL: func.func @sum_and_max
// CHECK:       %[[N:.*]] = memref.dim
// CHECK:       %[[R0:[^,]*]], %[[R1:[^ ]*]] = loop.for %{{.*}} = %{{.*}} to %[[N]] step %{{.*}} iter_args(%[[S:[^ ]*]] = %{{.*}}, %[[M:[^ ]*]] = %{{.*}}) -> (f32, f32) {
// CHECK:         %[[S2:.*]] = arith.addf %[[S]], %{{.*}} : f32
// CHECK-NEXT:    %[[M2:.*]] = arith.maximumf %[[M]], %{{.*}} : f32
// CHECK-NEXT:    loop.yield %[[S2]], %[[M2]] : f32, f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %[[R0]], %[[R1]] : f32, f32
func.func @sum_and_max(%A: memref<?xf32>) -> (f32, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %A, %c0 : memref<?xf32>
  %zero = arith.constant 0.0 : f32
  %lowest = arith.constant -3.4e38 : f32
  %r:2 = loop.for %i = %c0 to %n step %c1 iter_args(%s = %zero, %m = %lowest) -> (f32, f32) {
    %x = memref.load %A[%i] : memref<?xf32>
    %s2 = arith.addf %s, %x : f32
    %m2 = arith.maximumf %m, %x : f32
    loop.yield %s2, %m2 : f32, f32
  }
  func.return %r#0, %r#1 : f32, f32
}

// -----

// Parallel loops: GPU blocks enclosing GPU threads, CPU thread tasks, an unmapped
// parallel loop, and a scratch buffer allocated and freed with memref ops.

// CHECK-LABEL: func.func @parallel
// CHECK:       loop.parallel (%[[BI:.*]], %[[BJ:.*]]) = (%[[C0:.*]], %[[C0]]) to (%[[C2:.*]], %[[C2]]) step (%[[C1:.*]], %[[C1]]) mapping [gpu.block.y, gpu.block.x] {
// CHECK-NEXT:    loop.parallel (%[[TI:.*]], %[[TJ:.*]]) = (%[[C0]], %[[C0]]) to (%[[C4:.*]], %[[C4]]) step (%[[C1]], %[[C1]]) mapping [gpu.thread.y, gpu.thread.x] {
// CHECK:           memref.store
// CHECK-NEXT:    }
// CHECK-NEXT:  }
// CHECK:       loop.parallel (%[[T:.*]]) = (%[[C0]]) to (%[[C2]]) step (%[[C1]]) mapping [cpu.thread] {
// CHECK-NEXT:    %[[TMP:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT:    loop.parallel (%[[X:.*]]) = (%[[C0]]) to (%[[C8:.*]]) step (%[[C1]]) {
// CHECK-NEXT:      memref.store %{{.*}}, %[[TMP]][%[[X]]] : memref<8xf32>
// CHECK-NEXT:    } {vectorize = 8 : i64}
// CHECK-NEXT:    memref.dealloc %[[TMP]] : memref<8xf32>
// CHECK-NEXT:  }
func.func @parallel(%C: memref<8x8xf32>, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  loop.parallel (%bi, %bj) = (%c0, %c0) to (%c2, %c2) step (%c1, %c1) mapping [gpu.block.y, gpu.block.x] {
    loop.parallel (%ti, %tj) = (%c0, %c0) to (%c4, %c4) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
      %row0 = arith.muli %bi, %c4 : index
      %row = arith.addi %row0, %ti : index
      %col0 = arith.muli %bj, %c4 : index
      %col = arith.addi %col0, %tj : index
      memref.store %x, %C[%row, %col] : memref<8x8xf32>
    }
  }
  loop.parallel (%t) = (%c0) to (%c2) step (%c1) mapping [cpu.thread] {
    %tmp = memref.alloc() : memref<8xf32>
    loop.parallel (%e) = (%c0) to (%c8) step (%c1) {
      memref.store %x, %tmp[%e] : memref<8xf32>
    } {vectorize = 8 : i64}
    memref.dealloc %tmp : memref<8xf32>
  }
  func.return
}

// -----

// An explicit mapping of `none` is kept as written.

// CHECK-LABEL: func.func @explicit_none
// CHECK:       loop.parallel (%{{.*}}, %{{.*}}) = {{.*}} mapping [cpu.thread, none] {
func.func @explicit_none(%C: memref<8x8xf32>, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  loop.parallel (%i, %j) = (%c0, %c0) to (%c8, %c8) step (%c1, %c1) mapping [cpu.thread, none] {
    memref.store %x, %C[%i, %j] : memref<8x8xf32>
  }
  func.return
}

// -----

// A vectorized GEMM row update: broadcast one A element, load a row of B, fused
// multiply-add into a register accumulator, store, and a horizontal reduction.

// CHECK-LABEL: func.func @vector_ops
// CHECK-SAME:  (%[[A:.*]]: memref<6x64xf32>, %[[B:.*]]: memref<64x32xf32>, %[[C:.*]]: memref<6x32xf32>)
// CHECK:       %[[ACC0:.*]] = loop.vload %[[C]][%[[C0:.*]], %[[C16:.*]]] : memref<6x32xf32>, vector<16xf32>
// CHECK:       %[[ACC:.*]] = loop.for %[[K:.*]] = %[[C0]] to %{{.*}} step %{{.*}} iter_args(%[[VACC:.*]] = %[[ACC0]]) -> (vector<16xf32>) {
// CHECK-NEXT:    %[[AS:.*]] = memref.load %[[A]][%[[C0]], %[[K]]] : memref<6x64xf32>
// CHECK-NEXT:    %[[AV:.*]] = loop.splat %[[AS]] : vector<16xf32>
// CHECK-NEXT:    %[[BV:.*]] = loop.vload %[[B]][%[[K]], %[[C16]]] : memref<64x32xf32>, vector<16xf32>
// CHECK-NEXT:    %[[F:.*]] = loop.fma %[[AV]], %[[BV]], %[[VACC]] : vector<16xf32>
// CHECK-NEXT:    loop.yield %[[F]] : vector<16xf32>
// CHECK-NEXT:  } {unroll = 8 : i64}
// CHECK-NEXT:  loop.vstore %[[ACC]], %[[C]][%[[C0]], %[[C16]]] : memref<6x32xf32>, vector<16xf32>
// CHECK-NEXT:  %[[SUM:.*]] = loop.vreduce add %[[ACC]] : vector<16xf32>
// CHECK-NEXT:  %[[MAX:.*]] = loop.vreduce max %[[ACC]] : vector<16xf32>
// CHECK-NEXT:  %{{.*}} = loop.fma %[[SUM]], %[[MAX]], %[[SUM]] : f32
// CHECK-NEXT:  %{{.*}} = arith.addf %[[ACC]], %[[ACC]] : vector<16xf32>
func.func @vector_ops(%A: memref<6x64xf32>, %B: memref<64x32xf32>, %C: memref<6x32xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %acc0 = loop.vload %C[%c0, %c16] : memref<6x32xf32>, vector<16xf32>
  %acc = loop.for %k = %c0 to %c64 step %c1 iter_args(%vacc = %acc0) -> (vector<16xf32>) {
    %a = memref.load %A[%c0, %k] : memref<6x64xf32>
    %av = loop.splat %a : vector<16xf32>
    %bv = loop.vload %B[%k, %c16] : memref<64x32xf32>, vector<16xf32>
    %f = loop.fma %av, %bv, %vacc : vector<16xf32>
    loop.yield %f : vector<16xf32>
  } {unroll = 8 : i64}
  loop.vstore %acc, %C[%c0, %c16] : memref<6x32xf32>, vector<16xf32>
  %sum = loop.vreduce add %acc : vector<16xf32>
  %max = loop.vreduce max %acc : vector<16xf32>
  %g = loop.fma %sum, %max, %sum : f32
  %twice = arith.addf %acc, %acc : vector<16xf32>
  func.return %g : f32
}

// -----

// Vectors of every element type and width the dialect accepts, on a dynamic memref.

// CHECK-LABEL: func.func @vector_types
// CHECK:       loop.vload %{{.*}} : memref<?x?xf16>, vector<64xf16>
// CHECK:       loop.vload %{{.*}} : memref<?x?xf16>, vector<2xf16>
// CHECK:       loop.splat %{{.*}} : vector<4xf64>
func.func @vector_types(%H: memref<?x?xf16>, %i: index, %d: f64) {
  %a = loop.vload %H[%i, %i] : memref<?x?xf16>, vector<64xf16>
  %b = loop.vload %H[%i, %i] : memref<?x?xf16>, vector<2xf16>
  %c = loop.splat %d : vector<4xf64>
  func.return
}
