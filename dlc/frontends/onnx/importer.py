"""The ONNX importer: load, upgrade, infer shapes, fold constants, convert nodes.

The steps, each of which reports a user's mistake as a :class:`DiagnosticError`:

1. load the model (a path or a ``ModelProto``); a truncated or foreign file is an
   error, and so is a graph that uses a value nothing defines;
2. pin the dims the caller gives (``input_shapes``, ``--input-shape``);
3. upgrade the ai.onnx opset to :data:`TARGET_OPSET` with ONNX's version converter,
   so that each converter knows one form of its op (newer models stay as they are);
4. infer shapes (``onnx.shape_inference``, strict, with data propagation);
5. walk the nodes that the outputs need, in order. A node whose inputs are all
   constants is evaluated with ONNX's reference evaluator (Shape and Size only need
   their input's static shape); any other node goes to its converter, found by op
   type in :data:`CONVERTERS`. Every node that cannot be imported is recorded, and
   the import fails at the end with one list of them all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from google.protobuf.message import Message
from onnx import numpy_helper
from xdsl.dialects.builtin import FunctionType, ModuleOp, TensorType
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Block, SSAValue

from dlc.diagnostics import DiagnosticError
from dlc.frontends.onnx import (
    contraction,
    elementwise,
    normalization,
    pooling,
    reduction,
    shape,
)
from dlc.frontends.onnx.constants import (
    NONDETERMINISTIC_OPS,
    NumpyArray,
    fold_node,
    onnx_element_dtype,
    outer_scope_names,
    tensor_type,
)
from dlc.frontends.onnx.node import (
    Converter,
    ConverterResult,
    GraphValues,
    NodeContext,
    numpy_dtype_of,
    set_name_hint,
)
from dlc.frontends.onnx.problems import (
    Problem,
    Skipped,
    Unsupported,
    unsupported_report,
)
from dlc.parse import verify_module

TARGET_OPSET = 21
"""The ai.onnx opset older models are upgraded to before conversion."""

ONNX_DOMAINS = ("", "ai.onnx")

SHAPE_ONLY_OPS = frozenset({"Shape", "Size"})
"""Ops whose result depends only on their input's shape: folded from its type."""

CONVERTERS: dict[str, Converter] = {
    **elementwise.CONVERTERS,
    **contraction.CONVERTERS,
    **normalization.CONVERTERS,
    **pooling.CONVERTERS,
    **reduction.CONVERTERS,
    **shape.CONVERTERS,
}
"""Every converter, by ONNX op type (ai.onnx domain)."""

InputShapes = Mapping[str, Sequence[int]]


def import_model(
    model: str | Path | onnx.ModelProto, input_shapes: InputShapes | None = None
) -> ModuleOp:
    """Import an ONNX model as an nn-dialect module with one function.

    ``input_shapes`` pins graph inputs' shapes (``{"x": (1, 3, 224, 224)}``), for
    models whose inputs have dynamic dims. Raises :class:`DiagnosticError` for a
    model that cannot be read or imported; its subclass :class:`OnnxImportError`
    lists every unsupported node.
    """
    proto, source = load_model(model)
    check_text(proto, source)
    check_wiring(proto.graph, source)
    if input_shapes:
        pin_input_shapes(proto.graph, input_shapes, source)
    unknown = unknown_op_problems(proto.graph)
    if not unknown:
        proto = upgrade_opset(proto, source)
    proto = infer_shapes(proto, source)
    return GraphImporter(proto, source, unknown).build()


def load_model(model: str | Path | onnx.ModelProto) -> tuple[onnx.ModelProto, str]:
    """The model, as a copy the importer may change, and its name for messages."""
    if isinstance(model, onnx.ModelProto):
        proto = onnx.ModelProto()
        proto.CopyFrom(model)
        name = proto.graph.name
        source = f"model '{name}'" if name and isinstance(name, str) else "the model"
        return proto, source
    source = str(model)
    try:
        proto = onnx.load(source)
    except OSError as error:
        raise DiagnosticError(f"cannot read {source}: {error.strerror}") from None
    except Exception as error:
        # protobuf's DecodeError, onnx's errors about external data: a bad file.
        raise DiagnosticError(
            f"{source} is not a valid ONNX model ({type(error).__name__}: {error}); "
            "is the file truncated?"
        ) from None
    if not proto.HasField("graph") or not proto.opset_import:
        raise DiagnosticError(
            f"{source} is not a valid ONNX model: it has no graph or no opset; "
            "is the file truncated?"
        )
    return proto, source


