"""The JIT reads large constants from arrays it binds by name, not from the IR text.

``dlc.compile`` leaves every dense global above ``INLINE_GLOBAL_BYTES`` out of the
LLVM IR it compiles (an ``external`` global, bound in the process to an aligned
copy of its bytes); ``dlc-translate`` and the other ahead-of-time outputs keep
the bytes inline. Weights are multiples of 1/4 and inputs small integers, so
every product and sum is exact in f32 and the results must equal numpy's.
"""

from __future__ import annotations

import gc
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

import dlc
from dlc.compiler import CompileTimes, cpu_passes, run_pipeline
from dlc.context import make_context
from dlc.targets.cpu.translate import jit_llvm_ir
from dlc.targets.llvm_text import (
    EXTERNAL_ALIGNMENT,
    INLINE_GLOBAL_BYTES,
    escaped_bytes,
)

ROOT = Path(__file__).resolve().parent.parent

WEIGHT_BYTES = 16 * 8 * 4
BIAS_BYTES = 4 * 4


def weights(seed: int) -> tuple[Any, Any]:
    """A 16x8 weight (512 bytes, external) and a 4-element bias (16, inline)."""
    rng = np.random.default_rng(seed)
    weight = rng.integers(-40, 40, (16, 8)).astype(np.float32) / 4
    bias = rng.integers(-40, 40, (4,)).astype(np.float32) / 4
    return weight, bias


def literal(array: Any) -> str:
    return np.array2string(array, separator=", ", threshold=1 << 20).replace("\n", "")


def model_text(weight: Any, bias: Any) -> str:
    """y = (x @ weight) @ [bias x 2] for x: 3x16 (both constants in the IR)."""
    scale = np.concatenate([bias, bias]).reshape(8, 1)
    return f"""
func.func @f(%x: tensor<3x16xf32>) -> tensor<3x1xf32> {{
  %w = nn.constant dense<{literal(weight)}> : tensor<16x8xf32>
  %b = nn.constant dense<{literal(scale)}> : tensor<8x1xf32>
  %h = nn.matmul %x, %w : (tensor<3x16xf32>, tensor<16x8xf32>) -> tensor<3x8xf32>
  %y = nn.matmul %h, %b : (tensor<3x8xf32>, tensor<8x1xf32>) -> tensor<3x1xf32>
  func.return %y : tensor<3x1xf32>
}}
"""


def reference(x: Any, weight: Any, bias: Any) -> Any:
    return (x @ weight) @ np.concatenate([bias, bias]).reshape(8, 1)


def inputs(seed: int) -> Any:
    return np.random.default_rng(seed).integers(-5, 5, (3, 16)).astype(np.float32)


def test_sizes_sit_on_either_side_of_the_threshold():
    assert BIAS_BYTES * 2 <= INLINE_GLOBAL_BYTES < WEIGHT_BYTES


def test_jit_ir_declares_large_constants_external_and_keeps_small_ones_inline():
    compiled = dlc.compile(model_text(*weights(0)))
    ir = compiled.llvm_ir
    external = re.findall(r"^@\S+ = external constant \[(\d+) x i8\]", ir, re.M)
    assert external == [str(WEIGHT_BYTES)]
    assert f'[{WEIGHT_BYTES} x i8] c"' not in ir
    assert f'[{BIAS_BYTES * 2} x i8] c"' in ir


def test_dlc_translate_still_writes_every_constant_inline(tmp_path: Path):
    path = tmp_path / "model.mlir"
    path.write_text(model_text(*weights(0)))
    done = subprocess.run(
        [sys.executable, "-m", "dlc.tools.dlc_translate", "--target=llvm", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert f'constant [{WEIGHT_BYTES} x i8] c"' in done.stdout
    assert "external constant" not in done.stdout


def test_external_bytes_are_aligned_read_only_copies_of_the_constant():
    weight, bias = weights(1)
    module = dlc.parse(model_text(weight, bias))
    run_pipeline(make_context(), module, cpu_passes(bounds_check=False), CompileTimes())
    ir, external = jit_llvm_ir(module)
    [(name, array)] = external.arrays.items()
    assert f'@"{name}" = external constant [{WEIGHT_BYTES} x i8]' in ir
    assert array.ctypes.data % EXTERNAL_ALIGNMENT == 0
    assert not array.flags.writeable
    assert array.tobytes() == weight.tobytes()


def test_same_named_constants_of_two_functions_stay_apart():
    """Both texts declare the same name; the JIT binds each to its own bytes."""
    first_weights, second_weights = weights(2), weights(3)
    first = dlc.compile(model_text(*first_weights))
    second = dlc.compile(model_text(*second_weights))
    declared = [
        set(re.findall(r'^@"([^"]+)" = external', f.llvm_ir, re.M))
        for f in (first, second)
    ]
    assert declared[0] and declared[0] == declared[1]
    x = inputs(4)
    np.testing.assert_array_equal(first(x), reference(x, *first_weights))
    np.testing.assert_array_equal(second(x), reference(x, *second_weights))
    np.testing.assert_array_equal(first(x), reference(x, *first_weights))


def test_compiled_function_outlives_its_source_and_weights():
    weight, bias = weights(5)
    x = inputs(6)
    expected = reference(x, weight, bias)
    module = dlc.parse(model_text(weight, bias))
    compiled = dlc.compile(module)
    del module, weight, bias
    gc.collect()
    clobber = [np.full(n, -7.0, np.float32) for n in (128, 4096, 1 << 16)]
    np.testing.assert_array_equal(compiled(x), expected)
    del clobber


def plain_escape(raw: bytes) -> str:
    """LLVM's rule: printable ASCII but ``"`` and backslash as is, else ``\\xx``."""
    return "".join(
        chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\' else f"\\{b:02x}"
        for b in raw
    )


def test_byte_strings_escape_what_llvm_ir_cannot_hold_literally():
    raw = bytes(range(256)) + b'\\\\x"\\t'
    assert escaped_bytes(raw) == plain_escape(raw)
    assert escaped_bytes(b"") == ""
    large = np.random.default_rng(7).bytes(200_003)
    assert escaped_bytes(large) == plain_escape(large)
