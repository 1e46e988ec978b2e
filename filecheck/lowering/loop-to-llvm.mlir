// RUN: dlc-opt %s -p loop-to-llvm --split-input-file | filecheck %s
// RUN: dlc-opt %s -p loop-to-llvm --split-input-file | filecheck %s --check-prefix=ADDR

// Every address is one inbounds GEP; pointers never become integers, and no cast
// between converted and unconverted values survives.
// ADDR-NOT: {{ptrtoint|inttoptr|unrealized_conversion_cast|llvm.getelementptr %}}

// A matmul nest: the unmapped parallel loop runs serially (a cpu.thread one goes
// to the runtime: loop-to-llvm-parallel.mlir), the k loop carries the
// accumulator as a header block argument, each access flattens its indices.

// CHECK-LABEL: llvm.func @matmul(%A: !llvm.ptr, %B: !llvm.ptr, %C: !llvm.ptr) {
// CHECK:         %[[C0:.*]] = llvm.mlir.constant(0) : i64
// CHECK:         %[[C1:.*]] = llvm.mlir.constant(1) : i64
// CHECK:         %[[C3:.*]] = llvm.mlir.constant(3) : i64
// CHECK:         %[[C4:.*]] = llvm.mlir.constant(4) : i64
// CHECK:         %[[C5:.*]] = llvm.mlir.constant(5) : i64
// CHECK:         %[[ZERO:.*]] = llvm.mlir.constant(0.000000e+00 : f32) : f32
// CHECK:         llvm.br ^[[I_HEADER:.*]](%[[C0]] : i64)
// CHECK:       ^[[I_HEADER]](%i: i64):
// CHECK:         %[[I_GO:.*]] = llvm.icmp "slt" %i, %[[C4]] : i64
// CHECK:         llvm.cond_br %[[I_GO]], ^{{.*}}, ^[[EXIT:.*]]
// CHECK:       ^[[J_HEADER:.*]](%j: i64):
// CHECK:         llvm.icmp "slt" %j, %[[C5]] : i64
// CHECK:         llvm.br ^[[K_HEADER:.*]](%[[C0]], %[[ZERO]] : i64, f32)
// CHECK:       ^[[K_HEADER]](%k: i64, %acc: f32):
// CHECK:         %[[K_GO:.*]] = llvm.icmp "slt" %k, %[[C3]] : i64
// CHECK:         llvm.cond_br %[[K_GO]], ^[[K_BODY:.*]], ^[[K_EXIT:.*]]
// CHECK:       ^[[K_BODY]]:
// CHECK:         %[[A_ROW:.*]] = llvm.mul %i, %{{.*}} overflow<nsw> : i64
// CHECK:         %[[A_IDX:.*]] = llvm.add %[[A_ROW]], %k overflow<nsw> : i64
// CHECK:         %[[A_PTR:.*]] = llvm.getelementptr inbounds %A[%[[A_IDX]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %a = llvm.load %[[A_PTR]] {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK:         %[[B_PTR:.*]] = llvm.getelementptr inbounds %B[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %b = llvm.load %[[B_PTR]] {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK:         %p = llvm.fmul %a, %b : f32
// CHECK:         %s = llvm.fadd %acc, %p : f32
// CHECK:         %[[K_NEXT:.*]] = llvm.add %k, %[[C1]] : i64
// CHECK:         llvm.br ^[[K_HEADER]](%[[K_NEXT]], %s : i64, f32)
// CHECK:       ^[[K_EXIT]]:
// CHECK:         %[[C_PTR:.*]] = llvm.getelementptr inbounds %C[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.store %acc, %[[C_PTR]] {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK:         llvm.br ^[[J_HEADER]]
// CHECK:       ^[[EXIT]]:
// CHECK-NEXT:    llvm.return
func.func @matmul(%A: memref<4x3xf32>, %B: memref<3x5xf32>, %C: memref<4x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%i) = (%c0) to (%c4) step (%c1) {
    loop.for %j = %c0 to %c5 step %c1 {
      %sum = loop.for %k = %c0 to %c3 step %c1 iter_args(%acc = %zero) -> (f32) {
        %a = memref.load %A[%i, %k] : memref<4x3xf32>
        %b = memref.load %B[%k, %j] : memref<3x5xf32>
        %p = arith.mulf %a, %b : f32
        %s = arith.addf %acc, %p : f32
        loop.yield %s : f32
      }
      memref.store %sum, %C[%i, %j] : memref<4x5xf32>
    }
  }
  func.return
}

// -----

// A reduction carrying two values (an f32 and an index counter); the loop's
// results are the header's block arguments.

