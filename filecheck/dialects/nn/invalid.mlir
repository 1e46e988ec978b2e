// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// One chunk per nn verifier message. Sections follow the op families of
// dlc/dialects/nn/.

// ===== elementwise ===========================================================

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

// -----

func.func @arithmetic_on_booleans(%a: tensor<3xi1>, %b: tensor<3xi1>) {
  // expected-error @+1 {{nn.add lhs must have element type f16, f32, f64, i8, i32 or i64, got tensor<3xi1>}}
  %0 = nn.add %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  func.return
}

// -----

func.func @pow_of_booleans(%a: tensor<3xi1>, %b: tensor<3xi1>) {
  // expected-error @+1 {{nn.pow lhs must have element type f16, f32, f64, i8, i32 or i64, got tensor<3xi1>}}
  %0 = nn.pow %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  func.return
}

// -----

func.func @integer_and_float_operands(%a: tensor<3xi32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{nn.div operands must share one element type, got tensor<3xi32>, tensor<3xf32>}}
  %0 = nn.div %a, %b : (tensor<3xi32>, tensor<3xf32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @neg_of_i16(%x: tensor<3xi16>) {
  // expected-error @+1 {{nn.neg input must have element type f16, f32, f64, i8, i32 or i64, got tensor<3xi16>}}
  %0 = nn.neg %x : tensor<3xi16>
  func.return
}

// -----

func.func @relu_of_signed_integers(%x: tensor<3xsi32>) {
  // expected-error @+1 {{nn.relu input must have element type f16, f32 or f64, got tensor<3xsi32> (integers are signless: write i32)}}
  %0 = nn.relu %x : tensor<3xsi32>
  func.return
}

// -----

// ===== reduction =============================================================

func.func @mean_of_integers(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{nn.reduce_mean input must have element type f16, f32 or f64, got tensor<2x3xi32>}}
  %0 = nn.reduce_mean %x {axes = array<i64: 1>} : tensor<2x3xi32> -> tensor<2xi32>
  func.return
}

// -----

func.func @product_of_booleans(%x: tensor<2x3xi1>) {
  // expected-error @+1 {{nn.reduce_prod input must have element type f16, f32, f64, i8, i32 or i64, got tensor<2x3xi1>}}
  %0 = nn.reduce_prod %x {axes = array<i64: 1>} : tensor<2x3xi1> -> tensor<2xi1>
  func.return
}

// -----

func.func @reduce_min_result_type(%x: tensor<2x3xi8>) {
  // expected-error @+1 {{nn.reduce_min: result type should be tensor<2xi8> (inferred from operands tensor<2x3xi8>), but is tensor<2xi32>}}
  %0 = nn.reduce_min %x {axes = array<i64: 1>} : tensor<2x3xi8> -> tensor<2xi32>
  func.return
}

// -----

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

// -----

// ===== normalization =========================================================

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

// -----

// ===== contraction ===========================================================

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

// -----

// ===== pooling ===============================================================

// One chunk per verifier error of nn.max_pool2d, nn.avg_pool2d and
// nn.global_avg_pool2d.

func.func @pool_rank(%x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{nn.max_pool2d: input must be 4-D [N, C, H, W], got tensor<3x8x8xf32>}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<3x8x8xf32> -> tensor<3x7x7xf32>
  func.return
}

// -----

func.func @pool_integer(%x: tensor<1x3x8x8xi32>) {
  // expected-error @+1 {{nn.avg_pool2d input must have element type f16, f32 or f64, got tensor<1x3x8x8xi32>}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x8xi32> -> tensor<1x3x7x7xi32>
  func.return
}

// -----

func.func @kernel_missing(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{property 'kernel' expected in operation 'nn.max_pool2d'}}
  %0 = nn.max_pool2d %x : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  func.return
}

// -----

func.func @kernel_kind(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.max_pool2d: property 'kernel' must be an array<i64: ...>, got [2 : i64, 2 : i64]}}
  %0 = nn.max_pool2d %x {kernel = [2, 2]} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @kernel_length(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.avg_pool2d: kernel must have 2 entries [h, w], got 3: [2, 2, 2]}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @kernel_positive(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.max_pool2d: kernel must be positive, got [0, 2]}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 0, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  func.return
}

