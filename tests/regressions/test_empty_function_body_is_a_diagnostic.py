"""A function whose body block is empty (no func.return) is a verifier error.

xDSL 0.74 only checks the last op of a block that has ops, so
``func.func @f(%x: tensor<2xf32>) { }`` verified, and tensor-to-loop failed on an
assertion (an internal compiler error in dlc-opt, an AssertionError out of
dlc.compile). MLIR says "empty block: expect at least a terminator".
"""

import pytest

import dlc

EMPTY = """func.func @f(%x: tensor<2x3xf32>, %y: tensor<1xf64>) {
}
"""


def test_empty_body_is_reported_at_the_function():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(EMPTY, "empty.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (1, 1)
    assert error.message == "func.func: empty block: expected at least a terminator"


def test_compile_reports_it_instead_of_failing_in_tensor_to_loop():
    with pytest.raises(dlc.DiagnosticError, match="empty block"):
        dlc.compile(EMPTY)


def test_declarations_and_modules_need_no_terminator():
    dlc.parse("func.func private @g(tensor<2xf32>) -> tensor<2xf32>\n")
    dlc.parse("builtin.module {\n}\n")
