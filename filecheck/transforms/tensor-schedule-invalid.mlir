// RUN: not dlc-opt %s -p 'tensor-schedule{override="bogus: pack = []"}' 2>&1 | filecheck %s --check-prefix=SELECTOR
// RUN: not dlc-opt %s -p 'tensor-schedule{override="*: pak = [1]"}' 2>&1 | filecheck %s --check-prefix=FIELD
// RUN: not dlc-opt %s -p 'tensor-schedule{override="%%c: pack = [7]"}' 2>&1 | filecheck %s --check-prefix=READ
// RUN: not dlc-opt %s -p 'tensor-schedule{target=avx512 override="contraction: register = [4, 24, 1]"}' 2>&1 | filecheck %s --check-prefix=WIDTH
// RUN: not dlc-opt %s -p 'tensor-schedule{override="contraction#0: tile = [0, 20, 0], register = [1, 16, 1], vectorize = 16"}' 2>&1 | filecheck %s --check-prefix=TILE
// RUN: not dlc-opt %s -p 'tensor-schedule{target=arm}' 2>&1 | filecheck %s --check-prefix=TARGET

// Every override mistake is reported, naming the rule, the field or the compute.

// SELECTOR: error: tensor-schedule: override rule 'bogus: pack = []' must be 'selector: field = value, ...' with a selector %name, kind#n, kind or * (kinds: contraction, elementwise, reduction)
// FIELD: error: tensor-schedule: override rule '*: pak = [1]': #tensor.schedule: unknown field 'pak', expected tile, parallel, vectorize, unroll, register, pack or blocks
// READ: tensor-schedule-invalid.mlir:[[# @LINE + 5]]:3: error: tensor-schedule: tensor.compute: schedule packs read 7, but the body has 2 reads (numbered from 0 in textual order)
// WIDTH: error: tensor-schedule: tensor.compute: schedule register factor 24 of the innermost output loop must be a multiple of the vector width 16
// TILE: error: tensor-schedule: tensor.compute: schedule tile size 20 of loop 1 must be a multiple of its register factor 16
// TARGET: error: tensor-schedule: unknown target 'arm', expected host, avx512, avx2, sse
func.func @matmul(%x: tensor<64x784xf32>, %w: tensor<784x1024xf32>) -> tensor<64x1024xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [784] init 0.0 : tensor<64x1024xf32> {
    %a = tensor.read %x[%i, %k] : tensor<64x784xf32>
    %b = tensor.read %w[%k, %j] : tensor<784x1024xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<64x1024xf32>
}
