// RUN: dlc-opt %s --split-input-file -p loop-memory-plan | filecheck %s
// RUN: dlc-opt %s --split-input-file -p loop-memory-plan | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-memory-plan{in_place=false}' | filecheck %s --check-prefix=APART
// RUN: dlc-opt %s --split-input-file -p loop-memory-plan,loop-to-llvm | filecheck %s --check-prefix=LLVM
// RUN: dlc-opt %s --split-input-file -p loop-outline-kernels,loop-memory-plan | filecheck %s --check-prefix=KERNELS

// With the nests outlined into kernels (as in dlc-cpu), the plans are the same:
// a call is judged by its kernel's nest.
// KERNELS-LABEL: func.func @reuse
// KERNELS-SAME:    {arena_bytes = 512 : i64, temporary_bytes = 1024 : i64, live_bytes = 512 : i64, buffers = 4 : i64, in_place = 1 : i64}
// KERNELS:       func.func private @reuse_kernel_0
// KERNELS-NOT:     dlc.memory_plan
// KERNELS-LABEL: func.func @chain
// KERNELS-SAME:    {arena_bytes = 256 : i64, temporary_bytes = 768 : i64, live_bytes = 512 : i64, buffers = 3 : i64, in_place = 2 : i64}
// KERNELS-LABEL: func.func @in_place_rules
// KERNELS-SAME:    {arena_bytes = 1024 : i64, temporary_bytes = 2048 : i64, live_bytes = 1024 : i64, buffers = 4 : i64, in_place = 2 : i64}
// KERNELS-LABEL: func.func @not_planned
// KERNELS-SAME:    {arena_bytes = 0 : i64, temporary_bytes = 0 : i64, live_bytes = 0 : i64, buffers = 0 : i64, in_place = 0 : i64}

// loop-memory-plan replaces a function's temporaries by views into one arena,
// allocated first and freed last. A buffer reuses the memory of buffers dead by
// the time it is first used, and computes in place over one that dies in the
// nest that writes it when that nest reads it only where it writes. The figures
// go on the function. loop-to-llvm allocates the arena, has the runtime check
// the address (dlc_check_allocation aborts with a message on null), and turns
// each view into a byte GEP.

// %a dies in the nest that writes %b, but that nest reads a[63 - i]: %b needs
// memory of its own. %c is read back to front too, so %c cannot overwrite %b,
// but %a is dead by then: %c takes its place. %d is computed in place over %c.
func.func @reuse(%x: memref<64xf32>, %out0: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c63 = arith.constant 63 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  %a = memref.alloc() : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %x[%i] : memref<64xf32>
    %e = math.exp %v : f32
    memref.store %e, %a[%i] : memref<64xf32>
  }
  %b = memref.alloc() : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %j = arith.subi %c63, %i : index
    %u = memref.load %a[%j] : memref<64xf32>
    memref.store %u, %b[%i] : memref<64xf32>
  }
  memref.dealloc %a : memref<64xf32>
  %c = memref.alloc() : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %j = arith.subi %c63, %i : index
    %u = memref.load %b[%j] : memref<64xf32>
    memref.store %u, %c[%i] : memref<64xf32>
  }
  memref.dealloc %b : memref<64xf32>
  %d = memref.alloc() : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %u = memref.load %c[%i] : memref<64xf32>
    %s = arith.addf %u, %one : f32
    memref.store %s, %d[%i] : memref<64xf32>
  }
  memref.dealloc %c : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %u = memref.load %d[%i] : memref<64xf32>
    memref.store %u, %out0[%i] : memref<64xf32>
  }
  memref.dealloc %d : memref<64xf32>
  func.return
}
// CHECK-LABEL: func.func @reuse(%x: memref<64xf32>, %out0: memref<64xf32>)
// CHECK-SAME:      attributes {dlc.memory_plan = {arena_bytes = 512 : i64, temporary_bytes = 1024 : i64, live_bytes = 512 : i64, buffers = 4 : i64, in_place = 1 : i64}}
// CHECK-NEXT:    %arena = memref.alloc() {alignment = 64 : i64} : memref<512xi8>
// CHECK-NEXT:    %c0 = arith.constant 0 : index
// CHECK-NEXT:    %c256 = arith.constant 256 : index
// CHECK:         %a = memref.view %arena[%c0][] : memref<512xi8> to memref<64xf32>
// CHECK:         %b = memref.view %arena[%c256][] : memref<512xi8> to memref<64xf32>
// CHECK-NOT:     memref.dealloc %a
// CHECK:         %c = memref.view %arena[%c0][] : memref<512xi8> to memref<64xf32>
// CHECK:         %d = memref.view %arena[%c0][] : memref<512xi8> to memref<64xf32>
// CHECK:         memref.store %s, %d[%i_3] : memref<64xf32>
// CHECK:         memref.dealloc %arena : memref<512xi8>
// CHECK-NEXT:    func.return
// APART-LABEL: func.func @reuse
// APART-SAME:      arena_bytes = 512 : i64, temporary_bytes = 1024 : i64, live_bytes = 512 : i64, buffers = 4 : i64, in_place = 0 : i64
// APART:         %c = memref.view %arena[%c0][]
// APART:         %d = memref.view %arena[%c256][]
// LLVM:        llvm.func @dlc_check_allocation(!llvm.ptr, i64)
// LLVM-LABEL:  llvm.func @reuse
// LLVM:          %[[ALIGN:.*]] = llvm.mlir.constant(64) : i64
// LLVM-NEXT:     %[[SIZE:.*]] = llvm.mlir.constant(512) : i64
// LLVM-NEXT:     %arena = llvm.call @aligned_alloc(%[[ALIGN]], %[[SIZE]]) : (i64, i64) -> !llvm.ptr
// LLVM-NEXT:     llvm.call @dlc_check_allocation(%arena, %[[SIZE]]) : (!llvm.ptr, i64) -> ()
// LLVM:          %a = llvm.getelementptr inbounds %arena[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, i8
// LLVM:          llvm.call @free(%arena) : (!llvm.ptr) -> ()
// LLVM-NEXT:     llvm.return

