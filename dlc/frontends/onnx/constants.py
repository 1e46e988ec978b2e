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
    """The numpy dtype of an ONNX ``TensorProto.DataType`` code."""
    return np.dtype(onnx.helper.tensor_dtype_to_np_dtype(elem_type))


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
) -> list[NumpyArray]:
    """Evaluate ``node`` on constant ``inputs`` (None: an absent optional input).

    ONNX's reference evaluator runs the one node; its errors (an op it does not
    implement, a bad input) propagate to the caller, which then converts the node
    instead or reports it.
    """
    evaluator = ReferenceEvaluator(node, opsets=dict(opsets))
    feeds = {
        name: array
        for name, array in zip(node.input, inputs, strict=True)
        if name and array is not None
    }
    results = evaluator.run(None, feeds)
    return [np.asarray(result) for result in results]
