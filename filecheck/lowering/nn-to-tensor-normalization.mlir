// RUN: dlc-opt %s -p nn-to-tensor --split-input-file | filecheck %s

// softmax: max-reduce, exp(x - max), sum-reduce, divide. The statistics keep the
// reduced axis as a size-1 dim, read back at index 0.
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %p = nn.softmax %x {axis = 1} : tensor<2x5xf32>
  func.return %p : tensor<2x5xf32>
}
// CHECK-LABEL: func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
// CHECK-NEXT:   %max = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) reduce max (%[[R0:[0-9]+]]) in [5] init 0xff800000 : tensor<2x1xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[R0]]] : tensor<2x5xf32>
// CHECK-NEXT:     tensor.yield %[[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %exp = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<2x5xf32> {
// CHECK-NEXT:     %[[X_1:[0-9]+]] = tensor.read %x[%[[D0]], %[[D1]]] : tensor<2x5xf32>
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[MAX:[0-9]+]] = tensor.read %max[%[[D0]], %[[C0]]] : tensor<2x1xf32>
// CHECK-NEXT:     %[[SUBF:[0-9]+]] = arith.subf %[[X_1]], %[[MAX]] : f32
// CHECK-NEXT:     %[[EXP:[0-9]+]] = math.exp %[[SUBF]] : f32
// CHECK-NEXT:     tensor.yield %[[EXP]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %sum = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) reduce add (%[[R0:[0-9]+]]) in [5] init 0.000000e+00 : tensor<2x1xf32> {
// CHECK-NEXT:     %[[EXP_1:[0-9]+]] = tensor.read %exp[%[[D0]], %[[R0]]] : tensor<2x5xf32>
// CHECK-NEXT:     tensor.yield %[[EXP_1]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %p = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<2x5xf32> {
// CHECK-NEXT:     %[[EXP_2:[0-9]+]] = tensor.read %exp[%[[D0]], %[[D1]]] : tensor<2x5xf32>
// CHECK-NEXT:     %[[C0_1:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[SUM:[0-9]+]] = tensor.read %sum[%[[D0]], %[[C0_1]]] : tensor<2x1xf32>
// CHECK-NEXT:     %[[DIVF:[0-9]+]] = arith.divf %[[EXP_2]], %[[SUM]] : f32
// CHECK-NEXT:     tensor.yield %[[DIVF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %p : tensor<2x5xf32>
// CHECK-NEXT: }

// -----

// Along a middle axis of a rank-3 tensor.
func.func @softmax_middle(%x: tensor<2x3x4xf64>) -> tensor<2x3x4xf64> {
  %p = nn.softmax %x {axis = -2} : tensor<2x3x4xf64>
  func.return %p : tensor<2x3x4xf64>
}
// CHECK-LABEL: func.func @softmax_middle(%x: tensor<2x3x4xf64>) -> tensor<2x3x4xf64> {
// CHECK-NEXT:   %max = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) reduce max (%[[R0:[0-9]+]]) in [3] init 0xfff0000000000000 : tensor<2x1x4xf64> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[R0]], %[[D2]]] : tensor<2x3x4xf64>
// CHECK-NEXT:     tensor.yield %[[X]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   %exp = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) : tensor<2x3x4xf64> {
// CHECK-NEXT:     %[[X_1:[0-9]+]] = tensor.read %x[%[[D0]], %[[D1]], %[[D2]]] : tensor<2x3x4xf64>
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[MAX:[0-9]+]] = tensor.read %max[%[[D0]], %[[C0]], %[[D2]]] : tensor<2x1x4xf64>
// CHECK-NEXT:     %[[SUBF:[0-9]+]] = arith.subf %[[X_1]], %[[MAX]] : f64
// CHECK-NEXT:     %[[EXP:[0-9]+]] = math.exp %[[SUBF]] : f64
// CHECK-NEXT:     tensor.yield %[[EXP]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   %sum = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) reduce add (%[[R0:[0-9]+]]) in [3] init 0.000000e+00 : tensor<2x1x4xf64> {
// CHECK-NEXT:     %[[EXP_1:[0-9]+]] = tensor.read %exp[%[[D0]], %[[R0]], %[[D2]]] : tensor<2x3x4xf64>
// CHECK-NEXT:     tensor.yield %[[EXP_1]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   %p = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) : tensor<2x3x4xf64> {
// CHECK-NEXT:     %[[EXP_2:[0-9]+]] = tensor.read %exp[%[[D0]], %[[D1]], %[[D2]]] : tensor<2x3x4xf64>
// CHECK-NEXT:     %[[C0_1:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[SUM:[0-9]+]] = tensor.read %sum[%[[D0]], %[[C0_1]], %[[D2]]] : tensor<2x1x4xf64>
// CHECK-NEXT:     %[[DIVF:[0-9]+]] = arith.divf %[[EXP_2]], %[[SUM]] : f64
// CHECK-NEXT:     tensor.yield %[[DIVF]] : f64
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %p : tensor<2x3x4xf64>
// CHECK-NEXT: }

