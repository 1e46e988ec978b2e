"""A tensor dim that does not fit in 64 bits is a diagnostic, not a crash.

Found by the 10,000-mutant run (bench/fuzz_mutants.py, seed 7, mutant 6693: a
conv2d padding of 2**63 - 1, whose result types ``repair_types`` then inferred, so
the flattened result was ``tensor<1x41505174165846491154xf32>``). dlc.parse
accepts such a type (MLIR's parser rejects a dim beyond int64), and dlc.compile
then stops in loop-to-llvm with xDSL's ``VerifyException: Integer value
41505174165846491154 is out of range for type i64`` from ``ConstantToLLVM``.
The verifier now rejects the type where it is written.
"""

import pytest

import dlc

WIDE = "41505174165846491154"
TEXT = f"""func.func @f(%x: tensor<1x{WIDE}xf32>) -> tensor<1x{WIDE}xf32> {{
  %r = nn.relu %x : tensor<1x{WIDE}xf32>
  func.return %r : tensor<1x{WIDE}xf32>
}}
"""


def test_compiling_a_dim_beyond_64_bits_is_a_diagnostic():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.compile(TEXT, filename="wide.mlir")
    assert info.value.location is not None
    assert info.value.location.line == 1
    assert f"has a dim of {WIDE}, more than the 9223372036854775807" in (
        info.value.message
    )
