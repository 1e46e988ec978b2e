// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// Every verifier message of the tensor dialect, one chunk each, then the errors the
// custom syntax reports while parsing.

func.func @dynamic_result() {
  // expected-error @+1 {{tensor.compute: result must be a statically shaped tensor of integers, indices or floats, got tensor<?xf32>}}
  %0 = tensor.compute (%i) : tensor<?xf32> {
    %c = arith.constant 0.0 : f32
    tensor.yield %c : f32
  }
  func.return
}

// -----

func.func @partial_reduction() {
  // expected-error @+1 {{tensor.compute: a reduction needs reduce_extents, combiner and init together, got only reduce_extents and combiner}}
  %0 = "tensor.compute"() <{reduce_extents = array<i64: 4>, combiner = "add"}> ({
  ^bb0(%i: index, %k: index):
    %c = arith.constant 0.0 : f32
    "tensor.yield"(%c) : (f32) -> ()
  }) : () -> tensor<2xf32>
  func.return
}

// -----

func.func @empty_reduction() {
  // expected-error @+1 {{tensor.compute: a reduction needs at least one dimension, got reduce_extents = []}}
  %0 = tensor.compute (%i) reduce add () in [] init 0.0 : tensor<2xf32> {
    %c = arith.constant 0.0 : f32
    tensor.yield %c : f32
  }
  func.return
}

// -----

func.func @negative_extent() {
  // expected-error @+1 {{tensor.compute: reduction extents must be non-negative, got [3, -1]}}
  %0 = tensor.compute (%i) reduce add (%k, %l) in [3, -1] init 0.0 : tensor<2xf32> {
    %c = arith.constant 0.0 : f32
    tensor.yield %c : f32
  }
  func.return
}

// -----

func.func @unknown_combiner(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{tensor.compute: unknown combiner 'avg', expected one of add, mul, max, min}}
  %0 = tensor.compute (%i) reduce avg (%k) in [3] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x3xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @init_type(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{tensor.compute: init value 1.500000e+00 : f64 must be a constant of the result element type i32}}
  %0 = tensor.compute (%i) reduce add (%k) in [3] init 1.5 : tensor<2xi32> {
    %v = tensor.read %x[%i, %k] : tensor<2x3xi32>
    tensor.yield %v : i32
  }
  func.return
}

// -----

func.func @argument_count() {
  // expected-error @+1 {{tensor.compute: body must take 2 index arguments (1 output dims, then 1 reduction dims), got 1}}
  %0 = "tensor.compute"() <{reduce_extents = array<i64: 4>, combiner = "add", init = 0.0 : f32}> ({
  ^bb0(%i: index):
    %c = arith.constant 0.0 : f32
    "tensor.yield"(%c) : (f32) -> ()
  }) : () -> tensor<2xf32>
  func.return
}

// -----

func.func @argument_type() {
  // expected-error @+1 {{tensor.compute: body argument #1 must be index, got i32}}
  %0 = "tensor.compute"() ({
  ^bb0(%i: index, %j: i32):
    %c = arith.constant 0.0 : f32
    "tensor.yield"(%c) : (f32) -> ()
  }) : () -> tensor<2x2xf32>
  func.return
}

// -----

func.func @missing_yield(%x: tensor<2xf32>) {
  // expected-error @+1 {{tensor.compute: body must end with tensor.yield, found arith.addf}}
  %0 = tensor.compute (%i) : tensor<2xf32> {
    %v = tensor.read %x[%i] : tensor<2xf32>
    %s = arith.addf %v, %v : f32
  }
  func.return
}

// -----

