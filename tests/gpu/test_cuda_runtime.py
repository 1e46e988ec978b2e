"""The cuda target's runtime: launch plans, the driver binding, and (on a GPU) the
numbers of every example and every nn op against the reference interpreter.

Without a GPU this still checks the clear "no GPU" error, the launch plans of
hand-written and compiled level-3 IR, and the driver binding with its runtime
against ``fake_libcuda.c``, a stand-in for libcuda.so over host memory.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dlc
from dlc.compiler import CompileTimes, TensorSignature, lower_cuda
from dlc.diagnostics import DiagnosticError
from dlc.targets.cuda import driver as cuda_driver
from dlc.targets.cuda.runtime import CudaFunction, CudaProgram, LaunchPlan
from dlc.tools import dlc_run
from tests.gpu.op_programs import CASES, op_program

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.mlir"))
TOLERANCE = {"float16": 2e-2, "float32": 1e-4, "float64": 1e-9}
"""Relative to the largest reference magnitude of each output."""

F32 = "memref<4x8xf32>"
W = "memref<8xf32>"


def launch(kernel: str, grid: str, block: str, args: list[tuple[str, str]]) -> str:
    """A ``gpu.launch_func`` in generic form (xDSL has no custom syntax for it)."""
    names = ", ".join(name for name, _ in args)
    types = ", ".join(type_ for _, type_ in args)
    segments = f"0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, {len(args)}, 0"
    return (
        f'"gpu.launch_func"({grid}, {block}, {names}) <{{kernel = '
        f"@dlc_kernels::@{kernel}, operandSegmentSizes = array<i32: {segments}>}}> : "
        f"(index, index, index, index, index, index, {types}) -> ()"
    )


def kernel(name: str, arity: int) -> str:
    params = ", ".join(f"%p{i}: !llvm.ptr<1>" for i in range(arity))
    return f"llvm.func @{name}({params}) attributes {{nvvm.kernel}} {{ llvm.return }}"


def level3(body: list[str], kernels: list[str] | None = None) -> str:
    """A level-3 module: copy kernels and a host function @main(x, out, wout)."""
    kernels = kernels or [kernel("fake_copy_128_2", 2), kernel("fake_copy_32_2", 2)]
    lines = "\n    ".join(body)
    return f"""
