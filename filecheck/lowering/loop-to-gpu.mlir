// RUN: dlc-opt %s --split-input-file -p 'loop-to-gpu{block-size=4}' | filecheck %s

// An unmapped 1-D nest: 6 iterations on blocks of 4 threads, guarded by a
// one-trip loop.for from the global id to 6 with the whole grid (8) as step.

// CHECK:      builtin.module attributes {gpu.container_module} {
// CHECK-NEXT:   "gpu.module"() <{sym_name = "dlc_kernels"}> ({
// CHECK-NEXT:     "gpu.func"() <{function_type = (memref<6xf32>, memref<6xf32>) -> (), kernel}> ({
// CHECK-NEXT:     ^bb0(%x: memref<6xf32>, %y: memref<6xf32>):
// CHECK-DAG:        %tid_x = "gpu.thread_id"() <{dimension = #gpu<dim x>}>
// CHECK-DAG:        %bid_x = "gpu.block_id"() <{dimension = #gpu<dim x>}>
// CHECK:            %[[SCALED:.*]] = arith.muli %bid_x, %c4 : index
// CHECK-NEXT:       %[[GID:.*]] = arith.addi %[[SCALED]], %tid_x : index
// CHECK-NEXT:       loop.for %id = %[[GID]] to %c6 step %c8 {
// CHECK-NEXT:         %v = memref.load %x[%id] : memref<6xf32>
// CHECK:              memref.store %r, %y[%id] : memref<6xf32>
// CHECK:            "gpu.return"() : () -> ()
// CHECK-NEXT:     }) {sym_name = "relu_kernel_0", gpu.known_block_size = array<i32: 4, 1, 1>, gpu.known_grid_size = array<i32: 2, 1, 1>} : () -> ()
// CHECK-LABEL:  func.func @relu(%x: memref<6xf32>, %y: memref<6xf32>) {
// CHECK-DAG:      %c4 = arith.constant 4 : index
// CHECK-DAG:      %c2 = arith.constant 2 : index
// CHECK-DAG:      %c1 = arith.constant 1 : index
// CHECK-NEXT:     "gpu.launch_func"(%c2, %c1, %c1, %c4, %c1, %c1, %x, %y) <{kernel = @dlc_kernels::@relu_kernel_0,
// CHECK-NEXT:     func.return

func.func @relu(%x: memref<6xf32>, %y: memref<6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%i) = (%c0) to (%c6) step (%c1) {
    %v = memref.load %x[%i] : memref<6xf32>
    %r = arith.maximumf %v, %zero : f32
    memref.store %r, %y[%i] : memref<6xf32>
  }
  func.return
}

// -----

// A 2-D nest (tensor-to-loop's nested 1-D parallel loops) is linearized: 3 x 4 = 12
// iterations on 3 blocks of 4, no guard; the ivs are id / 4 and id % 4.

// CHECK:      "gpu.func"() <{function_type = (memref<3x4xf32>, memref<3x4xf32>, memref<3x4xf32>) -> (), kernel}>
// CHECK:        %[[SCALED:.*]] = arith.muli %bid_x, %c4 : index
// CHECK-NEXT:   %id = arith.addi %[[SCALED]], %tid_x : index
// CHECK-NEXT:   %j = arith.remui %id, %c4 : index
// CHECK-NEXT:   %i = arith.divui %id, %c4 : index
// CHECK-NEXT:   %u = memref.load %a[%i, %j] : memref<3x4xf32>
// CHECK:        {sym_name = "add_kernel_0", gpu.known_block_size = array<i32: 4, 1, 1>, gpu.known_grid_size = array<i32: 3, 1, 1>}
// CHECK-LABEL: func.func @add(
// CHECK:        "gpu.launch_func"(%c3, %c1, %c1, %c4, %c1, %c1, %a, %b, %c)

func.func @add(%a: memref<3x4xf32>, %b: memref<3x4xf32>, %c: memref<3x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  loop.parallel (%i) = (%c0) to (%c3) step (%c1) {
    loop.parallel (%j) = (%c0) to (%c4) step (%c1) {
      %u = memref.load %a[%i, %j] : memref<3x4xf32>
      %v = memref.load %b[%i, %j] : memref<3x4xf32>
      %w = arith.addf %u, %v : f32
      memref.store %w, %c[%i, %j] : memref<3x4xf32>
    }
  }
  func.return
}

// -----

// Sequential top-level code (a reduction loop.for, a store into a rank-0 buffer)
// runs in a kernel of one thread; the host keeps its allocation and the launches,
// in order.