func.func @tile_count(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{tensor.compute: schedule has 2 tile sizes but the compute has 3 loops (2 output dims, then 1 reduction dims)}}
  %0 = tensor.compute (%i, %j) reduce add (%k) in [4] init 0.0 schedule<tile = [2, 2]> : tensor<4x4xf32> {
    %v = tensor.read %x[%i, %k] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @negative_tile(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{tensor.compute: schedule tile sizes must be non-negative (0 leaves a loop untiled), got [2, -2]}}
  %0 = tensor.compute (%i, %j) schedule<tile = [2, -2]> : tensor<4x4xf32> {
    %v = tensor.read %x[%i, %j] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @parallel_reduction_dim(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{tensor.compute: schedule parallel dim 1 is not an output dim (expected 0 <= dim < 1); reduction dims cannot run in parallel}}
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 schedule<parallel = [1]> : tensor<4xf32> {
    %v = tensor.read %x[%i, %k] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @parallel_twice(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{tensor.compute: schedule parallel dims [0, 0] name a dim twice}}
  %0 = tensor.compute (%i, %j) schedule<parallel = [0, 0]> : tensor<4x4xf32> {
    %v = tensor.read %x[%i, %j] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @vector_width(%x: tensor<4xf32>) {
  // expected-error @+1 {{tensor.compute: schedule vector width must be at least 1, got 0}}
  %0 = tensor.compute (%i) schedule<vectorize = 0> : tensor<4xf32> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @vectorize_scalar(%x: tensor<4xf32>) {
  // expected-error @+1 {{tensor.compute: schedule vectorizes the innermost output dim, but the result tensor<f32> has none}}
  %0 = tensor.compute () reduce add (%k) in [4] init 0.0 schedule<vectorize = 4> : tensor<f32> {
    %v = tensor.read %x[%k] : tensor<4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @unroll_factor(%x: tensor<4xf32>) {
  // expected-error @+1 {{tensor.compute: schedule unroll factor must be at least 1, got 0}}
  %0 = tensor.compute (%i) schedule<unroll = 0> : tensor<4xf32> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @read_outside_compute(%x: tensor<4xf32>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{tensor.read: must be inside a tensor.compute body, but its parent is func.func}}
  %v = tensor.read %x[%c0] : tensor<4xf32>
  func.return
}

// -----

func.func @read_own_result() {
  %c = tensor.compute (%i) : tensor<4xf32> {
    // expected-error @+1 {{tensor.read: the tensor must be defined outside the enclosing tensor.compute (a compute cannot read its own result or a value of its body)}}
    %v = tensor.read %c[%i] : tensor<4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @read_rank(%x: tensor<4x4xf32>) {
  %0 = tensor.compute (%i) : tensor<4xf32> {
    // expected-error @+1 {{tensor.read: tensor<4x4xf32> has rank 2 but 1 indices were given}}
    %v = tensor.read %x[%i] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @read_result_type(%x: tensor<4xf32>) {
  %0 = tensor.compute (%i) : tensor<4xf32> {
    // expected-error @+1 {{tensor.read: result type f64 must be the element type f32 of tensor<4xf32>}}
    %v = "tensor.read"(%x, %i) : (tensor<4xf32>, index) -> f64
    %t = arith.truncf %v : f64 to f32
    tensor.yield %t : f32
  }
  func.return
}

// -----

func.func @pad_type(%x: tensor<4xi32>) {
  %0 = tensor.compute (%i) : tensor<4xi32> {
    // expected-error @+1 {{tensor.read: pad value 5.000000e-01 : f64 must be a constant of the element type i32 of tensor<4xi32>}}
    %v = tensor.read %x[%i] pad 0.5 : tensor<4xi32>
    tensor.yield %v : i32
  }
  func.return
}

// -----

func.func @yield_outside_compute(%x: f32) {
  // expected-error @+1 {{tensor.yield: must end a tensor.compute body, but its parent is func.func}}
  tensor.yield %x : f32
}

// -----

func.func @yield_type(%x: tensor<4xf32>) {
  %0 = tensor.compute (%i) : tensor<4xf16> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    // expected-error @+1 {{tensor.yield: yielded value has type f32, but the enclosing tensor.compute produces tensor<4xf16> (element type f16)}}
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @extent_count(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{tensor.compute: 2 reduction indices need 2 extents, got 1}}
  %0 = tensor.compute (%i) reduce add (%k, %l) in [4] init 0.0 : tensor<4xf32> {
    %v = tensor.read %x[%i, %k] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @output_count(%x: tensor<4x4xf32>) {
  // expected-error @+1 {{tensor.compute: 1 output indices for the rank-2 result tensor<4x4xf32>}}
  %0 = tensor.compute (%i) : tensor<4x4xf32> {
    %v = tensor.read %x[%i, %i] : tensor<4x4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @schedule_field(%x: tensor<4xf32>) {
  // expected-error @+1 {{#tensor.schedule: unknown field 'threads', expected tile, parallel, vectorize, unroll, register, pack or blocks}}
  %0 = tensor.compute (%i) schedule<threads = 4> : tensor<4xf32> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @schedule_field_twice(%x: tensor<4xf32>) {
  // expected-error @+1 {{#tensor.schedule: field 'unroll' is given twice}}
  %0 = tensor.compute (%i) schedule<unroll = 2, unroll = 4> : tensor<4xf32> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @scalar_result() {
  // expected-error @+1 {{tensor.compute: expected a tensor result type, got f32}}
  %0 = tensor.compute () : f32 {
    %c = arith.constant 0.0 : f32
    tensor.yield %c : f32
  }
  func.return
}

// -----

func.func @read_scalar(%x: f32) {
  %0 = tensor.compute (%i) : tensor<4xf32> {
    // expected-error @+1 {{tensor.read: expected the type of the tensor read, got f32}}
    %v = tensor.read %x[%i] : f32
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @bit_pattern(%x: tensor<4xf16>) {
  // expected-error @+1 {{bit pattern 0x1ffff does not fit f16}}
  %0 = tensor.compute () reduce max (%k) in [4] init 0x1FFFF : tensor<f16> {
    %v = tensor.read %x[%k] : tensor<4xf16>
    tensor.yield %v : f16
  }
  func.return
}

// -----

// Epilogues.

func.func @epilogue_without_reduction(%x: tensor<2xf32>) {
  // expected-error @+1 {{tensor.compute: an epilogue maps the folded value of a reduction, but the compute has no reduction}}
  %0 = tensor.compute (%i) : tensor<2xf32> {
    %v = tensor.read %x[%i] : tensor<2xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%e: index, %acc: f32):
    tensor.yield %acc : f32
  }
  func.return
}

// -----

func.func @epilogue_arity(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{tensor.compute: epilogue must take 2 arguments (1 output indices, then the folded value), got 1}}
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x4xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%acc: f32):
    tensor.yield %acc : f32
  }
  func.return
}

// -----

func.func @epilogue_index_type(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{tensor.compute: epilogue argument #0 must be index, got i64}}
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x4xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%e: i64, %acc: f32):
    tensor.yield %acc : f32
  }
  func.return
}

// -----

func.func @epilogue_folded_type(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{tensor.compute: epilogue's last argument is the folded value, of the element type f32, got f16}}
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x4xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%e: index, %acc: f16):
    %w = arith.extf %acc : f16 to f32
    tensor.yield %w : f32
  }
  func.return
}

// -----

func.func @epilogue_missing_yield(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{tensor.compute: epilogue must end with tensor.yield, found arith.addf}}
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x4xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%e: index, %acc: f32):
    %s = arith.addf %acc, %acc : f32
  }
  func.return
}

// -----

func.func @epilogue_yield_type(%x: tensor<2x4xf32>) {
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x4xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%e: index, %acc: f32):
    %h = arith.truncf %acc : f32 to f16
    // expected-error @+1 {{tensor.yield: yielded value has type f16, but the enclosing tensor.compute produces tensor<2xf32> (element type f32)}}
    tensor.yield %h : f16
  }
  func.return
}

// -----

func.func @epilogue_reads_own_result(%x: tensor<2x4xf32>) {
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x4xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%e: index, %acc: f32):
    // expected-error @+1 {{tensor.read: the tensor must be defined outside the enclosing tensor.compute}}
    %o = tensor.read %0[%e] : tensor<2xf32>
    tensor.yield %o : f32
  }
  func.return
}

// -----

func.func @epilogue_read_out_of_bounds(%x: tensor<2x4xf32>, %b: tensor<1xf32>) {
  %0 = tensor.compute (%i) reduce add (%k) in [4] init 0.0 : tensor<2xf32> {
    %v = tensor.read %x[%i, %k] : tensor<2x4xf32>
    tensor.yield %v : f32
  } epilogue {
  ^bb0(%e: index, %acc: f32):
    // expected-error @+1 {{tensor.read: index 0 takes values in [0, 1], outside dim 0 of size 1 of tensor<1xf32>}}
    %c = tensor.read %b[%e] : tensor<1xf32>
    %s = arith.addf %acc, %c : f32
    tensor.yield %s : f32
  }
  func.return
}

// -----

// compute_at.

func.func @compute_at_depth(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{tensor.compute: compute_at depth 3 must be between 1 and the rank 2 of the result tensor<2x1xf32>}}
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 compute_at 3 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %y = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %c0 = arith.constant 0 : index
    %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
    tensor.yield %m : f32
  }
  func.return %y : tensor<2x5xf32>
}

// -----

func.func @compute_at_unused(%x: tensor<2x5xf32>) {
  // expected-error @+1 {{tensor.compute: compute_at needs a compute that reads the result, to run in its loop nest, but the result is unused}}
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 compute_at 1 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  func.return
}

// -----

func.func @compute_at_returned(%x: tensor<2x5xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{tensor.compute: compute_at needs every use of the result to be a tensor.read directly in a tensor.compute of the same block}}
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 compute_at 1 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  func.return %max : tensor<2x1xf32>
}

// -----

func.func @compute_at_deeper_than_reader(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  // expected-error @+1 {{tensor.compute: compute_at 2 is deeper than compute_at 1 of a compute that reads the result}}
  %e = tensor.compute (%a, %b, %c) compute_at 2 : tensor<2x3x5xf32> {
    %v = tensor.read %x[%a, %b, %c] : tensor<2x3x5xf32>
    %n = arith.negf %v : f32
    tensor.yield %n : f32
  }
  %s = tensor.compute (%a, %b, %u) reduce add (%c) in [5] init 0.0 compute_at 1 : tensor<2x3x1xf32> {
    %v = tensor.read %e[%a, %b, %c] : tensor<2x3x5xf32>
    tensor.yield %v : f32
  }
  %y = tensor.compute (%a, %b, %c) : tensor<2x3x5xf32> {
    %c0 = arith.constant 0 : index
    %v = tensor.read %e[%a, %b, %c] : tensor<2x3x5xf32>
    %t = tensor.read %s[%a, %b, %c0] : tensor<2x3x1xf32>
    %d = arith.divf %v, %t : f32
    tensor.yield %d : f32
  }
  func.return %y : tensor<2x3x5xf32>
}

// -----

func.func @compute_at_read_elsewhere(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{tensor.compute: compute_at 1 needs every read of the result to index its first 1 dims by the reading compute's first 1 output indices, in order}}
  %e = tensor.compute (%a, %b) compute_at 1 : tensor<3x3xf32> {
    %v = tensor.read %x[%a, %b] : tensor<3x3xf32>
    tensor.yield %v : f32
  }
  %y = tensor.compute (%a, %b) : tensor<3x3xf32> {
    %v = tensor.read %e[%b, %a] : tensor<3x3xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<3x3xf32>
}

// -----

func.func @compute_at_two_nests(%x: tensor<2x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>) {
  // expected-error @+1 {{tensor.compute: compute_at needs every compute reading the result to run in one loop nest, but they run in 2}}
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 compute_at 1 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %y = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %c0 = arith.constant 0 : index
    %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
    tensor.yield %m : f32
  }
  %z = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %c0 = arith.constant 0 : index
    %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
    %n = arith.negf %m : f32
    tensor.yield %n : f32
  }
  func.return %y, %z : tensor<2x5xf32>, tensor<2x5xf32>
}

// -----

func.func @compute_at_host_shape(%x: tensor<2x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{tensor.compute: compute_at 1 needs the first 1 dims of the result tensor<2x5xf32> to be those of the compute it runs in, tensor<3x5xf32>}}
  %e = tensor.compute (%i, %j) compute_at 1 : tensor<2x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %y = tensor.compute (%i, %j) : tensor<3x5xf32> {
    %v = tensor.read %e[%i, %j] pad 0.0 : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<3x5xf32>
}
