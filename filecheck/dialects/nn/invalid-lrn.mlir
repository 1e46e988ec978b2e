// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier message of nn.lrn (dlc/dialects/nn/lrn.py).

func.func @size_missing(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{property 'size' expected in operation 'nn.lrn'}}
  %0 = nn.lrn %x : tensor<1x3x4x4xf32>
  func.return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @size_not_an_integer(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{nn.lrn: property 'size' must be an integer, got 3.000000e+00 : f64}}
  %0 = nn.lrn %x {size = 3.0} : tensor<1x3x4x4xf32>
  func.return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @size_zero(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{nn.lrn: size must be at least 1, got 0}}
  %0 = nn.lrn %x {size = 0} : tensor<1x3x4x4xf32>
  func.return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @rank_one(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{nn.lrn: input must have rank at least 2 (N x C x ...), got tensor<3xf32>}}
  %0 = nn.lrn %x {size = 3} : tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @beta_not_a_float(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{nn.lrn: property 'beta' must be a float, got "0.75"}}
  %0 = nn.lrn %x {size = 3, beta = "0.75"} : tensor<1x3xf32>
  func.return %0 : tensor<1x3xf32>
}

// -----

func.func @alpha_infinite(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{nn.lrn: alpha must be finite, got inf}}
  %0 = nn.lrn %x {size = 3, alpha = 0x7FF0000000000000 : f64} : tensor<1x3xf32>
  func.return %0 : tensor<1x3xf32>
}

// -----

func.func @integer_input(%x: tensor<1x3xi32>) -> tensor<1x3xi32> {
  // expected-error @+1 {{nn.lrn input must have element type f16, f32 or f64, got tensor<1x3xi32>}}
  %0 = nn.lrn %x {size = 3} : tensor<1x3xi32>
  func.return %0 : tensor<1x3xi32>
}

// -----

func.func @result_type(%x: tensor<1x3xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{nn.lrn: result type should be tensor<1x3xf32> (inferred from operands tensor<1x3xf32>), but is tensor<1x4xf32>}}
  %0 = "nn.lrn"(%x) <{size = 3 : i64}> : (tensor<1x3xf32>) -> tensor<1x4xf32>
  func.return %0 : tensor<1x4xf32>
}
