// RUN: dlc-opt %s --split-input-file -p tensor-to-loop | filecheck %s

// The register-tiled kernel: a compute whose schedule has a register tile.

// A 2x32 block of a matmul: two rows of i (one scalar load and splat each), two
// 16-lane vectors of j (loaded once, shared by both rows), 2x2 accumulators in
// iter_args, one fma each. w is packed first into [j / 32, k, j % 32] panels.
// CHECK-LABEL: func.func @matmul
// CHECK:         %[[PANEL:[a-z0-9_]+]] = memref.alloc() : memref<1x8x32xf32>
// CHECK:         loop.parallel (%j_panel) = (%c0) to (%c1) step (%c1) {
// CHECK-NEXT:      loop.parallel (%k) = (%c0) to (%c8) step (%c1) {
// CHECK:             loop.for %j_lane = %c0 to %c32 step %c1 {
// CHECK:               %b = memref.load %w[%k, %j]
// CHECK-NEXT:          memref.store %b, %[[PANEL]][%j_panel, %k, %j_lane]
// CHECK:         loop.for %i = %c0 to %c4 step %c2 {
// CHECK-NEXT:      loop.for %[[J:[a-z0-9_]+]] = %c0 to %c32 step %c32 {
// CHECK-NEXT:        %[[ZERO:[a-z0-9_]+]] = loop.splat %cst : vector<16xf32>
// CHECK:             %[[I1:[a-z0-9_]+]] = arith.addi %i, %c1 : index
// CHECK-NEXT:        %{{.*}} = loop.for %[[K:[a-z0-9_]+]] = %c0 to %c8 step %c1 iter_args(%{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]]) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT:          %a = memref.load %x[%i, %[[K]]] : memref<4x8xf32>
// CHECK-NEXT:          %[[A0:[a-z0-9_]+]] = loop.splat %a : vector<16xf32>
// CHECK-NEXT:          %[[B0:[a-z0-9_]+]] = loop.vload %[[PANEL]][%{{.*}}, %[[K]], %{{.*}}] : memref<1x8x32xf32>, vector<16xf32>
// CHECK-NEXT:          loop.fma %[[A0]], %[[B0]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:          %[[B1:[a-z0-9_]+]] = loop.vload %[[PANEL]]
// CHECK-NEXT:          loop.fma %[[A0]], %[[B1]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:          %[[A:[a-z0-9_]+]] = memref.load %x[%[[I1]], %[[K]]]
// CHECK-NEXT:          %[[A1:[a-z0-9_]+]] = loop.splat %[[A]] : vector<16xf32>
// CHECK-NEXT:          loop.fma %[[A1]], %[[B0]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:          loop.fma %[[A1]], %[[B1]], %{{.*}} : vector<16xf32>
// CHECK-NEXT:          loop.yield
// CHECK-NEXT:        }
// CHECK-NEXT:        loop.vstore %{{.*}}, %out0[%i, %[[J]]] : memref<4x32xf32>, vector<16xf32>
// CHECK-COUNT-3:     loop.vstore
// CHECK:         memref.dealloc %[[PANEL]] : memref<1x8x32xf32>
func.func @matmul(%x: tensor<4x8xf32>, %w: tensor<8x32xf32>) -> tensor<4x32xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [8] init 0.0 schedule<vectorize = 16, register = [2, 32, 1], pack = [1]> : tensor<4x32xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x8xf32>
    %b = tensor.read %w[%k, %j] : tensor<8x32xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x32xf32>
}

// -----

