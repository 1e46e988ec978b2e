// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// Unary ops: one compute over the result's shape, reading the input at the point.

func.func @relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = nn.relu %x : tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}
// CHECK-LABEL: func.func @relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<2x3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[D1]]] : tensor<2x3xf32>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:     %[[MAXIMUMF:[0-9]+]] = arith.maximumf %[[X]], %[[CST]] : f32
// CHECK-NEXT:     tensor.yield %[[MAXIMUMF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x3xf32>
// CHECK-NEXT: }

// -----

func.func @sigmoid(%x: tensor<4xf64>) -> tensor<4xf64> {
  %r = nn.sigmoid %x : tensor<4xf64>
  func.return %r : tensor<4xf64>
}
// CHECK-LABEL: func.func @sigmoid(%x: tensor<4xf64>) -> tensor<4xf64> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<4xf64> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<4xf64>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT:     %[[NEGF:[0-9]+]] = arith.negf %[[X]] : f64
// CHECK-NEXT:     %[[EXP:[0-9]+]] = math.exp %[[NEGF]] : f64
// CHECK-NEXT:     %[[ADDF:[0-9]+]] = arith.addf %[[CST]], %[[EXP]] : f64
// CHECK-NEXT:     %[[DIVF:[0-9]+]] = arith.divf %[[CST]], %[[ADDF]] : f64
// CHECK-NEXT:     tensor.yield %[[DIVF]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<4xf64>
// CHECK-NEXT: }

// -----

// Rank 0: a compute with no output dims, reading %x[].
func.func @tanh(%x: tensor<f32>) -> tensor<f32> {
  %r = nn.tanh %x : tensor<f32>
  func.return %r : tensor<f32>
}
// CHECK-LABEL: func.func @tanh(%x: tensor<f32>) -> tensor<f32> {
// CHECK-NEXT:   %r = tensor.compute () : tensor<f32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[] : tensor<f32>
// CHECK-NEXT:     %[[TANH:[0-9]+]] = math.tanh %[[X]] : f32
// CHECK-NEXT:     tensor.yield %[[TANH]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<f32>
// CHECK-NEXT: }

// -----

func.func @exp(%x: tensor<3xf16>) -> tensor<3xf16> {
  %r = nn.exp %x : tensor<3xf16>
  func.return %r : tensor<3xf16>
}
// CHECK-LABEL: func.func @exp(%x: tensor<3xf16>) -> tensor<3xf16> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf16> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf16>
// CHECK-NEXT:     %[[EXP:[0-9]+]] = math.exp %[[X]] : f16
// CHECK-NEXT:     tensor.yield %[[EXP]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf16>
// CHECK-NEXT: }

// -----