def check_text(proto: onnx.ModelProto, source: str) -> None:
    """Every text field (names, op types, domains) is valid UTF-8.

    protobuf does not check the text of ONNX's proto2 messages when it reads
    them: a damaged byte turns the field into ``bytes``, which no later step
    expects.
    """
    bad = list(undecoded_fields(proto, "model"))
    if bad:
        raise DiagnosticError(
            f"{source} is not a valid ONNX model: text that is not valid UTF-8 in "
            f"{', '.join(bad)}; is the file damaged?"
        )


def undecoded_fields(message: Message, path: str, node: str = "") -> Iterator[str]:
    """The string fields under ``message`` that hold bytes: each one's path, value
    and node (``model.graph.node[0].op_type = b'R\\xedlu' (node 'relu_1')``)."""
    for field, value in message.ListFields():
        if field.type not in (field.TYPE_STRING, field.TYPE_MESSAGE):
            continue
        items = list(value) if field.is_repeated else [value]
        for index, item in enumerate(items):
            where = f"{path}.{field.name}" + f"[{index}]" * field.is_repeated
            if isinstance(item, bytes):
                yield f"{where} = {item!r}{node}"
            elif isinstance(item, onnx.NodeProto) and isinstance(item.name, str):
                yield from undecoded_fields(item, where, f" (node '{item.name}')")
            elif isinstance(item, Message):
                yield from undecoded_fields(item, where, node)


def check_wiring(graph: onnx.GraphProto, source: str) -> None:
    """Every node input and graph output is defined before it is used."""
    defined = {value.name for value in graph.input}
    defined |= {init.name for init in graph.initializer}
    undefined: list[str] = []
    for node in graph.node:
        undefined += [
            f"'{name}' (input of {node.op_type} node '{node.name}')"
            for name in node.input
            if name and name not in defined
        ]
        defined.update(node.output)
    undefined += [
        f"'{out.name}' (graph output)"
        for out in graph.output
        if out.name not in defined
    ]
    if undefined:
        raise DiagnosticError(
            f"{source} uses values that no earlier node, input or initializer "
            f"defines: {', '.join(undefined)}; is the file truncated, or the graph "
            "not sorted?"
        )


def pin_input_shapes(
    graph: onnx.GraphProto, input_shapes: InputShapes, source: str
) -> None:
    """Replace the dims of the named graph inputs by the given ones."""
    inputs = {value.name: value for value in graph.input}
    for name, dims in input_shapes.items():
        if name not in inputs:
            listed = ", ".join(f"'{n}'" for n in inputs) or "none"
            raise DiagnosticError(
                f"--input-shape names '{name}', but {source} has no input of that "
                f"name (inputs: {listed})"
            )
        tensor = inputs[name].type.tensor_type
        if tensor.HasField("shape") and len(tensor.shape.dim) != len(dims):
            raise DiagnosticError(
                f"--input-shape gives '{name}' {len(dims)} dims, but it has rank "
                f"{len(tensor.shape.dim)}"
            )
        if any(dim < 0 for dim in dims):
            raise DiagnosticError(
                f"--input-shape gives '{name}' the dims {list(dims)}, which must "
                "not be negative"
            )
        tensor.shape.Clear()
        for dim in dims:
            tensor.shape.dim.add().dim_value = dim


def ai_onnx_opset(proto: onnx.ModelProto) -> int:
    for opset in proto.opset_import:
        if opset.domain in ONNX_DOMAINS:
            return opset.version
    return TARGET_OPSET


def unknown_op_problems(graph: onnx.GraphProto) -> list[Problem]:
    """Nodes that are not ONNX ops at all, found before the version converter
    (which stops at the first one)."""
    return [
        Problem(node.op_type, node_name(node, index), "not an ONNX op")
        for index, node in enumerate(graph.node)
        if node.domain in ONNX_DOMAINS and not onnx.defs.has(node.op_type)
    ]


def upgrade_opset(proto: onnx.ModelProto, source: str) -> onnx.ModelProto:
    version = ai_onnx_opset(proto)
    if version >= TARGET_OPSET:
        return proto
    try:
        return onnx.version_converter.convert_version(proto, TARGET_OPSET)
    except Exception as error:
        # The converter raises RuntimeError or ValueError with its C++ assertion.
        raise DiagnosticError(
            f"cannot upgrade {source} from opset {version} to {TARGET_OPSET} with "
            f"onnx.version_converter: {error}"
        ) from None


def infer_shapes(proto: onnx.ModelProto, source: str) -> onnx.ModelProto:
    try:
        return onnx.shape_inference.infer_shapes(
            proto, strict_mode=True, data_prop=True
        )
    except Exception as error:
        # onnx's InferenceError names the node and the mismatch.
        raise DiagnosticError(f"shape inference failed on {source}: {error}") from None


def node_name(node: onnx.NodeProto, index: int) -> str:
    """The node's name, or ``OpType#index`` (its position) for an unnamed node."""
    return node.name or f"{node.op_type}#{index}"


