"""dlc's CPU runtime: a persistent thread pool and the out-of-memory check.

Compiled code calls two C functions that LLVM cannot generate by itself:

``void dlc_parallel_for(void (*fn)(void *ctx, int64_t begin, int64_t end), void
*ctx, int64_t n, int64_t threads)``
    runs ``fn`` over ``[0, n)`` split into ``min(threads, n)`` contiguous chunks of
    sizes that differ by at most one, on a pool of threads, and returns when every
    chunk is done. ``threads <= 0`` means the default: ``$DLC_NUM_THREADS`` if it is
    a positive number, else the number of online CPUs (read once per process).
``void dlc_check_allocation(void *p, int64_t bytes)``
    when ``p`` is null (``aligned_alloc`` failed), prints ``dlc: out of memory:
    cannot allocate <bytes> bytes of temporaries`` to stderr and aborts.

The runtime is LLVM IR text (:func:`runtime_ir`), because CI has no C compiler. It
uses only POSIX: pthread mutexes and condition variables (their storage is 64
bytes, enough for glibc and macOS, set up with ``pthread_*_init``), ``getenv``,
``strtol``, ``sysconf`` and ``dprintf``.

**The pool.** Workers are created on the first region that needs them, then live
as long as the process and sleep between regions. A region publishes its job
under the mutex: the function, the context, ``n``, the chunk count and a new
generation number; a word ``claim = generation << 32 | next chunk`` is then
claimed chunk by chunk with compare-and-swap, by the workers and by the calling
thread alike, so a chunk runs once even when a worker wakes late, and a late
worker never runs a chunk of a region that is over (its generation no longer
matches). The caller waits until the ``finished`` count reaches the chunk count.
Both sides spin for a short while (``SPIN_ITERATIONS``) before they sleep on a
condition variable, so that back-to-back regions cost no system call.

**Nesting and concurrency.** One region runs at a time: a flag taken with
compare-and-swap. A call that finds it taken (a nested region, reached from a
chunk through a function call, or a region started by another thread) runs its
whole range inline on the calling thread, which is always correct.

**Fork.** The pool records the process id that created it; in a forked child,
where its threads do not exist, the first region re-initializes it.

In the JIT, the runtime is compiled once per process into an engine that is never
freed (the pool's threads run its code), and its two functions are added to
LLVM's symbol table, so every JIT module resolves them (:func:`load_into_jit`).
Ahead-of-time outputs link their own copy in (:func:`link_runtime`).
"""

from __future__ import annotations

import sys
import threading
from functools import cache

import llvmlite.binding as llvm

from dlc.lowering.llvm_patterns.arena import CHECK_ALLOCATION
from dlc.lowering.llvm_patterns.parallel import PARALLEL_FOR
from dlc.targets.cpu.machine import host_target_machine, optimized_module

RUNTIME_FUNCTIONS = (PARALLEL_FOR, CHECK_ALLOCATION)

MAX_WORKERS = 255
"""Threads the pool creates at most, besides the calling thread."""
SPIN_ITERATIONS = 1024
"""Polls (with ``pause`` on x86) before a waiting thread goes to sleep: 45
microseconds on a Zen 5 (a ``pause`` takes 40-45 ns there, 5-35 ns on other
x86 cores), longer than the gap between two regions of one call."""

_SC_NPROCESSORS_ONLN = {"linux": 84, "darwin": 58}


def _pause() -> str:
    """A spin-wait hint for the host: x86's ``pause``, nothing elsewhere."""
    machine = llvm.get_process_triple().split("-")[0]
    if machine in ("x86_64", "i386", "i686"):
        return "call void @llvm.x86.sse2.pause()"
    return ""


