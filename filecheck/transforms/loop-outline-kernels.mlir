// RUN: dlc-opt %s --split-input-file -p loop-outline-kernels | filecheck %s
// RUN: dlc-opt %s --split-input-file -p loop-outline-kernels,loop-outline-kernels | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-outline-kernels{dedup=false}' | filecheck %s --check-prefix=NODEDUP
// RUN: dlc-opt %s --split-input-file -p 'loop-outline-kernels{min-ops=4}' | filecheck %s --check-prefix=MIN

// loop-outline-kernels moves each top-level loop nest into a private kernel
// function and calls it. Nests that are the same code over other buffers call
// one kernel; the constants they use are copied into it, not passed.

func.func @exp_twice(%x: memref<64xf32>, %y: memref<64xf32>, %z: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  loop.for %i = %c0 to %c64 step %c1 {
    %a = memref.load %x[%i] : memref<64xf32>
    %b = math.exp %a : f32
    memref.store %b, %y[%i] : memref<64xf32>
  }
  loop.for %j = %c0 to %c64 step %c1 {
    %a = memref.load %y[%j] : memref<64xf32>
    %b = math.exp %a : f32
    memref.store %b, %z[%j] : memref<64xf32>
  }
  func.return
}
// CHECK-LABEL: func.func @exp_twice
// CHECK-NEXT:    func.call @exp_twice_kernel_0(%x, %y) : (memref<64xf32>, memref<64xf32>) -> ()
// CHECK-NEXT:    func.call @exp_twice_kernel_0(%y, %z) : (memref<64xf32>, memref<64xf32>) -> ()
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func private @exp_twice_kernel_0(%x: memref<64xf32>, %y: memref<64xf32>) attributes {no_inline, dlc.kernel_of = "exp_twice"} {
// CHECK-NEXT:    %c0 = arith.constant 0 : index
// CHECK-NEXT:    %c64 = arith.constant 64 : index
// CHECK-NEXT:    %c1 = arith.constant 1 : index
// CHECK-NEXT:    loop.for %i = %c0 to %c64 step %c1 {
// CHECK-NEXT:      %a = memref.load %x[%i] : memref<64xf32>
// CHECK-NEXT:      %b = math.exp %a : f32
// CHECK-NEXT:      memref.store %b, %y[%i] : memref<64xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }
// CHECK-NOT:   func.func

// NODEDUP-LABEL: func.func @exp_twice
// NODEDUP-NEXT:    func.call @exp_twice_kernel_0(%x, %y)
// NODEDUP-NEXT:    func.call @exp_twice_kernel_1(%y, %z)
// NODEDUP:       func.func private @exp_twice_kernel_0
// NODEDUP:       func.func private @exp_twice_kernel_1

// MIN-LABEL: func.func @exp_twice
// MIN-NEXT:    func.call @exp_twice_kernel_0(%x, %y)
// MIN-NEXT:    func.call @exp_twice_kernel_0(%y, %z)

// -----

// A splat of a constant (hoisted by loop-hoist) is recomputed in the kernel.
// Nests with different constants, or buffers of different types, get kernels
// of their own; an index computed at run time is passed.

func.func @scale(%x: memref<64xf32>, %y: memref<64xf32>, %w: memref<32xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %c32 = arith.constant 32 : index
  %two = arith.constant 2.0 : f32
  %three = arith.constant 3.0 : f32
  %v2 = loop.splat %two : vector<4xf32>
  %v3 = loop.splat %three : vector<4xf32>
  loop.for %i = %c0 to %c64 step %c4 {
    %a = loop.vload %x[%i] : memref<64xf32>, vector<4xf32>
    %b = arith.mulf %a, %v2 : vector<4xf32>
    loop.vstore %b, %y[%i] : memref<64xf32>, vector<4xf32>
  }
  loop.for %i = %c0 to %c64 step %c4 {
    %a = loop.vload %x[%i] : memref<64xf32>, vector<4xf32>
    %b = arith.mulf %a, %v3 : vector<4xf32>
    loop.vstore %b, %y[%i] : memref<64xf32>, vector<4xf32>
  }
  loop.for %i = %c0 to %c32 step %c4 {
    %a = loop.vload %w[%i] : memref<32xf32>, vector<4xf32>
    %b = arith.mulf %a, %v2 : vector<4xf32>
    loop.vstore %b, %w[%i] : memref<32xf32>, vector<4xf32>
  }
  loop.for %i = %c0 to %n step %c4 {
    %a = loop.vload %y[%i] : memref<64xf32>, vector<4xf32>
    %b = arith.mulf %a, %v2 : vector<4xf32>
    loop.vstore %b, %x[%i] : memref<64xf32>, vector<4xf32>
  }
  func.return
}
// CHECK-LABEL: func.func @scale
// CHECK-NEXT:    func.call @scale_kernel_0(%x, %y) : (memref<64xf32>, memref<64xf32>) -> ()
// CHECK-NEXT:    func.call @scale_kernel_1(%x, %y) : (memref<64xf32>, memref<64xf32>) -> ()
// CHECK-NEXT:    func.call @scale_kernel_2(%w) : (memref<32xf32>) -> ()
// CHECK-NEXT:    func.call @scale_kernel_3(%n, %y, %x) : (index, memref<64xf32>, memref<64xf32>) -> ()
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func private @scale_kernel_0(%x: memref<64xf32>, %y: memref<64xf32>) attributes {no_inline, dlc.kernel_of = "scale"} {
// CHECK-NEXT:    %c0 = arith.constant 0 : index
// CHECK-NEXT:    %c64 = arith.constant 64 : index
// CHECK-NEXT:    %c4 = arith.constant 4 : index
// CHECK-NEXT:    %two = arith.constant 2.000000e+00 : f32
// CHECK-NEXT:    %v2 = loop.splat %two : vector<4xf32>
// CHECK-NEXT:    loop.for %i = %c0 to %c64 step %c4 {
// CHECK-LABEL: func.func private @scale_kernel_1(%x: memref<64xf32>, %y: memref<64xf32>) attributes {no_inline, dlc.kernel_of = "scale"} {
// CHECK:         %three = arith.constant 3.000000e+00 : f32
// CHECK-NEXT:    %v3 = loop.splat %three : vector<4xf32>
// CHECK-LABEL: func.func private @scale_kernel_2(%w: memref<32xf32>) attributes {no_inline, dlc.kernel_of = "scale"} {
// CHECK:         %c32 = arith.constant 32 : index
// CHECK-LABEL: func.func private @scale_kernel_3(%n: index, %y: memref<64xf32>, %x: memref<64xf32>) attributes {no_inline, dlc.kernel_of = "scale"} {
// CHECK-NEXT:    %c0 = arith.constant 0 : index
// CHECK-NEXT:    %c4 = arith.constant 4 : index
// CHECK-NEXT:    %two = arith.constant 2.000000e+00 : f32
// CHECK-NEXT:    %v2 = loop.splat %two : vector<4xf32>
// CHECK-NEXT:    loop.for %i = %c0 to %n step %c4 {

// -----

// Views of the memory plan's arena are buffers like any other: passed. A nest
// whose result is used later stays inline, and so does, with min-ops=4, a nest
// of fewer ops. A name already taken is skipped.

func.func @arena(%x: memref<16xf32>, %out: memref<f32>) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<128xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %t = memref.view %arena[%c0][] : memref<128xi8> to memref<16xf32>
  loop.for %i = %c0 to %c16 step %c1 {
    memref.store %zero, %t[%i] : memref<16xf32>
  }
  loop.parallel (%i) = (%c0) to (%c16) step (%c1) mapping [cpu.thread] {
    %a = memref.load %x[%i] : memref<16xf32>
    %b = math.exp %a : f32
    memref.store %b, %t[%i] : memref<16xf32>
  } {threads = 2 : i64}
  %s = loop.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
    %a = memref.load %t[%i] : memref<16xf32>
    %b = arith.addf %acc, %a : f32
    loop.yield %b : f32
  }
  memref.store %s, %out[] : memref<f32>
  memref.dealloc %arena : memref<128xi8>
  func.return
}
func.func private @arena_kernel_0() {
  func.return
}
// CHECK-LABEL: func.func @arena
// CHECK-NEXT:    %arena = memref.alloc() {alignment = 64 : i64} : memref<128xi8>
// CHECK-NEXT:    %c0 = arith.constant 0 : index
// CHECK-NEXT:    %c1 = arith.constant 1 : index
// CHECK-NEXT:    %c16 = arith.constant 16 : index
// CHECK-NEXT:    %zero = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:    %t = memref.view %arena[%c0][] : memref<128xi8> to memref<16xf32>
// CHECK-NEXT:    func.call @arena_kernel_1(%t) : (memref<16xf32>) -> ()
// CHECK-NEXT:    func.call @arena_kernel_2(%x, %t) : (memref<16xf32>, memref<16xf32>) -> ()
// CHECK-NEXT:    %s = loop.for %i = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
// CHECK:         memref.store %s, %out[] : memref<f32>
// CHECK-NEXT:    memref.dealloc %arena : memref<128xi8>
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func private @arena_kernel_1(%t: memref<16xf32>) attributes {no_inline, dlc.kernel_of = "arena"} {
// CHECK-LABEL: func.func private @arena_kernel_2(%x: memref<16xf32>, %t: memref<16xf32>) attributes {no_inline, dlc.kernel_of = "arena"} {
// CHECK:         loop.parallel (%i) = (%c0) to (%c16) step (%c1) mapping [cpu.thread] {
// CHECK:         } {threads = 2 : i64}
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func private @arena_kernel_0() {

// MIN-LABEL: func.func @arena
// MIN:         %t = memref.view %arena[%c0][] : memref<128xi8> to memref<16xf32>
// MIN-NEXT:    loop.for %i = %c0 to %c16 step %c1 {
// MIN-NEXT:      memref.store %zero, %t[%i] : memref<16xf32>
// MIN-NEXT:    }
// MIN-NEXT:    func.call @arena_kernel_1(%x, %t)

// -----

// Nests whose ops differ only in a result type do not share a kernel.

func.func @through_float(%x: memref<8xi32>, %y: memref<8xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  loop.for %i = %c0 to %c8 step %c1 {
    %a = memref.load %x[%i] : memref<8xi32>
    %f = arith.sitofp %a : i32 to f32
    %b = arith.fptosi %f : f32 to i32
    memref.store %b, %y[%i] : memref<8xi32>
  }
  loop.for %i = %c0 to %c8 step %c1 {
    %a = memref.load %x[%i] : memref<8xi32>
    %f = arith.sitofp %a : i32 to f64
    %b = arith.fptosi %f : f64 to i32
    memref.store %b, %y[%i] : memref<8xi32>
  }
  func.return
}
// CHECK-LABEL: func.func @through_float
// CHECK-NEXT:    func.call @through_float_kernel_0(%x, %y)
// CHECK-NEXT:    func.call @through_float_kernel_1(%x, %y)
// CHECK-LABEL: func.func private @through_float_kernel_0
// CHECK:         arith.sitofp %a : i32 to f32
// CHECK-LABEL: func.func private @through_float_kernel_1
// CHECK:         arith.sitofp %a : i32 to f64

// -----

// A nest that calls another nest's kernel leaves its own copies of the
// constants unused too; they are erased with the first nest's.

func.func @own_constants(%x: memref<8xf32>, %y: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  loop.for %i = %c0 to %c8 step %c1 {
    %a = memref.load %x[%i] : memref<8xf32>
    %b = arith.addf %a, %one : f32
    memref.store %b, %x[%i] : memref<8xf32>
  }
  %d0 = arith.constant 0 : index
  %d1 = arith.constant 1 : index
  %d8 = arith.constant 8 : index
  %uno = arith.constant 1.0 : f32
  loop.for %i = %d0 to %d8 step %d1 {
    %a = memref.load %y[%i] : memref<8xf32>
    %b = arith.addf %a, %uno : f32
    memref.store %b, %y[%i] : memref<8xf32>
  }
  func.return
}
// CHECK-LABEL: func.func @own_constants
// CHECK-NEXT:    func.call @own_constants_kernel_0(%x) : (memref<8xf32>) -> ()
// CHECK-NEXT:    func.call @own_constants_kernel_0(%y) : (memref<8xf32>) -> ()
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func private @own_constants_kernel_0
// CHECK-NOT:   func.func
