// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier message of the float activations
// (dlc/dialects/nn/activation.py).

func.func @result_type_differs_from_input(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{nn.erf: result type should be tensor<2x3xf32> (inferred from operands tensor<2x3xf32>), but is tensor<3x2xf32>}}
  %0 = "nn.erf"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// -----

func.func @integer_element_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{nn.erf input must have element type f16, f32 or f64, got tensor<4xi32>}}
  %0 = nn.erf %x : tensor<4xi32>
  func.return %0 : tensor<4xi32>
}

// -----

// abs takes integers too, not booleans.
func.func @abs_of_booleans(%x: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{nn.abs input must have element type f16, f32, f64, i8, i32 or i64, got tensor<4xi1>}}
  %0 = nn.abs %x : tensor<4xi1>
  func.return %0 : tensor<4xi1>
}

// -----

func.func @dynamic_shape(%x: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{nn.softplus input must have a static shape, got tensor<?xf32>}}
  %0 = nn.softplus %x : tensor<?xf32>
  func.return %0 : tensor<?xf32>
}

// -----

func.func @parameter_not_a_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.elu: property 'alpha' must be a float, got "1.0"}}
  %0 = nn.elu %x {alpha = "1.0"} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @parameter_infinite(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.selu: gamma must be finite, got inf}}
  %0 = nn.selu %x {gamma = 0x7FF0000000000000 : f64} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @parameter_nan(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.hard_sigmoid: beta must be finite, got nan}}
  %0 = nn.hard_sigmoid %x {beta = 0x7FF8000000000000 : f64} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// hard_swish's alpha and beta are fixed by ONNX; they are not properties.
func.func @unknown_parameter(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.hard_swish: unknown property 'alpha' (expected one of: none)}}
  %0 = nn.hard_swish %x {alpha = 0.2} : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @prelu_slope_grows_the_input(%x: tensor<3xf32>, %s: tensor<2x3xf32>)
    -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.prelu: slope tensor<2x3xf32> must broadcast to the input's shape (unidirectionally), input tensor<3xf32>}}
  %0 = nn.prelu %x, %s : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @prelu_slope_does_not_broadcast(%x: tensor<2x3xf32>, %s: tensor<2xf32>)
    -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.prelu: slope tensor<2xf32> must broadcast to the input's shape (unidirectionally), input tensor<2x3xf32>}}
  %0 = nn.prelu %x, %s : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @prelu_element_types_differ(%x: tensor<3xf32>, %s: tensor<3xf64>)
    -> tensor<3xf32> {
  // expected-error @+1 {{nn.prelu operands must share one element type, got tensor<3xf32>, tensor<3xf64>}}
  %0 = nn.prelu %x, %s : (tensor<3xf32>, tensor<3xf64>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @prelu_integer_slope(%x: tensor<3xf32>, %s: tensor<3xi32>) -> tensor<3xf32> {
  // expected-error @+1 {{nn.prelu slope must have element type f16, f32 or f64, got tensor<3xi32>}}
  %0 = nn.prelu %x, %s : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @prelu_result_type(%x: tensor<3xf32>, %s: tensor<1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{nn.prelu: result type should be tensor<3xf32> (inferred from operands tensor<3xf32>, tensor<1xf32>), but is tensor<1xf32>}}
  %0 = nn.prelu %x, %s : (tensor<3xf32>, tensor<1xf32>) -> tensor<1xf32>
  func.return %0 : tensor<1xf32>
}
