"""The valid IR texts the mutation fuzzer starts from.

Seeds are the examples, every chunk of the dialects' ``roundtrip.mlir`` and
``canonicalize.mlir`` FileCheck files, and the small programs of
``small_programs.mlir``, whose shapes are tiny so that their mutants compile and
run natively in milliseconds. Each seed is
given in its custom form and again in xDSL's generic form, which the parser reads
along another path (properties as ``<{...}>``, types as a functional signature).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from io import StringIO
from pathlib import Path

from xdsl.printer import Printer

from dlc.context import make_context
from dlc.parse import parse_module

ROOT = Path(__file__).resolve().parents[2]
SPLIT_MARKER = "// -----"
FILECHECK_SEED_FILES = ("roundtrip.mlir", "canonicalize.mlir")

SMALL_PROGRAMS = Path(__file__).with_name("small_programs.mlir")


@dataclass(frozen=True)
class Seed:
    """A valid IR text and where it came from (for naming failing mutants)."""

    name: str
    text: str


def strip_comments(text: str) -> str:
    """Drop comment lines (CHECK lines, prose), which mutations would only waste."""
    kept = [line for line in text.split("\n") if not line.lstrip().startswith("//")]
    return "\n".join(kept).strip() + "\n"


def split_chunks(text: str) -> list[str]:
    """The ``// -----`` chunks of a file that hold more than comments."""
    chunks = text.split(SPLIT_MARKER)
    return [chunk for chunk in chunks if strip_comments(chunk).strip()]


def generic_form(text: str) -> str:
    """``text`` as ``dlc-opt --print-op-generic`` prints it, resources included."""
    ctx = make_context()
    stream = StringIO()
    printer = Printer(stream=stream, print_generic_format=True)
    printer.print_op(parse_module(ctx, text))
    printer.print_metadata(ctx.loaded_dialects)
    return stream.getvalue() + "\n"


@cache
def all_seeds() -> tuple[Seed, ...]:
    """Every seed, in a fixed order, custom form then generic form."""
    custom: list[Seed] = []
    for path in sorted((ROOT / "examples").glob("*.mlir")):
        custom.append(Seed(f"examples/{path.name}", strip_comments(path.read_text())))
    for name in FILECHECK_SEED_FILES:
        for path in sorted((ROOT / "filecheck" / "dialects").glob(f"*/{name}")):
            where = path.relative_to(ROOT)
            for index, chunk in enumerate(split_chunks(path.read_text())):
                custom.append(Seed(f"{where}#{index}", strip_comments(chunk)))
    where = SMALL_PROGRAMS.relative_to(ROOT)
    for index, chunk in enumerate(split_chunks(SMALL_PROGRAMS.read_text())):
        custom.append(Seed(f"{where}#{index}", strip_comments(chunk)))
    generic = [Seed(f"{s.name} (generic)", generic_form(s.text)) for s in custom]
    return tuple(custom + generic)
