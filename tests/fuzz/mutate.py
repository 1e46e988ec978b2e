"""Seeded mutations of valid IR text, to check that bad input never crashes dlc.

Each mutator takes a text and a ``random.Random`` and returns a changed text, or
``None`` when the text has nothing it can change (no attribute to break, say).
The mutations are the mistakes a user makes and the damage a file suffers:

* ``truncate``: the file ends at a random character;
* ``delete_line``, ``duplicate_line``, ``swap_lines``, ``shuffle_ops``: lines and
  ops out of place;
* ``flip_token``: one identifier, number or punctuation mark replaced by another
  from the file or from a small vocabulary (or dropped);
* ``swap_op``: an nn, arith or math op replaced by another, mostly of the same
  syntax;
* ``swap_element_type``, ``change_dim``, ``change_rank``: types that disagree, in one
  place, on one line or in the whole file (a whole-file change often stays valid
  and takes the program down another path of the compiler);
* ``break_ssa_use``, ``redefine_ssa``: undefined, redefined and misplaced values;
* ``bad_attribute``, ``bad_array_entry``, ``bad_constant``: properties of the wrong
  kind, negative or huge values, wrong lengths, unknown names, broken literals.

:func:`make_mutant` stacks one to three mutations on a seed, and half of the time
then repairs the result types (:func:`repair_types`), so that more mutants are
valid programs that go all the way to native code. The same index and base seed
give the same mutant on every machine.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from io import StringIO
from pathlib import Path

from xdsl.dialects.builtin import FunctionType
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.printer import Printer
from xdsl.rewriter import Rewriter

from dlc.context import make_context
from dlc.dialects.nn.base import NNOp
from dlc.parse import parse_module
from tests.fuzz.seeds import Seed, all_seeds

Mutator = Callable[[str, random.Random], str | None]
SMALL_PROGRAM_WEIGHT = 3
REPAIR_PROBABILITY = 0.5

TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\\n]|\\.)*")
      | (?P<ssa>%[A-Za-z_0-9.$-]+(?:\#\d+)?)
      | (?P<symbol>@[A-Za-z_0-9.$-]+)
      | (?P<number>0x[0-9A-Fa-f]+|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<ident>[A-Za-z_^][A-Za-z_0-9.$]*)
      | (?P<punct>->|\{-\#|\#-\}|[-(){}\[\]<>,:=*?+\#!])""",
    re.VERBOSE,
)

FLIP_VOCABULARY = (
    "%undefined", "@nowhere", "^bb9", "0", "-1", "1", "2", "3", "1.5", "-0.0",
    "9223372036854775807", "-9223372036854775808", "18446744073709551616",
    "1e309", "0x7FF8000000000000", "nan", "inf", "f16", "f32", "f64", "bf16", "i1",
    "i32", "i64", "index", "none", "tensor", "memref", "vector", "dense",
    "dense_resource", "array", "unit", "true", "false", "loc", '""', '"none"',
    "nn.relu", "nn.add", "nn.constant", "nn.reshape", "nn.conv2d", "tensor.compute",
    "tensor.read", "loop.for", "arith.addf", "func.return", "func.call",
    "(", ")", "{", "}", "<", ">", "[", "]", ",", ":", "=", "->", "x", "?", "*",
)  # fmt: skip

ELEMENT_TYPES = ("f16", "f32", "f64", "bf16", "i1", "i8", "i32", "i64", "index")
ELEMENT_TYPE = re.compile(
    r"(?:(?<=\dx)|(?<=[<:(,\s]))(f16|f32|f64|bf16|i1|i8|i32|i64|index)(?![\w.])"
)
SHAPED_TYPE = re.compile(r"\b(tensor|memref|vector)<((?:(?:\d+|\?)x)*)([a-z]\w*)")
SSA_DEFINITION = re.compile(r"^(\s*)(%[\w.$-]+)((?:\s*,\s*%[\w.$-]+)*)\s*=", re.M)
OP_NAME_LINE = re.compile(r"^.*\b[a-z_]+\.[a-z_0-9]+.*$", re.M)
OP_LINE = re.compile(r"^\s+(%[\w.$-]+(\s*,\s*%[\w.$-]+)*\s*=\s*)?\"?[a-z_]+\.\w")
ATTRIBUTE_ENTRY = re.compile(
    r"\b([a-z_]+) = (array<[^>]*>|dense(?:_resource)?<[^>]*>|\"[^\"]*\""
    r"|-?[\d.]+(?:e[-+]?\d+)?(?: : \w+)?)"
)
ARRAY_LITERAL = re.compile(r"array<i64(?::\s*([-\d,\s]*))?>")
DENSE_LITERAL = re.compile(r"dense(?:_resource)?<[^>]*>")

