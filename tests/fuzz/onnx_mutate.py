"""Seeded mutations of valid ONNX models, to check that the ONNX importer never
crashes on a bad file.

Seeds are valid models: the examples and the small fuzzing programs exported by
dlc.export.onnx, and (for long runs) ONNX's own node test models whose ops the
importer converts. A mutant stacks one to three mutations on a seed, in the
protobuf or in its bytes:

* ``change_dim``, ``change_rank``, ``change_elem_type``: graph inputs, outputs and
  value infos with wrong dims (0, negative, huge, named), ranks or element types;
* ``drop_node_input``, ``undefined_input``, ``drop_graph_input``, ``drop_output``,
  ``drop_node``, ``duplicate_node``, ``shuffle_nodes``: broken wiring;
* ``unknown_op``, ``swap_op``, ``bad_domain``: ops dlc does not know, or the
  wrong one;
* ``bad_attribute``, ``drop_attribute``, ``extra_attribute``: attributes of the
  wrong kind, with negative, huge or missing values, or that the op does not have;
* ``bad_initializer``: weights whose data does not match their dims or type;
* ``bad_opset``: an opset that is too old, too new, or missing;
* ``truncate``, ``flip_bytes``, ``splice_bytes``: a damaged file;
* ``wrong_input_shapes``: ``--input-shape`` values that do not fit the graph.

:func:`check_onnx_mutant` runs each mutant through ``dlc-import-onnx`` and
``dlc.frontends.onnx.import_model``; an imported module then goes through
``dlc.compile``, its callable on good and bad arguments, and ``dlc-run --check``
(tests/fuzz/harness.py).
"""

from __future__ import annotations

import random
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from io import StringIO
from pathlib import Path

import onnx
from onnx import AttributeProto, TensorProto, helper

from dlc.diagnostics import DiagnosticError
from tests.fuzz.harness import (
    Check,
    MutantResult,
    Outcome,
    check_compile,
    crash,
    judge_exit,
    run_tool,
)
from tests.fuzz.mutate import Mutant
from tests.fuzz.seeds import ROOT, SMALL_PROGRAMS, split_chunks, strip_comments

InputShapes = tuple[tuple[str, tuple[int, ...]], ...]


@dataclass(frozen=True)
class OnnxMutant(Mutant):
    """A mutated model file, and the ``--input-shape`` values to import it with."""

    data: bytes = b""
    input_shapes: InputShapes = ()

    def write(self, stem: Path) -> Path:
        path = stem.with_suffix(".onnx")
        path.write_bytes(self.data)
        return path


@dataclass(frozen=True)
class OnnxSeed:
    name: str
    model: onnx.ModelProto


# --- Seeds ----------------------------------------------------------------------------


SLOW_EXAMPLES = ("transformer_block.mlir",)
"""Left out of the seeds: dlc-run --check interprets it for a minute on a busy
machine (the IR fuzzer has it among its seeds)."""


@cache
def exported_seeds() -> tuple[OnnxSeed, ...]:
    """The examples and small programs, exported (those that export)."""
    import dlc
    from dlc.export import export_onnx

    texts = [
        (f"examples/{p.name}", p.read_text())
        for p in ROOT.glob("examples/*.mlir")
        if p.name not in SLOW_EXAMPLES
    ]
    for index, chunk in enumerate(split_chunks(SMALL_PROGRAMS.read_text())):
        texts.append((f"small_programs#{index}", strip_comments(chunk)))
    seeds: list[OnnxSeed] = []
    for name, text in sorted(texts):
        try:
            seeds.append(OnnxSeed(name, export_onnx(dlc.parse(text))))
        except DiagnosticError:
            continue
    return tuple(seeds)


@cache
def node_test_seeds() -> tuple[OnnxSeed, ...]:
    """ONNX's node test models whose every op the importer converts."""
    from onnx.backend.test.loader import load_model_tests

    from dlc.frontends.onnx.importer import CONVERTERS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = load_model_tests(kind="node")
    return tuple(
        OnnxSeed(case.name, case.model)
        for case in cases
        if case.model is not None
        and all(node.op_type in CONVERTERS for node in case.model.graph.node)
    )


SEED_SETS: dict[str, Callable[[], tuple[OnnxSeed, ...]]] = {
    "exported": exported_seeds,
    "all": lambda: exported_seeds() + node_test_seeds(),
}