// -----

// log_softmax: x - max - log(sum(exp(x - max))), with exp(x - max) summed in place.
func.func @log_softmax(%x: tensor<3xf32>) -> tensor<3xf32> {
  %l = nn.log_softmax %x : tensor<3xf32>
  func.return %l : tensor<3xf32>
}
// CHECK-LABEL: func.func @log_softmax(%x: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:   %max = tensor.compute (%[[D0:[0-9]+]]) reduce max (%[[R0:[0-9]+]]) in [3] init 0xff800000 : tensor<1xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[R0]]] : tensor<3xf32>
// CHECK-NEXT:     tensor.yield %[[X]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %sum = tensor.compute (%[[D0:[0-9]+]]) reduce add (%[[R0:[0-9]+]]) in [3] init 0.000000e+00 : tensor<1xf32> {
// CHECK-NEXT:     %[[X_1:[0-9]+]] = tensor.read %x[%[[R0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[MAX:[0-9]+]] = tensor.read %max[%[[C0]]] : tensor<1xf32>
// CHECK-NEXT:     %[[SUBF:[0-9]+]] = arith.subf %[[X_1]], %[[MAX]] : f32
// CHECK-NEXT:     %[[EXP:[0-9]+]] = math.exp %[[SUBF]] : f32
// CHECK-NEXT:     tensor.yield %[[EXP]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %l = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[X_2:[0-9]+]] = tensor.read %x[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[C0_1:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[MAX_1:[0-9]+]] = tensor.read %max[%[[C0_1]]] : tensor<1xf32>
// CHECK-NEXT:     %[[C0_2:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[SUM:[0-9]+]] = tensor.read %sum[%[[C0_2]]] : tensor<1xf32>
// CHECK-NEXT:     %[[SUBF_1:[0-9]+]] = arith.subf %[[X_2]], %[[MAX_1]] : f32
// CHECK-NEXT:     %[[LOG:[0-9]+]] = math.log %[[SUM]] : f32
// CHECK-NEXT:     %[[SUBF_2:[0-9]+]] = arith.subf %[[SUBF_1]], %[[LOG]] : f32
// CHECK-NEXT:     tensor.yield %[[SUBF_2]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %l : tensor<3xf32>
// CHECK-NEXT: }

// -----

