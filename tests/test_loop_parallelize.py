"""Convolutions whose staging nests (padded copy, packed panel) run on threads.

A convolution's kernel runs its output channels on threads; the buffers it reads
are made before it, and must be shared between the threads too, or they cap the
speed-up. These tests lower convolutions of odd sizes (asymmetric padding,
strides, a batch of 2) for 2 threads, check that every staging nest has a loop
mapped to ``cpu.thread``, and run them with checked indices against a float64
reference written tap by tap (tests/test_kernels.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from xdsl.dialects import memref
from xdsl.ir import Operation

import dlc
from dlc.compiler import CompileTimes, cpu_passes, run_pipeline
from dlc.context import make_context
from dlc.dialects import loop
from dlc.parse import parse_module
from tests.test_kernels import (
    assert_close,
    conv2d_reference,
    conv_output,
    conv_text,
    normal,
)

CASES = [
    # (x shape, filters, kernel, strides, padding): a padded copy
    ((1, 23, 67, 61), 11, (3, 3), (1, 1), (1, 0, 2, 1)),
    ((2, 21, 63, 55), 10, (3, 3), (1, 1), (1, 1, 1, 1)),
    # packed panels: 3 panels of 48 columns (112 wide), mapped by rows in each;
    # 13 panels of a flattened 29x28 output, mapped by panels
    ((1, 3, 121, 223), 16, (7, 7), (2, 2), (3, 3, 3, 3)),
    ((1, 29, 57, 55), 24, (3, 3), (2, 2), (1, 1, 1, 1)),
]


def staging_nests(case: tuple[Any, ...]) -> list[Operation]:
    """The top-level nests that write a ``*_padded`` or ``*_packed`` buffer, after
    loop-parallelize with 2 threads."""
    text = text_of(case)
    ctx = make_context()
    module = parse_module(ctx, text, "<test>")
    passes = cpu_passes(bounds_check=False, threads=2)
    end = next(i for i, p in enumerate(passes) if p.name == "loop-parallelize")
    run_pipeline(ctx, module, passes[: end + 1], CompileTimes())
    nests: list[Operation] = []
    for function in module.ops:
        for op in function.regions[0].block.ops:
            written = {
                (s.memref if isinstance(s, memref.StoreOp) else s.base).name_hint
                for s in op.walk()
                if isinstance(s, memref.StoreOp | loop.VStoreOp)
            }
            if written and all(
                name and name.endswith(("_padded", "_packed")) for name in written
            ):
                nests.append(op)
    return nests


def text_of(case: tuple[Any, ...]) -> str:
    x_shape, filters, kernel, strides, padding = case
    w_shape = (filters, x_shape[1], *kernel)
    out = conv_output(x_shape, filters, kernel, strides, padding, (1, 1))
    return conv_text(x_shape, w_shape, out, strides, padding, (1, 1), 1)


@pytest.mark.parametrize("case", CASES)
def test_staging_nests_are_mapped_to_threads(case: tuple[Any, ...]) -> None:
    nests = staging_nests(case)
    assert nests
    for nest in nests:
        assert any(
            isinstance(op, loop.ParallelOp) and loop.CPU_THREAD in op.mapping_names()
            for op in nest.walk()
        ), nest


@pytest.mark.parametrize("case", CASES)
def test_convolution_on_two_threads(case: tuple[Any, ...]) -> None:
    x_shape, filters, kernel, strides, padding = case
    rng = np.random.default_rng(11)
    x = normal(rng, *x_shape)
    w = normal(rng, filters, x_shape[1], *kernel)
    compiled = dlc.compile(text_of(case), threads=2, bounds_check=True)
    want = conv2d_reference(x, w, strides, padding, (1, 1), 1)
    assert_close(compiled(x, w), want, x_shape[1] * kernel[0] * kernel[1])
