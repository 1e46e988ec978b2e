"""Reference implementation of ``memref.view``, which xDSL's interpreter lacks.

``loop-memory-plan`` carves a function's temporaries out of one byte buffer with
``memref.view``; running the planned code in the interpreter shows that buffers
sharing memory never clobber one another. A view is a ``ShapedArray`` whose
pointer aliases the source's bytes at the byte shift, so stores through either
are seen by both, as in compiled code. A view that does not fit in its source is
an error, not a silent out-of-bounds buffer.
"""

from __future__ import annotations

from math import prod
from typing import Any

from xdsl.dialects import memref
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.interpreters.builtin import xtype_for_el_type
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr
from xdsl.utils.exceptions import InterpretationError


@register_impls
class ViewFunctions(InterpreterFunctions):
    @impl(memref.ViewOp)
    def run_view(
        self, interpreter: Interpreter, op: memref.ViewOp, args: PythonValues
    ) -> PythonValues:
        source, shift, *sizes = args
        assert isinstance(source, ShapedArray)
        result_type = op.result.type
        shape = list(result_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        dynamic = iter(sizes)
        shape = [next(dynamic) if d < 0 else d for d in shape]
        xtype = xtype_for_el_type(
            result_type.element_type,  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
            interpreter.index_bitwidth,
        )
        raw = source.data_ptr.raw  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        available = len(raw.memory) - raw.offset  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        needed = shift + prod(shape) * xtype.compile_time_size
        if shift < 0 or needed > available:
            raise InterpretationError(
                f"memref.view: bytes [{shift}, {needed}) of a {available}-byte "
                f"buffer for {result_type}"
            )
        pointer: TypedPtr[Any] = TypedPtr(raw + shift, xtype=xtype)  # pyright: ignore[reportUnknownArgumentType]
        return (ShapedArray(pointer, shape),)
