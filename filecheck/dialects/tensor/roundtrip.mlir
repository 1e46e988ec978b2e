// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// Every tensor op in its custom form, on the computes nn ops lower to; each must
// print back as written (custom and generic forms).

// Matmul: c[i, j] = sum_k x[i, k] * w[k, j], with a schedule.
func.func @matmul(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 schedule<tile = [2, 4, 0], parallel = [0], vectorize = 4, unroll = 2> : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %b = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @matmul(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
// CHECK-NEXT:  %c = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.000000e+00 schedule<tile = [2, 4, 0], parallel = [0], vectorize = 4, unroll = 2> : tensor<4x5xf32> {
// CHECK-NEXT:  %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
// CHECK-NEXT:  %b = tensor.read %w[%k, %j] : tensor<6x5xf32>
// CHECK-NEXT:  %p = arith.mulf %a, %b : f32
// CHECK-NEXT:  tensor.yield %p : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %c : tensor<4x5xf32>
// CHECK-NEXT:  }

// -----

// conv2d, NCHW, stride 2, padding 1: reads outside the image give 0.0.
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [3, 3, 3] init 0.0 : tensor<1x4x4x4xf32> {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %sh = arith.muli %oh, %c2 : index
    %h0 = arith.addi %sh, %kh : index
    %h = arith.subi %h0, %c1 : index
    %sw = arith.muli %ow, %c2 : index
    %w0 = arith.addi %sw, %kw : index
    %wi = arith.subi %w0, %c1 : index
    %a = tensor.read %x[%n, %c, %h, %wi] pad 0.0 : tensor<1x3x8x8xf32>
    %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<4x3x3x3xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %y : tensor<1x4x4x4xf32>
}
// CHECK-LABEL: func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32> {
// CHECK-NEXT:  %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [3, 3, 3] init 0.000000e+00 : tensor<1x4x4x4xf32> {
// CHECK-NEXT:  %c1 = arith.constant 1 : index
// CHECK-NEXT:  %c2 = arith.constant 2 : index
// CHECK-NEXT:  %sh = arith.muli %oh, %c2 : index
// CHECK-NEXT:  %h0 = arith.addi %sh, %kh : index
// CHECK-NEXT:  %h = arith.subi %h0, %c1 : index
// CHECK-NEXT:  %sw = arith.muli %ow, %c2 : index
// CHECK-NEXT:  %w0 = arith.addi %sw, %kw : index
// CHECK-NEXT:  %wi = arith.subi %w0, %c1 : index
// CHECK-NEXT:  %a = tensor.read %x[%n, %c, %h, %wi] pad 0.000000e+00 : tensor<1x3x8x8xf32>
// CHECK-NEXT:  %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<4x3x3x3xf32>
// CHECK-NEXT:  %p = arith.mulf %a, %b : f32
// CHECK-NEXT:  tensor.yield %p : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<1x4x4x4xf32>
// CHECK-NEXT:  }

// -----

// Sum over the last axis, and over everything into a rank-0 tensor.
func.func @reduce_sum(%x: tensor<3x5xf32>) -> tensor<f32> {
  %rows = tensor.compute (%i) reduce add (%j) in [5] init 0.0 : tensor<3xf32> {
    %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
    tensor.yield %v : f32
  }
  %all = tensor.compute () reduce add (%i) in [3] init 0.0 : tensor<f32> {
    %v = tensor.read %rows[%i] : tensor<3xf32>
    tensor.yield %v : f32
  }
  func.return %all : tensor<f32>
}
// CHECK-LABEL: func.func @reduce_sum(%x: tensor<3x5xf32>) -> tensor<f32> {
// CHECK-NEXT:  %rows = tensor.compute (%i) reduce add (%j) in [5] init 0.000000e+00 : tensor<3xf32> {
// CHECK-NEXT:  %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %all = tensor.compute () reduce add (%i_1) in [3] init 0.000000e+00 : tensor<f32> {
// CHECK-NEXT:  %v_1 = tensor.read %rows[%i_1] : tensor<3xf32>
// CHECK-NEXT:  tensor.yield %v_1 : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %all : tensor<f32>
// CHECK-NEXT:  }

// -----

// Transpose: t[j, i] = x[i, j].
func.func @transpose(%x: tensor<3x5xf32>) -> tensor<5x3xf32> {
  %t = tensor.compute (%j, %i) : tensor<5x3xf32> {
    %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
    tensor.yield %v : f32
  }
  func.return %t : tensor<5x3xf32>
}
// CHECK-LABEL: func.func @transpose(%x: tensor<3x5xf32>) -> tensor<5x3xf32> {
// CHECK-NEXT:  %t = tensor.compute (%j, %i) : tensor<5x3xf32> {
// CHECK-NEXT:  %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %t : tensor<5x3xf32>
// CHECK-NEXT:  }

// -----

// softmax along axis 1 as four computes: max, exp(x - max), sum, divide.
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %max = tensor.compute (%i) reduce max (%j) in [5] init 0xFF800000 : tensor<2xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %exp = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %m = tensor.read %max[%i] : tensor<2xf32>
    %d = arith.subf %v, %m : f32
    %e = math.exp %d : f32
    tensor.yield %e : f32
  }
  %sum = tensor.compute (%i) reduce add (%j) in [5] init 0.0 : tensor<2xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    tensor.yield %e : f32
  }
  %y = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<2x5xf32>
    %s = tensor.read %sum[%i] : tensor<2xf32>
    %q = arith.divf %e, %s : f32
    tensor.yield %q : f32
  }
  func.return %y : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
