"""``nn.resize``: resample the H and W dims of an NCHW tensor, as ONNX's Resize.

The output size is given (``sizes``, all four dims; N and C must stay), and each
output coordinate ``o`` along H or W maps to a source coordinate ``x`` of the input
by ``coordinate_transformation_mode`` (``scale = out / in``)::

    half_pixel          x = (o + 1/2) / scale - 1/2
    pytorch_half_pixel  the same, but x = -1/2 when out = 1
    align_corners       x = o * (in - 1) / (out - 1), and 0 when out = 1
    asymmetric          x = o / scale

``mode = "nearest"`` reads the input at ``x`` rounded by ``nearest_mode``
(``round_prefer_floor``, ``round_prefer_ceil``, ``floor``, ``ceil``);
``mode = "linear"`` interpolates between ``floor(x)`` and ``floor(x) + 1`` with
weight ``x - floor(x)``, along H and W (bilinear). Indices outside the input are
clamped to its edge. The defaults are ONNX's: nearest, half_pixel,
round_prefer_floor::

    %y = nn.resize %x {mode = "linear", sizes = array<i64: 1, 3, 8, 8>}
        : tensor<1x3x4x4xf32> -> tensor<1x3x8x8xf32>

The source coordinate is a fraction ``(a * o + b) / d`` of integers
(:func:`source_fraction`), and dlc computes with it exactly: where it is an
integer or a half, the rounding never depends on floating-point error. (ONNX's
Python reference computes it in f64, and so, resizing 7 to 9 with half_pixel,
floors 2.9999999999999996 where the exact coordinate is 3.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from xdsl.dialects.builtin import StringAttr, TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import (
    SINGLE_INPUT_FORMAT,
    NNOp,
    as_float_tensor,
    describe,
    error_in_op,
    ints_property,
    shape_of,
    string_property,
    tensor_of,
)

MODES = ("nearest", "linear")
COORDINATE_MODES = ("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric")
NEAREST_MODES = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")


@dataclass(frozen=True)
class SourceFraction:
    """Output coordinate ``o`` maps to input coordinate ``(a * o + b) / d``, d > 0."""

    a: int
    b: int
    d: int

    def at(self, output: int) -> Fraction:
        return Fraction(self.a * output + self.b, self.d)


def source_fraction(coordinate_mode: str, size: int, out: int) -> SourceFraction:
    """The coordinate transformation of one dim, ``size`` -> ``out``, in integers."""
    if coordinate_mode == "align_corners":
        return (
            SourceFraction(0, 0, 1)
            if out == 1
            else SourceFraction(size - 1, 0, out - 1)
        )
    if coordinate_mode == "asymmetric":
        return SourceFraction(size, 0, out)
    if coordinate_mode == "pytorch_half_pixel" and out == 1:
        return SourceFraction(0, -1, 2)
    # (o + 1/2) * size / out - 1/2 = ((2o + 1) * size - out) / (2 * out)
    return SourceFraction(2 * size, size - out, 2 * out)


@dataclass(frozen=True)
class ResizeAttrs:
    """The op's properties, checked, with ONNX's defaults filled in."""

    mode: str
    coordinate_mode: str
    nearest_mode: str
    sizes: tuple[int, int, int, int]


def _choice(
    op_name: str, properties: Mapping[str, Attribute], name: str, choices: Sequence[str]
) -> str:
    value = string_property(properties, name, choices[0])
    if value not in choices:
        expected = ", ".join(f'"{c}"' for c in choices)
        raise VerifyException(
            f'{op_name}: {name} must be one of {expected}, got "{value}"'
        )
    return value


@irdl_op_definition
class ResizeOp(NNOp):
    """Nearest or bilinear resampling of H and W (see the module docstring)."""

    name = "nn.resize"

    input = operand_def(TensorType)
    result = result_def(TensorType)
    sizes = prop_def(Attribute)
    mode = opt_prop_def(Attribute, StringAttr(MODES[0]))
    coordinate_transformation_mode = opt_prop_def(
        Attribute, StringAttr(COORDINATE_MODES[0])
    )
    nearest_mode = opt_prop_def(Attribute, StringAttr(NEAREST_MODES[0]))

    assembly_format = SINGLE_INPUT_FORMAT

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        input_type = as_float_tensor(operand_types[0], f"{cls.name} input")
        shape = shape_of(input_type)
        if len(shape) != 4:
            raise VerifyException(
                f"{cls.name}: input must be 4-D (N x C x H x W), "
                f"got {describe(input_type)}"
            )
        attrs = cls.read_attrs(properties)
        if attrs.sizes[:2] != shape[:2]:
            raise VerifyException(
                f"{cls.name}: sizes {list(attrs.sizes)} must keep N and C of the "
                f"input {describe(input_type)}; only H and W are resized"
            )
        return tensor_of(attrs.sizes, input_type.element_type)

    @classmethod
    def read_attrs(cls, properties: Mapping[str, Attribute]) -> ResizeAttrs:
        try:
            sizes = ints_property(properties, "sizes")
            mode = _choice(cls.name, properties, "mode", MODES)
            coordinate_mode = _choice(
                cls.name, properties, "coordinate_transformation_mode", COORDINATE_MODES
            )
            nearest_mode = _choice(cls.name, properties, "nearest_mode", NEAREST_MODES)
        except VerifyException as error:
            raise error_in_op(cls.name, error) from None
        if len(sizes) != 4 or any(size < 1 for size in sizes):
            raise VerifyException(
                f"{cls.name}: sizes must be 4 sizes of at least 1 (N, C, H, W), "
                f"got {list(sizes)}"
            )
        n, c, h, w = sizes
        return ResizeAttrs(mode, coordinate_mode, nearest_mode, (n, c, h, w))

    def attrs(self) -> ResizeAttrs:
        return self.read_attrs(self.properties)


RESIZE_OPS = [ResizeOp]