// layer_norm: mean, then the variance as the mean of (x - mean)^2 (two passes),
// 1 / sqrt(variance + epsilon), and (x - mean) * inv_std * scale + bias.
func.func @layer_norm(%x: tensor<2x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  %y = nn.layer_norm %x, %g, %b {axis = -2, epsilon = 1.0e-06} : (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  func.return %y : tensor<2x3x4xf32>
}
// CHECK-LABEL: func.func @layer_norm(%x: tensor<2x3x4xf32>, %g: tensor<3x4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
// CHECK-NEXT:   %mean = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) reduce add (%[[R0:[0-9]+]], %[[R1:[0-9]+]]) in [3, 4] init 0.000000e+00 : tensor<2x1x1xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[R0]], %[[R1]]] : tensor<2x3x4xf32>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 0.0833333358 : f32
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[X]], %[[CST]] : f32
// CHECK-NEXT:     tensor.yield %[[MULF]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %variance = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) reduce add (%[[R0:[0-9]+]], %[[R1:[0-9]+]]) in [3, 4] init 0.000000e+00 : tensor<2x1x1xf32> {
// CHECK-NEXT:     %[[X_1:[0-9]+]] = tensor.read %x[%[[D0]], %[[R0]], %[[R1]]] : tensor<2x3x4xf32>
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[MEAN:[0-9]+]] = tensor.read %mean[%[[D0]], %[[C0]], %[[C0]]] : tensor<2x1x1xf32>
// CHECK-NEXT:     %[[SUBF:[0-9]+]] = arith.subf %[[X_1]], %[[MEAN]] : f32
// CHECK-NEXT:     %[[MULF_1:[0-9]+]] = arith.mulf %[[SUBF]], %[[SUBF]] : f32
// CHECK-NEXT:     %[[CST_1:[0-9]+]] = arith.constant 0.0833333358 : f32
// CHECK-NEXT:     %[[MULF_2:[0-9]+]] = arith.mulf %[[MULF_1]], %[[CST_1]] : f32
// CHECK-NEXT:     tensor.yield %[[MULF_2]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %inv_std = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) : tensor<2x1x1xf32> {
// CHECK-NEXT:     %[[VARIANCE:[0-9]+]] = tensor.read %variance[%[[D0]], %[[D1]], %[[D2]]] : tensor<2x1x1xf32>
// CHECK-NEXT:     %[[CST_2:[0-9]+]] = arith.constant 1.000000e-06 : f32
// CHECK-NEXT:     %[[ADDF:[0-9]+]] = arith.addf %[[VARIANCE]], %[[CST_2]] : f32
// CHECK-NEXT:     %[[RSQRT:[0-9]+]] = math.rsqrt %[[ADDF]] : f32
// CHECK-NEXT:     tensor.yield %[[RSQRT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %y = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]]) : tensor<2x3x4xf32> {
// CHECK-NEXT:     %[[X_2:[0-9]+]] = tensor.read %x[%[[D0]], %[[D1]], %[[D2]]] : tensor<2x3x4xf32>
// CHECK-NEXT:     %[[C0_1:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[MEAN_1:[0-9]+]] = tensor.read %mean[%[[D0]], %[[C0_1]], %[[C0_1]]] : tensor<2x1x1xf32>
// CHECK-NEXT:     %[[C0_2:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[INV_STD:[0-9]+]] = tensor.read %inv_std[%[[D0]], %[[C0_2]], %[[C0_2]]] : tensor<2x1x1xf32>
// CHECK-NEXT:     %[[G:[0-9]+]] = tensor.read %g[%[[D1]], %[[D2]]] : tensor<3x4xf32>
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D1]], %[[D2]]] : tensor<3x4xf32>
// CHECK-NEXT:     %[[SUBF_1:[0-9]+]] = arith.subf %[[X_2]], %[[MEAN_1]] : f32
// CHECK-NEXT:     %[[MULF_3:[0-9]+]] = arith.mulf %[[SUBF_1]], %[[INV_STD]] : f32
// CHECK-NEXT:     %[[MULF_4:[0-9]+]] = arith.mulf %[[MULF_3]], %[[G]] : f32
// CHECK-NEXT:     %[[ADDF_1:[0-9]+]] = arith.addf %[[MULF_4]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[ADDF_1]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<2x3x4xf32>
// CHECK-NEXT: }

// -----

// rms_norm: 1 / sqrt(mean(x^2) + epsilon), then x * inv_std * scale. In f16 it
// computes in f32 (f16 keeps ~3 digits): operands are widened, the result narrowed.
func.func @rms_norm(%x: tensor<4x8xf16>, %g: tensor<8xf16>) -> tensor<4x8xf16> {
  %y = nn.rms_norm %x, %g : (tensor<4x8xf16>, tensor<8xf16>) -> tensor<4x8xf16>
  func.return %y : tensor<4x8xf16>
}
// CHECK-LABEL: func.func @rms_norm(%x: tensor<4x8xf16>, %g: tensor<8xf16>) -> tensor<4x8xf16> {
// CHECK-NEXT:   %x_f32 = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<4x8xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[D1]]] : tensor<4x8xf16>
// CHECK-NEXT:     %[[XW:[0-9]+]] = arith.extf %[[X]] : f16 to f32
// CHECK-NEXT:     tensor.yield %[[XW]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %g_f32 = tensor.compute (%[[D0:[0-9]+]]) : tensor<8xf32> {
// CHECK:        %mean_square = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) reduce add (%[[R0:[0-9]+]]) in [8] init 0.000000e+00 : tensor<4x1xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x_f32[%[[D0]], %[[R0]]] : tensor<4x8xf32>
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[X]], %[[X]] : f32
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 1.250000e-01 : f32
// CHECK-NEXT:     %[[MULF_1:[0-9]+]] = arith.mulf %[[MULF]], %[[CST]] : f32
// CHECK-NEXT:     tensor.yield %[[MULF_1]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %inv_std = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<4x1xf32> {
// CHECK-NEXT:     %[[MEAN_SQUARE:[0-9]+]] = tensor.read %mean_square[%[[D0]], %[[D1]]] : tensor<4x1xf32>
// CHECK-NEXT:     %[[CST_1:[0-9]+]] = arith.constant 1.000000e-05 : f32
// CHECK-NEXT:     %[[ADDF:[0-9]+]] = arith.addf %[[MEAN_SQUARE]], %[[CST_1]] : f32
// CHECK-NEXT:     %[[RSQRT:[0-9]+]] = math.rsqrt %[[ADDF]] : f32
// CHECK-NEXT:     tensor.yield %[[RSQRT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %y_f32 = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<4x8xf32> {
// CHECK-NEXT:     %[[X_1:[0-9]+]] = tensor.read %x_f32[%[[D0]], %[[D1]]] : tensor<4x8xf32>
// CHECK-NEXT:     %[[C0:[0-9]+]] = arith.constant 0 : index
// CHECK-NEXT:     %[[INV_STD:[0-9]+]] = tensor.read %inv_std[%[[D0]], %[[C0]]] : tensor<4x1xf32>
// CHECK-NEXT:     %[[G:[0-9]+]] = tensor.read %g_f32[%[[D1]]] : tensor<8xf32>
// CHECK-NEXT:     %[[MULF_2:[0-9]+]] = arith.mulf %[[X_1]], %[[INV_STD]] : f32
// CHECK-NEXT:     %[[MULF_3:[0-9]+]] = arith.mulf %[[MULF_2]], %[[G]] : f32
// CHECK-NEXT:     tensor.yield %[[MULF_3]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %y = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]]) : tensor<4x8xf16> {
// CHECK-NEXT:     %[[W:[0-9]+]] = tensor.read %y_f32[%[[D0]], %[[D1]]] : tensor<4x8xf32>
// CHECK-NEXT:     %[[N:[0-9]+]] = arith.truncf %[[W]] : f32 to f16
// CHECK-NEXT:     tensor.yield %[[N]] : f16
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<4x8xf16>
// CHECK-NEXT: }

