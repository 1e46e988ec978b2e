"""A verifier of an xDSL op that raises a bare Exception still gives a diagnostic.

xDSL 0.74's memref.load and memref.store verifiers raise ``Exception("Expected an
index for each dimension")``, which escaped dlc-opt and dlc.parse as a traceback.
"""

import pytest

import dlc

STORE = """func.func @f(%m: memref<2x3xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  memref.store %v, %m[%c0] : memref<2x3xf32>
  func.return
}
"""


def test_store_with_too_few_indices_is_a_located_diagnostic():
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(STORE, "store.mlir")
    error = info.value
    assert error.location is not None and error.location.line == 3
    assert error.message == "memref.store: Expected an index for each dimension"


def test_load_with_too_many_indices_is_a_located_diagnostic():
    load = STORE.replace(
        "memref.store %v, %m[%c0] : memref<2x3xf32>",
        "%x = memref.load %m[%c0, %c0, %c0] : memref<2x3xf32>",
    )
    with pytest.raises(dlc.DiagnosticError, match="memref.load: expected an index"):
        dlc.parse(load)
