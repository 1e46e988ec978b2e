"""Markers for the GPU tests, which must pass (by skipping) on machines without one.

``@pytest.mark.requires_ptxas`` skips a test where no ``ptxas`` is found (PATH,
or the ``nvidia-cuda-nvcc-cu12`` wheel); ``@pytest.mark.requires_cuda`` skips it
where the CUDA driver (``libcuda.so``) or a GPU is missing. The fixtures
``ptxas_path`` and ``cuda`` give the tool and the loaded driver, skipping likewise.
"""

from __future__ import annotations

import pytest

from dlc.targets.cuda import driver as cuda_driver
from dlc.targets.cuda.ptxas import find_ptxas

MARKERS = {
    "requires_ptxas": "needs NVIDIA's ptxas (skipped where it is not installed)",
    "requires_cuda": "needs an NVIDIA GPU and its driver (skipped where none is)",
}


def skip_reasons() -> dict[str, str | None]:
    """Why each marker's tests are skipped here, None where they can run."""
    try:
        cuda_driver.driver()
        no_cuda = None
    except cuda_driver.CudaUnavailableError as error:
        no_cuda = f"no CUDA GPU: {error}"
    no_ptxas = None if find_ptxas() else "ptxas not found (PATH or wheel)"
    return {"requires_ptxas": no_ptxas, "requires_cuda": no_cuda}


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    marked = [i for i in items if any(i.get_closest_marker(m) for m in MARKERS)]
    if not marked:
        return
    reasons = skip_reasons()
    for item in marked:
        for name, reason in reasons.items():
            if reason is not None and item.get_closest_marker(name) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def ptxas_path() -> str:
    path = find_ptxas()
    if path is None:
        pytest.skip("ptxas not found (PATH or the nvidia-cuda-nvcc-cu12 wheel)")
    return path


@pytest.fixture(scope="session")
def cuda() -> cuda_driver.Driver:
    try:
        return cuda_driver.driver()
    except cuda_driver.CudaUnavailableError as error:
        pytest.skip(f"no CUDA GPU: {error}")
