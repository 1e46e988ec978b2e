// RUN: dlc-opt %s --split-input-file -p tensor-fuse | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'tensor-fuse{epilogues=false rows=false}' | filecheck %s --check-prefix=NO-EPILOGUES

// Each kind of fusion on the computes nn-to-tensor writes: inlining (chains,
// multi-use producers, producers of a reduction), epilogues, and row kernels
// (compute_at). docs/fusion.md states the rules.

// Dense + bias + relu: the bias is inlined into the relu, and the relu becomes the
// epilogue of the matmul, its only reader at its own output point.
func.func @dense_bias_relu(%x: tensor<4x3xf32>, %w: tensor<3x5xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
  %h = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.0 : tensor<4x5xf32> {
    %xv = tensor.read %x[%i, %k] : tensor<4x3xf32>
    %wv = tensor.read %w[%k, %j] : tensor<3x5xf32>
    %p = arith.mulf %xv, %wv : f32
    tensor.yield %p : f32
  }
  %biased = tensor.compute (%i, %j) : tensor<4x5xf32> {
    %hv = tensor.read %h[%i, %j] : tensor<4x5xf32>
    %bv = tensor.read %b[%j] : tensor<5xf32>
    %s = arith.addf %hv, %bv : f32
    tensor.yield %s : f32
  }
  %r = tensor.compute (%i, %j) : tensor<4x5xf32> {
    %v = tensor.read %biased[%i, %j] : tensor<4x5xf32>
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %v, %zero : f32
    tensor.yield %m : f32
  }
  func.return %r : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @dense_bias_relu
// CHECK-NEXT:    %r = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.000000e+00 : tensor<4x5xf32> {
// CHECK-NEXT:      %xv = tensor.read %x[%i, %k] : tensor<4x3xf32>
// CHECK-NEXT:      %wv = tensor.read %w[%k, %j] : tensor<3x5xf32>
// CHECK-NEXT:      %p = arith.mulf %xv, %wv : f32
// CHECK-NEXT:      tensor.yield %p : f32
// CHECK-NEXT:    } epilogue {
// CHECK-NEXT:    ^bb0(%i_1: index, %j_1: index, %acc: f32):
// CHECK-NEXT:      %bv = tensor.read %b[%j_1] : tensor<5xf32>
// CHECK-NEXT:      %s = arith.addf %acc, %bv : f32
// CHECK-NEXT:      %zero = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      %m = arith.maximumf %s, %zero : f32
// CHECK-NEXT:      tensor.yield %m : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %r : tensor<4x5xf32>

// Without epilogues, the bias is still inlined into the relu.
// NO-EPILOGUES-LABEL: func.func @dense_bias_relu
// NO-EPILOGUES:         %h = tensor.compute (%i, %j) reduce add (%k) in [3]
// NO-EPILOGUES:         %r = tensor.compute (%i_1, %j_1) : tensor<4x5xf32> {
// NO-EPILOGUES-NEXT:      %hv = tensor.read %h[%i_1, %j_1] : tensor<4x5xf32>
// NO-EPILOGUES-NEXT:      %bv = tensor.read %b[%j_1] : tensor<5xf32>
// NO-EPILOGUES-NEXT:      %s = arith.addf %hv, %bv : f32
// NO-EPILOGUES-NEXT:      %zero = arith.constant 0.000000e+00 : f32
// NO-EPILOGUES-NEXT:      %m = arith.maximumf %s, %zero : f32
// NO-EPILOGUES-NEXT:      tensor.yield %m : f32

// -----

// Softmax: the max, the exp and the sum run in the divide's loop nest, one row at a
// time. The exp is read twice and is expensive, so it is computed once, not inlined.
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %exp = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
    %d = arith.subf %v, %m : f32
    %e = math.exp %d : f32
    tensor.yield %e : f32
  }
  %sum = tensor.compute (%i, %u) reduce add (%j) in [5] init 0.0 : tensor<2x1xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    tensor.yield %e : f32
  }
  %p = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %s = tensor.read %sum[%i, %c0] : tensor<2x1xf32>
    %q = arith.divf %e, %s : f32
    tensor.yield %q : f32
  }
  func.return %p : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @softmax
