// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// The comparison, logic, where and cast ops of dlc/dialects/nn/logical.py, printed
// and parsed again in custom and in generic form.

// Comparisons broadcast like the binary arithmetic ops; the result is i1.

// CHECK-LABEL: func.func @comparisons
// CHECK-NEXT:    %0 = nn.equal %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>
// CHECK-NEXT:    %1 = nn.less %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>
// CHECK-NEXT:    %2 = nn.less_equal %i, %j : (tensor<i64>, tensor<2x3xi64>) -> tensor<2x3xi1>
// CHECK-NEXT:    %3 = nn.greater %i, %j : (tensor<i64>, tensor<2x3xi64>) -> tensor<2x3xi1>
// CHECK-NEXT:    %4 = nn.greater_equal %h, %h : (tensor<5xf16>, tensor<5xf16>) -> tensor<5xi1>
// CHECK-NEXT:    %5 = nn.equal %4, %4 : (tensor<5xi1>, tensor<5xi1>) -> tensor<5xi1>
func.func @comparisons(%a: tensor<4x1xf32>, %b: tensor<3xf32>, %i: tensor<i64>,
                       %j: tensor<2x3xi64>, %h: tensor<5xf16>)
    -> (tensor<4x3xi1>, tensor<4x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<5xi1>) {
  %0 = nn.equal %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>
  %1 = nn.less %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>
  %2 = nn.less_equal %i, %j : (tensor<i64>, tensor<2x3xi64>) -> tensor<2x3xi1>
  %3 = nn.greater %i, %j : (tensor<i64>, tensor<2x3xi64>) -> tensor<2x3xi1>
  %4 = nn.greater_equal %h, %h : (tensor<5xf16>, tensor<5xf16>) -> tensor<5xi1>
  %5 = nn.equal %4, %4 : (tensor<5xi1>, tensor<5xi1>) -> tensor<5xi1>
  func.return %0, %1, %2, %3, %5 : tensor<4x3xi1>, tensor<4x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<5xi1>
}

// -----

// Logic on booleans: not prints its type once, the others broadcast.

// CHECK-LABEL: func.func @logic
// CHECK-NEXT:    %0 = nn.not %p : tensor<2x3xi1>
// CHECK-NEXT:    %1 = nn.and %0, %q : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
// CHECK-NEXT:    %2 = nn.or %1, %s : (tensor<2x3xi1>, tensor<i1>) -> tensor<2x3xi1>
// CHECK-NEXT:    %3 = nn.xor %2, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
func.func @logic(%p: tensor<2x3xi1>, %q: tensor<3xi1>, %s: tensor<i1>) -> tensor<2x3xi1> {
  %0 = nn.not %p : tensor<2x3xi1>
  %1 = nn.and %0, %q : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %2 = nn.or %1, %s : (tensor<2x3xi1>, tensor<i1>) -> tensor<2x3xi1>
  %3 = nn.xor %2, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  func.return %3 : tensor<2x3xi1>
}

// -----

// where broadcasts its three operands together, of any element type.

// CHECK-LABEL: func.func @where
// CHECK-NEXT:    %0 = nn.where %c, %x, %y : (tensor<3xi1>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %1 = nn.where %s, %i, %i : (tensor<i1>, tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
func.func @where(%c: tensor<3xi1>, %x: tensor<2x1xf32>, %y: tensor<f32>, %s: tensor<i1>,
                 %i: tensor<4xi8>) -> (tensor<2x3xf32>, tensor<4xi8>) {
  %0 = nn.where %c, %x, %y : (tensor<3xi1>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = nn.where %s, %i, %i : (tensor<i1>, tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  func.return %0, %1 : tensor<2x3xf32>, tensor<4xi8>
}

// -----

// cast: the result type is the target; there is no property.

// CHECK-LABEL: func.func @cast
// CHECK-NEXT:    %0 = nn.cast %x : tensor<3xf32> -> tensor<3xi64>
// CHECK-NEXT:    %1 = nn.cast %0 : tensor<3xi64> -> tensor<3xi1>
// CHECK-NEXT:    %2 = nn.cast %1 : tensor<3xi1> -> tensor<3xf16>
// CHECK-NEXT:    %3 = nn.cast %2 : tensor<3xf16> -> tensor<3xf16>
// CHECK-NEXT:    %4 = nn.cast %0 : tensor<3xi64> -> tensor<3xi8>
func.func @cast(%x: tensor<3xf32>) -> (tensor<3xf16>, tensor<3xi8>) {
  %0 = nn.cast %x : tensor<3xf32> -> tensor<3xi64>
  %1 = nn.cast %0 : tensor<3xi64> -> tensor<3xi1>
  %2 = nn.cast %1 : tensor<3xi1> -> tensor<3xf16>
  %3 = nn.cast %2 : tensor<3xf16> -> tensor<3xf16>
  %4 = nn.cast %0 : tensor<3xi64> -> tensor<3xi8>
  func.return %3, %4 : tensor<3xf16>, tensor<3xi8>
}
