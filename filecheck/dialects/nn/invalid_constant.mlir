// RUN: dlc-opt %s --split-input-file --verify-diagnostics

func.func @integer_elements() {
  // expected-error @+1 {{nn.constant value must have element type f16, f32 or f64, got tensor<2xi32>}}
  %0 = nn.constant dense<[1, 2]> : tensor<2xi32>
  func.return
}

// -----

func.func @not_a_tensor() {
  // expected-error @+1 {{nn.constant value must be a tensor, got vector<2xf32>}}
  %0 = nn.constant dense<[1.0, 2.0]> : vector<2xf32>
  func.return
}

// -----

func.func @dynamic_shape() {
  // expected-error @+1 {{nn.constant value must have a static shape, got tensor<?xf32>}}
  %0 = nn.constant dense_resource<invalid_dynamic> : tensor<?xf32>
  func.return
}

// -----

func.func @result_type_differs_from_value_type() {
  // expected-error @+1 {{attribute tensor<3xf32> expected from variable 'T', but got tensor<2xf32>}}
  %0 = "nn.constant"() <{value = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<3xf32>
  func.return
}

// -----

func.func @blob_too_short() {
  // expected-error @+1 {{nn.constant: resource 'invalid_short' holds 8 bytes after its 4-byte alignment header, but tensor<3xf32> needs 12}}
  %0 = nn.constant dense_resource<invalid_short> : tensor<3xf32>
  func.return
}
{-#
  dialect_resources: {
    builtin: {
      invalid_short: "0x040000000000803F00000040"
    }
  }
#-}
