"""dlc-opt: parse textual IR, run a pass pipeline, print the result.

It is xDSL's ``xdsl-opt`` driver (all of its flags) with dlc's dialects and passes,
plus the MLIR conveniences:

* ``--pass-pipeline='builtin.module(a,b{opt=1})'`` alongside ``-p a,b{opt=1}``;
* ``--print-ir-after-all`` (to stderr, after every pass including the last);
* ``--verify-diagnostics``: check ``// expected-error@+N {{...}}`` annotations;
* ``--time-passes``: a per-pass timing table on stderr;
* diagnostics as ``file:line:col: error: message`` with the source line and a caret,
  exit status 1, and no traceback unless ``--debug``;
* crash reproducers (MLIR's ``--mlir-pass-pipeline-crash-reproducer``): when a pass
  raises an internal error, the IR as it was before that pass is written, in generic
  form with its resource blobs, to ``--crash-reproducer=PATH`` (by default a new
  ``<input>.*.crash.mlir`` in the system temp dir), and the command that replays the
  crash, ``dlc-opt <reproducer> -p <pass>``, is printed.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer
from xdsl.targets.mlir import MLIRTarget
from xdsl.utils.exceptions import ArgSpecParseError, DiagnosticException
from xdsl.xdsl_opt_main import xDSLOptMain

from dlc.context import DLC_DIALECTS
from dlc.diagnostics import DiagnosticError, SourceMap
from dlc.parse import parse_module, verify_module
from dlc.transforms.registry import all_passes

SPLIT_MARKER = "// -----"


class DlcOptMain(xDSLOptMain):
    version_format = "dlc-opt built on xdsl version {xdsl_version}"

    def register_all_dialects(self) -> None:
        for dialect in DLC_DIALECTS:
            self.ctx.register_dialect(dialect.name, lambda d=dialect: d)

    def register_all_passes(self) -> None:
        for name, factory in all_passes().items():
            self.register_pass(name, factory)

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.add_argument(
            "--pass-pipeline",
            default="",
            help="MLIR-style pipeline, e.g. 'builtin.module(canonicalize,cse)'",
        )
        arg_parser.add_argument(
            "--print-ir-after-all",
            action="store_true",
            help="print the IR to stderr after every pass, including the last",
        )
        arg_parser.add_argument(
            "--debug",
            action="store_true",
            help="show Python tracebacks for errors (for dlc developers)",
        )
        arg_parser.add_argument(
            "--crash-reproducer",
            metavar="PATH",
            help="where to write the IR before a pass that crashes (default: a new "
            "<input>.*.crash.mlir in the system temp dir)",
        )

    def setup_pipeline(self) -> None:
        spec = ",".join(
            part
            for part in (
                self.args.passes,
                unwrap_pass_pipeline(self.args.pass_pipeline),
            )
            if part
        )
        self.pipeline = PassPipeline.parse_spec(self.available_passes, spec)

    def run(self) -> None:
        """Parse, transform and print each chunk; exit 1 on any error."""
        filename = self.args.input_file or "<stdin>"
        if self.args.input_file is None:
            text = sys.stdin.read()
        else:
            with open(self.args.input_file, encoding="utf-8") as f:
                text = f.read()
        chunks = split_input(text) if self.args.split_input_file else [(text, 0)]
        output = self.prepare_output()
        failed = False
        try:
            for index, (chunk, line_offset) in enumerate(chunks):
                if index > 0:
                    output.write(SPLIT_MARKER + "\n")
                ok = self.process_chunk(chunk, filename, line_offset, output)
                failed = failed or not ok
                output.flush()
        finally:
            if output is not sys.stdout:
                output.close()
        if failed:
            sys.exit(1)

    def process_chunk(
        self, chunk: str, filename: str, line_offset: int, output: object
    ) -> bool:
        sources = SourceMap()
        error: DiagnosticError | None = None
        try:
            module = parse_module(
                self.ctx,
                chunk,
                filename,
                sources=sources,
                line_offset=line_offset,
                verify=not self.args.disable_verify,
            )
            self.apply_passes_verified(module, sources)
            text = self.output_resulting_program(module)
            output.write(text)  # pyright: ignore[reportAttributeAccessIssue]
        except DiagnosticError as e:
            error = e
        if self.args.verify_diagnostics:
            expected = expected_diagnostics(chunk, filename, line_offset)
            return check_expected_diagnostics(expected, error)
        if error is not None:
            print(error.format(), file=sys.stderr)
            return False
        return True

    def apply_passes_verified(self, module: ModuleOp, sources: SourceMap) -> None:
        """Run each pass, verify after it, and turn any failure into a diagnostic."""
        timings: list[tuple[str, float]] = []
        for pass_ in self.pipeline.passes:
            snapshot = module.clone()
            start = time.perf_counter()
            run_pass(
                pass_,
                module,
                self.ctx,
                sources,
                debug=self.args.debug,
                crash_notes=partial(self.write_crash_reproducer, snapshot, pass_),
            )
            timings.append((pass_.name, time.perf_counter() - start))
            if not self.args.disable_verify:
                try:
                    verify_module(module, sources)
                except DiagnosticError as e:
                    e.message = f"after pass '{pass_.name}': {e.message}"
                    raise
            if self.args.print_ir_after_all:
                print(
                    f"// -----// IR Dump After {pass_.name} //----- //", file=sys.stderr
                )
                Printer(stream=sys.stderr).print_op(module)
                print("\n", file=sys.stderr)
        if self.args.time_passes:
            print_pass_timings(timings)

    def write_crash_reproducer(
        self, snapshot: ModuleOp, pass_: ModulePass
    ) -> list[str]:
        """Write ``snapshot``, the IR before the crashing ``pass_``; say how to replay.

        The snapshot is a clone taken before every pass, so reproducers need no
        flag to turn them on. On examples/transformer_block.mlir the clones cost
        0.2% of ``dlc-opt -p dlc-cpu`` (one pass) and 4.5% of ``-p canonicalize,
        nn-to-tensor,tensor-to-loop,loop-to-llvm``; printing the IR before every
        pass instead would cost 0.7% and 8%. Re-running the earlier passes after a
        crash would cost nothing up front, but would trust them to be deterministic
        while dlc is known to have a bug.
        """
        spec = str(pass_.pipeline_pass_spec())
        try:
            with self.open_crash_reproducer() as f:
                path = f.name
                f.write(f"// dlc-opt crash reproducer: the IR before pass '{spec}'\n")
                MLIRTarget(print_generic_format=True).emit(self.ctx, snapshot, f)
        except OSError as e:
            return [f"could not write a crash reproducer: {e}"]
        command = ["dlc-opt", path, "-p", spec]
        if self.args.disable_verify:
            command.append("--disable-verify")
        if self.args.allow_unregistered_dialect:
            command.append("--allow-unregistered-dialect")
        return [
            f"the IR before pass '{spec}' is in {path}",
            f"reproduce with: {shlex.join(command)}",
        ]

    def open_crash_reproducer(self) -> IO[str]:
        """``--crash-reproducer``, or a new file in the temp dir named after the input.

        A new file per crash, never in the current directory: a crash does not
        litter the user's tree, and parallel runs (lit) never overwrite each other.
        """
        if self.args.crash_reproducer:
            return open(self.args.crash_reproducer, "w", encoding="utf-8")
        stem = Path(self.args.input_file).stem if self.args.input_file else "stdin"
        return tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", prefix=f"{stem}.", suffix=".crash.mlir", delete=False
        )


def run_pass(
    pass_: ModulePass,
    module: ModuleOp,
    ctx: object,
    sources: SourceMap,
    *,
    debug: bool,
    crash_notes: Callable[[], list[str]] = list,
) -> None:
    """Apply ``pass_``; any failure becomes a DiagnosticError.

    An unexpected exception is an internal compiler error; ``crash_notes`` (which
    writes a crash reproducer) adds notes to it. ``debug`` re-raises it, after
    printing those notes, so that Python shows the traceback.
    """
    try:
        pass_.apply(ctx, module)  # pyright: ignore[reportArgumentType]
    except DiagnosticError as error:
        if error.location is not None and error.source_line is None:
            error.source_line = sources.line(error.location)
        raise
    except DiagnosticException as e:
        raise DiagnosticError(f"pass '{pass_.name}' failed: {e}") from None
    except Exception as e:
        notes = crash_notes()
        if debug:
            for note in notes:
                print(f"note: {note}", file=sys.stderr)
            raise
        raise DiagnosticError(
            f"internal compiler error in pass '{pass_.name}': {type(e).__name__}: {e}",
            notes=["this is a bug in dlc; rerun with --debug for a traceback", *notes],
        ) from None


def print_pass_timings(timings: Sequence[tuple[str, float]]) -> None:
    total = sum(seconds for _, seconds in timings) or 1e-12
    print("===- Pass execution timing report -===", file=sys.stderr)
    print(f"  Total: {total * 1e3:.3f} ms", file=sys.stderr)
    for name, seconds in timings:
        print(
            f"  {seconds * 1e3:10.3f} ms ({100 * seconds / total:5.1f}%)  {name}",
            file=sys.stderr,
        )


def unwrap_pass_pipeline(pipeline: str) -> str:
    """Turn MLIR's ``builtin.module(a,b{x=1})`` into xDSL's ``a,b{x=1}``."""
    text = pipeline.strip()
    if not text:
        return ""
    match = re.fullmatch(r"builtin\.module\s*\((.*)\)", text, flags=re.DOTALL)
    if match is None:
        raise DiagnosticError(
            "--pass-pipeline must have the form 'builtin.module(pass,...)', "
            f"got '{text}'"
        )
    return re.sub(r"\s*,\s*", ",", match.group(1).strip())


def split_input(text: str) -> list[tuple[str, int]]:
    """Split on ``// -----`` lines; each chunk keeps its first line number - 1."""
    chunks: list[tuple[str, int]] = []
    offset = 0
    for chunk in text.split(SPLIT_MARKER):
        chunks.append((chunk, offset))
        offset += chunk.count("\n")
    return chunks


