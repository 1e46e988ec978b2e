// RUN: dlc-opt %s -p tensor-to-loop --split-input-file | filecheck %s

// tensor-to-loop bufferizes each function: tensor arguments become memrefs, each
// tensor result becomes an out buffer appended to the arguments, and func.return
// returns nothing. Each compute is a rolled loop nest; constants are hoisted to the
// top of the function.

// Matmul: the reduction's accumulator is carried in iter_args from the init and
// stored once, straight into the result buffer.
func.func @matmul(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %b = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @matmul(%x: memref<4x6xf32>, %w: memref<6x5xf32>, %out0: memref<4x5xf32>) {
// CHECK-DAG:     %c0 = arith.constant 0 : index
// CHECK-DAG:     %c1 = arith.constant 1 : index
// CHECK-DAG:     %c4 = arith.constant 4 : index
// CHECK-DAG:     %c5 = arith.constant 5 : index
// CHECK-DAG:     %c6 = arith.constant 6 : index
// CHECK-DAG:     %cst = arith.constant 0.000000e+00 : f32
// CHECK:         loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      loop.for %j = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %add = loop.for %k = %c0 to %c6 step %c1 iter_args(%acc = %cst) -> (f32) {
// CHECK-NEXT:          %a = memref.load %x[%i, %k] : memref<4x6xf32>
// CHECK-NEXT:          %b = memref.load %w[%k, %j] : memref<6x5xf32>
// CHECK-NEXT:          %p = arith.mulf %a, %b : f32
// CHECK-NEXT:          %next = arith.addf %acc, %p : f32
// CHECK-NEXT:          loop.yield %next : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        memref.store %add, %out0[%i, %j] : memref<4x5xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
// CHECK-NEXT:  }

// -----

// conv2d, stride 2, padding 1: only the h and w indices can leave the image, so
// only they are checked (one unsigned compare covers both bounds); the load uses
// a safe index and the pad value replaces what it loaded outside.
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
// CHECK-LABEL: func.func @conv2d(%x: memref<1x3x8x8xf32>, %w: memref<4x3x3x3xf32>, %out0: memref<1x4x4x4xf32>) {
// CHECK-DAG:     %c2 = arith.constant 2 : index
// CHECK-DAG:     %c8 = arith.constant 8 : index
// CHECK:         loop.for %n = %c0 to %c1 step %c1 {
// CHECK-NEXT:      loop.for %f = %c0 to %c4 step %c1 {
// CHECK-NEXT:        loop.for %oh = %c0 to %c4 step %c1 {
// CHECK-NEXT:          loop.for %ow = %c0 to %c4 step %c1 {
// CHECK-NEXT:            %add = loop.for %c = %c0 to %c3 step %c1 iter_args(%acc = %cst) -> (f32) {
// CHECK-NEXT:              %add_1 = loop.for %kh = %c0 to %c3 step %c1 iter_args(%acc_1 = %acc) -> (f32) {
// CHECK-NEXT:                %add_2 = loop.for %kw = %c0 to %c3 step %c1 iter_args(%acc_2 = %acc_1) -> (f32) {
// CHECK-NEXT:                  %sh = arith.muli %oh, %c2 : index
// CHECK-NEXT:                  %h0 = arith.addi %sh, %kh : index
// CHECK-NEXT:                  %h = arith.subi %h0, %c1 : index
// CHECK-NEXT:                  %sw = arith.muli %ow, %c2 : index
// CHECK-NEXT:                  %w0 = arith.addi %sw, %kw : index
// CHECK-NEXT:                  %wi = arith.subi %w0, %c1 : index
// CHECK-NEXT:                  %inside = arith.cmpi ult, %h, %c8 : index
// CHECK-NEXT:                  %safe = arith.select %inside, %h, %c0 : index
// CHECK-NEXT:                  %inside_1 = arith.cmpi ult, %wi, %c8 : index
// CHECK-NEXT:                  %safe_1 = arith.select %inside_1, %wi, %c0 : index
// CHECK-NEXT:                  %loaded = memref.load %x[%n, %c, %safe, %safe_1] : memref<1x3x8x8xf32>
// CHECK-NEXT:                  %inside_2 = arith.andi %inside, %inside_1 : i1
// CHECK-NEXT:                  %a = arith.select %inside_2, %loaded, %cst : f32
// CHECK-NEXT:                  %b = memref.load %w[%f, %c, %kh, %kw] : memref<4x3x3x3xf32>
// CHECK-NEXT:                  %p = arith.mulf %a, %b : f32
// CHECK-NEXT:                  %next = arith.addf %acc_2, %p : f32
// CHECK-NEXT:                  loop.yield %next : f32
// CHECK-NEXT:                }
// CHECK-NEXT:                loop.yield %add_2 : f32
// CHECK-NEXT:              }
// CHECK-NEXT:              loop.yield %add_1 : f32
// CHECK-NEXT:            }
// CHECK-NEXT:            memref.store %add, %out0[%n, %f, %oh, %ow] : memref<1x4x4x4xf32>

// -----

// A row sum into a temporary, then a sum into a rank-0 result; the temporary is
// freed after its last reader.
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
// CHECK-LABEL: func.func @reduce_sum(%x: memref<3x5xf32>, %out0: memref<f32>) {
// CHECK:         %rows = memref.alloc() : memref<3xf32>
// CHECK-NEXT:    loop.for %i = %c0 to %c3 step %c1 {
// CHECK-NEXT:      %add = loop.for %j = %c0 to %c5 step %c1 iter_args(%acc = %cst) -> (f32) {
// CHECK-NEXT:        %v = memref.load %x[%i, %j] : memref<3x5xf32>
// CHECK-NEXT:        %next = arith.addf %acc, %v : f32
// CHECK-NEXT:        loop.yield %next : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      memref.store %add, %rows[%i] : memref<3xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %add_1 = loop.for %i_1 = %c0 to %c3 step %c1 iter_args(%acc_1 = %cst) -> (f32) {
// CHECK-NEXT:      %v_1 = memref.load %rows[%i_1] : memref<3xf32>
// CHECK-NEXT:      %next_1 = arith.addf %acc_1, %v_1 : f32
// CHECK-NEXT:      loop.yield %next_1 : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.store %add_1, %out0[] : memref<f32>
// CHECK-NEXT:    memref.dealloc %rows : memref<3xf32>
// CHECK-NEXT:    func.return

// -----

// softmax as four computes: three temporaries, each freed right after the nest
// that reads it last; the last compute writes the result buffer.
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
// CHECK-LABEL: func.func @softmax(%x: memref<2x5xf32>, %out0: memref<2x5xf32>) {
// CHECK-DAG:     %cst = arith.constant 0xff800000 : f32
// CHECK-DAG:     %cst_1 = arith.constant 0.000000e+00 : f32
// CHECK:         %max = memref.alloc() : memref<2xf32>
// CHECK-NEXT:    loop.for %i = %c0 to %c2 step %c1 {
// CHECK-NEXT:      %max_1 = loop.for %j = %c0 to %c5 step %c1 iter_args(%acc = %cst) -> (f32) {
// CHECK-NEXT:        %v = memref.load %x[%i, %j] : memref<2x5xf32>
// CHECK-NEXT:        %next = arith.maximumf %acc, %v : f32
// CHECK-NEXT:        loop.yield %next : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      memref.store %max_1, %max[%i] : memref<2xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    %exp = memref.alloc() : memref<2x5xf32>
// CHECK-NEXT:    loop.for %i_1 = %c0 to %c2 step %c1 {
// CHECK-NEXT:      loop.for %j_1 = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %v_1 = memref.load %x[%i_1, %j_1] : memref<2x5xf32>
// CHECK-NEXT:        %m = memref.load %max[%i_1] : memref<2xf32>
// CHECK-NEXT:        %d = arith.subf %v_1, %m : f32
// CHECK-NEXT:        %e = math.exp %d : f32
// CHECK-NEXT:        memref.store %e, %exp[%i_1, %j_1] : memref<2x5xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.dealloc %max : memref<2xf32>
// CHECK-NEXT:    %sum = memref.alloc() : memref<2xf32>
// CHECK-NEXT:    loop.for %i_2 = %c0 to %c2 step %c1 {
// CHECK-NEXT:      %add = loop.for %j_2 = %c0 to %c5 step %c1 iter_args(%acc_1 = %cst_1) -> (f32) {
// CHECK-NEXT:        %e_1 = memref.load %exp[%i_2, %j_2] : memref<2x5xf32>
// CHECK-NEXT:        %next_1 = arith.addf %acc_1, %e_1 : f32
// CHECK-NEXT:        loop.yield %next_1 : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      memref.store %add, %sum[%i_2] : memref<2xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    loop.for %i_3 = %c0 to %c2 step %c1 {
// CHECK-NEXT:      loop.for %j_3 = %c0 to %c5 step %c1 {
// CHECK-NEXT:        %e_2 = memref.load %exp[%i_3, %j_3] : memref<2x5xf32>
// CHECK-NEXT:        %s = memref.load %sum[%i_3] : memref<2xf32>
// CHECK-NEXT:        %q = arith.divf %e_2, %s : f32
// CHECK-NEXT:        memref.store %q, %out0[%i_3, %j_3] : memref<2x5xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.dealloc %exp : memref<2x5xf32>
// CHECK-NEXT:    memref.dealloc %sum : memref<2xf32>
// CHECK-NEXT:    func.return

// -----

// A returned argument is copied into its out buffer; a value returned twice is
// computed into the first out buffer and copied into the second. Scalar results
// stay results.
func.func @returns(%x: tensor<3xf32>, %s: f32) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, f32) {
  %y = tensor.compute (%i) : tensor<3xf32> {
    %v = tensor.read %x[%i] : tensor<3xf32>
    %p = arith.mulf %v, %s : f32
    tensor.yield %p : f32
  }
  func.return %x, %y, %y, %s : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, f32
}
// CHECK-LABEL: func.func @returns(%x: memref<3xf32>, %s: f32, %out0: memref<3xf32>, %out1: memref<3xf32>, %out2: memref<3xf32>) -> f32 {
// CHECK-NOT:     memref.alloc
// CHECK:         loop.for %i = %c0 to %c3 step %c1 {
// CHECK-NEXT:      %v = memref.load %x[%i] : memref<3xf32>
// CHECK-NEXT:      %p = arith.mulf %v, %s : f32
// CHECK-NEXT:      memref.store %p, %out1[%i] : memref<3xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    loop.for %i_1 = %c0 to %c3 step %c1 {
// CHECK-NEXT:      %element = memref.load %x[%i_1] : memref<3xf32>
// CHECK-NEXT:      memref.store %element, %out0[%i_1] : memref<3xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    loop.for %i_2 = %c0 to %c3 step %c1 {
// CHECK-NEXT:      %element_1 = memref.load %out1[%i_2] : memref<3xf32>
// CHECK-NEXT:      memref.store %element_1, %out2[%i_2] : memref<3xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %s : f32

// -----

// Tensor constants become read-only globals, one per distinct value; a
// dense_resource value is copied into an inline one, since memref.global holds
// only those. A compute nobody reads is dropped.
func.func @constants(%x: tensor<2xf32>) -> tensor<2xf32> {
  %a = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = arith.constant dense_resource<t2l_blob> : tensor<2xf32>
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %dead = tensor.compute (%i) : tensor<2xf32> {
    %v = tensor.read %x[%i] : tensor<2xf32>
    tensor.yield %v : f32
  }
  %y = tensor.compute (%i) : tensor<2xf32> {
    %va = tensor.read %a[%i] : tensor<2xf32>
    %vb = tensor.read %b[%i] : tensor<2xf32>
    %vc = tensor.read %c[%i] : tensor<2xf32>
    %vx = tensor.read %x[%i] : tensor<2xf32>
    %s = arith.addf %va, %vb : f32
    %t = arith.addf %vc, %vx : f32
    %u = arith.mulf %s, %t : f32
    tensor.yield %u : f32
  }
  func.return %y : tensor<2xf32>
}
{-# dialect_resources: { builtin: { t2l_blob: "0x040000000000404000008040" } } #-}
// CHECK:       "memref.global"() <{sym_name = "__constant_2xf32", type = memref<2xf32>, initial_value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, sym_visibility = "private", constant}> : () -> ()
// CHECK-NEXT:  "memref.global"() <{sym_name = "__constant_2xf32_0", type = memref<2xf32>, initial_value = dense<[3.000000e+00, 4.000000e+00]> : tensor<2xf32>, sym_visibility = "private", constant}> : () -> ()
// CHECK-LABEL: func.func @constants(%x: memref<2xf32>, %out0: memref<2xf32>) {
// CHECK:         %a = memref.get_global @__constant_2xf32 : memref<2xf32>
// CHECK-NEXT:    %b = memref.get_global @__constant_2xf32_0 : memref<2xf32>
// CHECK-NEXT:    %c = memref.get_global @__constant_2xf32 : memref<2xf32>
// CHECK-NEXT:    loop.for %i = %c0 to %c2 step %c1 {
// CHECK-NEXT:      %va = memref.load %a[%i] : memref<2xf32>
// CHECK-NEXT:      %vb = memref.load %b[%i] : memref<2xf32>
// CHECK-NEXT:      %vc = memref.load %c[%i] : memref<2xf32>
// CHECK-NEXT:      %vx = memref.load %x[%i] : memref<2xf32>
// CHECK:           memref.store %u, %out0[%i] : memref<2xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return

// -----

// A schedule: the i loop is tiled by 2 and parallel, k is tiled by 4 (K-blocking:
// the result is filled with the init, then accumulated through memory), j carries
// the vectorize request and the innermost loop the unroll request.
func.func @scheduled(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 schedule<tile = [2, 0, 4], parallel = [0], vectorize = 4, unroll = 2> : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %b = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x5xf32>
}
// CHECK-LABEL: func.func @scheduled(%x: memref<4x6xf32>, %w: memref<6x5xf32>, %out0: memref<4x5xf32>) {
// CHECK:         loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      loop.for %j = %c0 to %c5 step %c1 {
// CHECK-NEXT:        memref.store %cst, %out0[%i, %j] : memref<4x5xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    loop.parallel (%i_tile) = (%c0) to (%c4) step (%c2) {
// CHECK-NEXT:      loop.for %k_tile = %c0 to %c6 step %c4 {
// CHECK-NEXT:        %i_end = arith.addi %i_tile, %c2 : index
// CHECK-NEXT:        %k_next_tile = arith.addi %k_tile, %c4 : index
// CHECK-NEXT:        %k_end = arith.minsi %k_next_tile, %c6 : index
// CHECK-NEXT:        loop.for %i_1 = %i_tile to %i_end step %c1 {
// CHECK-NEXT:          loop.for %j_1 = %c0 to %c5 step %c1 {
// CHECK-NEXT:            %partial = memref.load %out0[%i_1, %j_1] : memref<4x5xf32>
// CHECK-NEXT:            %add = loop.for %k = %k_tile to %k_end step %c1 iter_args(%acc = %partial) -> (f32) {
// CHECK-NEXT:              %a = memref.load %x[%i_1, %k] : memref<4x6xf32>
// CHECK-NEXT:              %b = memref.load %w[%k, %j_1] : memref<6x5xf32>
// CHECK-NEXT:              %p = arith.mulf %a, %b : f32
// CHECK-NEXT:              %next = arith.addf %acc, %p : f32
// CHECK-NEXT:              loop.yield %next : f32
// CHECK-NEXT:            } {unroll = 2 : i64}
// CHECK-NEXT:            memref.store %add, %out0[%i_1, %j_1] : memref<4x5xf32>
// CHECK-NEXT:          } {vectorize = 4 : i64}
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return

// -----

// Integer, index and i1 elements: signed min on i32, "any" on i1, and a compute
// yielding its own index.
func.func @integers(%x: tensor<4xi32>, %b: tensor<4xi1>) -> (tensor<i32>, tensor<i1>, tensor<4xindex>) {
  %seven = arith.constant 7 : i32
  %m = tensor.compute () reduce min (%k) in [4] init 2147483647 : tensor<i32> {
    %v = tensor.read %x[%k] : tensor<4xi32>
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
  func.return %m, %any, %iota : tensor<i32>, tensor<i1>, tensor<4xindex>
}
// CHECK-LABEL: func.func @integers(%x: memref<4xi32>, %b: memref<4xi1>, %out0: memref<i32>, %out1: memref<i1>, %out2: memref<4xindex>) {
// CHECK-DAG:     %c2147483647_i32 = arith.constant 2147483647 : i32
// CHECK-DAG:     %false = arith.constant false
// CHECK:         %seven = arith.constant 7 : i32
// CHECK-NEXT:    %min = loop.for %k = %c0 to %c4 step %c1 iter_args(%acc = %c2147483647_i32) -> (i32) {
// CHECK-NEXT:      %v = memref.load %x[%k] : memref<4xi32>
// CHECK-NEXT:      %w = arith.addi %v, %seven : i32
// CHECK-NEXT:      %next = arith.minsi %acc, %w : i32
// CHECK-NEXT:      loop.yield %next : i32
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.store %min, %out0[] : memref<i32>
// CHECK-NEXT:    %max = loop.for %k_1 = %c0 to %c4 step %c1 iter_args(%acc_1 = %false) -> (i1) {
// CHECK-NEXT:      %v_1 = memref.load %b[%k_1] : memref<4xi1>
// CHECK-NEXT:      %next_1 = arith.ori %acc_1, %v_1 : i1
// CHECK-NEXT:      loop.yield %next_1 : i1
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.store %max, %out1[] : memref<i1>
// CHECK-NEXT:    loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      memref.store %i, %out2[%i] : memref<4xindex>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