// CHECK-NEXT:    %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xff800000 compute_at 1 : tensor<2x1xf32> {
// CHECK:         %exp = tensor.compute (%i_1, %j_1) compute_at 1 : tensor<2x5xf32> {
// CHECK:           %e = math.exp %d : f32
// CHECK:         %sum = tensor.compute (%i_2, %u_1) reduce add (%j_2) in [5] init 0.000000e+00 compute_at 1 : tensor<2x1xf32> {
// CHECK-NEXT:      %e_1 = tensor.read %exp[%i_2, %j_2] : tensor<2x5xf32>
// CHECK:         %p = tensor.compute (%i_3, %j_3) : tensor<2x5xf32> {
// CHECK-NEXT:      %e_2 = tensor.read %exp[%i_3, %j_3] : tensor<2x5xf32>
// CHECK-NEXT:      %c0_1 = arith.constant 0 : index
// CHECK-NEXT:      %s = tensor.read %sum[%i_3, %c0_1] : tensor<2x1xf32>
// CHECK-NEXT:      %q = arith.divf %e_2, %s : f32
// CHECK-NEXT:      tensor.yield %q : f32

// NO-EPILOGUES-LABEL: func.func @softmax
// NO-EPILOGUES:         %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xff800000 : tensor<2x1xf32> {

// -----

// Layer norm: 1 / sqrt(variance + eps) becomes the variance's epilogue; the mean and
// the variance are row statistics of the normalizing compute.
func.func @layer_norm(%x: tensor<2x5xf32>, %g: tensor<5xf32>) -> tensor<2x5xf32> {
  %mean = tensor.compute (%i, %u) reduce add (%j) in [5] init 0.0 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %n = arith.constant 0.2 : f32
    %w = arith.mulf %v, %n : f32
    tensor.yield %w : f32
  }
  %variance = tensor.compute (%i, %u) reduce add (%j) in [5] init 0.0 : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %m = tensor.read %mean[%i, %c0] : tensor<2x1xf32>
    %d = arith.subf %v, %m : f32
    %sq = arith.mulf %d, %d : f32
    %n = arith.constant 0.2 : f32
    %w = arith.mulf %sq, %n : f32
    tensor.yield %w : f32
  }
  %inv_std = tensor.compute (%i, %u) : tensor<2x1xf32> {
    %v = tensor.read %variance[%i, %u] : tensor<2x1xf32>
    %eps = arith.constant 1.0e-05 : f32
    %s = arith.addf %v, %eps : f32
    %r = math.rsqrt %s : f32
    tensor.yield %r : f32
  }
  %y = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %c0 = arith.constant 0 : index
    %m = tensor.read %mean[%i, %c0] : tensor<2x1xf32>
    %r = tensor.read %inv_std[%i, %c0] : tensor<2x1xf32>
    %gv = tensor.read %g[%j] : tensor<5xf32>
    %d = arith.subf %v, %m : f32
    %n = arith.mulf %d, %r : f32
    %s = arith.mulf %n, %gv : f32
    tensor.yield %s : f32
  }
  func.return %y : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @layer_norm
// CHECK-NEXT:    %mean = tensor.compute (%i, %u) reduce add (%j) in [5] init 0.000000e+00 compute_at 1 : tensor<2x1xf32> {
// CHECK:         %inv_std = tensor.compute (%i_1, %u_1) reduce add (%j_1) in [5] init 0.000000e+00 compute_at 1 : tensor<2x1xf32> {
// CHECK:         } epilogue {
// CHECK-NEXT:    ^bb0(%i_2: index, %u_2: index, %acc: f32):
// CHECK-NEXT:      %eps = arith.constant 1.000000e-05 : f32
// CHECK-NEXT:      %s = arith.addf %acc, %eps : f32
// CHECK-NEXT:      %r = math.rsqrt %s : f32
// CHECK-NEXT:      tensor.yield %r : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    %y = tensor.compute (%i_3, %j_2) : tensor<2x5xf32> {
// CHECK:           %r_1 = tensor.read %inv_std[%i_3, %c0_1] : tensor<2x1xf32>

// -----