# --- Mutations of the protobuf --------------------------------------------------------

ODD_DIMS = (0, 1, 2, 3, 7, -1, -7, 1 << 31, 1 << 40)
ODD_INTS = (-1, 0, 1, 2, 5, -100, 1 << 40, -(1 << 62))
ELEM_TYPES = (0, 1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 16, 17, 99)
OTHER_OPS = (
    "Relu", "Add", "MatMul", "Conv", "Reshape", "Transpose", "Softmax", "Gemm",
    "MaxPool", "Concat", "Gather", "Slice", "ReduceMean", "Cast", "Where", "Pad",
    "Identity", "Split", "LSTM", "NotAnOp",
)  # fmt: skip


def shaped_infos(model: onnx.ModelProto) -> list[onnx.ValueInfoProto]:
    graph = model.graph
    infos = [*graph.input, *graph.output, *graph.value_info]
    return [i for i in infos if i.type.HasField("tensor_type")]


def change_dim(model: onnx.ModelProto, rng: random.Random) -> str | None:
    infos = [i for i in shaped_infos(model) if i.type.tensor_type.shape.dim]
    if not infos:
        return None
    dims = rng.choice(infos).type.tensor_type.shape.dim
    dim = rng.choice(dims)
    if rng.random() < 0.2:
        dim.dim_param = rng.choice(["N", "batch", ""])
    else:
        dim.dim_value = rng.choice(ODD_DIMS)
    return "change_dim"


def change_rank(model: onnx.ModelProto, rng: random.Random) -> str | None:
    infos = shaped_infos(model)
    if not infos:
        return None
    shape = rng.choice(infos).type.tensor_type.shape
    if shape.dim and rng.random() < 0.5:
        del shape.dim[rng.randrange(len(shape.dim))]
    elif rng.random() < 0.2:
        rng.choice(infos).type.tensor_type.ClearField("shape")
    else:
        shape.dim.add().dim_value = rng.choice((1, 2, 3))
    return "change_rank"


def change_elem_type(model: onnx.ModelProto, rng: random.Random) -> str | None:
    infos = shaped_infos(model)
    initializers = list(model.graph.initializer)
    if not infos and not initializers:
        return None
    if initializers and rng.random() < 0.3:
        rng.choice(initializers).data_type = rng.choice(ELEM_TYPES)
    else:
        rng.choice(infos).type.tensor_type.elem_type = rng.choice(ELEM_TYPES)
    return "change_elem_type"


def drop_node_input(model: onnx.ModelProto, rng: random.Random) -> str | None:
    nodes = [n for n in model.graph.node if n.input]
    if not nodes:
        return None
    node = rng.choice(nodes)
    index = rng.randrange(len(node.input))
    if rng.random() < 0.5:
        del node.input[index]
    else:
        node.input[index] = ""
    return "drop_node_input"


def undefined_input(model: onnx.ModelProto, rng: random.Random) -> str | None:
    nodes = [n for n in model.graph.node if n.input]
    if not nodes:
        return None
    node = rng.choice(nodes)
    if rng.random() < 0.3:
        node.input.append("nowhere")
    else:
        node.input[rng.randrange(len(node.input))] = "nowhere"
    return "undefined_input"


def drop_graph_input(model: onnx.ModelProto, rng: random.Random) -> str | None:
    graph = model.graph
    if graph.input and (not graph.initializer or rng.random() < 0.6):
        del graph.input[rng.randrange(len(graph.input))]
    elif graph.initializer:
        del graph.initializer[rng.randrange(len(graph.initializer))]
    else:
        return None
    return "drop_graph_input"


def drop_output(model: onnx.ModelProto, rng: random.Random) -> str | None:
    outputs = model.graph.output
    if not outputs:
        return None
    if rng.random() < 0.5:
        del outputs[rng.randrange(len(outputs))]
    else:
        rng.choice(outputs).name = rng.choice(["nowhere", ""])
    return "drop_output"


def drop_node(model: onnx.ModelProto, rng: random.Random) -> str | None:
    nodes = model.graph.node
    if not nodes:
        return None
    del nodes[rng.randrange(len(nodes))]
    return "drop_node"