OP_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("nn.relu", "nn.sigmoid", "nn.tanh", "nn.exp", "nn.log", "nn.sqrt", "nn.rsqrt",
     "nn.neg", "nn.gelu", "nn.leaky_relu", "nn.clip", "nn.softmax",
     "nn.log_softmax"),
    ("nn.add", "nn.sub", "nn.mul", "nn.div", "nn.pow", "nn.maximum", "nn.minimum"),
    ("nn.reduce_sum", "nn.reduce_mean", "nn.reduce_max"),
    ("nn.max_pool2d", "nn.avg_pool2d"),
    ("nn.squeeze", "nn.unsqueeze"),
    ("nn.layer_norm", "nn.rms_norm", "nn.batch_norm"),
    ("nn.matmul", "nn.dense", "nn.conv2d", "nn.global_avg_pool2d", "nn.reshape",
     "nn.transpose", "nn.flatten", "nn.broadcast_to", "nn.slice", "nn.pad",
     "nn.concat"),
    ("arith.addf", "arith.subf", "arith.mulf", "arith.divf", "arith.maximumf",
     "arith.minimumf", "arith.maxnumf", "arith.minnumf"),
    ("arith.addi", "arith.subi", "arith.muli", "arith.divui", "arith.remui",
     "arith.divsi", "arith.remsi", "arith.ceildivsi", "arith.floordivsi",
     "arith.maxsi", "arith.minsi", "arith.andi", "arith.ori", "arith.xori"),
    ("math.exp", "math.log", "math.sqrt", "math.rsqrt", "math.tanh", "math.absf",
     "math.erf", "math.floor", "math.ceil", "math.sin", "math.cos", "arith.negf"),
)  # fmt: skip
"""Ops by syntax: within a family (but nn's last), a swap often stays valid."""
ALL_OPS = tuple(sorted({name for family in OP_FAMILIES for name in family}))
OP_NAME = re.compile(r"\b(?:nn|arith|math)\.[a-z_0-9]+")

PROPERTY_NAMES = (
    "alpha", "approximate", "axes", "axis", "ceil_mode", "count_include_pad",
    "dilations", "ends", "epsilon", "groups", "keepdims", "kernel", "max", "min",
    "mode", "padding", "pads", "perm", "shape", "starts", "steps", "strides", "value",
    "schedule", "init", "kind", "combiner", "mapping", "unroll", "bogus", "dlc.fused",
)  # fmt: skip
BAD_VALUES = (
    "array<i64: -1>", "array<i64: 0, 0>", "array<i64: 1, 2, 3, 4, 5>", "array<i64>",
    "array<i64: 9223372036854775807, 1>", "array<i64: -9223372036854775808>",
    "array<i32: 1, 1>", "array<f32: 1.0>", "[1, 1]", "[]", "-1", "0", "1", "7",
    "9223372036854775807", "-9223372036854775808", "1.5", "-2.0", "0.0",
    "0x7FF0000000000000 : f64", "0x7FF8000000000000 : f64", "1 : i32", "true",
    '"x"', '"none"', '"tanh"', '"edge"', '"reflect"', '"add"', "unit",
    "dense<1.0> : tensor<2xf32>", "dense<[1, 2]> : tensor<2xi64>", "i32",
    "tensor<2xf32>", "@f", "{}", "#tensor.schedule<>",
)  # fmt: skip
BAD_CONSTANTS = (
    "dense<[1.0]>", "dense<[[1.0, 2.0]]>", "dense<[1.0, 2.0, 3.0]>", "dense<1>",
    "dense<0x7F800000>", "dense<0x7FC00000>", "dense<true>", "dense<[]>",
    'dense<"0xDEADBEEF">', "dense<[[1.0], [2.0, 3.0]]>", "dense_resource<missing>",
    "dense_resource<fuzz_w>", "dense<1.0e+39>", "dense<-0.0>",
)  # fmt: skip


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    kind: str
    text: str


