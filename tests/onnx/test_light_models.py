"""The nine ``light`` models of the onnx package, with random weights, dlc next to
onnxruntime.

onnx ships small versions of nine classic CNNs (onnx/backend/test/data/light/:
AlexNet, DenseNet-121, Inception v1 and v2, ResNet-50, ShuffleNet, SqueezeNet,
VGG-19, ZFNet-512) whose every weight is 0.02, so that their expected outputs are
uniform and say little. :func:`randomized` gives each weight seeded random values
at test time, in memory (generated models are never written or committed):

* Conv and Gemm / MatMul weights: normal * sqrt(2 / fan_in) (He), so that a
  ReLU network keeps its activations near unit scale; biases normal * 0.05;
* BatchNormalization: scale uniform in [0.8, 1.2], bias normal * 0.05, mean
  normal * 0.05, variance uniform in [0.5, 1.5]; a per-channel Mul after it (the
  scale layers of DenseNet) is a scale, an Add a bias;
* anything else of float type: normal * 0.05.

Weights the model computes with ``ConstantOfShape`` from a constant shape become
initializers too, and the model is written in IR 4 form (initializers are not
graph inputs), so both runtimes see constant weights.

With these weights the residual networks' activations grow block by block
(ResNet-50's logits reach thousands), and a softmax of such logits is one-hot,
which would only check the argmax. So when the output is a Softmax, its input, the
logits, becomes a second graph output (:func:`with_logits`), and both are checked.
dlc imports, compiles and runs the model on a seeded normal input, and each output
must match onnxruntime's (1 thread, the same model) to a normwise relative error
||dlc - ort||_2 / ||ort||_2 of at most 1e-3.

Every model but SqueezeNet takes over a minute to compile today (and AlexNet,
ZFNet and VGG-19, with 61 to 144 million weights, many gigabytes of memory), so
they are marked ``slow``: ``pytest --run-slow`` runs them. ``bench/light_models.py``
times all nine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper

import dlc
from dlc.compiler import CompiledFunction
from dlc.frontends.onnx import import_model

NumpyArray = np.ndarray[Any, Any]

LIGHT_DIR = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
MODELS = (
    "squeezenet",
    "vgg19",
    "resnet50",
    "densenet121",
    "inception_v1",
    "inception_v2",
    "shufflenet",
    "bvlc_alexnet",
    "zfnet512",
)
SLOW = frozenset(MODELS) - {"squeezenet"}
"""The models that take over a minute (see bench/light_models.py)."""
TOLERANCE = 1e-3
"""The largest normwise relative error ||dlc - ort||_2 / ||ort||_2 allowed."""
SEED = 0

PASS_THROUGH = frozenset({"Unsqueeze", "Reshape", "Squeeze", "Identity", "Flatten"})
"""Ops that reshape a weight before its real consumer (DenseNet's
``Unsqueeze -> Mul``): the weight's role is the consumer's."""
SMALL = 0.05


def load_light_model(name: str) -> onnx.ModelProto:
    return onnx.load(str(LIGHT_DIR / f"light_{name}.onnx"))


def randomized(model: onnx.ModelProto, seed: int = SEED) -> onnx.ModelProto:
    """A copy of ``model`` whose float weights are seeded random values."""
    rng = np.random.default_rng(seed)
    graph = model.graph
    constants = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    weights: dict[str, tuple[tuple[int, ...], np.dtype[Any]]] = {}
    nodes: list[onnx.NodeProto] = []
    for node in graph.node:
        if node.op_type == "ConstantOfShape" and node.input[0] in constants:
            value = next(a.t for a in node.attribute if a.name == "value")
            shape = tuple(int(d) for d in constants[node.input[0]])
            weights[node.output[0]] = (shape, numpy_helper.to_array(value).dtype)
        else:
            nodes.append(node)
    for name, array in constants.items():
        if array.dtype.kind == "f":
            weights[name] = (array.shape, array.dtype)
    consumers = weight_consumers(nodes)
    initializers = [init for init in graph.initializer if init.name not in weights]
    for name, (shape, dtype) in weights.items():
        values = random_weight(rng, shape, consumers.get(name)).astype(dtype)
        initializers.append(numpy_helper.from_array(values, name))
    used = {name for node in nodes for name in node.input}
    new_graph = helper.make_graph(
        nodes,
        graph.name,
        [value for value in graph.input if value.name not in constants],
        list(graph.output),
        [init for init in initializers if init.name in used],
    )
    result = helper.make_model(new_graph, opset_imports=list(model.opset_import))
    result.ir_version = max(model.ir_version, 4)
    return result


def with_logits(model: onnx.ModelProto) -> onnx.ModelProto:
    """``model`` with its Softmax's input as a second output, if its output is a
    Softmax (a copy either way)."""
    result = onnx.ModelProto()
    result.CopyFrom(model)
    graph = result.graph
    (output,) = graph.output
    producer = next(node for node in graph.node if output.name in node.output)
    if producer.op_type == "Softmax":
        graph.output.append(onnx.ValueInfoProto(name=producer.input[0]))
    return result


def weight_consumers(
    nodes: list[onnx.NodeProto],
) -> dict[str, tuple[onnx.NodeProto, int]]:
    """For each value, the node and input index that give it its role: its first
    consumer, looking through :data:`PASS_THROUGH` ops."""
    first: dict[str, tuple[onnx.NodeProto, int]] = {}
    for node in nodes:
        for index, name in enumerate(node.input):
            first.setdefault(name, (node, index))
    resolved: dict[str, tuple[onnx.NodeProto, int]] = {}
    for name, (node, index) in first.items():
        while node.op_type in PASS_THROUGH and node.output[0] in first:
            node, index = first[node.output[0]]
        resolved[name] = (node, index)
    return resolved


def random_weight(
    rng: np.random.Generator,
    shape: tuple[int, ...],
    consumer: tuple[onnx.NodeProto, int] | None,
) -> NumpyArray:
    """Values for one weight of ``shape``, by the role its consumer gives it."""
    op, index = (consumer[0].op_type, consumer[1]) if consumer else ("", -1)
    if (op, index) in (("Conv", 1), ("MatMul", 1), ("Gemm", 1)):
        return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in(shape, consumer))
    if op == "BatchNormalization" and index == 1 or op == "Mul":
        return rng.uniform(0.8, 1.2, shape)
    if op == "BatchNormalization" and index == 4:
        return rng.uniform(0.5, 1.5, shape)
    return rng.standard_normal(shape) * SMALL


def fan_in(shape: tuple[int, ...], consumer: tuple[onnx.NodeProto, int] | None) -> int:
    """How many inputs feed one output through this weight.

    A Gemm weight may be stored with extra unit dims and reshaped before use
    (Inception's ``[1, 1, 1000, 1024]``), so its K is read from the last dim
    (``transB``: N x K) or from all the others (K x N).
    """
    assert consumer is not None
    node = consumer[0]
    if node.op_type == "Conv":
        return int(np.prod(shape[1:]))
    if node.op_type == "Gemm":
        trans_b = any(a.name == "transB" and a.i for a in node.attribute)
        return shape[-1] if trans_b else int(np.prod(shape[:-1]))
    return shape[-2]


def data_input(model: onnx.ModelProto) -> onnx.ValueInfoProto:
    """The model's only non-constant input."""
    constants = {init.name for init in model.graph.initializer}
    (value,) = [v for v in model.graph.input if v.name not in constants]
    return value


def random_input(model: onnx.ModelProto, seed: int = SEED) -> NumpyArray:
    tensor = data_input(model).type.tensor_type
    assert tensor.elem_type == TensorProto.FLOAT
    shape = [dim.dim_value for dim in tensor.shape.dim]
    return np.random.default_rng(seed + 1).standard_normal(shape).astype(np.float32)


def onnxruntime_session(model: onnx.ModelProto) -> onnxruntime.InferenceSession:
    """A one-thread CPU session (all graph optimizations, as deployed)."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def normwise_error(got: NumpyArray, expected: NumpyArray) -> float:
    """||got - expected||_2 / ||expected||_2, in float64."""
    difference = got.astype(np.float64) - expected.astype(np.float64)
    return float(np.linalg.norm(difference) / np.linalg.norm(expected))


def light_test_model(name: str) -> onnx.ModelProto:
    """The light model ``name`` as tested: randomized, logits exposed."""
    return with_logits(randomized(load_light_model(name)))


@dataclass
class LightRun:
    """One light model through dlc and onnxruntime."""

    name: str
    model: onnx.ModelProto
    image: NumpyArray
    session: onnxruntime.InferenceSession
    expected: list[NumpyArray]
    got: list[NumpyArray]
    import_seconds: float
    compiled: CompiledFunction


def run_light_model(name: str, threads: int = 1) -> LightRun:
    """Randomize, import, compile and run one light model next to onnxruntime."""
    model = light_test_model(name)
    image = random_input(model)
    session = onnxruntime_session(model)
    expected = session.run(None, {data_input(model).name: image})
    start = time.perf_counter()
    module = import_model(model)
    import_seconds = time.perf_counter() - start
    compiled = dlc.compile(module, threads=threads)
    results = compiled(image)
    got = list(results) if isinstance(results, tuple) else [results]
    return LightRun(
        name, model, image, session, expected, got, import_seconds, compiled
    )


def light_params() -> list[Any]:
    return [
        pytest.param(name, marks=[pytest.mark.slow] if name in SLOW else [], id=name)
        for name in MODELS
    ]


@pytest.mark.parametrize("name", light_params())
def test_light_model_matches_onnxruntime(name: str) -> None:
    run = run_light_model(name)
    assert len(run.got) == len(run.expected)
    for index, (got, expected) in enumerate(zip(run.got, run.expected, strict=True)):
        assert got.shape == expected.shape, f"output {index}"
        assert got.dtype == expected.dtype, f"output {index}"
        error = normwise_error(got, expected)
        assert error <= TOLERANCE, f"output {index}: normwise error {error:.3g}"


def test_randomized_weights_are_not_uniform() -> None:
    """Every float weight of a randomized model varies (no 0.02 left), BatchNorm
    variances lie in [0.5, 1.5], and no ConstantOfShape remains."""
    model = randomized(load_light_model("resnet50"))
    assert all(node.op_type != "ConstantOfShape" for node in model.graph.node)
    weights = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    for name, array in weights.items():
        if array.dtype.kind == "f" and array.size > 1:
            assert np.unique(array).size > 1, name
    variances = [
        weights[node.input[4]]
        for node in model.graph.node
        if node.op_type == "BatchNormalization"
    ]
    assert variances
    assert all(v.min() >= 0.5 and v.max() <= 1.5 for v in variances)
