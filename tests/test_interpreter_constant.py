"""nn.constant in the reference interpreter: inline values and resource blobs.

xDSL keeps resource blobs in one process-wide table, and a resource name parsed twice
gets a numeric suffix; every test here therefore uses its own resource names.
"""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from xdsl.dialects.builtin import Float64Type, ModuleOp, TensorType
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.targets.mlir import MLIRTarget
from xdsl.utils.exceptions import InterpretationError

import dlc
from dlc.context import make_context
from dlc.dialects.nn.constant import ConstantOp
from dlc.resources import declare_resource, dense_from_array, resource_blob
from tests.support import run_function


def test_inline_values_splats_and_rank_0():
    text = """
    func.func @f() -> (tensor<2x2xf32>, tensor<3xf16>, tensor<f64>, tensor<2xf32>) {
      %a = nn.constant dense<[[1.0, -2.0], [0.5, 4.0]]> : tensor<2x2xf32>
      %b = nn.constant dense<1.5> : tensor<3xf16>
      %c = nn.constant dense<-0.25> : tensor<f64>
      %d = nn.constant dense<[1, 2]> : tensor<2xf32>
      func.return %a, %b, %c, %d
          : tensor<2x2xf32>, tensor<3xf16>, tensor<f64>, tensor<2xf32>
    }
    """
    a, b, c, d = run_function(text)
    np.testing.assert_array_equal(a, np.array([[1, -2], [0.5, 4]], np.float32))
    assert a.dtype == np.float32
    np.testing.assert_array_equal(b, np.full(3, 1.5, np.float16))
    assert b.dtype == np.float16
    assert c.shape == () and c.dtype == np.float64 and c == -0.25
    np.testing.assert_array_equal(d, np.array([1, 2], np.float32))


def test_resource_blob_is_read_after_the_alignment_header():
    values = [1.0, -2.5, 3.25, 0.0, 7.0, 1e-3]
    blob = struct.pack("<I", 4) + struct.pack("<6f", *values)
    text = f"""
    func.func @f() -> tensor<2x3xf32> {{
      %w = nn.constant dense_resource<test_blob_read> : tensor<2x3xf32>
      func.return %w : tensor<2x3xf32>
    }}
    {{-#
      dialect_resources: {{
        builtin: {{
          test_blob_read: "0x{blob.hex().upper()}"
        }}
      }}
    #-}}
    """
    out = run_function(text)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.array(values, np.float32).reshape(2, 3))


def test_resource_without_a_blob_verifies_but_cannot_run():
    text = """
    func.func @f() -> tensor<2xf32> {
      %w = nn.constant dense_resource<test_blob_missing> : tensor<2xf32>
      func.return %w : tensor<2xf32>
    }
    """
    module = dlc.parse(text)
    with pytest.raises(InterpretationError, match="test_blob_missing' has no blob"):
        dlc.interpret(module, "f")


def test_declared_resource_runs_and_is_printed_with_its_blob():
    weights = np.arange(6, dtype=np.float64).reshape(3, 2) / 7
    value = declare_resource("test_blob_declared", weights)
    assert resource_blob(value.resource_handle.data) == weights.tobytes()
    constant = ConstantOp.from_operands([], value=value)
    assert constant.result.type == TensorType(Float64Type(), [3, 2])
    module = returning(constant)

    np.testing.assert_array_equal(dlc.interpret(module, "f"), weights)
    printed = io.StringIO()
    MLIRTarget().emit(make_context(), module, printed)
    assert f'{value.resource_handle.data}: "0x08000000' in printed.getvalue()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_dense_from_array_keeps_every_bit(dtype: str):
    array = np.array([[np.nan, -0.0, np.inf], [1e-40, -3.5, 0.1]]).astype(dtype)
    constant = ConstantOp.from_operands([], value=dense_from_array(array))
    out = dlc.interpret(returning(constant), "f")
    assert out.dtype == array.dtype
    assert out.tobytes() == array.tobytes()


def returning(constant: ConstantOp) -> ModuleOp:
    """A module whose ``@f`` returns the value of ``constant``."""
    function = FuncOp("f", ((), (constant.result.type,)))
    function.body.block.add_ops([constant, ReturnOp(constant.result)])
    return ModuleOp([function])


def test_the_same_resource_text_parsed_twice_keeps_its_weights():
    """xDSL renames a resource seen before; handle and blob must get one name."""
    text = """
    func.func @f() -> tensor<2xf32> {
      %0 = nn.constant dense_resource<twice> : tensor<2xf32>
      func.return %0 : tensor<2xf32>
    }
    {-# dialect_resources: { builtin: { twice: "0x040000000000803F00000040" } } #-}
    """
    for _ in range(3):
        np.testing.assert_array_equal(run_function(text), [1.0, 2.0])
