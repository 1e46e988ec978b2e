// RUN: dlc-opt %s --split-input-file --verify-diagnostics -p loop-to-gpu

// A thread reads the private slice of its neighbour.

func.func @neighbour(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f32
  loop.parallel (%b) = (%c0) to (%c1) step (%c1) mapping [gpu.block.x] {
    %p = memref.alloc() : memref<4xf32, #gpu.address_space<private>>
    loop.parallel (%t) = (%c0) to (%c4) step (%c1) mapping [gpu.thread.x] {
      memref.store %one, %p[%t] : memref<4xf32, #gpu.address_space<private>>
    }
    loop.parallel (%t) = (%c0) to (%c4) step (%c1) mapping [gpu.thread.x] {
      %n = arith.addi %t, %c1 : index
      %w = arith.remui %n, %c4 : index
      // expected-error @+1 {{loop-to-gpu: private buffer %p is indexed here by no thread ivs but elsewhere by the thread ivs [gpu.thread.x]; a thread may only access its own slice}}
      %v = memref.load %p[%w] : memref<4xf32, #gpu.address_space<private>>
      memref.store %v, %out[%t] : memref<4xf32>
    }
  }
  func.return
}

// -----

// A buffer allocated inside a block loop must say where it lives.

func.func @global_alloc(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  loop.parallel (%b) = (%c0) to (%c4) step (%c1) mapping [gpu.block.x] {
    // expected-error @+1 {{loop-to-gpu: memref.alloc of memref<4xf32> inside a kernel must be in #gpu.address_space<workgroup> or <private>}}
    %t = memref.alloc() : memref<4xf32>
    memref.dealloc %t : memref<4xf32>
  }
  func.return
}

// -----

// Thread loops need constant trip counts: they give the block size.

func.func @dynamic_threads(%out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%b) = (%c0) to (%c1) step (%c1) mapping [gpu.block.x] {
    // expected-error @+1 {{loop-to-gpu: a gpu.thread loop needs constant bounds and step: they give the block size}}
    loop.parallel (%t) = (%c0) to (%n) step (%c1) mapping [gpu.thread.x] {
      memref.store %zero, %out[%t] : memref<?xf32>
    }
  }
  func.return
}

// -----

// A block may not have more than 1024 threads.

func.func @huge_block(%out: memref<2048xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2048 = arith.constant 2048 : index
  %zero = arith.constant 0.0 : f32
  loop.parallel (%b) = (%c0) to (%c1) step (%c1) mapping [gpu.block.x] {
    // expected-error @+1 {{loop-to-gpu: the gpu.thread loops need a block of 2048x1x1 = 2048 threads, more than the 1024 a GPU block may have}}
    loop.parallel (%t) = (%c0) to (%c2048) step (%c1) mapping [gpu.thread.x] {
      memref.store %zero, %out[%t] : memref<2048xf32>
    }
  }
  func.return
}
