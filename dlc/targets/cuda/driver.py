"""The CUDA driver API through ctypes on ``libcuda.so``: just what dlc launches with.

dlc needs few calls: initialize, make the primary context of device 0 current,
load PTX (the driver JIT-compiles it for the device), look up kernels, allocate
and copy buffers, launch, synchronize, and time with events. A ctypes binding of
those two dozen functions keeps the target free of any package beyond numpy; the
signatures are those of ``cuda.h`` (CUDA 13), with the ``_v2`` entry points its
macros select (``cuMemAlloc`` is ``cuMemAlloc_v2``, ...).

Nothing is loaded when this module is imported. The first :func:`driver` call
opens the library, runs ``cuInit`` and retains the primary context; on a machine
without the library or without a device it raises :class:`CudaUnavailableError`
(and every later call raises it again at once). Every other failure is a
:class:`CudaError` naming the call and the driver's error name and message.

    >>> d = driver()                      # doctest: +SKIP
    >>> module = d.load_module(ptx_text)  # doctest: +SKIP
    >>> kernel = module.function("main_kernel_0")  # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

NEEDS_A_GPU = (
    "target='cuda' needs an NVIDIA GPU and its driver (libcuda.so); none was found"
)

LIBRARY_NAMES: tuple[str, ...] = ("libcuda.so.1", "libcuda.so")
"""Where the driver is looked up: the soname the driver installs, then the
development link (``ctypes.CDLL`` searches the loader's paths)."""

_SUCCESS = 0
_NO_DEVICE_RESULTS = {
    34: "CUDA_ERROR_STUB_LIBRARY",
    35: "CUDA_ERROR_INSUFFICIENT_DRIVER",
    100: "CUDA_ERROR_NO_DEVICE",
    803: "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH",
    804: "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
}
"""cuInit results that mean "no usable GPU here" rather than a bug."""

_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16
_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75
_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76
_JIT_INFO_LOG_BUFFER = 3
_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4
_JIT_ERROR_LOG_BUFFER = 5
_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6
_JIT_LOG_BYTES = 1 << 14

_c_uint = ctypes.c_uint
_c_size = ctypes.c_size_t
_c_ptr = ctypes.c_void_p
_c_ull = ctypes.c_ulonglong
_pointer = ctypes.POINTER

_SIGNATURES: dict[str, tuple[Any, ...]] = {
    "cuInit": (_c_uint,),
    "cuDriverGetVersion": (_pointer(ctypes.c_int),),
    "cuDeviceGetCount": (_pointer(ctypes.c_int),),
    "cuDeviceGet": (_pointer(ctypes.c_int), ctypes.c_int),
    "cuDeviceGetName": (ctypes.c_char_p, ctypes.c_int, ctypes.c_int),
    "cuDeviceGetAttribute": (_pointer(ctypes.c_int), ctypes.c_int, ctypes.c_int),
    "cuDevicePrimaryCtxRetain": (_pointer(_c_ptr), ctypes.c_int),
    "cuCtxSetCurrent": (_c_ptr,),
    "cuCtxSynchronize": (),
    "cuModuleLoadDataEx": (
        _pointer(_c_ptr),
        ctypes.c_char_p,
        _c_uint,
        _pointer(ctypes.c_int),
        _pointer(_c_ptr),
    ),
    "cuModuleUnload": (_c_ptr,),
    "cuModuleGetFunction": (_pointer(_c_ptr), _c_ptr, ctypes.c_char_p),
    "cuMemAlloc_v2": (_pointer(_c_ull), _c_size),
    "cuMemFree_v2": (_c_ull,),
    "cuMemcpyHtoD_v2": (_c_ull, _c_ptr, _c_size),
    "cuMemcpyDtoH_v2": (_c_ptr, _c_ull, _c_size),
    "cuLaunchKernel": (
        _c_ptr,
        *([_c_uint] * 7),
        _c_ptr,
        _pointer(_c_ptr),
        _pointer(_c_ptr),
    ),
    "cuGetErrorName": (ctypes.c_int, _pointer(ctypes.c_char_p)),
    "cuGetErrorString": (ctypes.c_int, _pointer(ctypes.c_char_p)),
    "cuEventCreate": (_pointer(_c_ptr), _c_uint),
    "cuEventRecord": (_c_ptr, _c_ptr),
    "cuEventSynchronize": (_c_ptr,),
    "cuEventDestroy_v2": (_c_ptr,),
}
"""argtypes of each entry point (all return CUresult, an int). Handles (CUcontext,
CUmodule, CUfunction, CUevent, CUstream) are opaque pointers; CUdevice is an int;
CUdeviceptr is an unsigned 64-bit integer."""

_CONTEXT_FREE = frozenset(
    {
        "cuInit",
        "cuDriverGetVersion",
        "cuDeviceGetCount",
        "cuDeviceGet",
        "cuDeviceGetName",
        "cuDeviceGetAttribute",
        "cuDevicePrimaryCtxRetain",
        "cuCtxSetCurrent",
    }
)
"""The calls that need no current context; every other one makes the primary
context current first, in whichever thread calls."""

_ELAPSED_TIME = ("cuEventElapsedTime_v2", "cuEventElapsedTime")
"""CUDA 12.8 added the _v2 (which cuda.h now selects); older drivers only have
the first version, with the same signature."""


class CudaUnavailableError(RuntimeError):
    """No CUDA driver library, or no device: the cuda target cannot run here."""


class CudaError(RuntimeError):
    """A driver call failed: ``call`` returned ``name`` (``code``)."""

    def __init__(self, call: str, code: int, name: str, message: str, log: str = ""):
        self.call = call
        self.code = code
        self.name = name
        self.message = message
        self.log = log
        text = f"{call} failed: {name} ({code}): {message}"
        super().__init__(f"{text}\n{log}" if log else text)


class Driver:
    """The loaded driver with device 0's primary context; see :func:`driver`."""

    def __init__(self, library: ctypes.CDLL):
        self._library = library
        self._functions: dict[str, Any] = {}
        for name, argtypes in _SIGNATURES.items():
            self._functions[name] = self._bind(name, argtypes)
        self._elapsed = self._bind_first(_ELAPSED_TIME)
        self._current = threading.local()
        result = self._functions["cuInit"](0)
        if result in _NO_DEVICE_RESULTS:
            raise CudaUnavailableError(
                f"cuInit: {_NO_DEVICE_RESULTS[result]}: {NEEDS_A_GPU}"
            )
        self._check("cuInit", result)
        count = ctypes.c_int()
        self._call("cuDeviceGetCount", ctypes.byref(count))
        if count.value == 0:
            raise CudaUnavailableError(f"the CUDA driver sees no device: {NEEDS_A_GPU}")
        device = ctypes.c_int()
        self._call("cuDeviceGet", ctypes.byref(device), 0)
        self.device = device.value
        context = _c_ptr()
        self._call("cuDevicePrimaryCtxRetain", ctypes.byref(context), self.device)
        self._context = context
        self._make_current()

    @staticmethod
    def open(names: Sequence[str] = LIBRARY_NAMES) -> Driver:
        """Load the first library of ``names`` that exists and initialize it."""
        for name in names:
            try:
                library = ctypes.CDLL(name)
            except OSError:
                continue
            return Driver(library)
        raise CudaUnavailableError(
            f"no CUDA driver library ({', '.join(names)}): {NEEDS_A_GPU}"
        )

    # Device properties

    @property
    def name(self) -> str:
        buffer = ctypes.create_string_buffer(256)
        self._call("cuDeviceGetName", buffer, len(buffer), self.device)
        return buffer.value.decode()

    @property
    def compute_capability(self) -> tuple[int, int]:
        return (
            self._attribute(_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
            self._attribute(_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
        )

    @property
    def arch(self) -> str:
        """The device's ``sm_XY`` name, the PTX target that fits it best."""
        major, minor = self.compute_capability
        return f"sm_{major}{minor}"

    @property
    def multiprocessors(self) -> int:
        return self._attribute(_ATTRIBUTE_MULTIPROCESSOR_COUNT)

    @property
    def version(self) -> int:
        """The driver's CUDA version, 1000 * major + 10 * minor (13000 is 13.0)."""
        version = ctypes.c_int()
        self._call("cuDriverGetVersion", ctypes.byref(version))
        return version.value

    # Modules and kernels

    def load_module(self, ptx: str) -> Module:
        """JIT-compile ``ptx`` for the device; a failure carries ptxas's log."""
        self._make_current()
        handle = _c_ptr()
        error_log = ctypes.create_string_buffer(_JIT_LOG_BYTES)
        info_log = ctypes.create_string_buffer(_JIT_LOG_BYTES)
        options = (ctypes.c_int * 4)(
            _JIT_ERROR_LOG_BUFFER,
            _JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
            _JIT_INFO_LOG_BUFFER,
            _JIT_INFO_LOG_BUFFER_SIZE_BYTES,
        )
        # A *_SIZE_BYTES option's value is the integer itself, cast to void*.
        values = (_c_ptr * 4)(
            ctypes.cast(error_log, _c_ptr),
            _c_ptr(_JIT_LOG_BYTES),
            ctypes.cast(info_log, _c_ptr),
            _c_ptr(_JIT_LOG_BYTES),
        )
        result = self._functions["cuModuleLoadDataEx"](
            ctypes.byref(handle), ptx.encode() + b"\0", 4, options, values
        )
        self._check(
            "cuModuleLoadDataEx", result, error_log.value.decode(errors="replace")
        )
        return Module(self, handle)

    def function(self, module: _c_ptr, name: str) -> _c_ptr:
        handle = _c_ptr()
        self._call("cuModuleGetFunction", ctypes.byref(handle), module, name.encode())
        return handle

    def unload(self, module: _c_ptr) -> None:
        self._call("cuModuleUnload", module)

    def launch(
        self,
        function: _c_ptr,
        grid: tuple[int, int, int],
        block: tuple[int, int, int],
        pointers: Sequence[int],
        shared_bytes: int = 0,
    ) -> None:
        """Launch ``function`` on the default stream with device pointers as its
        parameters (each parameter a bare ``.u64`` pointer, in order)."""
        values = [_c_ull(p) for p in pointers]
        parameters = (_c_ptr * max(1, len(values)))(
            *(ctypes.cast(ctypes.byref(v), _c_ptr) for v in values)
        )
        self._call(
            "cuLaunchKernel",
            function,
            *grid,
            *block,
            shared_bytes,
            None,
            parameters,
            None,
        )

    def synchronize(self) -> None:
        self._call("cuCtxSynchronize")

    # Memory

    def alloc(self, nbytes: int) -> int:
        """A device buffer of ``nbytes`` (at least 1: the driver rejects 0)."""
        pointer = _c_ull()
        self._call("cuMemAlloc_v2", ctypes.byref(pointer), max(1, nbytes))
        return pointer.value

    def free(self, pointer: int) -> None:
        self._call("cuMemFree_v2", pointer)

    def copy_to_device(self, pointer: int, array: np.ndarray[Any, Any]) -> None:
        """Copy a C-contiguous ``array`` into the buffer at ``pointer``."""
        if array.nbytes:
            self._call("cuMemcpyHtoD_v2", pointer, array.ctypes.data, array.nbytes)

    def copy_to_host(self, array: np.ndarray[Any, Any], pointer: int) -> None:
        """Fill a C-contiguous ``array`` from the buffer at ``pointer``."""
        if array.nbytes:
            self._call("cuMemcpyDtoH_v2", array.ctypes.data, pointer, array.nbytes)

    # Timing

    def event(self) -> Event:
        handle = _c_ptr()
        self._call("cuEventCreate", ctypes.byref(handle), 0)
        return Event(self, handle)

    def record(self, event: _c_ptr) -> None:
        self._call("cuEventRecord", event, None)

    def elapsed_ms(self, start: _c_ptr, end: _c_ptr) -> float:
        """Milliseconds between two recorded events (waits for ``end``)."""
        self._call("cuEventSynchronize", end)
        milliseconds = ctypes.c_float()
        self._check(
            _ELAPSED_TIME[0], self._elapsed(ctypes.byref(milliseconds), start, end)
        )
        return milliseconds.value

    def destroy_event(self, event: _c_ptr) -> None:
        self._call("cuEventDestroy_v2", event)

    # Plumbing

    def _bind(self, name: str, argtypes: tuple[Any, ...]) -> Any:
        try:
            function = getattr(self._library, name)
        except AttributeError:
            raise CudaUnavailableError(
                f"the CUDA driver library has no {name} (too old): {NEEDS_A_GPU}"
            ) from None
        function.argtypes = list(argtypes)
        function.restype = ctypes.c_int
        return function

    def _bind_first(self, names: Sequence[str]) -> Any:
        for name in names:
            if hasattr(self._library, name):
                return self._bind(name, (_pointer(ctypes.c_float), _c_ptr, _c_ptr))
        raise CudaUnavailableError(
            f"the CUDA driver library has none of {', '.join(names)}: {NEEDS_A_GPU}"
        )

    def _attribute(self, attribute: int) -> int:
        value = ctypes.c_int()
        self._call("cuDeviceGetAttribute", ctypes.byref(value), attribute, self.device)
        return value.value

    def _make_current(self) -> None:
        """Make the primary context current in the calling thread (once per
        thread: the current context is per-thread state in the driver)."""
        if getattr(self._current, "done", False):
            return
        self._call("cuCtxSetCurrent", self._context)
        self._current.done = True

    def _call(self, name: str, *arguments: Any) -> None:
        if name not in _CONTEXT_FREE:
            self._make_current()
        self._check(name, self._functions[name](*arguments))

    def _check(self, call: str, result: int, log: str = "") -> None:
        if result == _SUCCESS:
            return
        name, message = ctypes.c_char_p(), ctypes.c_char_p()
        named = self._functions["cuGetErrorName"](result, ctypes.byref(name))
        described = self._functions["cuGetErrorString"](result, ctypes.byref(message))
        raise CudaError(
            call,
            result,
            (name.value or b"").decode() if named == _SUCCESS else "CUDA_ERROR_UNKNOWN",
            (message.value or b"").decode()
            if described == _SUCCESS
            else "(no message)",
            log.strip(),
        )


class Module:
    """A loaded PTX module; unloaded when garbage-collected."""

    def __init__(self, driver: Driver, handle: _c_ptr):
        self._driver = driver
        self.handle = handle

    def function(self, name: str) -> _c_ptr:
        """The kernel ``name`` (its ``.entry`` name in the PTX)."""
        return self._driver.function(self.handle, name)

    def __del__(self) -> None:
        try:
            self._driver.unload(self.handle)
        except Exception:  # noqa: BLE001 - the driver may be gone at exit
            pass


class Event:
    """A CUDA event on the default stream, for timing with the GPU's own clock."""

    def __init__(self, driver: Driver, handle: _c_ptr):
        self._driver = driver
        self.handle = handle

    def record(self) -> None:
        self._driver.record(self.handle)

    def since(self, start: Event) -> float:
        """Milliseconds from ``start`` to this event."""
        return self._driver.elapsed_ms(start.handle, self.handle)

    def __del__(self) -> None:
        try:
            self._driver.destroy_event(self.handle)
        except Exception:  # noqa: BLE001 - the driver may be gone at exit
            pass


_lock = threading.Lock()
_driver: Driver | None = None
_failure: CudaUnavailableError | None = None


def driver() -> Driver:
    """The process's driver, loaded on first use; raises CudaUnavailableError
    (the same one each time) where there is no CUDA GPU."""
    global _driver, _failure
    with _lock:
        if _driver is None:
            if _failure is not None:
                raise _failure
            try:
                _driver = Driver.open()
            except CudaUnavailableError as error:
                _failure = error
                raise
        return _driver


def available() -> bool:
    """Whether a CUDA GPU and its driver can be used in this process."""
    try:
        driver()
    except CudaUnavailableError:
        return False
    return True
