// RUN: dlc-opt %s --split-input-file | dlc-opt --split-input-file | filecheck %s
// RUN: dlc-opt %s --split-input-file --print-op-generic | dlc-opt --split-input-file | filecheck %s

// The result type is the value's type and is not written twice.

// CHECK-LABEL: func.func @inline
// CHECK-NEXT:    %{{.*}} = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %{{.*}} = nn.constant dense<{{\[}}[1.000000e+00, -2.500000e-01], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf64>
// CHECK-NEXT:    %{{.*}} = nn.constant dense<1.500000e+00> : tensor<3x2xf16>
// CHECK-NEXT:    %{{.*}} = nn.constant dense<-5.000000e-01> : tensor<f32>
func.func @inline() -> (tensor<2xf32>, tensor<2x2xf64>, tensor<3x2xf16>, tensor<f32>) {
  %0 = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = nn.constant dense<[[1.0, -0.25], [3.0, 4.0]]> : tensor<2x2xf64>
  %2 = nn.constant dense<1.5> : tensor<3x2xf16>
  %3 = nn.constant dense<-0.5> : tensor<f32>
  func.return %0, %1, %2, %3 : tensor<2xf32>, tensor<2x2xf64>, tensor<3x2xf16>, tensor<f32>
}

// -----

// A resource constant prints its handle, and the blob it refers to is printed again
// in the resource section (xDSL 0.74 prints them on one line); blobs nothing refers
// to are dropped.

// CHECK-LABEL: func.func @resource
// CHECK-NEXT:    %{{.*}} = nn.constant dense_resource<roundtrip_w1> : tensor<2x2xf32>
// CHECK-NEXT:    %{{.*}} = nn.constant dense_resource<roundtrip_b1> : tensor<2xf32>
// CHECK:       {-#
// CHECK-NEXT:    dialect_resources: {
// CHECK-NEXT:      builtin: {
// CHECK-NEXT:        roundtrip_b1: "0x040000000000803F00000040",
// CHECK:             roundtrip_w1: "0x040000000000803F000000400000404000008040"
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:  #-}
func.func @resource() -> (tensor<2x2xf32>, tensor<2xf32>) {
  %w = nn.constant dense_resource<roundtrip_w1> : tensor<2x2xf32>
  %b = nn.constant dense_resource<roundtrip_b1> : tensor<2xf32>
  func.return %w, %b : tensor<2x2xf32>, tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      roundtrip_w1: "0x040000000000803F000000400000404000008040",
      roundtrip_b1: "0x040000000000803F00000040",
      roundtrip_unused: "0x0400000000000000"
    }
  }
#-}
// CHECK-NOT: roundtrip_unused
