// A small CIFAR-style convolutional network: a batch of 8 RGB 32x32 images,
// two conv(3x3, pad 1) + relu + 2x2 max-pool stages (3 -> 32 -> 64 channels),
// then flatten and a dense layer to softmax probabilities over 10 classes.
// Weights are function arguments (conv weights are O x C x KH x KW).
func.func @cnn(%x: tensor<8x3x32x32xf32>,
               %k1: tensor<32x3x3x3xf32>, %c1: tensor<32xf32>,
               %k2: tensor<64x32x3x3xf32>, %c2: tensor<64xf32>,
               %w: tensor<4096x10xf32>, %b: tensor<10xf32>) -> tensor<8x10xf32> {
  %conv1 = nn.conv2d %x, %k1, %c1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<8x3x32x32xf32>, tensor<32x3x3x3xf32>, tensor<32xf32>) -> tensor<8x32x32x32xf32>
  %relu1 = nn.relu %conv1 : tensor<8x32x32x32xf32>
  %pool1 = nn.max_pool2d %relu1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<8x32x32x32xf32> -> tensor<8x32x16x16xf32>
  %conv2 = nn.conv2d %pool1, %k2, %c2 {padding = array<i64: 1, 1, 1, 1>} : (tensor<8x32x16x16xf32>, tensor<64x32x3x3xf32>, tensor<64xf32>) -> tensor<8x64x16x16xf32>
  %relu2 = nn.relu %conv2 : tensor<8x64x16x16xf32>
  %pool2 = nn.max_pool2d %relu2 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<8x64x16x16xf32> -> tensor<8x64x8x8xf32>
  %flat = nn.flatten %pool2 : tensor<8x64x8x8xf32> -> tensor<8x4096xf32>
  %logits = nn.dense %flat, %w, %b : (tensor<8x4096xf32>, tensor<4096x10xf32>, tensor<10xf32>) -> tensor<8x10xf32>
  %probs = nn.softmax %logits : tensor<8x10xf32>
  func.return %probs : tensor<8x10xf32>
}
