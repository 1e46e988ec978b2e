// One ResNet-style convolution layer: a 1x64x56x56 feature map (NCHW), a 3x3
// convolution with padding 1 to 64 output channels, plus bias, then relu.
// The weight (O x C x KH x KW) and bias are function arguments.
func.func @conv(%x: tensor<1x64x56x56xf32>, %w: tensor<64x64x3x3xf32>,
                %b: tensor<64xf32>) -> tensor<1x64x56x56xf32> {
  %y = nn.conv2d %x, %w, %b {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  %r = nn.relu %y : tensor<1x64x56x56xf32>
  func.return %r : tensor<1x64x56x56xf32>
}
