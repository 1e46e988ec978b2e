"""The PyTorch peer of bench/run.py: an nn function run with torch, op by op.

:class:`TorchFunction` walks the function once, looks up each nn op in
:data:`TORCH_OPS` (nn op name -> the torch call computing it) and keeps the list of
calls; calling it runs them eagerly under ``torch.inference_mode()`` on tensors that
share memory with the numpy inputs. It is PyTorch as a user would write the model by
hand: one ATen kernel per layer (``addmm`` for a biased dense layer, ``conv2d``,
``layer_norm``), shape ops as views, threads set with ``torch.set_num_threads``.
No ``torch.compile``: the peer is eager PyTorch.

torch is a benchmark tool only; dlc itself never imports it.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Operation, SSAValue

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dlc.compiler import find_entry  # noqa: E402
from dlc.dialects.nn.base import (  # noqa: E402
    float_property,
    int_property,
    ints_property,
    string_property,
)
from dlc.dialects.nn.shape import slice_ranges  # noqa: E402
from dlc.dialects.nn.window import Window2d  # noqa: E402
from dlc.interpreter.elements import elements_array  # noqa: E402
from dlc.interpreter.scalar import numpy_dtype  # noqa: E402

Array = np.ndarray[Any, Any]
Tensor = torch.Tensor
TorchOp = Callable[[Operation, list[Tensor]], Tensor]


class UnsupportedTorchOp(Exception):
    """The function holds an op that :data:`TORCH_OPS` does not cover."""


TORCH_OPS: dict[str, TorchOp] = {}


def torch_op(*op_names: str) -> Callable[[TorchOp], TorchOp]:
    def register(function: TorchOp) -> TorchOp:
        for op_name in op_names:
            TORCH_OPS[op_name] = function
        return function

    return register


def plain(function: Callable[..., Tensor]) -> TorchOp:
    """An op that is one torch function of its operands, no properties."""
    return lambda op, args: function(*args)


PLAIN: dict[str, Callable[..., Tensor]] = {
    "nn.relu": torch.relu,
    "nn.sigmoid": torch.sigmoid,
    "nn.tanh": torch.tanh,
    "nn.exp": torch.exp,
    "nn.log": torch.log,
    "nn.sqrt": torch.sqrt,
    "nn.rsqrt": torch.rsqrt,
    "nn.neg": torch.neg,
    "nn.erf": torch.erf,
    "nn.abs": torch.abs,
    "nn.reciprocal": torch.reciprocal,
    "nn.softplus": F.softplus,
    "nn.hard_swish": F.hardswish,
    "nn.floor": torch.floor,
    "nn.ceil": torch.ceil,
    "nn.sin": torch.sin,
    "nn.cos": torch.cos,
    "nn.add": torch.add,
    "nn.sub": torch.sub,
    "nn.mul": torch.mul,
    "nn.pow": torch.pow,
    "nn.maximum": torch.maximum,
    "nn.minimum": torch.minimum,
    "nn.matmul": torch.matmul,
    "nn.equal": torch.eq,
    "nn.less": torch.lt,
    "nn.less_equal": torch.le,
    "nn.greater": torch.gt,
    "nn.greater_equal": torch.ge,
    "nn.not": torch.logical_not,
    "nn.and": torch.logical_and,
    "nn.or": torch.logical_or,
    "nn.xor": torch.logical_xor,
    "nn.where": torch.where,
}
for _name, _function in PLAIN.items():
    TORCH_OPS[_name] = plain(_function)


def shape_of(value: SSAValue) -> tuple[int, ...]:
    assert isinstance(value.type, TensorType)
    return tuple(value.type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]


# --- Elementwise and normalization ---------------------------------------------------


@torch_op("nn.div")
def div(op: Operation, args: list[Tensor]) -> Tensor:
    """Integers: truncated, with nn's x / 0 = 0 and wrapped MIN / -1 (torch would
    raise or trap)."""
    lhs, rhs = args
    if lhs.is_floating_point():
        return torch.div(lhs, rhs)
    by_zero, by_minus_one = rhs == 0, rhs == -1
    divisor = torch.where(by_zero | by_minus_one, torch.ones_like(rhs), rhs)
    quotient = torch.div(lhs, divisor, rounding_mode="trunc")
    quotient = torch.where(by_minus_one, -lhs, quotient)
    return torch.where(by_zero, torch.zeros_like(quotient), quotient)


@torch_op("nn.leaky_relu")
def leaky_relu(op: Operation, args: list[Tensor]) -> Tensor:
    return F.leaky_relu(args[0], float_property(op.properties, "alpha", 0.01))


@torch_op("nn.gelu")
def gelu(op: Operation, args: list[Tensor]) -> Tensor:
    return F.gelu(
        args[0], approximate=string_property(op.properties, "approximate", "none")
    )


@torch_op("nn.clip")
def clip(op: Operation, args: list[Tensor]) -> Tensor:
    low = float_property(op.properties, "min") if "min" in op.properties else None
    high = float_property(op.properties, "max") if "max" in op.properties else None
    return torch.clamp(args[0], low, high)


@torch_op("nn.hard_sigmoid")
def hard_sigmoid(op: Operation, args: list[Tensor]) -> Tensor:
    alpha = float_property(op.properties, "alpha", 0.2)
    beta = float_property(op.properties, "beta", 0.5)
    return torch.clamp(args[0] * alpha + beta, 0.0, 1.0)


@torch_op("nn.elu", "nn.selu")
def elu(op: Operation, args: list[Tensor]) -> Tensor:
    if op.name == "nn.elu":
        return F.elu(args[0], float_property(op.properties, "alpha", 1.0))
    alpha = float_property(op.properties, "alpha", 1.6732632423543772)
    gamma = float_property(op.properties, "gamma", 1.0507009873554805)
    return gamma * F.elu(args[0], alpha)


@torch_op("nn.prelu")
def prelu(op: Operation, args: list[Tensor]) -> Tensor:
    x, slope = args
    return torch.where(x > 0, x, x * slope)


def normalized_axis(op: Operation, default: int = -1) -> int:
    return int_property(op.properties, "axis", default) % len(shape_of(op.operands[0]))


REDUCTIONS: dict[str, Callable[..., Tensor]] = {
    "nn.reduce_sum": torch.sum,
    "nn.reduce_mean": torch.mean,
    "nn.reduce_max": torch.amax,
    "nn.reduce_min": torch.amin,
}


@torch_op(*REDUCTIONS)
def reduce(op: Operation, args: list[Tensor]) -> Tensor:
    axes = list(ints_property(op.properties, "axes"))
    keepdim = "keepdims" in op.properties
    return REDUCTIONS[op.name](args[0], dim=axes, keepdim=keepdim)


@torch_op("nn.reduce_prod")
def reduce_prod(op: Operation, args: list[Tensor]) -> Tensor:
    """torch.prod takes one dim at a time (the highest first, so that the others
    keep their numbers) and widens integers (narrowed back, which wraps as nn)."""
    x = args[0]
    rank = x.dim()
    axes = sorted(a % rank for a in ints_property(op.properties, "axes"))
    for axis in reversed(axes):
        x = torch.prod(x, dim=axis, keepdim="keepdims" in op.properties)
    return x.to(args[0].dtype)


@torch_op("nn.softmax", "nn.log_softmax")
def softmax(op: Operation, args: list[Tensor]) -> Tensor:
    function = torch.softmax if op.name == "nn.softmax" else torch.log_softmax
    return function(args[0], normalized_axis(op))


@torch_op("nn.layer_norm", "nn.rms_norm")
def trailing_norm(op: Operation, args: list[Tensor]) -> Tensor:
    x, scale, *bias = args
    normalized = list(x.shape[normalized_axis(op) :])
    epsilon = float_property(op.properties, "epsilon", 1e-5)
    if op.name == "nn.rms_norm":
        return F.rms_norm(x, normalized, scale, epsilon)
    return F.layer_norm(x, normalized, scale, bias[0], epsilon)


@torch_op("nn.batch_norm")
def batch_norm(op: Operation, args: list[Tensor]) -> Tensor:
    x, scale, bias, mean, variance = args
    epsilon = float_property(op.properties, "epsilon", 1e-5)
    return F.batch_norm(x, mean, variance, scale, bias, False, 0.0, epsilon)


@torch_op("nn.lrn")
def lrn(op: Operation, args: list[Tensor]) -> Tensor:
    """torch's window is ONNX's only for odd sizes (even ones lean the other way)."""
    size = int_property(op.properties, "size")
    if size % 2 == 0:
        raise UnsupportedTorchOp(f"nn.lrn with an even size ({size})")
    return F.local_response_norm(
        args[0],
        size,
        float_property(op.properties, "alpha", 1e-4),
        float_property(op.properties, "beta", 0.75),
        float_property(op.properties, "bias", 1.0),
    )


# --- Contraction and pooling ---------------------------------------------------------


@torch_op("nn.dense")
def dense(op: Operation, args: list[Tensor]) -> Tensor:
    """``addmm`` for a biased 2-D layer (one BLAS call), else matmul then add."""
    x, weight, *bias = args
    if bias and x.dim() == 2:
        return torch.addmm(bias[0], x, weight)
    product = torch.matmul(x, weight)
    return product + bias[0] if bias else product


@torch_op("nn.einsum")
def einsum(op: Operation, args: list[Tensor]) -> Tensor:
    equation = string_property(op.properties, "equation", "").replace(" ", "")
    return torch.einsum(equation, *args)


def torch_padding(window: Window2d) -> tuple[int, int] | None:
    """torch's (pad_h, pad_w), if the window's padding is one torch can take: the
    same on both sides, at most half the kernel."""
    top, left, bottom, right = window.padding
    (kh, kw) = window.kernel
    if (top, left) != (bottom, right) or 2 * top > kh or 2 * left > kw:
        return None
    return top, left


@torch_op("nn.conv2d")
def conv2d(op: Operation, args: list[Tensor]) -> Tensor:
    x, weight, *bias = args
    window = Window2d.from_properties(
        op.name, op.properties, (weight.shape[2], weight.shape[3])
    )
    top, left, bottom, right = window.padding
    if (top, left) != (bottom, right):
        x = F.pad(x, (left, right, top, bottom))
        padding = (0, 0)
    else:
        padding = (top, left)
    return F.conv2d(
        x,
        weight,
        bias[0] if bias else None,
        window.strides,
        padding,
        window.dilations,
        int_property(op.properties, "groups", 1),
    )


def pool_window(op: Operation) -> Window2d:
    kernel = ints_property(op.properties, "kernel")
    return Window2d.from_properties(
        op.name,
        op.properties,
        (kernel[0], kernel[1]),
        ceil_mode="ceil_mode" in op.properties,
    )


@torch_op("nn.max_pool2d")
def max_pool2d(op: Operation, args: list[Tensor]) -> Tensor:
    """Other padding is explicit -inf, except with ceil_mode, whose dropped last
    window depends on where the padding is."""
    window = pool_window(op)
    x, padding = args[0], torch_padding(window)
    if padding is None:
        if window.ceil_mode:
            raise UnsupportedTorchOp(
                f"{op.name}: ceil_mode with padding {window.padding}"
            )
        top, left, bottom, right = window.padding
        x, padding = F.pad(x, (left, right, top, bottom), value=-math.inf), (0, 0)
    return F.max_pool2d(
        x, window.kernel, window.strides, padding, window.dilations, window.ceil_mode
    )


@torch_op("nn.avg_pool2d")
def avg_pool2d(op: Operation, args: list[Tensor]) -> Tensor:
    window = pool_window(op)
    padding = torch_padding(window)
    if padding is None:
        raise UnsupportedTorchOp(f"{op.name} with padding {window.padding}")
    if window.dilations != (1, 1):
        raise UnsupportedTorchOp(f"{op.name} with dilations {window.dilations}")
    return F.avg_pool2d(
        args[0],
        window.kernel,
        window.strides,
        padding,
        window.ceil_mode,
        "count_include_pad" in op.properties,
    )


@torch_op("nn.global_avg_pool2d")
def global_avg_pool2d(op: Operation, args: list[Tensor]) -> Tensor:
    return torch.mean(args[0], dim=(2, 3), keepdim=True)


# --- Shape ---------------------------------------------------------------------------


@torch_op("nn.reshape", "nn.flatten", "nn.squeeze", "nn.unsqueeze")
def reshape(op: Operation, args: list[Tensor]) -> Tensor:
    """All four keep the elements in order: a reshape to the result's shape."""
    return args[0].reshape(shape_of(op.results[0]))


