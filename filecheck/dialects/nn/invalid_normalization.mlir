// RUN: dlc-opt %s --split-input-file --verify-diagnostics

func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.softmax: axis 2 is out of range for rank 2 (expected -2 <= axis < 2)}}
  %0 = nn.softmax %x {axis = 2} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @log_softmax_of_rank0(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{nn.log_softmax: axis -1 is out of range for rank 0}}
  %0 = nn.log_softmax %x : tensor<f32>
  func.return %0 : tensor<f32>
}

// -----

func.func @softmax_axis_not_an_integer(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.softmax: property 'axis' must be an integer, got 1.000000e+00 : f64}}
  %0 = nn.softmax %x {axis = 1.0} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_result_type(%x: tensor<2x3xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{nn.softmax: result type should be tensor<2x3xf32> (inferred from operands tensor<2x3xf32>), but is tensor<2x3xf16>}}
  %0 = "nn.softmax"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf16>
  func.return %0 : tensor<2x3xf16>
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<2x8x16xf32>, %g: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{nn.layer_norm: scale must have the normalized shape [16] (input dims [2, rank) of tensor<2x8x16xf32>), got tensor<8x16xf32>}}
  %0 = nn.layer_norm %x, %g, %b : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  func.return %0 : tensor<2x8x16xf32>
}

// -----

func.func @layer_norm_bias_shape(%x: tensor<2x8x16xf32>, %g: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{nn.layer_norm: bias must have the normalized shape [8, 16] (input dims [1, rank) of tensor<2x8x16xf32>), got tensor<16xf32>}}
  %0 = nn.layer_norm %x, %g, %b {axis = 1} : (tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  func.return %0 : tensor<2x8x16xf32>
}

// -----

func.func @layer_norm_element_types(%x: tensor<2x16xf32>, %g: tensor<16xf16>, %b: tensor<16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{nn.layer_norm operands must share one element type, got tensor<2x16xf32>, tensor<16xf16>, tensor<16xf32>}}
  %0 = nn.layer_norm %x, %g, %b : (tensor<2x16xf32>, tensor<16xf16>, tensor<16xf32>) -> tensor<2x16xf32>
  func.return %0 : tensor<2x16xf32>
}

// -----

func.func @rms_norm_negative_epsilon(%x: tensor<2x16xf32>, %g: tensor<16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{nn.rms_norm: epsilon must be finite and >= 0, got -1e-05}}
  %0 = nn.rms_norm %x, %g {epsilon = -1.0e-05} : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  func.return %0 : tensor<2x16xf32>
}

// -----

func.func @rms_norm_axis_out_of_range(%x: tensor<2x16xf32>, %g: tensor<16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{nn.rms_norm: axis -3 is out of range for rank 2 (expected -2 <= axis < 2)}}
  %0 = nn.rms_norm %x, %g {axis = -3} : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  func.return %0 : tensor<2x16xf32>
}

// -----

func.func @rms_norm_epsilon_not_a_float(%x: tensor<2x16xf32>, %g: tensor<16xf32>) -> tensor<2x16xf32> {
  // expected-error @+1 {{nn.rms_norm: property 'epsilon' must be a float, got "small"}}
  %0 = nn.rms_norm %x, %g {epsilon = "small"} : (tensor<2x16xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  func.return %0 : tensor<2x16xf32>
}

// -----

func.func @batch_norm_rank1(%x: tensor<3xf32>, %p: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{nn.batch_norm: input must have rank >= 2 (N x C x ...), got tensor<3xf32>}}
  %0 = nn.batch_norm %x, %p, %p, %p, %p : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @batch_norm_variance_shape(%x: tensor<1x3x4x4xf32>, %p: tensor<3xf32>, %v: tensor<4xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{nn.batch_norm: variance must have shape [3] (the channels, dim 1 of tensor<1x3x4x4xf32>), got tensor<4xf32>}}
  %0 = nn.batch_norm %x, %p, %p, %p, %v : (tensor<1x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x3x4x4xf32>
  func.return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @batch_norm_epsilon_nan(%x: tensor<1x3xf32>, %p: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{nn.batch_norm: epsilon must be finite and >= 0, got nan}}
  %0 = nn.batch_norm %x, %p, %p, %p, %p {epsilon = 0x7FF8000000000000 : f64} : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  func.return %0 : tensor<1x3xf32>
}
