// RUN: dlc-opt %s -p gpu-to-nvvm --split-input-file | filecheck %s

// Kernels become llvm.func marked nvvm.kernel over global pointers; the index ops
// read PTX's special registers; the host function stays as it is.

builtin.module attributes {gpu.container_module} {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<1024xf32>, memref<1024xf32>) -> (), kernel}> ({
    ^bb0(%x: memref<1024xf32>, %y: memref<1024xf32>):
      %tid = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %bid = "gpu.block_id"() <{dimension = #gpu<dim y>}> : () -> index
      %bdim = "gpu.block_dim"() <{dimension = #gpu<dim x>}> : () -> index
      %gdim = "gpu.grid_dim"() <{dimension = #gpu<dim z>}> : () -> index
      %base = arith.muli %bid, %bdim : index
      %j = arith.addi %base, %tid : index
      %i = arith.addi %j, %gdim : index
      %c1024 = arith.constant 1024 : index
      %in = arith.cmpi ult, %i, %c1024 : index
      scf.if %in {
        %v = memref.load %x[%i] : memref<1024xf32>
        memref.store %v, %y[%i] : memref<1024xf32>
      }
      "gpu.return"() : () -> ()
    }) {sym_name = "copy"} : () -> ()
  }) : () -> ()
  func.func @main(%x: memref<1024xf32>, %y: memref<1024xf32>) {
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c256 = arith.constant 256 : index
    "gpu.launch_func"(%c4, %c1, %c1, %c256, %c1, %c1, %x, %y) <{kernel = @kernels::@copy, operandSegmentSizes = array<i32: 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, 0>}> : (index, index, index, index, index, index, memref<1024xf32>, memref<1024xf32>) -> ()
    func.return
  }
}

// CHECK-LABEL: llvm.func @copy(%x: !llvm.ptr<1>, %y: !llvm.ptr<1>) attributes {nvvm.kernel} {
// CHECK:         %[[T:.*]] = llvm.call_intrinsic "llvm.nvvm.read.ptx.sreg.tid.x"() : () -> i32
// CHECK-NEXT:    %tid = llvm.zext %[[T]] : i32 to i64
// CHECK:         llvm.call_intrinsic "llvm.nvvm.read.ptx.sreg.ctaid.y"() : () -> i32
// CHECK:         llvm.call_intrinsic "llvm.nvvm.read.ptx.sreg.ntid.x"() : () -> i32
// CHECK:         llvm.call_intrinsic "llvm.nvvm.read.ptx.sreg.nctaid.z"() : () -> i32
// CHECK:         %in = llvm.icmp "ult" %i, %c1024 : i64
// CHECK-NEXT:    llvm.cond_br %in, ^[[THEN:.*]], ^[[AFTER:.*]]
// CHECK-NEXT:  ^[[THEN]]:
// CHECK-NEXT:    %[[P:.*]] = llvm.getelementptr inbounds %x[%i] : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, f32
// CHECK-NEXT:    %v = llvm.load %[[P]] {alignment = 4 : i64} : !llvm.ptr<1> -> f32
// CHECK-NEXT:    %[[Q:.*]] = llvm.getelementptr inbounds %y[%i] : (!llvm.ptr<1>, i64) -> !llvm.ptr<1>, f32
// CHECK-NEXT:    llvm.store %v, %[[Q]] {alignment = 4 : i64} : f32, !llvm.ptr<1>
// CHECK-NEXT:    llvm.br ^[[AFTER]]
// CHECK-NEXT:  ^[[AFTER]]:
// CHECK-NEXT:    llvm.return

// CHECK-LABEL: func.func @main(%x: memref<1024xf32>, %y: memref<1024xf32>) {
// CHECK-NEXT:    %c1 = arith.constant 1 : index
// CHECK:         "gpu.launch_func"(%c4, %c1, %c1, %c256, %c1, %c1, %x, %y) <{kernel = @kernels::@copy
// CHECK-NEXT:    func.return

// -----

// Workgroup buffers are address space 3 globals of the gpu.module, private ones
// allocas at the start of the kernel; their deallocations go. gpu.barrier is
// bar.sync 0.

builtin.module attributes {gpu.container_module} {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<64x16xf32>, memref<64x16xf32>) -> (), kernel}> ({
    ^bb0(%a: memref<64x16xf32>, %b: memref<64x16xf32>):
      %tx = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %ty = "gpu.thread_id"() <{dimension = #gpu<dim y>}> : () -> index
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c16 = arith.constant 16 : index
      %tile = memref.alloc() : memref<16x16xf32, #gpu.address_space<workgroup>>
      %acc = memref.alloc() : memref<2xf32, #gpu.address_space<private>>
      %v = memref.load %a[%ty, %tx] : memref<64x16xf32>
      memref.store %v, %tile[%ty, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
      "gpu.barrier"() : () -> ()
      %zero = arith.constant 0.0 : f32
      memref.store %zero, %acc[%c0] : memref<2xf32, #gpu.address_space<private>>
      loop.for %k = %c0 to %c16 step %c1 {
        %w = memref.load %tile[%k, %tx] : memref<16x16xf32, #gpu.address_space<workgroup>>
        %s = memref.load %acc[%c0] : memref<2xf32, #gpu.address_space<private>>
        %n = arith.addf %s, %w : f32
        memref.store %n, %acc[%c0] : memref<2xf32, #gpu.address_space<private>>
      }
      %r = memref.load %acc[%c0] : memref<2xf32, #gpu.address_space<private>>
      memref.store %r, %b[%ty, %tx] : memref<64x16xf32>
      memref.dealloc %tile : memref<16x16xf32, #gpu.address_space<workgroup>>
      memref.dealloc %acc : memref<2xf32, #gpu.address_space<private>>
      "gpu.return"() : () -> ()
    }) {sym_name = "column_sum"} : () -> ()
  }) : () -> ()
}