@torch_op("nn.transpose")
def transpose(op: Operation, args: list[Tensor]) -> Tensor:
    rank = args[0].dim()
    return args[0].permute([p % rank for p in ints_property(op.properties, "perm")])


@torch_op("nn.broadcast_to")
def broadcast_to(op: Operation, args: list[Tensor]) -> Tensor:
    return args[0].expand(shape_of(op.results[0]))


@torch_op("nn.slice")
def slice_(op: Operation, args: list[Tensor]) -> Tensor:
    """Positive steps are views; torch has no negative step, so those gather."""
    input_type = op.operands[0].type
    assert isinstance(input_type, TensorType)
    x = args[0]
    for axis, kept in enumerate(slice_ranges(op.name, input_type, op.properties)):  # pyright: ignore[reportUnknownArgumentType]
        if kept.step > 0:
            x = x[(slice(None),) * axis + (slice(kept.start, kept.stop, kept.step),)]
        else:
            x = x.index_select(axis, torch.tensor(list(kept), dtype=torch.long))
    return x


@torch_op("nn.pad")
def pad(op: Operation, args: list[Tensor]) -> Tensor:
    """Constant padding is F.pad; edge and reflect, which F.pad takes only on some
    ranks, gather each padded dim at clamped or mirrored positions."""
    x = args[0]
    pads = ints_property(op.properties, "pads")
    rank = x.dim()
    mode = string_property(op.properties, "mode", "constant")
    if mode == "constant":
        widths = [w for d in reversed(range(rank)) for w in (pads[d], pads[rank + d])]
        return F.pad(x, widths, value=float_property(op.properties, "value", 0.0))
    for dim in range(rank):
        size = x.shape[dim]
        positions = torch.arange(-pads[dim], size + pads[rank + dim])
        if mode == "edge":
            positions = positions.clamp(0, size - 1)
        else:
            positions = positions.abs()
            positions = torch.where(
                positions >= size, 2 * (size - 1) - positions, positions
            )
        x = x.index_select(dim, positions)
    return x


