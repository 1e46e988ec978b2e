"""An arith.cmpi or arith.cmpf whose predicate number names no predicate is an error.

xDSL 0.74 accepts any integer there; printing the op then indexed its list of
predicate names out of range (an IndexError out of dlc-opt), and so did the
canonicalization patterns of dlc.compile.
"""

import pytest

import dlc

CONCAT = """func.func @f(%a: tensor<2xf32>, %b: tensor<4xf32>) -> tensor<6xf32> {
  %y = tensor.compute (%i) : tensor<6xf32> {
    %c2 = arith.constant 2 : index
    %in_a = "arith.cmpi"(%i, %c2) <{predicate = PREDICATE : i64}> : (index, index) -> i1
    %ib = arith.subi %i, %c2 : index
    %va = tensor.read %a[%i] pad 0.0 : tensor<2xf32>
    %vb = tensor.read %b[%ib] pad 0.0 : tensor<4xf32>
    %v = arith.select %in_a, %va, %vb : f32
    tensor.yield %v : f32
  }
  func.return %y : tensor<6xf32>
}
"""


def test_predicate_out_of_range_is_reported_at_the_comparison():
    text = CONCAT.replace("PREDICATE", "-9223372036854775808")
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(text, "cmpi.mlir")
    error = info.value
    assert error.location is not None and error.location.line == 4
    assert error.message == (
        "arith.cmpi: predicate -9223372036854775808 is not one of the 10 "
        "predicates, 0 (eq) to 9 (uge)"
    )


def test_cmpf_predicate_out_of_range_is_reported():
    text = """func.func @f(%x: f32) -> i1 {
  %b = "arith.cmpf"(%x, %x) <{predicate = 16 : i64, fastmath = #arith.fastmath<none>}>
      : (f32, f32) -> i1
  func.return %b : i1
}
"""
    with pytest.raises(dlc.DiagnosticError, match="predicate 16 is not one of the 16"):
        dlc.parse(text)


def test_every_predicate_in_range_compiles():
    dlc.compile(CONCAT.replace("PREDICATE", "2"))