builtin.module attributes {{gpu.container_module}} {{
  "gpu.module"() <{{sym_name = "dlc_kernels"}}> ({{
    {chr(10).join(kernels)}
  }}) : () -> ()
  "memref.global"() <{{sym_name = "w", sym_visibility = "private", type = {W},
      initial_value = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]>
      : tensor<8xf32>, constant}}> : () -> ()
  func.func @main(%x: {F32}, %out: {F32}, %wout: {W}) {{
    %c1 = arith.constant 1 : index
    %c32 = arith.constant 32 : index
    {lines}
    func.return
  }}
}}
"""


COPIES = [
    f"%t = memref.alloc() : {F32}",
    f"%w = memref.get_global @w : {W}",
    launch(
        "fake_copy_128_2", "%c1, %c1, %c1", "%c32, %c1, %c1", [("%x", F32), ("%t", F32)]
    ),
    launch(
        "fake_copy_128_2",
        "%c1, %c1, %c1",
        "%c32, %c1, %c1",
        [("%t", F32), ("%out", F32)],
    ),
    f"%w2 = memref.get_global @w : {W}",
    launch(
        "fake_copy_32_2", "%c1, %c1, %c1", "%c32, %c1, %c1", [("%w2", W), ("%wout", W)]
    ),
    f"memref.dealloc %t : {F32}",
]
"""x -> t -> out, and the global w -> wout."""


def plan_of(text: str) -> LaunchPlan:
    return LaunchPlan.of(dlc.parse(text), "main")


# --- No GPU ---------------------------------------------------------------------------


def test_a_missing_driver_says_what_target_cuda_needs():
    with pytest.raises(cuda_driver.CudaUnavailableError) as error:
        cuda_driver.Driver.open(("libdlc-test-no-such-cuda.so",))
    assert "target='cuda' needs an NVIDIA GPU and its driver (libcuda.so)" in str(
        error.value
    )


@pytest.mark.skipif(cuda_driver.available(), reason="this machine has a CUDA GPU")
def test_compile_without_a_gpu_raises_after_making_the_ptx():
    with pytest.raises(cuda_driver.CudaUnavailableError) as error:
        dlc.compile((ROOT / "examples" / "mlp.mlir").read_text(), target="cuda")
    message = str(error.value)
    assert "needs an NVIDIA GPU and its driver (libcuda.so); none was found" in message
    assert "the PTX for sm_80 was produced" in message


@pytest.mark.skipif(cuda_driver.available(), reason="this machine has a CUDA GPU")
def test_dlc_run_without_a_gpu_prints_one_error_line(
    capsys: pytest.CaptureFixture[str],
):
    with pytest.raises(SystemExit) as exit_:
        dlc_run.main([str(ROOT / "examples" / "mlp.mlir"), "--target", "cuda"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "needs an NVIDIA GPU" in err
    assert "\n" not in err and "Traceback" not in err


def test_cuda_options_of_the_cpu_are_rejected():
    with pytest.raises(ValueError, match="options of target='cpu'"):
        dlc.compile("func.func @f() { func.return }", target="cuda", threads=2)


# --- Launch plans ---------------------------------------------------------------------


def test_plan_of_a_level3_host_function():
    plan = plan_of(level3(COPIES))
    kinds = [(b.kind, b.shape, b.index, b.symbol) for b in plan.buffers]
    assert kinds == [
        ("argument", (4, 8), 0, ""),
        ("argument", (4, 8), 1, ""),
        ("argument", (8,), 2, ""),
        ("temporary", (4, 8), -1, ""),
        ("global", (8,), -1, "w"),
    ]
    assert [(x.kernel, x.grid, x.block, x.buffers) for x in plan.launches] == [
        ("fake_copy_128_2", (1, 1, 1), (32, 1, 1), (0, 3)),
        ("fake_copy_128_2", (1, 1, 1), (32, 1, 1), (3, 1)),
        ("fake_copy_32_2", (1, 1, 1), (32, 1, 1), (4, 2)),
    ]
    np.testing.assert_array_equal(plan.globals["w"], np.arange(1, 9, dtype=np.float32))


def test_a_splat_global_is_expanded():
    text = level3(COPIES).replace(
        "dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]>", "dense<2.5>"
    )
    np.testing.assert_array_equal(plan_of(text).globals["w"], np.full(8, 2.5, "f4"))


def test_a_signature_that_does_not_match_the_nn_function_is_a_diagnostic():
    plan = plan_of(level3(COPIES))
    signature = TensorSignature((4, 8), np.dtype(np.float32))
    with pytest.raises(DiagnosticError, match=r"takes \(float32\[4, 8\], float32"):
        plan.check_signature([signature], [signature])


INVALID: dict[str, tuple[list[str], list[str] | None, str]] = {
    "op": (
        ["%s = arith.addi %c1, %c32 : index"],
        None,
        "may only contain arith.constant (index), memref.alloc, memref.dealloc, "
        "memref.get_global, gpu.launch_func and func.return to run on the GPU, "
        "found arith.addi",
    ),
    "memory_space": (
        ["%t = memref.alloc() : memref<8xf32, #gpu.address_space<workgroup>>"],
        None,
        "memref.alloc must be a static memref in global memory",
    ),
    "unknown_kernel": (
        [launch("nope", "%c1, %c1, %c1", "%c32, %c1, %c1", [("%x", F32)])],
        None,
        "no kernel @nope in a gpu.module @dlc_kernels",
    ),
    "arity": (
        [launch("fake_copy_32_2", "%c1, %c1, %c1", "%c32, %c1, %c1", [("%x", F32)])],
        None,
        "kernel @fake_copy_32_2 takes 2 parameters, the launch passes 1 buffers",
    ),
    "block": (
        [
            "%c2048 = arith.constant 2048 : index",
            launch("k", "%c1, %c1, %c1", "%c2048, %c1, %c1", [("%x", F32)]),
        ],
        [kernel("k", 1)],
        "block size [2048, 1, 1] must be within 1 and [1024, 1024, 64]",
    ),
    "threads": (
        [launch("k", "%c1, %c1, %c1", "%c32, %c32, %c32", [("%x", F32)])],
        [kernel("k", 1)],
        "block of 32768 threads [32, 32, 32], at most 1024",
    ),
}


@pytest.mark.parametrize("case", INVALID)
def test_an_invalid_host_function_is_a_diagnostic_naming_the_op(case: str):
    body, kernels, message = INVALID[case]
    with pytest.raises(DiagnosticError) as error:
        plan_of(level3(body, kernels))
    assert message in str(error.value)
    assert error.value.location is not None


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_lowers_to_a_valid_plan(example: Path):
    """Each launch's kernel is a PTX entry taking one 64-bit pointer per buffer
    the plan passes: the ABI the runtime launches with."""
    program = lower_cuda(example.read_text(), filename=str(example))
    assert program.plan.launches
    for launch_ in program.plan.launches:
        entry = re.search(
            rf"\.entry {launch_.kernel}\(([^)]*)\)", program.ptx[launch_.module]
        )
        assert entry is not None, f"no .entry {launch_.kernel} in the PTX"
        parameters = [p.strip() for p in entry.group(1).split(",")]
        assert len(parameters) == len(launch_.buffers)
        assert all(p.startswith(".param .u64") for p in parameters), parameters
    arguments = program.plan.arguments
    assert len(arguments) == len(program.inputs) + len(program.outputs)


# --- The runtime on a stand-in driver -------------------------------------------------


@pytest.fixture(scope="session")
def fake(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ctypes.CDLL]:
    """The driver binding over ``fake_libcuda.c`` (compiled with cc), and the
    library itself for its launch log."""
    compiler = shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler to build the stand-in libcuda")
    library = tmp_path_factory.mktemp("fake_cuda") / "libfakecuda.so"
    source = Path(__file__).with_name("fake_libcuda.c")
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-O1", "-o", str(library), str(source)],
        check=True,
    )
    handle = ctypes.CDLL(str(library))
    handle.fake_log.restype = ctypes.c_char_p
    return cuda_driver.Driver.open((str(library),)), handle


def fake_function(driver: Any, text: str) -> CudaFunction:
    module = dlc.parse(text)
    signature = [((4, 8), np.float32), ((4, 8), np.float32), ((8,), np.float32)]
    inputs, *outputs = [TensorSignature(s, np.dtype(t)) for s, t in signature]
    ptx = {"dlc_kernels": ".entry fake_copy_128_2( .entry fake_copy_32_2("}
    program = CudaProgram(
        "main",
        [inputs],
        outputs,
        CompileTimes(),
        module,
        ptx,
        LaunchPlan.of(module, "main"),
        "sm_90",
    )
    return CudaFunction(program, driver)


def test_the_binding_reads_the_device(fake: tuple[Any, ctypes.CDLL]):
    driver, _ = fake
    assert (driver.name, driver.arch, driver.multiprocessors) == (
        "Fake GPU 0",
        "sm_90",
        132,
    )


def test_a_call_copies_in_launches_in_order_and_copies_out(
    fake: tuple[Any, ctypes.CDLL],
):
    driver, library = fake
    live = library.fake_live()
    function = fake_function(driver, level3(COPIES))
    x = np.arange(32, dtype=np.float32).reshape(4, 8)
    for scale in (1, 2):
        out, wout = function(x * scale)
        np.testing.assert_array_equal(out, x * scale)
        np.testing.assert_array_equal(wout, np.arange(1, 9, dtype=np.float32))
    assert library.fake_live() == live + len(function.plan.buffers)
    log = library.fake_log().decode().splitlines()[-3:]
    pointers = function._pointers  # pyright: ignore[reportPrivateUsage]
    assert log == [
        f"fake_copy_128_2 1 1 1 32 1 1 0 {pointers[0]} {pointers[3]}",
        f"fake_copy_128_2 1 1 1 32 1 1 0 {pointers[3]} {pointers[1]}",
        f"fake_copy_32_2 1 1 1 32 1 1 0 {pointers[4]} {pointers[2]}",
    ]
    assert function.time_kernels([x], 3) == [0.25] * 3
    function.close()
    assert library.fake_live() == live


def test_compile_for_cuda_launches_the_plan_on_the_device(
    fake: tuple[Any, ctypes.CDLL], monkeypatch: pytest.MonkeyPatch
):
    """dlc.compile with a (stand-in) GPU: PTX for the GPU's own architecture,
    every kernel launched in order with the plan's grid and block."""
    driver, library = fake
    monkeypatch.setattr(cuda_driver, "_driver", driver)
    compiled = dlc.compile((ROOT / "examples" / "mlp.mlir").read_text(), target="cuda")
    assert (compiled.gpu_arch, compiled.device_name) == ("sm_90", "Fake GPU 0")
    assert ".target sm_90" in compiled.ptx["dlc_kernels"]
    inputs = [np.zeros(s.shape, s.dtype) for s in compiled.inputs]
    before = len(library.fake_log().decode().splitlines())
    result = compiled(*inputs)
    assert (result.shape, result.dtype) == (compiled.outputs[0].shape, np.float32)
    log = library.fake_log().decode().splitlines()[before:]
    assert log == [
        " ".join(map(str, [launch.kernel, *launch.grid, *launch.block, 0]))
        for launch in compiled.plan.launches
    ]
    compiled.close()


