"""Reference implementations of the loop dialect, and numpy arrays as memrefs.

Values in the interpreter:

* a ``memref`` is xDSL's :class:`ShapedArray`: a shape plus a row-major
  ``TypedPtr`` over a ``bytearray`` (that is what xDSL's ``memref.alloc``,
  ``memref.load`` and ``memref.store`` implementations use);
* ``index`` and integers are Python ints, floats are Python floats (so scalar
  arithmetic runs in double precision and rounds when it is stored);
* a ``vector<Wx...>`` is a 1-D numpy array of the element dtype, so xDSL's ``arith``
  implementations of ``addf``/``subf``/``mulf`` work on vectors unchanged.

A loop-level function is called like a C function with :func:`call_with_buffers`:
each ``memref`` argument is a numpy array of exactly the memref's shape and dtype,
and whatever the function stores into it is visible in that array afterwards
(destination-passing style, the way compiled code will be called)::

    c = np.zeros((4, 5), np.float32)
    call_with_buffers(make_interpreter(module), "matmul", a, b, c)   # fills c

:func:`buffer_from_numpy` and :func:`numpy_view` convert single buffers.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from xdsl.dialects.builtin import DYNAMIC_INDEX, MemRefType, VectorType
from xdsl.dialects.func import FuncOp
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    ReturnedValues,
    TerminatorValue,
    impl,
    impl_terminator,
    register_impls,
)
from xdsl.interpreters.builtin import xtype_for_el_type
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import RawPtr, TypedPtr
from xdsl.ir import Attribute
from xdsl.utils.exceptions import InterpretationError

from dlc.diagnostics import DiagnosticError
from dlc.dialects import loop

NumpyArray = np.ndarray[Any, Any]


def buffer_dtype(element_type: Attribute) -> np.dtype[Any]:
    """The numpy dtype the interpreter stores ``element_type`` as (64-bit index)."""
    return np.dtype(xtype_for_el_type(element_type, 64).format)


def buffer_from_numpy(array: NumpyArray, memref_type: MemRefType) -> ShapedArray[Any]:
    """A fresh interpreter buffer holding a copy of ``array``."""
    xtype = xtype_for_el_type(memref_type.element_type, 64)
    data = np.ascontiguousarray(array, dtype=np.dtype(xtype.format)).tobytes()
    pointer = TypedPtr(RawPtr(bytearray(data)), xtype=xtype)
    return ShapedArray(pointer, list(array.shape))


def numpy_view(buffer: ShapedArray[Any]) -> NumpyArray:
    """A numpy array sharing memory with ``buffer``: writes to either show in both."""
    pointer = buffer.data_ptr
    return np.frombuffer(
        pointer.raw.memory,
        dtype=np.dtype(pointer.xtype.format),
        count=buffer.size,
        offset=pointer.raw.offset,
    ).reshape(buffer.shape)


def call_with_buffers(
    interpreter: Interpreter, function: str, *args: Any
) -> PythonValues:
    """Call ``@function`` on numpy arrays (for memrefs) and Python scalars.

    Memref arguments must match their memref type's shape (``?`` matches any size)
    and dtype exactly; the function's stores into them are copied back into the
    caller's arrays. Returns the function's results, memrefs as new numpy arrays.
    """
    func_op = interpreter.get_op_for_symbol(function)
    assert isinstance(func_op, FuncOp)
    arg_types = func_op.function_type.inputs.data
    if len(args) != len(arg_types):
        raise DiagnosticError(
            f"@{function} takes {len(arg_types)} arguments, got {len(args)}"
        )
    values = [
        _argument(function, position, value, arg_type)
        for position, (value, arg_type) in enumerate(zip(args, arg_types, strict=True))
    ]
    results = interpreter.call_op(func_op, tuple(values))
    for position, (value, arg) in enumerate(zip(values, args, strict=True)):
        if isinstance(value, ShapedArray):
            _copy_back(function, position, numpy_view(value), arg)  # pyright: ignore[reportUnknownArgumentType]
    return tuple(
        numpy_view(r).copy() if isinstance(r, ShapedArray) else r  # pyright: ignore[reportUnknownArgumentType]
        for r in results
    )


def _argument(function: str, position: int, value: Any, arg_type: Attribute) -> Any:
    if not isinstance(arg_type, MemRefType):
        return value
    memref: MemRefType = arg_type  # pyright: ignore[reportUnknownVariableType]
    dtype = buffer_dtype(memref.element_type)
    shape = memref.get_shape()
    array = value if isinstance(value, np.ndarray) else None
    if (
        array is None
        or array.dtype != dtype
        or array.ndim != len(shape)
        or any(
            d not in (DYNAMIC_INDEX, n) for d, n in zip(shape, array.shape, strict=True)
        )
    ):
        found = (
            f"{array.dtype} array of shape {array.shape}"
            if array is not None
            else type(value).__name__
        )
        raise DiagnosticError(
            f"@{function} argument {position} must be a {dtype} array of shape "
            f"{_shape_text(shape)} ({memref}), got {found}"
        )
    return buffer_from_numpy(array, memref)  # pyright: ignore[reportUnknownArgumentType]


def _shape_text(shape: tuple[int, ...]) -> str:
    dims = ["?" if d == DYNAMIC_INDEX else str(d) for d in shape]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def _copy_back(
    function: str, position: int, written: NumpyArray, array: NumpyArray
) -> None:
    if np.array_equal(written, array, equal_nan=True):
        return
    if not array.flags.writeable:
        raise DiagnosticError(
            f"@{function} stores into argument {position}, but that array is read-only"
        )
    np.copyto(array, written)


def _lanes(
    op_name: str, buffer: ShapedArray[Any], indices: list[int], width: int
) -> NumpyArray:
    """The ``width`` elements a vector access at ``indices`` touches, as a view."""
    shape = buffer.shape
    inside = all(0 <= i < d for i, d in zip(indices, shape, strict=True))
    if not inside or indices[-1] + width > shape[-1]:
        raise InterpretationError(
            f"{op_name}: {width} lanes at {tuple(indices)} lie outside a buffer of "
            f"shape {tuple(shape)}"
        )
    start = buffer.offset(indices)
    return numpy_view(buffer).reshape(-1)[start : start + width]


def _width(vector_type: Attribute) -> int:
    assert isinstance(vector_type, VectorType)
    return vector_type.get_shape()[0]


_REDUCTIONS = {
    "add": lambda v: np.sum(v, dtype=np.float64),
    "mul": lambda v: np.prod(v, dtype=np.float64),
    "max": np.max,
    "min": np.min,
}


@register_impls
class LoopFunctions(InterpreterFunctions):
    """loop ops, run sequentially; a parallel loop runs its iterations in order."""

    @impl(loop.ForOp)
    def run_for(
        self, interpreter: Interpreter, op: loop.ForOp, args: PythonValues
    ) -> PythonValues:
        lb, ub, step, *carried = args
        values = tuple(carried)
        for i in range(lb, ub, step):
            values = interpreter.run_ssacfg_region(op.body, (i, *values), "loop.for")
        return values

    @impl(loop.ParallelOp)
    def run_parallel(
        self, interpreter: Interpreter, op: loop.ParallelOp, args: PythonValues
    ) -> PythonValues:
        dims = len(op.lower_bounds)
        ranges = [
            range(args[d], args[dims + d], args[2 * dims + d]) for d in range(dims)
        ]
        for ivs in itertools.product(*ranges):
            interpreter.run_ssacfg_region(op.body, ivs, "loop.parallel")
        return ()

    @impl_terminator(loop.YieldOp)
    def run_yield(
        self, interpreter: Interpreter, op: loop.YieldOp, args: PythonValues
    ) -> tuple[TerminatorValue, PythonValues]:
        return ReturnedValues(args), ()

    @impl(loop.VLoadOp)
    def run_vload(
        self, interpreter: Interpreter, op: loop.VLoadOp, args: PythonValues
    ) -> PythonValues:
        buffer, *indices = args
        return (_lanes(op.name, buffer, indices, _width(op.result.type)).copy(),)

    @impl(loop.VStoreOp)
    def run_vstore(
        self, interpreter: Interpreter, op: loop.VStoreOp, args: PythonValues
    ) -> PythonValues:
        value, buffer, *indices = args
        _lanes(op.name, buffer, indices, _width(op.value.type))[:] = value
        return ()

    @impl(loop.SplatOp)
    def run_splat(
        self, interpreter: Interpreter, op: loop.SplatOp, args: PythonValues
    ) -> PythonValues:
        vector_type = op.result.type
        assert isinstance(vector_type, VectorType)
        dtype = buffer_dtype(vector_type.element_type)
        return (np.full(_width(vector_type), args[0], dtype=dtype),)

    @impl(loop.FmaOp)
    def run_fma(
        self, interpreter: Interpreter, op: loop.FmaOp, args: PythonValues
    ) -> PythonValues:
        """In float64, which holds an f32 or f16 product exactly: a fused result."""
        lhs, rhs, acc = args
        if not isinstance(acc, np.ndarray):
            return (lhs * rhs + acc,)
        exact = lhs.astype(np.float64) * rhs + acc  # pyright: ignore[reportUnknownMemberType]
        return (exact.astype(acc.dtype),)  # pyright: ignore[reportUnknownMemberType]

    @impl(loop.VReduceOp)
    def run_vreduce(
        self, interpreter: Interpreter, op: loop.VReduceOp, args: PythonValues
    ) -> PythonValues:
        return (float(_REDUCTIONS[op.kind.data](args[0])),)

    @impl(loop.CheckIndexOp)
    def run_check_index(
        self, interpreter: Interpreter, op: loop.CheckIndexOp, args: PythonValues
    ) -> PythonValues:
        """The compiled check aborts; the interpreter raises the same message."""
        (index,) = args
        extent = op.extent.value.data
        if not 0 <= index < extent:
            raise InterpretationError(
                f"dlc: out-of-bounds {op.message.data} is {index}, "
                f"expected 0 <= index < {extent}"
            )
        return ()
