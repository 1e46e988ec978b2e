"""dlc-import-onnx: turn an ONNX model into an nn-dialect .mlir file.

    dlc-import-onnx model.onnx -o model.mlir --input-shape input=1x3x224x224

The output is ordinary nn IR, to read, edit, and pass on to dlc-opt or dlc-run.
Each op ends with ``loc("<onnx node name>")``, the node it came from (leave these
out with ``--no-locations``); large weights are resource blobs at the end of the
file. A model that cannot be imported gets one error listing every unsupported node
and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO

from xdsl.dialects.builtin import ModuleOp, UnknownLoc
from xdsl.ir import BlockArgument, Operation
from xdsl.printer import Printer

from dlc.diagnostics import DiagnosticError


class LocationPrinter(Printer):
    """Prints ``loc(...)`` after the ops that have a known location, only.

    xDSL's ``print_debuginfo`` prints a location everywhere, ``loc(unknown)`` on
    every block argument and on the module included; the importer locates exactly
    the ops it made from ONNX nodes and initializers, and those are the ones worth
    showing.
    """

    def print_op(self, op: Operation) -> None:
        outer = self.print_debuginfo
        self.print_debuginfo = not isinstance(op.location, UnknownLoc)
        try:
            super().print_op(op)
        finally:
            self.print_debuginfo = outer

    def print_block_argument(self, arg: BlockArgument, print_type: bool = True) -> None:
        outer = self.print_debuginfo
        self.print_debuginfo = False
        try:
            super().print_block_argument(arg, print_type)
        finally:
            self.print_debuginfo = outer


def print_module(module: ModuleOp, stream: IO[str], locations: bool = True) -> None:
    """Write ``module`` as text, with its resource blobs (and op locations)."""
    from dlc.context import DLC_DIALECTS

    printer = (LocationPrinter if locations else Printer)(stream=stream)
    printer.print_op(module)
    printer.print_metadata(DLC_DIALECTS)
    stream.write("\n")


def parse_input_shape(text: str) -> tuple[str, tuple[int, ...]]:
    """``name=1x3x224x224`` -> ("name", (1, 3, 224, 224)); ``name=`` is rank 0."""
    name, separator, dims = text.rpartition("=")
    if not separator or not name:
        raise DiagnosticError(
            f"--input-shape expects NAME=DIMS such as input=1x3x224x224, got '{text}'"
        )
    try:
        shape = tuple(int(dim) for dim in dims.replace(",", "x").split("x") if dim)
    except ValueError:
        raise DiagnosticError(
            f"--input-shape {text}: dims must be integers separated by 'x', "
            f"such as {name}=1x3x224x224"
        ) from None
    return name, shape


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dlc-import-onnx",
        description="turn an ONNX model into an nn-dialect .mlir file",
    )
    parser.add_argument("model", help="the .onnx file")
    parser.add_argument(
        "-o", "--output", help="the .mlir file to write (default: stdout)"
    )
    parser.add_argument(
        "--input-shape",
        action="append",
        default=[],
        metavar="NAME=DIMS",
        help="pin the shape of a graph input with dynamic dims, e.g. "
        "input=1x3x224x224 (repeatable)",
    )
    parser.add_argument(
        "--no-locations",
        action="store_true",
        help='leave out the loc("<onnx node>") of each op',
    )
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except DiagnosticError as error:
        print(error.format(), file=sys.stderr)
        sys.exit(1)
    except Exception as error:
        if args.debug:
            raise
        print(
            f"error: internal error in dlc-import-onnx: {type(error).__name__}: "
            f"{error}\nnote: this is a bug in dlc; rerun with --debug for a traceback",
            file=sys.stderr,
        )
        sys.exit(1)


def run(args: argparse.Namespace) -> None:
    from dlc.frontends.onnx import import_model

    shapes = dict(parse_input_shape(text) for text in args.input_shape)
    module = import_model(args.model, shapes)
    if args.output is None:
        print_module(module, sys.stdout, not args.no_locations)
        return
    try:
        with open(args.output, "w", encoding="utf-8") as stream:
            print_module(module, stream, not args.no_locations)
    except OSError as error:
        raise DiagnosticError(f"cannot write {args.output}: {error.strerror}") from None


if __name__ == "__main__":
    main()
