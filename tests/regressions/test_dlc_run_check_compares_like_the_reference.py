"""``dlc-run --check`` passes when the compiled code computes what the reference
does: NaN where the reference has NaN, f16 within f16 precision, rank-0 inputs.

It reported FAILED for a batch_norm whose random variance was negative (NaN in
both results, and ``nan <= tolerance`` is false), for an f16 rms_norm (1e-4 is
below f16's precision), and it could not run a function with a rank-0 argument
(its random input was a numpy scalar, which the compiled function rejects).
"""

from pathlib import Path

import numpy as np
import pytest

from dlc.tools.dlc_run import compare, main

PROGRAMS = {
    "nan_in_both": """func.func @f(%x: tensor<5x3xf32>, %s: tensor<3xf32>,
    %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<5x3xf32> {
  %0 = nn.batch_norm %x, %s, %b, %m, %v
      : (tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
      -> tensor<5x3xf32>
  func.return %0 : tensor<5x3xf32>
}
""",
    "f16": """func.func @f(%x: tensor<4x16xf16>, %g: tensor<16xf16>)
    -> tensor<4x16xf16> {
  %0 = nn.rms_norm %x, %g : (tensor<4x16xf16>, tensor<16xf16>) -> tensor<4x16xf16>
  func.return %0 : tensor<4x16xf16>
}
""",
    "rank_0": """func.func @f(%x: tensor<3xf32>, %s: tensor<f32>) -> tensor<3xf32> {
  %0 = nn.mul %x, %s : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}
""",
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_check_passes(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = tmp_path / f"{name}.mlir"
    path.write_text(PROGRAMS[name])
    with pytest.raises(SystemExit) as info:
        main([str(path), "--random", "--check"])
    out, err = capsys.readouterr()
    assert info.value.code == 0, out + err
    assert "FAILED" not in out and "(ok, tolerance" in out


def test_nan_where_the_reference_has_a_number_still_fails():
    error, scale = compare(np.array([np.nan, 1.0]), np.array([2.0, 1.0]))
    assert np.isnan(error) and scale == 2.0
    assert compare(np.array([np.inf, np.nan]), np.array([np.inf, np.nan])) == (0.0, 1.0)