// -----

func.func @strides_positive(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.avg_pool2d: strides must be positive, got [2, 0]}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  func.return
}

// -----

func.func @dilations_positive(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.max_pool2d: dilations must be positive, got [0, 1]}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>, dilations = array<i64: 0, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @padding_negative(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.max_pool2d: padding must be non-negative, got [-1, 0, 0, 0]}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: -1, 0, 0, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x6x7xf32>
  func.return
}

// -----

func.func @padding_length(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.avg_pool2d: padding must have 4 entries [top, left, bottom, right], got 2: [1, 1]}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x9x9xf32>
  func.return
}

// -----

func.func @padding_not_below_kernel(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.avg_pool2d: padding [0, 0, 0, 2] must be smaller than kernel [3, 2] on each side (top, bottom < 3; left, right < 2), input tensor<1x3x8x8xf32>}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 3, 2>, padding = array<i64: 0, 0, 0, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x6x9xf32>
  func.return
}

// -----

func.func @window_too_large(%x: tensor<1x3x8x4xf32>) {
  // expected-error @+1 {{nn.max_pool2d: window width 7 (kernel 3, dilation 3) is larger than the padded input width 6 (4 + padding 1 + 1), input tensor<1x3x8x4xf32>}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, dilations = array<i64: 1, 3>, padding = array<i64: 0, 1, 0, 1>} : tensor<1x3x8x4xf32> -> tensor<1x3x6x1xf32>
  func.return
}

// -----

func.func @ceil_mode_kind(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.max_pool2d: property 'ceil_mode' is a flag}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 2, 2>, ceil_mode = true} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @count_include_pad_kind(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.avg_pool2d: property 'count_include_pad' is a flag}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2>, count_include_pad = 1} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  func.return
}

// -----

func.func @pool_result(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{nn.max_pool2d: result type should be tensor<1x3x4x4xf32> (inferred from operands tensor<1x3x8x8xf32>), but is tensor<1x3x3x3xf32>}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode} : tensor<1x3x8x8xf32> -> tensor<1x3x3x3xf32>
  func.return
}

// -----

func.func @global_rank(%x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{nn.global_avg_pool2d: input must be 4-D [N, C, H, W], got tensor<3x8x8xf32>}}
  %0 = nn.global_avg_pool2d %x : tensor<3x8x8xf32> -> tensor<3x1x1xf32>
  func.return
}

// -----

func.func @global_result(%x: tensor<2x3x8x8xf32>) {
  // expected-error @+1 {{nn.global_avg_pool2d: result type should be tensor<2x3x1x1xf32> (inferred from operands tensor<2x3x8x8xf32>), but is tensor<2x3xf32>}}
  %0 = nn.global_avg_pool2d %x : tensor<2x3x8x8xf32> -> tensor<2x3xf32>
  func.return
}

// -----

// Padding smaller than the kernel is not enough with dilated taps: this window
// would see only the left and right padding.
func.func @window_of_padding_only(%x: tensor<1x1x1x1xf32>) {
  // expected-error @+1 {{nn.max_pool2d: the window at output width 0 covers only padding (kernel [1, 2], dilations [1, 2], padding [0, 1, 0, 1]), input tensor<1x1x1x1xf32>}}
  %0 = nn.max_pool2d %x {kernel = array<i64: 1, 2>, dilations = array<i64: 1, 2>, padding = array<i64: 0, 1, 0, 1>} : tensor<1x1x1x1xf32> -> tensor<1x1x1x1xf32>
  func.return
}

// -----

// ===== shape =================================================================

func.func @reshape_element_count(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.reshape: shape [2, 5] has 10 elements, but input tensor<3x4xf32> has 12}}
  %0 = nn.reshape %x {shape = array<i64: 2, 5>} : tensor<3x4xf32> -> tensor<2x5xf32>
  func.return
}

// -----

func.func @reshape_negative_dim(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.reshape: shape [-1, 4] must have non-negative dimensions}}
  %0 = nn.reshape %x {shape = array<i64: -1, 4>} : tensor<3x4xf32> -> tensor<3x4xf32>
  func.return
}

