// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// nn.gather: read the index, make it a position in [0, n) (negative ones count from
// the end, others are clamped), read the data there. The read needs no pad value:
// the clamp keeps it in bounds whatever the indices hold.

func.func @gather_rows(%x: tensor<5x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  %r = nn.gather %x, %i : (tensor<5x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}
// CHECK-LABEL: func.func @gather_rows(%x: tensor<5x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%i0, %i1) : tensor<2x3xf32> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %i[%i0] : tensor<2xi64>
// CHECK-NEXT:     %[[INDEX_CAST:[0-9]+]] = arith.index_cast %[[READ]] : i64 to index
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[CMPI:[0-9]+]] = arith.cmpi slt, %[[INDEX_CAST]], %[[CONSTANT]] : index
// CHECK-NEXT:     %[[CONSTANT2:[0-9]+]] = arith.constant 5 : index
// CHECK-NEXT:     %[[ADDI:[0-9]+]] = arith.addi %[[INDEX_CAST]], %[[CONSTANT2]] : index
// CHECK-NEXT:     %[[SELECT:[0-9]+]] = arith.select %[[CMPI]], %[[ADDI]], %[[INDEX_CAST]] : index
// CHECK-NEXT:     %[[MAXSI:[0-9]+]] = arith.maxsi %[[SELECT]], %[[CONSTANT]] : index
// CHECK-NEXT:     %[[CONSTANT3:[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     %[[MINSI:[0-9]+]] = arith.minsi %[[MAXSI]], %[[CONSTANT3]] : index
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %x[%[[MINSI]], %i1] : tensor<5x3xf32>
// CHECK-NEXT:     tensor.yield %[[READ2]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x3xf32>
// CHECK-NEXT: }

// -----

// A rank-0 index along the last axis drops that dim; i32 indices are cast too.

func.func @gather_scalar_index(%x: tensor<2x4xi8>, %k: tensor<i32>) -> tensor<2xi8> {
  %r = nn.gather %x, %k {axis = -1} : (tensor<2x4xi8>, tensor<i32>) -> tensor<2xi8>
  func.return %r : tensor<2xi8>
}
// CHECK-LABEL: func.func @gather_scalar_index(%x: tensor<2x4xi8>, %k: tensor<i32>) -> tensor<2xi8> {
// CHECK-NEXT:   %r = tensor.compute (%i0) : tensor<2xi8> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %k[] : tensor<i32>
// CHECK-NEXT:     %[[INDEX_CAST:[0-9]+]] = arith.index_cast %[[READ]] : i32 to index
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[CMPI:[0-9]+]] = arith.cmpi slt, %[[INDEX_CAST]], %[[CONSTANT]] : index
// CHECK-NEXT:     %[[CONSTANT2:[0-9]+]] = arith.constant 4 : index
// CHECK-NEXT:     %[[ADDI:[0-9]+]] = arith.addi %[[INDEX_CAST]], %[[CONSTANT2]] : index
// CHECK-NEXT:     %[[SELECT:[0-9]+]] = arith.select %[[CMPI]], %[[ADDI]], %[[INDEX_CAST]] : index
// CHECK-NEXT:     %[[MAXSI:[0-9]+]] = arith.maxsi %[[SELECT]], %[[CONSTANT]] : index
// CHECK-NEXT:     %[[CONSTANT3:[0-9]+]] = arith.constant 3 : index
// CHECK-NEXT:     %[[MINSI:[0-9]+]] = arith.minsi %[[MAXSI]], %[[CONSTANT3]] : index
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %x[%i0, %[[MINSI]]] : tensor<2x4xi8>
// CHECK-NEXT:     tensor.yield %[[READ2]] : i8
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2xi8>
// CHECK-NEXT: }
