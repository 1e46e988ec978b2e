"""An integer division by a compute index that takes the value 0 is an error.

Swapping ``arith.addi`` for ``arith.divsi`` in a convolution's body divided by the
reduction index ``%kw``, 0 at its first value: LLVM may assume a divisor is never
0, and the compiled code crashed the process with a segfault.
"""

import pytest

import dlc

DIVIDE = """func.func @f(%x: tensor<4x3xf32>) -> tensor<4xf32> {
  %y = tensor.compute (%i) reduce add (%k) in [3] init 0.0 : tensor<4xf32> {
    %q = arith.divsi %i, DIVISOR : index
    %v = tensor.read %x[%q, %k] : tensor<4x3xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<4xf32>
}
"""


def test_division_by_a_reduction_index_is_reported_at_the_compute():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(DIVIDE.replace("DIVISOR", "%k"), "divide.mlir")
    error = info.value
    assert error.location is not None and error.location.line == 2
    assert error.message == (
        "tensor.compute: arith.divsi on line 3 divides by an index that takes the "
        "value 0 (its values are [0, 2])"
    )


def test_remainder_by_a_zero_constant_is_reported():
    text = DIVIDE.replace("arith.divsi %i, DIVISOR", "arith.remui %i, %c0").replace(
        "    %q =", "    %c0 = arith.constant 0 : index\n    %q ="
    )
    with pytest.raises(dlc.DiagnosticError, match=r"arith.remui on line 4 divides"):
        dlc.compile(text)


def test_division_by_a_positive_constant_compiles():
    text = DIVIDE.replace("DIVISOR", "%c2").replace(
        "    %q =", "    %c2 = arith.constant 2 : index\n    %q ="
    )
    dlc.compile(text)
