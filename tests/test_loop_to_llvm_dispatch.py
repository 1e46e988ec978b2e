"""loop-to-llvm's pattern dispatch rewrites exactly as xDSL's greedy applier.

:class:`~dlc.lowering.llvm_patterns.dispatch.DispatchingApplier` tries on an op
only the patterns that name its class; a pattern whose ``roots`` forgot a class
it rewrites would silently leave that op to the legality check, or change which
pattern wins. The lowered examples must therefore print the same with either
applier, through the serial, the threaded and the bounds-checked pipelines.
"""

import gc
from pathlib import Path

import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriteWalker,
    RewritePattern,
)

from dlc.compiler import cpu_passes
from dlc.context import make_context
from dlc.garbage_collection import collection_paused
from dlc.lowering.gpu_to_nvvm import GPU_TO_NVVM_PATTERNS
from dlc.lowering.llvm_patterns.dispatch import DispatchingApplier, LoweringPattern
from dlc.lowering.loop_to_llvm import LOOP_TO_LLVM_PATTERNS
from dlc.parse import parse_module

EXAMPLES = Path(__file__).parent.parent / "examples"


def loop_level(name: str, *, threads: int, bounds_check: bool) -> ModuleOp:
    """The example ``name`` after every CPU pass before loop-to-llvm."""
    ctx = make_context()
    path = EXAMPLES / name
    module = parse_module(ctx, path.read_text(), str(path))
    for pass_ in cpu_passes(bounds_check=bounds_check, threads=threads):
        if pass_.name == "loop-to-llvm":
            break
        pass_.apply(ctx, module)
    return module


def lowered(module: ModuleOp, applier: RewritePattern) -> ModuleOp:
    copy = module.clone()
    PatternRewriteWalker(applier).rewrite_module(copy)
    return copy


@pytest.mark.parametrize(
    ("name", "threads", "bounds_check"),
    [
        ("transformer_block.mlir", 1, False),
        ("cnn.mlir", 2, False),
        ("mlp.mlir", 1, True),
    ],
)
def test_dispatch_lowers_like_the_greedy_applier(
    name: str, threads: int, bounds_check: bool
) -> None:
    module = loop_level(name, threads=threads, bounds_check=bounds_check)
    greedy = lowered(module, GreedyRewritePatternApplier(LOOP_TO_LLVM_PATTERNS))
    dispatched = lowered(module, DispatchingApplier(LOOP_TO_LLVM_PATTERNS))
    assert str(dispatched) == str(greedy)
    left = {op.dialect_name() for op in dispatched.walk()} - {"builtin", "llvm"}
    assert not left


@pytest.mark.parametrize(
    "pattern",
    [*LOOP_TO_LLVM_PATTERNS, *GPU_TO_NVVM_PATTERNS],
    ids=lambda pattern: type(pattern).__name__,
)
def test_every_pattern_names_its_roots(pattern: object) -> None:
    assert isinstance(pattern, LoweringPattern)
    assert pattern.roots


def test_collection_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
