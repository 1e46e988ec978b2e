"""The pooling verifier takes no time on a huge kernel, padding or output.

It looked for a window that covers only padding by trying every tap of every
output position, so a max_pool2d with a kernel and padding of 2**40 (valid IR)
hung dlc-opt and dlc.parse. The check is now a formula; it is pinned against the
scan it replaced on every small window.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import dlc
from dlc.dialects.nn.pooling import first_window_outside_input
from dlc.dialects.nn.window import window_extent, window_output_size

BIG = 2**40


@dataclass(frozen=True)
class Window:
    kernel: tuple[int, int]
    strides: tuple[int, int]
    dilations: tuple[int, int]
    padding: tuple[int, int, int, int]


def test_huge_kernel_and_padding_verify_at_once():
    out = BIG + 3
    text = f"""func.func @f(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x{out}x4xf32> {{
  %y = nn.max_pool2d %x {{kernel = array<i64: {BIG}, 1>,
                         padding = array<i64: {BIG - 1}, 0, {BIG - 1}, 0>}}
      : tensor<1x1x4x4xf32> -> tensor<1x1x{out}x4xf32>
  func.return %y : tensor<1x1x{out}x4xf32>
}}
"""
    dlc.parse(text)


def scan(window: Window, size: int, out: int) -> int | None:
    """The old check: try every tap of every window."""
    kernel, stride, dilation = window.kernel[0], window.strides[0], window.dilations[0]
    for index in range(out):
        start = index * stride - window.padding[0]
        if not any(0 <= start + t * dilation < size for t in range(kernel)):
            return index
    return None


def small_windows() -> Iterator[tuple[Window, int, int]]:
    for size in range(7):
        for kernel in range(1, 6):
            for stride in range(1, 4):
                for dilation in range(1, 5):
                    for before in range(kernel):
                        for after in range(kernel):
                            if window_extent(kernel, dilation) > size + before + after:
                                continue
                            for ceil_mode in (False, True):
                                out = window_output_size(
                                    size, kernel, stride, before, after, dilation,
                                    ceil_mode,
                                )  # fmt: skip
                                window = Window(
                                    (kernel, 1),
                                    (stride, 1),
                                    (dilation, 1),
                                    (before, 0, after, 0),
                                )
                                yield window, size, out


def test_formula_agrees_with_the_scan_on_every_small_window():
    for window, size, out in small_windows():
        got = first_window_outside_input(window, 0, size, out)  # type: ignore[arg-type]
        assert got == scan(window, size, out), (window, size, out)
