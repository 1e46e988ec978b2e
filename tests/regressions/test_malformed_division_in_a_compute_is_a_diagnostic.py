"""A malformed integer division inside a tensor.compute is a diagnostic.

The long fuzz run (seed 2026, mutant 3579) swapped an ``arith.constant`` for an
``arith.ceildivsi`` with no operands, in generic form. The compute's divisor check
ran before the division's own verifier and read its missing ``rhs``: an IndexError
out of dlc-opt and dlc.compile.
"""

import pytest

import dlc

TEXT = """
"builtin.module"() ({
  "func.func"() <{sym_name = "f", function_type = () -> tensor<4xf32>}> ({
    %fill = "tensor.compute"() ({
    ^bb0(%i: index):
      %one = "arith.ceildivsi"() <{value = 1.000000e+00 : f32}> : () -> f32
      "tensor.yield"(%one) : (f32) -> ()
    }) : () -> tensor<4xf32>
    "func.return"(%fill) : (tensor<4xf32>) -> ()
  }) : () -> ()
}) : () -> ()
"""


def test_a_division_without_operands_is_reported_by_its_verifier():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(TEXT, "mutant.mlir")
    assert info.value.location is not None
    assert "arith.ceildivsi" in str(info.value) or "operand" in str(info.value)
