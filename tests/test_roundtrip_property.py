"""Properties of random nn programs (see tests/strategies.py).

* Printing is a fixed point of parsing: ``print(parse(print(m))) == print(m)``, in
  dlc's custom syntax and in MLIR's generic form, and the parsed module verifies.
* The reference interpreter runs every generated program, and its outputs have the
  inferred types and are finite.
"""

from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.dialects.func import FuncOp
from xdsl.printer import Printer
from xdsl.utils.exceptions import InterpretationError

import dlc
from dlc.context import make_context
from dlc.dialects.nn import NN_OPS
from dlc.interpreter.nn.support import numpy_dtype
from tests.strategies import OP_SPECS, Program, programs


def print_module(module: ModuleOp, *, generic: bool = False) -> str:
    """The module as dlc-opt prints it, resources (dense_resource blobs) included."""
    out = StringIO()
    printer = Printer(stream=out, print_generic_format=generic)
    printer.print_op(module)
    printer.print_metadata(make_context().loaded_dialects)
    return out.getvalue()


def test_the_generator_draws_every_nn_op():
    assert sorted(spec.op.name for spec in OP_SPECS) == sorted(op.name for op in NN_OPS)


@given(programs())
def test_printed_programs_parse_back_to_the_same_text(program: Program):
    program.module.verify()
    custom = print_module(program.module)
    assert print_module(dlc.parse(custom)) == custom

    generic = print_module(program.module, generic=True)
    reparsed = dlc.parse(generic)
    assert print_module(reparsed) == custom
    assert print_module(reparsed, generic=True) == generic


@given(programs(), st.integers(0, 2**16))
def test_interpreter_runs_every_program_to_finite_outputs(program: Program, seed: int):
    outputs = dlc.interpret(
        program.module, program.function, *program.random_inputs(seed)
    )
    func = next(op for op in program.module.ops if isinstance(op, FuncOp))
    result_types = func.function_type.outputs.data
    if len(result_types) == 1:
        outputs = (outputs,)
    assert len(outputs) == len(result_types)
    for output, result_type in zip(outputs, result_types, strict=True):
        assert isinstance(result_type, TensorType)
        assert output.shape == tuple(result_type.get_shape())
        assert output.dtype == numpy_dtype(result_type.element_type)
        assert np.isfinite(output).all(), f"non-finite output of type {result_type}"


RESOURCE_CONSTANT = """\
builtin.module {
  func.func @f() -> tensor<2xf32> {
    %0 = nn.constant dense_resource<w> : tensor<2xf32>
    func.return %0 : tensor<2xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}
"""


def test_resource_constants_round_trip_when_parsed_again():
    first = print_module(dlc.parse(RESOURCE_CONSTANT))
    second = print_module(dlc.parse(first))
    assert first == second
    assert 'w: "0x040000000000803F00000040"' in second


def test_a_resource_name_reused_with_other_weights_is_renamed_not_shared():
    first = dlc.parse(RESOURCE_CONSTANT)
    other = RESOURCE_CONSTANT.replace(
        "0x040000000000803F00000040", "0x0400000000004040000080C0"
    )
    second = dlc.parse(other)
    assert dlc.interpret(first, "f").tolist() == [1.0, 2.0]
    assert dlc.interpret(second, "f").tolist() == [3.0, -4.0]
    assert "dense_resource<w_" in print_module(second)


def test_a_resource_without_a_blob_never_sees_another_modules_weights():
    dlc.parse(RESOURCE_CONSTANT)
    without_blob = RESOURCE_CONSTANT[: RESOURCE_CONSTANT.index("{-#")]
    module = dlc.parse(without_blob)
    with pytest.raises(InterpretationError, match="no blob"):
        dlc.interpret(module, "f")
