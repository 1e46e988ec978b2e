// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// Every verifier message of the loop dialect, one per chunk. Chunks that need an
// ill-formed op the custom syntax cannot spell use the generic form.

func.func @for_bound_not_index(%n: i32) {
  // expected-error @+1 {{loop.for: lower bound must be index, got i32}}
  "loop.for"(%n, %n, %n) ({
  ^bb0(%i: index):
    "loop.yield"() : () -> ()
  }) : (i32, i32, i32) -> ()
  func.return
}

// -----

func.func @for_zero_step() {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  // expected-error @+1 {{loop.for: step must be positive, got 0}}
  loop.for %i = %c0 to %c4 step %c0 {
  }
  func.return
}

// -----

func.func @for_missing_iter_arg_argument(%x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.for: body must take 2 arguments (the induction variable, then one per iter_arg), got (index)}}
  %r = "loop.for"(%c0, %c1, %c1, %x) ({
  ^bb0(%i: index):
    "loop.yield"(%x) : (f32) -> ()
  }) : (index, index, index, f32) -> f32
  func.return
}

// -----

func.func @for_induction_variable_not_index() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.for: induction variable must be index, got i64}}
  "loop.for"(%c0, %c1, %c1) ({
  ^bb0(%i: i64):
    "loop.yield"() : () -> ()
  }) : (index, index, index) -> ()
  func.return
}

// -----

func.func @for_body_argument_type(%x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.for: body argument 1 has type f64 but iter_arg 0 has type f32}}
  %r = "loop.for"(%c0, %c1, %c1, %x) ({
  ^bb0(%i: index, %acc: f64):
    "loop.yield"(%x) : (f32) -> ()
  }) : (index, index, index, f32) -> f32
  func.return
}

// -----

func.func @for_result_type(%x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.for: result types (f64) must equal the iter_args types (f32)}}
  %r = "loop.for"(%c0, %c1, %c1, %x) ({
  ^bb0(%i: index, %acc: f32):
    "loop.yield"(%acc) : (f32) -> ()
  }) : (index, index, index, f32) -> f64
  func.return
}

// -----

func.func @for_yield_type(%x: f32, %y: f64) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.for: loop.yield gives (f64) but the loop carries (f32)}}
  %r = loop.for %i = %c0 to %c1 step %c1 iter_args(%acc = %x) -> (f32) {
    loop.yield %y : f64
  }
  func.return %r : f32
}

// -----

func.func @for_unroll_zero() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.for: annotation 'unroll' must be a positive integer, got 0 : i64}}
  loop.for %i = %c0 to %c1 step %c1 {
  } {unroll = 0 : i64}
  func.return
}

// -----

func.func @for_vectorize_width() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.for: annotation 'vectorize' must be a vector width (2, 4, 8, 16, 32, 64), got 12 : i64}}
  loop.for %i = %c0 to %c1 step %c1 {
  } {vectorize = 12 : i64}
  func.return
}

// -----

func.func @parallel_no_dims() {
  // expected-error @+1 {{loop.parallel: must have at least one dimension}}
  "loop.parallel"() <{operandSegmentSizes = array<i32: 0, 0, 0>}> ({
    "loop.yield"() : () -> ()
  }) : () -> ()
  func.return
}

// -----

func.func @parallel_bound_counts() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: expected one lower bound, upper bound and step per dimension, got 2, 1 and 2}}
  loop.parallel (%i, %j) = (%c0, %c0) to (%c1) step (%c1, %c1) {
  }
  func.return
}

// -----

func.func @parallel_bound_not_index(%n: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: upper bound 0 must be index, got i32}}
  "loop.parallel"(%c0, %n, %c1) <{operandSegmentSizes = array<i32: 1, 1, 1>}> ({
  ^bb0(%i: index):
    "loop.yield"() : () -> ()
  }) : (index, i32, index) -> ()
  func.return
}

// -----