def _declarations() -> str:
    pause = "declare void @llvm.x86.sse2.pause()" if _pause() else ""
    return f"""
declare i32 @pthread_mutex_init(ptr, ptr)
declare i32 @pthread_mutex_lock(ptr)
declare i32 @pthread_mutex_unlock(ptr)
declare i32 @pthread_cond_init(ptr, ptr)
declare i32 @pthread_cond_wait(ptr, ptr)
declare i32 @pthread_cond_broadcast(ptr)
declare i32 @pthread_create(ptr, ptr, ptr, ptr)
declare i32 @pthread_detach(i64)
declare i32 @getpid()
declare ptr @getenv(ptr)
declare i64 @strtol(ptr, ptr, i32)
declare i64 @sysconf(i32)
declare i32 @dprintf(i32, ptr, ...)
declare void @abort() noreturn
{pause}
"""


_STATE = """
@dlc_pool_lock = internal global [64 x i8] zeroinitializer, align 64
@dlc_pool_wake = internal global [64 x i8] zeroinitializer, align 64
@dlc_pool_done = internal global [64 x i8] zeroinitializer, align 64
@dlc_pool_claim = internal global i64 0, align 64
@dlc_pool_finished = internal global i64 0, align 64
@dlc_pool_generation = internal global i64 0, align 64
@dlc_pool_busy = internal global i32 0, align 64
@dlc_pool_fn = internal global ptr null, align 8
@dlc_pool_ctx = internal global ptr null, align 8
@dlc_pool_n = internal global i64 0, align 8
@dlc_pool_chunks = internal global i64 0, align 8
@dlc_pool_workers = internal global i64 0, align 8
@dlc_pool_pid = internal global i32 0, align 4
@dlc_default_threads_value = internal global i64 0, align 8
"""


def _c_string(name: str, text: str) -> str:
    """A private global holding ``text`` as a NUL-terminated C string."""
    data = text.encode() + b"\0"
    escaped = "".join(
        chr(b) if 32 <= b < 127 and chr(b) not in '"\\' else f"\\{b:02X}" for b in data
    )
    return f'@{name} = private constant [{len(data)} x i8] c"{escaped}"\n'


_RUN_CHUNKS = """
; Claim chunks of generation %gen until none is left; run each.
define internal void @dlc_run_chunks(i64 %gen, ptr %fn, ptr %ctx, i64 %n, i64 %chunks) {
entry:
  %q = udiv i64 %n, %chunks
  %r = urem i64 %n, %chunks
  br label %claim
claim:
  %v = load atomic i64, ptr @dlc_pool_claim acquire, align 8
  %vgen = lshr i64 %v, 32
  %current = icmp eq i64 %vgen, %gen
  br i1 %current, label %check, label %exit
check:
  %c = and i64 %v, 4294967295
  %left = icmp ult i64 %c, %chunks
  br i1 %left, label %take, label %exit
take:
  %next = add i64 %v, 1
  %pair = cmpxchg ptr @dlc_pool_claim, i64 %v, i64 %next acq_rel acquire
  %taken = extractvalue { i64, i1 } %pair, 1
  br i1 %taken, label %run, label %claim
run:
  %cq = mul i64 %c, %q
  %longer = icmp ult i64 %c, %r
  %before = select i1 %longer, i64 %c, i64 %r
  %begin = add i64 %cq, %before
  %extra = zext i1 %longer to i64
  %size = add i64 %q, %extra
  %end = add i64 %begin, %size
  call void %fn(ptr %ctx, i64 %begin, i64 %end)
  %done = atomicrmw add ptr @dlc_pool_finished, i64 1 acq_rel
  %done1 = add i64 %done, 1
  %last = icmp eq i64 %done1, %chunks
  br i1 %last, label %signal, label %claim
signal:
  call i32 @pthread_mutex_lock(ptr @dlc_pool_lock)
  call i32 @pthread_mutex_unlock(ptr @dlc_pool_lock)
  call i32 @pthread_cond_broadcast(ptr @dlc_pool_done)
  br label %exit
exit:
  ret void
}
"""