// CHECK:       "gpu.module"() <{sym_name = "kernels"}> ({
// CHECK-NEXT:    llvm.mlir.global internal @__shared_column_sum_0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<256 x f32>
// CHECK-LABEL:   llvm.func @column_sum(%a: !llvm.ptr<1>, %b: !llvm.ptr<1>) attributes {nvvm.kernel} {
// CHECK-NEXT:      %[[TWO:.*]] = llvm.mlir.constant(2) : i64
// CHECK-NEXT:      %acc = llvm.alloca %[[TWO]] x f32 {alignment = 4 : i64} : (i64) -> !llvm.ptr
// CHECK:           %tile = llvm.mlir.addressof @__shared_column_sum_0 : !llvm.ptr<3>
// CHECK:           llvm.store %v, %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr<3>
// CHECK-NEXT:      llvm.call_intrinsic "llvm.nvvm.barrier0"() : () -> ()
// CHECK:           llvm.getelementptr inbounds %tile[%{{.*}}] : (!llvm.ptr<3>, i64) -> !llvm.ptr<3>, f32
// CHECK:           llvm.getelementptr inbounds %acc[%c0] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NOT:       llvm.call @free
// CHECK:           llvm.return

// -----

// Math: NVPTX lowers sqrt, fabs, floor, fma and min/max intrinsics itself (f32
// and f64); exp and the other transcendental functions are polynomials, never
// calls. An f16 value is widened to f32 and narrowed back.

builtin.module {
  "gpu.module"() <{sym_name = "kernels"}> ({
    "gpu.func"() <{function_type = (memref<4xf32>, memref<4xf64>, memref<4xf16>) -> (), kernel}> ({
    ^bb0(%x: memref<4xf32>, %d: memref<4xf64>, %h: memref<4xf16>):
      %i = "gpu.thread_id"() <{dimension = #gpu<dim x>}> : () -> index
      %v = memref.load %x[%i] : memref<4xf32>
      %s = math.sqrt %v : f32
      %a = math.absf %s : f32
      %f = math.floor %a : f32
      %m = arith.maximumf %f, %v : f32
      %e = math.exp %m : f32
      %l = math.log %e : f32
      %c = math.cos %l : f32
      %p = math.powf %c, %v : f32
      memref.store %p, %x[%i] : memref<4xf32>
      %w = memref.load %d[%i] : memref<4xf64>
      %ws = math.sqrt %w : f64
      %wf = math.fma %ws, %ws, %w : f64
      memref.store %wf, %d[%i] : memref<4xf64>
      %g = memref.load %h[%i] : memref<4xf16>
      %gt = math.tanh %g : f16
      memref.store %gt, %h[%i] : memref<4xf16>
      "gpu.return"() : () -> ()
    }) {sym_name = "math"} : () -> ()
  }) : () -> ()
}

// CHECK-LABEL: llvm.func @math(%x: !llvm.ptr<1>, %d: !llvm.ptr<1>, %h: !llvm.ptr<1>) attributes {nvvm.kernel} {
// CHECK-NOT:     llvm.call @
// CHECK:         %s = llvm.call_intrinsic "llvm.sqrt.f32"(%v) : (f32) -> f32
// CHECK-NEXT:    %a = llvm.call_intrinsic "llvm.fabs.f32"(%s) : (f32) -> f32
// CHECK-NEXT:    %f = llvm.call_intrinsic "llvm.floor.f32"(%a) : (f32) -> f32
// CHECK-NEXT:    %m = llvm.call_intrinsic "llvm.maximum.f32"(%f, %v) : (f32, f32) -> f32
// CHECK:         llvm.call_intrinsic "llvm.roundeven.f32"
// CHECK:         llvm.intr.fma
// CHECK:         llvm.call_intrinsic "llvm.fptosi.sat.i32.f32"
// CHECK:         llvm.fcmp "uno" %e, %e : f32
// CHECK:         %ws = llvm.call_intrinsic "llvm.sqrt.f64"(%w) : (f64) -> f64
// CHECK-NEXT:    %wf = llvm.intr.fma(%ws, %ws, %w) : (f64, f64, f64) -> f64
// CHECK:         llvm.fpext %g : f16 to f32
// CHECK:         llvm.fdiv
// CHECK-NEXT:    %gt = llvm.fptrunc %{{.*}} : f32 to f16
// CHECK-NOT:     llvm.call @
// CHECK:         llvm.return
