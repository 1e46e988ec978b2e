// Small programs for the mutation fuzzer (tests/fuzz/seeds.py): tiny shapes, so
// that their mutants compile and run natively in milliseconds, and together every
// nn op family, f64, rank 0, broadcasting, constant folding and a resource blob.

// -----

// broadcast_chain
func.func @f(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %1 = nn.relu %0 : tensor<4x3xf32>
  %2 = nn.mul %1, %a : (tensor<4x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  %3 = nn.leaky_relu %2 {alpha = 0.2} : tensor<4x3xf32>
  func.return %3 : tensor<4x3xf32>
}

// -----

// dense_softmax
func.func @f(%x: tensor<2x5xf32>, %w: tensor<5x3xf32>, %b: tensor<3xf32>)
    -> tensor<2x3xf32> {
  %h = nn.dense %x, %w, %b : (tensor<2x5xf32>, tensor<5x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %g = nn.gelu %h {approximate = "tanh"} : tensor<2x3xf32>
  %p = nn.softmax %g {axis = -1} : tensor<2x3xf32>
  func.return %p : tensor<2x3xf32>
}

// -----

// conv_pool
func.func @f(%x: tensor<1x2x6x6xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>)
    -> tensor<1x27xf32> {
  %c = nn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32>
  %m = nn.max_pool2d %c {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x6x6xf32> -> tensor<1x3x3x3xf32>
  %a = nn.avg_pool2d %m {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x3x3xf32> -> tensor<1x3x3x3xf32>
  %f = nn.flatten %a : tensor<1x3x3x3xf32> -> tensor<1x27xf32>
  func.return %f : tensor<1x27xf32>
}

// -----

// constant_folding
func.func @f(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %c = nn.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = nn.constant dense<0.5> : tensor<f32>
  %0 = nn.mul %c, %s : (tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %1 = nn.transpose %0 {perm = array<i64: 1, 0>} : tensor<2x2xf32> -> tensor<2x2xf32>
  %2 = nn.add %x, %1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %2 : tensor<2x2xf32>
}

// -----

// norms_reductions
func.func @f(%x: tensor<2x3x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>)
    -> (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<f32>) {
  %n = nn.layer_norm %x, %g, %b {epsilon = 1.0e-05} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %r = nn.rms_norm %n, %g : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %m = nn.reduce_mean %r {axes = array<i64: 1>, keepdims} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %s = nn.reduce_max %x {axes = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<f32>
  func.return %r, %m, %s : tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<f32>
}

// -----

// shape_ops
func.func @f(%x: tensor<2x3xf32>, %y: tensor<3x1xf32>) -> (tensor<3x5xf32>, tensor<6x1xf32>) {
  %t = nn.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %c = nn.concat %t, %y {axis = 1} : (tensor<3x2xf32>, tensor<3x1xf32>) -> tensor<3x3xf32>
  %p = nn.pad %c {pads = array<i64: 0, 1, 0, 1>, mode = "reflect"} : tensor<3x3xf32> -> tensor<3x5xf32>
  %s = nn.slice %p {starts = array<i64: 0>, ends = array<i64: 2>, axes = array<i64: 1>} : tensor<3x5xf32> -> tensor<3x2xf32>
  %r = nn.reshape %s {shape = array<i64: 6, 1>} : tensor<3x2xf32> -> tensor<6x1xf32>
  func.return %p, %r : tensor<3x5xf32>, tensor<6x1xf32>
}

// -----

// f64_unary_binary
func.func @f(%a: tensor<3xf64>, %b: tensor<f64>) -> (tensor<3xf64>, tensor<1x3xf64>) {
  %0 = nn.sigmoid %a : tensor<3xf64>
  %1 = nn.pow %0, %b : (tensor<3xf64>, tensor<f64>) -> tensor<3xf64>
  %2 = nn.clip %1 {min = 0.0, max = 6.0} : tensor<3xf64>
  %3 = nn.unsqueeze %2 {axes = array<i64: 0>} : tensor<3xf64> -> tensor<1x3xf64>
  %4 = nn.broadcast_to %b {shape = array<i64: 1, 3>} : tensor<f64> -> tensor<1x3xf64>
  %5 = nn.maximum %3, %4 : (tensor<1x3xf64>, tensor<1x3xf64>) -> tensor<1x3xf64>
  func.return %2, %5 : tensor<3xf64>, tensor<1x3xf64>
}

// -----

// matmul_batch
func.func @f(%a: tensor<2x3x4xf32>, %b: tensor<4x2xf32>, %v: tensor<2xf32>) -> tensor<2x3xf32> {
  %m = nn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x2xf32>) -> tensor<2x3x2xf32>
  %d = nn.matmul %m, %v : (tensor<2x3x2xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  %e = nn.exp %d : tensor<2x3xf32>
  %l = nn.log_softmax %e {axis = 0} : tensor<2x3xf32>
  func.return %l : tensor<2x3xf32>
}

// -----

// resource_constant
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = nn.constant dense_resource<fuzz_w> : tensor<2xf32>
  %y = nn.sub %x, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      fuzz_w: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// conv_variants
func.func @f(%x: tensor<1x4x7x7xf32>, %w: tensor<4x2x3x3xf32>, %d: tensor<4x1x2x2xf32>)
    -> (tensor<1x4x3x3xf32>, tensor<1x4x1x1xf32>) {
  %0 = nn.conv2d %x, %w {strides = array<i64: 2, 2>, groups = 2} : (tensor<1x4x7x7xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
  %1 = nn.conv2d %0, %d {dilations = array<i64: 2, 2>, groups = 4} : (tensor<1x4x3x3xf32>, tensor<4x1x2x2xf32>) -> tensor<1x4x1x1xf32>
  %2 = nn.global_avg_pool2d %0 : tensor<1x4x3x3xf32> -> tensor<1x4x1x1xf32>
  %3 = nn.add %1, %2 : (tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  func.return %0, %3 : tensor<1x4x3x3xf32>, tensor<1x4x1x1xf32>
}

// -----

// batch_norm_slices
func.func @f(%x: tensor<2x3x1x2xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>,
             %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x4x2xf32> {
  %v2 = nn.mul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %0 = nn.batch_norm %x, %s, %b, %m, %v2 {epsilon = 1.0e-03} : (tensor<2x3x1x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x1x2xf32>
  %1 = nn.squeeze %0 {axes = array<i64: 2>} : tensor<2x3x1x2xf32> -> tensor<2x3x2xf32>
  %2 = nn.slice %1 {starts = array<i64: -1>, ends = array<i64: -9223372036854775807>, axes = array<i64: 2>, steps = array<i64: -1>} : tensor<2x3x2xf32> -> tensor<2x3x2xf32>
  %3 = nn.pad %2 {pads = array<i64: 0, 1, 0, 0, 0, 0>, mode = "edge"} : tensor<2x3x2xf32> -> tensor<2x4x2xf32>
  func.return %3 : tensor<2x4x2xf32>
}