def _worker() -> str:
    return f"""
; A pool thread: wait for a new generation (spin, then sleep), run its chunks.
define internal ptr @dlc_worker(ptr %arg) {{
entry:
  %start = ptrtoint ptr %arg to i64
  br label %idle
idle:
  %seen = phi i64 [ %start, %entry ], [ %gen, %take ]
  br label %spin
spin:
  %i = phi i64 [ 0, %idle ], [ %i1, %again ]
  %g = load atomic i64, ptr @dlc_pool_generation monotonic, align 8
  %new = icmp ne i64 %g, %seen
  br i1 %new, label %lock, label %again
again:
  {_pause()}
  %i1 = add i64 %i, 1
  %more = icmp ult i64 %i1, {SPIN_ITERATIONS}
  br i1 %more, label %spin, label %lock
lock:
  call i32 @pthread_mutex_lock(ptr @dlc_pool_lock)
  br label %check
check:
  %gen = load atomic i64, ptr @dlc_pool_generation monotonic, align 8
  %same = icmp eq i64 %gen, %seen
  br i1 %same, label %sleep, label %take
sleep:
  call i32 @pthread_cond_wait(ptr @dlc_pool_wake, ptr @dlc_pool_lock)
  br label %check
take:
  %fn = load ptr, ptr @dlc_pool_fn, align 8
  %ctx = load ptr, ptr @dlc_pool_ctx, align 8
  %n = load i64, ptr @dlc_pool_n, align 8
  %chunks = load i64, ptr @dlc_pool_chunks, align 8
  call i32 @pthread_mutex_unlock(ptr @dlc_pool_lock)
  %gen32 = and i64 %gen, 4294967295
  call void @dlc_run_chunks(i64 %gen32, ptr %fn, ptr %ctx, i64 %n, i64 %chunks)
  br label %idle
}}
"""


def _ensure_workers() -> str:
    return f"""
; Make sure min(%wanted, MAX_WORKERS) workers exist; return how many do. A new
; process (the first call, or a forked child) sets the pool up first.
define internal i64 @dlc_ensure_workers(i64 %wanted) {{
entry:
  %tid = alloca i64, align 8
  %pid = call i32 @getpid()
  %owner = load i32, ptr @dlc_pool_pid, align 4
  %fresh = icmp ne i32 %pid, %owner
  br i1 %fresh, label %init, label %grow
init:
  call i32 @pthread_mutex_init(ptr @dlc_pool_lock, ptr null)
  call i32 @pthread_cond_init(ptr @dlc_pool_wake, ptr null)
  call i32 @pthread_cond_init(ptr @dlc_pool_done, ptr null)
  store i64 0, ptr @dlc_pool_workers, align 8
  store i32 %pid, ptr @dlc_pool_pid, align 4
  br label %grow
grow:
  %capped = icmp ult i64 %wanted, {MAX_WORKERS}
  %target = select i1 %capped, i64 %wanted, i64 {MAX_WORKERS}
  br label %loop
loop:
  %have = load i64, ptr @dlc_pool_workers, align 8
  %enough = icmp uge i64 %have, %target
  br i1 %enough, label %exit, label %create
create:
  %gen = load atomic i64, ptr @dlc_pool_generation monotonic, align 8
  %arg = inttoptr i64 %gen to ptr
  %rc = call i32 @pthread_create(ptr %tid, ptr null, ptr @dlc_worker, ptr %arg)
  %failed = icmp ne i32 %rc, 0
  br i1 %failed, label %exit, label %created
created:
  %thread = load i64, ptr %tid, align 8
  call i32 @pthread_detach(i64 %thread)
  %have1 = add i64 %have, 1
  store i64 %have1, ptr @dlc_pool_workers, align 8
  br label %loop
exit:
  %count = load i64, ptr @dlc_pool_workers, align 8
  ret i64 %count
}}
"""


