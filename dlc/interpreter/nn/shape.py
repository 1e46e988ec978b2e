"""Reference implementations of the nn shape ops."""

from __future__ import annotations

from math import prod
from typing import Any

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from dlc.dialects.nn import shape as nn
from dlc.dialects.nn.base import (
    as_any_tensor,
    int_property,
    ints_property,
    string_property,
)
from dlc.interpreter.nn.support import result


@register_impls
class ShapeFunctions(InterpreterFunctions):
    @impl(nn.ReshapeOp)
    def run_reshape(
        self, interpreter: Interpreter, op: nn.ReshapeOp, args: tuple[Any, ...]
    ):
        return result(op, np.reshape(args[0], ints_property(op.properties, "shape")))

    @impl(nn.TransposeOp)
    def run_transpose(
        self, interpreter: Interpreter, op: nn.TransposeOp, args: tuple[Any, ...]
    ):
        return result(op, np.transpose(args[0], ints_property(op.properties, "perm")))

    @impl(nn.FlattenOp)
    def run_flatten(
        self, interpreter: Interpreter, op: nn.FlattenOp, args: tuple[Any, ...]
    ):
        x = args[0]
        axis = int_property(op.properties, "axis", 1)
        axis = axis + x.ndim if axis < 0 else axis
        return result(op, np.reshape(x, (prod(x.shape[:axis]), prod(x.shape[axis:]))))

    @impl(nn.SqueezeOp)
    def run_squeeze(
        self, interpreter: Interpreter, op: nn.SqueezeOp, args: tuple[Any, ...]
    ):
        return result(op, np.squeeze(args[0], ints_property(op.properties, "axes")))

    @impl(nn.UnsqueezeOp)
    def run_unsqueeze(
        self, interpreter: Interpreter, op: nn.UnsqueezeOp, args: tuple[Any, ...]
    ):
        axes = ints_property(op.properties, "axes")
        return result(op, np.expand_dims(args[0], axes))

    @impl(nn.BroadcastToOp)
    def run_broadcast_to(
        self, interpreter: Interpreter, op: nn.BroadcastToOp, args: tuple[Any, ...]
    ):
        shape = ints_property(op.properties, "shape")
        return result(op, np.broadcast_to(args[0], shape).copy())

    @impl(nn.SliceOp)
    def run_slice(
        self, interpreter: Interpreter, op: nn.SliceOp, args: tuple[Any, ...]
    ):
        input = as_any_tensor(op.input.type, f"{op.name} input")
        ranges = nn.slice_ranges(op.name, input, op.properties)
        return result(op, args[0][np.ix_(*(list(r) for r in ranges))])

    @impl(nn.PadOp)
    def run_pad(self, interpreter: Interpreter, op: nn.PadOp, args: tuple[Any, ...]):
        x = args[0]
        if x.ndim == 0:
            return result(op, x)  # nothing to pad, and np.pad rejects 0-d arrays
        pads = ints_property(op.properties, "pads")
        widths = list(zip(pads[: x.ndim], pads[x.ndim :], strict=True))
        mode = string_property(op.properties, "mode", "constant")
        if mode == "edge":
            return result(op, np.pad(x, widths, mode="edge"))
        if mode == "reflect":
            return result(op, np.pad(x, widths, mode="reflect"))
        value = op.pad_value()
        return result(op, np.pad(x, widths, mode="constant", constant_values=value))

    @impl(nn.ConcatOp)
    def run_concat(
        self, interpreter: Interpreter, op: nn.ConcatOp, args: tuple[Any, ...]
    ):
        return result(
            op, np.concatenate(args, axis=int_property(op.properties, "axis"))
        )
