"""Bad input gives a located diagnostic, from dlc.parse and from dlc-opt (exit 1)."""

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

import dlc
from dlc.diagnostics import SourceMap
from dlc.tools.dlc_opt import run_pass, split_input, unwrap_pass_pipeline

GOOD = """func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = nn.relu %a : tensor<4xf32>
  func.return %0 : tensor<4xf32>
}
"""


def test_parse_error_carries_file_line_column_and_caret():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(GOOD.replace("nn.relu %a", "nn.relu %a,"), "model.mlir")
    text = str(info.value)
    assert text.startswith("model.mlir:2:")
    assert ": error: " in text
    assert "  %0 = nn.relu %a, : tensor<4xf32>" in text.splitlines()[1]
    assert text.splitlines()[2].strip() == "^"


def test_verifier_error_points_at_the_op_and_names_both_types():
    bad = GOOD.replace(
        "%0 = nn.relu %a : tensor<4xf32>",
        "%0 = nn.add %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<5xf32>",
    ).replace("func.return %0 : tensor<4xf32>", "func.return %0 : tensor<5xf32>")
    bad = bad.replace("-> tensor<4xf32> {", "-> tensor<5xf32> {")
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(bad, "model.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 3)
    assert "nn.add" in error.message
    assert "tensor<4xf32>" in error.message and "tensor<5xf32>" in error.message


def test_an_op_with_a_name_location_is_still_reported_at_its_line():
    # Imported ONNX models name each op after its node: `loc("/fc1/Gemm")`.
    bad = GOOD.replace(
        "%0 = nn.relu %a : tensor<4xf32>",
        "%0 = nn.reshape %a {shape = array<i64: 5>} : tensor<4xf32> -> tensor<5xf32>"
        ' loc("/fc1/Reshape")',
    ).replace("func.return %0 : tensor<4xf32>", "func.return %0 : tensor<5xf32>")
    bad = bad.replace("-> tensor<4xf32> {", "-> tensor<5xf32> {")
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(bad, "model.mlir")
    error = info.value
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 3)
    assert str(error).startswith("model.mlir:2:3: error: nn.reshape")


def test_unknown_op_is_a_diagnostic_not_a_crash():
    with pytest.raises(dlc.DiagnosticError, match="nn.frobnicate"):
        dlc.parse(GOOD.replace("nn.relu", "nn.frobnicate"))


def test_interpret_rejects_wrong_shapes_and_argument_counts():
    module = dlc.parse(GOOD)
    with pytest.raises(
        dlc.DiagnosticError, match=r"argument 0 should have shape \(4,\)"
    ):
        dlc.interpret(module, "f", [1.0, 2.0])
    with pytest.raises(dlc.DiagnosticError, match="takes 1 arguments, got 0"):
        dlc.interpret(module, "f")
    with pytest.raises(dlc.DiagnosticError, match="no function named @g"):
        dlc.interpret(module, "g", [1.0] * 4)


@dataclass(frozen=True)
class CrashingPass(ModulePass):
    name = "crash"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raise KeyError("oops")


def test_a_crashing_pass_is_an_internal_error_naming_the_pass():
    module = dlc.parse(GOOD)
    with pytest.raises(dlc.DiagnosticError) as info:
        run_pass(CrashingPass(), module, Context(), SourceMap(), debug=False)
    assert "internal compiler error in pass 'crash': KeyError" in info.value.message
    with pytest.raises(KeyError):
        run_pass(CrashingPass(), module, Context(), SourceMap(), debug=True)


def test_split_input_keeps_line_numbers():
    chunks = split_input("a\nb\n// -----\nc\n// -----\nd\n")
    # each chunk starts on the marker line that precedes it (lines 3 and 5)
    assert [offset for _, offset in chunks] == [0, 2, 4]


def test_pass_pipeline_accepts_mlir_spelling():
    assert unwrap_pass_pipeline(
        " builtin.module( cse , canonicalize{max-iterations=2} ) "
    ) == ("cse,canonicalize{max-iterations=2}")


def run_dlc_opt(
    *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dlc.tools.dlc_opt", *args],
        input=stdin,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "source",
    [
        "func.func @f(",  # truncated
        "func.func @f() { %0 = nn.relu : tensor<4xf32> }",  # missing operand
        GOOD.replace("tensor<4xf32> {", "tensor<4xf64> {"),  # return type mismatch
        GOOD.replace(
            "%a : tensor<4xf32>\n", "%a : tensor<4xi32>\n"
        ),  # wrong element type
    ],
)
def test_dlc_opt_exits_1_with_a_located_error_and_no_traceback(
    source: str, tmp_path: Path
):
    path = tmp_path / "bad.mlir"
    path.write_text(source)
    done = run_dlc_opt(str(path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{path}:" in done.stderr and ": error: " in done.stderr


def test_dlc_opt_reports_a_missing_file_without_traceback():
    done = run_dlc_opt("/no/such/file.mlir")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "No such file" in done.stderr
