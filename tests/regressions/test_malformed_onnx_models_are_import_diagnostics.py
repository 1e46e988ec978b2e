"""A damaged ONNX model is a clean import error, never an internal error.

Found by the ONNX mutation fuzzer (tests/fuzz/onnx_mutate.py, ``bad_initializer``,
``change_elem_type`` and ``bad_attribute``). Both bugs are in the importer
(dlc/frontends/onnx/, owned by the ONNX work of this session), so the tests are
strict xfails until it is fixed:

* an initializer whose raw data does not fill its dims in its element type
  (``dims: [3]`` over 8 bytes of float32, or a float32 blob relabelled float16):
  ``numpy_helper.to_array`` raises ``ValueError: cannot reshape array of size 2
  into shape (3,)`` from ``GraphImporter.build``;
* an integer attribute written as another kind (``axis = 1e30`` as a FLOAT,
  ``axis = "x"`` as a STRING): ``NodeContext.int_attr`` converts it with
  ``int()``, which gives an i64 out of range (xDSL's ``VerifyException`` from
  ``IntegerAttr``) or raises ``ValueError: invalid literal for int()``; a float
  attribute written as a STRING (Gemm ``alpha = "nonsense"``): ``float_attr``
  raises ``ValueError: could not convert string to float``;
* a graph input of an element type ONNX does not define (``elem_type = 99``):
  ``onnx.helper.tensor_dtype_to_np_dtype`` raises ``KeyError: 99`` from
  ``constants.onnx_element_dtype``;
* an op type that is not valid UTF-8 (one flipped byte): protobuf's upb backend
  gives the field as ``bytes``, and ``importer.unknown_op_problems`` passes it to
  ``onnx.defs.has``, which raises ``TypeError: has_schema(): incompatible
  function arguments``; a graph name that is not valid UTF-8:
  ``importer.function_name`` runs ``re.sub`` on the bytes (``TypeError: cannot
  use a string pattern on a bytes-like object``);
* a list attribute written as one INT or a STRING (Transpose ``perm = 1`` or
  ``perm = "x"``): ``NodeContext.ints_attr`` iterates it (``TypeError: 'int'
  object is not iterable``, ``ValueError: invalid literal for int()``); and
  ``perm = "10"`` is even read as the list [1, 0];
* a node with fewer inputs than its op requires (Conv with no weight, which
  ONNX's shape inference lets pass): ``NodeContext.input_type`` indexes past the
  inputs (``IndexError: list index out of range``); an empty name ("") in that
  place is already reported as "input 1 is missing".

dlc-import-onnx then prints ``error: internal error in dlc-import-onnx`` and "this
is a bug in dlc".
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

IMPORTER_BUG = "the ONNX importer reads damaged models unchecked"


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
    "initializer_dims_larger_than_data": lambda: add_constant(
        np.ones(2, np.float32), [3], TensorProto.FLOAT
    ),
    "initializer_of_another_element_type": lambda: add_constant(
        np.ones(2, np.float32), [2], TensorProto.FLOAT16
    ),
    "integer_attribute_as_a_huge_float": lambda: softmax(1e30),
    "integer_attribute_as_a_string": lambda: softmax("x"),
    "float_attribute_as_a_string": lambda: gemm("nonsense"),
    "undefined_element_type": lambda: relu_of_element_type(99),
    "op_type_not_utf8": relu_named_in_bad_utf8,
    "graph_name_not_utf8": relu_graph_named_in_bad_utf8,
    "ints_attribute_as_an_int": lambda: transpose(1),
    "ints_attribute_as_a_string": lambda: transpose("x"),
    "ints_attribute_as_a_string_of_digits": lambda: transpose("10"),
    "conv_without_its_weight": lambda: make_model(
        [node("Conv", ["x"], ["y"])], {"x": ((1, 2, 5, 5), np.float32)}, ["y"]
    ),
}


@pytest.mark.xfail(strict=True, reason=IMPORTER_BUG)
@pytest.mark.parametrize("case", BAD_MODELS)
def test_import_model_raises_a_diagnostic(case: str):
    with pytest.raises(DiagnosticError):
        import_model(BAD_MODELS[case]())


@pytest.mark.xfail(strict=True, reason=IMPORTER_BUG)
@pytest.mark.parametrize("case", BAD_MODELS)
def test_dlc_import_onnx_reports_no_internal_error(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / f"{case}.onnx"
    path.write_bytes(BAD_MODELS[case]().SerializeToString())
    with pytest.raises(SystemExit) as exit_:
        main([str(path)])
    assert exit_.value.code == 1
    assert "internal error" not in capsys.readouterr().err
