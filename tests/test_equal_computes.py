"""tensor-to-loop lowers each distinct compute once and clones it for equal ones.

Sharing must change how long the pass takes and nothing else: with and without
it, the loop-level IR is the same text once value names are dropped (a clone
keeps the first compute's names). The examples, a model of repeated layers and
squeezenet check that, and that the sharing does happen where layers repeat.
"""

from __future__ import annotations

from typing import Any

import pytest
from xdsl.dialects.builtin import ModuleOp

import dlc
from dlc.context import make_context
from dlc.frontends.onnx import import_model
from dlc.lowering.tensor_to_loop import equal_computes
from dlc.pipelines import CPU_PIPELINE
from tests.example_models import EXAMPLE_MODELS
from tests.onnx.test_light_models import light_test_model

REPEATED_LAYERS = """
func.func @repeated(%x: tensor<16x32xf32>, %w1: tensor<32x32xf32>, %b1: tensor<32xf32>,
                    %w2: tensor<32x32xf32>, %b2: tensor<32xf32>,
                    %w3: tensor<32x8xf32>) -> tensor<16x8xf32> {
  %h1 = nn.dense %x, %w1, %b1
      : (tensor<16x32xf32>, tensor<32x32xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  %r1 = nn.relu %h1 : tensor<16x32xf32>
  %h2 = nn.dense %r1, %w2, %b2
      : (tensor<16x32xf32>, tensor<32x32xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  %r2 = nn.relu %h2 : tensor<16x32xf32>
  %y = nn.matmul %r2, %w3 : (tensor<16x32xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  func.return %y : tensor<16x8xf32>
}
"""


def loop_level(module: ModuleOp) -> ModuleOp:
    """A copy of ``module`` after the dlc-cpu passes up to tensor-to-loop."""
    lowered = module.clone()
    ctx = make_context()
    for pass_ in CPU_PIPELINE:
        pass_.apply(ctx, lowered)
        if pass_.name == "tensor-to-loop":
            lowered.verify()
            return lowered
    raise AssertionError("dlc-cpu has no tensor-to-loop")


def unnamed(module: ModuleOp) -> str:
    for op in module.walk():
        for value in op.results:
            value.name_hint = None
        for region in op.regions:
            for block in region.blocks:
                for arg in block.args:
                    arg.name_hint = None
    return str(module)


def lowered_both_ways(module: ModuleOp, monkeypatch: Any) -> tuple[str, str, int]:
    """The module lowered with sharing and without, and how many computes
    were cloned."""
    cloned = 0
    mapping = equal_computes.EqualComputes._mapping  # pyright: ignore[reportPrivateUsage]

    def counting(*args: Any) -> Any:
        nonlocal cloned
        found = mapping(*args)
        cloned += found is not None
        return found

    with monkeypatch.context() as patch:
        patch.setattr(equal_computes.EqualComputes, "_mapping", counting)
        shared = unnamed(loop_level(module))
    with monkeypatch.context() as patch:
        patch.setattr(equal_computes, "equivalent", lambda *_: False)
        fresh = unnamed(loop_level(module))
    return shared, fresh, cloned


def test_repeated_layers_are_lowered_once_into_the_same_loops(monkeypatch: Any):
    shared, fresh, cloned = lowered_both_ways(dlc.parse(REPEATED_LAYERS), monkeypatch)
    assert shared == fresh
    assert cloned == 1  # the second dense layer; the last matmul differs


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_examples_lower_to_the_same_loops_with_sharing(example: Any, monkeypatch: Any):
    shared, fresh, _ = lowered_both_ways(dlc.parse(example.text), monkeypatch)
    assert shared == fresh


def test_squeezenet_shares_its_repeated_layers(monkeypatch: Any):
    module = import_model(light_test_model("squeezenet"))
    shared, fresh, cloned = lowered_both_ways(module, monkeypatch)
    assert shared == fresh
    assert cloned > 0