// CHECK-LABEL: llvm.func @sum_and_count(%x: !llvm.ptr, %out: !llvm.ptr) -> i64 {
// CHECK:         llvm.br ^[[HEADER:.*]](%{{.*}}, %{{.*}}, %{{.*}} : i64, f32, i64)
// CHECK:       ^[[HEADER]](%i: i64, %s: f32, %n: i64):
// CHECK:         llvm.cond_br %{{.*}}, ^[[BODY:.*]], ^[[AFTER:.*]]
// CHECK:       ^[[BODY]]:
// CHECK:         %[[V:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK:         %[[S2:.*]] = llvm.fadd %s, %[[V]] : f32
// CHECK:         %[[N2:.*]] = llvm.add %n, %{{.*}} : i64
// CHECK:         llvm.br ^[[HEADER]](%{{.*}}, %[[S2]], %[[N2]] : i64, f32, i64)
// CHECK:       ^[[AFTER]]:
// CHECK:         llvm.store %s, %out {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK:         llvm.return %n : i64
func.func @sum_and_count(%x: memref<16xf32>, %out: memref<f32>) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %total, %count = loop.for %i = %c0 to %c16 step %c1
      iter_args(%s = %zero, %n = %c0) -> (f32, index) {
    %v = memref.load %x[%i] : memref<16xf32>
    %s2 = arith.addf %s, %v : f32
    %n2 = arith.addi %n, %c1 : index
    loop.yield %s2, %n2 : f32, index
  }
  memref.store %total, %out[] : memref<f32>
  func.return %count : index
}

// -----

// A padded read: the index is clamped with a select before the load, and the
// pad is selected afterwards, so nothing is loaded out of bounds.

// CHECK-LABEL: llvm.func @shift_right(%x: !llvm.ptr, %y: !llvm.ptr) {
// CHECK:         %[[SRC:.*]] = llvm.sub %i, %{{.*}} : i64
// CHECK:         %[[LO:.*]] = llvm.icmp "sge" %[[SRC]], %{{.*}} : i64
// CHECK:         %[[HI:.*]] = llvm.icmp "slt" %[[SRC]], %{{.*}} : i64
// CHECK:         %[[IN:.*]] = llvm.and %[[LO]], %[[HI]] : i1
// CHECK:         %[[SAFE:.*]] = llvm.select %[[IN]], %[[SRC]], %{{.*}} : i1, i64
// CHECK:         %[[PTR:.*]] = llvm.getelementptr inbounds %x[%[[SAFE]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %[[V:.*]] = llvm.load %[[PTR]] {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK:         %[[R:.*]] = llvm.select %[[IN]], %[[V]], %{{.*}} : i1, f32
// CHECK:         llvm.store %[[R]], %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
func.func @shift_right(%x: memref<8xf32>, %y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %pad = arith.constant 0.0 : f32
  loop.for %i = %c0 to %c8 step %c1 {
    %src = arith.subi %i, %c2 : index
    %lo = arith.cmpi sge, %src, %c0 : index
    %hi = arith.cmpi slt, %src, %c8 : index
    %inside = arith.andi %lo, %hi : i1
    %safe = arith.select %inside, %src, %c0 : index
    %v = memref.load %x[%safe] : memref<8xf32>
    %r = arith.select %inside, %v, %pad : f32
    memref.store %r, %y[%i] : memref<8xf32>
  }
  func.return
}

// -----

// A temporary: 64-byte aligned heap memory, its size rounded up to the alignment
// (6 x 5 x f32 = 120 bytes -> 128), freed after its last use.

// CHECK:       llvm.func @free(!llvm.ptr)
// CHECK:       llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK-LABEL: llvm.func @temporary(%x: !llvm.ptr, %y: !llvm.ptr) {
// CHECK:         %[[ALIGN:.*]] = llvm.mlir.constant(64) : i64
// CHECK-NEXT:    %[[SIZE:.*]] = llvm.mlir.constant(128) : i64
// CHECK-NEXT:    %t = llvm.call @aligned_alloc(%[[ALIGN]], %[[SIZE]]) : (i64, i64) -> !llvm.ptr
// CHECK:         llvm.getelementptr inbounds %t[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.call @free(%t) : (!llvm.ptr) -> ()
// CHECK-NEXT:    llvm.return
func.func @temporary(%x: memref<6x5xf32>, %y: memref<6x5xf32>) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %t = memref.alloc() : memref<6x5xf32>
  %v = memref.load %x[%c3, %c0] : memref<6x5xf32>
  memref.store %v, %t[%c3, %c0] : memref<6x5xf32>
  %w = memref.load %t[%c3, %c0] : memref<6x5xf32>
  memref.store %w, %y[%c0, %c3] : memref<6x5xf32>
  memref.dealloc %t : memref<6x5xf32>
  func.return
}

// -----

// A global constant: an llvm.mlir.global array of its elements, 64-byte aligned,
// reached through its address.

// CHECK:       llvm.mlir.global private constant @table(dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<6 x f32>
// CHECK-LABEL: llvm.func @read_table(%y: !llvm.ptr) {
// CHECK:         %t = llvm.mlir.addressof @table : !llvm.ptr
// CHECK:         llvm.getelementptr inbounds %t[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
"memref.global"() <{sym_name = "table", sym_visibility = "private",
    type = memref<2x3xf32>, initial_value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
    : tensor<2x3xf32>, constant}> : () -> ()
func.func @read_table(%y: memref<f32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %t = memref.get_global @table : memref<2x3xf32>
  %v = memref.load %t[%c1, %c2] : memref<2x3xf32>
  memref.store %v, %y[] : memref<f32>
  func.return
}

// -----

