// RUN: dlc-opt %s --split-input-file -p 'loop-tile{sizes=2,4}' | filecheck %s
// RUN: dlc-opt %s --split-input-file -p 'loop-tile{sizes=8,8,2,4 levels=2}' | filecheck %s --check-prefix=TWO
// RUN: dlc-opt %s --split-input-file -p 'loop-tile{sizes=2,4 debug=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REMARK

// loop-tile splits each loop of a band of perfectly nested loops into a tile
// loop and a point loop; the tile loops go outside. The point loop of a tile
// ends at min(tile + size, ub) unless the size divides the range. Annotations
// of the original loops stay on their point loops.

func.func @copy(%X: memref<5x8xf32>, %Y: memref<5x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  loop.for %i = %c0 to %c5 step %c1 {
    loop.for %j = %c0 to %c8 step %c1 {
      %x = memref.load %X[%i, %j] : memref<5x8xf32>
      memref.store %x, %Y[%i, %j] : memref<5x8xf32>
    } {vectorize = 4 : i64}
  }
  func.return
}
// CHECK-LABEL: func.func @copy
// CHECK:         %c2 = arith.constant 2 : index
// CHECK-NEXT:    %c4 = arith.constant 4 : index
// CHECK-NEXT:    loop.for %i_tile = %c0 to %c5 step %c2 {
// CHECK-NEXT:      loop.for %j_tile = %c0 to %c8 step %c4 {
// CHECK-NEXT:        %i_next_tile = arith.addi %i_tile, %c2 : index
// CHECK-NEXT:        %i_end = arith.minsi %i_next_tile, %c5 : index
// CHECK-NEXT:        %j_end = arith.addi %j_tile, %c4 : index
// CHECK-NEXT:        loop.for %i = %i_tile to %i_end step %c1 {
// CHECK-NEXT:          loop.for %j = %j_tile to %j_end step %c1 {
// CHECK-NEXT:            %x = memref.load %X[%i, %j] : memref<5x8xf32>
// CHECK-NEXT:            memref.store %x, %Y[%i, %j] : memref<5x8xf32>
// CHECK-NEXT:          } {vectorize = 4 : i64}
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }

// Two levels: the point loops of the first level are tiled again; 2 and 4 divide
// the tiles of 8 that fit, so only the cut tiles of i need a min.
// TWO-LABEL:   func.func @copy
// TWO:           loop.for %i_tile = %c0 to %c5 step %[[I8:.*]] {
// TWO-NEXT:        loop.for %j_tile = %c0 to %c8 step %[[J8:.*]] {
// TWO-NEXT:          %i_next_tile = arith.addi %i_tile, %[[I8]] : index
// TWO-NEXT:          %i_end = arith.minsi %i_next_tile, %c5 : index
// TWO-NEXT:          %j_end = arith.addi %j_tile, %[[J8]] : index
// TWO-NEXT:          %c2 = arith.constant 2 : index
// TWO-NEXT:          %c4 = arith.constant 4 : index
// TWO-NEXT:          loop.for %i_tile_1 = %i_tile to %i_end step %c2 {
// TWO-NEXT:            loop.for %j_tile_1 = %j_tile to %j_end step %c4 {
// TWO-NEXT:              %i_next_tile_1 = arith.addi %i_tile_1, %c2 : index
// TWO-NEXT:              %i_end_1 = arith.minsi %i_next_tile_1, %i_end : index
// TWO-NEXT:              %j_end_1 = arith.addi %j_tile_1, %c4 : index
// TWO-NEXT:              loop.for %i = %i_tile_1 to %i_end_1 step %c1 {
// TWO-NEXT:                loop.for %j = %j_tile_1 to %j_end_1 step %c1 {

// -----

// A loop.parallel band tiles into parallel tile and point loops. A `tile`
// annotation gives the band its own sizes (here one level of 3 x 0: the second
// dim is not tiled) and is consumed.

func.func @parallel(%X: memref<7x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  loop.parallel (%i, %j) = (%c0, %c0) to (%c7, %c6) step (%c1, %c1) {
    %x = memref.load %X[%i, %j] : memref<7x6xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %X[%i, %j] : memref<7x6xf32>
  } {tile = array<i64: 3, 0>}
  func.return
}
// CHECK-LABEL: func.func @parallel
// CHECK:         %c3 = arith.constant 3 : index
// CHECK-NEXT:    loop.parallel (%i_tile) = (%c0) to (%c7) step (%c3) {
// CHECK-NEXT:      %i_next_tile = arith.addi %i_tile, %c3 : index
// CHECK-NEXT:      %i_end = arith.minsi %i_next_tile, %c7 : index
// CHECK-NEXT:      loop.parallel (%i, %j) = (%i_tile, %c0) to (%i_end, %c6) step (%c1, %c1) {
// CHECK-NOT:     tile =

// -----

// A loop with iter_args is a band on its own, strip-mined in order: the tile
// loop carries the accumulator across tiles.

func.func @sum(%X: memref<10xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %zero = arith.constant 0.0 : f32
  %s = loop.for %k = %c0 to %c10 step %c1 iter_args(%acc = %zero) -> (f32) {
    %x = memref.load %X[%k] : memref<10xf32>
    %n = arith.addf %acc, %x : f32
    loop.yield %n : f32
  } {tile = array<i64: 4>}
  func.return %s : f32
}
// CHECK-LABEL: func.func @sum
// CHECK:         %s = loop.for %k_tile = %c0 to %c10 step %c4 iter_args(%acc = %zero) -> (f32) {
// CHECK-NEXT:      %k_next_tile = arith.addi %k_tile, %c4 : index
// CHECK-NEXT:      %k_end = arith.minsi %k_next_tile, %c10 : index
// CHECK-NEXT:      %s_1 = loop.for %k = %k_tile to %k_end step %c1 iter_args(%acc_1 = %acc) -> (f32) {
// CHECK-NEXT:        %x = memref.load %X[%k] : memref<10xf32>
// CHECK-NEXT:        %n = arith.addf %acc_1, %x : f32
// CHECK-NEXT:        loop.yield %n : f32
// CHECK-NEXT:      }
// CHECK-NEXT:      loop.yield %s_1 : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %s : f32

// -----

// Tiling the inner loop moves iterations of the outer loop past it: refused when
// one element is written by several iterations (here, a row sum).

func.func @rows(%X: memref<4x6xf32>, %Y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c6 = arith.constant 6 : index
  loop.for %i = %c0 to %c4 step %c1 {
    loop.for %j = %c0 to %c6 step %c1 {
      %x = memref.load %X[%i, %j] : memref<4x6xf32>
      %y = memref.load %Y[%i] : memref<4xf32>
      %s = arith.addf %x, %y : f32
      memref.store %s, %Y[%i] : memref<4xf32>
    }
  }
  func.return
}
// CHECK-LABEL: func.func @rows
// CHECK-NEXT:    %c0 = arith.constant 0 : index
// CHECK-NEXT:    %c1 = arith.constant 1 : index
// CHECK-NEXT:    %c4 = arith.constant 4 : index
// CHECK-NEXT:    %c6 = arith.constant 6 : index
// CHECK-NEXT:    loop.for %i = %c0 to %c4 step %c1 {
// CHECK-NEXT:      loop.for %j = %c0 to %c6 step %c1 {
// REMARK: remark: loop-tile: not tiled: memref.store writes one element at several iterations: an index does not use every loop index