def _default_threads() -> str:
    nprocessors = _SC_NPROCESSORS_ONLN.get(sys.platform, 84)
    return f"""
; $DLC_NUM_THREADS if positive, else the online CPUs; computed once.
define internal i64 @dlc_default_threads() {{
entry:
  %cached = load atomic i64, ptr @dlc_default_threads_value monotonic, align 8
  %known = icmp sgt i64 %cached, 0
  br i1 %known, label %exit, label %environment
environment:
  %text = call ptr @getenv(ptr @dlc_threads_variable)
  %unset = icmp eq ptr %text, null
  br i1 %unset, label %cpus, label %parse
parse:
  %value = call i64 @strtol(ptr %text, ptr null, i32 10)
  %positive = icmp sgt i64 %value, 0
  br i1 %positive, label %store, label %cpus
cpus:
  %online = call i64 @sysconf(i32 {nprocessors})
  %some = icmp sgt i64 %online, 0
  %count = select i1 %some, i64 %online, i64 1
  br label %store
store:
  %chosen = phi i64 [ %value, %parse ], [ %count, %cpus ]
  store atomic i64 %chosen, ptr @dlc_default_threads_value monotonic, align 8
  br label %exit
exit:
  %threads = phi i64 [ %cached, %entry ], [ %chosen, %store ]
  ret i64 %threads
}}
"""


def _parallel_for() -> str:
    return f"""
define void @{PARALLEL_FOR}(ptr %fn, ptr %ctx, i64 %n, i64 %threads) {{
entry:
  %empty = icmp sle i64 %n, 0
  br i1 %empty, label %exit, label %count
count:
  %given = icmp sgt i64 %threads, 0
  br i1 %given, label %chunking, label %default
default:
  %fallback = call i64 @dlc_default_threads()
  br label %chunking
chunking:
  %t = phi i64 [ %threads, %count ], [ %fallback, %default ]
  %fewer = icmp slt i64 %t, %n
  %chunks = select i1 %fewer, i64 %t, i64 %n
  %alone = icmp sle i64 %chunks, 1
  br i1 %alone, label %inline, label %acquire
acquire:
  %busy = cmpxchg ptr @dlc_pool_busy, i32 0, i32 1 acquire monotonic
  %owner = extractvalue {{ i32, i1 }} %busy, 1
  br i1 %owner, label %start, label %inline
inline:
  call void %fn(ptr %ctx, i64 0, i64 %n)
  br label %exit
start:
  %helpers = sub i64 %chunks, 1
  %workers = call i64 @dlc_ensure_workers(i64 %helpers)
  %none = icmp eq i64 %workers, 0
  br i1 %none, label %give_up, label %publish
give_up:
  store atomic i32 0, ptr @dlc_pool_busy release, align 4
  br label %inline
publish:
  call i32 @pthread_mutex_lock(ptr @dlc_pool_lock)
  %old = load atomic i64, ptr @dlc_pool_generation monotonic, align 8
  %gen = add i64 %old, 1
  store ptr %fn, ptr @dlc_pool_fn, align 8
  store ptr %ctx, ptr @dlc_pool_ctx, align 8
  store i64 %n, ptr @dlc_pool_n, align 8
  store i64 %chunks, ptr @dlc_pool_chunks, align 8
  store atomic i64 0, ptr @dlc_pool_finished monotonic, align 8
  %gen32 = and i64 %gen, 4294967295
  %claim = shl i64 %gen32, 32
  store atomic i64 %claim, ptr @dlc_pool_claim release, align 8
  store atomic i64 %gen, ptr @dlc_pool_generation release, align 8
  call i32 @pthread_mutex_unlock(ptr @dlc_pool_lock)
  call i32 @pthread_cond_broadcast(ptr @dlc_pool_wake)
  call void @dlc_run_chunks(i64 %gen32, ptr %fn, ptr %ctx, i64 %n, i64 %chunks)
  br label %spin
spin:
  %i = phi i64 [ 0, %publish ], [ %i1, %again ]
  %finished = load atomic i64, ptr @dlc_pool_finished acquire, align 8
  %all = icmp eq i64 %finished, %chunks
  br i1 %all, label %release, label %again
again:
  {_pause()}
  %i1 = add i64 %i, 1
  %more = icmp ult i64 %i1, {SPIN_ITERATIONS}
  br i1 %more, label %spin, label %lock
lock:
  call i32 @pthread_mutex_lock(ptr @dlc_pool_lock)
  br label %wait
wait:
  %finished2 = load atomic i64, ptr @dlc_pool_finished acquire, align 8
  %all2 = icmp eq i64 %finished2, %chunks
  br i1 %all2, label %unlock, label %sleep
sleep:
  call i32 @pthread_cond_wait(ptr @dlc_pool_done, ptr @dlc_pool_lock)
  br label %wait
unlock:
  call i32 @pthread_mutex_unlock(ptr @dlc_pool_lock)
  br label %release
release:
  store atomic i32 0, ptr @dlc_pool_busy release, align 4
  br label %exit
exit:
  ret void
}}
"""


