"""Validate PTX with NVIDIA's assembler, ``ptxas``, without a GPU.

``ptxas`` is looked up on ``PATH``, then in the ``nvidia-cuda-nvcc-cu12`` wheel
(``site-packages/nvidia/cuda_nvcc/bin/ptxas``). Its error lines
(``ptxas /tmp/x.ptx, line 12; error   : ...``) become a :class:`PtxasError` that
quotes the offending PTX lines.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_WHEEL_PATH = Path("nvidia", "cuda_nvcc", "bin", "ptxas")
_ERROR_LINE = re.compile(r"line (\d+); (error|fatal)\s*: (.*)")


class PtxasError(Exception):
    """``ptxas`` rejected a PTX module; the message quotes its errors."""


def find_ptxas() -> str | None:
    """The path of a ``ptxas`` executable, or None when there is none."""
    found = shutil.which("ptxas")
    if found is not None:
        return found
    for directory in sys.path:
        candidate = Path(directory) / _WHEEL_PATH
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def assemble(ptx: str, gpu_arch: str = "sm_80", ptxas: str | None = None) -> None:
    """Assemble ``ptx`` for ``gpu_arch`` and throw the result away.

    Raises :class:`PtxasError` when ptxas rejects it (an unresolved call, a
    feature the architecture lacks, malformed PTX), FileNotFoundError when there
    is no ptxas.
    """
    executable = ptxas or find_ptxas()
    if executable is None:
        raise FileNotFoundError(
            "ptxas not found: install the CUDA toolkit or nvidia-cuda-nvcc-cu12"
        )
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "module.ptx"
        source.write_text(ptx)
        command = [executable, f"-arch={gpu_arch}", "-o", os.devnull, str(source)]
        done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise PtxasError(_describe(done.stderr, ptx, gpu_arch))


def _describe(log: str, ptx: str, gpu_arch: str) -> str:
    lines = ptx.splitlines()
    messages: list[str] = []
    for entry in log.splitlines():
        match = _ERROR_LINE.search(entry)
        if match is None:
            if entry.strip():
                messages.append(entry.strip())
            continue
        number = int(match.group(1))
        text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
        messages.append(f"line {number}: {match.group(3)}\n    {text}")
    detail = "\n".join(messages) or log.strip()
    return f"ptxas -arch={gpu_arch} rejected the PTX:\n{detail}"