def tokens(text: str) -> list[Token]:
    return [
        Token(m.start(), m.end(), m.lastgroup or "", m.group())
        for m in TOKEN.finditer(text)
    ]


def splice(text: str, start: int, end: int, replacement: str) -> str:
    return text[:start] + replacement + text[end:]


def pick_lines(text: str) -> list[str]:
    return text.split("\n")


# --- Damage to the file as a whole -------------------------------------------------


def truncate(text: str, rng: random.Random) -> str | None:
    return text[: rng.randrange(len(text))] if text else None


def delete_line(text: str, rng: random.Random) -> str | None:
    lines = pick_lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str | None:
    lines = pick_lines(text)
    index = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[index])
    return "\n".join(lines)


def swap_lines(text: str, rng: random.Random) -> str | None:
    lines = pick_lines(text)
    if len(lines) < 2:
        return None
    i, j = rng.sample(range(len(lines)), 2)
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def shuffle_ops(text: str, rng: random.Random) -> str | None:
    """Shuffle a run of consecutive op lines, or move one op elsewhere in its run."""
    lines = pick_lines(text)
    runs: list[tuple[int, int]] = []
    start = None
    for index, line in enumerate([*lines, ""]):
        if OP_LINE.match(line):
            start = index if start is None else start
        elif start is not None:
            if index - start >= 2:
                runs.append((start, index))
            start = None
    if not runs:
        return None
    begin, end = rng.choice(runs)
    run = lines[begin:end]
    if rng.random() < 0.5:
        rng.shuffle(run)
    else:
        run.insert(rng.randrange(len(run)), run.pop(rng.randrange(len(run))))
    lines[begin:end] = run
    return "\n".join(lines)


# --- Tokens ----------------------------------------------------------------------


def flip_token(text: str, rng: random.Random) -> str | None:
    """Replace one token by a token of its kind, any token, a vocabulary word or ''."""
    found = tokens(text)
    if not found:
        return None
    token = rng.choice(found)
    roll = rng.random()
    if roll < 0.4:
        same_kind = [t.text for t in found if t.kind == token.kind]
        replacement = rng.choice(same_kind)
    elif roll < 0.6:
        replacement = rng.choice(found).text
    elif roll < 0.9:
        replacement = rng.choice(FLIP_VOCABULARY)
    else:
        replacement = ""
    return splice(text, token.start, token.end, replacement)


# --- Types -----------------------------------------------------------------------


def _replace_in_scope(
    text: str, rng: random.Random, match: re.Match[str], new: str
) -> str:
    """Replace ``match`` by ``new`` there, on its whole line, or everywhere."""
    old = match.group()
    scope = rng.random()
    if scope < 0.5:
        return splice(text, match.start(), match.end(), new)
    if scope < 0.7:
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end == -1 else line_end
        line = text[line_start:line_end].replace(old, new)
        return splice(text, line_start, line_end, line)
    return text.replace(old, new)


def swap_element_type(text: str, rng: random.Random) -> str | None:
    """Change one element type, on one line or in the whole file (f32 -> f64)."""
    matches = list(ELEMENT_TYPE.finditer(text))
    if not matches:
        return None
    match = rng.choice(matches)
    old = match.group(1)
    floats = [t for t in ("f16", "f32", "f64") if t != old]
    new = rng.choice(floats if rng.random() < 0.7 else ELEMENT_TYPES)
    scope = rng.random()
    if scope < 0.4:
        return splice(text, match.start(), match.end(), new)
    start, end = 0, len(text)
    if scope < 0.6:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end == -1 else end
    region = ELEMENT_TYPE.sub(
        lambda m: new if m.group(1) == old else m.group(), text[start:end]
    )
    return splice(text, start, end, region)


def _shaped(text: str) -> list[re.Match[str]]:
    return list(SHAPED_TYPE.finditer(text))


def _dims(match: re.Match[str]) -> list[str]:
    return [d for d in match.group(2).split("x") if d]


def _spell(match: re.Match[str], dims: Sequence[str]) -> str:
    return f"{match.group(1)}<{''.join(d + 'x' for d in dims)}{match.group(3)}"