@torch_op("nn.tile")
def tile(op: Operation, args: list[Tensor]) -> Tensor:
    repeats = ints_property(op.properties, "repeats")
    return args[0].repeat(*repeats) if repeats else args[0]


@torch_op("nn.gather")
def gather(op: Operation, args: list[Tensor]) -> Tensor:
    """nn's indices: [-n, 0) from the end, others clamped into [0, n)."""
    data, indices = args
    axis = int_property(op.properties, "axis", 0) % data.dim()
    n = data.shape[axis]
    positions = torch.where(indices < 0, indices + n, indices).clamp(0, n - 1).long()
    picked = data.index_select(axis, positions.reshape(-1))
    shape = (*data.shape[:axis], *indices.shape, *data.shape[axis + 1 :])
    return picked.reshape(shape)


@torch_op("nn.cast")
def cast(op: Operation, args: list[Tensor]) -> Tensor:
    """Truncating as nn does within range (torch leaves NaN and overflow open)."""
    value_type = op.results[0].type
    assert isinstance(value_type, TensorType)
    dtype = torch.from_numpy(np.empty(0, numpy_dtype(value_type.element_type))).dtype  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    if dtype == torch.bool:
        return args[0] != 0
    return args[0].to(dtype)


@torch_op("nn.concat")
def concat(op: Operation, args: list[Tensor]) -> Tensor:
    return torch.cat(args, dim=int_property(op.properties, "axis"))