@dataclass(frozen=True)
class ExpectedDiagnostic:
    line: int
    message: str


_EXPECTED = re.compile(
    r"//\s*expected-error\s*(?:@(?P<where>[+-]\d+|above|below))?\s*\{\{(?P<msg>.*?)\}\}"
)


def expected_diagnostics(
    chunk: str, filename: str, line_offset: int
) -> list[ExpectedDiagnostic]:
    """The ``expected-error`` annotations of a chunk, with absolute line numbers."""
    expected: list[ExpectedDiagnostic] = []
    for index, line in enumerate(chunk.split("\n")):
        for match in _EXPECTED.finditer(line):
            lineno = line_offset + index + 1
            where = match.group("where")
            if where == "above":
                lineno -= 1
            elif where == "below":
                lineno += 1
            elif where is not None:
                lineno += int(where)
            expected.append(ExpectedDiagnostic(lineno, match.group("msg")))
    return expected


def check_expected_diagnostics(
    expected: list[ExpectedDiagnostic], error: DiagnosticError | None
) -> bool:
    """MLIR's -verify-diagnostics: every expected error is produced, nothing else."""
    produced_line = error.location.line if error and error.location else None
    ok = True
    matched = False
    for exp in expected:
        if (
            error is not None
            and produced_line == exp.line
            and exp.message in error.message
        ):
            matched = True
            continue
        print(
            f"error: expected error on line {exp.line} was not produced: "
            f'"{exp.message}"',
            file=sys.stderr,
        )
        ok = False
    if error is not None and not matched:
        print(f"error: unexpected diagnostic:\n{error.format()}", file=sys.stderr)
        ok = False
    return ok


def main(argv: Sequence[str] | None = None) -> None:
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        DlcOptMain(description="dlc modular optimizer driver", args=argv).run()
    except DiagnosticError as e:
        print(e.format(), file=sys.stderr)
        sys.exit(1)
    except (ArgSpecParseError, ValueError) as e:
        if debug:
            raise
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
