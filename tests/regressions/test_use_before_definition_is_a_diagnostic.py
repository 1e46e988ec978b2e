"""A value used above its definition is an error at the use, not a crash later.

xDSL 0.74's parser resolves forward references and its verifier does not check
dominance, so swapping two lines of a valid program gave a module that crashed
tensor-to-loop (KeyError), the LLVM translation and the interpreter.
"""

import pytest

import dlc

SWAPPED = """func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %1 = nn.exp %0 : tensor<4xf32>
  %0 = nn.relu %x : tensor<4xf32>
  func.return %1 : tensor<4xf32>
}
"""


def test_use_above_the_definition_is_reported_at_the_use():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(SWAPPED, "swapped.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 3)
    assert error.message == (
        "nn.exp: operand #0 (result 0 of nn.relu on line 3) is used before its "
        "definition"
    )


def test_an_op_using_its_own_result_is_reported():
    own = SWAPPED.replace("%1 = nn.exp %0", "%1 = nn.exp %1").replace(
        "  %0 = nn.relu %x : tensor<4xf32>\n", ""
    )
    with pytest.raises(dlc.DiagnosticError, match="operand #0 .* before its defin"):
        dlc.parse(own)


def test_a_named_value_is_reported_by_its_name():
    generic = """"builtin.module"() ({
  "func.func"() <{sym_name = "f", function_type = (tensor<4xf32>) -> tensor<4xf32>}> ({
  ^bb0(%x: tensor<4xf32>):
    %e = "nn.exp"(%r) : (tensor<4xf32>) -> tensor<4xf32>
    %r = "nn.relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
    "func.return"(%e) : (tensor<4xf32>) -> ()
  }) : () -> ()
}) : () -> ()
"""
    with pytest.raises(dlc.DiagnosticError, match=r"nn.exp: operand #0 \(%r\) is"):
        dlc.parse(generic)


def test_compile_reports_it_instead_of_crashing_in_tensor_to_loop():
    with pytest.raises(dlc.DiagnosticError, match="used before its definition"):
        dlc.compile(SWAPPED)


def test_values_of_enclosing_blocks_and_block_arguments_still_verify():
    nested = """func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = arith.constant 1.0 : f32
  %y = tensor.compute (%i) : tensor<4xf32> {
    %v = tensor.read %x[%i] : tensor<4xf32>
    %s = arith.addf %v, %one : f32
    tensor.yield %s : f32
  }
  func.return %y : tensor<4xf32>
}
"""
    dlc.parse(nested)
