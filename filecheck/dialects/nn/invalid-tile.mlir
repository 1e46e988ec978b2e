// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier message of nn.tile (dlc/dialects/nn/tile.py).

func.func @repeats_missing(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{property 'repeats' expected in operation 'nn.tile'}}
  %0 = nn.tile %x : tensor<2x3xf32> -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @repeats_not_an_array(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.tile: property 'repeats' must be an array<i64: ...>, got 2 : i64}}
  %0 = nn.tile %x {repeats = 2} : tensor<2x3xf32> -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @repeats_per_dim(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{nn.tile: repeats [2] must have one count per dim of the input tensor<2x3xf32>}}
  %0 = nn.tile %x {repeats = array<i64: 2>} : tensor<2x3xf32> -> tensor<4x3xf32>
  func.return %0 : tensor<4x3xf32>
}

// -----

func.func @repeats_negative(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.tile: repeats [1, -1] must not be negative}}
  %0 = nn.tile %x {repeats = array<i64: 1, -1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @dynamic_input(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{nn.tile input must have a static shape, got tensor<?x3xf32>}}
  %0 = nn.tile %x {repeats = array<i64: 1, 1>} : tensor<?x3xf32> -> tensor<?x3xf32>
  func.return %0 : tensor<?x3xf32>
}

// -----

func.func @unsigned_input(%x: tensor<2xui8>) -> tensor<2xui8> {
  // expected-error @+1 {{nn.tile input must have element type f16, f32, f64, i1, i8, i32 or i64, got tensor<2xui8> (integers are signless: write i8)}}
  %0 = nn.tile %x {repeats = array<i64: 1>} : tensor<2xui8> -> tensor<2xui8>
  func.return %0 : tensor<2xui8>
}

// -----

func.func @result_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.tile: result type should be tensor<4x3xf32> (inferred from operands tensor<2x3xf32>), but is tensor<2x3xf32>}}
  %0 = nn.tile %x {repeats = array<i64: 2, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
