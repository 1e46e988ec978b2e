"""nn.broadcast_to with a negative dim in its shape is a verifier error.

It inferred ``tensor<?xf32>`` (xDSL prints a negative dim as ``?``), which the
written type matched, so the op verified; canonicalize then failed in the middle
of dlc.compile with a VerifyException ("must have a static shape").
"""

import pytest

import dlc

NEGATIVE = """func.func @f(%s: tensor<f32>) -> tensor<?xf32> {
  %b = nn.broadcast_to %s {shape = array<i64: -9223372036854775808>}
      : tensor<f32> -> tensor<?xf32>
  func.return %b : tensor<?xf32>
}
"""


def test_negative_dim_is_reported_at_the_op():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(NEGATIVE, "negative.mlir")
    error = info.value
    assert error.location is not None and error.location.line == 2
    assert error.message == (
        "nn.broadcast_to: shape [-9223372036854775808] must have non-negative "
        "dimensions"
    )


def test_compile_reports_it_instead_of_failing_in_canonicalize():
    with pytest.raises(dlc.DiagnosticError, match="must have non-negative dim"):
        dlc.compile(NEGATIVE)


def test_reshape_keeps_its_message():
    text = """func.func @f(%x: tensor<4xf32>) -> tensor<?x4xf32> {
  %r = nn.reshape %x {shape = array<i64: -1, 4>} : tensor<4xf32> -> tensor<?x4xf32>
  func.return %r : tensor<?x4xf32>
}
"""
    with pytest.raises(dlc.DiagnosticError, match=r"nn.reshape: shape \[-1, 4\] must"):
        dlc.parse(text)
