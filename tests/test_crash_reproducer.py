"""dlc-opt's crash reproducers: the IR before a crashing pass, and how to replay it.

A pass that raises an unexpected exception is a bug in dlc. dlc-opt then writes
the IR as that pass received it (generic form, resource blobs included) and prints
``reproduce with: dlc-opt <file> -p <pass>``; running that command must hit the
same internal error. The crashing pass is registered only here, in a DlcOptMain
subclass, so that no real pass has to be broken for the test.
"""

from __future__ import annotations

import io
import re
import shlex
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from dlc.diagnostics import DiagnosticError
from dlc.tools.dlc_opt import DlcOptMain

MODEL = """func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = nn.constant dense_resource<reproducer_w> : tensor<2xf32>
  %y = nn.add %x, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      reproducer_w: "0x040000000000803F00000040"
    }
  }
#-}
"""

INTERNAL_ERROR = (
    "error: internal compiler error in pass 'test-crash': "
    "RuntimeError: cannot handle tensor.compute"
)


@dataclass(frozen=True)
class CrashOnOpPass(ModulePass):
    """Raises when it meets an op named ``op``, as a pattern with a bug would."""

    name = "test-crash"

    op: str = "nn.add"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for nested in op.walk():
            if nested.name == self.op:
                raise RuntimeError(f"cannot handle {nested.name}")


@dataclass(frozen=True)
class RejectInputPass(ModulePass):
    """Reports a user error: a diagnostic, not a crash."""

    name = "test-reject"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raise DiagnosticError("test-reject: the input is wrong")


class DlcOptWithTestPasses(DlcOptMain):
    def register_all_passes(self) -> None:
        super().register_all_passes()
        self.register_pass(CrashOnOpPass.name, lambda: CrashOnOpPass)
        self.register_pass(RejectInputPass.name, lambda: RejectInputPass)


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str

    def notes(self) -> dict[str, str]:
        """The reproducer's path and the replay command, from the printed notes."""
        path = re.search(r"^note: the IR before pass .* is in (.*)$", self.stderr, re.M)
        command = re.search(r"^note: reproduce with: (.*)$", self.stderr, re.M)
        assert path and command, self.stderr
        return {"path": path.group(1), "command": command.group(1)}


def dlc_opt(*argv: str) -> Run:
    """Run dlc-opt, with the test passes, in this process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    status = 0
    with redirect_stdout(stdout), redirect_stderr(stderr):
        try:
            DlcOptWithTestPasses(args=list(argv)).run()
        except SystemExit as exit:
            status = int(exit.code or 0)
        except DiagnosticError as error:
            print(error.format(), file=stderr)
            status = 1
    return Run(status, stdout.getvalue(), stderr.getvalue())


def replay(command: str) -> Run:
    """Run a printed ``dlc-opt ...`` command with the test passes registered."""
    program, *argv = shlex.split(command)
    assert program == "dlc-opt"
    return dlc_opt(*argv)


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The model as a file; reproducers without --crash-reproducer go to tmp_path."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    path = tmp_path / "model.mlir"
    path.write_text(MODEL)
    return path


def test_a_crash_writes_the_ir_before_the_crashing_pass(model: Path):
    done = dlc_opt(str(model), "-p", 'nn-to-tensor,test-crash{op="tensor.compute"}')
    assert done.status == 1
    assert INTERNAL_ERROR in done.stderr
    assert "Traceback" not in done.stderr
    reproducer = Path(done.notes()["path"]).read_text()
    assert reproducer.startswith(
        "// dlc-opt crash reproducer: the IR before pass "
        """'test-crash{op="tensor.compute"}'\n"builtin.module"()"""
    )
    # nn-to-tensor has run, test-crash has not; generic form, blob included.
    assert '"tensor.compute"' in reproducer and "nn.add" not in reproducer
    assert "dense_resource<reproducer_w>" in reproducer
    assert 'reproducer_w: "0x040000000000803F00000040"' in reproducer


def test_the_printed_command_is_exact_and_replays_the_same_internal_error(
    model: Path,
):
    done = dlc_opt(str(model), "-p", 'nn-to-tensor,test-crash{op="tensor.compute"}')
    notes = done.notes()
    assert notes["command"] == (
        f"""dlc-opt {notes["path"]} -p 'test-crash{{op="tensor.compute"}}'"""
    )
    replayed = replay(notes["command"])
    assert replayed.status == 1
    assert INTERNAL_ERROR in replayed.stderr


def test_the_default_reproducer_is_a_new_file_in_the_temp_dir(model: Path):
    first = dlc_opt(str(model), "-p", "test-crash")
    second = dlc_opt(str(model), "-p", "test-crash")
    paths = [Path(first.notes()["path"]), Path(second.notes()["path"])]
    assert paths[0] != paths[1]
    for path in paths:
        assert path.parent == Path(tempfile.gettempdir())
        assert path.name.startswith("model.") and path.name.endswith(".crash.mlir")
        assert "nn.add" in path.read_text()


def test_crash_reproducer_chooses_the_file(model: Path, tmp_path: Path):
    chosen = tmp_path / "chosen.mlir"
    done = dlc_opt(str(model), "-p", "test-crash", f"--crash-reproducer={chosen}")
    assert done.notes()["path"] == str(chosen)
    assert '"nn.add"' in chosen.read_text()
    assert not list((tmp_path / "temp").iterdir())


def test_an_unwritable_reproducer_is_a_note_not_a_second_crash(model: Path):
    unwritable = model.parent / "missing" / "dir" / "r.mlir"
    done = dlc_opt(str(model), "-p", "test-crash", f"--crash-reproducer={unwritable}")
    assert done.status == 1
    assert "error: internal compiler error in pass 'test-crash'" in done.stderr
    assert "note: could not write a crash reproducer:" in done.stderr


def test_verify_flags_that_change_parsing_are_part_of_the_command(model: Path):
    done = dlc_opt(str(model), "-p", "test-crash", "--disable-verify")
    assert done.notes()["command"].endswith(" -p test-crash --disable-verify")


def test_a_user_error_in_a_pass_writes_no_reproducer(model: Path):
    done = dlc_opt(str(model), "-p", "test-reject")
    assert done.status == 1
    assert "test-reject: the input is wrong" in done.stderr
    assert "reproduce with" not in done.stderr
    assert not list((model.parent / "temp").iterdir())


def test_a_crash_in_one_chunk_reproduces_that_chunk(model: Path):
    ok = "func.func @g() {\n  func.return\n}\n"
    model.write_text(ok + "// -----\n" + MODEL)
    done = dlc_opt(str(model), "--split-input-file", "-p", "test-crash")
    assert done.status == 1
    assert "func.func @g" in done.stdout
    reproducer = Path(done.notes()["path"]).read_text()
    assert '"nn.add"' in reproducer and "@g" not in reproducer


def test_debug_shows_the_traceback_after_the_reproducer_notes(model: Path):
    stderr = io.StringIO()
    with redirect_stderr(stderr), pytest.raises(RuntimeError, match="cannot handle"):
        DlcOptWithTestPasses(args=[str(model), "-p", "test-crash", "--debug"]).run()
    assert "note: reproduce with: dlc-opt " in stderr.getvalue()