def duplicate_node(model: onnx.ModelProto, rng: random.Random) -> str | None:
    nodes = model.graph.node
    if not nodes:
        return None
    nodes.append(rng.choice(nodes))
    return "duplicate_node"


def shuffle_nodes(model: onnx.ModelProto, rng: random.Random) -> str | None:
    nodes = list(model.graph.node)
    if len(nodes) < 2:
        return None
    rng.shuffle(nodes)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return "shuffle_nodes"


def swap_op(model: onnx.ModelProto, rng: random.Random) -> str | None:
    if not model.graph.node:
        return None
    rng.choice(model.graph.node).op_type = rng.choice(OTHER_OPS)
    return "swap_op"


def unknown_op(model: onnx.ModelProto, rng: random.Random) -> str | None:
    if not model.graph.node:
        return None
    rng.choice(model.graph.node).op_type = rng.choice(["Frobnicate", "relu", ""])
    return "unknown_op"


def bad_domain(model: onnx.ModelProto, rng: random.Random) -> str | None:
    if not model.graph.node:
        return None
    domain = rng.choice(["com.example", "ai.onnx.ml", "com.microsoft"])
    rng.choice(model.graph.node).domain = domain
    return "bad_domain"


def attributed_nodes(model: onnx.ModelProto) -> list[onnx.NodeProto]:
    return [n for n in model.graph.node if n.attribute]


def bad_attribute(model: onnx.ModelProto, rng: random.Random) -> str | None:
    nodes = attributed_nodes(model)
    if not nodes:
        return None
    attribute = rng.choice(rng.choice(nodes).attribute)
    choice = rng.randrange(5)
    if choice == 0 and attribute.type == AttributeProto.INTS:
        values = [rng.choice(ODD_INTS) for _ in range(rng.randrange(0, 6))]
        del attribute.ints[:]
        attribute.ints.extend(values)
    elif choice == 1:
        name = attribute.name
        attribute.CopyFrom(helper.make_attribute(name, rng.choice(ODD_INTS)))
    elif choice == 2:
        name = attribute.name
        attribute.CopyFrom(helper.make_attribute(name, rng.choice([0.5, -3.0, 1e30])))
    elif choice == 3:
        attribute.CopyFrom(helper.make_attribute(attribute.name, "nonsense"))
    else:
        attribute.i = rng.choice(ODD_INTS)
        attribute.f = rng.choice([float("nan"), float("inf"), -1.0])
    return "bad_attribute"


def drop_attribute(model: onnx.ModelProto, rng: random.Random) -> str | None:
    nodes = attributed_nodes(model)
    if not nodes:
        return None
    node = rng.choice(nodes)
    del node.attribute[rng.randrange(len(node.attribute))]
    return "drop_attribute"


def extra_attribute(model: onnx.ModelProto, rng: random.Random) -> str | None:
    if not model.graph.node:
        return None
    name = rng.choice(["axis", "axes", "perm", "pads", "strides", "bogus", "alpha"])
    value = rng.choice([rng.choice(ODD_INTS), [1, 0], 2.5, "x"])
    rng.choice(model.graph.node).attribute.append(helper.make_attribute(name, value))
    return "extra_attribute"


def bad_initializer(model: onnx.ModelProto, rng: random.Random) -> str | None:
    initializers = model.graph.initializer
    if not initializers:
        return None
    tensor: TensorProto = rng.choice(initializers)
    choice = rng.randrange(3)
    if choice == 0 and tensor.raw_data:
        tensor.raw_data = tensor.raw_data[: rng.randrange(len(tensor.raw_data))]
    elif choice == 1 and tensor.dims:
        tensor.dims[rng.randrange(len(tensor.dims))] = rng.choice(ODD_DIMS)
    else:
        tensor.dims.append(rng.choice((1, 2, 3)))
    return "bad_initializer"


def bad_opset(model: onnx.ModelProto, rng: random.Random) -> str | None:
    opsets = model.opset_import
    choice = rng.randrange(4)
    if choice == 0 and opsets:
        del opsets[:]
    elif choice == 1:
        opsets.add(domain="com.example", version=1)
    elif opsets:
        rng.choice(opsets).version = rng.choice([1, 6, 11, 30, 1000, -1])
    else:
        return None
    return "bad_opset"


