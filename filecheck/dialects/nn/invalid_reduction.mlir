// RUN: dlc-opt %s --split-input-file --verify-diagnostics

func.func @no_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.reduce_sum: axes must name at least one dimension, got none}}
  %0 = nn.reduce_sum %x {axes = array<i64>} : tensor<2x3xf32> -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @axes_missing(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{property 'axes' expected in operation 'nn.reduce_sum'}}
  %0 = nn.reduce_sum %x : tensor<2x3xf32> -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @axes_not_an_i64_array(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.reduce_mean: property 'axes' must be an array<i64: ...>, got 1 : i64}}
  %0 = nn.reduce_mean %x {axes = 1} : tensor<2x3xf32> -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.reduce_max: axis -3 is out of range for rank 2 (expected -2 <= axis < 2)}}
  %0 = nn.reduce_max %x {axes = array<i64: -3>} : tensor<2x3xf32> -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @axis_named_twice(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.reduce_sum: axes [1, -1] name a dimension twice for input tensor<2x3xf32>}}
  %0 = nn.reduce_sum %x {axes = array<i64: 1, -1>} : tensor<2x3xf32> -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @keepdims_with_value(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{nn.reduce_sum: property 'keepdims' is a flag: write 'keepdims' or leave it out, got keepdims = true}}
  %0 = nn.reduce_sum %x {axes = array<i64: 1>, keepdims = true} : tensor<2x3xf32> -> tensor<2x1xf32>
  func.return %0 : tensor<2x1xf32>
}

// -----

func.func @result_without_keepdims(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{nn.reduce_mean: result type should be tensor<2xf32> (inferred from operands tensor<2x3xf32>), but is tensor<2x1xf32>}}
  %0 = nn.reduce_mean %x {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<2x1xf32>
  func.return %0 : tensor<2x1xf32>
}

// -----

func.func @rank0_input(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{nn.reduce_sum: axis 0 is out of range for rank 0}}
  %0 = nn.reduce_sum %x {axes = array<i64: 0>} : tensor<f32> -> tensor<f32>
  func.return %0 : tensor<f32>
}
