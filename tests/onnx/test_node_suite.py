"""The ONNX backend node tests, one pytest item per case, through dlc end to end.

onnx builds its node tests in memory (``load_model_tests(kind="node")``): each is a
one-node model, its inputs and the expected outputs. A case runs as the ONNX
backend runner would run it: import with dlc's importer, compile with
``dlc.compile`` (the dlc-cpu pipeline), run on every data set, and compare each
output with ``np.testing.assert_allclose(rtol=case.rtol, atol=case.atol)`` (1e-3
and 1e-7 for nearly every case) after checking its shape and dtype exactly.

Which cases: those of the ops of issue #4's Tier 1 and Tier 2, and their
``_expanded`` variants (the node replaced by its function body, primitive ops).
A case belongs to the op of its model's node, and an expanded case to the op of the
case it expands, never to a name prefix alone. Cases touching an element type of
:data:`EXCLUDED_ELEMENT_TYPES` (float16, bfloat16, the 8-bit and smaller types,
int16 and the unsigned ints) are excluded, as issue #4 says: they are skipped items
with that reason, so none is dropped silently; ``bench/onnx_node_table.py`` lists
them. A case dlc does not support yet is a strict xfail with its reason, from the
table in tests/onnx/node_xfails.py: a case that starts passing turns the suite red
until its entry is removed.

Inputs that must be constants. dlc compiles static shapes, and its nn ops take
shapes, axes and bounds as properties, so ONNX inputs such as Reshape's ``shape``
or Slice's ``starts`` must be constants for the importer (docs/onnx.md). The node
tests feed them as graph inputs; like other ahead-of-time compilers' backend
harnesses (onnx-mlir's ``CONSTANT_INPUT``), this one binds those inputs, listed by
op in :data:`CONSTANT_OPERANDS`, to the case's values: they become initializers of
the model that is imported, and every other input is fed at run time. An expanded
case binds the same inputs as the case it expands, so both compute the same
function of the same run-time inputs.

Speed: cases compile single-threaded (``threads=1``: node tests are tiny, and
serial code skips the thread pool) at the default LLVM ``-O3``, the code users get;
the 488 runnable cases take about 25 s of CPU (``-O0`` would save about 3 s).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import onnx
import pytest
from onnx import TensorProto, numpy_helper
from onnx.backend.test.case.test_case import TestCase

import dlc
from dlc.frontends.onnx import import_model
from tests.onnx.node_xfails import XFAILS

NumpyArray = np.ndarray[Any, Any]

TIER1 = (
    "MatMul Gemm Conv Relu Sigmoid Tanh Softmax LogSoftmax LayerNormalization Add "
    "Mul Sub Div Reshape Transpose Flatten MaxPool AveragePool GlobalAveragePool "
    "BatchNormalization Concat Gelu Erf Exp Log Sqrt ReduceMean ReduceSum ReduceMax "
    "Pow Where Cast Gather Split Slice Unsqueeze Squeeze Clip LeakyRelu HardSigmoid "
    "Einsum"
).split()
TIER2 = (
    "Neg Reciprocal Abs Max Min Identity Shape Expand Equal Less Greater Softplus "
    "HardSwish Elu Selu PRelu Pad GlobalMaxPool RMSNormalization Dropout Range "
    "ConstantOfShape Tile"
).split()
TIERS = {**{op: 1 for op in TIER1}, **{op: 2 for op in TIER2}}

EXCLUDED_ELEMENT_TYPES = frozenset(
    {
        TensorProto.FLOAT16,
        TensorProto.BFLOAT16,
        TensorProto.FLOAT8E4M3FN,
        TensorProto.FLOAT8E4M3FNUZ,
        TensorProto.FLOAT8E5M2,
        TensorProto.FLOAT8E5M2FNUZ,
        TensorProto.FLOAT8E8M0,
        TensorProto.FLOAT4E2M1,
        TensorProto.INT2,
        TensorProto.UINT2,
        TensorProto.INT4,
        TensorProto.UINT4,
        TensorProto.INT8,
        TensorProto.UINT8,
        TensorProto.INT16,
        TensorProto.UINT16,
        TensorProto.UINT32,
        TensorProto.UINT64,
    }
)
"""Issue #4 leaves out the float16, bfloat16 and int8-family cases: a case is
excluded when any input or output has one of these types. (With onnx 1.23 this
leaves exactly the issue's 270 Tier 1 cases.)"""

CONSTANT_OPERANDS: dict[str, frozenset[str]] = {
    "Clip": frozenset({"min", "max"}),
    "ConstantOfShape": frozenset({"input"}),
    "Dropout": frozenset({"ratio", "training_mode"}),
    "Expand": frozenset({"shape"}),
    "Pad": frozenset({"pads", "constant_value", "axes"}),
    "Range": frozenset({"start", "limit", "delta"}),
    "ReduceMax": frozenset({"axes"}),
    "ReduceMean": frozenset({"axes"}),
    "ReduceSum": frozenset({"axes"}),
    "Reshape": frozenset({"shape"}),
    "Slice": frozenset({"starts", "ends", "axes", "steps"}),
    "Split": frozenset({"split"}),
    "Squeeze": frozenset({"axes"}),
    "Tile": frozenset({"repeats"}),
    "Unsqueeze": frozenset({"axes"}),
}
"""The inputs (by their name in the op's schema) that dlc needs as constants: they
are bound to the case's values before import."""

EXPANDED = re.compile(r"_expanded(_ver\d+)?$")


@dataclass(frozen=True)
class NodeCase:
    """One selected backend node test and how the suite treats it."""

    case: TestCase
    op: str
    """The op type of the (non-expanded) node the case tests."""
    expanded: bool
    constants: frozenset[str]
    """Graph inputs bound to the case's values before import."""
    excluded: str | None
    """Why the case is left out (an element type of the exclusions), or None."""

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def tier(self) -> int:
        return TIERS[self.op]


@cache
def load_node_tests() -> tuple[TestCase, ...]:
    """Every node test of the installed onnx, built in memory."""
    from onnx.backend.test.loader import load_model_tests

    with warnings.catch_warnings():
        # Building the Cast cases overflows float8 on purpose.
        warnings.simplefilter("ignore", RuntimeWarning)
        return tuple(load_model_tests(kind="node"))


@cache
def select_cases() -> tuple[NodeCase, ...]:
    """The Tier 1 and Tier 2 cases and their expanded variants, in onnx's order."""
    by_name = {case.name: case for case in load_node_tests()}
    selected: list[NodeCase] = []
    for case in by_name.values():
        assert case.model is not None
        base_name = EXPANDED.sub("", case.name)
        base = by_name.get(base_name)
        if base is None or base.model is None:
            continue
        nodes = base.model.graph.node
        if len(nodes) != 1 or nodes[0].op_type not in TIERS:
            continue
        node = nodes[0]
        selected.append(
            NodeCase(
                case,
                node.op_type,
                expanded=base_name != case.name,
                constants=constant_inputs(node, base.model, case.model),
                excluded=exclusion(case.model),
            )
        )
    return tuple(selected)


def constant_inputs(
    node: onnx.NodeProto, base: onnx.ModelProto, model: onnx.ModelProto
) -> frozenset[str]:
    """The graph inputs of ``model`` that feed ``node``'s constant operands."""
    wanted = CONSTANT_OPERANDS.get(node.op_type)
    if not wanted:
        return frozenset()
    opset = next(o.version for o in base.opset_import if o.domain in ("", "ai.onnx"))
    formal = onnx.defs.get_schema(node.op_type, opset).inputs
    names = {
        name
        for index, name in enumerate(node.input)
        if name and formal[min(index, len(formal) - 1)].name in wanted
    }
    return frozenset(names & {value.name for value in model.graph.input})


def exclusion(model: onnx.ModelProto) -> str | None:
    """Which excluded element types the model's inputs and outputs use, if any."""
    used = {
        value.type.tensor_type.elem_type
        for value in (*model.graph.input, *model.graph.output)
        if value.type.HasField("tensor_type")
    }
    excluded = sorted(used & EXCLUDED_ELEMENT_TYPES)
    if not excluded:
        return None
    names = ", ".join(TensorProto.DataType.Name(t).lower() for t in excluded)
    return f"excluded by issue #4: uses {names}"


def as_array(value: Any) -> Any:
    """A data set entry as the runner passes it: arrays (numpy scalars and
    TensorProtos converted), sequences as lists, an absent optional as None."""
    if isinstance(value, TensorProto):
        return numpy_helper.to_array(value)
    if isinstance(value, np.generic):
        return np.asarray(value)
    if isinstance(value, list):
        return [as_array(item) for item in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def bind_constants(
    model: onnx.ModelProto, names: Iterable[str], inputs: Sequence[Any]
) -> onnx.ModelProto:
    """A copy of ``model`` whose inputs ``names`` are initializers with the
    values in ``inputs`` (listed in graph input order)."""
    bound = onnx.ModelProto()
    bound.CopyFrom(model)
    graph_inputs = list(bound.graph.input)
    values = dict(zip((v.name for v in graph_inputs), inputs, strict=False))
    names = set(names)
    del bound.graph.input[:]
    bound.graph.input.extend(v for v in graph_inputs if v.name not in names)
    bound.graph.initializer.extend(
        numpy_helper.from_array(np.asarray(values[name]), name) for name in names
    )
    return bound


def run_case(node_case: NodeCase) -> None:
    """Import, compile and run one case; raise AssertionError on a wrong output."""
    case = node_case.case
    assert case.model is not None and case.data_sets is not None
    data_sets = [
        ([as_array(a) for a in inputs], [as_array(a) for a in outputs])
        for inputs, outputs in case.data_sets
    ]
    input_names = [value.name for value in case.model.graph.input]
    model = case.model
    if node_case.constants:
        # Every case of onnx 1.23 has one data set; a second one could bind
        # other values, and would need a model of its own.
        assert len(data_sets) == 1, "bound inputs with several data sets"
        model = bind_constants(model, node_case.constants, data_sets[0][0])
    module = import_model(model)
    compiled = dlc.compile(module, threads=1)
    for inputs, expected in data_sets:
        fed = [
            np.asarray(value, order="C")
            for name, value in zip(input_names, inputs, strict=False)
            if name not in node_case.constants
        ]
        results = compiled(*fed)
        got = list(results) if isinstance(results, tuple) else [results]
        compare_outputs(got, expected, case.rtol, case.atol)


def compare_outputs(
    got: Sequence[NumpyArray],
    expected: Sequence[NumpyArray],
    rtol: float,
    atol: float,
) -> None:
    """The ONNX runner's check: same count, then per output exact shape, exact
    dtype, and ``assert_allclose`` (NaNs equal)."""
    assert len(got) == len(expected), f"{len(got)} outputs, expected {len(expected)}"
    for index, (actual, wanted) in enumerate(zip(got, expected, strict=True)):
        where = f"output {index}"
        shapes = f"{actual.shape}, expected {wanted.shape}"
        assert actual.shape == wanted.shape, f"{where}: shape {shapes}"
        dtypes = f"{actual.dtype}, expected {wanted.dtype}"
        assert actual.dtype == wanted.dtype, f"{where}: dtype {dtypes}"
        np.testing.assert_allclose(actual, wanted, rtol=rtol, atol=atol, err_msg=where)


def node_case_params() -> list[Any]:
    params: list[Any] = []
    for node_case in select_cases():
        marks: list[pytest.MarkDecorator] = []
        if node_case.excluded is not None:
            marks.append(pytest.mark.skip(reason=node_case.excluded))
        elif node_case.name in XFAILS:
            marks.append(pytest.mark.xfail(reason=XFAILS[node_case.name], strict=True))
        params.append(pytest.param(node_case, marks=marks, id=node_case.name))
    return params


@pytest.mark.parametrize("node_case", node_case_params())
def test_node(node_case: NodeCase) -> None:
    run_case(node_case)


def test_xfail_table_names_selected_cases() -> None:
    """Every entry of the xfail table is a selected, non-excluded case (a renamed
    or excluded case would leave a stale entry behind)."""
    runnable = {c.name for c in select_cases() if c.excluded is None}
    assert sorted(set(XFAILS) - runnable) == []


def test_every_op_has_cases() -> None:
    """Each op of both tiers has at least one case (the op mapping found them)."""
    assert sorted(set(TIERS) - {c.op for c in select_cases()}) == []
