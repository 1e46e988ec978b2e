"""A function over tensors numpy cannot hold (bf16, i3) is a diagnostic.

``numpy_dtype`` asserted on them, so dlc.compile and dlc.interpret raised a bare
AssertionError (bf16) or numpy's TypeError (i3, "data type 'int3' not
understood").
"""

import pytest

import dlc


@pytest.mark.parametrize("element", ["bf16", "i3", "complex<f32>"])
def test_compile_reports_the_element_type(element: str):
    text = f"""func.func @f(%x: tensor<2x{element}>) -> tensor<2x{element}> {{
  func.return %x : tensor<2x{element}>
}}
"""
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.compile(text)
    assert info.value.message == (
        f"element type {element} has no numpy dtype (dlc runs f16, f32, f64, index, "
        "i1, i8, i16, i32 and i64 tensors)"
    )


def test_i1_and_index_tensors_still_compile():
    text = """func.func @f(%x: tensor<2xi1>, %i: tensor<3xindex>)
    -> (tensor<2xi1>, tensor<3xindex>) {
  func.return %x, %i : tensor<2xi1>, tensor<3xindex>
}
"""
    dlc.compile(text)
