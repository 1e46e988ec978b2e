"""dlc-import-onnx: end to end as a user runs it (a subprocess), and its other
paths in process (each subprocess costs a second or more of imports)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

import dlc
from dlc.tools.dlc_import_onnx import main, parse_input_shape
from tests.onnx.support import make_model, node, random, run_onnxruntime
from tests.onnx.test_importer import shape_subgraph_model, unsupported_model

BIN = Path(sys.executable).parent


def tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BIN / "dlc-import-onnx", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def run_main(
    capsys: pytest.CaptureFixture[str], *args: str | Path
) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``dlc-import-onnx args`` in this process."""
    try:
        main([str(arg) for arg in args])
        status = 0
    except SystemExit as exit:
        status = int(exit.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def save(model: onnx.ModelProto, path: Path) -> Path:
    onnx.save(model, path)
    return path


def test_import_writes_nn_ir_that_compiles_to_onnxruntime_results(
    tmp_path: Path,
) -> None:
    x = random((2, 8))
    model = make_model(
        [
            node("Gemm", ["x", "w", "b"], ["h"], transB=1),
            node("Relu", ["h"], ["y"]),
        ],
        {"x": x},
        ["y"],
        {"w": random((20, 8), seed=1), "b": random((20,), seed=2)},
    )
    output = tmp_path / "model.mlir"
    result = tool(save(model, tmp_path / "model.onnx"), "-o", output)
    assert result.returncode == 0, result.stderr
    text = output.read_text()
    assert "nn.dense" in text and 'loc("Gemm_h")' in text
    compiled = dlc.compile(text, filename=str(output))
    np.testing.assert_allclose(
        compiled(x), run_onnxruntime(model, {"x": x})[0], rtol=1e-5, atol=1e-6
    )


def test_unsupported_nodes_are_listed_with_exit_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save(unsupported_model(), tmp_path / "bad.onnx")
    status, _, err = run_main(capsys, path, "-o", tmp_path / "o")
    assert status == 1
    assert err.startswith("error: cannot import") and "Traceback" not in err
    assert "TopK (2 nodes: TopK_top1, TopK_top2): no converter" in err
    assert "Resize (1 node: Resize_p): mode = 'cubic'" in err
    assert not (tmp_path / "o").exists()


def test_input_shape_pins_dynamic_dims_and_output_goes_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = save(shape_subgraph_model(), tmp_path / "dynamic.onnx")
    status, out, err = run_main(
        capsys, path, "--input-shape", "x=5x3x4", "--no-locations"
    )
    assert status == 0, err
    assert "nn.reshape %x {shape = array<i64: 5, 12>}" in out
    assert "loc(" not in out


def test_dynamic_input_error_suggests_input_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(capsys, save(shape_subgraph_model(), tmp_path / "d.onnx"))
    assert status == 1
    assert "--input-shape x=1x3x4" in err


def test_truncated_file_and_bad_flags_fail_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = make_model([node("Relu", ["x"], ["y"])], {"x": random((2,))}, ["y"])
    path = tmp_path / "cut.onnx"
    path.write_bytes(model.SerializeToString()[:20])
    good = save(model, tmp_path / "good.onnx")
    for args in (
        [path],
        [path.with_name("missing.onnx")],
        [good, "--input-shape", "x"],
        [good, "--input-shape", "x=2xa"],
        [good, "-o", tmp_path / "no" / "such" / "dir.mlir"],
    ):
        status, _, err = run_main(capsys, *args)
        assert status == 1, args
        assert err.startswith("error: ") and "Traceback" not in err


def test_parse_input_shape() -> None:
    assert parse_input_shape("input=1x3x224x224") == ("input", (1, 3, 224, 224))
    assert parse_input_shape("a=b=2,3") == ("a=b", (2, 3))
    assert parse_input_shape("scalar=") == ("scalar", ())
    assert np.prod(parse_input_shape("x=7")[1]) == 7