// -----

// batch_norm: 1 / sqrt(variance + epsilon) per channel, then every element reads
// its channel's parameters at dim 1.
func.func @batch_norm(%x: tensor<1x3x2x2xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x2x2xf32> {
  %y = nn.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-03} : (tensor<1x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32>
  func.return %y : tensor<1x3x2x2xf32>
}
// CHECK-LABEL: func.func @batch_norm(%x: tensor<1x3x2x2xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x2x2xf32> {
// CHECK-NEXT:   %inv_std = tensor.compute (%[[D0:[0-9]+]]) : tensor<3xf32> {
// CHECK-NEXT:     %[[V:[0-9]+]] = tensor.read %v[%[[D0]]] : tensor<3xf32>
// CHECK-NEXT:     %[[CST:[0-9]+]] = arith.constant 1.000000e-03 : f32
// CHECK-NEXT:     %[[ADDF:[0-9]+]] = arith.addf %[[V]], %[[CST]] : f32
// CHECK-NEXT:     %[[RSQRT:[0-9]+]] = math.rsqrt %[[ADDF]] : f32
// CHECK-NEXT:     tensor.yield %[[RSQRT]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %y = tensor.compute (%[[D0:[0-9]+]], %[[D1:[0-9]+]], %[[D2:[0-9]+]], %[[D3:[0-9]+]]) : tensor<1x3x2x2xf32> {
// CHECK-NEXT:     %[[X:[0-9]+]] = tensor.read %x[%[[D0]], %[[D1]], %[[D2]], %[[D3]]] : tensor<1x3x2x2xf32>
// CHECK-NEXT:     %[[M:[0-9]+]] = tensor.read %m[%[[D1]]] : tensor<3xf32>
// CHECK-NEXT:     %[[SUBF:[0-9]+]] = arith.subf %[[X]], %[[M]] : f32
// CHECK-NEXT:     %[[INV_STD:[0-9]+]] = tensor.read %inv_std[%[[D1]]] : tensor<3xf32>
// CHECK-NEXT:     %[[MULF:[0-9]+]] = arith.mulf %[[SUBF]], %[[INV_STD]] : f32
// CHECK-NEXT:     %[[S:[0-9]+]] = tensor.read %s[%[[D1]]] : tensor<3xf32>
// CHECK-NEXT:     %[[MULF_1:[0-9]+]] = arith.mulf %[[MULF]], %[[S]] : f32
// CHECK-NEXT:     %[[B:[0-9]+]] = tensor.read %b[%[[D1]]] : tensor<3xf32>
// CHECK-NEXT:     %[[ADDF_1:[0-9]+]] = arith.addf %[[MULF_1]], %[[B]] : f32
// CHECK-NEXT:     tensor.yield %[[ADDF_1]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   func.return %y : tensor<1x3x2x2xf32>
// CHECK-NEXT: }