def function_name(graph_name: str) -> str:
    """The graph's name as a symbol: ``torch-jit`` -> ``torch_jit``; ``main`` if
    it has none."""
    name = re.sub(r"\W", "_", graph_name)
    if not name:
        return "main"
    return "_" + name if name[0].isdigit() else name


class GraphImporter:
    """Turns one (upgraded, shape-inferred) ONNX graph into a ``func.func``."""

    def __init__(
        self, proto: onnx.ModelProto, source: str, problems: Sequence[Problem]
    ):
        self.graph = proto.graph
        self.source = source
        self.opsets = {
            opset.domain or "": opset.version for opset in proto.opset_import
        }
        self.problems = list(problems)
        self.value_info = {
            value.name: value for value in (*self.graph.value_info, *self.graph.output)
        }
        self.placeholders = Block()
        """Holds stand-ins for the results of nodes that failed, so that later
        nodes still convert (and report their own problems)."""

    def build(self) -> ModuleOp:
        initializers = {
            init.name: self.initializer(init) for init in self.graph.initializer
        }
        arguments = [v for v in self.graph.input if v.name not in initializers]
        argument_types = self.argument_types(arguments)
        function = FuncOp(function_name(self.graph.name), (argument_types, []))
        values = GraphValues(function.body.block, constants=initializers)
        for value, argument in zip(arguments, function.args, strict=True):
            values.values[value.name] = argument
            set_name_hint(argument, value.name)
        live = self.live_nodes()
        values.used = {name for i in live for name in self.graph.node[i].input}
        values.used |= {value.name for value in self.graph.output}
        for index in live:
            self.import_node(self.graph.node[index], index, values)
        results = self.results(values)
        if self.problems:
            raise unsupported_report(self.source, self.problems)
        function.body.block.add_op(ReturnOp(*results))
        function.function_type = FunctionType.from_lists(
            argument_types, [result.type for result in results]
        )
        module = ModuleOp([function])
        verify_module(module)
        return module

    def initializer(self, tensor: onnx.TensorProto) -> NumpyArray:
        """An initializer as an array, or an error if its data does not fit its
        dims in its element type (a damaged model)."""
        what = f"initializer '{tensor.name}'"
        dims = list(tensor.dims)
        try:
            onnx_element_dtype(tensor.data_type)
        except Unsupported as error:
            raise DiagnosticError(
                f"cannot import {self.source}: {what} has {error}"
            ) from None
        type_name = onnx.TensorProto.DataType.Name(tensor.data_type)
        if any(dim < 0 for dim in dims):
            raise DiagnosticError(
                f"cannot import {self.source}: {what} has dims {dims}, which must "
                "not be negative"
            )
        try:
            return numpy_helper.to_array(tensor)
        except (ValueError, TypeError) as error:
            # numpy's reshape of the data to the dims, or onnx's own checks.
            raise DiagnosticError(
                f"cannot import {self.source}: {what} has dims {dims} of "
                f"{type_name} ({math.prod(dims)} elements), which its data does "
                f"not fit: {error}"
            ) from None

    def argument_types(
        self, arguments: Sequence[onnx.ValueInfoProto]
    ) -> list[TensorType]:
        """The static tensor type of each graph input, or one error for them all."""
        types: list[TensorType] = []
        errors: list[str] = []
        for value in arguments:
            try:
                types.append(self.static_type(value))
            except Unsupported as error:
                errors.append(f"input {error}")
        if errors:
            raise DiagnosticError(f"cannot import {self.source}: " + "; ".join(errors))
        return types

    def static_type(self, value: onnx.ValueInfoProto) -> TensorType:
        """The static type of a value, or :class:`Unsupported` saying what to do."""
        if not value.type.HasField("tensor_type"):
            raise Unsupported(f"'{value.name}' is not a tensor")
        tensor = value.type.tensor_type
        if not tensor.HasField("shape"):
            raise Unsupported(
                f"'{value.name}' has an unknown rank; pin its shape with "
                f"--input-shape {value.name}=1x2x3 (its actual dims)"
            )
        dims = [
            dim.dim_value if dim.HasField("dim_value") else -1
            for dim in tensor.shape.dim
        ]
        if any(dim < 0 for dim in dims):
            written = [
                str(size) if size >= 0 else dim.dim_param or "?"
                for dim, size in zip(tensor.shape.dim, dims, strict=True)
            ]
            suggestion = "x".join(str(dim) if dim >= 0 else "1" for dim in dims)
            raise Unsupported(
                f"'{value.name}' has a dynamic shape [{', '.join(written)}]; pin it "
                f"with --input-shape {value.name}={suggestion} (or input_shapes=...)"
            )
        try:
            return tensor_type(dims, onnx_element_dtype(tensor.elem_type))
        except Unsupported as error:
            raise Unsupported(f"'{value.name}' has {error}") from None

    def live_nodes(self) -> list[int]:
        """The indices, in order, of the nodes that the graph outputs depend on."""
        needed = {value.name for value in self.graph.output}
        live: list[int] = []
        for index in reversed(range(len(self.graph.node))):
            node = self.graph.node[index]
            if needed.intersection(node.output):
                live.append(index)
                needed.update(node.input)
        return live[::-1]

    def import_node(
        self, node: onnx.NodeProto, index: int, values: GraphValues
    ) -> None:
        """Fold or convert one node; record a problem if neither works."""
        name = node_name(node, index)
        if node.domain not in ONNX_DOMAINS:
            self.report(
                node, name, f"op of domain '{node.domain}' (dlc imports ai.onnx ops)"
            )
            self.fail(node, values)
            return
        if not onnx.defs.has(node.op_type):
            # Reported by unknown_op_problems, before the upgrade.
            self.fail(node, values)
            return
        converter = CONVERTERS.get(node.op_type)
        if self.foldable(node, values):
            try:
                self.fold(node, values)
                return
            except Exception as error:
                # The reference evaluator raises whatever its op implementation does.
                if converter is None:
                    self.report(node, name, f"cannot evaluate at import time: {error}")
                    self.fail(node, values)
                    return
        if converter is None:
            self.report(node, name, "no converter for this op")
            self.fail(node, values)
            return
        context = NodeContext(node, name, values)
        try:
            results = converter(context)
            unread = context.unread_attributes()
            if unread:
                listed = ", ".join(f"{a} = {context.attr(a)!r}" for a in unread)
                raise Unsupported(f"attribute {listed} is not supported")
            self.bind_results(node, results, values)
        except Unsupported as error:
            self.report(node, name, str(error))
            self.fail(node, values)
        except Skipped:
            self.fail(node, values)

    def foldable(self, node: onnx.NodeProto, values: GraphValues) -> bool:
        if node.op_type in NONDETERMINISTIC_OPS:
            return False
        if not outer_scope_names(node) <= values.constants.keys():
            return False
        return all(
            name in values.constants
            or (node.op_type in SHAPE_ONLY_OPS and name in values.values)
            for name in node.input
            if name
        )

    def fold(self, node: onnx.NodeProto, values: GraphValues) -> None:
        inputs: list[NumpyArray | None] = []
        for name in node.input:
            if not name:
                inputs.append(None)
            elif name in values.constants:
                inputs.append(values.constants[name])
            else:
                inputs.append(shape_stand_in(values.values[name]))
        outer = {name: values.constants[name] for name in outer_scope_names(node)}
        results = fold_node(node, inputs, self.opsets, outer)
        for name, result in zip(node.output, results, strict=False):
            if name:
                values.constants[name] = result

    def bind_results(
        self, node: onnx.NodeProto, results: ConverterResult, values: GraphValues
    ) -> None:
        """Map the node's output names to the converter's results."""
        listed = [results] if isinstance(results, SSAValue) else list(results)
        for index, name in enumerate(node.output):
            if not name:
                continue
            result = listed[index] if index < len(listed) else None
            if result is None:
                if name in values.used:
                    raise Unsupported(f"output {index} ('{name}') is not supported")
                continue
            values.values[name] = result
            if result.name_hint is None:
                set_name_hint(result, name)

    def results(self, values: GraphValues) -> list[SSAValue]:
        results: list[SSAValue] = []
        for output in self.graph.output:
            try:
                results.append(values.value(output.name))
            except Unsupported as error:
                self.problems.append(Problem("graph output", output.name, str(error)))
            except Skipped:
                # Made by a node that failed, which is reported already.
                pass
        return results

    def report(self, node: onnx.NodeProto, name: str, reason: str) -> None:
        self.problems.append(Problem(node.op_type, name, reason))

    def fail(self, node: onnx.NodeProto, values: GraphValues) -> None:
        """Give a failed node's outputs stand-ins where their type is known."""
        for name in node.output:
            if not name:
                continue
            values.failed.add(name)
            info = self.value_info.get(name)
            if info is None:
                continue
            try:
                stand_in_type = self.static_type(info)
            except Unsupported:
                continue
            values.values[name] = self.placeholders.insert_arg(
                stand_in_type, len(self.placeholders.args)
            )


def shape_stand_in(value: SSAValue) -> NumpyArray:
    """An array of ``value``'s shape and dtype, for Shape and Size to look at.

    It is a broadcast view of one zero, so even a huge shape costs no memory.
    """
    value_type = value.type
    assert isinstance(value_type, TensorType)
    dtype = numpy_dtype_of(value_type)  # pyright: ignore[reportUnknownArgumentType]
    zero: Any = np.zeros((), dtype)
    return np.broadcast_to(zero, tuple(value_type.get_shape()))
