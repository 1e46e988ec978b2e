"""The example models in examples/ are valid dlc programs that compute what they claim.

Each example parses and verifies, and ``dlc-opt`` prints it in a form that is a fixed
point: its custom output parses back to the same text, and so does its generic
(``--print-op-generic``) output. The reference interpreter runs each model on seeded
random inputs (weights scaled by 1/sqrt(fan-in), as at initialization) and agrees with
an independent numpy implementation of the same model written out below.

The one-line op examples of the nn reference, docs/dialects/nn.md, are checked here
too, so that the documentation cannot drift from the verifier.
"""

from __future__ import annotations

import io
import re
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dlc
from dlc.tools.dlc_opt import main as dlc_opt_main
from tests.example_models import EXAMPLE_MODELS, EXAMPLES, Example

ROOT = Path(__file__).resolve().parent.parent
NN_REFERENCE = ROOT / "docs" / "dialects" / "nn.md"

Array = np.ndarray[Any, Any]


def dlc_opt(text: str, *flags: str) -> str:
    """Run dlc-opt (in this process, for speed) on ``text``; return what it prints."""
    stdout, stderr, stdin = io.StringIO(), io.StringIO(), sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        with redirect_stdout(stdout), redirect_stderr(stderr):
            dlc_opt_main(list(flags))
    except SystemExit as exit:
        if exit.code:
            raise AssertionError(
                f"dlc-opt {' '.join(flags)} failed:\n{stderr.getvalue()}"
            ) from None
    finally:
        sys.stdin = stdin
    return stdout.getvalue()


by_name = pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)


def test_every_example_file_is_tested():
    assert sorted(p.stem for p in EXAMPLES.glob("*.mlir")) == sorted(
        e.name for e in EXAMPLE_MODELS
    )


@by_name
def test_example_parses_and_verifies(example: Example):
    module = dlc.parse(example.text, f"{example.name}.mlir")
    names = [op.sym_name.data for op in module.ops]  # pyright: ignore[reportAttributeAccessIssue]
    assert names == [example.name]


@by_name
def test_dlc_opt_output_is_a_fixed_point_in_custom_form(example: Example):
    printed = dlc_opt(example.text)
    assert "nn." in printed
    assert dlc_opt(printed) == printed


@by_name
def test_dlc_opt_generic_output_parses_back_to_the_custom_print(example: Example):
    custom = dlc_opt(example.text)
    generic = dlc_opt(example.text, "--print-op-generic")
    assert '"nn.' in generic
    assert dlc_opt(generic) == custom
    assert dlc_opt(generic, "--print-op-generic") == generic


@by_name
def test_interpreter_matches_independent_numpy_model(example: Example):
    inputs = example.inputs(np.random.default_rng(0))
    module = dlc.parse(example.text, f"{example.name}.mlir")
    out = dlc.interpret(module, example.name, *inputs)
    f32_inputs = [a.astype(np.float32).astype(np.float64) for a in inputs]
    expected = example.reference(*f32_inputs)
    assert out.dtype == np.float32
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    if example.returns_probabilities:
        np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-5)
        assert (out >= 0).all()


# --- The op examples of docs/dialects/nn.md ------------------------------------------


def reference_examples() -> list[str]:
    """The one-line op examples (```mlir blocks) of the nn dialect reference."""
    blocks = re.findall(r"```mlir\n(.*?)```", NN_REFERENCE.read_text(), re.DOTALL)
    return [block.strip() for block in blocks]


def as_function(line: str) -> str:
    """Wrap one op line in a function taking its operands and returning its result.

    The operand types come from the line's own type: ``(A, B) -> C``, ``A -> B`` or
    ``T`` (same type in and out; none for nn.constant, which has no operands).
    """
    head, _, types = line.rpartition(" : ")
    result, *operands = re.findall(r"%\w+", head.split("{")[0])
    if types.startswith("("):
        inputs, _, result_type = types.partition(") -> ")
        operand_types = inputs[1:].split(", ")
    else:
        operand_type, _, result_type = types.partition(" -> ")
        operand_types = [operand_type] * len(operands)
        result_type = result_type or operand_type
    args = ", ".join(f"{o}: {t}" for o, t in zip(operands, operand_types, strict=True))
    return (
        f"func.func @f({args}) -> {result_type} {{\n  {line}\n"
        f"  func.return {result} : {result_type}\n}}\n"
    )


@pytest.mark.parametrize("line", reference_examples())
def test_every_op_example_in_the_nn_reference_verifies(line: str):
    assert "\n" not in line, "each example in docs/dialects/nn.md is one op line"
    dlc.parse(as_function(line), "docs/dialects/nn.md")
