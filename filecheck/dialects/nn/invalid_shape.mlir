// RUN: dlc-opt %s --split-input-file --verify-diagnostics

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

func.func @reshape_integer_input(%x: tensor<3x4xi32>) {
  // expected-error @+1 {{nn.reshape input must have element type f16, f32 or f64, got tensor<3x4xi32>}}
  %0 = nn.reshape %x {shape = array<i64: 12>} : tensor<3x4xi32> -> tensor<12xi32>
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
