"""Sliding-window geometry shared by nn.conv2d and the 2-D pooling ops.

A window of ``kernel`` taps, ``dilation`` apart, slides with ``stride`` over one
spatial dim of ``size`` elements padded by ``pad_begin`` before and ``pad_end`` after.
Its extent is ``dilation * (kernel - 1) + 1``. The number of window positions is::

    floor((size + pad_begin + pad_end - extent) / stride) + 1

With ``ceil_mode`` the division rounds up, so a last, partial window may hang over the
end of the padded input; as in PyTorch, that window is kept only if it starts inside
the input or its leading padding, never in the trailing padding.

The properties read here are ``strides = array<i64: sh, sw>``, ``padding =
array<i64: top, left, bottom, right>`` (ONNX order) and ``dilations = array<i64: dh,
dw>``, each with its default, and every error names the op and what was expected.
The ops declare these properties without an IRDL constraint so that a property of
the wrong kind is reported here, by name, rather than by xDSL's generic constraint
message (which its custom-syntax parser raises as a bare VerifyException).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xdsl.ir import Attribute
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import error_in_op, ints_property

Pair = tuple[int, int]
Pads = tuple[int, int, int, int]


def window_extent(kernel: int, dilation: int) -> int:
    """How many input elements a dilated window spans, first tap to last."""
    return dilation * (kernel - 1) + 1


def window_output_size(
    size: int,
    kernel: int,
    stride: int,
    pad_begin: int,
    pad_end: int,
    dilation: int,
    ceil_mode: bool,
) -> int:
    """The number of window positions along one dim (the extent must fit the input)."""
    room = size + pad_begin + pad_end - window_extent(kernel, dilation)
    if not ceil_mode:
        return room // stride + 1
    count = -(-room // stride) + 1
    if (count - 1) * stride >= size + pad_begin:
        count -= 1
    return count


def read_ints(
    op_name: str,
    properties: Mapping[str, Attribute],
    name: str,
    default: Sequence[int] | None,
) -> tuple[int, ...]:
    """An ``array<i64: ...>`` property, or its default; errors name the op."""
    try:
        return ints_property(properties, name, default)
    except VerifyException as error:
        raise error_in_op(op_name, error) from None


def positive_pair(
    op_name: str, properties: Mapping[str, Attribute], name: str, default: Pair | None
) -> Pair:
    """Read a ``[h, w]`` property of two positive integers."""
    values = read_ints(op_name, properties, name, default)
    if len(values) != 2:
        raise VerifyException(
            f"{op_name}: {name} must have 2 entries [h, w], got {len(values)}: "
            f"{list(values)}"
        )
    if min(values) <= 0:
        raise VerifyException(f"{op_name}: {name} must be positive, got {list(values)}")
    return values[0], values[1]


def read_padding(op_name: str, properties: Mapping[str, Attribute]) -> Pads:
    """Read ``padding = [top, left, bottom, right]`` (non-negative, default zeros)."""
    values = read_ints(op_name, properties, "padding", (0, 0, 0, 0))
    if len(values) != 4:
        raise VerifyException(
            f"{op_name}: padding must have 4 entries [top, left, bottom, right], "
            f"got {len(values)}: {list(values)}"
        )
    if min(values) < 0:
        raise VerifyException(
            f"{op_name}: padding must be non-negative, got {list(values)}"
        )
    return values[0], values[1], values[2], values[3]


@dataclass(frozen=True)
class Window2d:
    """A window sliding over the H and W dims of an NCHW tensor."""

    kernel: Pair
    strides: Pair
    padding: Pads
    dilations: Pair
    ceil_mode: bool

    @staticmethod
    def from_properties(
        op_name: str,
        properties: Mapping[str, Attribute],
        kernel: Pair,
        *,
        ceil_mode: bool = False,
    ) -> Window2d:
        """The window of ``kernel`` with the op's strides, padding and dilations."""
        return Window2d(
            kernel,
            positive_pair(op_name, properties, "strides", (1, 1)),
            read_padding(op_name, properties),
            positive_pair(op_name, properties, "dilations", (1, 1)),
            ceil_mode,
        )

    def output_hw(self, op_name: str, hw: Sequence[int], operands: str) -> Pair:
        """Output height and width for an input of spatial size ``hw``.

        ``operands`` describes the op's operands for the error raised when the
        dilated window is larger than the padded input.
        """
        top, left, bottom, right = self.padding
        sizes: list[int] = []
        for dim, size, kernel, stride, dilation, (before, after) in zip(
            ("height", "width"),
            hw,
            self.kernel,
            self.strides,
            self.dilations,
            ((top, bottom), (left, right)),
            strict=True,
        ):
            extent = window_extent(kernel, dilation)
            padded = size + before + after
            if extent > padded:
                raise VerifyException(
                    f"{op_name}: window {dim} {extent} (kernel {kernel}, dilation "
                    f"{dilation}) is larger than the padded input {dim} {padded} "
                    f"({size} + padding {before} + {after}), {operands}"
                )
            sizes.append(
                window_output_size(
                    size, kernel, stride, before, after, dilation, self.ceil_mode
                )
            )
        return sizes[0], sizes[1]
