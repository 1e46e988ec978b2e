// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// Comparisons: ordered cmpf on floats (false for NaN), signed cmpi on integers.

func.func @less_floats(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xi1> {
  %r = nn.less %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xi1>
  func.return %r : tensor<4x3xi1>
}
// CHECK-LABEL: func.func @less_floats(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xi1> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<4x3xi1> {
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %a[%[[D0]], %[[CONSTANT]]] : tensor<4x1xf32>
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %b[%[[D1]]] : tensor<3xf32>
// CHECK-NEXT:     %[[CMPF:[0-9]+]] = arith.cmpf olt, %[[READ]], %[[READ2]] : f32
// CHECK-NEXT:     tensor.yield %[[CMPF]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<4x3xi1>
// CHECK-NEXT: }

// -----

func.func @greater_equal_integers(%a: tensor<3xi8>, %b: tensor<i8>) -> tensor<3xi1> {
  %r = nn.greater_equal %a, %b : (tensor<3xi8>, tensor<i8>) -> tensor<3xi1>
  func.return %r : tensor<3xi1>
}
// CHECK-LABEL: func.func @greater_equal_integers(%a: tensor<3xi8>, %b: tensor<i8>) -> tensor<3xi1> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xi1> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xi8>
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %b[] : tensor<i8>
// CHECK-NEXT:     %[[CMPI:[0-9]+]] = arith.cmpi sge, %[[READ]], %[[READ2]] : i8
// CHECK-NEXT:     tensor.yield %[[CMPI]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xi1>
// CHECK-NEXT: }

// -----

func.func @equal_booleans(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<3xi1> {
  %r = nn.equal %a, %b : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  func.return %r : tensor<3xi1>
}
// CHECK-LABEL: func.func @equal_booleans(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<3xi1> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xi1> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xi1>
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %b[%[[D0]]] : tensor<3xi1>
// CHECK-NEXT:     %[[CMPI:[0-9]+]] = arith.cmpi eq, %[[READ]], %[[READ2]] : i1
// CHECK-NEXT:     tensor.yield %[[CMPI]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xi1>
// CHECK-NEXT: }

// -----

// Logic: xori with true, andi, ori, xori.

func.func @logic(%a: tensor<3xi1>, %b: tensor<i1>) -> (tensor<3xi1>, tensor<3xi1>) {
  %n = nn.not %a : tensor<3xi1>
  %r = nn.and %n, %b : (tensor<3xi1>, tensor<i1>) -> tensor<3xi1>
  func.return %n, %r : tensor<3xi1>, tensor<3xi1>
}
// CHECK-LABEL: func.func @logic(%a: tensor<3xi1>, %b: tensor<i1>) -> (tensor<3xi1>, tensor<3xi1>) {
// CHECK-NEXT:   %n = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xi1> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xi1>
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant true
// CHECK-NEXT:     %[[XORI:[0-9]+]] = arith.xori %[[READ]], %[[CONSTANT]] : i1
// CHECK-NEXT:     tensor.yield %[[XORI]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xi1> {
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %n[%[[D0]]] : tensor<3xi1>
// CHECK-NEXT:     %[[READ3:[0-9]+]] = tensor.read %b[] : tensor<i1>
// CHECK-NEXT:     %[[ANDI:[0-9]+]] = arith.andi %[[READ2]], %[[READ3]] : i1
// CHECK-NEXT:     tensor.yield %[[ANDI]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %n, %r : tensor<3xi1>, tensor<3xi1>
// CHECK-NEXT: }

// -----

// where: arith.select, the three operands read with numpy broadcasting.

func.func @where(%c: tensor<3xi1>, %x: tensor<2x1xf32>, %y: tensor<f32>) -> tensor<2x3xf32> {
  %r = nn.where %c, %x, %y : (tensor<3xi1>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}
// CHECK-LABEL: func.func @where(%c: tensor<3xi1>, %x: tensor<2x1xf32>, %y: tensor<f32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<2x3xf32> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %c[%[[D1]]] : tensor<3xi1>
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %x[%[[D0]], %[[CONSTANT]]] : tensor<2x1xf32>
// CHECK-NEXT:     %[[READ3:[0-9]+]] = tensor.read %y[] : tensor<f32>
// CHECK-NEXT:     %[[SELECT:[0-9]+]] = arith.select %[[READ]], %[[READ2]], %[[READ3]] : f32
// CHECK-NEXT:     tensor.yield %[[SELECT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x3xf32>
// CHECK-NEXT: }

// -----

// cast: one conversion op per pair of kinds; fptosi saturates in dlc.

func.func @cast(%f: tensor<2xf32>, %i: tensor<2xi32>, %b: tensor<2xi1>)
    -> (tensor<2xi64>, tensor<2xf16>, tensor<2xf64>, tensor<2xi8>, tensor<2xi64>,
        tensor<2xf32>, tensor<2xi1>, tensor<2xi1>, tensor<2xf32>, tensor<2xf32>) {
  %0 = nn.cast %f : tensor<2xf32> -> tensor<2xi64>
  %1 = nn.cast %f : tensor<2xf32> -> tensor<2xf16>
  %2 = nn.cast %f : tensor<2xf32> -> tensor<2xf64>
  %3 = nn.cast %i : tensor<2xi32> -> tensor<2xi8>
  %4 = nn.cast %i : tensor<2xi32> -> tensor<2xi64>
  %5 = nn.cast %i : tensor<2xi32> -> tensor<2xf32>
  %6 = nn.cast %f : tensor<2xf32> -> tensor<2xi1>
  %7 = nn.cast %i : tensor<2xi32> -> tensor<2xi1>
  %8 = nn.cast %b : tensor<2xi1> -> tensor<2xf32>
  %9 = nn.cast %f : tensor<2xf32> -> tensor<2xf32>
  func.return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9
      : tensor<2xi64>, tensor<2xf16>, tensor<2xf64>, tensor<2xi8>, tensor<2xi64>,
        tensor<2xf32>, tensor<2xi1>, tensor<2xi1>, tensor<2xf32>, tensor<2xf32>
}
// CHECK-LABEL: func.func @cast(%f: tensor<2xf32>, %i: tensor<2xi32>, %b: tensor<2xi1>) -> (tensor<2xi64>, tensor<2xf16>, tensor<2xf64>, tensor<2xi8>, tensor<2xi64>, tensor<2xf32>, tensor<2xi1>, tensor<2xi1>, tensor<2xf32>, tensor<2xf32>) {
// CHECK-NEXT:   %[[COMPUTE:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xi64> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %f[%[[D0]]] : tensor<2xf32>
// CHECK-NEXT:     %[[FPTOSI:[0-9]+]] = arith.fptosi %[[READ]] : f32 to i64
// CHECK-NEXT:     tensor.yield %[[FPTOSI]] : i64
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE2:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xf16> {
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %f[%[[D0]]] : tensor<2xf32>
// CHECK-NEXT:     %[[TRUNCF:[0-9]+]] = arith.truncf %[[READ2]] : f32 to f16
// CHECK-NEXT:     tensor.yield %[[TRUNCF]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE3:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xf64> {
// CHECK-NEXT:     %[[READ3:[0-9]+]] = tensor.read %f[%[[D0]]] : tensor<2xf32>
// CHECK-NEXT:     %[[EXTF:[0-9]+]] = arith.extf %[[READ3]] : f32 to f64
// CHECK-NEXT:     tensor.yield %[[EXTF]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE4:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xi8> {
// CHECK-NEXT:     %[[READ4:[0-9]+]] = tensor.read %i[%[[D0]]] : tensor<2xi32>
// CHECK-NEXT:     %[[TRUNCI:[0-9]+]] = arith.trunci %[[READ4]] : i32 to i8
// CHECK-NEXT:     tensor.yield %[[TRUNCI]] : i8
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE5:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xi64> {
// CHECK-NEXT:     %[[READ5:[0-9]+]] = tensor.read %i[%[[D0]]] : tensor<2xi32>
// CHECK-NEXT:     %[[EXTSI:[0-9]+]] = arith.extsi %[[READ5]] : i32 to i64
// CHECK-NEXT:     tensor.yield %[[EXTSI]] : i64
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE6:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xf32> {
// CHECK-NEXT:     %[[READ6:[0-9]+]] = tensor.read %i[%[[D0]]] : tensor<2xi32>
// CHECK-NEXT:     %[[SITOFP:[0-9]+]] = arith.sitofp %[[READ6]] : i32 to f32
// CHECK-NEXT:     tensor.yield %[[SITOFP]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE7:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xi1> {
// CHECK-NEXT:     %[[READ7:[0-9]+]] = tensor.read %f[%[[D0]]] : tensor<2xf32>
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:     %[[CMPF:[0-9]+]] = arith.cmpf une, %[[READ7]], %[[CONSTANT]] : f32
// CHECK-NEXT:     tensor.yield %[[CMPF]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE8:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xi1> {
// CHECK-NEXT:     %[[READ8:[0-9]+]] = tensor.read %i[%[[D0]]] : tensor<2xi32>
// CHECK-NEXT:     %[[CONSTANT2:[0-9]+]] = arith.constant 0 : i32
// CHECK-NEXT:     %[[CMPI:[0-9]+]] = arith.cmpi ne, %[[READ8]], %[[CONSTANT2]] : i32
// CHECK-NEXT:     tensor.yield %[[CMPI]] : i1
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[COMPUTE9:[0-9]+]] = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xf32> {
// CHECK-NEXT:     %[[READ9:[0-9]+]] = tensor.read %b[%[[D0]]] : tensor<2xi1>
// CHECK-NEXT:     %[[CONSTANT3:[0-9]+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:     %[[CONSTANT4:[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:     %[[SELECT:[0-9]+]] = arith.select %[[READ9]], %[[CONSTANT3]], %[[CONSTANT4]] : f32
// CHECK-NEXT:     tensor.yield %[[SELECT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %[[COMPUTE]], %[[COMPUTE2]], %[[COMPUTE3]], %[[COMPUTE4]], %[[COMPUTE5]], %[[COMPUTE6]], %[[COMPUTE7]], %[[COMPUTE8]], %[[COMPUTE9]], %f : tensor<2xi64>, tensor<2xf16>, tensor<2xf64>, tensor<2xi8>, tensor<2xi64>, tensor<2xf32>, tensor<2xi1>, tensor<2xi1>, tensor<2xf32>, tensor<2xf32>
// CHECK-NEXT: }