// -----

func.func @reshape_wrong_result(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.reshape: result type should be tensor<4x3xf32> (inferred from operands tensor<3x4xf32>), but is tensor<2x6xf32>}}
  %0 = nn.reshape %x {shape = array<i64: 4, 3>} : tensor<3x4xf32> -> tensor<2x6xf32>
  func.return
}

// -----

func.func @reshape_unsigned_input(%x: tensor<3x4xui8>) {
  // expected-error @+1 {{nn.reshape input must have element type f16, f32, f64, i1, i8, i32 or i64, got tensor<3x4xui8> (integers are signless: write i8)}}
  %0 = nn.reshape %x {shape = array<i64: 12>} : tensor<3x4xui8> -> tensor<12xui8>
  func.return
}

// -----

func.func @transpose_perm_length(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.transpose: perm [0] has 1 entries, expected one per dimension of input tensor<3x4xf32> (2)}}
  %0 = nn.transpose %x {perm = array<i64: 0>} : tensor<3x4xf32> -> tensor<3xf32>
  func.return
}

// -----

func.func @transpose_not_a_permutation(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.transpose: perm [1, -1] must be a permutation of [0, 1], input tensor<3x4xf32>}}
  %0 = nn.transpose %x {perm = array<i64: 1, -1>} : tensor<3x4xf32> -> tensor<4x4xf32>
  func.return
}

// -----

func.func @transpose_perm_out_of_range(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.transpose: perm entry 2 is out of range for rank 2 (expected -2 <= perm entry < 2), input tensor<3x4xf32>}}
  %0 = nn.transpose %x {perm = array<i64: 0, 2>} : tensor<3x4xf32> -> tensor<3x4xf32>
  func.return
}

// -----

func.func @flatten_axis_out_of_range(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.flatten: axis -3 is out of range for input tensor<3x4xf32> (expected -2 <= axis <= 2)}}
  %0 = nn.flatten %x {axis = -3} : tensor<3x4xf32> -> tensor<1x12xf32>
  func.return
}

// -----

func.func @squeeze_dim_not_1(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{nn.squeeze: cannot squeeze dimension 1 of size 4 (expected size 1), input tensor<1x4xf32>}}
  %0 = nn.squeeze %x {axes = array<i64: -1>} : tensor<1x4xf32> -> tensor<1xf32>
  func.return
}

// -----

func.func @squeeze_repeated_axis(%x: tensor<1x4xf32>) {
  // expected-error @+1 {{nn.squeeze: axes [0, -2] name an axis twice (normalized [0, 0]), input tensor<1x4xf32>}}
  %0 = nn.squeeze %x {axes = array<i64: 0, -2>} : tensor<1x4xf32> -> tensor<4xf32>
  func.return
}

// -----

func.func @unsqueeze_axis_out_of_range(%x: tensor<4xf32>) {
  // expected-error @+1 {{nn.unsqueeze: axis 2 is out of range for rank 2 (expected -2 <= axis < 2), input tensor<4xf32>}}
  %0 = nn.unsqueeze %x {axes = array<i64: 2>} : tensor<4xf32> -> tensor<4x1xf32>
  func.return
}

// -----

func.func @broadcast_incompatible(%x: tensor<3x2xf32>) {
  // expected-error @+1 {{nn.broadcast_to: input tensor<3x2xf32> does not broadcast to shape [3, 4]}}
  %0 = nn.broadcast_to %x {shape = array<i64: 3, 4>} : tensor<3x2xf32> -> tensor<3x4xf32>
  func.return
}

// -----

func.func @broadcast_to_lower_rank(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{nn.broadcast_to: input tensor<1x3xf32> does not broadcast to shape [3]}}
  %0 = nn.broadcast_to %x {shape = array<i64: 3>} : tensor<1x3xf32> -> tensor<3xf32>
  func.return
}

// -----

func.func @slice_lengths_differ(%x: tensor<5xf32>) {
  // expected-error @+1 {{nn.slice: starts [0], ends [1, 2], axes [0] and steps [1] must have the same length}}
  %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 1, 2>} : tensor<5xf32> -> tensor<1xf32>
  func.return
}