PROTO_MUTATORS: tuple[Callable[[onnx.ModelProto, random.Random], str | None], ...] = (
    change_dim,
    change_dim,
    change_rank,
    change_elem_type,
    drop_node_input,
    undefined_input,
    drop_graph_input,
    drop_output,
    drop_node,
    duplicate_node,
    shuffle_nodes,
    swap_op,
    unknown_op,
    bad_domain,
    bad_attribute,
    bad_attribute,
    drop_attribute,
    extra_attribute,
    bad_initializer,
    bad_opset,
)


# --- Mutations of the bytes and of the import options ---------------------------------


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data))] if data else data


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    changed = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if changed:
            changed[rng.randrange(len(changed))] = rng.randrange(256)
    return bytes(changed)


def splice_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    if rng.random() < 0.5:
        return data[:at] + data[at + rng.randint(1, 16) :]
    return data[:at] + rng.randbytes(rng.randint(1, 16)) + data[at:]


BYTE_MUTATORS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    truncate,
    flip_bytes,
    splice_bytes,
)


def wrong_input_shapes(model: onnx.ModelProto, rng: random.Random) -> InputShapes:
    """``--input-shape`` values: a wrong rank, odd dims, or a name no input has."""
    names = [i.name for i in model.graph.input] or ["x"]
    name = rng.choice([*names, "not_an_input"])
    rank = rng.randrange(0, 5)
    return ((name, tuple(rng.choice(ODD_DIMS[:7]) for _ in range(rank))),)


def make_onnx_mutant(index: int, base_seed: int = 0, seeds: str = "all") -> OnnxMutant:
    """Mutant number ``index`` of run ``base_seed``: the same on every call."""
    pool = SEED_SETS[seeds]()
    rng = random.Random(base_seed * 1_000_003 + index)
    seed = pool[index % len(pool)]
    model = onnx.ModelProto()
    model.CopyFrom(seed.model)
    mutations: list[str] = []
    for _ in range(rng.choices([1, 2, 3], weights=[6, 3, 1])[0]):
        roll = rng.random()
        if roll < 0.15:
            mutations.append("wrong_input_shapes")
        elif roll < 0.3:
            mutations.append(rng.choice(BYTE_MUTATORS).__name__)
        else:
            done = rng.choice(PROTO_MUTATORS)(model, rng)
            if done is not None:
                mutations.append(done)
    data = model.SerializeToString()
    for name in mutations:
        mutator = {m.__name__: m for m in BYTE_MUTATORS}.get(name)
        if mutator is not None:
            data = mutator(data, rng)
    shapes = wrong_input_shapes(model, rng) if "wrong_input_shapes" in mutations else ()
    return OnnxMutant(index, seed.name, tuple(mutations), "", data, shapes)


# --- Checking a mutant ----------------------------------------------------------------


def check_onnx_mutant(
    mutant: OnnxMutant, stage: Callable[[str], None] = lambda _: None
) -> MutantResult:
    """dlc-import-onnx and import_model; what imports, through compile and run."""
    from dlc.frontends.onnx import import_model
    from dlc.tools.dlc_import_onnx import main, print_module

    result = MutantResult(mutant)
    flags = [
        f"--input-shape={n}={'x'.join(map(str, s))}" for n, s in mutant.input_shapes
    ]
    with tempfile.NamedTemporaryFile(suffix=".onnx") as file:
        file.write(mutant.data)
        file.flush()
        stage("dlc-import-onnx")
        try:
            status, _, stderr = run_tool(main, [file.name, *flags], "")
            result.checks.append(judge_exit("dlc-import-onnx", status, stderr))
        except Exception as error:
            result.checks.append(crash("dlc-import-onnx", error))
    stage("import_model")
    try:
        model = onnx.ModelProto.FromString(mutant.data)
    except Exception:
        return result  # not a protobuf: dlc-import-onnx had the file to judge
    try:
        module = import_model(model, dict(mutant.input_shapes))
    except DiagnosticError as error:
        first_line = str(error).split("\n", 1)[0]
        result.checks.append(Check("import_model", Outcome.DIAGNOSTIC, first_line))
        return result
    except Exception as error:
        result.checks.append(crash("import_model", error))
        return result
    result.checks.append(Check("import_model", Outcome.SUCCEEDED))
    text = StringIO()
    print_module(module, text, locations=False)
    result.checks.extend(check_compile(text.getvalue(), stage))
    return result