// A chain of elementwise computes, each read once, is one compute.
func.func @elementwise_chain(%x: tensor<3x4xf32>, %y: tensor<4xf32>) -> tensor<3x4xf32> {
  %neg = tensor.compute (%i, %j) : tensor<3x4xf32> {
    %v = tensor.read %x[%i, %j] : tensor<3x4xf32>
    %n = arith.negf %v : f32
    tensor.yield %n : f32
  }
  %exp = tensor.compute (%i, %j) : tensor<3x4xf32> {
    %v = tensor.read %neg[%i, %j] : tensor<3x4xf32>
    %e = math.exp %v : f32
    tensor.yield %e : f32
  }
  %sum = tensor.compute (%i, %j) : tensor<3x4xf32> {
    %v = tensor.read %exp[%i, %j] : tensor<3x4xf32>
    %w = tensor.read %y[%j] : tensor<4xf32>
    %s = arith.addf %v, %w : f32
    tensor.yield %s : f32
  }
  func.return %sum : tensor<3x4xf32>
}
// CHECK-LABEL: func.func @elementwise_chain
// CHECK-NEXT:    %sum = tensor.compute (%i, %j) : tensor<3x4xf32> {
// CHECK-NEXT:      %v = tensor.read %x[%i, %j] : tensor<3x4xf32>
// CHECK-NEXT:      %n = arith.negf %v : f32
// CHECK-NEXT:      %e = math.exp %n : f32
// CHECK-NEXT:      %w = tensor.read %y[%j] : tensor<4xf32>
// CHECK-NEXT:      %s = arith.addf %e, %w : f32
// CHECK-NEXT:      tensor.yield %s : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %sum : tensor<3x4xf32>

// -----

// Read twice: a cheap producer (one addf) is recomputed at both reads; an expensive
// one (a tanh) is computed once and read.
func.func @multi_use(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %cheap = tensor.compute (%i) : tensor<8xf32> {
    %v = tensor.read %x[%i] : tensor<8xf32>
    %s = arith.addf %v, %v : f32
    tensor.yield %s : f32
  }
  %expensive = tensor.compute (%i) : tensor<8xf32> {
    %v = tensor.read %x[%i] : tensor<8xf32>
    %t = math.tanh %v : f32
    tensor.yield %t : f32
  }
  %a = tensor.compute (%i) : tensor<8xf32> {
    %c = tensor.read %cheap[%i] : tensor<8xf32>
    %e = tensor.read %expensive[%i] : tensor<8xf32>
    %s = arith.mulf %c, %e : f32
    tensor.yield %s : f32
  }
  %b = tensor.compute (%i) : tensor<8xf32> {
    %c = tensor.read %cheap[%i] : tensor<8xf32>
    %e = tensor.read %expensive[%i] : tensor<8xf32>
    %s = arith.subf %c, %e : f32
    tensor.yield %s : f32
  }
  func.return %a, %b : tensor<8xf32>, tensor<8xf32>
}
// CHECK-LABEL: func.func @multi_use
// CHECK-NEXT:    %expensive = tensor.compute (%i) : tensor<8xf32> {
// CHECK-NEXT:      %v = tensor.read %x[%i] : tensor<8xf32>
// CHECK-NEXT:      %t = math.tanh %v : f32
// CHECK-NEXT:      tensor.yield %t : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    %a = tensor.compute (%i_1) : tensor<8xf32> {
// CHECK-NEXT:      %v_1 = tensor.read %x[%i_1] : tensor<8xf32>
// CHECK-NEXT:      %s = arith.addf %v_1, %v_1 : f32
// CHECK-NEXT:      %e = tensor.read %expensive[%i_1] : tensor<8xf32>
// CHECK-NEXT:      %s_1 = arith.mulf %s, %e : f32
// CHECK-NEXT:      tensor.yield %s_1 : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    %b = tensor.compute (%i_2) : tensor<8xf32> {
// CHECK-NEXT:      %v_2 = tensor.read %x[%i_2] : tensor<8xf32>
// CHECK-NEXT:      %s_2 = arith.addf %v_2, %v_2 : f32
// CHECK-NEXT:      %e_1 = tensor.read %expensive[%i_2] : tensor<8xf32>

// -----

