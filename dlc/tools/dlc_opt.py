"""dlc-opt: parse textual IR, run a pass pipeline, print the result.

It is xDSL's ``xdsl-opt`` driver (all of its flags) with dlc's dialects and passes,
plus the MLIR conveniences:

* ``--pass-pipeline='builtin.module(a,b{opt=1})'`` alongside ``-p a,b{opt=1}``;
* ``--print-ir-after-all`` (to stderr, after every pass including the last);
* ``--verify-diagnostics``: check ``// expected-error@+N {{...}}`` annotations;
* ``--time-passes``: a per-pass timing table on stderr;
* diagnostics as ``file:line:col: error: message`` with the source line and a caret,
  exit status 1, and no traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer
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
            start = time.perf_counter()
            run_pass(pass_, module, self.ctx, sources, debug=self.args.debug)
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


def run_pass(
    pass_: ModulePass, module: ModuleOp, ctx: object, sources: SourceMap, *, debug: bool
) -> None:
    try:
        pass_.apply(ctx, module)  # pyright: ignore[reportArgumentType]
    except DiagnosticError as error:
        if error.location is not None and error.source_line is None:
            error.source_line = sources.line(error.location)
        raise
    except DiagnosticException as e:
        raise DiagnosticError(f"pass '{pass_.name}' failed: {e}") from None
    except Exception as e:
        if debug:
            raise
        raise DiagnosticError(
            f"internal compiler error in pass '{pass_.name}': {type(e).__name__}: {e}",
            notes=["this is a bug in dlc; rerun with --debug for a traceback"],
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