func.func @parallel_negative_step() {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %m1 = arith.constant -1 : index
  // expected-error @+1 {{loop.parallel: step 1 must be positive, got -1}}
  loop.parallel (%i, %j) = (%c0, %c0) to (%c4, %c4) step (%c4, %m1) {
  }
  func.return
}

// -----

func.func @parallel_body_arguments() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: body must take 2 index arguments (one per dimension), got (index)}}
  loop.parallel (%i) = (%c0, %c0) to (%c1, %c1) step (%c1, %c1) {
  }
  func.return
}

// -----

func.func @parallel_yields_value(%x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: loop.yield must not return values (a parallel loop has no results), got (f32)}}
  loop.parallel (%i) = (%c0) to (%c1) step (%c1) {
    loop.yield %x : f32
  }
  func.return
}

// -----

func.func @parallel_mapping_count() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: mapping has 1 entries but the loop has 2 dimensions}}
  loop.parallel (%i, %j) = (%c0, %c0) to (%c1, %c1) step (%c1, %c1) mapping [gpu.block.x] {
  }
  func.return
}

// -----

func.func @parallel_unknown_mapping() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: unknown mapping 'gpu.warp' for dimension 0, expected one of none, cpu.thread, gpu.block.x, gpu.block.y, gpu.block.z, gpu.thread.x, gpu.thread.y, gpu.thread.z}}
  loop.parallel (%i) = (%c0) to (%c1) step (%c1) mapping [gpu.warp] {
  }
  func.return
}

// -----

func.func @parallel_mapping_repeated() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: mapping 'gpu.block.x' is given to more than one dimension: [gpu.block.x, gpu.block.x]}}
  loop.parallel (%i, %j) = (%c0, %c0) to (%c1, %c1) step (%c1, %c1) mapping [gpu.block.x, gpu.block.x] {
  }
  func.return
}

// -----

func.func @parallel_mapping_rebound() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  loop.parallel (%i) = (%c0) to (%c1) step (%c1) mapping [gpu.thread.x] {
    // expected-error @+1 {{loop.parallel: mapping 'gpu.thread.x' is already used by an enclosing loop.parallel}}
    loop.parallel (%j) = (%c0) to (%c1) step (%c1) mapping [gpu.thread.x] {
    }
  }
  func.return
}

// -----

func.func @parallel_mapping_cpu_and_gpu() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{loop.parallel: mapping mixes CPU threads and GPU processors: [cpu.thread, gpu.block.x]}}
  loop.parallel (%i, %j) = (%c0, %c0) to (%c1, %c1) step (%c1, %c1) mapping [cpu.thread, gpu.block.x] {
  }
  func.return
}

// -----

func.func @parallel_blocks_inside_threads() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  loop.parallel (%i) = (%c0) to (%c1) step (%c1) mapping [gpu.thread.x] {
    // expected-error @+1 {{loop.parallel: mapping 'gpu.block.x' is nested inside a loop.parallel mapped to GPU threads; blocks must enclose threads}}
    loop.parallel (%j) = (%c0) to (%c1) step (%c1) mapping [gpu.block.x] {
    }
  }
  func.return
}

// -----

func.func @vload_width(%A: memref<8x32xf32>, %i: index) {
  // expected-error @+1 {{loop.vload: vector width 12 must be a power of two from 2 to 64, got vector<12xf32>}}
  %v = loop.vload %A[%i, %i] : memref<8x32xf32>, vector<12xf32>
  func.return
}

// -----

func.func @vload_two_dimensional(%A: memref<8x32xf32>, %i: index) {
  // expected-error @+1 {{loop.vload: result must be a fixed one-dimensional vector, got vector<4x4xf32>}}
  %v = loop.vload %A[%i, %i] : memref<8x32xf32>, vector<4x4xf32>
  func.return
}

// -----

func.func @vload_integer_vector(%A: memref<8x32xi32>, %i: index) {
  // expected-error @+1 {{loop.vload: result must have element type f16, f32 or f64, got vector<16xi32>}}
  %v = loop.vload %A[%i, %i] : memref<8x32xi32>, vector<16xi32>
  func.return
}

