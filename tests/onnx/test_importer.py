"""The importer as a whole: folding, shapes, names, locations, errors."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from xdsl.dialects.builtin import NameLoc
from xdsl.dialects.func import FuncOp

import dlc
from dlc.diagnostics import DiagnosticError
from dlc.frontends.onnx import OnnxImportError, Problem, import_model
from dlc.tools.dlc_import_onnx import print_module
from tests.onnx.support import (
    assert_matches_onnxruntime,
    make_model,
    node,
    random,
)


def ops_of(module: object) -> list[str]:
    return [op.name for op in module.walk() if op.name.startswith("nn.")]  # pyright: ignore


def shape_subgraph_model() -> onnx.ModelProto:
    """Flatten all but the batch dim, with the shape computed the PyTorch way."""
    x = ("x", ("batch", 3, 4))
    return make_model(
        [
            node("Shape", ["x"], ["shape"]),
            node("Gather", ["shape", "zero"], ["n"], axis=0),
            node("Unsqueeze", ["n", "axes"], ["n1"]),
            node("Concat", ["n1", "minus_one"], ["target"], axis=0),
            node("Reshape", ["x", "target"], ["y"]),
        ],
        {x[0]: (x[1], np.float32)},
        ["y"],
        {
            "zero": np.array(0, np.int64),
            "axes": np.array([0], np.int64),
            "minus_one": np.array([-1], np.int64),
        },
    )


def test_shape_subgraph_folds_into_one_reshape() -> None:
    x = random((2, 3, 4))
    module = assert_matches_onnxruntime(
        shape_subgraph_model(), {"x": x}, input_shapes={"x": (2, 3, 4)}
    )
    assert ops_of(module) == ["nn.reshape"]
    assert "array<i64: 2, 12>" in str(module)


def test_constant_of_shape_range_and_constant_nodes_fold() -> None:
    x = random((2, 4))
    model = make_model(
        [
            node("Shape", ["x"], ["shape"]),
            node(
                "ConstantOfShape",
                ["shape"],
                ["ones"],
                value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0]),
            ),
            node("Constant", [], ["limit"], value_int=4),
            node("Constant", [], ["zero"], value_int=0),
            node("Constant", [], ["one"], value_int=1),
            node("Range", ["zero", "limit", "one"], ["r"]),
            node("Cast", ["r"], ["rf"], to=TensorProto.FLOAT),
            node("Add", ["ones", "rf"], ["bias"]),
            node("Mul", ["x", "bias"], ["y"]),
        ],
        {"x": x},
        ["y"],
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert ops_of(module) == ["nn.constant", "nn.mul"]


def test_a_loop_reading_outer_scope_constants_folds() -> None:
    """Range's function body: a Loop whose body adds the outer graph's ``delta``,
    stacking rank-0 values into a vector (which ONNX's reference evaluator stacks
    as [n, 1]: the inferred shape [n] is kept)."""
    f32_scalar = (TensorProto.FLOAT, [])
    body = helper.make_graph(
        [
            node("Identity", ["cond"], ["cond_out"]),
            node("Add", ["prev", "delta"], ["current"]),
            node("Identity", ["prev"], ["range"]),
        ],
        "body",
        [
            helper.make_tensor_value_info("i", TensorProto.INT64, []),
            helper.make_tensor_value_info("cond", TensorProto.BOOL, []),
            helper.make_tensor_value_info("prev", *f32_scalar),
        ],
        [
            helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
            helper.make_tensor_value_info("current", *f32_scalar),
            helper.make_tensor_value_info("range", *f32_scalar),
        ],
    )
    x = random((3,))
    model = make_model(
        [
            node("Loop", ["trips", "go", "start"], ["last", "r"], body=body),
            node("Add", ["x", "r"], ["y"]),
        ],
        {"x": x},
        ["y"],
        {
            "trips": np.array(3, np.int64),
            "go": np.array(True),
            "start": np.array(1.5, np.float32),
            "delta": np.array(-0.5, np.float32),
        },
    )
    module = assert_matches_onnxruntime(model, {"x": x})
    assert ops_of(module) == ["nn.constant", "nn.add"]
    assert "dense<[1.500000e+00, 1.000000e+00, 5.000000e-01]>" in str(module)


def test_dynamic_input_without_input_shapes_is_an_error_naming_it() -> None:
    with pytest.raises(DiagnosticError) as error:
        import_model(shape_subgraph_model())
    message = str(error.value)
    assert "'x' has a dynamic shape [batch, 3, 4]" in message
    assert "--input-shape x=1x3x4" in message


def test_input_shapes_must_name_an_input_of_the_right_rank() -> None:
    model = shape_subgraph_model()
    with pytest.raises(DiagnosticError, match="no input of that name.*'x'"):
        import_model(model, {"y": (1, 3, 4)})
    with pytest.raises(DiagnosticError, match="gives 'x' 2 dims, but it has rank 3"):
        import_model(model, {"x": (1, 3)})


def test_input_shapes_pin_dims_before_shape_inference() -> None:
    model = make_model(
        [node("MatMul", ["a", "b"], ["y"])],
        {"a": (["n", "k"], np.float32), "b": (["k", 5], np.float32)},
        ["y"],
    )
    a, b = random((3, 4), seed=1), random((4, 5), seed=2)
    module = assert_matches_onnxruntime(
        model, {"a": a, "b": b}, input_shapes={"a": (3, 4), "b": (4, 5)}
    )
    assert "tensor<3x5xf32>" in str(module)


def unsupported_model() -> onnx.ModelProto:
    x = random((2, 6))
    nodes = [
        node("TopK", ["x", "k"], ["top1", "idx1"]),
        node("TopK", ["x", "k"], ["top2", "idx2"]),
        node("Relu", ["top1"], ["r"]),
        node("Resize", ["r", "", "", "sizes"], ["p"], mode="cubic"),
        helper.make_node("Frobnicate", ["x"], ["f"], domain="com.example", name="frob"),
        helper.make_node("Relu", ["x"], ["odd"], name="odd_relu", flavour=3),
        node("Add", ["r", "top2"], ["y"]),
        node("Mul", ["f", "odd"], ["z"]),
    ]
    model = make_model(
        nodes,
        {"x": x},
        ["y", "z", "p"],
        {"k": np.array([3], np.int64), "sizes": np.array([2, 6], np.int64)},
    )
    model.opset_import.append(helper.make_opsetid("com.example", 1))
    return model


def test_every_unsupported_node_is_reported_at_once() -> None:
    with pytest.raises(OnnxImportError) as error:
        import_model(unsupported_model())
    assert error.value.problems == [
        Problem("TopK", "TopK_top1", "no converter for this op"),
        Problem("TopK", "TopK_top2", "no converter for this op"),
        Problem(
            "Resize",
            "Resize_p",
            "mode = 'cubic' is not supported (supported: 'nearest', 'linear')",
        ),
        Problem(
            "Frobnicate", "frob", "op of domain 'com.example' (dlc imports ai.onnx ops)"
        ),
        Problem("Relu", "odd_relu", "attribute flavour = 3 is not supported"),
    ]
    message = str(error.value)
    assert message.startswith(
        "error: cannot import model 'test': dlc does not support 5 of its nodes "
        "(4 op types):"
    )
    assert "  TopK (2 nodes: TopK_top1, TopK_top2): no converter for this op" in message


def test_nodes_after_a_failed_one_report_their_own_problems_only() -> None:
    """A stand-in of the inferred type replaces the failed node's result; an input
    that had to be a constant is not reported again."""
    x, v = random((1, 1, 6, 6)), random((6,))
    model = make_model(
        [
            node("TopK", ["x", "k"], ["top", "indices"]),
            node("Resize", ["top", "", "", "s"], ["pool"], mode="cubic"),
            node("Relu", ["top"], ["relu"]),
            node("ArgMax", ["v"], ["argmax"], keepdims=1),
            node("Reshape", ["v", "argmax"], ["reshaped"]),
        ],
        {"x": x, "v": v},
        ["pool", "relu", "reshaped"],
        {"k": np.array([3], np.int64), "s": np.array([1, 1, 6, 6], np.int64)},
    )
    with pytest.raises(OnnxImportError) as error:
        import_model(model)
    assert [(p.op_type, p.reason) for p in error.value.problems] == [
        ("TopK", "no converter for this op"),
        ("Resize", "mode = 'cubic' is not supported (supported: 'nearest', 'linear')"),
        ("ArgMax", "no converter for this op"),
    ]


def test_nodes_that_are_not_onnx_ops_are_reported_before_the_upgrade() -> None:
    x = random((2,))
    model = make_model(
        [node("Blorp", ["x"], ["b"]), node("TopK", ["b", "k"], ["y", "i"])],
        {"x": x},
        ["y"],
        {"k": np.array([1], np.int64)},
        opset=13,
    )
    with pytest.raises(OnnxImportError) as error:
        import_model(model)
    assert [(p.op_type, p.reason) for p in error.value.problems] == [
        ("Blorp", "not an ONNX op"),
        ("TopK", "no converter for this op"),
    ]


def test_dead_nodes_are_not_imported() -> None:
    x = random((3,))
    model = make_model(
        [node("TopK", ["x", "k"], ["unused", "i"]), node("Relu", ["x"], ["y"])],
        {"x": x},
        ["y"],
        {"k": np.array([1], np.int64)},
    )
    assert ops_of(assert_matches_onnxruntime(model, {"x": x})) == ["nn.relu"]


def test_many_nodes_of_one_kind_are_listed_briefly() -> None:
    x = random((4,))
    nodes = [node("Mod", ["x", "x"], [f"m{i}"]) for i in range(7)]
    nodes.append(node("Sum", [f"m{i}" for i in range(7)], ["y"]))
    with pytest.raises(
        OnnxImportError, match=r"Mod \(7 nodes: Mod_m0, .*Mod_m4 and 2 more\)"
    ):
        import_model(make_model(nodes, {"x": x}, ["y"]))


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_files_are_clear_errors(tmp_path: Path, fraction: float) -> None:
    data = unsupported_model().SerializeToString()
    path = tmp_path / "cut.onnx"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(DiagnosticError, match="truncated|cannot import"):
        import_model(path)


@pytest.mark.parametrize("content", [b"", b"not an onnx file at all", b"\x08\x07"])
def test_foreign_files_are_clear_errors(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.onnx"
    path.write_bytes(content)
    with pytest.raises(DiagnosticError, match="not a valid ONNX model"):
        import_model(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DiagnosticError, match="cannot read .*No such file"):
        import_model(tmp_path / "missing.onnx")


def test_ops_are_located_at_their_onnx_node() -> None:
    x = random((2, 3))
    model = make_model(
        [
            helper.make_node("Relu", ["x"], ["r"], name="/block/relu"),
            helper.make_node("Add", ["r", "c"], ["y"]),
        ],
        {"x": x},
        ["y"],
        {"c": np.ones(3, np.float32)},
    )
    module = import_model(model)
    locations = {
        op.name: op.location.desc.data  # pyright: ignore
        for op in module.walk()
        if isinstance(op.location, NameLoc)
    }
    assert locations == {
        "nn.relu": "/block/relu",
        "nn.constant": "c",
        "nn.add": "Add#1",
    }


def test_printed_module_parses_back_with_its_locations_and_resources() -> None:
    x = random((1, 8))
    model = make_model(
        [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="/fc/Gemm", transB=1)],
        {"x": x},
        ["y"],
        {"w": random((4, 8), seed=3), "b": random((4,), seed=4)},
    )
    module = import_model(model)
    stream = io.StringIO()
    print_module(module, stream)
    text = stream.getvalue()
    assert 'loc("/fc/Gemm")' in text
    assert "dense_resource<w.T" in text and "dialect_resources" in text
    reparsed = dlc.parse(text)
    expected = dlc.interpret(module, "test", x)
    np.testing.assert_array_equal(dlc.interpret(reparsed, "test", x), expected)


def test_small_or_splat_constants_are_inline_and_large_ones_are_blobs() -> None:
    x = random((4, 8))
    model = make_model(
        [
            node("Add", ["x", "small"], ["a"]),
            node("Mul", ["a", "splat"], ["m"]),
            node("Sub", ["m", "large"], ["y"]),
        ],
        {"x": x},
        ["y"],
        {
            "small": random((8,), seed=5),
            "splat": np.full((4, 8), 2.0, np.float32),
            "large": random((4, 8), seed=6),
        },
    )
    text = str(assert_matches_onnxruntime(model, {"x": x}))
    assert "dense<2.000000e+00> : tensor<4x8xf32>" in text
    assert "dense_resource<large" in text and "dense_resource<small" not in text


@pytest.mark.parametrize(
    ("graph_name", "function"), [("tiny cnn", "tiny_cnn"), ("", "main"), ("3d", "_3d")]
)
def test_function_is_named_after_the_graph(graph_name: str, function: str) -> None:
    x = random((2,))
    model = make_model([node("Relu", ["x"], ["y"])], {"x": x}, ["y"], name=graph_name)
    func = import_model(model).ops.first
    assert isinstance(func, FuncOp) and func.sym_name.data == function


def test_arguments_are_the_inputs_that_are_not_initializers() -> None:
    """IR version 3 models list their initializers among the graph inputs."""
    a, b = random((3,), seed=7), random((3,), seed=8)
    model = make_model(
        [node("Sub", ["a", "w"], ["d"]), node("Mul", ["d", "b"], ["y"])],
        {"a": a, "w": a, "b": b},
        ["y"],
        {"w": np.ones(3, np.float32)},
    )
    func = import_model(model).ops.first
    assert isinstance(func, FuncOp)
    assert [arg.name_hint for arg in func.args] == ["a", "b"]


def test_outputs_may_be_inputs_or_constants() -> None:
    x = random((2,))
    model = make_model(
        [node("Relu", ["x"], ["r"])],
        {"x": x},
        ["r", "x", "c"],
        {"c": np.arange(3, dtype=np.float32)},
    )
    assert_matches_onnxruntime(model, {"x": x})


def test_shape_inference_errors_are_diagnostics() -> None:
    a, b = random((2, 3)), random((4, 5))
    model = make_model([node("Add", ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
    with pytest.raises(DiagnosticError, match="shape inference failed.*Incompatible"):
        import_model(model)


def test_an_undefined_value_is_a_diagnostic() -> None:
    x = random((2,))
    model = make_model([node("Add", ["x", "ghost"], ["y"])], {"x": x}, ["y"])
    with pytest.raises(DiagnosticError, match="'ghost' \\(input of Add node"):
        import_model(model)


def test_unsupported_element_types_of_inputs_are_diagnostics() -> None:
    model = make_model(
        [node("Identity", ["x"], ["y"])], {"x": ((2,), np.uint16)}, ["y"]
    )
    with pytest.raises(DiagnosticError, match="element type uint16"):
        import_model(model)


def test_an_output_constant_of_an_unsupported_type_is_reported() -> None:
    x = random((2,))
    model = make_model(
        [node("Relu", ["x"], ["y"])],
        {"x": x},
        ["y", "c"],
        {"c": np.array([1, 2], np.uint8)},
    )
    with pytest.raises(OnnxImportError, match=r"graph output \(1 node: c\).*uint8"):
        import_model(model)
