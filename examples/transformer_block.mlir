// One pre-norm transformer encoder block: a sequence of 128 tokens of width 256,
// multi-head self-attention with 4 heads of size 64, then an MLP 256 -> 1024 -> 256
// with gelu, each sub-layer wrapped in a residual connection:
//   h = x + attention(layer_norm(x));  y = h + mlp(layer_norm(h))
// Weights are function arguments (dense weights are in x out).
func.func @transformer_block(%x: tensor<128x256xf32>,
    %ln1_scale: tensor<256xf32>, %ln1_bias: tensor<256xf32>,
    %wq: tensor<256x256xf32>, %bq: tensor<256xf32>,
    %wk: tensor<256x256xf32>, %bk: tensor<256xf32>,
    %wv: tensor<256x256xf32>, %bv: tensor<256xf32>,
    %wo: tensor<256x256xf32>, %bo: tensor<256xf32>,
    %ln2_scale: tensor<256xf32>, %ln2_bias: tensor<256xf32>,
    %w1: tensor<256x1024xf32>, %b1: tensor<1024xf32>,
    %w2: tensor<1024x256xf32>, %b2: tensor<256xf32>) -> tensor<128x256xf32> {
  // Attention: project, split into 4 heads of 64, softmax(q kᵀ / sqrt(64)) v.
  %n1 = nn.layer_norm %x, %ln1_scale, %ln1_bias : (tensor<128x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<128x256xf32>
  %q = nn.dense %n1, %wq, %bq : (tensor<128x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<128x256xf32>
  %k = nn.dense %n1, %wk, %bk : (tensor<128x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<128x256xf32>
  %v = nn.dense %n1, %wv, %bv : (tensor<128x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<128x256xf32>
  %q_split = nn.reshape %q {shape = array<i64: 128, 4, 64>} : tensor<128x256xf32> -> tensor<128x4x64xf32>
  %q_heads = nn.transpose %q_split {perm = array<i64: 1, 0, 2>} : tensor<128x4x64xf32> -> tensor<4x128x64xf32>
  %k_split = nn.reshape %k {shape = array<i64: 128, 4, 64>} : tensor<128x256xf32> -> tensor<128x4x64xf32>
  %k_heads_t = nn.transpose %k_split {perm = array<i64: 1, 2, 0>} : tensor<128x4x64xf32> -> tensor<4x64x128xf32>
  %v_split = nn.reshape %v {shape = array<i64: 128, 4, 64>} : tensor<128x256xf32> -> tensor<128x4x64xf32>
  %v_heads = nn.transpose %v_split {perm = array<i64: 1, 0, 2>} : tensor<128x4x64xf32> -> tensor<4x128x64xf32>
  %scores = nn.matmul %q_heads, %k_heads_t : (tensor<4x128x64xf32>, tensor<4x64x128xf32>) -> tensor<4x128x128xf32>
  %inv_sqrt_dk = nn.constant dense<1.250000e-01> : tensor<f32>
  %scaled = nn.mul %scores, %inv_sqrt_dk : (tensor<4x128x128xf32>, tensor<f32>) -> tensor<4x128x128xf32>
  %weights = nn.softmax %scaled : tensor<4x128x128xf32>
  %context = nn.matmul %weights, %v_heads : (tensor<4x128x128xf32>, tensor<4x128x64xf32>) -> tensor<4x128x64xf32>
  %context_t = nn.transpose %context {perm = array<i64: 1, 0, 2>} : tensor<4x128x64xf32> -> tensor<128x4x64xf32>
  %merged = nn.reshape %context_t {shape = array<i64: 128, 256>} : tensor<128x4x64xf32> -> tensor<128x256xf32>
  %attn = nn.dense %merged, %wo, %bo : (tensor<128x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<128x256xf32>
  %h = nn.add %x, %attn : (tensor<128x256xf32>, tensor<128x256xf32>) -> tensor<128x256xf32>
  // MLP: 256 -> 1024 -> gelu -> 256.
  %n2 = nn.layer_norm %h, %ln2_scale, %ln2_bias : (tensor<128x256xf32>, tensor<256xf32>, tensor<256xf32>) -> tensor<128x256xf32>
  %up = nn.dense %n2, %w1, %b1 : (tensor<128x256xf32>, tensor<256x1024xf32>, tensor<1024xf32>) -> tensor<128x1024xf32>
  %act = nn.gelu %up : tensor<128x1024xf32>
  %down = nn.dense %act, %w2, %b2 : (tensor<128x1024xf32>, tensor<1024x256xf32>, tensor<256xf32>) -> tensor<128x256xf32>
  %y = nn.add %h, %down : (tensor<128x256xf32>, tensor<128x256xf32>) -> tensor<128x256xf32>
  func.return %y : tensor<128x256xf32>
}
