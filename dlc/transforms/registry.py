"""Every pass dlc-opt knows, by its command-line name.

xDSL's generic passes (canonicalize, cse, dce, licm) are reused as they are. dlc's
own passes add themselves here, one line each, as ``"name": lambda: PassClass``; the
import stays inside the lambda so that ``dlc-opt`` loads a pass only when it runs.
"""

from collections.abc import Callable

from xdsl.passes import ModulePass
from xdsl.transforms import get_all_passes

_REUSED_XDSL_PASSES = ("canonicalize", "cse", "dce", "licm")


def all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    xdsl_passes = get_all_passes()
    passes = {name: xdsl_passes[name] for name in _REUSED_XDSL_PASSES}
    passes.update(DLC_PASSES)
    return passes


DLC_PASSES: dict[str, Callable[[], type[ModulePass]]] = {}
