"""A tensor too large for memory or for a 64-bit address is a diagnostic.

``nn.constant dense<1.5> : tensor<4611686018427387904xf32>`` made xDSL's parser
expand the splat into one Python value per element (MemoryError), and a
broadcast to that shape made loop-to-llvm build an ``i64`` constant of 2**64
bytes (a VerifyException out of dlc.compile).
"""

import pytest

import dlc

HUGE = "4611686018427387904"

BROADCAST = f"""func.func @f(%x: tensor<1xf32>) -> tensor<1xf32> {{
  %b = nn.broadcast_to %x {{shape = array<i64: {HUGE}>}}
      : tensor<1xf32> -> tensor<{HUGE}xf32>
  %s = nn.reduce_max %b {{axes = array<i64: 0>, keepdims}}
      : tensor<{HUGE}xf32> -> tensor<1xf32>
  func.return %s : tensor<1xf32>
}}
"""


def test_splat_constant_of_a_huge_tensor_is_reported_at_the_literal():
    text = f"""func.func @f() -> tensor<{HUGE}xf32> {{
  %c = nn.constant dense<1.5> : tensor<{HUGE}xf32>
  func.return %c : tensor<{HUGE}xf32>
}}
"""
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(text, "splat.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 20)
    assert error.message == "attribute too large to hold in memory"


def test_buffer_beyond_a_64_bit_address_space_is_a_compile_diagnostic():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.compile(BROADCAST)
    assert info.value.message == (
        f"memref.alloc: memref<{HUGE}xf32> needs 18446744073709551616 bytes, more "
        "than the 9223372036854775807 a 64-bit address space can hold"
    )
