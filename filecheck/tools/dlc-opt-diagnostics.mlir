// RUN: not dlc-opt %s --split-input-file 2>&1 | filecheck %s

// Each chunk is processed on its own and each error is reported at its line in
// the whole file, as file:line:col, with the source line and a caret.

// A shape error is reported once, at the op, naming the op and both shapes.
// CHECK: dlc-opt-diagnostics.mlir:[[# @LINE + 3]]:3: error: nn.add: result type should be tensor<4x3xf32> (inferred from operands tensor<4x1xf32>, tensor<3xf32>), but is tensor<4x4xf32>
// CHECK-NEXT: {{^}}  %0 = nn.add %a, %b
func.func @shape_error(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x4xf32> {
  %0 = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x4xf32>
  func.return %0 : tensor<4x4xf32>
}
// CHECK-NEXT: {{^  \^$}}

// -----

// CHECK: dlc-opt-diagnostics.mlir:[[# @LINE + 2]]:2: error: Could not parse entire input!
func.func @parse_error() {
}}
// CHECK-NOT: Traceback
