"""A damaged ONNX model is a clean import error, never an internal error.

Found by the ONNX mutation fuzzer (tests/fuzz/onnx_mutate.py, ``bad_initializer``,
``change_elem_type`` and ``bad_attribute``); each of these was a Python exception
from the importer, which dlc-import-onnx printed as "internal error ... this is a
bug in dlc":

* an initializer whose raw data does not fill its dims in its element type
  (``dims: [3]`` over 8 bytes of float32, or a float32 blob relabelled float16):
  ``numpy_helper.to_array`` raised ``ValueError: cannot reshape array``;
* an integer attribute written as another kind (``axis = 1e30`` as a FLOAT,
  ``axis = "x"`` as a STRING): ``NodeContext.int_attr`` converted it with
  ``int()`` (an i64 out of range, or ``ValueError``); a float attribute written as
  a STRING (Gemm ``alpha = "nonsense"``): ``float_attr`` raised ``ValueError``;
* a graph input of an element type ONNX does not define (``elem_type = 99``):
  ``KeyError: 99`` from ``constants.onnx_element_dtype``;
* an op type or graph name that is not valid UTF-8 (one flipped byte): protobuf
  gives the field as ``bytes``, on which ``onnx.defs.has`` and ``re.sub`` raised
  ``TypeError``;
* a list attribute written as one INT or a STRING (Transpose ``perm = 1`` or
  ``perm = "x"``): ``NodeContext.ints_attr`` iterated it, and read ``perm = "10"``
  as the list [1, 0];
* a node with fewer inputs than its op requires (Conv with no weight, which
  ONNX's shape inference lets pass): ``NodeContext.input_type`` raised
  ``IndexError``.

Attribute kinds are checked against the ``AttributeProto``'s declared type.
"""

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, numpy_helper

from dlc.diagnostics import DiagnosticError
from dlc.frontends.onnx import import_model
from dlc.tools.dlc_import_onnx import main
from tests.onnx.support import make_model, node


def add_constant(data: np.ndarray, dims: list[int], data_type: int) -> onnx.ModelProto:
    constant = numpy_helper.from_array(data, "c")
    del constant.dims[:]
    constant.dims.extend(dims)
    constant.data_type = data_type
    model = make_model(
        [node("Add", ["x", "c"], ["y"])], {"x": (tuple(dims), np.float32)}, ["y"]
    )
    model.graph.initializer.append(constant)
    return model


def softmax(axis: object) -> onnx.ModelProto:
    return make_model(
        [node("Softmax", ["x"], ["y"], axis=axis)], {"x": ((2, 3), np.float32)}, ["y"]
    )


def gemm(alpha: object) -> onnx.ModelProto:
    shapes = {"a": ((2, 3), np.float32), "b": ((3, 4), np.float32)}
    return make_model([node("Gemm", ["a", "b"], ["y"], alpha=alpha)], shapes, ["y"])


def relu_of_element_type(elem_type: int) -> onnx.ModelProto:
    model = make_model([node("Relu", ["x"], ["y"])], {"x": ((2,), np.float32)}, ["y"])
    model.graph.input[0].type.tensor_type.elem_type = elem_type
    return model


def relu_named_in_bad_utf8() -> onnx.ModelProto:
    model = make_model([node("Relu", ["x"], ["y"])], {"x": ((2,), np.float32)}, ["y"])
    data = model.SerializeToString().replace(b"\x22\x04Relu", b"\x22\x04R\xedlu")
    return onnx.ModelProto.FromString(data)


def relu_graph_named_in_bad_utf8() -> onnx.ModelProto:
    model = make_model(
        [node("Relu", ["x"], ["y"])], {"x": ((2,), np.float32)}, ["y"], name="gg"
    )
    data = model.SerializeToString().replace(b"\x12\x02gg", b"\x12\x02g\xed")
    return onnx.ModelProto.FromString(data)


def transpose(perm: object) -> onnx.ModelProto:
    return make_model(
        [node("Transpose", ["x"], ["y"], perm=perm)], {"x": ((2, 3), np.float32)}, ["y"]
    )


BAD_MODELS = {
    "initializer_dims_larger_than_data": (
        lambda: add_constant(np.ones(2, np.float32), [3], TensorProto.FLOAT),
        "initializer 'c' has dims [3] of FLOAT (3 elements), which its data does "
        "not fit",
    ),
    "initializer_of_another_element_type": (
        lambda: add_constant(np.ones(2, np.float32), [2], TensorProto.FLOAT16),
        "initializer 'c' has dims [2] of FLOAT16 (2 elements), which its data does "
        "not fit",
    ),
    "integer_attribute_as_a_huge_float": (
        lambda: softmax(1e30),
        "Softmax (1 node: Softmax_y): attribute axis must be of type INT, but the "
        "model gives FLOAT 1.0000000150474662e+30",
    ),
    "integer_attribute_as_a_string": (
        lambda: softmax("x"),
        "Softmax (1 node: Softmax_y): attribute axis must be of type INT, but the "
        "model gives STRING 'x'",
    ),
    "float_attribute_as_a_string": (
        lambda: gemm("nonsense"),
        "Gemm (1 node: Gemm_y): attribute alpha must be of type FLOAT or INT, but "
        "the model gives STRING 'nonsense'",
    ),
    "undefined_element_type": (
        lambda: relu_of_element_type(99),
        "input 'x' has element type 99, which is not an ONNX TensorProto.DataType",
    ),
    "op_type_not_utf8": (
        relu_named_in_bad_utf8,
        "text that is not valid UTF-8 in model.graph.node[0].op_type = "
        "b'R\\xedlu' (node 'Relu_y')",
    ),
    "graph_name_not_utf8": (
        relu_graph_named_in_bad_utf8,
        "text that is not valid UTF-8 in model.graph.name = b'g\\xed'",
    ),
    "ints_attribute_as_an_int": (
        lambda: transpose(1),
        "Transpose (1 node: Transpose_y): attribute perm must be of type INTS, but "
        "the model gives INT 1",
    ),
    "ints_attribute_as_a_string": (
        lambda: transpose("x"),
        "attribute perm must be of type INTS, but the model gives STRING 'x'",
    ),
    "ints_attribute_as_a_string_of_digits": (
        lambda: transpose("10"),
        "attribute perm must be of type INTS, but the model gives STRING '10'",
    ),
    "conv_without_its_weight": (
        lambda: make_model(
            [node("Conv", ["x"], ["y"])], {"x": ((1, 2, 5, 5), np.float32)}, ["y"]
        ),
        "Conv (1 node: Conv_y): input 1 is missing (the node has 1 input: 'x')",
    ),
}
"""Each damaged model, and what its error must say."""


@pytest.mark.parametrize("case", BAD_MODELS)
def test_import_model_raises_a_diagnostic(case: str):
    make, message = BAD_MODELS[case]
    with pytest.raises(DiagnosticError) as error:
        import_model(make())
    assert message in str(error.value)


@pytest.mark.parametrize("case", BAD_MODELS)
def test_dlc_import_onnx_reports_no_internal_error(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    make, message = BAD_MODELS[case]
    path = tmp_path / f"{case}.onnx"
    path.write_bytes(make().SerializeToString())
    with pytest.raises(SystemExit) as exit_:
        main([str(path)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert message in err
