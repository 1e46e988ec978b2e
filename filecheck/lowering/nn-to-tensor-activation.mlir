// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// Each float activation is one compute over its result's shape: it reads the input
// at the output point and applies the op's scalar function in the element type.

// softplus without overflow: log1p(exp(-|x|)) + max(x, 0).
func.func @softplus(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.softplus %x : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @softplus(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[I:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[I]]] : tensor<3xf32>
// CHECK-NEXT:     %[[ABS:[0-9]+]] = math.absf %[[X]] : f32
// CHECK-NEXT:     %[[NEG:[0-9]+]] = arith.negf %[[ABS]] : f32
// CHECK-NEXT:     %[[EXP:[0-9]+]] = math.exp %[[NEG]] : f32
// CHECK-NEXT:     %[[TAIL:[0-9]+]] = math.log1p %[[EXP]] : f32
// CHECK-NEXT:     %[[ZERO:[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:     %[[MAX:[0-9]+]] = arith.maximumf %[[X]], %[[ZERO]] : f32
// CHECK-NEXT:     %[[SUM:[0-9]+]] = arith.addf %[[TAIL]], %[[MAX]] : f32
// CHECK-NEXT:     tensor.yield %[[SUM]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>

// -----

// max(0, min(1, alpha * x + beta)), with the properties (beta at its default).
func.func @hard_sigmoid(%x: tensor<3xf64>) -> tensor<3xf64> {
  %r = nn.hard_sigmoid %x {alpha = 0.25} : tensor<3xf64>
  func.return %r : tensor<3xf64>
}
// CHECK-LABEL: func.func @hard_sigmoid
// CHECK-NEXT:   %r = tensor.compute (%[[I:[0-9]+]]) : tensor<3xf64> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[I]]] : tensor<3xf64>
// CHECK-NEXT:     %[[ALPHA:[0-9]+]] = arith.constant 2.500000e-01 : f64
// CHECK-NEXT:     %[[AX:[0-9]+]] = arith.mulf %[[ALPHA]], %[[X]] : f64
// CHECK-NEXT:     %[[BETA:[0-9]+]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT:     %[[LINE:[0-9]+]] = arith.addf %[[AX]], %[[BETA]] : f64
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT:     %[[MIN:[0-9]+]] = arith.minimumf %[[ONE]], %[[LINE]] : f64
// CHECK-NEXT:     %[[ZERO:[0-9]+]] = arith.constant 0.000000e+00 : f64
// CHECK-NEXT:     %[[MAX:[0-9]+]] = arith.maximumf %[[ZERO]], %[[MIN]] : f64
// CHECK-NEXT:     tensor.yield %[[MAX]] : f64

// -----

// hard_swish is x * hard_sigmoid(x) with alpha = 1/6 and beta = 1/2; rank 0.
func.func @hard_swish(%x: tensor<f32>) -> tensor<f32> {
  %r = nn.hard_swish %x : tensor<f32>
  func.return %r : tensor<f32>
}
// CHECK-LABEL: func.func @hard_swish
// CHECK-NEXT:   %r = tensor.compute () : tensor<f32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[] : tensor<f32>
// CHECK-NEXT:     %[[ALPHA:[0-9]+]] = arith.constant 0.166666672 : f32
// CHECK:          %[[GATE:[0-9]+]] = arith.maximumf
// CHECK-NEXT:     %[[Y:[0-9]+]] = arith.mulf %[[X]], %[[GATE]] : f32
// CHECK-NEXT:     tensor.yield %[[Y]] : f32

// -----

// x where x > 0, else alpha * expm1(x); an ordered compare sends NaN to expm1.
func.func @elu(%x: tensor<2xf16>) -> tensor<2xf16> {
  %r = nn.elu %x {alpha = 0.5} : tensor<2xf16>
  func.return %r : tensor<2xf16>
}
// CHECK-LABEL: func.func @elu
// CHECK-NEXT:   %r = tensor.compute (%[[I:[0-9]+]]) : tensor<2xf16> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[I]]] : tensor<2xf16>
// CHECK-NEXT:     %[[ZERO:[0-9]+]] = arith.constant 0.000000e+00 : f16
// CHECK-NEXT:     %[[POS:[0-9]+]] = arith.cmpf ogt, %[[X]], %[[ZERO]] : f16
// CHECK-NEXT:     %[[ALPHA:[0-9]+]] = arith.constant 5.000000e-01 : f16
// CHECK-NEXT:     %[[EM1:[0-9]+]] = math.expm1 %[[X]] : f16
// CHECK-NEXT:     %[[NEG:[0-9]+]] = arith.mulf %[[ALPHA]], %[[EM1]] : f16
// CHECK-NEXT:     %[[Y:[0-9]+]] = arith.select %[[POS]], %[[X]], %[[NEG]] : f16
// CHECK-NEXT:     tensor.yield %[[Y]] : f16

// -----

// selu is gamma * elu(x) with its own alpha; the defaults are ONNX's constants.
func.func @selu(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = nn.selu %x : tensor<2xf32>
  func.return %r : tensor<2xf32>
}
// CHECK-LABEL: func.func @selu
// CHECK:          %[[ALPHA:[0-9]+]] = arith.constant 1.67326319 : f32
// CHECK:          %[[ELU:[0-9]+]] = arith.select
// CHECK-NEXT:     %[[GAMMA:[0-9]+]] = arith.constant 1.05070102 : f32
// CHECK-NEXT:     %[[Y:[0-9]+]] = arith.mulf %[[GAMMA]], %[[ELU]] : f32
// CHECK-NEXT:     tensor.yield %[[Y]] : f32

// -----

func.func @reciprocal(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = nn.reciprocal %x : tensor<2xf32>
  func.return %r : tensor<2xf32>
}
// CHECK-LABEL: func.func @reciprocal
// CHECK-NEXT:   %r = tensor.compute (%[[I:[0-9]+]]) : tensor<2xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[I]]] : tensor<2xf32>
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:     %[[Y:[0-9]+]] = arith.divf %[[ONE]], %[[X]] : f32
// CHECK-NEXT:     tensor.yield %[[Y]] : f32

// -----

// The ops that are one math op on the element.
func.func @math(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
                                       tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %e = nn.erf %x : tensor<2xf32>
  %a = nn.abs %x : tensor<2xf32>
  %f = nn.floor %x : tensor<2xf32>
  %c = nn.ceil %x : tensor<2xf32>
  %s = nn.sin %x : tensor<2xf32>
  %o = nn.cos %x : tensor<2xf32>
  func.return %e, %a, %f, %c, %s, %o
      : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
        tensor<2xf32>
}
// CHECK-LABEL: func.func @math
// CHECK:         %e = tensor.compute
// CHECK:           math.erf
// CHECK:         %a = tensor.compute
// CHECK:           math.absf
// CHECK:         %f = tensor.compute
// CHECK:           math.floor
// CHECK:         %c = tensor.compute
// CHECK:           math.ceil
// CHECK:         %s = tensor.compute
// CHECK:           math.sin
// CHECK:         %o = tensor.compute
// CHECK:           math.cos

// -----

// abs of integers: max(x, 0 - x), which keeps the most negative value (it wraps).
func.func @abs_integer(%x: tensor<3xi8>) -> tensor<3xi8> {
  %r = nn.abs %x : tensor<3xi8>
  func.return %r : tensor<3xi8>
}
// CHECK-LABEL: func.func @abs_integer
// CHECK-NEXT:   %r = tensor.compute (%[[I:[0-9]+]]) : tensor<3xi8> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[I]]] : tensor<3xi8>
// CHECK-NEXT:     %[[ZERO:[0-9]+]] = arith.constant 0 : i8
// CHECK-NEXT:     %[[NEG:[0-9]+]] = arith.subi %[[ZERO]], %[[X]] : i8
// CHECK-NEXT:     %[[Y:[0-9]+]] = arith.maxsi %[[X]], %[[NEG]] : i8
// CHECK-NEXT:     tensor.yield %[[Y]] : i8

// -----

// The slope is read numpy-broadcast: its missing leading dim left out, its size-1
// dim at 0.
func.func @prelu(%x: tensor<1x3x2xf32>, %slope: tensor<3x1xf32>) -> tensor<1x3x2xf32> {
  %r = nn.prelu %x, %slope : (tensor<1x3x2xf32>, tensor<3x1xf32>) -> tensor<1x3x2xf32>
  func.return %r : tensor<1x3x2xf32>
}
// CHECK-LABEL: func.func @prelu
// CHECK-NEXT:   %r = tensor.compute (%[[N:[0-9]+]], %[[C:[0-9]+]], %[[W:[0-9]+]]) : tensor<1x3x2xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[N]], %[[C]], %[[W]]] : tensor<1x3x2xf32>
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[S:[0-9]+]] = tensor.read %slope[%[[C]], %[[C0]]] : tensor<3x1xf32>
// CHECK-NEXT:     %[[ZERO:[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:     %[[POS:[0-9]+]] = arith.cmpf ogt, %[[X]], %[[ZERO]] : f32
// CHECK-NEXT:     %[[SCALED:[0-9]+]] = arith.mulf %[[X]], %[[S]] : f32
// CHECK-NEXT:     %[[Y:[0-9]+]] = arith.select %[[POS]], %[[X]], %[[SCALED]] : f32
// CHECK-NEXT:     tensor.yield %[[Y]] : f32