// -----

// A chain of elementwise nests runs in one buffer; without computing in place,
// each buffer overlaps the next and two are needed.
func.func @chain(%x: memref<64xf32>, %out0: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %a = memref.alloc() : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %x[%i] : memref<64xf32>
    %e = math.exp %v : f32
    memref.store %e, %a[%i] : memref<64xf32>
  }
  %b = memref.alloc() : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %a[%i] : memref<64xf32>
    %e = math.exp %v : f32
    memref.store %e, %b[%i] : memref<64xf32>
  }
  memref.dealloc %a : memref<64xf32>
  %c = memref.alloc() : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %b[%i] : memref<64xf32>
    %e = math.exp %v : f32
    memref.store %e, %c[%i] : memref<64xf32>
  }
  memref.dealloc %b : memref<64xf32>
  loop.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %c[%i] : memref<64xf32>
    memref.store %v, %out0[%i] : memref<64xf32>
  }
  memref.dealloc %c : memref<64xf32>
  func.return
}
// CHECK-LABEL: func.func @chain
// CHECK-SAME:      arena_bytes = 256 : i64, temporary_bytes = 768 : i64, live_bytes = 512 : i64, buffers = 3 : i64, in_place = 2 : i64
// APART-LABEL: func.func @chain
// APART-SAME:      arena_bytes = 512 : i64, temporary_bytes = 768 : i64, live_bytes = 512 : i64, buffers = 3 : i64, in_place = 0 : i64

// -----

// In place needs distinct elements per iteration: a broadcast reads a[i] for
// every j, and a loop that repeats a point (%r) would read an element after
// it was overwritten. Neither is in place; vectorized and tiled elementwise
// nests are, each lane read by the access that writes it.
func.func @in_place_rules(%x: memref<4x32xf32>, %out0: memref<4x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %a = memref.alloc() : memref<4x32xf32>
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c32 step %c1 {
      %v = memref.load %x[%i, %c0] : memref<4x32xf32>
      memref.store %v, %a[%i, %j] : memref<4x32xf32>
    }
  }
  %b = memref.alloc() : memref<4x32xf32>
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %r = %c0 to %c2 step %c1 {
      loop.for %j = %c0 to %c32 step %c1 {
        %v = memref.load %a[%i, %j] : memref<4x32xf32>
        %w = arith.addf %v, %v : f32
        memref.store %w, %b[%i, %j] : memref<4x32xf32>
      }
    }
  }
  %c = memref.alloc() : memref<4x32xf32>
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c32 step %c16 {
      %v = loop.vload %b[%i, %j] : memref<4x32xf32>, vector<16xf32>
      %w = arith.addf %v, %v : vector<16xf32>
      loop.vstore %w, %c[%i, %j] : memref<4x32xf32>, vector<16xf32>
    }
  }
  %d = memref.alloc() : memref<4x32xf32>
  loop.parallel (%it) = (%c0) to (%c4) step (%c2) {
    %end = arith.addi %it, %c2 : index
    loop.for %i = %it to %end step %c1 {
      loop.for %j = %c0 to %c32 step %c1 {
        %v = memref.load %c[%i, %j] : memref<4x32xf32>
        %w = arith.addf %v, %v : f32
        memref.store %w, %d[%i, %j] : memref<4x32xf32>
      }
    }
  }
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c32 step %c1 {
      %v = memref.load %d[%i, %j] : memref<4x32xf32>
      memref.store %v, %out0[%i, %j] : memref<4x32xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @in_place_rules
// CHECK-SAME:      arena_bytes = 1024 : i64, temporary_bytes = 2048 : i64, live_bytes = 1024 : i64, buffers = 4 : i64, in_place = 2 : i64
// CHECK:         %a = memref.view %arena[%c0][]
// CHECK:         %b = memref.view %arena[%c512][]
// CHECK:         %c = memref.view %arena[%c512][]
// CHECK:         %d = memref.view %arena[%c512][]

// -----

// Only buffers in the function body whose every use is a load, a store or a
// call are planned: a returned buffer and one allocated inside a loop (one per
// iteration, or per thread) keep their allocations.
func.func @not_planned(%x: memref<4xf32>) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = memref.alloc() : memref<4xf32>
  loop.for %i = %c0 to %c4 step %c1 {
    %t = memref.alloc() : memref<4xf32>
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %t[%i] : memref<4xf32>
    %w = memref.load %t[%i] : memref<4xf32>
    memref.store %w, %r[%i] : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
  }
  func.return %r : memref<4xf32>
}
// CHECK-LABEL: func.func @not_planned
// CHECK-SAME:      {dlc.memory_plan = {arena_bytes = 0 : i64, temporary_bytes = 0 : i64, live_bytes = 0 : i64, buffers = 0 : i64, in_place = 0 : i64}}
// CHECK-NOT:     memref.view
// CHECK:         %r = memref.alloc() : memref<4xf32>
// CHECK:           %t = memref.alloc() : memref<4xf32>
// CHECK:           memref.dealloc %t : memref<4xf32>
