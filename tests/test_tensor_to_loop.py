"""tensor-to-loop keeps every function's value: tensor interpreter == loop interpreter.

Each case is a tensor-level function @f. The oracle is dlc.interpret on it; the
lowered function is called C-style with call_with_buffers (inputs, then one zeroed
out buffer per result) under an interpreter whose loads and stores check their
bounds, so a padded read that loads out of bounds fails the test.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import pytest
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import MemRefType, ModuleOp, TensorType
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    impl,
    register_impls,
)
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.ir import BlockArgument, Operation
from xdsl.utils.exceptions import InterpretationError

import dlc
from dlc.context import make_context
from dlc.dialects import loop
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import buffer_dtype, call_with_buffers
from dlc.lowering.tensor_to_loop import TensorToLoopPass

NumpyArray = np.ndarray[Any, Any]


@register_impls
class BoundsCheckedMemRef(InterpreterFunctions):
    """memref.load and memref.store that fail outside the buffer."""

    @staticmethod
    def _check(op: Operation, buffer: ShapedArray[Any], indices: list[int]) -> None:
        if not all(0 <= i < n for i, n in zip(indices, buffer.shape, strict=True)):
            raise InterpretationError(
                f"{op.name} at {indices} outside a buffer of shape {buffer.shape}"
            )

    @impl(memref.LoadOp)
    def run_load(
        self, interpreter: Interpreter, op: memref.LoadOp, args: PythonValues
    ) -> PythonValues:
        buffer, *indices = args
        self._check(op, buffer, indices)
        return (buffer.load(tuple(indices)),)

    @impl(memref.StoreOp)
    def run_store(
        self, interpreter: Interpreter, op: memref.StoreOp, args: PythonValues
    ) -> PythonValues:
        value, buffer, *indices = args
        self._check(op, buffer, indices)
        buffer.store(tuple(indices), value)
        return ()


def lower(text: str) -> ModuleOp:
    module = dlc.parse(text)
    TensorToLoopPass().apply(make_context(), module)
    module.verify()
    return module


def function(module: ModuleOp, name: str = "f") -> func.FuncOp:
    return next(
        op
        for op in module.walk()
        if isinstance(op, func.FuncOp) and op.sym_name.data == name
    )


def run_lowered(module: ModuleOp, *inputs: NumpyArray) -> list[NumpyArray]:
    """Call the lowered @f on ``inputs``; return its out buffers afterwards."""
    types = function(module).function_type.inputs.data
    args = [
        np.asarray(value).astype(buffer_dtype(t.element_type))
        if isinstance(t, MemRefType)
        else float(value)
        for value, t in zip(inputs, types, strict=False)
    ]
    outs: list[NumpyArray] = []
    for t in types[len(inputs) :]:
        assert isinstance(t, MemRefType)
        outs.append(np.zeros(t.get_shape(), buffer_dtype(t.element_type)))
    interpreter = make_interpreter(module)
    interpreter.register_implementations(BoundsCheckedMemRef(), override=True)
    assert call_with_buffers(interpreter, "f", *args, *outs) == ()
    return outs


def random_inputs(text: str, seed: int = 0) -> list[NumpyArray]:
    """Random values for @f's arguments: normal floats, small ints, booleans."""
    rng = np.random.default_rng(seed)
    inputs: list[NumpyArray] = []
    for t in function(dlc.parse(text)).function_type.inputs.data:
        if not isinstance(t, TensorType):
            inputs.append(np.array(rng.standard_normal(), np.float32))
            continue
        shape, element = tuple(t.get_shape()), str(t.element_type)
        if element.startswith("f"):
            inputs.append(
                rng.standard_normal(shape).astype(element.replace("f", "float"))
            )
        elif element == "i1":
            inputs.append(rng.integers(0, 2, shape).astype(bool))
        else:
            inputs.append(rng.integers(-3, 4, shape).astype(np.int64))
    return inputs


