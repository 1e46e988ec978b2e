"""dlc-run and dlc-translate, as a user drives them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import dlc

ROOT = Path(__file__).resolve().parent.parent

RELU = """func.func @relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.relu %x : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
"""


def run_tool(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", f"dlc.tools.{tool}", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize("example", ["mlp", "cnn", "conv", "transformer_block"])
def test_every_example_runs_and_checks_within_tolerance(example: str):
    done = run_tool("dlc_run", f"examples/{example}.mlir", "--random", "--check")
    assert done.returncode == 0, done.stderr
    assert "check output 0:" in done.stdout and "(ok," in done.stdout
    assert f"compiled @{example} in" in done.stdout


def test_dlc_run_takes_inputs_from_npy_files(tmp_path: Path):
    (tmp_path / "relu.mlir").write_text(RELU)
    x = np.array([[-1, 2, -3], [4, -5, 6]], dtype=np.float32)
    np.save(tmp_path / "x.npy", x)
    done = run_tool(
        "dlc_run", str(tmp_path / "relu.mlir"), "--inputs", str(tmp_path / "x.npy"),
        "--check", "--bench", "3",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "float32[2, 3] min 0, max 6" in done.stdout
    assert "latency over 3 runs: median" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--inputs", "x64.npy"], "must have dtype float32, got float64"),
        (
            ["--inputs", "x64.npy", "x64.npy"],
            "--inputs got 2 files, the function takes 1",
        ),
        (["--entry", "nope"], "no function named @nope"),
    ],
)
def test_dlc_run_reports_bad_inputs_without_traceback(
    tmp_path: Path, args: list[str], message: str
):
    (tmp_path / "relu.mlir").write_text(RELU)
    np.save(tmp_path / "x64.npy", np.zeros((2, 3)))
    args = [str(tmp_path / a) if a.endswith(".npy") else a for a in args]
    done = run_tool("dlc_run", str(tmp_path / "relu.mlir"), *args)
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_dlc_run_reports_a_verifier_error_at_its_line(tmp_path: Path):
    path = tmp_path / "bad.mlir"
    path.write_text(
        RELU.replace("nn.relu %x : tensor<2x3xf32>", "nn.relu %x : tensor<3x2xf32>")
    )
    done = run_tool("dlc_run", str(path), "--random")
    assert done.returncode == 1
    assert f"{path}:2:" in done.stderr and "error:" in done.stderr
    assert "Traceback" not in done.stderr


def test_dlc_translate_prints_llvm_ir_with_inbounds_geps_only():
    done = run_tool("dlc_translate", "--target=llvm", "examples/conv.mlir")
    assert done.returncode == 0, done.stderr
    assert re.search(r'define void @"?conv"?\(ptr', done.stdout)
    assert "getelementptr inbounds" in done.stdout
    assert "inttoptr" not in done.stdout and "ptrtoint" not in done.stdout


def test_dlc_translate_writes_an_object_and_assembly(tmp_path: Path):
    obj = tmp_path / "conv.o"
    assert (
        run_tool(
            "dlc_translate", "--target=obj", "examples/conv.mlir", "-o", str(obj)
        ).returncode
        == 0
    )
    assert obj.read_bytes()[:4] == b"\x7fELF"
    asm = run_tool("dlc_translate", "--target=asm", "examples/conv.mlir")
    assert asm.returncode == 0 and "conv:" in asm.stdout


C_PROGRAM = r"""
#include <stdio.h>
#include "libsmall.h"

int main(void) {
  float x[2][3], w[3][4], b[4], out[2][4];
  for (int i = 0; i < 6; ++i) ((float *)x)[i] = 0.5f * i - 1.0f;
  for (int i = 0; i < 12; ++i) ((float *)w)[i] = 0.25f * i - 1.5f;
  for (int i = 0; i < 4; ++i) b[i] = 0.1f * i;
  small(&x[0][0], &w[0][0], b, &out[0][0]);
  for (int i = 0; i < 8; ++i) printf("%.6f\n", ((float *)out)[i]);
  return 0;
}
"""

SMALL = """func.func @small(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>)
    -> tensor<2x4xf32> {
  %h = nn.dense %x, %w, %b
      : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %r = nn.relu %h : tensor<2x4xf32>
  func.return %r : tensor<2x4xf32>
}
"""


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
def test_shared_library_and_header_serve_a_c_program(tmp_path: Path):
    (tmp_path / "small.mlir").write_text(SMALL)
    library = tmp_path / "libsmall.so"
    done = run_tool(
        "dlc_translate", "--target=so", str(tmp_path / "small.mlir"), "-o", str(library)
    )
    assert done.returncode == 0, done.stderr
    header = (tmp_path / "libsmall.h").read_text()
    assert (
        "void small(const float *x, const float *w, const float *b, float *result0);"
        in header
    )
    (tmp_path / "main.c").write_text(C_PROGRAM)
    subprocess.run(
        ["cc", "-std=c11", "-o", str(tmp_path / "main"), str(tmp_path / "main.c"),
         f"-I{tmp_path}", f"-L{tmp_path}", "-lsmall", f"-Wl,-rpath,{tmp_path}"],
        check=True,
    )  # fmt: skip
    printed = subprocess.run(
        [str(tmp_path / "main")], capture_output=True, text=True, check=True
    )
    x = (0.5 * np.arange(6) - 1.0).reshape(2, 3).astype(np.float32)
    w = (0.25 * np.arange(12) - 1.5).reshape(3, 4).astype(np.float32)
    b = (0.1 * np.arange(4)).astype(np.float32)
    expected = dlc.interpret(dlc.parse(SMALL), "small", x, w, b)
    got = np.array([float(v) for v in printed.stdout.split()]).reshape(2, 4)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
