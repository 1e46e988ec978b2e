// RUN: dlc-opt %s --split-input-file --verify-diagnostics

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