// -----

func.func @vload_index_count(%A: memref<8x32xf32>, %i: index) {
  // expected-error @+1 {{loop.vload: expected 2 indices for memref<8x32xf32>, got 1}}
  %v = loop.vload %A[%i] : memref<8x32xf32>, vector<16xf32>
  func.return
}

// -----

func.func @vload_rank_zero(%A: memref<f32>) {
  // expected-error @+1 {{loop.vload: memref must have rank >= 1, got memref<f32>}}
  %v = loop.vload %A[] : memref<f32>, vector<16xf32>
  func.return
}

// -----

func.func @vload_element_type(%A: memref<8x32xf32>, %i: index) {
  // expected-error @+1 {{loop.vload: vector element type f64 must equal the memref element type f32 (vector<16xf64>, memref<8x32xf32>)}}
  %v = loop.vload %A[%i, %i] : memref<8x32xf32>, vector<16xf64>
  func.return
}

// -----

func.func @vload_strided(%A: memref<8x32xf32, strided<[1, 8]>>, %i: index) {
  // expected-error @+1 {{loop.vload: memref must be contiguous in its innermost dimension (stride 1), got memref<8x32xf32, strided<[1, 8]>>}}
  %v = loop.vload %A[%i, %i] : memref<8x32xf32, strided<[1, 8]>>, vector<16xf32>
  func.return
}

// -----

func.func @vload_too_wide(%A: memref<8x8xf32>, %i: index) {
  // expected-error @+1 {{loop.vload: vector<16xf32> is wider than the innermost dimension 8 of memref<8x8xf32>}}
  %v = loop.vload %A[%i, %i] : memref<8x8xf32>, vector<16xf32>
  func.return
}

// -----

func.func @vstore_element_type(%A: memref<64xf16>, %v: vector<16xf32>, %i: index) {
  // expected-error @+1 {{loop.vstore: vector element type f32 must equal the memref element type f16 (vector<16xf32>, memref<64xf16>)}}
  loop.vstore %v, %A[%i] : memref<64xf16>, vector<16xf32>
  func.return
}

// -----

func.func @vstore_scalable(%A: memref<64xf32>, %v: vector<[16]xf32>, %i: index) {
  // expected-error @+1 {{loop.vstore: stored value must be a fixed one-dimensional vector, got vector<[16]xf32>}}
  loop.vstore %v, %A[%i] : memref<64xf32>, vector<[16]xf32>
  func.return
}

// -----

func.func @splat_type(%x: f64) {
  // expected-error @+1 {{loop.splat: input type f64 must equal the element type of vector<16xf32>}}
  %v = "loop.splat"(%x) : (f64) -> vector<16xf32>
  func.return
}

// -----

func.func @fma_types(%a: vector<16xf32>, %s: f32) {
  // expected-error @+1 {{loop.fma: operands and result must have one type, got (vector<16xf32>, vector<16xf32>, f32) -> vector<16xf32>}}
  %r = "loop.fma"(%a, %a, %s) : (vector<16xf32>, vector<16xf32>, f32) -> vector<16xf32>
  func.return
}

// -----

func.func @fma_integer(%a: i32) {
  // expected-error @+1 {{loop.fma: operands must be f16, f32, f64 or vectors of them, got i32}}
  %r = loop.fma %a, %a, %a : i32
  func.return
}

// -----

func.func @vreduce_kind(%v: vector<16xf32>) {
  // expected-error @+1 {{loop.vreduce: kind 'avg' must be one of add, mul, max, min}}
  %r = "loop.vreduce"(%v) <{kind = "avg"}> : (vector<16xf32>) -> f32
  func.return
}

// -----

func.func @vreduce_result(%v: vector<16xf32>) {
  // expected-error @+1 {{loop.vreduce: result type f64 must equal the element type of vector<16xf32>}}
  %r = "loop.vreduce"(%v) <{kind = "add"}> : (vector<16xf32>) -> f64
  func.return
}