// Into a matmul: a transpose only moves data and is inlined; a relu would be
// recomputed at every step of the reduction, so it keeps its own compute.
func.func @into_a_reduction(%a: tensor<3x4xf32>, %b: tensor<5x3xf32>) -> tensor<4x5xf32> {
  %at = tensor.compute (%i, %k) : tensor<4x3xf32> {
    %v = tensor.read %a[%k, %i] : tensor<3x4xf32>
    tensor.yield %v : f32
  }
  %relu = tensor.compute (%j, %k) : tensor<5x3xf32> {
    %v = tensor.read %b[%j, %k] : tensor<5x3xf32>
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    tensor.yield %r : f32
  }
  %c = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.0 : tensor<4x5xf32> {
    %x = tensor.read %at[%i, %k] : tensor<4x3xf32>
    %y = tensor.read %relu[%j, %k] : tensor<5x3xf32>
    %p = arith.mulf %x, %y : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @into_a_reduction
// CHECK-NEXT:    %relu = tensor.compute (%j, %k) : tensor<5x3xf32> {
// CHECK:         %c = tensor.compute (%i, %j_1) reduce add (%k_1) in [3] init 0.000000e+00 : tensor<4x5xf32> {
// CHECK-NEXT:      %v_1 = tensor.read %a[%k_1, %i] : tensor<3x4xf32>
// CHECK-NEXT:      %y = tensor.read %relu[%j_1, %k_1] : tensor<5x3xf32>
// CHECK-NEXT:      %p = arith.mulf %v_1, %y : f32

// -----

// A concatenation read by a convolution (each element once per output channel)
// and by a 3x3 max pool (each element up to 4 times): its select would run at
// every tap, so it keeps its compute; the transpose feeding the same convolution
// is one load at other indices and is inlined.
func.func @concat_into_windows(%a: tensor<1x2x5x5xf32>, %b: tensor<1x3x5x5xf32>, %w: tensor<4x5x1x1xf32>) -> (tensor<1x4x5x5xf32>, tensor<1x5x2x2xf32>) {
  %cat = tensor.compute (%n, %c, %h, %x) : tensor<1x5x5x5xf32> {
    %two = arith.constant 2 : index
    %lo = tensor.read %a[%n, %c, %h, %x] pad 0.0 : tensor<1x2x5x5xf32>
    %cb = arith.subi %c, %two : index
    %hi = tensor.read %b[%n, %cb, %h, %x] pad 0.0 : tensor<1x3x5x5xf32>
    %first = arith.cmpi slt, %c, %two : index
    %v = arith.select %first, %lo, %hi : f32
    tensor.yield %v : f32
  }
  %wt = tensor.compute (%f, %c, %kh, %kw) : tensor<4x5x1x1xf32> {
    %v = tensor.read %w[%f, %c, %kw, %kh] : tensor<4x5x1x1xf32>
    tensor.yield %v : f32
  }
  %conv = tensor.compute (%n, %f, %h, %x) reduce add (%c, %kh, %kw) in [5, 1, 1] init 0.0 : tensor<1x4x5x5xf32> {
    %v = tensor.read %cat[%n, %c, %h, %x] : tensor<1x5x5x5xf32>
    %k = tensor.read %wt[%f, %c, %kh, %kw] : tensor<4x5x1x1xf32>
    %p = arith.mulf %v, %k : f32
    tensor.yield %p : f32
  }
  %pool = tensor.compute (%n, %c, %h, %x) reduce max (%kh, %kw) in [3, 3] init 0xff800000 : tensor<1x5x2x2xf32> {
    %two = arith.constant 2 : index
    %h2 = arith.muli %h, %two : index
    %hh = arith.addi %h2, %kh : index
    %x2 = arith.muli %x, %two : index
    %xx = arith.addi %x2, %kw : index
    %v = tensor.read %cat[%n, %c, %hh, %xx] : tensor<1x5x5x5xf32>
    tensor.yield %v : f32
  }
  func.return %conv, %pool : tensor<1x4x5x5xf32>, tensor<1x5x2x2xf32>
}
// CHECK-LABEL: func.func @concat_into_windows
// CHECK-NEXT:    %cat = tensor.compute (%n, %c, %h, %x) : tensor<1x5x5x5xf32> {
// CHECK:           %v = arith.select %first, %lo, %hi : f32
// CHECK:         %conv = tensor.compute
// CHECK-NEXT:      %v_1 = tensor.read %cat[%n_1, %c_1, %h_1, %x_1] : tensor<1x5x5x5xf32>
// CHECK-NEXT:      %v_2 = tensor.read %w[%f, %c_1, %kw, %kh] : tensor<4x5x1x1xf32>
// CHECK-NOT:       arith.select
// CHECK:         %pool = tensor.compute
// CHECK-NOT:       arith.select
// CHECK:           tensor.read %cat[
