"""Helpers for the ONNX importer tests: build a model, run it with onnxruntime and
with dlc, compare.

onnxruntime (CPU) is the oracle: a test builds a small graph with ``onnx.helper``,
imports it, compiles the module with ``dlc.compile``, and checks that every output
matches what onnxruntime computes for the same inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import helper, numpy_helper
from xdsl.dialects.builtin import ModuleOp

import dlc
from dlc.frontends.onnx import TARGET_OPSET, OnnxImportError, import_model
from dlc.frontends.onnx.node import nn_ops

NumpyArray = np.ndarray[Any, Any]


def make_model(
    nodes: Sequence[onnx.NodeProto],
    inputs: Mapping[str, NumpyArray | tuple[Sequence[int | str], Any]],
    outputs: Sequence[str],
    initializers: Mapping[str, NumpyArray] | None = None,
    opset: int = TARGET_OPSET,
    name: str = "test",
) -> onnx.ModelProto:
    """A model of ``nodes``; each input is given by an example array or by
    (shape, dtype), where a shape may hold dim names. The outputs are declared
    without types (onnxruntime and the importer infer them)."""
    input_infos = []
    for input_name, spec in inputs.items():
        shape, dtype = (
            (spec.shape, spec.dtype) if isinstance(spec, np.ndarray) else spec
        )
        elem = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
        input_infos.append(helper.make_tensor_value_info(input_name, elem, shape))
    graph = helper.make_graph(
        list(nodes),
        name,
        input_infos,
        [onnx.ValueInfoProto(name=output) for output in outputs],
        [numpy_helper.from_array(a, n) for n, a in (initializers or {}).items()],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def node(op_type: str, inputs: Sequence[str], outputs: Sequence[str], **attrs: Any):
    """``helper.make_node`` with the node named after its first output."""
    return helper.make_node(
        op_type, inputs, outputs, name=f"{op_type}_{outputs[0]}", **attrs
    )


def run_onnxruntime(
    model: onnx.ModelProto, feeds: Mapping[str, NumpyArray]
) -> list[NumpyArray]:
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, dict(feeds))


def run_dlc(module: ModuleOp, feeds: Mapping[str, NumpyArray]) -> list[NumpyArray]:
    """Compile the imported module and run it on the feeds, in argument order."""
    compiled = dlc.compile(module)
    results = compiled(*feeds.values())
    return list(results) if isinstance(results, tuple) else [results]


def assert_matches_onnxruntime(
    model: onnx.ModelProto,
    feeds: Mapping[str, NumpyArray],
    *,
    rtol: float = 1e-5,
    atol: float = 1e-5,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
) -> ModuleOp:
    """Import, compile and run ``model``; every output equals onnxruntime's.

    ``feeds`` must list the graph inputs in order. Returns the imported module.
    """
    expected = run_onnxruntime(model, feeds)
    module = import_model(model, input_shapes)
    got = run_dlc(module, feeds)
    assert len(got) == len(expected)
    for index, (actual, wanted) in enumerate(zip(got, expected, strict=True)):
        assert actual.dtype == wanted.dtype, f"output {index}"
        assert actual.shape == wanted.shape, f"output {index}"
        np.testing.assert_allclose(
            actual,
            wanted,
            rtol=rtol,
            atol=atol,
            equal_nan=True,
            err_msg=f"output {index}",
        )
    return module


def missing_nn_ops(*names: str) -> list[str]:
    """The nn ops among ``names`` that this dlc does not have (yet)."""
    return [name for name in names if name not in nn_ops()]


def check_or_expect_missing(
    needs: Sequence[str],
    model: onnx.ModelProto,
    feeds: Mapping[str, NumpyArray],
    **tolerances: Any,
) -> None:
    """Compare with onnxruntime if dlc has every nn op in ``needs``; otherwise the
    import must fail naming the first missing one (converters for ops other
    helpers are still adding report them until they land)."""
    missing = missing_nn_ops(*needs)
    if not missing:
        assert_matches_onnxruntime(model, feeds, **tolerances)
        return
    with pytest.raises(OnnxImportError, match=f"needs {missing[0]}"):
        import_model(model)


def random(shape: Sequence[int], seed: int = 0, dtype: Any = np.float32) -> NumpyArray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)