// -----

func.func @slice_zero_step(%x: tensor<5xf32>) {
  // expected-error @+1 {{nn.slice: step for axis 0 must not be 0, steps [0]}}
  %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 5>, steps = array<i64: 0>} : tensor<5xf32> -> tensor<5xf32>
  func.return
}

// -----

func.func @slice_axis_out_of_range(%x: tensor<5xf32>) {
  // expected-error @+1 {{nn.slice: axis 1 is out of range for rank 1 (expected -1 <= axis < 1), input tensor<5xf32>}}
  %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 5>, axes = array<i64: 1>} : tensor<5xf32> -> tensor<5xf32>
  func.return
}

// -----

func.func @slice_wrong_result(%x: tensor<5xf32>) {
  // expected-error @+1 {{nn.slice: result type should be tensor<2xf32> (inferred from operands tensor<5xf32>), but is tensor<3xf32>}}
  %0 = nn.slice %x {starts = array<i64: -1>, ends = array<i64: 0>, steps = array<i64: -2>} : tensor<5xf32> -> tensor<3xf32>
  func.return
}

// -----

func.func @pad_wrong_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{nn.pad: pads [1, 1] has 2 entries, expected 4 (begin and end for each dimension of input tensor<2x3xf32>)}}
  %0 = nn.pad %x {pads = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x4xf32>
  func.return
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{nn.pad: pads [0, -1, 0, 0] must be non-negative}}
  %0 = nn.pad %x {pads = array<i64: 0, -1, 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  func.return
}

// -----

func.func @pad_unknown_mode(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{nn.pad: mode must be "constant", "edge" or "reflect", got "wrap"}}
  %0 = nn.pad %x {pads = array<i64: 0, 1, 0, 0>, mode = "wrap"} : tensor<2x3xf32> -> tensor<2x4xf32>
  func.return
}

// -----

func.func @pad_value_without_constant_mode(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{nn.pad: value 1.0 is only used by mode "constant", but mode is "edge"}}
  %0 = nn.pad %x {pads = array<i64: 0, 1, 0, 0>, mode = "edge", value = 1.0} : tensor<2x3xf32> -> tensor<2x4xf32>
  func.return
}

// -----

func.func @pad_reflect_too_wide(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{nn.pad: mode "reflect" needs pads smaller than the dimension, but dimension 0 of size 2 has pads 0 before and 2 after, input tensor<2x3xf32>}}
  %0 = nn.pad %x {pads = array<i64: 0, 0, 2, 0>, mode = "reflect"} : tensor<2x3xf32> -> tensor<4x3xf32>
  func.return
}

// -----

func.func @pad_edge_of_empty_dim(%x: tensor<0x3xf32>) {
  // expected-error @+1 {{nn.pad: mode "edge" cannot pad dimension 0 of size 0, input tensor<0x3xf32>}}
  %0 = nn.pad %x {pads = array<i64: 1, 0, 0, 0>, mode = "edge"} : tensor<0x3xf32> -> tensor<1x3xf32>
  func.return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+1 {{nn.concat: expected at least one input, got none}}
  %0 = "nn.concat"() <{axis = 0 : i64}> : () -> tensor<2xf32>
  func.return
}

// -----

func.func @concat_dims_differ(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+1 {{nn.concat: input 1 tensor<3x3xf32> must match input 0 tensor<2x3xf32> in every dimension but axis 1}}
  %0 = nn.concat %a, %b {axis = 1} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  func.return
}

// -----

func.func @concat_ranks_differ(%a: tensor<2x3xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{nn.concat: input 1 tensor<2xf32> must match input 0 tensor<2x3xf32> in every dimension but axis 0}}
  %0 = nn.concat %a, %b {axis = 0} : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x3xf32>
  func.return
}

// -----

func.func @concat_element_types_differ(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+1 {{nn.concat operands must share one element type, got tensor<2xf32>, tensor<2xf16>}}
  %0 = nn.concat %a, %b {axis = 0} : (tensor<2xf32>, tensor<2xf16>) -> tensor<4xf32>
  func.return
}

