// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier message of nn.resize (dlc/dialects/nn/resize.py).

func.func @sizes_missing(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{property 'sizes' expected in operation 'nn.resize'}}
  %0 = nn.resize %x : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @sizes_not_an_array(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{nn.resize: property 'sizes' must be an array<i64: ...>, got 4 : i64}}
  %0 = nn.resize %x {sizes = 4} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @sizes_two(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{nn.resize: sizes must be 4 sizes of at least 1 (N, C, H, W), got [4, 4]}}
  %0 = nn.resize %x {sizes = array<i64: 4, 4>} : tensor<1x1x2x2xf32> -> tensor<1x1x4x4xf32>
  func.return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @size_zero(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x0x2xf32> {
  // expected-error @+1 {{nn.resize: sizes must be 4 sizes of at least 1 (N, C, H, W), got [1, 1, 0, 2]}}
  %0 = nn.resize %x {sizes = array<i64: 1, 1, 0, 2>} : tensor<1x1x2x2xf32> -> tensor<1x1x0x2xf32>
  func.return %0 : tensor<1x1x0x2xf32>
}

// -----

func.func @channels_change(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{nn.resize: sizes [1, 2, 2, 2] must keep N and C of the input tensor<1x1x2x2xf32>; only H and W are resized}}
  %0 = nn.resize %x {sizes = array<i64: 1, 2, 2, 2>} : tensor<1x1x2x2xf32> -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @not_4d(%x: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{nn.resize: input must be 4-D (N x C x H x W), got tensor<2x2xf32>}}
  %0 = nn.resize %x {sizes = array<i64: 4, 4>} : tensor<2x2xf32> -> tensor<4x4xf32>
  func.return %0 : tensor<4x4xf32>
}

// -----

func.func @unknown_mode(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{nn.resize: mode must be one of "nearest", "linear", got "cubic"}}
  %0 = nn.resize %x {mode = "cubic", sizes = array<i64: 1, 1, 2, 2>} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @unknown_coordinate_mode(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{nn.resize: coordinate_transformation_mode must be one of "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", got "tf_crop_and_resize"}}
  %0 = nn.resize %x {coordinate_transformation_mode = "tf_crop_and_resize", sizes = array<i64: 1, 1, 2, 2>} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @unknown_nearest_mode(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{nn.resize: nearest_mode must be one of "round_prefer_floor", "round_prefer_ceil", "floor", "ceil", got "round"}}
  %0 = nn.resize %x {nearest_mode = "round", sizes = array<i64: 1, 1, 2, 2>} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @mode_not_a_string(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{nn.resize: property 'mode' must be a string, got 1 : i64}}
  %0 = nn.resize %x {mode = 1, sizes = array<i64: 1, 1, 2, 2>} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}

// -----

func.func @integer_input(%x: tensor<1x1x2x2xi32>) -> tensor<1x1x2x2xi32> {
  // expected-error @+1 {{nn.resize input must have element type f16, f32 or f64, got tensor<1x1x2x2xi32>}}
  %0 = nn.resize %x {sizes = array<i64: 1, 1, 2, 2>} : tensor<1x1x2x2xi32> -> tensor<1x1x2x2xi32>
  func.return %0 : tensor<1x1x2x2xi32>
}

// -----

func.func @result_type(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{nn.resize: result type should be tensor<1x1x4x4xf32> (inferred from operands tensor<1x1x2x2xf32>), but is tensor<1x1x2x2xf32>}}
  %0 = nn.resize %x {sizes = array<i64: 1, 1, 4, 4>} : tensor<1x1x2x2xf32> -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}