// A panel whose last block is partial: 40 columns in blocks of 32 are one full
// block, then the last block on its own, with 8 lanes; every lane loop has a
// constant trip count.
// CHECK-LABEL: func.func @partial_panel
// CHECK:         %[[PANEL:[a-z0-9_]+]] = memref.alloc() : memref<2x8x32xf32>
// CHECK-NEXT:    loop.parallel (%j_panel) = (%c0) to (%c1) step (%c1) {
// CHECK-NEXT:      loop.parallel (%k) = (%c0) to (%c8) step (%c1) {
// CHECK:             loop.for %j_lane = %c0 to %c32 step %c1 {
// CHECK:               memref.store %{{.*}}, %[[PANEL]][%j_panel, %k, %j_lane]
// CHECK:         loop.parallel (%[[K:[a-z0-9_]+]]) = (%c0) to (%c8) step (%c1) {
// CHECK-NEXT:      loop.for %[[L:[a-z0-9_]+]] = %c0 to %c8 step %c1 {
// CHECK-NEXT:        %[[J:[a-z0-9_]+]] = arith.addi %c32, %[[L]] : index
// CHECK-NEXT:        %[[B:[a-z0-9_]+]] = memref.load %w[%[[K]], %[[J]]]
// CHECK-NEXT:        memref.store %[[B]], %[[PANEL]][%c1, %[[K]], %[[L]]]
func.func @partial_panel(%x: tensor<4x8xf32>, %w: tensor<8x40xf32>) -> tensor<4x40xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [8] init 0.0 schedule<vectorize = 16, register = [2, 32, 1], pack = [1]> : tensor<4x40xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x8xf32>
    %b = tensor.read %w[%k, %j] : tensor<8x40xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x40xf32>
}

// -----

// Remainders: 5 rows are two blocks of 2 and one single row; 37 columns are one
// block of 32, then one 4-lane vector, then one scalar column, for every row
// block size. Only the segments these sizes need are built.
// CHECK-LABEL: func.func @remainders
// CHECK:         loop.for %i = %c0 to %c4 step %c2 {
// CHECK-NEXT:      loop.for %j = %c0 to %c32 step %c32 {
// CHECK:             loop.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK:           loop.for %{{.*}} = %c32 to %c36 step %c4 {
// CHECK:             loop.for {{.*}} -> (vector<4xf32>, vector<4xf32>)
// CHECK:           loop.for %{{.*}} = %c36 to %c37 step %c1 {
// CHECK:             loop.for {{.*}} -> (f32, f32)
// CHECK:               loop.fma %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK:         loop.for %{{.*}} = %c4 to %c5 step %c1 {
// CHECK-NEXT:      loop.for %{{.*}} = %c0 to %c32 step %c32 {
// CHECK:             loop.for {{.*}} -> (vector<16xf32>, vector<16xf32>)
// CHECK:           loop.for %{{.*}} = %c32 to %c36 step %c4 {
// CHECK:             loop.for {{.*}} -> (vector<4xf32>)
// CHECK:           loop.for %{{.*}} = %c36 to %c37 step %c1 {
// CHECK:             loop.for {{.*}} -> (f32)
func.func @remainders(%x: tensor<5x3xf32>, %w: tensor<3x37xf32>) -> tensor<5x37xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.0 schedule<vectorize = 16, register = [2, 32, 1]> : tensor<5x37xf32> {
    %a = tensor.read %x[%i, %k] : tensor<5x3xf32>
    %b = tensor.read %w[%k, %j] : tensor<3x37xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<5x37xf32>
}

// -----