def change_dim(text: str, rng: random.Random) -> str | None:
    candidates = [m for m in _shaped(text) if _dims(m)]
    if not candidates:
        return None
    match = rng.choice(candidates)
    dims = _dims(match)
    index = rng.randrange(len(dims))
    size = int(dims[index]) if dims[index].isdigit() else 4
    dims[index] = str(rng.choice([0, 1, 2, 3, 7, size - 1, size + 1, 2 * size, "?"]))
    return _replace_in_scope(text, rng, match, _spell(match, dims))


def change_rank(text: str, rng: random.Random) -> str | None:
    candidates = _shaped(text)
    if not candidates:
        return None
    match = rng.choice(candidates)
    dims = _dims(match)
    if dims and rng.random() < 0.5:
        del dims[rng.randrange(len(dims))]
    else:
        dims.insert(rng.randrange(len(dims) + 1), str(rng.choice([1, 2, 3])))
    return _replace_in_scope(text, rng, match, _spell(match, dims))


def swap_op(text: str, rng: random.Random) -> str | None:
    """Replace an op by one of the same syntax (often still a valid program)."""
    names = list(OP_NAME.finditer(text))
    if not names:
        return None
    match = rng.choice(names)
    family = next((f for f in OP_FAMILIES if match.group() in f), ())
    pool = family if family and rng.random() < 0.8 else ALL_OPS
    return splice(text, match.start(), match.end(), rng.choice(pool))


# --- SSA names -------------------------------------------------------------------


def break_ssa_use(text: str, rng: random.Random) -> str | None:
    """Make one use name an undefined value, a later value or another value."""
    found = [t for t in tokens(text) if t.kind == "ssa"]
    seen: set[str] = set()
    uses: list[Token] = []
    for token in found:
        if token.text in seen:
            uses.append(token)
        seen.add(token.text)
    if not uses:
        return None
    use = rng.choice(uses)
    replacement = rng.choice(["%undefined", rng.choice(found).text, "%0", "%arg0"])
    return splice(text, use.start, use.end, replacement)


def redefine_ssa(text: str, rng: random.Random) -> str | None:
    """Give one op's result the name of another value, or a fresh name."""
    definitions = list(SSA_DEFINITION.finditer(text))
    if not definitions:
        return None
    match = rng.choice(definitions)
    names = [t.text for t in tokens(text) if t.kind == "ssa"]
    replacement = rng.choice([rng.choice(names), "%fresh", "%0"])
    return splice(text, match.start(2), match.end(2), replacement)


# --- Attributes, properties and constants ---------------------------------------


def bad_attribute(text: str, rng: random.Random) -> str | None:
    """Replace a property's value, or add a property, with a wrong name or value."""
    entries = list(ATTRIBUTE_ENTRY.finditer(text))
    value = rng.choice(BAD_VALUES)
    if entries and rng.random() < 0.5:
        entry = rng.choice(entries)
        return splice(text, entry.start(2), entry.end(2), value)
    op_lines = list(OP_NAME_LINE.finditer(text))
    if not op_lines:
        return None
    start, end = rng.choice(op_lines).span()
    line = text[start:end]
    name = rng.choice(PROPERTY_NAMES)
    entry_text = name if value == "unit" else f"{name} = {value}"
    if "<{" in line:
        new_line = line.replace("<{", f"<{{{entry_text}, ", 1)
    elif re.search(r"\{[a-z]", line):
        new_line = re.sub(r"\{([a-z])", rf"{{{entry_text}, \1", line, count=1)
    elif " : " in line:
        new_line = line.replace(" : ", f" {{{entry_text}}} : ", 1)
    else:
        new_line = f"{line} {{{entry_text}}}"
    return splice(text, start, end, new_line)


def bad_array_entry(text: str, rng: random.Random) -> str | None:
    """Change one entry of an ``array<i64: ...>``, or its length."""
    arrays = list(ARRAY_LITERAL.finditer(text))
    if not arrays:
        return None
    match = rng.choice(arrays)
    values = [v.strip() for v in (match.group(1) or "").split(",") if v.strip()]
    roll = rng.random()
    if values and roll < 0.5:
        values[rng.randrange(len(values))] = str(
            rng.choice([-1, 0, 1, 2, 5, 64, -9223372036854775808, 9223372036854775807])
        )
    elif values and roll < 0.75:
        del values[rng.randrange(len(values))]
    else:
        values.insert(rng.randrange(len(values) + 1), str(rng.choice([0, 1, 2, -1])))
    literal = f"array<i64: {', '.join(values)}>" if values else "array<i64>"
    return splice(text, match.start(), match.end(), literal)