// CHECK-NEXT:  %max = tensor.compute (%i) reduce max (%j) in [5] init 0xff800000 : tensor<2xf32> {
// CHECK-NEXT:  %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %exp = tensor.compute (%i_1, %j_1) : tensor<2x5xf32> {
// CHECK-NEXT:  %v_1 = tensor.read %x[%i_1, %j_1] : tensor<2x5xf32>
// CHECK-NEXT:  %m = tensor.read %max[%i_1] : tensor<2xf32>
// CHECK-NEXT:  %d = arith.subf %v_1, %m : f32
// CHECK-NEXT:  %e = math.exp %d : f32
// CHECK-NEXT:  tensor.yield %e : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %sum = tensor.compute (%i_2) reduce add (%j_2) in [5] init 0.000000e+00 : tensor<2xf32> {
// CHECK-NEXT:  %e_1 = tensor.read %exp[%i_2, %j_2] : tensor<2x5xf32>
// CHECK-NEXT:  tensor.yield %e_1 : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %y = tensor.compute (%i_3, %j_3) : tensor<2x5xf32> {
// CHECK-NEXT:  %e_2 = tensor.read %exp[%i_3, %j_3] : tensor<2x5xf32>
// CHECK-NEXT:  %s = tensor.read %sum[%i_3] : tensor<2xf32>
// CHECK-NEXT:  %q = arith.divf %e_2, %s : f32
// CHECK-NEXT:  tensor.yield %q : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<2x5xf32>
// CHECK-NEXT:  }

// -----

