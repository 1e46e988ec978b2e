// RUN: dlc-opt %s --split-input-file --verify-diagnostics

// One chunk per verifier message of nn.einsum (dlc/dialects/nn/einsum.py).

func.func @result_type(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.einsum: result type should be tensor<3x2xf32> (inferred from operands tensor<2x3xf32>), but is tensor<2x3xf32>}}
  %0 = nn.einsum %a {equation = "ij->ji"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @no_operands() -> tensor<f32> {
  // expected-error @+1 {{nn.einsum: expected at least one input, got none}}
  %0 = "nn.einsum"() <{equation = ""}> : () -> tensor<f32>
  func.return %0 : tensor<f32>
}

// -----

func.func @equation_missing(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{property 'equation' expected in operation 'nn.einsum'}}
  %0 = nn.einsum %a : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @equation_not_a_string(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: property 'equation' must be a string, got 1 : i64}}
  %0 = nn.einsum %a {equation = 1} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @integer_operand(%a: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{nn.einsum input 0 must have element type f16, f32 or f64, got tensor<2xi32>}}
  %0 = nn.einsum %a {equation = "i"} : (tensor<2xi32>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// -----

func.func @element_types_differ(%a: tensor<2xf32>, %b: tensor<2xf64>) -> tensor<f32> {
  // expected-error @+1 {{nn.einsum operands must share one element type, got tensor<2xf32>, tensor<2xf64>}}
  %0 = nn.einsum %a, %b {equation = "i,i"} : (tensor<2xf32>, tensor<2xf64>) -> tensor<f32>
  func.return %0 : tensor<f32>
}

// -----

func.func @two_arrows(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: equation "i->i->i" has "->" twice}}
  %0 = nn.einsum %a {equation = "i->i->i"} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @not_a_letter(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: equation "i1" has '1' in term 'i1' (expected letters and at most one '...' per term)}}
  %0 = nn.einsum %a {equation = "i1"} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @two_ellipses(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.einsum: equation "...i..." has '.' in term '...i...'}}
  %0 = nn.einsum %a {equation = "...i..."} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @term_count(%a: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{nn.einsum: equation "i,i" has 2 input terms but the op has 1 operands}}
  %0 = nn.einsum %a {equation = "i,i"} : (tensor<2xf32>) -> tensor<f32>
  func.return %0 : tensor<f32>
}

// -----

func.func @rank(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: term 'i' of operand 0 names 1 dims but the operand has rank 2}}
  %0 = nn.einsum %a {equation = "i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @rank_with_ellipsis(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: term '...ij' of operand 0 names 2 dims besides '...' but the operand has rank 1}}
  %0 = nn.einsum %a {equation = "...ij"} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @ellipsis_does_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>)
    -> tensor<2x3xf32> {
  // expected-error @+1 {{nn.einsum: the dims under '...' do not broadcast: [2], [4]}}
  %0 = nn.einsum %a, %b {equation = "...i,...i"} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// Unlike numpy, a letter never broadcasts from size 1 (ONNX).
func.func @letter_sizes_differ(%a: tensor<2x1xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{nn.einsum: letter 'j' has size 1 in operand 0 but 3 in operand 1}}
  %0 = nn.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x1xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

func.func @diagonal_of_a_non_square(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: letter 'i' has size 2 in operand 0 but 3 in operand 0}}
  %0 = nn.einsum %a {equation = "ii->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @output_letter_unknown(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: output letter 'j' appears in no input term}}
  %0 = nn.einsum %a {equation = "i->j"} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @output_letter_twice(%a: tensor<2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{nn.einsum: output letter 'i' appears more than once in 'ii'}}
  %0 = nn.einsum %a {equation = "i->ii"} : (tensor<2xf32>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}

// -----

func.func @output_without_ellipsis(%a: tensor<5x2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{nn.einsum: the output 'i' must contain '...', which stands for 1 broadcast dims of the inputs}}
  %0 = nn.einsum %a {equation = "...i->i"} : (tensor<5x2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