// A padded convolution reads a copy of x with its padding around it, so the
// vector loads along ow need no check. The copy writes each element once, in
// parallel over channels and rows: pad rows, then each row between its pad
// columns. Rows of the kernel are output channels: the weight is one splat per
// row, the input one vector load shared by the three rows. The three reduction
// loops carry the accumulators.
// CHECK-LABEL: func.func @conv
// CHECK:         %x_padded = memref.alloc() : memref<1x2x7x22xf32>
// CHECK-NEXT:    loop.parallel (%[[C:[a-z0-9_]+]]) = (%c0) to (%c2) step (%c1) {
// CHECK-NEXT:      loop.for %[[W0:[a-z0-9_]+]] = %c0 to %c22 step %c1 {
// CHECK-NEXT:        memref.store %cst, %x_padded[%c0, %[[C]], %c0, %[[W0]]]
// CHECK:           loop.parallel (%[[H:[a-z0-9_]+]]) = (%c0) to (%c5) step (%c1) {
// CHECK-NEXT:        %[[H1:[a-z0-9_]+]] = arith.addi %[[H]], %c1 : index
// CHECK-NEXT:        memref.store %cst, %x_padded[%c0, %[[C]], %[[H1]], %c0]
// CHECK-NEXT:        loop.for %[[W:[a-z0-9_]+]] = %c0 to %c20 step %c1 {
// CHECK-NEXT:          %[[W1:[a-z0-9_]+]] = arith.addi %[[W]], %c1 : index
// CHECK-NEXT:          %[[V:[a-z0-9_]+]] = memref.load %x[%c0, %[[C]], %[[H]], %[[W]]]
// CHECK-NEXT:          memref.store %[[V]], %x_padded[%c0, %[[C]], %[[H1]], %[[W1]]]
// CHECK:             memref.store %cst, %x_padded[%c0, %[[C]], %[[H1]], %c21]
// CHECK:           loop.for %[[W6:[a-z0-9_]+]] = %c0 to %c22 step %c1 {
// CHECK-NEXT:        memref.store %cst, %x_padded[%c0, %[[C]], %c6, %[[W6]]]
// CHECK:         loop.for %f = %c0 to %c3 step %c3 {
// CHECK:             loop.for %ow = %c0 to %c16 step %c16 {
// CHECK:               loop.for %c = {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT:            loop.for %kh = {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK-NEXT:              loop.for %kw = {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK:                     %[[A:[a-z0-9_]+]] = loop.vload %x_padded[%n, %c, %{{.*}}, %{{.*}}] : memref<1x2x7x22xf32>, vector<16xf32>
// CHECK-NEXT:                %b = memref.load %w[%f, %c, %kh, %kw]
// CHECK-NEXT:                %[[S:[a-z0-9_]+]] = loop.splat %b : vector<16xf32>
// CHECK-NEXT:                loop.fma %[[A]], %[[S]], %{{.*}} : vector<16xf32>
// CHECK-COUNT-2:             loop.fma %[[A]]
// CHECK:             loop.for %{{.*}} = %c16 to %c20 step %c4 {
// CHECK:                     loop.vload %x_padded{{.*}} vector<4xf32>
// CHECK:         memref.dealloc %x_padded
func.func @conv(%x: tensor<1x2x5x20xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x5x20xf32> {
  %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3] init 0.0 schedule<vectorize = 16, register = [1, 3, 1, 16, 1, 1, 1]> : tensor<1x3x5x20xf32> {
    %c1 = arith.constant 1 : index
    %h0 = arith.addi %oh, %kh : index
    %h = arith.subi %h0, %c1 : index
    %w0 = arith.addi %ow, %kw : index
    %wi = arith.subi %w0, %c1 : index
    %a = tensor.read %x[%n, %c, %h, %wi] pad 0.0 : tensor<1x2x5x20xf32>
    %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<3x2x3x3xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %y : tensor<1x3x5x20xf32>
}

// -----

// Epilogues apply to the finished accumulators before the store: on vectors
// when they can (a bias along j, relu), lane by lane otherwise (a read across
// rows of s along j): the accumulator is stored, then each lane is loaded,
// mapped and stored again.
// CHECK-LABEL: func.func @epilogues
// CHECK:         %[[SUM:[a-z0-9_]+]] = loop.for %k
// CHECK:         }
// CHECK-NEXT:    %bias = loop.vload %b[%j] : memref<16xf32>, vector<16xf32>
// CHECK-NEXT:    %t = arith.addf %[[SUM]], %bias : vector<16xf32>
// CHECK-NEXT:    %[[ZERO:[a-z0-9_]+]] = loop.splat %cst : vector<16xf32>
// CHECK-NEXT:    %relu = arith.maximumf %t, %[[ZERO]] : vector<16xf32>
// CHECK-NEXT:    loop.vstore %relu, %out0[%i, %j]
// CHECK:         %[[SUM1:[a-z0-9_]+]] = loop.for %k_1
// CHECK:         loop.vstore %[[SUM1]], %out1[%i_1, %j_1]
// CHECK-NEXT:    %[[END:[a-z0-9_]+]] = arith.addi %j_1, %c16 : index
// CHECK-NEXT:    loop.for %[[LANE:[a-z0-9_]+]] = %j_1 to %[[END]] step %c1 {
// CHECK-NEXT:      %folded = memref.load %out1[%i_1, %[[LANE]]] : memref<2x16xf32>
// CHECK-NEXT:      %scale = memref.load %s[%[[LANE]], %i_1] : memref<16x2xf32>
// CHECK-NEXT:      %t_1 = arith.mulf %folded, %scale : f32
// CHECK-NEXT:      memref.store %t_1, %out1[%i_1, %[[LANE]]] : memref<2x16xf32>
func.func @epilogues(%x: tensor<2x4xf32>, %w: tensor<4x16xf32>, %b: tensor<16xf32>, %s: tensor<16x2xf32>) -> (tensor<2x16xf32>, tensor<2x16xf32>) {
  %r = tensor.compute (%i, %j) reduce add (%k) in [4] init 0.0 schedule<vectorize = 16, register = [1, 16, 1]> : tensor<2x16xf32> {
    %a = tensor.read %x[%i, %k] : tensor<2x4xf32>
    %v = tensor.read %w[%k, %j] : tensor<4x16xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %sum: f32):
    %bias = tensor.read %b[%ej] : tensor<16xf32>
    %t = arith.addf %sum, %bias : f32
    %zero = arith.constant 0.0 : f32
    %relu = arith.maximumf %t, %zero : f32
    tensor.yield %relu : f32
  }
  %g = tensor.compute (%i, %j) reduce add (%k) in [4] init 0.0 schedule<vectorize = 16, register = [1, 16, 1]> : tensor<2x16xf32> {
    %a = tensor.read %x[%i, %k] : tensor<2x4xf32>
    %v = tensor.read %w[%k, %j] : tensor<4x16xf32>
    %p = arith.mulf %a, %v : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %sum: f32):
    %scale = tensor.read %s[%ej, %ei] : tensor<16x2xf32>
    %t = arith.mulf %sum, %scale : f32
    tensor.yield %t : f32
  }
  func.return %r, %g : tensor<2x16xf32>, tensor<2x16xf32>
}