_CHECK_ALLOCATION = f"""
define void @{CHECK_ALLOCATION}(ptr %pointer, i64 %bytes) {{
entry:
  %failed = icmp eq ptr %pointer, null
  br i1 %failed, label %report, label %fine
report:
  call i32 (i32, ptr, ...) @dprintf(i32 2, ptr @dlc_oom_message, i64 %bytes)
  call void @abort()
  unreachable
fine:
  ret void
}}
"""


@cache
def runtime_ir() -> str:
    """The runtime as LLVM IR for this machine (see the module docstring)."""
    return "".join(
        (
            _declarations(),
            _STATE,
            _c_string("dlc_threads_variable", "DLC_NUM_THREADS"),
            _c_string(
                "dlc_oom_message",
                "dlc: out of memory: cannot allocate %lld bytes of temporaries\n",
            ),
            _RUN_CHUNKS,
            _worker(),
            _ensure_workers(),
            _default_threads(),
            _parallel_for(),
            _CHECK_ALLOCATION,
        )
    )


def uses_runtime(llvm_ir: str) -> bool:
    """Whether ``llvm_ir`` (may) call into the runtime: it names a runtime function."""
    return any(name in llvm_ir for name in RUNTIME_FUNCTIONS)


def link_runtime(module: llvm.ModuleRef) -> None:
    """Link the runtime into ``module`` (ahead of time), private to it.

    The runtime's functions become internal, so that a shared library does not
    export them and two libraries never share (or fight over) one pool.
    """
    runtime = llvm.parse_assembly(runtime_ir())
    runtime.triple = module.triple
    runtime.data_layout = module.data_layout
    module.link_in(runtime)
    for name in RUNTIME_FUNCTIONS:
        module.get_function(name).linkage = llvm.Linkage.internal


def load_into_jit() -> dict[str, int]:
    """Compile the runtime once for this process; make it visible to every JIT.

    Returns the address of each runtime function. The engine stays alive for the
    life of the process: the pool's threads run its code. Compiling two engines
    (two threads compiling at once) would make two pools, hence the lock.
    """
    with _LOCK:
        if not _ADDRESSES:
            target_machine = host_target_machine(3, jit=True)
            module = optimized_module(runtime_ir(), target_machine, 3)
            engine = llvm.create_mcjit_compiler(module, target_machine)
            engine.finalize_object()
            for name in RUNTIME_FUNCTIONS:
                _ADDRESSES[name] = engine.get_function_address(name)
                llvm.add_symbol(name, _ADDRESSES[name])
            _ENGINES.append(engine)
        return dict(_ADDRESSES)


_LOCK = threading.Lock()
_ADDRESSES: dict[str, int] = {}
_ENGINES: list[llvm.ExecutionEngine] = []
"""Keeps the runtime's engine (and with it the pool's code) alive."""
