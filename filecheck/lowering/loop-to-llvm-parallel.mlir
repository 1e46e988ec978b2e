// RUN: dlc-opt %s --split-input-file -p loop-to-llvm | filecheck %s

// A loop.parallel mapped to cpu.thread becomes a call of the runtime's
// dlc_parallel_for(fn, ctx, n, threads). Its body moves into an internal chunk
// function over tasks [begin, end); the values it uses from the caller travel
// in a context struct on the caller's stack, constants and globals are copied.
// The struct's slot, store and load say 64-byte alignment: left to LLVM, a struct
// holding a vector<16xf32> is stored with aligned AVX-512 moves, into a slot
// aligned to 32, which crashed whenever the stack was not 64-aligned.

// One dimension: three values travel (the two buffers and the scalar), the
// bounds of the inner loop are copied, and the task is the iteration.
func.func @scale(%x: memref<64x16xf32>, %y: memref<64x16xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  loop.parallel (%i) = (%c0) to (%c64) step (%c1) mapping [cpu.thread] {
    loop.for %j = %c0 to %c16 step %c1 {
      %v = memref.load %x[%i, %j] : memref<64x16xf32>
      %w = arith.mulf %v, %s : f32
      memref.store %w, %y[%i, %j] : memref<64x16xf32>
    }
  } {threads = 2 : i64}
  func.return
}

// CHECK-LABEL: llvm.func @scale(%x: !llvm.ptr, %y: !llvm.ptr, %s: f32) {
// CHECK-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT:    %ctx = llvm.alloca %[[ONE]] x !llvm.struct<(!llvm.ptr, f32, !llvm.ptr)> {alignment = 64 : i64}
// CHECK:         %[[EMPTY:.*]] = llvm.mlir.undef : !llvm.struct<(!llvm.ptr, f32, !llvm.ptr)>
// CHECK-NEXT:    %[[C0:.*]] = llvm.insertvalue %x, %[[EMPTY]][0] : !llvm.struct<(!llvm.ptr, f32, !llvm.ptr)>
// CHECK-NEXT:    %[[C1:.*]] = llvm.insertvalue %s, %[[C0]][1] : !llvm.struct<(!llvm.ptr, f32, !llvm.ptr)>
// CHECK-NEXT:    %[[C2:.*]] = llvm.insertvalue %y, %[[C1]][2] : !llvm.struct<(!llvm.ptr, f32, !llvm.ptr)>
// CHECK-NEXT:    llvm.store %[[C2]], %ctx {alignment = 64 : i64} : !llvm.struct<(!llvm.ptr, f32, !llvm.ptr)>, !llvm.ptr
// CHECK-NEXT:    %[[N:.*]] = llvm.mlir.constant(64) : i64
// CHECK-NEXT:    %[[T:.*]] = llvm.mlir.constant(2) : i64
// CHECK-NEXT:    %[[FN:.*]] = llvm.mlir.addressof @scale_parallel0 : !llvm.ptr
// CHECK-NEXT:    llvm.call @dlc_parallel_for(%[[FN]], %ctx, %[[N]], %[[T]]) : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
// CHECK-NEXT:    llvm.return
// CHECK-LABEL: llvm.func internal @scale_parallel0(%ctx_1: !llvm.ptr, %begin: i64, %end: i64) {
// CHECK-NEXT:    %[[CONTEXT:.*]] = llvm.load %ctx_1 {alignment = 64 : i64} : !llvm.ptr -> !llvm.struct<(!llvm.ptr, f32, !llvm.ptr)>
// CHECK:         %c16 = llvm.mlir.constant(16) : i64
// CHECK:         %x_1 = llvm.extractvalue %[[CONTEXT]][0]
// CHECK-NEXT:    %s_1 = llvm.extractvalue %[[CONTEXT]][1]
// CHECK-NEXT:    %y_1 = llvm.extractvalue %[[CONTEXT]][2]
// CHECK:         llvm.br ^[[HEADER:.*]](%begin : i64)
// CHECK-NEXT:  ^[[HEADER]](%i: i64):
// CHECK-NEXT:    %{{.*}} = llvm.icmp "slt" %i, %end : i64
// CHECK:         %v = llvm.load
// CHECK-NEXT:    %w = llvm.fmul %v, %s_1 : f32

// -----

// The task dimension is the second one, from 1 by 3 up to an argument: the task
// count is ceil((n - 1) / 3), computed at run time, task t is iteration
// 1 + 3 t, and the other dimension runs inside each task. No thread count
// was asked for: 0 lets the runtime choose.
func.func @strided(%x: memref<8x17xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%i, %j) = (%c0, %c1) to (%c8, %n) step (%c1, %c3) mapping [none, cpu.thread] {
    memref.store %zero, %x[%i, %j] : memref<8x17xf32>
  }
  func.return
}

// -----

"memref.global"() <{sym_name = "w", sym_visibility = "private", type = memref<4xf32>, initial_value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>, constant}> : () -> ()
func.func @globals_only() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %w = memref.get_global @w : memref<4xf32>
  loop.parallel (%i) = (%c0) to (%c4) step (%c1) mapping [cpu.thread] {
    %v = memref.load %w[%i] : memref<4xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %w[%i] : memref<4xf32>
  }
  func.return
}

// CHECK-LABEL: llvm.func @strided(%x: !llvm.ptr, %n: i64) {
// CHECK:         %[[SPAN:.*]] = llvm.sub %n, %c1 : i64
// CHECK-NEXT:    %[[ROUND:.*]] = llvm.sub %c3, %{{.*}} : i64
// CHECK-NEXT:    %[[PADDED:.*]] = llvm.add %[[SPAN]], %[[ROUND]] : i64
// CHECK-NEXT:    %[[N:.*]] = llvm.sdiv %[[PADDED]], %c3 : i64
// CHECK-NEXT:    %[[T:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    %[[FN:.*]] = llvm.mlir.addressof @strided_parallel0 : !llvm.ptr
// CHECK-NEXT:    llvm.call @dlc_parallel_for(%[[FN]], %ctx, %[[N]], %[[T]])
// CHECK-LABEL: llvm.func internal @strided_parallel0(
// CHECK:       ^{{.*}}(%task: i64):
// CHECK:         %[[SCALED:.*]] = llvm.mul %task, %c3_1 : i64
// CHECK-NEXT:    %j = llvm.add %c1_1, %[[SCALED]] : i64
// CHECK-NEXT:    llvm.br ^{{.*}}(%c0 : i64)
// CHECK-NEXT:  ^{{.*}}(%i: i64):
// CHECK-NEXT:    %{{.*}} = llvm.icmp "slt" %i, %c8 : i64
