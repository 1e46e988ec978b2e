"""Sliding-window attributes shared by Conv, MaxPool and AveragePool.

ONNX gives a window's padding either explicitly (``pads``, begins then ends: the
order of nn's ``padding``) or as ``auto_pad``; nn ops take explicit padding only,
so ``auto_pad`` is resolved here from the static input size::

    Conv(x: 1x3x7x7, w: 8x3x3x3) {auto_pad = "SAME_UPPER", strides = [2, 2]}
    %y = nn.conv2d %x, %w {strides = array<i64: 2, 2>,
                           padding = array<i64: 1, 1, 1, 1>} ... -> tensor<1x8x4x4xf32>

nn's windowed ops are 2-D; a 1-D window (an input of rank 3) is lifted to 2-D with
a unit height, and the result squeezed back (3-D pools: see
:mod:`dlc.frontends.onnx.pooling`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.ir import SSAValue

from dlc.frontends.onnx.node import NodeContext
from dlc.frontends.onnx.problems import Unsupported

AUTO_PADS = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")


@dataclass(frozen=True)
class Window:
    """A node's window geometry over its spatial dims, padding made explicit."""

    kernel: list[int]
    strides: list[int]
    dilations: list[int]
    pads: list[int]
    """Begins for each spatial dim, then ends (ONNX and nn order)."""

    def lifted(self) -> Window:
        """The same 1-D window as a 2-D one of height 1."""
        return Window(
            [1, *self.kernel],
            [1, *self.strides],
            [1, *self.dilations],
            [0, self.pads[0], 0, self.pads[1]],
        )


def spatial_rank(
    node: NodeContext, what: str, supported: Sequence[int] = (1, 2)
) -> int:
    """The number of spatial dims of input 0 (N, C, ...), one of ``supported``."""
    rank = len(node.input_shape(0)) - 2
    if rank not in supported:
        names = " and ".join(f"{r}-D" for r in supported)
        raise Unsupported(
            f"{rank}-D {what} (input rank {rank + 2}); dlc supports {names}"
        )
    return rank


def read_window(node: NodeContext, kernel: Sequence[int]) -> Window:
    """Strides, dilations and explicit pads from the node's attributes.

    ``kernel`` is the window's size per spatial dim (a Conv's weight dims or a
    pool's ``kernel_shape``). SAME_UPPER/SAME_LOWER pad so that the output has
    ceil(size / stride) elements, the odd one at the end (UPPER) or the start.
    """
    sizes = node.input_shape(0)[2:]
    rank = len(sizes)
    strides = node.ints_attr("strides") or [1] * rank
    dilations = node.ints_attr("dilations") or [1] * rank
    auto_pad = node.expect("auto_pad", AUTO_PADS, "NOTSET")
    pads = node.ints_attr("pads") or [0] * (2 * rank)
    if auto_pad == "VALID":
        pads = [0] * (2 * rank)
    elif auto_pad != "NOTSET":
        begins: list[int] = []
        ends: list[int] = []
        for size, k, s, d in zip(sizes, kernel, strides, dilations, strict=True):
            out = -(-size // s)
            total = max(0, (out - 1) * s + d * (k - 1) + 1 - size)
            small, large = total // 2, total - total // 2
            begins.append(small if auto_pad == "SAME_UPPER" else large)
            ends.append(large if auto_pad == "SAME_UPPER" else small)
        pads = begins + ends
    return Window(list(kernel), strides, dilations, pads)


def lift_input(node: NodeContext, value: SSAValue) -> SSAValue:
    """[N, C, L] -> [N, C, 1, L], for a 1-D window."""
    return node.emit("nn.unsqueeze", [value], axes=[2])


def drop_height(node: NodeContext, value: SSAValue) -> SSAValue:
    """[N, C, 1, L] -> [N, C, L], the inverse of :func:`lift_input`."""
    return node.emit("nn.squeeze", [value], axes=[2])