def assert_same_as_tensor_level(text: str, exact: bool = True) -> None:
    inputs = random_inputs(text)
    expected = dlc.interpret(dlc.parse(text), "f", *inputs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    module = lower(text)
    outs = run_lowered(module, *inputs)
    assert len(outs) == len(expected)
    for out, want in zip(outs, expected, strict=True):
        got = out.astype(want.dtype)
        if exact:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


MATMUL = """
func.func @f(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %c = tensor.compute (%i, %j) reduce add (%k) in [6] init 0.0 : tensor<4x5xf32> {
    %a = tensor.read %x[%i, %k] : tensor<4x6xf32>
    %b = tensor.read %w[%k, %j] : tensor<6x5xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %c : tensor<4x5xf32>
}
"""

CONV2D = """
func.func @f(%x: tensor<1x2x5x5xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x3x3xf32> {
  %y = tensor.compute (%n, %f, %oh, %ow) reduce add (%c, %kh, %kw) in [2, 3, 3]
      init 0.0 : tensor<1x3x3x3xf32> {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %sh = arith.muli %oh, %c2 : index
    %h0 = arith.addi %sh, %kh : index
    %h = arith.subi %h0, %c1 : index
    %sw = arith.muli %ow, %c2 : index
    %w0 = arith.addi %sw, %kw : index
    %wi = arith.subi %w0, %c1 : index
    %a = tensor.read %x[%n, %c, %h, %wi] pad 0.0 : tensor<1x2x5x5xf32>
    %b = tensor.read %w[%f, %c, %kh, %kw] : tensor<3x2x3x3xf32>
    %p = arith.mulf %a, %b : f32
    tensor.yield %p : f32
  }
  func.return %y : tensor<1x3x3x3xf32>
}
"""

MAX_POOL = """
func.func @f(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %y = tensor.compute (%n, %c, %oh, %ow) reduce max (%kh, %kw) in [3, 3]
      init 0xFF800000 : tensor<1x1x3x3xf32> {
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %sh = arith.muli %oh, %c2 : index
    %h0 = arith.addi %sh, %kh : index
    %h = arith.subi %h0, %c1 : index
    %sw = arith.muli %ow, %c2 : index
    %w0 = arith.addi %sw, %kw : index
    %w = arith.subi %w0, %c1 : index
    %v = tensor.read %x[%n, %c, %h, %w] pad 0xFF800000 : tensor<1x1x4x4xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<1x1x3x3xf32>
}
"""

SOFTMAX = """
func.func @f(%x: tensor<3x5xf32>) -> tensor<3x5xf32> {
  %max = tensor.compute (%i) reduce max (%j) in [5] init 0xFF800000 : tensor<3xf32> {
    %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
    tensor.yield %v : f32
  }
  %exp = tensor.compute (%i, %j) : tensor<3x5xf32> {
    %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
    %m = tensor.read %max[%i] : tensor<3xf32>
    %d = arith.subf %v, %m : f32
    %e = math.exp %d : f32
    tensor.yield %e : f32
  }
  %sum = tensor.compute (%i) reduce add (%j) in [5] init 0.0 : tensor<3xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<3x5xf32>
    tensor.yield %e : f32
  }
  %y = tensor.compute (%i, %j) : tensor<3x5xf32> {
    %e = tensor.read %exp[%i, %j] : tensor<3x5xf32>
    %s = tensor.read %sum[%i] : tensor<3xf32>
    %q = arith.divf %e, %s : f32
    tensor.yield %q : f32
  }
  func.return %y : tensor<3x5xf32>
}
"""

CASES = {
    "matmul": MATMUL,
    "conv2d_stride2_pad1": CONV2D,
    "max_pool_neg_inf_pad": MAX_POOL,
    "softmax_chain": SOFTMAX,
    "sum_to_rank_0": """
func.func @f(%x: tensor<3x5xf32>) -> tensor<f32> {
  %rows = tensor.compute (%i) reduce add (%j) in [5] init 0.0 : tensor<3xf32> {
    %v = tensor.read %x[%i, %j] : tensor<3x5xf32>
    tensor.yield %v : f32
  }
  %all = tensor.compute () reduce add (%i) in [3] init 0.0 : tensor<f32> {
    %v = tensor.read %rows[%i] : tensor<3xf32>
    tensor.yield %v : f32
  }
  func.return %all : tensor<f32>
}
""",
    "rank_0_elementwise_and_broadcast": """
func.func @f(%s: tensor<f32>, %row: tensor<4xf32>, %x: tensor<3x4xf32>) -> tensor<f32> {
  %twice = tensor.compute () : tensor<f32> {
    %a = tensor.read %s[] : tensor<f32>
    %b = arith.addf %a, %a : f32
    tensor.yield %b : f32
  }
  %y = tensor.compute (%i, %j) : tensor<3x4xf32> {
    %a = tensor.read %twice[] : tensor<f32>
    %b = tensor.read %row[%j] : tensor<4xf32>
    %c = tensor.read %x[%i, %j] : tensor<3x4xf32>
    %ab = arith.addf %a, %b : f32
    %sum = arith.addf %ab, %c : f32
    tensor.yield %sum : f32
  }
  %total = tensor.compute () reduce add (%i, %j) in [3, 4] init 0.0 : tensor<f32> {
    %v = tensor.read %y[%i, %j] : tensor<3x4xf32>
    tensor.yield %v : f32
  }
  func.return %total : tensor<f32>
}
""",
    "transpose_and_reshape": """
func.func @f(%x: tensor<2x6xf32>) -> tensor<4x3xf32> {
  %r = tensor.compute (%a, %b) : tensor<3x4xf32> {
    %c4 = arith.constant 4 : index
    %c6 = arith.constant 6 : index
    %row = arith.muli %a, %c4 : index
    %flat = arith.addi %row, %b : index
    %i = arith.divui %flat, %c6 : index
    %j = arith.remui %flat, %c6 : index
    %v = tensor.read %x[%i, %j] : tensor<2x6xf32>
    tensor.yield %v : f32
  }
  %t = tensor.compute (%j, %i) : tensor<4x3xf32> {
    %v = tensor.read %r[%i, %j] : tensor<3x4xf32>
    tensor.yield %v : f32
  }
  func.return %t : tensor<4x3xf32>
}
""",
    "concat_padded_reads": """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>) -> tensor<3x3xf32> {
  %y = tensor.compute (%i, %j) : tensor<3x3xf32> {
    %c2 = arith.constant 2 : index
    %in_a = arith.cmpi slt, %i, %c2 : index
    %ib = arith.subi %i, %c2 : index
    %va = tensor.read %a[%i, %j] pad 0.0 : tensor<2x3xf32>
    %vb = tensor.read %b[%ib, %j] pad 0.0 : tensor<1x3xf32>
    %v = arith.select %in_a, %va, %vb : f32
    tensor.yield %v : f32
  }
  func.return %y : tensor<3x3xf32>
}
""",
    "gather_data_dependent_index": """
func.func @f(%table: tensor<5x2xf32>, %ids: tensor<4xi64>) -> tensor<4x2xf32> {
  %y = tensor.compute (%i, %j) : tensor<4x2xf32> {
    %id = tensor.read %ids[%i] : tensor<4xi64>
    %c3 = arith.constant 3 : i64
    %pos = arith.addi %id, %c3 : i64
    %row = arith.index_cast %pos : i64 to index
    %v = tensor.read %table[%row, %j] pad 9.0 : tensor<5x2xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<4x2xf32>
}
""",
    "integer_index_and_i1_results": """
func.func @f(%x: tensor<4xi32>, %b: tensor<2x3xi1>)
    -> (tensor<i32>, tensor<2xi1>, tensor<2xi1>, tensor<4xindex>) {
  %seven = arith.constant 7 : i32
  %m = tensor.compute () reduce min (%k) in [6] init 2147483647 : tensor<i32> {
    %v = tensor.read %x[%k] pad 0 : tensor<4xi32>
    %w = arith.addi %v, %seven : i32
    tensor.yield %w : i32
  }
  %any = tensor.compute (%i) reduce max (%k) in [3] init false : tensor<2xi1> {
    %v = tensor.read %b[%i, %k] : tensor<2x3xi1>
    tensor.yield %v : i1
  }
  %sum = tensor.compute (%i) reduce add (%k) in [3] init false : tensor<2xi1> {
    %v = tensor.read %b[%i, %k] : tensor<2x3xi1>
    tensor.yield %v : i1
  }
  %squares = tensor.compute (%i) reduce mul (%k) in [2] init 1 : tensor<4xindex> {
    %c1 = arith.constant 1 : index
    %v = arith.addi %i, %c1 : index
    tensor.yield %v : index
  }
  func.return %m, %any, %sum, %squares
      : tensor<i32>, tensor<2xi1>, tensor<2xi1>, tensor<4xindex>
}
""",
    "captured_scalar_argument": """
func.func @f(%x: tensor<3xf32>, %scale: f32) -> tensor<3xf32> {
  %y = tensor.compute (%i) : tensor<3xf32> {
    %v = tensor.read %x[%i] : tensor<3xf32>
    %p = arith.mulf %v, %scale : f32
    tensor.yield %p : f32
  }
  func.return %y : tensor<3xf32>
}
""",
    "returned_argument_and_value_returned_twice": """
func.func @f(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %y = tensor.compute (%i, %j) : tensor<2x3xf32> {
    %v = tensor.read %x[%i, %j] : tensor<2x3xf32>
    %n = arith.negf %v : f32
    tensor.yield %n : f32
  }
  func.return %y, %x, %y : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
""",
    "padded_read_of_an_empty_tensor": """
func.func @f(%e: tensor<0x3xf32>) -> tensor<2x3xf32> {
  %y = tensor.compute (%i, %j) : tensor<2x3xf32> {
    %v = tensor.read %e[%i, %j] pad 4.0 : tensor<0x3xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<2x3xf32>
}
""",
}


@pytest.mark.parametrize("name", CASES)
def test_lowered_function_computes_the_tensor_function(name: str) -> None:
    assert_same_as_tensor_level(CASES[name])


def test_i1_min_reduction_is_all() -> None:
    """Both levels against numpy: the i1 init ``true`` must not read as -1."""
    text = """
    func.func @f(%b: tensor<3x2xi1>) -> tensor<3xi1> {
      %all = tensor.compute (%i) reduce min (%k) in [2] init true : tensor<3xi1> {
        %v = tensor.read %b[%i, %k] : tensor<3x2xi1>
        tensor.yield %v : i1
      }
      func.return %all : tensor<3xi1>
    }
    """
    b = np.array([[True, True], [True, False], [False, False]])
    (out,) = run_lowered(lower(text), b)
    np.testing.assert_array_equal(out.astype(bool), b.all(axis=1))
    (tensor_level,) = make_interpreter(dlc.parse(text)).call_op("f", (b,))
    np.testing.assert_array_equal(tensor_level.astype(bool), b.all(axis=1))


def test_scalar_arguments_stay_scalars_between_the_buffers() -> None:
    lowered = lower(CASES["captured_scalar_argument"])
    inputs = [str(t) for t in function(lowered).function_type.inputs]
    assert inputs == ["memref<3xf32>", "f32", "memref<3xf32>"]


def test_signature_is_destination_passing() -> None:
    lowered = function(lower(CASES["returned_argument_and_value_returned_twice"]))
    assert [str(t) for t in lowered.function_type.inputs] == ["memref<2x3xf32>"] * 4
    assert list(lowered.function_type.outputs) == []
    returned = lowered.body.block.last_op
    assert isinstance(returned, func.ReturnOp) and not returned.arguments


def _top_level_nests(module: ModuleOp) -> list[loop.ForOp]:
    return [op for op in function(module).body.block.ops if isinstance(op, loop.ForOp)]


def test_returned_compute_is_written_in_place_and_others_are_copied() -> None:
    """One nest computes %y into out0; two copy %x into out1 and out0 into out2."""
    module = lower(CASES["returned_argument_and_value_returned_twice"])
    block = function(module).body.block
    assert not [op for op in block.ops if isinstance(op, memref.AllocOp)]
    nests = _top_level_nests(module)
    assert len(nests) == 3
    x, out0, out1, out2 = block.args
    stores = [
        [op for op in nest.walk() if isinstance(op, memref.StoreOp)] for nest in nests
    ]
    assert [[s.memref for s in group] for group in stores] == [[out0], [out1], [out2]]
    loads = [op for op in nests[2].walk() if isinstance(op, memref.LoadOp)]
    assert [load.memref for load in loads] == [out0]
    assert [op.memref for op in nests[1].walk() if isinstance(op, memref.LoadOp)] == [x]


def test_temporaries_are_freed_right_after_their_last_reader() -> None:
    ops = list(function(lower(SOFTMAX)).body.block.ops)
    allocs = [op for op in ops if isinstance(op, memref.AllocOp)]
    assert [a.memref.name_hint for a in allocs] == ["max", "exp", "sum"]
    for alloc in allocs:
        buffer = alloc.memref
        (dealloc,) = [
            op for op in ops if isinstance(op, memref.DeallocOp) and op.memref is buffer
        ]
        last_reader = max(
            i
            for i, op in enumerate(ops)
            if any(load.memref is buffer for load in _loads(op))
        )
        between = ops[last_reader + 1 : ops.index(dealloc)]
        assert all(isinstance(op, memref.DeallocOp) for op in between)


def _loads(op: Operation) -> list[memref.LoadOp]:
    return [inner for inner in op.walk() if isinstance(inner, memref.LoadOp)]


def test_loops_stay_rolled_whatever_the_shape() -> None:
    small = lower(MATMUL)
    large = lower(
        MATMUL.replace("4x6", "64x96")
        .replace("6x5", "96x80")
        .replace("4x5", "64x80")
        .replace("[6]", "[96]")
    )
    assert sum(1 for _ in small.walk()) == sum(1 for _ in large.walk())


def test_padded_reads_check_only_the_dims_that_can_leave_the_tensor() -> None:
    """In the convolution only h and w can be out of bounds, not n or c."""
    (padded,) = [
        op
        for op in lower(CONV2D).walk()
        if isinstance(op, memref.LoadOp) and op.memref.name_hint == "x"
    ]
    n, c, h, w = padded.indices
    assert isinstance(n, BlockArgument) and isinstance(c, BlockArgument)
    assert isinstance(h.owner, arith.SelectOp) and isinstance(w.owner, arith.SelectOp)


@pytest.mark.parametrize(
    ("schedule", "exact"),
    [
        ("schedule<tile = [2, 4, 0]>", True),
        ("schedule<tile = [8, 8, 8], unroll = 3>", True),
        # K-blocking keeps the running sum in the f32 buffer between tiles
        ("schedule<tile = [3, 0, 4], parallel = [1]>", False),
        ("schedule<tile = [0, 2, 5], parallel = [0, 1], vectorize = 4>", False),
    ],
)
def test_schedule_never_changes_the_value(schedule: str, exact: bool) -> None:
    text = MATMUL.replace("init 0.0 :", f"init 0.0 {schedule} :")
    assert_same_as_tensor_level(text, exact)


def test_schedule_builds_tile_loops_parallel_loops_and_annotations() -> None:
    schedule = "schedule<tile = [0, 2, 4], parallel = [0], vectorize = 4, unroll = 2>"
    module = lower(MATMUL.replace("init 0.0 :", f"init 0.0 {schedule} :"))
    parallel = [op for op in module.walk() if isinstance(op, loop.ParallelOp)]
    assert len(parallel) == 1 and parallel[0].mapping is None
    annotated = {
        key: op.regions[0].block.args[0].name_hint
        for op in module.walk()
        for key in (loop.VECTORIZE, loop.UNROLL)
        if key in op.attributes
    }
    assert annotated == {loop.VECTORIZE: "j", loop.UNROLL: "k"}
    # K is tiled: the buffer is filled with the init, then accumulated in memory.
    stores = [op for op in module.walk() if isinstance(op, memref.StoreOp)]
    assert len(stores) == 2


def test_tensor_constants_become_shared_read_only_globals() -> None:
    text = """
    func.func @f(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
      %a = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
      %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
      %c = arith.constant dense<0.5> : tensor<2x2xf32>
      %y = tensor.compute (%i, %j) : tensor<2x2xf32> {
        %va = tensor.read %a[%i, %j] : tensor<2x2xf32>
        %vb = tensor.read %b[%j, %i] : tensor<2x2xf32>
        %vc = tensor.read %c[%i, %j] : tensor<2x2xf32>
        %vx = tensor.read %x[%i, %j] : tensor<2x2xf32>
        %s = arith.addf %va, %vb : f32
        %t = arith.mulf %vc, %vx : f32
        %u = arith.addf %s, %t : f32
        tensor.yield %u : f32
      }
      func.return %y : tensor<2x2xf32>
    }
    func.func private @__constant_2x2xf32()
    """
    module = lower(text)
    globals_ = [op for op in module.walk() if isinstance(op, memref.GlobalOp)]
    assert [g.sym_name.data for g in globals_] == [
        "__constant_2x2xf32_0",
        "__constant_2x2xf32_1",
    ]
    assert all(g.constant is not None for g in globals_)
    x = np.array([[1.0, -1.0], [2.0, 0.25]], np.float32)
    a = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    (out,) = run_lowered(module, x)
    np.testing.assert_array_equal(out, a + a.T + 0.5 * x)


def test_returned_constants_are_copied_from_their_globals() -> None:
    text = """
    func.func @f() -> (tensor<3xi32>, tensor<3xi32>) {
      %a = arith.constant dense<[1, -2, 3]> : tensor<3xi32>
      func.return %a, %a : tensor<3xi32>, tensor<3xi32>
    }
    """
    outs = run_lowered(lower(text))
    for out in outs:
        np.testing.assert_array_equal(out, [1, -2, 3])


def test_constants_of_every_element_type_keep_their_values() -> None:
    text = """
    func.func @f() -> (tensor<3xi1>, tensor<2xindex>, tensor<2xf16>, tensor<2x2xi64>,
                       tensor<f64>) {
      %a = arith.constant dense<[true, false, true]> : tensor<3xi1>
      %b = arith.constant dense<[5, -7]> : tensor<2xindex>
      %c = arith.constant dense<[1.5, -2.25]> : tensor<2xf16>
      %d = arith.constant dense<3> : tensor<2x2xi64>
      %e = arith.constant dense<2.5> : tensor<f64>
      func.return %a, %b, %c, %d, %e
          : tensor<3xi1>, tensor<2xindex>, tensor<2xf16>, tensor<2x2xi64>, tensor<f64>
    }
    """
    a, b, c, d, e = run_lowered(lower(text))
    np.testing.assert_array_equal(a.astype(bool), [True, False, True])
    np.testing.assert_array_equal(b, [5, -7])
    np.testing.assert_array_equal(c, np.array([1.5, -2.25], np.float16))
    np.testing.assert_array_equal(d, np.full((2, 2), 3))
    np.testing.assert_array_equal(e, 2.5)


def test_dense_resource_constant_keeps_its_value() -> None:
    values = [0.5, -1.0, 2.0, 3.25, -0.125, 8.0]
    blob = struct.pack("<I", 4) + struct.pack("<6f", *values)
    text = f"""
    func.func @f(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {{
      %w = arith.constant dense_resource<t2l_weights> : tensor<3x2xf32>
      %y = tensor.compute (%i, %j) : tensor<3x2xf32> {{
        %a = tensor.read %w[%i, %j] : tensor<3x2xf32>
        %b = tensor.read %x[%i, %j] : tensor<3x2xf32>
        %s = arith.subf %a, %b : f32
        tensor.yield %s : f32
      }}
      func.return %y : tensor<3x2xf32>
    }}
    {{-#
      dialect_resources: {{ builtin: {{ t2l_weights: "0x{blob.hex().upper()}" }} }}
    #-}}
    """
    x = np.arange(6, dtype=np.float32).reshape(3, 2)
    (out,) = run_lowered(lower(text), x)
    np.testing.assert_array_equal(out, np.array(values, np.float32).reshape(3, 2) - x)


def test_functions_without_tensors_are_left_alone() -> None:
    text = """
    func.func @f(%x: memref<2xf32>) {
      func.return
    }
    """
    module = dlc.parse(text)
    before = str(module)
    TensorToLoopPass().apply(make_context(), module)
    assert str(module) == before


DIAGNOSTICS = {
    "a resource without a blob": (
        """
func.func @f() -> tensor<2xf32> {
  %w = arith.constant dense_resource<t2l_missing> : tensor<2xf32>
  func.return %w : tensor<2xf32>
}
""",
        3,
        "resource 't2l_missing' has no blob",
    ),
    "a resource blob of the wrong size": (
        """
func.func @f() -> tensor<3xf32> {
  %w = arith.constant dense_resource<t2l_short> : tensor<3xf32>
  func.return %w : tensor<3xf32>
}
{-# dialect_resources: { builtin: { t2l_short: "0x040000000000803F00000040" } } #-}
""",
        3,
        "resource 't2l_short' holds 8 bytes",
    ),
    "a read nested in a region of the body": (
        """
func.func @f(%x: tensor<2xf32>, %c: i1) -> tensor<2xf32> {
  %y = tensor.compute (%i) : tensor<2xf32> {
    %v = scf.if %c -> (f32) {
      %r = tensor.read %x[%i] : tensor<2xf32>
      scf.yield %r : f32
    } else {
      %z = arith.constant 0.0 : f32
      scf.yield %z : f32
    }
    tensor.yield %v : f32
  }
  func.return %y : tensor<2xf32>
}
""",
        5,
        "cannot lower 'tensor.read' nested in 'scf.if'",
    ),
    "a call on tensors": (
        """
func.func private @g(tensor<2xf32>) -> tensor<2xf32>
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = func.call @g(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
""",
        4,
        "cannot bufferize 'func.call'",
    ),
    "a vector width the loop level lacks": (
        """
func.func @f(%x: tensor<6xf32>) -> tensor<6xf32> {
  %y = tensor.compute (%i) schedule<vectorize = 3> : tensor<6xf32> {
    %v = tensor.read %x[%i] : tensor<6xf32>
    tensor.yield %v : f32
  }
  func.return %y : tensor<6xf32>
}
""",
        3,
        "schedule vectorize = 3 is not a vector width",
    ),
}


@pytest.mark.parametrize("what", DIAGNOSTICS)
def test_what_cannot_be_lowered_is_reported_at_its_op(what: str) -> None:
    text, line, message = DIAGNOSTICS[what]
    module = dlc.parse(text, "input.mlir")
    with pytest.raises(dlc.DiagnosticError) as error:
        TensorToLoopPass().apply(make_context(), module)
    assert message in error.value.message
    assert error.value.message.startswith("tensor-to-loop: ")
    location = error.value.location
    assert location is not None and (location.filename, location.line) == (
        "input.mlir",
        line,
    )