// -----

func.func @concat_axis_out_of_range(%a: tensor<2xf32>) {
  // expected-error @+1 {{nn.concat: axis -2 is out of range for rank 1 (expected -1 <= axis < 1), input tensor<2xf32>}}
  %0 = nn.concat %a, %a {axis = -2} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @transpose_perm_not_an_int_array(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{nn.transpose: property 'perm' must be an array<i64: ...>, got [0 : i64, 1 : i64]}}
  %0 = nn.transpose %x {perm = [0, 1]} : tensor<3x4xf32> -> tensor<3x4xf32>
  func.return
}

// -----

func.func @pad_mode_not_a_string(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{nn.pad: property 'mode' must be a string, got 3 : i64}}
  %0 = nn.pad %x {pads = array<i64: 0, 1, 0, 0>, mode = 3} : tensor<2x3xf32> -> tensor<2x4xf32>
  func.return
}

// -----

// ===== logical ===============================================================

func.func @comparison_result_is_boolean(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{nn.less: result type should be tensor<3xi1> (inferred from operands tensor<3xf32>, tensor<3xf32>), but is tensor<3xf32>}}
  %0 = nn.less %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @ordering_booleans(%a: tensor<3xi1>, %b: tensor<3xi1>) {
  // expected-error @+1 {{nn.greater_equal lhs must have element type f16, f32, f64, i8, i32 or i64, got tensor<3xi1>}}
  %0 = nn.greater_equal %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  func.return
}

// -----

func.func @comparison_shapes_do_not_broadcast(%a: tensor<3xi32>, %b: tensor<2xi32>) {
  // expected-error @+1 {{nn.equal: operand shapes do not broadcast: tensor<3xi32> and tensor<2xi32>}}
  %0 = nn.equal %a, %b : (tensor<3xi32>, tensor<2xi32>) -> tensor<3xi1>
  func.return
}

// -----

func.func @logic_on_floats(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{nn.and lhs must have element type i1, got tensor<3xf32>}}
  %0 = nn.and %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @not_of_integers(%x: tensor<3xi8>) {
  // expected-error @+1 {{nn.not input must have element type i1, got tensor<3xi8>}}
  %0 = nn.not %x : tensor<3xi8>
  func.return
}

// -----

