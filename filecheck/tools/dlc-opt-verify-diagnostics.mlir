// RUN: dlc-opt %s --split-input-file --verify-diagnostics
// RUN: sed -e 's/expected-error @+1/expected-error @+2/' %s | not dlc-opt --split-input-file --verify-diagnostics 2>&1 | filecheck %s --check-prefix=WRONGLINE

// --verify-diagnostics succeeds when each chunk's annotated error is produced, on the
// annotated line, with a message containing the annotated text.

func.func @bad_broadcast(%a: tensor<4xf32>, %b: tensor<3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{nn.add: operand shapes do not broadcast: tensor<4xf32> and tensor<3xf32>}}
  %0 = nn.add %a, %b : (tensor<4xf32>, tensor<3xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @ok(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %a : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// WRONGLINE: error: expected error on line {{[0-9]+}} was not produced: "nn.add: operand shapes do not broadcast
// WRONGLINE: error: unexpected diagnostic:
// WRONGLINE-NEXT: <stdin>:{{[0-9]+}}:3: error: nn.add: operand shapes do not broadcast
