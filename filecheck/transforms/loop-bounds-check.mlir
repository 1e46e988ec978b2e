// RUN: dlc-opt %s --split-input-file -p loop-bounds-check | filecheck %s
// RUN: dlc-opt %s --split-input-file -p loop-bounds-check | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file -p loop-bounds-check --print-op-generic | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file -p loop-bounds-check,loop-to-llvm | filecheck %s --check-prefix=LLVM

// loop-bounds-check puts a loop.check_index before every memref.load/store and
// loop.vload/vstore, one per index of a static dimension (tests/test_bounds_check.py
// covers dynamic ones, which loop-to-llvm does not lower). The message names the
// access and where it was written; a constant index inside its dimension needs
// no check. loop-to-llvm turns each check into an unsigned compare and a branch
// to a block that prints the message with the index and aborts.

// A scalar access: each index against its dimension. The load at %c0 in a size-1
// dimension is safe; the store at %c2 in a size-2 dimension is not, and stays
// checked (it traps if it runs).
func.func @scalar(%x: memref<1x5xf32>, %y: memref<2x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c5 = arith.constant 5 : index
  loop.for %i = %c0 to %c5 step %c1 {
    %v = memref.load %x[%c0, %i] : memref<1x5xf32>
    memref.store %v, %y[%c2, %i] : memref<2x5xf32>
  }
  func.return
}
// CHECK-LABEL: func.func @scalar
// CHECK:         loop.for %i = %c0 to %c5 step %c1 {
// CHECK-NEXT:      loop.check_index %i < 5, "memref.load in @scalar: index 1 of memref<1x5xf32> ({{.*}}loop-bounds-check.mlir:[[# @LINE - 7]]:5)"
// CHECK-NEXT:      %v = memref.load %x[%c0, %i] : memref<1x5xf32>
// CHECK-NEXT:      loop.check_index %c2 < 2, "memref.store in @scalar: index 0 of memref<2x5xf32> ({{.*}}loop-bounds-check.mlir:[[# @LINE - 8]]:5)"
// CHECK-NEXT:      loop.check_index %i < 5, "memref.store in @scalar: index 1 of memref<2x5xf32> ({{.*}}loop-bounds-check.mlir:[[# @LINE - 9]]:5)"
// CHECK-NEXT:      memref.store %v, %y[%c2, %i] : memref<2x5xf32>
// CHECK-NEXT:    }

// LLVM-LABEL: llvm.func @scalar
// LLVM:         %[[OK:.*]] = llvm.icmp "ult" %i, %{{.*}} : i64
// LLVM-NEXT:    llvm.cond_br %[[OK]], ^[[REST:bb[0-9]+]], ^[[TRAP:bb[0-9]+]]
// LLVM-NEXT:  ^[[REST]]:
// LLVM:         llvm.getelementptr inbounds %x
// LLVM:       ^[[TRAP]]:
// LLVM-NEXT:    %[[FD:.*]] = llvm.mlir.constant(2 : i32) : i32
// LLVM-NEXT:    %[[TEXT:.*]] = llvm.mlir.addressof @[[MESSAGE:__dlc_check_[0-9a-f]+]] : !llvm.ptr
// LLVM-NEXT:    llvm.call @dprintf(%[[FD]], %[[TEXT]], %i) vararg(!llvm.func<i32 (i32, !llvm.ptr, ...)>) : (i32, !llvm.ptr, i64) -> i32
// LLVM-NEXT:    llvm.call @abort() : () -> ()
// LLVM-NEXT:    llvm.unreachable

// -----

// A vector access: its lanes run along the innermost dimension, so the first
// lane must be below 20 - 8 + 1 = 13.
func.func @vector(%x: memref<3x20xf32>, %i: index, %j: index) {
  %v = loop.vload %x[%i, %j] : memref<3x20xf32>, vector<8xf32>
  loop.vstore %v, %x[%i, %j] : memref<3x20xf32>, vector<8xf32>
  func.return
}
// CHECK-LABEL: func.func @vector
// CHECK-NEXT:    loop.check_index %i < 3, "loop.vload in @vector: index 0 of memref<3x20xf32> ({{.*}}:[[# @LINE - 5]]:3)"
// CHECK-NEXT:    loop.check_index %j < 13, "loop.vload in @vector: index 1 of memref<3x20xf32>, the first of 8 lanes ({{.*}}:[[# @LINE - 6]]:3)"
// CHECK-NEXT:    %v = loop.vload %x[%i, %j] : memref<3x20xf32>, vector<8xf32>
// CHECK-NEXT:    loop.check_index %i < 3, "loop.vstore in @vector: index 0
// CHECK-NEXT:    loop.check_index %j < 13, "loop.vstore in @vector: index 1 of memref<3x20xf32>, the first of 8 lanes
// CHECK-NEXT:    loop.vstore %v, %x[%i, %j] : memref<3x20xf32>, vector<8xf32>
// CHECK-NEXT:    func.return

// The message is a C string in a private global, with the index printed as %lld.
// LLVM: llvm.mlir.global private constant @{{__dlc_check_[0-9a-f]+}}("dlc: out-of-bounds loop.vload in @vector: index 1 of memref<3x20xf32>, the first of 8 lanes ({{.*}}) is %lld, expected 0 <= index < 13\0A\00")
// LLVM-LABEL: llvm.func @vector

// -----

// Rank-0 buffers have no index, and a size-0 dimension admits none.
func.func @edges(%s: memref<f32>, %e: memref<0xf32>, %i: index) {
  %v = memref.load %s[] : memref<f32>
  memref.store %v, %e[%i] : memref<0xf32>
  func.return
}
// CHECK-LABEL: func.func @edges
// CHECK-NEXT:    %v = memref.load %s[] : memref<f32>
// CHECK-NEXT:    loop.check_index %i < 0, "memref.store in @edges: index 0 of memref<0xf32>
// CHECK-NEXT:    memref.store %v, %e[%i] : memref<0xf32>
// CHECK-NEXT:    func.return
