"""A string literal that is never closed is an error found in linear time.

xDSL 0.74 lexes strings with a regex that nests a ``+`` in a ``*``: on a
truncated resource blob (``"0x0400...`` up to the end of the line) it backtracks
exponentially, and dlc-opt hung. dlc's parser lexes strings with possessive
quantifiers instead.
"""

import subprocess
import sys
from pathlib import Path

import pytest

import dlc

TRUNCATED = """func.func @f() -> tensor<2xf32> {
  %w = nn.constant dense_resource<blob> : tensor<2xf32>
  func.return %w : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F000000400000404000008040000000000000000000000000
"""


def test_truncated_blob_is_a_diagnostic_at_the_open_quote():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(TRUNCATED, "truncated.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (8, 13)
    assert error.message == "End of file reached before closing string literal."


def test_dlc_opt_exits_1_at_once(tmp_path: Path):
    path = tmp_path / "truncated.mlir"
    path.write_text(TRUNCATED)
    done = subprocess.run(
        [sys.executable, "-m", "dlc.tools.dlc_opt", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"{path}:8:13: error: End of file reached")
