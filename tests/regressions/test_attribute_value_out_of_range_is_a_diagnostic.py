"""An attribute value that does not fit its type is an error at the attribute.

xDSL 0.74 packs dense literals with ``struct``, which raised ``OverflowError:
float too large to pack with e format`` for ``dense<1.0e+39> : tensor<2xf16>``
straight out of dlc-opt and dlc.parse.
"""

import pytest

import dlc


def test_float_literal_too_large_for_f16_is_reported_at_the_literal():
    text = """func.func @f() -> tensor<2xf16> {
  %c = nn.constant dense<1.0e+39> : tensor<2xf16>
  func.return %c : tensor<2xf16>
}
"""
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(text, "big.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 20)
    assert error.message == (
        "invalid attribute value: float too large to pack with e format"
    )


def test_same_literal_in_the_generic_form():
    text = """"builtin.module"() ({
  "func.func"() <{sym_name = "f", function_type = () -> tensor<2xf16>}> ({
    %c = "nn.constant"() <{value = dense<1.0e+39> : tensor<2xf16>}>
        : () -> tensor<2xf16>
    "func.return"(%c) : (tensor<2xf16>) -> ()
  }) : () -> ()
}) : () -> ()
"""
    with pytest.raises(dlc.DiagnosticError, match="invalid attribute value"):
        dlc.compile(text)