func.func @log(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.log %x : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @log(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[LOG:[0-9]+]] = math.log %[[X]] : f32
// CHECK-NEXT:     tensor.yield %[[LOG]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

func.func @sqrt(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.sqrt %x : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @sqrt(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[SQRT:[0-9]+]] = math.sqrt %[[X]] : f32
// CHECK-NEXT:     tensor.yield %[[SQRT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

func.func @rsqrt(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.rsqrt %x : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @rsqrt(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[RSQRT:[0-9]+]] = math.rsqrt %[[X]] : f32
// CHECK-NEXT:     tensor.yield %[[RSQRT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

func.func @neg(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.neg %x : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @neg(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[NEGF:[0-9]+]] = arith.negf %[[X]] : f32
// CHECK-NEXT:     tensor.yield %[[NEGF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

// x where x >= 0, alpha * x below.
func.func @leaky_relu(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.leaky_relu %x {alpha = 0.2} : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @leaky_relu(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 2.000000e-01 : f32
// CHECK-NEXT:     %[[CST_1:[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:     %[[CMPF:[0-9]+]] = arith.cmpf oge, %[[X]], %[[CST_1]] : f32
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[CST]], %[[X]] : f32
// CHECK-NEXT:     %[[SELECT:[0-9]+]] = arith.select %[[CMPF]], %[[X]], %[[MULF]] : f32
// CHECK-NEXT:     tensor.yield %[[SELECT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

// Exact gelu in f32: 0.5 * x * (1 + erf(z)), z = x * sqrt(1/2), with 1 + erf(z)
// computed from erfc(|z|) (Numerical Recipes' erfcc) as (1 + s) - s * erfc(|z|),
// s = copysign(1, x), so that the negative tail keeps its relative precision.
func.func @gelu(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.gelu %x : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @gelu(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[HALF:[0-9]+]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT:     %[[HALF_X:[0-9]+]] = arith.mulf %[[HALF]], %[[X]] : f32
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 0.707106769 : f32
// CHECK-NEXT:     %[[Z:[0-9]+]] = arith.mulf %[[X]], %[[CST]] : f32
// CHECK-NEXT:     %[[ABS:[0-9]+]] = math.absf %[[Z]] : f32
// CHECK:          %[[T:[0-9]+]] = arith.divf %{{[0-9]+}}, %{{[0-9]+}} : f32
// CHECK-NEXT:     %{{[0-9]+}} = arith.constant 0.170872763 : f32
// CHECK:          %{{[0-9]+}} = arith.constant -1.26551223 : f32
// CHECK:          %[[SQUARE:[0-9]+]] = arith.mulf %[[ABS]], %[[ABS]] : f32
// CHECK-NEXT:     %[[EXPONENT:[0-9]+]] = arith.subf %{{[0-9]+}}, %[[SQUARE]] : f32
// CHECK-NEXT:     %[[EXP:[0-9]+]] = math.exp %[[EXPONENT]] : f32
// CHECK-NEXT:     %[[ERFC:[0-9]+]] = arith.mulf %[[T]], %[[EXP]] : f32
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:     %[[SIGN:[0-9]+]] = math.copysign %[[ONE]], %[[X]] : f32
// CHECK-NEXT:     %[[ONE_1:[0-9]+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:     %[[ZERO_OR_TWO:[0-9]+]] = arith.addf %[[ONE_1]], %[[SIGN]] : f32
// CHECK-NEXT:     %[[SIGNED:[0-9]+]] = arith.mulf %[[SIGN]], %[[ERFC]] : f32
// CHECK-NEXT:     %[[PHI2:[0-9]+]] = arith.subf %[[ZERO_OR_TWO]], %[[SIGNED]] : f32
// CHECK-NEXT:     %[[R:[0-9]+]] = arith.mulf %[[HALF_X]], %[[PHI2]] : f32
// CHECK-NEXT:     tensor.yield %[[R]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

// Exact gelu in f64: 0.5 * x * (1 + erf(x * sqrt(1/2))), erf from libm.
func.func @gelu_f64(%x: tensor<3xf64>) -> tensor<3xf64> {
  %r = nn.gelu %x : tensor<3xf64>
  func.return %r : tensor<3xf64>
}
// CHECK-LABEL: func.func @gelu_f64(%x: tensor<3xf64>) -> tensor<3xf64> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf64> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf64>
// CHECK-NEXT:     %[[HALF:[0-9]+]] = arith.constant 5.000000e-01 : f64
// CHECK-NEXT:     %[[HALF_X:[0-9]+]] = arith.mulf %[[HALF]], %[[X]] : f64
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 0.70710678118654757 : f64
// CHECK-NEXT:     %[[Z:[0-9]+]] = arith.mulf %[[X]], %[[CST]] : f64
// CHECK-NEXT:     %[[ERF:[0-9]+]] = math.erf %[[Z]] : f64
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1.000000e+00 : f64
// CHECK-NEXT:     %[[ONE_PLUS:[0-9]+]] = arith.addf %[[ONE]], %[[ERF]] : f64
// CHECK-NEXT:     %[[R:[0-9]+]] = arith.mulf %[[HALF_X]], %[[ONE_PLUS]] : f64
// CHECK-NEXT:     tensor.yield %[[R]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf64>
// CHECK-NEXT: }

// -----

// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).
func.func @gelu_tanh(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.gelu %x {approximate = "tanh"} : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @gelu_tanh(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK-NEXT:     %[[MULF_1:[0-9]+]] = arith.mulf %[[MULF]], %[[X]] : f32
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 4.471500e-02 : f32
// CHECK-NEXT:     %[[MULF_2:[0-9]+]] = arith.mulf %[[CST]], %[[MULF_1]] : f32
// CHECK-NEXT:     %[[CST_1:[0-9]+]] = arith.constant 0.797884583 : f32
// CHECK-NEXT:     %[[ADDF:[0-9]+]] = arith.addf %[[X]], %[[MULF_2]] : f32
// CHECK-NEXT:     %[[MULF_3:[0-9]+]] = arith.mulf %[[CST_1]], %[[ADDF]] : f32
// CHECK-NEXT:     %[[TANH:[0-9]+]] = math.tanh %[[MULF_3]] : f32
// CHECK-NEXT:     %[[CST_2:[0-9]+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT:     %[[ADDF_1:[0-9]+]] = arith.addf %[[CST_2]], %[[TANH]] : f32
// CHECK-NEXT:     %[[CST_3:[0-9]+]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT:     %[[MULF_4:[0-9]+]] = arith.mulf %[[CST_3]], %[[X]] : f32
// CHECK-NEXT:     %[[MULF_5:[0-9]+]] = arith.mulf %[[MULF_4]], %[[ADDF_1]] : f32
// CHECK-NEXT:     tensor.yield %[[MULF_5]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

func.func @clip(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.clip %x {min = 0.0, max = 6.0} : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @clip(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:     %[[MAXIMUMF:[0-9]+]] = arith.maximumf %[[X]], %[[CST]] : f32
// CHECK-NEXT:     %[[CST_1:[0-9]+]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT:     %[[MINIMUMF:[0-9]+]] = arith.minimumf %[[MAXIMUMF]], %[[CST_1]] : f32
// CHECK-NEXT:     tensor.yield %[[MINIMUMF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

// One bound: one maximumf.
func.func @clip_min(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.clip %x {min = -1.0} : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @clip_min(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant -1.000000e+00 : f32
// CHECK-NEXT:     %[[MAXIMUMF:[0-9]+]] = arith.maximumf %[[X]], %[[CST]] : f32
// CHECK-NEXT:     tensor.yield %[[MAXIMUMF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

// No bound: the identity, so the uses take the input itself.
func.func @clip_unbounded(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.clip %x : tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @clip_unbounded(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   func.return %x : tensor<3xf32>
// CHECK-NEXT: }

// -----

// Binary ops broadcast like numpy: a size-1 dim that is stretched is read at
// index 0, and a missing leading dim is left out of the read.
func.func @add(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %r = nn.add %a, %b : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  func.return %r : tensor<4x3xf32>
}
// CHECK-LABEL: func.func @add(%a: tensor<4x1xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<4x3xf32> {
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%[[D0]], %[[C0]]] : tensor<4x1xf32>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D1]]] : tensor<3xf32>
// CHECK-NEXT:     %[[ADDF:[0-9]+]] = arith.addf %[[A]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[ADDF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<4x3xf32>
// CHECK-NEXT: }

// -----

// A size-1 dim of the result is read at its index, not at a constant.
func.func @sub(%a: tensor<2x1xf64>, %b: tensor<2x1xf64>) -> tensor<2x1xf64> {
  %r = nn.sub %a, %b : (tensor<2x1xf64>, tensor<2x1xf64>) -> tensor<2x1xf64>
  func.return %r : tensor<2x1xf64>
}
// CHECK-LABEL: func.func @sub(%a: tensor<2x1xf64>, %b: tensor<2x1xf64>) -> tensor<2x1xf64> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<2x1xf64> {
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%[[D0]], %[[D1]]] : tensor<2x1xf64>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D0]], %[[D1]]] : tensor<2x1xf64>
// CHECK-NEXT:     %[[SUBF:[0-9]+]] = arith.subf %[[A]], %[[B]] : f64
// CHECK-NEXT:     tensor.yield %[[SUBF]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x1xf64>
// CHECK-NEXT: }

// -----

// Broadcasting from rank 0: the scalar is read with no index.
func.func @mul(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %r = nn.mul %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}
// CHECK-LABEL: func.func @mul(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<2x3xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[D1]]] : tensor<2x3xf32>
// CHECK-NEXT:     %[[S:[0-9]+]] = tensor.read %s[] : tensor<f32>
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[X]], %[[S]] : f32
// CHECK-NEXT:     tensor.yield %[[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x3xf32>
// CHECK-NEXT: }

// -----

func.func @div(%a: tensor<1x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
  %r = nn.div %a, %b : (tensor<1x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}
// CHECK-LABEL: func.func @div(%a: tensor<1x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<2x3xf32> {
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%[[C0]], %[[D1]]] : tensor<1x3xf32>
// CHECK-NEXT:     %[[C0_1:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D0]], %[[C0_1]]] : tensor<2x1xf32>
// CHECK-NEXT:     %[[DIVF:[0-9]+]] = arith.divf %[[A]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[DIVF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2x3xf32>
// CHECK-NEXT: }

// -----

func.func @pow(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.pow %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @pow(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[POWF:[0-9]+]] = math.powf %[[A]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[POWF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

// On integers: square-and-multiply, unrolled over the exponent's bits but the sign
// bit; a negative exponent gives 0 unless the base is 1 or -1.

func.func @pow_integers(%a: tensor<3xi8>, %b: tensor<3xi8>) -> tensor<3xi8> {
  %r = nn.pow %a, %b : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi8>
  func.return %r : tensor<3xi8>
}
// CHECK-LABEL: func.func @pow_integers(%a: tensor<3xi8>, %b: tensor<3xi8>) -> tensor<3xi8> {
// CHECK:          %[[A:[0-9]+]] = tensor.read %a
// CHECK-NEXT:     %[[N:[0-9]+]] = tensor.read %b
// CHECK-NEXT:     %[[ZERO:[0-9]+]] = arith.constant 0 : i8
// CHECK-NEXT:     %[[ONE:[0-9]+]] = arith.constant 1 : i8
// CHECK-NEXT:     %[[BIT0:[0-9]+]] = arith.constant 1 : i8
// CHECK-NEXT:     %[[AND0:[0-9]+]] = arith.andi %[[N]], %[[BIT0]] : i8
// CHECK-NEXT:     %[[SET0:[0-9]+]] = arith.cmpi ne, %[[AND0]], %[[ZERO]] : i8
// CHECK-NEXT:     %[[MUL0:[0-9]+]] = arith.muli %[[ONE]], %[[A]] : i8
// CHECK-NEXT:     %[[ACC0:[0-9]+]] = arith.select %[[SET0]], %[[MUL0]], %[[ONE]] : i8
// CHECK-NEXT:     %[[SQ1:[0-9]+]] = arith.muli %[[A]], %[[A]] : i8
// CHECK-NEXT:     %[[BIT1:[0-9]+]] = arith.constant 2 : i8
// CHECK-NEXT:     %[[AND1:[0-9]+]] = arith.andi %[[N]], %[[BIT1]] : i8
// CHECK-NEXT:     %[[SET1:[0-9]+]] = arith.cmpi ne, %[[AND1]], %[[ZERO]] : i8
// CHECK-NEXT:     %[[MUL1:[0-9]+]] = arith.muli %[[ACC0]], %[[SQ1]] : i8
// CHECK-NEXT:     %{{[0-9]+}} = arith.select %[[SET1]], %[[MUL1]], %[[ACC0]] : i8
// CHECK:          %{{[0-9]+}} = arith.constant 64 : i8
// CHECK-NOT:      arith.constant -128
// CHECK:          %[[ACC6:[0-9]+]] = arith.select %{{[0-9]+}}, %{{[0-9]+}}, %{{[0-9]+}} : i8
// CHECK-NEXT:     %[[C1:[0-9]+]] = arith.constant 1 : i8
// CHECK-NEXT:     %[[IS1:[0-9]+]] = arith.cmpi eq, %[[A]], %[[C1]] : i8
// CHECK-NEXT:     %[[CM1:[0-9]+]] = arith.constant -1 : i8
// CHECK-NEXT:     %[[ISM1:[0-9]+]] = arith.cmpi eq, %[[A]], %[[CM1]] : i8
// CHECK-NEXT:     %[[NONNEG:[0-9]+]] = arith.cmpi sge, %[[N]], %[[ZERO]] : i8
// CHECK-NEXT:     %[[UNIT:[0-9]+]] = arith.ori %[[IS1]], %[[ISM1]] : i1
// CHECK-NEXT:     %[[KEEP:[0-9]+]] = arith.ori %[[NONNEG]], %[[UNIT]] : i1
// CHECK-NEXT:     %[[R:[0-9]+]] = arith.select %[[KEEP]], %[[ACC6]], %[[ZERO]] : i8
// CHECK-NEXT:     tensor.yield %[[R]] : i8

// -----

func.func @maximum(%a: tensor<3xf16>, %b: tensor<3xf16>) -> tensor<3xf16> {
  %r = nn.maximum %a, %b : (tensor<3xf16>, tensor<3xf16>) -> tensor<3xf16>
  func.return %r : tensor<3xf16>
}
// CHECK-LABEL: func.func @maximum(%a: tensor<3xf16>, %b: tensor<3xf16>) -> tensor<3xf16> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf16> {
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xf16>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D0]]] : tensor<3xf16>
// CHECK-NEXT:     %[[MAXIMUMF:[0-9]+]] = arith.maximumf %[[A]], %[[B]] : f16
// CHECK-NEXT:     tensor.yield %[[MAXIMUMF]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf16>
// CHECK-NEXT: }

// -----

func.func @minimum(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.minimum %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %r : tensor<3xf32>
}
// CHECK-LABEL: func.func @minimum(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[A:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[MINIMUMF:[0-9]+]] = arith.minimumf %[[A]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[MINIMUMF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xf32>
// CHECK-NEXT: }

// -----

// Integer arithmetic uses arith's signed integer ops.

func.func @integer_add_maximum(%a: tensor<3xi64>, %b: tensor<i64>) -> (tensor<3xi64>, tensor<3xi64>) {
  %s = nn.add %a, %b : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  %m = nn.maximum %s, %a : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  func.return %s, %m : tensor<3xi64>, tensor<3xi64>
}
// CHECK-LABEL: func.func @integer_add_maximum(%a: tensor<3xi64>, %b: tensor<i64>) -> (tensor<3xi64>, tensor<3xi64>) {
// CHECK-NEXT:   %s = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xi64> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xi64>
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %b[] : tensor<i64>
// CHECK-NEXT:     %[[ADDI:[0-9]+]] = arith.addi %[[READ]], %[[READ2]] : i64
// CHECK-NEXT:     tensor.yield %[[ADDI]] : i64
// CHECK-NEXT:   }
// CHECK-NEXT:   %m = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xi64> {
// CHECK-NEXT:     %[[READ3:[0-9]+]] = tensor.read %s[%[[D0]]] : tensor<3xi64>
// CHECK-NEXT:     %[[READ4:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xi64>
// CHECK-NEXT:     %[[MAXSI:[0-9]+]] = arith.maxsi %[[READ3]], %[[READ4]] : i64
// CHECK-NEXT:     tensor.yield %[[MAXSI]] : i64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %s, %m : tensor<3xi64>, tensor<3xi64>
// CHECK-NEXT: }

// -----

// Integer negation is 0 - x (arith has no negi).

func.func @integer_neg(%x: tensor<2xi8>) -> tensor<2xi8> {
  %r = nn.neg %x : tensor<2xi8>
  func.return %r : tensor<2xi8>
}
// CHECK-LABEL: func.func @integer_neg(%x: tensor<2xi8>) -> tensor<2xi8> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<2xi8> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<2xi8>
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 0 : i8
// CHECK-NEXT:     %[[SUBI:[0-9]+]] = arith.subi %[[CONSTANT]], %[[READ]] : i8
// CHECK-NEXT:     tensor.yield %[[SUBI]] : i8
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<2xi8>
// CHECK-NEXT: }

// -----

// Integer division truncates (divsi), but never divides by 0, nor the most negative
// value by -1: both divide by 1, then x / 0 becomes 0 and x / -1 becomes 0 - x.

func.func @integer_div(%a: tensor<3xi32>, %b: tensor<3xi32>) -> tensor<3xi32> {
  %r = nn.div %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  func.return %r : tensor<3xi32>
}
// CHECK-LABEL: func.func @integer_div(%a: tensor<3xi32>, %b: tensor<3xi32>) -> tensor<3xi32> {
// CHECK-NEXT:   %r = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xi32> {
// CHECK-NEXT:     %[[READ:[0-9]+]] = tensor.read %a[%[[D0]]] : tensor<3xi32>
// CHECK-NEXT:     %[[READ2:[0-9]+]] = tensor.read %b[%[[D0]]] : tensor<3xi32>
// CHECK-NEXT:     %[[CONSTANT:[0-9]+]] = arith.constant 0 : i32
// CHECK-NEXT:     %[[CMPI:[0-9]+]] = arith.cmpi eq, %[[READ2]], %[[CONSTANT]] : i32
// CHECK-NEXT:     %[[CONSTANT2:[0-9]+]] = arith.constant -1 : i32
// CHECK-NEXT:     %[[CMPI2:[0-9]+]] = arith.cmpi eq, %[[READ2]], %[[CONSTANT2]] : i32
// CHECK-NEXT:     %[[ORI:[0-9]+]] = arith.ori %[[CMPI]], %[[CMPI2]] : i1
// CHECK-NEXT:     %[[CONSTANT3:[0-9]+]] = arith.constant 1 : i32
// CHECK-NEXT:     %[[SELECT:[0-9]+]] = arith.select %[[ORI]], %[[CONSTANT3]], %[[READ2]] : i32
// CHECK-NEXT:     %[[DIVSI:[0-9]+]] = arith.divsi %[[READ]], %[[SELECT]] : i32
// CHECK-NEXT:     %[[SUBI:[0-9]+]] = arith.subi %[[CONSTANT]], %[[DIVSI]] : i32
// CHECK-NEXT:     %[[SELECT2:[0-9]+]] = arith.select %[[CMPI2]], %[[SUBI]], %[[DIVSI]] : i32
// CHECK-NEXT:     %[[SELECT3:[0-9]+]] = arith.select %[[CMPI]], %[[CONSTANT]], %[[SELECT2]] : i32
// CHECK-NEXT:     tensor.yield %[[SELECT3]] : i32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %r : tensor<3xi32>
// CHECK-NEXT: }
