"""A program that goes wrong in the reference interpreter is an error, not a crash.

``dlc-run --check`` interprets what it compiled. A tensor-level read out of bounds
(an index expression no verifier can bound) left the interpreter as
InterpretationError, an integer division by zero as ZeroDivisionError, and
dlc-run printed a traceback for both.
"""

from pathlib import Path

import numpy as np
import pytest
from xdsl.utils.exceptions import InterpretationError

import dlc
from dlc.tools.dlc_run import main

SHIFTED_READ = """func.func @f(%x: tensor<2x3xf32>) -> tensor<1x3xf32> {
  %y = tensor.compute (%i, %j) : tensor<1x3xf32> {
    %c1 = arith.constant 1 : index
    %next = arith.addi %j, %c1 : index
    %v = tensor.read %x[%i, %next] : tensor<2x3xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<1x3xf32>
}
"""
"""Row 0, columns 1 to 3: natively the last read is x[1, 0], in the buffer."""

REMAINDER_BY_INDEX = """func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = tensor.compute (%i) : tensor<3xf32> {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %d = arith.subi %i, %c1 : index
    %r = arith.remui %c2, %d : index
    %v = tensor.read %x[%r] : tensor<3xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<3xf32>
}
"""

OUT_OF_BOUNDS = (
    "tensor.read: index [0, 3] is out of bounds for tensor<2x3xf32> and the read "
    "has no pad value"
)


def test_read_out_of_bounds_at_run_time_is_an_interpretation_error():
    module = dlc.parse(SHIFTED_READ)
    with pytest.raises(InterpretationError) as info:
        dlc.interpret(module, "f", np.zeros((2, 3), np.float32))
    assert str(info.value) == OUT_OF_BOUNDS


def test_integer_division_by_zero_is_an_interpretation_error():
    module = dlc.parse(REMAINDER_BY_INDEX)
    with pytest.raises(InterpretationError, match="^@f: integer modulo by zero$"):
        dlc.interpret(module, "f", np.zeros(3, np.float32))


def test_dlc_run_check_reports_it_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "shifted.mlir"
    path.write_text(SHIFTED_READ)
    with pytest.raises(SystemExit) as info:
        main([str(path), "--check"])
    assert info.value.code == 1
    assert capsys.readouterr().err == f"error: {OUT_OF_BOUNDS}\n"
