// RUN: dlc-opt %s --split-input-file --verify-diagnostics

func.func @result_type_differs_from_input(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{nn.relu: result type should be tensor<2x3xf32> (inferred from operands tensor<2x3xf32>), but is tensor<3x2xf32>}}
  %0 = "nn.relu"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// -----

func.func @integer_element_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{nn.exp input must have element type f16, f32 or f64, got tensor<4xi32>}}
  %0 = nn.exp %x : tensor<4xi32>
  func.return %0 : tensor<4xi32>
}

// -----

func.func @dynamic_shape(%x: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{nn.sigmoid input must have a static shape, got tensor<?xf32>}}
  %0 = nn.sigmoid %x : tensor<?xf32>
  func.return %0 : tensor<?xf32>
}

// -----

func.func @leaky_relu_alpha_not_a_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.leaky_relu: property 'alpha' must be a float, got "0.1"}}
  %0 = nn.leaky_relu %x {alpha = "0.1"} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @leaky_relu_alpha_infinite(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.leaky_relu: alpha must be finite, got inf}}
  %0 = nn.leaky_relu %x {alpha = 0x7FF0000000000000 : f64} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @gelu_unknown_approximation(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.gelu: approximate must be "none" or "tanh", got "erf"}}
  %0 = nn.gelu %x {approximate = "erf"} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @gelu_approximation_not_a_string(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.gelu: property 'approximate' must be a string, got 1 : i64}}
  %0 = nn.gelu %x {approximate = 1} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @clip_min_above_max(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.clip: min 6.0 must not exceed max 0.0}}
  %0 = nn.clip %x {min = 6.0, max = 0.0} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @clip_nan_bound(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.clip: max must be a number, got nan}}
  %0 = nn.clip %x {max = 0x7FF8000000000000 : f64} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @binary_shapes_do_not_broadcast(%a: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{nn.add: operand shapes do not broadcast: tensor<4x3xf32> and tensor<4xf32>}}
  %0 = nn.add %a, %b : (tensor<4x3xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  func.return %0 : tensor<4x4xf32>
}

// -----

func.func @binary_element_types_differ(%a: tensor<4xf32>, %b: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.mul operands must share one element type, got tensor<4xf32>, tensor<4xf16>}}
  %0 = nn.mul %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @binary_result_type(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x1xf32> {
  // expected-error @+1 {{nn.pow: result type should be tensor<4x3xf32> (inferred from operands tensor<4x1xf32>, tensor<3xf32>), but is tensor<4x1xf32>}}
  %0 = nn.pow %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x1xf32>
  func.return %0 : tensor<4x1xf32>
}