// -----

// A tiled reduction keeps the partial sums in the output: it is filled with the
// init, each k tile loads, accumulates and stores back, and the epilogue runs
// in a last nest, once every tile is done.
// CHECK-LABEL: func.func @k_tiles
// CHECK:             memref.store %cst, %out0[%i, %j]
// CHECK:         loop.for %k_tile = %c0 to %c8 step %c4 {
// CHECK-NEXT:      %k_end = arith.addi %k_tile, %c4 : index
// CHECK:               %partial = loop.vload %out0[%i_1, %j_1] : memref<2x16xf32>, vector<16xf32>
// CHECK-NEXT:          %[[SUM:[a-z0-9_]+]] = loop.for %k = %k_tile to %k_end step %c1 iter_args(%acc = %partial) -> (vector<16xf32>) {
// CHECK:               loop.vstore %[[SUM]], %out0[%i_1, %j_1]
// CHECK:             %folded = memref.load %out0[%i_2, %j_2]
// CHECK-NEXT:        %e = math.exp %folded : f32
// CHECK-NEXT:        memref.store %e, %out0[%i_2, %j_2]
func.func @k_tiles(%x: tensor<2x8xf32>, %w: tensor<8x16xf32>) -> tensor<2x16xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [8] init 0.0 schedule<tile = [0, 0, 4], vectorize = 16, register = [1, 16, 1]> : tensor<2x16xf32> {
    %a = tensor.read %x[%i, %k] : tensor<2x8xf32>
    %b = tensor.read %w[%k, %j] : tensor<8x16xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%ei: index, %ej: index, %sum: f32):
    %e = math.exp %sum : f32
    tensor.yield %e : f32
  }
  func.return %c : tensor<2x16xf32>
}

// -----

// Integer computes keep the plain loop nest (vectors are float only).
// CHECK-LABEL: func.func @integers
// CHECK-NOT:     loop.vload
// CHECK:         arith.addi %acc
func.func @integers(%x: tensor<4x8xi32>, %w: tensor<8x16xi32>) -> tensor<4x16xi32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [8] init 0 schedule<vectorize = 1, register = [2, 4, 1]> : tensor<4x16xi32> {
    %a = tensor.read %x[%i, %k] : tensor<4x8xi32>
    %b = tensor.read %w[%k, %j] : tensor<8x16xi32>
    %p = arith.muli %a, %b : i32
    tensor.yield %p : i32
  }
  func.return %c : tensor<4x16xi32>
}
