"""Small helpers shared by the test modules."""

from __future__ import annotations

from typing import Any

import numpy as np

import dlc


def run_function(text: str, *inputs: Any, name: str = "f") -> Any:
    """Parse ``text`` (verifying it) and interpret ``@name`` on ``inputs``."""
    return dlc.interpret(dlc.parse(text), name, *inputs)


def random_array(
    rng: np.random.Generator, shape: tuple[int, ...], dtype: str = "float32"
) -> np.ndarray[Any, Any]:
    return rng.standard_normal(shape).astype(dtype)