# --- Running a function --------------------------------------------------------------


class TorchFunction:
    """An nn function as a list of torch calls; call it with numpy arrays."""

    def __init__(self, module: ModuleOp, entry: str | None = None):
        function: FuncOp = find_entry(module, entry)
        self.arguments = list(function.body.block.args)
        self.constants: dict[SSAValue, Tensor] = {}
        self.steps: list[tuple[TorchOp, Operation]] = []
        self.outputs: list[SSAValue] = []
        for op in function.body.block.ops:
            if isinstance(op, ReturnOp):
                self.outputs = list(op.arguments)
            elif op.name == "nn.constant":
                value_type = op.results[0].type
                assert isinstance(value_type, TensorType)
                array = elements_array(op.properties["value"], value_type, op.name)  # pyright: ignore[reportUnknownArgumentType]
                self.constants[op.results[0]] = torch.from_numpy(array)
            elif op.name in TORCH_OPS:
                self.steps.append((TORCH_OPS[op.name], op))
            else:
                raise UnsupportedTorchOp(f"{op.name} has no torch implementation")

    def __call__(self, *arrays: Array) -> Any:
        with torch.inference_mode():
            values = dict(self.constants)
            for argument, array in zip(self.arguments, arrays, strict=True):
                values[argument] = torch.from_numpy(array)
            for function, op in self.steps:
                values[op.results[0]] = function(op, [values[v] for v in op.operands])
            results = [values[v].numpy() for v in self.outputs]
        return results[0] if len(results) == 1 else tuple(results)