func.func @where_condition_not_boolean(%c: tensor<3xf32>, %x: tensor<3xf32>) {
  // expected-error @+1 {{nn.where condition must have element type i1, got tensor<3xf32>}}
  %0 = nn.where %c, %x, %x : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @where_branches_differ(%c: tensor<3xi1>, %x: tensor<3xf32>, %y: tensor<3xi32>) {
  // expected-error @+1 {{nn.where operands must share one element type, got tensor<3xf32>, tensor<3xi32>}}
  %0 = nn.where %c, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @where_shapes_do_not_broadcast(%c: tensor<2xi1>, %x: tensor<3xf32>, %y: tensor<f32>) {
  // expected-error @+1 {{nn.where: operand shapes do not broadcast: tensor<2xi1>, tensor<3xf32> and tensor<f32>}}
  %0 = nn.where %c, %x, %y : (tensor<2xi1>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @where_result_type(%c: tensor<2x1xi1>, %x: tensor<3xf32>) {
  // expected-error @+1 {{nn.where: result type should be tensor<2x3xf32> (inferred from operands tensor<2x1xi1>, tensor<3xf32>, tensor<3xf32>), but is tensor<3xf32>}}
  %0 = nn.where %c, %x, %x : (tensor<2x1xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return
}

// -----

func.func @cast_changes_the_shape(%x: tensor<3xf32>) {
  // expected-error @+1 {{nn.cast: result type should be tensor<3xi64> (the shape of input tensor<3xf32>), but is tensor<4xi64>}}
  %0 = nn.cast %x : tensor<3xf32> -> tensor<4xi64>
  func.return
}

// -----

func.func @cast_to_unsigned(%x: tensor<3xf32>) {
  // expected-error @+1 {{nn.cast result must have element type f16, f32, f64, i1, i8, i32 or i64, got tensor<3xui8> (integers are signless: write i8)}}
  %0 = nn.cast %x : tensor<3xf32> -> tensor<3xui8>
  func.return
}

// -----

func.func @cast_from_bf16(%x: tensor<3xbf16>) {
  // expected-error @+1 {{nn.cast input must have element type f16, f32, f64, i1, i8, i32 or i64, got tensor<3xbf16>}}
  %0 = nn.cast %x : tensor<3xbf16> -> tensor<3xf32>
  func.return
}

// -----

// ===== indexing ==============================================================

func.func @gather_float_indices(%x: tensor<5x3xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{nn.gather indices must have element type i32 or i64, got tensor<2xf32>}}
  %0 = nn.gather %x, %i : (tensor<5x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  func.return
}

// -----

func.func @gather_i8_indices(%x: tensor<5x3xf32>, %i: tensor<2xi8>) {
  // expected-error @+1 {{nn.gather indices must have element type i32 or i64, got tensor<2xi8>}}
  %0 = nn.gather %x, %i : (tensor<5x3xf32>, tensor<2xi8>) -> tensor<2x3xf32>
  func.return
}

// -----

func.func @gather_from_a_scalar(%x: tensor<f32>, %i: tensor<i64>) {
  // expected-error @+1 {{nn.gather: data must have rank >= 1, got tensor<f32>}}
  %0 = nn.gather %x, %i : (tensor<f32>, tensor<i64>) -> tensor<f32>
  func.return
}

// -----

func.func @gather_axis_out_of_range(%x: tensor<5x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{nn.gather: axis 2 is out of range for rank 2 (expected -2 <= axis < 2)}}
  %0 = nn.gather %x, %i {axis = 2} : (tensor<5x3xf32>, tensor<2xi64>) -> tensor<5x2xf32>
  func.return
}

// -----

func.func @gather_from_an_empty_dim(%x: tensor<0x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{nn.gather: cannot gather from dim 0 of size 0 of tensor<0x3xf32>: it has no position to read}}
  %0 = nn.gather %x, %i : (tensor<0x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  func.return
}

// -----

func.func @gather_result_type(%x: tensor<5x3xf32>, %i: tensor<2x2xi32>) {
  // expected-error @+1 {{nn.gather: result type should be tensor<5x2x2xf32> (inferred from operands tensor<5x3xf32>, tensor<2x2xi32>), but is tensor<5x4xf32>}}
  %0 = nn.gather %x, %i {axis = -1} : (tensor<5x3xf32>, tensor<2x2xi32>) -> tensor<5x4xf32>
  func.return
}

// -----

// ===== constant ==============================================================

func.func @bf16_elements() {
  // expected-error @+1 {{nn.constant value must have element type f16, f32, f64, i1, i8, i32 or i64, got tensor<2xbf16>}}
  %0 = nn.constant dense<[1.0, 2.0]> : tensor<2xbf16>
  func.return
}

// -----

func.func @not_a_tensor() {
  // expected-error @+1 {{nn.constant value must be a tensor, got vector<2xf32>}}
  %0 = nn.constant dense<[1.0, 2.0]> : vector<2xf32>
  func.return
}

// -----

func.func @dynamic_shape() {
  // expected-error @+1 {{nn.constant value must have a static shape, got tensor<?xf32>}}
  %0 = nn.constant dense_resource<invalid_dynamic> : tensor<?xf32>
  func.return
}

// -----

func.func @result_type_differs_from_value_type() {
  // expected-error @+1 {{attribute tensor<3xf32> expected from variable 'T', but got tensor<2xf32>}}
  %0 = "nn.constant"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<3xf32>
  func.return
}

// -----

func.func @blob_too_short() {
  // expected-error @+1 {{nn.constant: resource 'invalid_short' holds 8 bytes after its 4-byte alignment header, but tensor<3xf32> needs 12}}
  %0 = nn.constant dense_resource<invalid_short> : tensor<3xf32>
  func.return
}
{-#
  dialect_resources: {
    builtin: {
      invalid_short: "0x040000000000803F00000040"
    }
  }
#-}