// Math: an LLVM intrinsic, mangled for the type, where one exists; libm where
// none does (erf); rsqrt as 1 / sqrt.

// CHECK:       llvm.func @erf(f64) -> f64
// CHECK:       llvm.func @erff(f32) -> f32
// CHECK-LABEL: llvm.func @math(%x: f32, %d: f64) -> f32 {
// CHECK:         %e = llvm.call_intrinsic "llvm.exp.f32"(%x) : (f32) -> f32
// CHECK:         %t = llvm.call_intrinsic "llvm.tanh.f32"(%e) : (f32) -> f32
// CHECK:         %p = llvm.call_intrinsic "llvm.pow.f32"(%t, %x) : (f32, f32) -> f32
// CHECK:         %m = llvm.call_intrinsic "llvm.maximum.f32"(%p, %x) : (f32, f32) -> f32
// CHECK:         %f = llvm.call @erff(%m) : (f32) -> f32
// CHECK:         %[[ONE:.*]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK:         %[[ROOT:.*]] = llvm.call_intrinsic "llvm.sqrt.f32"(%f) : (f32) -> f32
// CHECK:         %r = llvm.fdiv %[[ONE]], %[[ROOT]] : f32
// CHECK:         %ed = llvm.call_intrinsic "llvm.exp.f64"(%d) : (f64) -> f64
// CHECK:         %fd = llvm.call @erf(%ed) : (f64) -> f64
// CHECK:         %fr = llvm.fptrunc %fd : f64 to f32
// CHECK:         %sum = llvm.fadd %r, %fr : f32
// CHECK:         llvm.return %sum : f32
func.func @math(%x: f32, %d: f64) -> f32 {
  %e = math.exp %x : f32
  %t = math.tanh %e : f32
  %p = math.powf %t, %x : f32
  %m = arith.maximumf %p, %x : f32
  %f = math.erf %m : f32
  %r = math.rsqrt %f : f32
  %ed = math.exp %d : f64
  %fd = math.erf %ed : f64
  %fr = arith.truncf %fd : f64 to f32
  %sum = arith.addf %r, %fr : f32
  func.return %sum : f32
}

// -----

// A vector loop: vector loads and stores are one GEP and one load/store aligned
// to the element, a splat is insertelement + a zero shuffle, fma is llvm.intr.fma,
// and the lanes are reduced by a shuffle tree.

// CHECK-LABEL: llvm.func @dot(%a: !llvm.ptr, %b: !llvm.ptr, %out: !llvm.ptr) {
// CHECK:         %[[UNDEF:.*]] = llvm.mlir.undef : vector<8xf32>
// CHECK:         %[[FIRST:.*]] = llvm.insertelement %{{.*}}, %[[UNDEF]][%{{.*}} : i32] : vector<8xf32>
// CHECK:         %z = llvm.shufflevector %[[FIRST]], %[[FIRST]] [0, 0, 0, 0, 0, 0, 0, 0] : vector<8xf32>
// CHECK:       ^[[HEADER:.*]](%j: i64, %s: vector<8xf32>):
// CHECK:         %[[PA:.*]] = llvm.getelementptr inbounds %a[%j] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %x = llvm.load %[[PA]] {alignment = 4 : i64} : !llvm.ptr -> vector<8xf32>
// CHECK:         %y = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<8xf32>
// CHECK:         %s2 = llvm.intr.fma(%x, %y, %s) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK:         llvm.store %s2, %{{.*}} {alignment = 4 : i64} : vector<8xf32>, !llvm.ptr
// CHECK:         llvm.br ^[[HEADER]]
// CHECK:         %[[LO4:.*]] = llvm.shufflevector %s, %s [0, 1, 2, 3] : vector<8xf32>
// CHECK:         %[[HI4:.*]] = llvm.shufflevector %s, %s [4, 5, 6, 7] : vector<8xf32>
// CHECK:         %[[SUM4:.*]] = llvm.fadd %[[LO4]], %[[HI4]] : vector<4xf32>
// CHECK:         %[[SUM2:.*]] = llvm.fadd %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK:         %[[SUM1:.*]] = llvm.fadd %{{.*}}, %{{.*}} : vector<1xf32>
// CHECK:         %r = llvm.bitcast %[[SUM1]] : vector<1xf32> to f32
// CHECK:         llvm.store %r, %out {alignment = 4 : i64} : f32, !llvm.ptr
func.func @dot(%a: memref<32xf32>, %b: memref<32xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %z = loop.splat %zero : vector<8xf32>
  %acc = loop.for %j = %c0 to %c32 step %c8 iter_args(%s = %z) -> (vector<8xf32>) {
    %x = loop.vload %a[%j] : memref<32xf32>, vector<8xf32>
    %y = loop.vload %b[%j] : memref<32xf32>, vector<8xf32>
    %s2 = loop.fma %x, %y, %s : vector<8xf32>
    loop.vstore %s2, %a[%j] : memref<32xf32>, vector<8xf32>
    loop.yield %s2 : vector<8xf32>
  }
  %r = loop.vreduce add %acc : vector<8xf32>
  memref.store %r, %out[] : memref<f32>
  func.return
}
