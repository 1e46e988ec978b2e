"""A tensor too large for memory or for a 64-bit address is a diagnostic.

``nn.constant dense<1.5> : tensor<4611686018427387904xf32>`` made xDSL's parser
expand the splat into one Python value per element (MemoryError), and a
broadcast to that shape made loop-to-llvm build an ``i64`` constant of 2**64
bytes (a VerifyException out of dlc.compile).
"""

import pytest

import dlc

HUGE = "4611686018427387904"

HALF = "2305843009213693952"

# The huge temporary is a reduction's result, which fusion cannot inline away (a
# huge broadcast read only by a reduction is fused into it and needs no buffer).
BROADCAST = f"""func.func @f(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {{
  %b = nn.broadcast_to %x {{shape = array<i64: {HALF}, 2>}}
      : tensor<1x1xf32> -> tensor<{HALF}x2xf32>
  %r = nn.reduce_max %b {{axes = array<i64: 1>, keepdims}}
      : tensor<{HALF}x2xf32> -> tensor<{HALF}x1xf32>
  %s = nn.reduce_max %r {{axes = array<i64: 0>, keepdims}}
      : tensor<{HALF}x1xf32> -> tensor<1x1xf32>
  func.return %s : tensor<1x1xf32>
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
        f"memref.alloc: memref<{HALF}x1xf32> needs 9223372036854775808 bytes, more "
        "than the 9223372036854775807 a 64-bit address space can hold"
    )