// CHECK:      {sym_name = "total_kernel_0", gpu.known_block_size = array<i32: 4, 1, 1>, gpu.known_grid_size = array<i32: 2, 1, 1>}
// CHECK:      "gpu.func"() <{function_type = (memref<5xf32>, memref<f32>) -> (), kernel}> ({
// CHECK-NEXT: ^bb0(%tmp: memref<5xf32>, %out: memref<f32>):
// CHECK-NOT:    gpu.thread_id
// CHECK:        %s = loop.for %i = %c0 to %c5 step %c1 iter_args(%acc = %zero) -> (f32) {
// CHECK:        memref.store %s, %out[] : memref<f32>
// CHECK-NEXT:   "gpu.return"() : () -> ()
// CHECK-NEXT: }) {sym_name = "total_kernel_1", gpu.known_block_size = array<i32: 1, 1, 1>, gpu.known_grid_size = array<i32: 1, 1, 1>}
// CHECK-LABEL: func.func @total(%x: memref<5xf32>, %out: memref<f32>) {
// CHECK:        %tmp = memref.alloc() : memref<5xf32>
// CHECK-NEXT:   "gpu.launch_func"(%c2, %c1, %c1, %c4, %c1, %c1, %x, %tmp) <{kernel = @dlc_kernels::@total_kernel_0,
// CHECK-NEXT:   "gpu.launch_func"(%c1, %c1, %c1, %c1, %c1, %c1, %tmp, %out) <{kernel = @dlc_kernels::@total_kernel_1,
// CHECK-NEXT:   memref.dealloc %tmp : memref<5xf32>
// CHECK-NEXT:   func.return

func.func @total(%x: memref<5xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %zero = arith.constant 0.0 : f32
  %tmp = memref.alloc() : memref<5xf32>
  loop.parallel (%i) = (%c0) to (%c5) step (%c1) {
    %v = memref.load %x[%i] : memref<5xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %tmp[%i] : memref<5xf32>
  }
  %s = loop.for %i = %c0 to %c5 step %c1 iter_args(%acc = %zero) -> (f32) {
    %v = memref.load %tmp[%i] : memref<5xf32>
    %next = arith.addf %acc, %v : f32
    loop.yield %next : f32
  }
  memref.store %s, %out[] : memref<f32>
  memref.dealloc %tmp : memref<5xf32>
  func.return
}

// -----

// A pre-mapped tiled matmul: 2 x 2 blocks of 4 x 4 threads. K-tiles are staged
// in workgroup memory, each thread keeps a 2 x 2 accumulator in private memory
// and reduces over k inside its own loop.for. Thread loops of 2 x 2 trips are
// guarded; barriers separate the thread loops (also at the end of the k-tile
// loop), none follows the last one.

// CHECK:      ^bb0(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>):
// CHECK-DAG:    %bid_y = "gpu.block_id"() <{dimension = #gpu<dim y>}>
// CHECK-DAG:    %bid_x = "gpu.block_id"() <{dimension = #gpu<dim x>}>
// CHECK-DAG:    %as = memref.alloca() : memref<4x4xf32, #gpu.address_space<workgroup>>
// CHECK-DAG:    %bs = memref.alloca() : memref<4x4xf32, #gpu.address_space<workgroup>>
// CHECK-DAG:    %acc = memref.alloca() : memref<2x2xf32, #gpu.address_space<private>>
// CHECK-DAG:    %tid_y = "gpu.thread_id"() <{dimension = #gpu<dim y>}>
// CHECK-DAG:    %tid_x = "gpu.thread_id"() <{dimension = #gpu<dim x>}>
// CHECK:        %bi = arith.muli %bid_y, %c4 : index
// CHECK-NEXT:   %bj = arith.muli %bid_x, %c4 : index
// CHECK-NEXT:   loop.for %ty = %tid_y to %c2 step %c4 {
// CHECK-NEXT:     loop.for %tx = %tid_x to %c2 step %c4 {
// CHECK:              memref.store %zero, %acc[%p, %q] : memref<2x2xf32, #gpu.address_space<private>>
// CHECK:        "gpu.barrier"() : () -> ()
// CHECK-NEXT:   loop.for %kt = %c0 to %c8 step %c4 {
// CHECK-NEXT:     %i = arith.addi %bi, %tid_y : index
// CHECK-NEXT:     %k = arith.addi %kt, %tid_x : index
// CHECK:          memref.store %va, %as[%tid_y, %tid_x] : memref<4x4xf32, #gpu.address_space<workgroup>>
// CHECK:          memref.store %vb, %bs[%tid_y, %tid_x] : memref<4x4xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT:     "gpu.barrier"() : () -> ()
// CHECK-NEXT:     loop.for %ty_1 = %tid_y to %c2 step %c4 {
// CHECK:                %old = memref.load %acc[%p_1, %q_1] : memref<2x2xf32, #gpu.address_space<private>>
// CHECK-NEXT:           %sum = loop.for %kk = %c0 to %c4 step %c1 iter_args(%part = %old) -> (f32) {
// CHECK:                memref.store %sum, %acc[%p_1, %q_1] : memref<2x2xf32, #gpu.address_space<private>>
// CHECK:          "gpu.barrier"() : () -> ()
// CHECK-NEXT:   }
// CHECK-NEXT:   loop.for %ty_2 = %tid_y to %c2 step %c4 {
// CHECK:              memref.store %v, %c[%r_1, %s_1] : memref<8x8xf32>
// CHECK:        }
// CHECK-NOT:    gpu.barrier
// CHECK:        "gpu.return"() : () -> ()
// CHECK-NEXT: }) {sym_name = "tiled_kernel_0", gpu.known_block_size = array<i32: 4, 4, 1>, gpu.known_grid_size = array<i32: 2, 2, 1>}
// CHECK-LABEL: func.func @tiled(
// CHECK-NEXT:   %c1 = arith.constant 1 : index
// CHECK-NEXT:   %c2 = arith.constant 2 : index
// CHECK-NEXT:   %c4 = arith.constant 4 : index
// CHECK-NEXT:   "gpu.launch_func"(%c2, %c2, %c1, %c4, %c4, %c1, %a, %b, %c) <{kernel = @dlc_kernels::@tiled_kernel_0,
// CHECK-NEXT:   func.return

