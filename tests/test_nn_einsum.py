"""nn.einsum against hand-written numpy, through the reference, the lowering and the
compiled code.

Each case states its meaning with plain numpy (matmul, transpose, diagonal, sums,
broadcasting products), not with einsum, so the equation parser, the implicit
output order and the broadcasting of '...' are checked against an independent
statement. Tolerances: f32 rtol 1e-5 / atol 1e-5 (sums of a few products in
another order), f64 1e-12, f16 1e-2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp, StringAttr, TensorType, f32
from xdsl.ir import Block
from xdsl.utils.exceptions import VerifyException

import dlc
from dlc.dialects.nn import einsum as ein
from tests.strategies import OP_SPECS, Program, programs
from tests.support import check_random_program, lowered

Array = np.ndarray[Any, Any]
ELEMENT = {"float16": "f16", "float32": "f32", "float64": "f64"}
TOLERANCE = {"float16": 1e-2, "float32": 1e-5, "float64": 1e-12}

Case = tuple[str, list[tuple[int, ...]], Callable[..., Array]]

CASES: dict[str, Case] = {
    "matmul": ("ij,jk->ik", [(2, 3), (3, 4)], lambda a, b: a @ b),
    "matmul_spaces_implicit": ("ij , jk", [(2, 3), (3, 4)], lambda a, b: a @ b),
    "matmul_transposed_output": ("ij,jk->ki", [(2, 3), (3, 4)], lambda a, b: (a @ b).T),
    "batched_matmul": ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)], np.matmul),
    "transpose": ("ijk->kij", [(2, 3, 4)], lambda a: a.transpose(2, 0, 1)),
    "implicit_sorts_ascii": ("bA", [(2, 3)], lambda a: a.T),
    "trace": ("ii", [(4, 4)], lambda m: np.trace(m)),
    "diagonal": ("ii->i", [(4, 4)], lambda m: np.diagonal(m).copy()),
    "diagonal_of_a_batch": ("bii->bi", [(2, 3, 3)], lambda m: np.diagonal(m, 0, 1, 2)),
    "sum_all": ("ij->", [(3, 5)], lambda a: a.sum()),
    "row_sums": ("ij->i", [(3, 5)], lambda a: a.sum(axis=1)),
    "dot": ("i,i", [(7,), (7,)], lambda a, b: (a * b).sum()),
    "outer": ("i,j", [(2,), (3,)], lambda a, b: a[:, None] * b[None, :]),
    "scalar_times_tensor": (",ij->ij", [(), (2, 3)], lambda s, a: s * a),
    "three_operands": (
        "ij,jk,k->i",
        [(2, 3), (3, 4), (4,)],
        lambda a, b, c: a @ (b @ c),
    ),
    "bilinear": (
        "bn,anm,bm->ba",
        [(2, 3), (4, 3, 5), (2, 5)],
        lambda x, w, y: np.stack([(x @ w[a] * y).sum(axis=1) for a in range(4)], 1),
    ),
    "ellipsis_batched_matmul": (
        "...ij,...jk->...ik",
        [(5, 1, 2, 3), (4, 3, 2)],
        np.matmul,
    ),
    "ellipsis_implicit_comes_first": (
        "i...",
        [(2, 3, 4)],
        lambda a: a.transpose(1, 2, 0),
    ),
    "ellipsis_moved_last": ("i...->...i", [(2, 3, 4)], lambda a: a.transpose(1, 2, 0)),
    "ellipsis_of_no_dims": ("...i,i", [(3,), (3,)], lambda a, b: (a * b).sum()),
    "ellipsis_broadcast_dot": (
        "...i,...i->...",
        [(5, 1, 3), (2, 3)],
        lambda a, b: (a * b).sum(axis=-1),
    ),
}


def tensor_type(shape: tuple[int, ...], dtype: str) -> str:
    return "tensor<" + "".join(f"{d}x" for d in shape) + ELEMENT[dtype] + ">"


def einsum_module(equation: str, shapes: list[tuple[int, ...]], dtype: str) -> ModuleOp:
    """A function applying the op; its result type is inferred by dlc."""
    block = Block(arg_types=[TensorType(f32, list(s)) for s in shapes])
    props = {"equation": StringAttr(equation)}
    result = ein.EinsumOp.from_operands(list(block.args), **props).result.type
    assert isinstance(result, TensorType)
    out = tensor_type(tuple(result.get_shape()), dtype)
    types = [tensor_type(s, dtype) for s in shapes]
    args = ", ".join(f"%a{i}: {t}" for i, t in enumerate(types))
    operands = ", ".join(f"%a{i}" for i in range(len(shapes)))
    return dlc.parse(
        f"func.func @f({args}) -> {out} {{\n"
        f'  %r = nn.einsum {operands} {{equation = "{equation}"}}'
        f" : ({', '.join(types)}) -> {out}\n  func.return %r : {out}\n}}"
    )


def assert_close(actual: Array, expected: Array, dtype: str) -> None:
    assert actual.dtype == np.dtype(dtype)
    assert actual.shape == np.shape(expected)
    tolerance = TOLERANCE[dtype]
    np.testing.assert_allclose(
        actual.astype(np.float64), expected, rtol=tolerance, atol=tolerance
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", CASES)
def test_reference_and_lowering_compute_what_the_equation_means(name: str, dtype: str):
    equation, shapes, meaning = CASES[name]
    module = einsum_module(equation, shapes, dtype)
    rng = np.random.default_rng(0)
    inputs = [rng.uniform(-2, 2, s).astype(dtype) for s in shapes]
    expected = np.asarray(meaning(*(x.astype(np.float64) for x in inputs)))
    assert_close(dlc.interpret(module, "f", *inputs), expected, dtype)
    assert_close(dlc.interpret(lowered(module), "f", *inputs), expected, dtype)


ODD_SIZES: dict[str, Case] = {
    "batched_matmul": ("bij,bjk->bik", [(3, 17, 5), (3, 5, 127)], np.matmul),
    "attention_scores": (
        "bhqd,bhkd->bhqk",
        [(1, 3, 17, 8), (1, 3, 17, 8)],
        lambda q, k: q @ k.transpose(0, 1, 3, 2),
    ),
    "ellipsis_broadcast": ("...ij,...jk", [(3, 1, 17, 5), (1, 5, 1)], np.matmul),
    "trace_127": ("ii", [(127, 127)], lambda m: np.trace(m)),
    "outer_127x17": ("i,j->ij", [(127,), (17,)], np.outer),
}


@pytest.mark.parametrize("name", ODD_SIZES)
def test_compiled_einsum_equals_numpy_on_odd_sizes(name: str):
    equation, shapes, meaning = ODD_SIZES[name]
    module = einsum_module(equation, shapes, "float32")
    rng = np.random.default_rng(1)
    inputs = [rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]
    expected = np.asarray(meaning(*(x.astype(np.float64) for x in inputs)))
    got = dlc.compile(module)(*inputs)
    assert got.shape == expected.shape
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5 * scale)


def test_f16_einsum_compiles_to_the_reference():
    module = einsum_module("ij,jk->ik", [(3, 5), (5, 4)], "float16")
    rng = np.random.default_rng(2)
    inputs = [rng.uniform(-1, 1, s).astype(np.float16) for s in [(3, 5), (5, 4)]]
    want = dlc.interpret(module, "f", *inputs)
    assert_close(dlc.compile(module)(*inputs), want.astype(np.float64), "float16")


def test_read_einsum_resolves_labels_and_summed_letters():
    resolved = ein.read_einsum("nn.einsum", " b i j , b j k ", [(2, 3, 4), (2, 4, 5)])
    assert resolved.equation == "bij,bjk"
    # implicit: b and j appear twice, so both are summed
    assert resolved.output_labels == ("i", "k")
    assert resolved.summed_labels == ("b", "j")
    ellipsis = ein.read_einsum("nn.einsum", "...i,...i", [(5, 1, 3), (2, 3)])
    assert ellipsis.operand_labels == (("...0", "...1", "i"), ("...1", "i"))
    assert ellipsis.output_shape == (5, 2)


def test_from_operands_names_the_op_in_errors():
    block = Block(arg_types=[TensorType(f32, [2, 3])])
    with pytest.raises(VerifyException, match="nn.einsum: missing string property"):
        ein.EinsumOp.from_operands(list(block.args))
    with pytest.raises(VerifyException, match="nn.einsum: letter 'i' has size 2"):
        ein.EinsumOp.from_operands(list(block.args), equation=StringAttr("ii"))


EINSUM_SPECS = [spec for spec in OP_SPECS if spec.op is ein.EinsumOp]


@settings(max_examples=40, deadline=None)
@given(programs(max_ops=4, specs=EINSUM_SPECS), st.integers(0, 2**16))
def test_lowering_and_compiling_preserve_random_einsums(program: Program, seed: int):
    check_random_program(program, seed)
