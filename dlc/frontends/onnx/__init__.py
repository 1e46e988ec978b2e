"""Import ONNX models as nn-dialect modules.

``import_model("model.onnx")`` (or ``dlc-import-onnx model.onnx -o model.mlir``)
returns a module with one ``func.func`` named after the graph: the graph inputs
(not the initializers) are its arguments, in order, and the graph outputs its
results. Initializers become ``nn.constant`` ops where they are used, each ONNX node
becomes one or a few nn ops located at the node's name, and the SSA values are named
after the ONNX tensors. An ONNX node::

    node { input: "x" input: "fc.weight" input: "fc.bias" output: "y"
           name: "/fc/Gemm" op_type: "Gemm" attribute { name: "transB" i: 1 } }

becomes::

    %fc.weight.T = nn.constant dense_resource<fc.weight.T> : tensor<784x10xf32>
        loc("fc.weight.T")
    %y = nn.dense %x, %fc.weight.T, %fc.bias : (...) -> tensor<1x10xf32>
        loc("/fc/Gemm")

(each op on one line in the printed text; the weight is transposed at import time
because nn.dense takes it as K x N).

See docs/onnx.md for the op table and what is not supported.
"""

from dlc.frontends.onnx.importer import CONVERTERS, TARGET_OPSET, import_model
from dlc.frontends.onnx.problems import OnnxImportError, Problem

__all__ = ["CONVERTERS", "TARGET_OPSET", "OnnxImportError", "Problem", "import_model"]
