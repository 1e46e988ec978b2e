// RUN: dlc-opt %s --split-input-file -p tensor-to-loop | filecheck %s

// The shared-memory tiled GPU kernel: a contraction whose schedule has `blocks`.

// A dense layer with bias and relu; 6 x 10 x 5 with 4 x 8 blocks, a k tile of 2
// and 2 x 2 points per thread, so nothing divides. One loop.parallel over the
// block tiles (gpu.block.y, gpu.block.x) holds the shared tiles (k-major, BK x BM
// and BK x BN), the private accumulators (thread loop extents first) and four
// thread loops: zero the accumulators; per k tile, stage both tiles (each thread
// its share, 0 outside the output and the reduction), then multiply; finally
// apply the epilogue and store the points inside the output.
// CHECK-LABEL: func.func @dense_relu
// CHECK:       loop.parallel (%[[I0:.*]], %[[J0:.*]]) = (%c0, %c0) to (%c6, %c10) step (%c4, %c8) mapping [gpu.block.y, gpu.block.x] {
// CHECK-NEXT:    %[[AT:.*]] = memref.alloc() : memref<2x4xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[BT:.*]] = memref.alloc() : memref<2x8xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT:    %[[ACC:.*]] = memref.alloc() : memref<2x4x2x2xf32, #gpu.address_space<private>>
// CHECK-NEXT:    loop.parallel (%[[TY:.*]], %[[TX:.*]]) = (%c0, %c0) to (%c2, %c4) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
// CHECK-NEXT:      loop.for %[[A:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT:        loop.for %[[B:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT:          memref.store %cst, %[[ACC]][%[[TY]], %[[TX]], %[[A]], %[[B]]]
// CHECK:         loop.for %[[K0:.*]] = %c0 to %c5 step %c2 {
// CHECK-NEXT:      loop.parallel ({{.*}}) = (%c0, %c0) to (%c2, %c4) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
// x[i, k] is contiguous along k: consecutive threads stage consecutive k.
// CHECK:             %[[KK:.*]] = arith.remui %thread, %c2 : index
// CHECK-NEXT:        %[[P:.*]] = arith.divui %thread, %c2 : index
// CHECK-NEXT:        %[[K:.*]] = arith.addi %[[K0]], %[[KK]] : index
// CHECK-NEXT:        %[[M:.*]] = arith.addi %[[I0]], %[[P]] : index
// CHECK-NEXT:        %[[KIN:.*]] = arith.cmpi ult, %[[K]], %c5 : index
// CHECK-NEXT:        %[[MIN:.*]] = arith.cmpi ult, %[[M]], %c6 : index
// CHECK-NEXT:        %[[IN:.*]] = arith.andi %[[KIN]], %[[MIN]] : i1
// CHECK-NEXT:        %[[SK:.*]] = arith.select %[[IN]], %[[K]], %c0 : index
// CHECK-NEXT:        %[[SM:.*]] = arith.select %[[IN]], %[[M]], %c0 : index
// CHECK-NEXT:        %[[X:.*]] = memref.load %x[%[[SM]], %[[SK]]] : memref<6x5xf32>
// CHECK-NEXT:        %[[XV:.*]] = arith.select %[[IN]], %[[X]], %cst : f32
// CHECK-NEXT:        memref.store %[[XV]], %[[AT]][%[[KK]], %[[P]]]
// 16 elements of the w tile for 8 threads: two each, along j.
// CHECK-NEXT:        loop.for %[[R:.*]] = %c0 to %c2 step %c1 {
// CHECK:               memref.load %w[
// CHECK:               memref.store {{.*}}, %[[BT]][
// CHECK:           loop.parallel (%[[TY2:.*]], %[[TX2:.*]]) = (%c0, %c0) to (%c2, %c4) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
// CHECK-NEXT:        loop.for %[[KK2:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT:          loop.for %[[A2:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT:            %[[OFF:.*]] = arith.muli %[[A2]], %c2 : index
// CHECK-NEXT:            %[[ROW:.*]] = arith.addi %[[TY2]], %[[OFF]] : index
// CHECK-NEXT:            %[[AE:.*]] = memref.load %[[AT]][%[[KK2]], %[[ROW]]]
// CHECK-NEXT:            loop.for %[[B2:.*]] = %c0 to %c2 step %c1 {
// CHECK-NEXT:              %[[OFF2:.*]] = arith.muli %[[B2]], %c4 : index
// CHECK-NEXT:              %[[COL:.*]] = arith.addi %[[TX2]], %[[OFF2]] : index
// CHECK-NEXT:              %[[BE:.*]] = memref.load %[[BT]][%[[KK2]], %[[COL]]]
// CHECK-NEXT:              %[[OLD:.*]] = memref.load %[[ACC]][%[[TY2]], %[[TX2]], %[[A2]], %[[B2]]]
// CHECK-NEXT:              %[[PR:.*]] = arith.mulf %[[AE]], %[[BE]] : f32
// CHECK-NEXT:              %[[NEW:.*]] = arith.addf %[[OLD]], %[[PR]] : f32
// CHECK-NEXT:              memref.store %[[NEW]], %[[ACC]][%[[TY2]], %[[TX2]], %[[A2]], %[[B2]]]
// The rows of thread ty are i0 + ty + 2 a: min(2, ceil((6 - i0 - ty) / 2)) of them
// are inside the output; likewise the columns.
// CHECK:         loop.parallel (%[[TY3:.*]], %[[TX3:.*]]) = (%c0, %c0) to (%c2, %c4) step (%c1, %c1) mapping [gpu.thread.y, gpu.thread.x] {
// CHECK-NEXT:      %[[FIRST:.*]] = arith.addi %[[I0]], %[[TY3]] : index
// CHECK-NEXT:      %[[LEFT:.*]] = arith.subi %c6, %[[FIRST]] : index
// CHECK-NEXT:      %[[POS:.*]] = arith.maxsi %[[LEFT]], %c0 : index
// CHECK-NEXT:      %[[UP:.*]] = arith.addi %[[POS]], %c1 : index
// CHECK-NEXT:      %[[DIV:.*]] = arith.divui %[[UP]], %c2 : index
// CHECK-NEXT:      %[[ROWS:.*]] = arith.minsi %[[DIV]], %c2 : index
// CHECK:           %[[COLS:.*]] = arith.minsi %{{.*}}, %c2 : index
// CHECK-NEXT:      loop.for %[[A3:.*]] = %c0 to %[[ROWS]] step %c1 {
// CHECK-NEXT:        loop.for %[[B3:.*]] = %c0 to %[[COLS]] step %c1 {
// CHECK:               %[[I:.*]] = arith.addi %[[I0]], %{{.*}} : index
// CHECK-NEXT:          %[[J:.*]] = arith.addi %[[J0]], %{{.*}} : index
// CHECK-NEXT:          %[[SUM:.*]] = memref.load %[[ACC]][%[[TY3]], %[[TX3]], %[[A3]], %[[B3]]]
// CHECK-NEXT:          %[[BIAS:.*]] = memref.load %bias[%[[J]]] : memref<10xf32>
// CHECK-NEXT:          %[[BIASED:.*]] = arith.addf %[[SUM]], %[[BIAS]] : f32
// CHECK-NEXT:          %[[RELU:.*]] = arith.maximumf %[[BIASED]], %cst : f32
// CHECK-NEXT:          memref.store %[[RELU]], %out0[%[[I]], %[[J]]] : memref<6x10xf32>
func.func @dense_relu(%x: tensor<6x5xf32>, %w: tensor<5x10xf32>, %bias: tensor<10xf32>) -> tensor<6x10xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [5] init 0.0 schedule<tile = [4, 8, 2], register = [2, 2, 1], blocks = [0, 1]> : tensor<6x10xf32> {
    %a = tensor.read %x[%i, %k] : tensor<6x5xf32>
    %b = tensor.read %w[%k, %j] : tensor<5x10xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  } epilogue {
  ^bb0(%i: index, %j: index, %sum: f32):
    %b = tensor.read %bias[%j] : tensor<10xf32>
    %r = arith.addf %sum, %b : f32
    %z = arith.constant 0.0 : f32
    %y = arith.maximumf %r, %z : f32
    tensor.yield %y : f32
  }
  func.return %c : tensor<6x10xf32>
}

