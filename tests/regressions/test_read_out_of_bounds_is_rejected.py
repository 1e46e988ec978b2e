"""A tensor.read without pad whose index surely leaves the tensor is an error.

Compiled code loads without a check, so a reduction extent grown to 2**63 - 1 (or
a dim shrunk below the domain it is read over) read far outside the buffer and
crashed the process with a segfault.
"""

import pytest

import dlc

MATMUL = """func.func @f(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [EXTENT] init 0.0 : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %b = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x5xf32>
}
"""


def test_reduction_longer_than_the_dim_it_reads_is_reported_at_the_read():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(MATMUL.replace("EXTENT", "9223372036854775807"), "m.mlir")
    error = info.value
    assert error.location is not None and error.location.line == 3
    assert error.message == (
        "tensor.read: index 1 takes values in [0, 9223372036854775806], outside "
        "dim 1 of size 6 of tensor<4x6xf32>; a read without a pad value must stay "
        "in bounds"
    )


def test_compile_rejects_it_before_any_native_code_runs():
    with pytest.raises(dlc.DiagnosticError, match="must stay in bounds"):
        dlc.compile(MATMUL.replace("EXTENT", "7"))


def test_constant_index_outside_the_tensor_is_reported():
    text = """func.func @f(%x: tensor<3xf32>) -> tensor<2xf32> {
  %y = tensor.compute (%i) : tensor<2xf32> {
    %c3 = arith.constant 3 : index
    %v = tensor.read %x[%c3] : tensor<3xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<2xf32>
}
"""
    with pytest.raises(dlc.DiagnosticError, match=r"takes values in \[3, 3\]"):
        dlc.parse(text)


def test_in_bounds_empty_and_padded_reads_are_accepted():
    dlc.parse(MATMUL.replace("EXTENT", "6"))
    dlc.parse(MATMUL.replace("EXTENT", "0"))
    padded = MATMUL.replace("EXTENT", "9").replace("] : tensor<", "] pad 0.0 : tensor<")
    dlc.parse(padded)
