"""Exporters: nn functions written out in other frameworks' formats.

Only ONNX so far (:func:`dlc.export.onnx.export_onnx`), used to run the same model
with onnxruntime, as a benchmark peer and as a second oracle for differential
fuzzing.
"""

from dlc.export.onnx import UnsupportedOpError, export_onnx

__all__ = ["UnsupportedOpError", "export_onnx"]