// -----

// A batched matmul: the batch goes to gpu.block.z. The tiles divide the shapes,
// so no staging or store needs a check.
// CHECK-LABEL: func.func @batch
// CHECK:       loop.parallel (%[[N:.*]], %[[I0:.*]], %[[J0:.*]]) = (%c0, %c0, %c0) to (%c2, %c8, %c8) step (%c1, %c4, %c4) mapping [gpu.block.z, gpu.block.y, gpu.block.x] {
// CHECK-NOT:     arith.cmpi
// CHECK:         memref.load %x[%[[N]], %{{.*}}, %{{.*}}] : memref<2x8x4xf32>
// CHECK-NOT:     arith.cmpi
// CHECK:         memref.load %w[%[[N]], %{{.*}}, %{{.*}}] : memref<2x4x8xf32>
// CHECK-NOT:     arith.cmpi
// CHECK:         loop.for %{{.*}} = %c0 to %c2 step %c1 {
// CHECK-NEXT:      loop.for %{{.*}} = %c0 to %c2 step %c1 {
// CHECK-NOT:     arith.cmpi
// CHECK:             memref.store %{{.*}}, %out0[%[[N]], %{{.*}}, %{{.*}}] : memref<2x8x8xf32>
func.func @batch(%x: tensor<2x8x4xf32>, %w: tensor<2x4x8xf32>) -> tensor<2x8x8xf32> {
  %c = tensor.compute (%n, %i, %j) reduce add (%k) in [4] init 0.0 schedule<tile = [1, 4, 4, 2], register = [1, 2, 2, 1], blocks = [0, 1, 2]> : tensor<2x8x8xf32> {
    %a = tensor.read %x[%n, %i, %k] : tensor<2x8x4xf32>
    %b = tensor.read %w[%n, %k, %j] : tensor<2x4x8xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<2x8x8xf32>
}

// -----

// A transposed lhs, xt[k, i]: consecutive threads stage consecutive i instead.
// CHECK-LABEL: func.func @transposed
// CHECK:       %[[E:.*]] = arith.addi %thread, %{{.*}} : index
// CHECK-NEXT:  %[[P:.*]] = arith.remui %[[E]], %c8 : index
// CHECK-NEXT:  %[[KK:.*]] = arith.divui %[[E]], %c8 : index
// CHECK-NEXT:  %[[K:.*]] = arith.addi %k0, %[[KK]] : index
// CHECK-NEXT:  %[[M:.*]] = arith.addi %i0, %[[P]] : index
// CHECK-NEXT:  %[[V:.*]] = memref.load %xt[%[[K]], %[[M]]] : memref<4x8xf32>
// CHECK-NEXT:  memref.store %[[V]], %a_tile[%[[KK]], %[[P]]]
func.func @transposed(%xt: tensor<4x8xf32>, %w: tensor<4x8xf32>) -> tensor<8x8xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [4] init 0.0 schedule<tile = [8, 8, 4], register = [2, 2, 1], blocks = [0, 1]> : tensor<8x8xf32> {
    %a = tensor.read %xt[%k, %i] : tensor<4x8xf32>
    %b = tensor.read %w[%k, %j] : tensor<4x8xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<8x8xf32>
}
