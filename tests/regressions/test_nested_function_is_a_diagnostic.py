"""A func.func inside a function body is rejected where it is written.

A duplicated ``func.func`` header line nests a function declaration in the body of
another; xDSL 0.74 accepted it, and dlc.compile crashed in the LLVM translation
(NotImplementedError: llvm.func inside llvm.func).
"""

import pytest

import dlc

NESTED = """func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
func.func @g(%x: tensor<4xf32>)
  %0 = nn.relu %x : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}
"""


def test_function_inside_a_function_is_reported_at_the_inner_function():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(NESTED, "nested.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 1)
    assert error.message == (
        "func.func: a symbol must be defined directly in a symbol table such as "
        "builtin.module, but its parent is func.func"
    )


def test_compile_reports_it_instead_of_crashing_in_the_llvm_translation():
    with pytest.raises(dlc.DiagnosticError, match="a symbol must be defined"):
        dlc.compile(NESTED)