// 3x3 max pooling, stride 2, padding 1: padded reads give -inf.
func.func @max_pool(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %y = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [3, 3] init 0xFF800000 : tensor<1x1x3x3xf32> {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %sh = arith.muli %oh, %c2 : index
    %h0 = arith.addi %sh, %kh : index
    %h = arith.subi %h0, %c1 : index
    %sw = arith.muli %ow, %c2 : index
    %w0 = arith.addi %sw, %kw : index
    %w = arith.subi %w0, %c1 : index
    %v = tensor.read %x[%n, %c, %h, %w] pad 0xFF800000 : tensor<1x1x5x5xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<1x1x3x3xf32>
}
// CHECK-LABEL: func.func @max_pool(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
// CHECK-NEXT:  %y = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [3, 3] init 0xff800000 : tensor<1x1x3x3xf32> {
// CHECK-NEXT:  %c1 = arith.constant 1 : index
// CHECK-NEXT:  %c2 = arith.constant 2 : index
// CHECK-NEXT:  %sh = arith.muli %oh, %c2 : index
// CHECK-NEXT:  %h0 = arith.addi %sh, %kh : index
// CHECK-NEXT:  %h = arith.subi %h0, %c1 : index
// CHECK-NEXT:  %sw = arith.muli %ow, %c2 : index
// CHECK-NEXT:  %w0 = arith.addi %sw, %kw : index
// CHECK-NEXT:  %w = arith.subi %w0, %c1 : index
// CHECK-NEXT:  %v = tensor.read %x[%n, %c, %h, %w] pad 0xff800000 : tensor<1x1x5x5xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<1x1x3x3xf32>
// CHECK-NEXT:  }

// -----

// Reshape 2x6 -> 3x4 through the row-major flat index.
func.func @reshape(%x: tensor<2x6xf32>) -> tensor<3x4xf32> {
  %y = tensor.compute (%a, %b) : tensor<3x4xf32> {
    %c4 = arith.constant 4 : index
    %c6 = arith.constant 6 : index
    %row = arith.muli %a, %c4 : index
    %flat = arith.addi %row, %b : index
    %i = arith.divui %flat, %c6 : index
    %j = arith.remui %flat, %c6 : index
    %v = tensor.read %x[%i, %j] : tensor<2x6xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<3x4xf32>
}
// CHECK-LABEL: func.func @reshape(%x: tensor<2x6xf32>) -> tensor<3x4xf32> {
// CHECK-NEXT:  %y = tensor.compute (%a, %b) : tensor<3x4xf32> {
// CHECK-NEXT:  %c4 = arith.constant 4 : index
// CHECK-NEXT:  %c6 = arith.constant 6 : index
// CHECK-NEXT:  %row = arith.muli %a, %c4 : index
// CHECK-NEXT:  %flat = arith.addi %row, %b : index
// CHECK-NEXT:  %i = arith.divui %flat, %c6 : index
// CHECK-NEXT:  %j = arith.remui %flat, %c6 : index
// CHECK-NEXT:  %v = tensor.read %x[%i, %j] : tensor<2x6xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<3x4xf32>
// CHECK-NEXT:  }

// -----

// Concat along axis 0: both reads are padded, so each is safe on the other's rows.
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<6x3xf32> {
  %y = tensor.compute (%i, %j) : tensor<6x3xf32> {
    %c2 = arith.constant 2 : index
    %in_a = arith.cmpi slt, %i, %c2 : index
    %ib = arith.subi %i, %c2 : index
    %va = tensor.read %a[%i, %j] pad 0.0 : tensor<2x3xf32>
    %vb = tensor.read %b[%ib, %j] pad 0.0 : tensor<4x3xf32>
    %v = arith.select %in_a, %va, %vb : f32
    tensor.yield %v : f32
  }
  func.return %y : tensor<6x3xf32>
}
// CHECK-LABEL: func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<6x3xf32> {
// CHECK-NEXT:  %y = tensor.compute (%i, %j) : tensor<6x3xf32> {
// CHECK-NEXT:  %c2 = arith.constant 2 : index
// CHECK-NEXT:  %in_a = arith.cmpi slt, %i, %c2 : index
// CHECK-NEXT:  %ib = arith.subi %i, %c2 : index
// CHECK-NEXT:  %va = tensor.read %a[%i, %j] pad 0.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT:  %vb = tensor.read %b[%ib, %j] pad 0.000000e+00 : tensor<4x3xf32>
// CHECK-NEXT:  %v = arith.select %in_a, %va, %vb : f32
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<6x3xf32>
// CHECK-NEXT:  }

// -----

// Broadcasting a rank-0 tensor and a row against a matrix.
func.func @broadcast_add(%s: tensor<f32>, %row: tensor<4xf32>, %x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %y = tensor.compute (%i, %j) : tensor<3x4xf32> {
    %a = tensor.read %s[] : tensor<f32>
    %b = tensor.read %row[%j] : tensor<4xf32>
    %c = tensor.read %x[%i, %j] : tensor<3x4xf32>
    %ab = arith.addf %a, %b : f32
    %sum = arith.addf %ab, %c : f32
    tensor.yield %sum : f32
  }
  func.return %y : tensor<3x4xf32>
}
// CHECK-LABEL: func.func @broadcast_add(%s: tensor<f32>, %row: tensor<4xf32>, %x: tensor<3x4xf32>) -> tensor<3x4xf32> {
// CHECK-NEXT:  %y = tensor.compute (%i, %j) : tensor<3x4xf32> {
// CHECK-NEXT:  %a = tensor.read %s[] : tensor<f32>
// CHECK-NEXT:  %b = tensor.read %row[%j] : tensor<4xf32>
// CHECK-NEXT:  %c = tensor.read %x[%i, %j] : tensor<3x4xf32>
// CHECK-NEXT:  %ab = arith.addf %a, %b : f32
// CHECK-NEXT:  %sum = arith.addf %ab, %c : f32
// CHECK-NEXT:  tensor.yield %sum : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<3x4xf32>
// CHECK-NEXT:  }

// -----

// Gather rows of a table at data-dependent indices.
func.func @gather(%table: tensor<10x4xf32>, %ids: tensor<3xi64>) -> tensor<3x4xf32> {
  %y = tensor.compute (%i, %j) : tensor<3x4xf32> {
    %id = tensor.read %ids[%i] : tensor<3xi64>
    %row = arith.index_cast %id : i64 to index
    %v = tensor.read %table[%row, %j] : tensor<10x4xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<3x4xf32>
}
// CHECK-LABEL: func.func @gather(%table: tensor<10x4xf32>, %ids: tensor<3xi64>) -> tensor<3x4xf32> {
// CHECK-NEXT:  %y = tensor.compute (%i, %j) : tensor<3x4xf32> {
// CHECK-NEXT:  %id = tensor.read %ids[%i] : tensor<3xi64>
// CHECK-NEXT:  %row = arith.index_cast %id : i64 to index
// CHECK-NEXT:  %v = tensor.read %table[%row, %j] : tensor<10x4xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<3x4xf32>
// CHECK-NEXT:  }

// -----

// Integer, index and i1 elements; a captured constant; discardable attributes.
func.func @scalars(%x: tensor<4xi32>, %b: tensor<4xi1>) -> tensor<i32> {
  %seven = arith.constant 7 : i32
  %m = tensor.compute () reduce min (%k) in [4] init 2147483647 attributes {note = "min"} : tensor<i32> {
    %v = tensor.read %x[%k] pad 0 : tensor<4xi32>
    %w = arith.addi %v, %seven : i32
    tensor.yield %w : i32
  }
  %any = tensor.compute () reduce max (%k) in [4] init false : tensor<i1> {
    %v = tensor.read %b[%k] : tensor<4xi1>
    tensor.yield %v : i1
  }
  %iota = tensor.compute (%i) : tensor<4xindex> {
    tensor.yield %i : index
  }
  func.return %m : tensor<i32>
}
// CHECK-LABEL: func.func @scalars(%x: tensor<4xi32>, %b: tensor<4xi1>) -> tensor<i32> {
// CHECK-NEXT:  %seven = arith.constant 7 : i32
// CHECK-NEXT:  %m = tensor.compute () reduce min (%k) in [4] init 2147483647 attributes {note = "min"} : tensor<i32> {
// CHECK-NEXT:  %v = tensor.read %x[%k] pad 0 : tensor<4xi32>
// CHECK-NEXT:  %w = arith.addi %v, %seven : i32
// CHECK-NEXT:  tensor.yield %w : i32
// CHECK-NEXT:  }
// CHECK-NEXT:  %any = tensor.compute () reduce max (%k_1) in [4] init false : tensor<i1> {
// CHECK-NEXT:  %v_1 = tensor.read %b[%k_1] : tensor<4xi1>
// CHECK-NEXT:  tensor.yield %v_1 : i1
// CHECK-NEXT:  }
// CHECK-NEXT:  %iota = tensor.compute (%i) : tensor<4xindex> {
// CHECK-NEXT:  tensor.yield %i : index
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %m : tensor<i32>
// CHECK-NEXT:  }

// -----

// An epilogue: the bias and the relu of a dense layer, applied to each folded sum.
func.func @epilogue(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
  %y = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 schedule<tile = [2, 0, 3]> : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %v = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %acc: f32):
    %bias = tensor.read %b[%ej] : tensor<5xf32>
    %s = arith.addf %acc, %bias : f32
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %zero : f32
    tensor.yield %r : f32
  }
  func.return %y : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @epilogue(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
// CHECK-NEXT:  %y = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.000000e+00 schedule<tile = [2, 0, 3]> : tensor<4x5xf32> {
// CHECK-NEXT:  %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
// CHECK-NEXT:  %v = tensor.read %w[%k, %j] : tensor<6x5xf32>
// CHECK-NEXT:  %p = arith.mulf %a, %v : f32
// CHECK-NEXT:  tensor.yield %p : f32
// CHECK-NEXT:  } epilogue {
// CHECK-NEXT:  ^bb0(%ei: index, %ej: index, %acc: f32):
// CHECK-NEXT:  %bias = tensor.read %b[%ej] : tensor<5xf32>
// CHECK-NEXT:  %s = arith.addf %acc, %bias : f32
// CHECK-NEXT:  %zero = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:  %r = arith.maximumf %s, %zero : f32
// CHECK-NEXT:  tensor.yield %r : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<4x5xf32>
// CHECK-NEXT:  }

// -----

// compute_at: the row maximum runs in the loop nest of the compute reading it.
func.func @compute_at(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000 compute_at 1 schedule<unroll = 2> : tensor<2x1xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    tensor.yield %v : f32
  }
  %y = tensor.compute (%i, %j) : tensor<2x5xf32> {
    %c0 = arith.constant 0 : index
    %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
    %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
    %d = arith.subf %v, %m : f32
    tensor.yield %d : f32
  }
  func.return %y : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @compute_at(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
// CHECK-NEXT:  %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xff800000 compute_at 1 schedule<unroll = 2> : tensor<2x1xf32> {
// CHECK-NEXT:  %v = tensor.read %x[%i, %j] : tensor<2x5xf32>
// CHECK-NEXT:  tensor.yield %v : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  %y = tensor.compute (%i_1, %j_1) : tensor<2x5xf32> {
// CHECK-NEXT:  %c0 = arith.constant 0 : index
// CHECK-NEXT:  %v_1 = tensor.read %x[%i_1, %j_1] : tensor<2x5xf32>
// CHECK-NEXT:  %m = tensor.read %max[%i_1, %c0] : tensor<2x1xf32>
// CHECK-NEXT:  %d = arith.subf %v_1, %m : f32
// CHECK-NEXT:  tensor.yield %d : f32
// CHECK-NEXT:  }
// CHECK-NEXT:  func.return %y : tensor<2x5xf32>
// CHECK-NEXT:  }