def test_dlc_run_on_the_device(
    fake: tuple[Any, ctypes.CDLL],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setattr(cuda_driver, "_driver", fake[0])
    with pytest.raises(SystemExit) as exit_:
        dlc_run.main([str(ROOT / "examples" / "conv.mlir"), "--target", "cuda"])
    assert exit_.value.code == 0
    assert "; Fake GPU 0, sm_90" in capsys.readouterr().out


def test_a_call_from_another_thread_makes_the_context_current_there(
    fake: tuple[Any, ctypes.CDLL],
):
    function = fake_function(fake[0], level3(COPIES))
    x = np.ones((4, 8), np.float32)
    function(x)
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(function(2 * x)))
    worker.start()
    worker.join()
    np.testing.assert_array_equal(results[0][0], 2 * x)


def test_arguments_are_checked_before_the_device_is_touched(
    fake: tuple[Any, ctypes.CDLL],
):
    function = fake_function(fake[0], level3(COPIES))
    with pytest.raises(TypeError, match="must have dtype float32, got float64"):
        function(np.zeros((4, 8)))


def test_a_driver_error_names_the_call_and_carries_the_jit_log(
    fake: tuple[Any, ctypes.CDLL],
):
    driver, _ = fake
    with pytest.raises(cuda_driver.CudaError) as error:
        driver.load_module("INVALID")
    assert str(error.value) == (
        "cuModuleLoadDataEx failed: CUDA_ERROR_INVALID_PTX (218): a PTX JIT "
        "compilation failed\nptxas fatal   : fake error in INVALID"
    )


