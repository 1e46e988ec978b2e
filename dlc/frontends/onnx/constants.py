"""Constants at import time: numpy arrays, folded by ONNX's reference evaluator.

Initializers, ``Constant`` nodes and every node whose inputs are all constants become
numpy arrays while the graph is imported; shape subgraphs (``Shape -> Gather ->
Concat -> Reshape``) vanish this way and leave a plain ``nn.reshape``. An array turns
into IR only where an nn op reads it, as an ``nn.constant``: inline ``dense<...>``
when it is small or one repeated value, a ``dense_resource`` blob named after the
ONNX tensor otherwise::

    %w = nn.constant dense_resource<fc1.weight> : tensor<128x784xf32>
    %b = nn.constant dense<[0.1, 0.2]> : tensor<2xf32>
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import onnx
from onnx.reference import ReferenceEvaluator
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    TensorType,
)
from xdsl.ir import Attribute

from dlc.frontends.onnx.problems import Unsupported
from dlc.resources import declare_resource, dense_from_array

NumpyArray = np.ndarray[Any, Any]

INLINE_ELEMENTS = 16
"""Constants with at most this many elements (or a single repeated value) are
written inline as ``dense<...>``; larger ones become resource blobs."""

ELEMENT_TYPES: dict[np.dtype[Any], Attribute] = {
    np.dtype(np.float16): Float16Type(),
    np.dtype(np.float32): Float32Type(),
    np.dtype(np.float64): Float64Type(),
    np.dtype(np.bool_): IntegerType(1),
    np.dtype(np.int8): IntegerType(8),
    np.dtype(np.int32): IntegerType(32),
    np.dtype(np.int64): IntegerType(64),
}
"""The numpy dtypes dlc tensors can hold, and their element types (ints are
signless, read as signed)."""

NONDETERMINISTIC_OPS = frozenset(
    {
        "RandomNormal",
        "RandomNormalLike",
        "RandomUniform",
        "RandomUniformLike",
        "Multinomial",
        "Bernoulli",
    }
)
"""Ops whose result is drawn anew each run: never folded."""


def element_type(dtype: np.dtype[Any]) -> Attribute:
    """The element type of a dlc tensor of ``dtype``, or :class:`Unsupported`."""
    element = ELEMENT_TYPES.get(np.dtype(dtype))
    if element is None:
        raise Unsupported(
            f"element type {np.dtype(dtype)} (dlc tensors hold f16, f32, f64, "
            "bool, int8, int32 and int64)"
        )
    return element


def onnx_element_dtype(elem_type: int) -> np.dtype[Any]:
    """The numpy dtype of an ONNX ``TensorProto.DataType`` code, or
    :class:`Unsupported` for a code ONNX does not define (a damaged model)."""
    try:
        return np.dtype(onnx.helper.tensor_dtype_to_np_dtype(elem_type))
    except KeyError:
        raise Unsupported(
            f"element type {elem_type}, which is not an ONNX TensorProto.DataType"
        ) from None


def tensor_type(shape: Sequence[int], dtype: np.dtype[Any]) -> TensorType:
    return TensorType(element_type(dtype), list(shape))


def constant_value(
    array: NumpyArray, name: str
) -> DenseIntOrFPElementsAttr | DenseResourceAttr:
    """The ``value`` of an ``nn.constant`` holding ``array``.

    Large arrays go in a blob unless every element is the same (a splat prints
    as one number). ``name`` (the ONNX tensor's name) names the blob; xDSL adds a
    numeric suffix when a blob of that name exists already.
    """
    element_type(array.dtype)
    flat = array.reshape(-1)
    if flat.size <= INLINE_ELEMENTS or bool(np.all(flat == flat[0])):
        return dense_from_array(array)
    return declare_resource(resource_name(name), array)


def resource_name(name: str) -> str:
    """A resource key from an ONNX tensor name: ``/fc1/weight`` -> ``fc1.weight``."""
    key = re.sub(r"[^A-Za-z0-9_.]+", ".", name).strip(".")
    if not key or not (key[0].isalpha() or key[0] == "_"):
        key = "onnx." + key if key else "onnx"
    return key


def fold_node(
    node: onnx.NodeProto,
    inputs: Sequence[NumpyArray | None],
    opsets: Mapping[str, int],
    outer: Mapping[str, NumpyArray] | None = None,
) -> list[NumpyArray]:
    """Evaluate ``node`` on constant ``inputs`` (None: an absent optional input).

    ONNX's reference evaluator runs the one node; its errors (an op it does not
    implement, a bad input) propagate to the caller, which then converts the node
    instead or reports it. ``outer`` holds the values of
    :func:`outer_scope_names`, which the node's subgraphs read from the enclosing
    graph: an If or Scan then runs in a one-node graph that also takes them, and
    a Loop by :func:`fold_loop`.
    """
    if node.op_type == "Loop" and node.domain in ("", "ai.onnx"):
        return fold_loop(node, inputs, opsets, outer or {})
    feeds = {
        name: array
        for name, array in zip(node.input, inputs, strict=True)
        if name and array is not None
    }
    if outer:
        feeds |= outer
        graph = onnx.helper.make_graph(
            [node],
            "fold",
            [onnx.helper.make_empty_tensor_value_info(name) for name in feeds],
            [onnx.helper.make_empty_tensor_value_info(name) for name in node.output],
        )
        evaluator = ReferenceEvaluator(graph_model(graph, opsets))
    else:
        evaluator = ReferenceEvaluator(node, opsets=dict(opsets))
    return [np.asarray(result) for result in evaluator.run(None, feeds)]


def fold_loop(
    node: onnx.NodeProto,
    inputs: Sequence[NumpyArray | None],
    opsets: Mapping[str, int],
    outer: Mapping[str, NumpyArray],
) -> list[NumpyArray]:
    """A Loop run here, its body by the reference evaluator: the evaluator's own
    Loop stacks rank-0 scan outputs with ``np.vstack``, as [n, 1] where ONNX's
    spec stacks them as [n] (Range's function body is such a Loop).

    ``M`` (trip count) and ``cond`` are optional; without ``cond`` the body's
    condition output is ignored, as the spec's for-loop reading says.
    """
    trips, cond = [*inputs, None, None][:2]
    carried = list(inputs[2:])
    if trips is None and cond is None:
        raise ValueError("a Loop without a trip count or condition may not end")
    body = onnx.GraphProto()
    body.CopyFrom(next(a.g for a in node.attribute if a.name == "body"))
    body.input.extend(onnx.helper.make_empty_tensor_value_info(n) for n in outer)
    evaluator = ReferenceEvaluator(graph_model(body, opsets))
    names = [value.name for value in body.input]
    scans: list[list[NumpyArray]] = [[] for _ in body.output[1 + len(carried) :]]
    iteration = 0
    while (trips is None or iteration < int(trips)) and (cond is None or bool(cond)):
        feeds = {
            names[0]: np.array(iteration, np.int64),
            names[1]: np.array(True if cond is None else bool(cond)),
            **dict(zip(names[2:], carried, strict=False)),
            **outer,
        }
        condition, *results = evaluator.run(None, feeds)
        carried = [np.asarray(value) for value in results[: len(carried)]]
        for scan, value in zip(scans, results[len(carried) :], strict=True):
            scan.append(np.asarray(value))
        cond = None if cond is None else condition
        iteration += 1
    if any(not scan for scan in scans):
        raise ValueError("a Loop that runs no iteration has scans of unknown shape")
    return [*(np.asarray(c) for c in carried), *(np.stack(s) for s in scans)]


def graph_model(graph: onnx.GraphProto, opsets: Mapping[str, int]) -> onnx.ModelProto:
    opset_imports = [
        onnx.helper.make_opsetid(domain, version) for domain, version in opsets.items()
    ]
    return onnx.helper.make_model(graph, opset_imports=opset_imports)


def outer_scope_names(node: onnx.NodeProto) -> set[str]:
    """The names that ``node``'s subgraphs read but do not define themselves:
    values of the enclosing graph, captured by a Loop or If body."""
    read: set[str] = set()
    for attribute in node.attribute:
        graphs = [*attribute.graphs]
        if attribute.HasField("g"):
            graphs.append(attribute.g)
        for graph in graphs:
            defined = {
                *(value.name for value in graph.input),
                *(tensor.name for tensor in graph.initializer),
                *(output for inner in graph.node for output in inner.output),
            }
            for inner in graph.node:
                used = {name for name in inner.input if name} | outer_scope_names(inner)
                read |= used - defined
    return read
