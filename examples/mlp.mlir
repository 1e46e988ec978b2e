// A multilayer perceptron classifying MNIST-sized images: a batch of 64 flattened
// 28x28 images, two hidden layers of 1024 units with relu, and softmax
// probabilities over 10 classes. Weights are function arguments.
func.func @mlp(%x: tensor<64x784xf32>,
               %w1: tensor<784x1024xf32>, %b1: tensor<1024xf32>,
               %w2: tensor<1024x1024xf32>, %b2: tensor<1024xf32>,
               %w3: tensor<1024x10xf32>, %b3: tensor<10xf32>) -> tensor<64x10xf32> {
  %h1 = nn.dense %x, %w1, %b1 : (tensor<64x784xf32>, tensor<784x1024xf32>, tensor<1024xf32>) -> tensor<64x1024xf32>
  %a1 = nn.relu %h1 : tensor<64x1024xf32>
  %h2 = nn.dense %a1, %w2, %b2 : (tensor<64x1024xf32>, tensor<1024x1024xf32>, tensor<1024xf32>) -> tensor<64x1024xf32>
  %a2 = nn.relu %h2 : tensor<64x1024xf32>
  %logits = nn.dense %a2, %w3, %b3 : (tensor<64x1024xf32>, tensor<1024x10xf32>, tensor<10xf32>) -> tensor<64x10xf32>
  %probs = nn.softmax %logits : tensor<64x10xf32>
  func.return %probs : tensor<64x10xf32>
}