func.func @tiled(%a: memref<8x8xf32>, %b: memref<8x8xf32>, %c: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%bi, %bj) = (%c0, %c0) to (%c8, %c8) step (%c4, %c4) mapping [gpu.block.y, gpu.block.x] {
    %as = memref.alloc() : memref<4x4xf32, #gpu.address_space<workgroup>>
    %bs = memref.alloc() : memref<4x4xf32, #gpu.address_space<workgroup>>
    %acc = memref.alloc() : memref<2x2x2x2xf32, #gpu.address_space<private>>
    loop.parallel (%ty, %tx) = (%c0, %c0) to (%c2, %c2) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
      loop.for %p = %c0 to %c2 step %c1 {
        loop.for %q = %c0 to %c2 step %c1 {
          memref.store %zero, %acc[%ty, %tx, %p, %q] : memref<2x2x2x2xf32, #gpu.address_space<private>>
        }
      }
    }
    loop.for %kt = %c0 to %c8 step %c4 {
      loop.parallel (%ty, %tx) = (%c0, %c0) to (%c4, %c4) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
        %i = arith.addi %bi, %ty : index
        %k = arith.addi %kt, %tx : index
        %va = memref.load %a[%i, %k] : memref<8x8xf32>
        memref.store %va, %as[%ty, %tx] : memref<4x4xf32, #gpu.address_space<workgroup>>
        %kb = arith.addi %kt, %ty : index
        %j = arith.addi %bj, %tx : index
        %vb = memref.load %b[%kb, %j] : memref<8x8xf32>
        memref.store %vb, %bs[%ty, %tx] : memref<4x4xf32, #gpu.address_space<workgroup>>
      }
      loop.parallel (%ty, %tx) = (%c0, %c0) to (%c2, %c2) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
        loop.for %p = %c0 to %c2 step %c1 {
          loop.for %q = %c0 to %c2 step %c1 {
            %r0 = arith.muli %ty, %c2 : index
            %r = arith.addi %r0, %p : index
            %s0 = arith.muli %tx, %c2 : index
            %s = arith.addi %s0, %q : index
            %old = memref.load %acc[%ty, %tx, %p, %q] : memref<2x2x2x2xf32, #gpu.address_space<private>>
            %sum = loop.for %kk = %c0 to %c4 step %c1 iter_args(%part = %old) -> (f32) {
              %x = memref.load %as[%r, %kk] : memref<4x4xf32, #gpu.address_space<workgroup>>
              %y = memref.load %bs[%kk, %s] : memref<4x4xf32, #gpu.address_space<workgroup>>
              %xy = arith.mulf %x, %y : f32
              %next = arith.addf %part, %xy : f32
              loop.yield %next : f32
            }
            memref.store %sum, %acc[%ty, %tx, %p, %q] : memref<2x2x2x2xf32, #gpu.address_space<private>>
          }
        }
      }
    }
    loop.parallel (%ty, %tx) = (%c0, %c0) to (%c2, %c2) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
      loop.for %p = %c0 to %c2 step %c1 {
        loop.for %q = %c0 to %c2 step %c1 {
          %r0 = arith.muli %ty, %c2 : index
          %r1 = arith.addi %r0, %p : index
          %r = arith.addi %bi, %r1 : index
          %s0 = arith.muli %tx, %c2 : index
          %s1 = arith.addi %s0, %q : index
          %s = arith.addi %bj, %s1 : index
          %v = memref.load %acc[%ty, %tx, %p, %q] : memref<2x2x2x2xf32, #gpu.address_space<private>>
          memref.store %v, %c[%r, %s] : memref<8x8xf32>
        }
      }
    }
    memref.dealloc %as : memref<4x4xf32, #gpu.address_space<workgroup>>
    memref.dealloc %bs : memref<4x4xf32, #gpu.address_space<workgroup>>
    memref.dealloc %acc : memref<2x2x2x2xf32, #gpu.address_space<private>>
  }
  func.return
}