# --- On a GPU: the numbers ------------------------------------------------------------


def assert_matches_reference(compiled: Any, module: Any, inputs: list[Any]) -> None:
    got = compiled(*inputs)
    want = dlc.interpret(module, compiled.name, *inputs)
    got = got if isinstance(got, tuple) else (got,)
    want = want if isinstance(want, tuple) else (want,)
    for index, (out, ref) in enumerate(zip(got, want, strict=True)):
        assert out.shape == ref.shape and out.dtype == ref.dtype
        scale = max(float(np.max(np.abs(ref), initial=0.0)), 1e-3)
        error = float(
            np.max(np.abs(out.astype(np.float64) - ref.astype(np.float64)), initial=0)
        )
        tolerance = TOLERANCE.get(str(ref.dtype), 0.0)
        assert error <= tolerance * scale, (
            f"output {index}: max abs error {error} for reference scale {scale}"
        )


@pytest.mark.requires_cuda
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_each_example_on_the_gpu_matches_the_reference(example: Path):
    text = example.read_text()
    compiled = dlc.compile(text, target="cuda", filename=str(example))
    rng = np.random.default_rng(0)
    inputs = [
        (0.1 * rng.standard_normal(s.shape)).astype(s.dtype) for s in compiled.inputs
    ]
    assert_matches_reference(compiled, dlc.parse(text), inputs)


@pytest.mark.requires_cuda
@pytest.mark.parametrize("case", CASES)
def test_each_op_on_the_gpu_matches_the_reference(case: str):
    program = op_program(case)
    compiled = dlc.compile(program.module, target="cuda", entry=program.function)
    inputs = [
        x.astype(s.dtype)
        for x, s in zip(program.random_inputs(0), compiled.inputs, strict=True)
    ]
    assert_matches_reference(compiled, program.module, inputs)
