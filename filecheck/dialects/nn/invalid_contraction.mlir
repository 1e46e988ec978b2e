// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier error of nn.matmul, nn.dense and nn.conv2d.

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{nn.matmul: lhs must have rank >= 1, got tensor<f32>}}
  %0 = nn.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @matmul_k(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+1 {{nn.matmul: contracted dims differ: lhs last dim is 4 but rhs second-to-last dim is 5, lhs tensor<3x4xf32>, rhs tensor<5x6xf32>}}
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
  func.return
}

// -----

func.func @matmul_k_vector(%a: tensor<3x4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{nn.matmul: contracted dims differ: lhs last dim is 4 but rhs first dim is 5}}
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<5xf32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @matmul_batch(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+1 {{nn.matmul: batch dims [2] and [3] do not broadcast, lhs tensor<2x3x4xf32>, rhs tensor<3x4x5xf32>}}
  %0 = nn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  func.return
}

// -----

func.func @matmul_element_types(%a: tensor<3x4xf32>, %b: tensor<4x5xf64>) {
  // expected-error @+1 {{nn.matmul operands must share one element type, got tensor<3x4xf32>, tensor<4x5xf64>}}
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf64>) -> tensor<3x5xf32>
  func.return
}

// -----

func.func @matmul_integer(%a: tensor<3x4xi32>, %b: tensor<4x5xi32>) {
  // expected-error @+1 {{nn.matmul lhs must have element type f16, f32 or f64, got tensor<3x4xi32>}}
  %0 = nn.matmul %a, %b : (tensor<3x4xi32>, tensor<4x5xi32>) -> tensor<3x5xi32>
  func.return
}

// -----

func.func @matmul_result(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{nn.matmul: result type should be tensor<3x5xf32> (inferred from operands tensor<3x4xf32>, tensor<4x5xf32>), but is tensor<5x3xf32>}}
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<5x3xf32>
  func.return
}

// -----

func.func @dense_scalar(%x: tensor<f32>, %w: tensor<4x5xf32>) {
  // expected-error @+1 {{nn.dense: input must have rank >= 1 [..., K], got tensor<f32>}}
  %0 = nn.dense %x, %w : (tensor<f32>, tensor<4x5xf32>) -> tensor<5xf32>
  func.return
}

// -----

func.func @dense_weight_rank(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{nn.dense: weight must be 2-D [K, N], got tensor<4xf32>}}
  %0 = nn.dense %x, %w : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2xf32>
  func.return
}

// -----

func.func @dense_k(%x: tensor<2x3xf32>, %w: tensor<4x5xf32>) {
  // expected-error @+1 {{nn.dense: input last dim 3 must equal weight first dim 4 (K), input tensor<2x3xf32>, weight tensor<4x5xf32>}}
  %0 = nn.dense %x, %w : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  func.return
}

// -----

func.func @dense_bias(%x: tensor<2x4xf32>, %w: tensor<4x5xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{nn.dense: bias must have shape [5] (one value per output channel of weight tensor<4x5xf32>), got tensor<4xf32>}}
  %0 = nn.dense %x, %w, %b : (tensor<2x4xf32>, tensor<4x5xf32>, tensor<4xf32>) -> tensor<2x5xf32>
  func.return
}

// -----

func.func @dense_dynamic(%x: tensor<?x4xf32>, %w: tensor<4x5xf32>) {
  // expected-error @+1 {{nn.dense input must have a static shape, got tensor<?x4xf32>}}
  %0 = nn.dense %x, %w : (tensor<?x4xf32>, tensor<4x5xf32>) -> tensor<?x5xf32>
  func.return
}

// -----

func.func @conv_input_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: input must be 4-D [N, C, H, W], got tensor<3x8x8xf32>}}
  %0 = nn.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: weight must be 4-D [O, C/groups, KH, KW], got tensor<4x3x3xf32>}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: input channels 3 must equal weight channels 4 times groups 1, input tensor<1x3x8x8xf32>, weight tensor<8x4x3x3xf32>}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  func.return
}

// -----

func.func @conv_groups_divide_outputs(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: output channels 6 (weight dim 0) must be divisible by groups 4, input tensor<1x4x8x8xf32>, weight tensor<6x1x3x3xf32>}}
  %0 = nn.conv2d %x, %w {groups = 4} : (tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x6x6xf32>
  func.return
}

// -----

func.func @conv_groups_positive(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: groups must be positive, got 0}}
  %0 = nn.conv2d %x, %w {groups = 0} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_groups_kind(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: property 'groups' must be an integer, got 2.000000e+00 : f64}}
  %0 = nn.conv2d %x, %w {groups = 2.0} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{nn.conv2d: bias must have shape [4] (one value per output channel of weight tensor<4x3x3x3xf32>), got tensor<3xf32>}}
  %0 = nn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_element_types(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf64>) {
  // expected-error @+1 {{nn.conv2d operands must share one element type, got tensor<1x3x8x8xf32>, tensor<4x3x3x3xf64>}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf64>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_strides_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: strides must have 2 entries [h, w], got 1: [2]}}
  %0 = nn.conv2d %x, %w {strides = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}

// -----

func.func @conv_strides_positive(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: strides must be positive, got [0, 1]}}
  %0 = nn.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_strides_kind(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: property 'strides' must be an array<i64: ...>, got [1 : i64, 1 : i64]}}
  %0 = nn.conv2d %x, %w {strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_dilations_positive(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: dilations must be positive, got [1, -1]}}
  %0 = nn.conv2d %x, %w {dilations = array<i64: 1, -1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}

// -----

func.func @conv_padding_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: padding must have 4 entries [top, left, bottom, right], got 2: [1, 1]}}
  %0 = nn.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  func.return
}

// -----

func.func @conv_padding_negative(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: padding must be non-negative, got [0, 0, -1, 0]}}
  %0 = nn.conv2d %x, %w {padding = array<i64: 0, 0, -1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x6xf32>
  func.return
}

// -----

func.func @conv_window(%x: tensor<1x3x4x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: window height 5 (kernel 3, dilation 2) is larger than the padded input height 4 (4 + padding 0 + 0), input tensor<1x3x4x8xf32>, weight tensor<4x3x3x3xf32>}}
  %0 = nn.conv2d %x, %w {dilations = array<i64: 2, 1>} : (tensor<1x3x4x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x6xf32>
  func.return
}

// -----

func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{nn.conv2d: result type should be tensor<1x4x4x4xf32> (inferred from operands tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>), but is tensor<1x4x3x3xf32>}}
  %0 = nn.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