def bad_constant(text: str, rng: random.Random) -> str | None:
    literals = list(DENSE_LITERAL.finditer(text))
    if not literals:
        return None
    match = rng.choice(literals)
    return splice(text, match.start(), match.end(), rng.choice(BAD_CONSTANTS))


MUTATORS: dict[str, Mutator] = {
    "truncate": truncate,
    "delete_line": delete_line,
    "duplicate_line": duplicate_line,
    "swap_lines": swap_lines,
    "shuffle_ops": shuffle_ops,
    "flip_token": flip_token,
    "swap_op": swap_op,
    "swap_element_type": swap_element_type,
    "change_dim": change_dim,
    "change_rank": change_rank,
    "break_ssa_use": break_ssa_use,
    "redefine_ssa": redefine_ssa,
    "bad_attribute": bad_attribute,
    "bad_array_entry": bad_array_entry,
    "bad_constant": bad_constant,
}
"""Every mutator by name; a mutant records the names of those applied to it."""


@dataclass(frozen=True)
class Mutant:
    """One mutated text: which seed it came from and what was done to it."""

    index: int
    seed: str
    mutations: tuple[str, ...]
    text: str

    def write(self, stem: Path) -> Path:
        """Write the mutant to ``stem`` with its file's suffix; return the path."""
        path = stem.with_suffix(".mlir")
        path.write_text(self.text)
        return path


def repair_types(text: str) -> str | None:
    """Give every nn op the result type it infers, and each function the types
    it returns; None if the text does not parse or an op infers no type.

    A mutated property or operand type usually makes the written result types
    wrong, and the verifier stops there. Repaired, the mutant is a valid program
    with unusual properties and shapes, which reaches the passes and native code.
    A text with resource blobs is left alone: parsing may rename a blob after
    what the process parsed before, and a mutant must not depend on that.
    """
    if "dense_resource" in text:
        return None
    ctx = make_context()
    stream = StringIO()
    generic = text.lstrip().startswith('"builtin.module"')
    printer = Printer(stream=stream, print_generic_format=generic)
    try:
        module = parse_module(ctx, text, verify=False)
        for op in list(module.walk()):
            if isinstance(op, NNOp):
                properties = dict(op.properties)
                new = type(op).from_operands(list(op.operands), **properties)
                if new.result.type != op.results[0].type:
                    Rewriter.replace_op(op, new)
            elif isinstance(op, ReturnOp) and isinstance(op.parent_op(), FuncOp):
                function = op.parent_op()
                assert isinstance(function, FuncOp)
                inputs = function.function_type.inputs.data
                function.function_type = FunctionType.from_lists(
                    inputs, [v.type for v in op.arguments]
                )
        # xDSL's printer may fail on an unverified module, too.
        printer.print_op(module)
        printer.print_metadata(ctx.loaded_dialects)
    except Exception:
        return None
    return stream.getvalue() + "\n"


def mutate(text: str, rng: random.Random, count: int) -> tuple[tuple[str, ...], str]:
    """Apply ``count`` mutations that apply; return their names and the text."""
    applied: list[str] = []
    for _ in range(4 * count):
        if len(applied) == count:
            break
        name = rng.choice(sorted(MUTATORS))
        changed = MUTATORS[name](text, rng)
        if changed is not None and changed != text:
            applied.append(name)
            text = changed
    return tuple(applied), text


@cache
def weighted_seeds() -> tuple[Seed, ...]:
    """Every seed, the small programs three times: their mutants run natively."""
    return tuple(
        seed
        for seed in all_seeds()
        for _ in range(SMALL_PROGRAM_WEIGHT if "small_programs" in seed.name else 1)
    )


def make_mutant(index: int, base_seed: int = 0) -> Mutant:
    """Mutant number ``index`` of the run ``base_seed``: the same on every call."""
    seeds = weighted_seeds()
    rng = random.Random(base_seed * 1_000_003 + index)
    seed = seeds[index % len(seeds)]
    count = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
    mutations, text = mutate(seed.text, rng, count)
    if rng.random() < REPAIR_PROBABILITY:
        repaired = repair_types(text)
        if repaired is not None:
            mutations, text = (*mutations, "repair_types"), repaired
    return Mutant(index, seed.name, mutations, text)
