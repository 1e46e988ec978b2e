"""Bad ONNX files never crash dlc: mutants of valid models through the importer.

Each mutant (tests/fuzz/onnx_mutate.py: damaged bytes, wrong dims and element
types, broken wiring, unknown ops, bad attributes and initializers, wrong
``--input-shape`` values) goes through ``dlc-import-onnx`` and
``dlc.frontends.onnx.import_model``, which must import it or fail with a clean
diagnostic; an imported model goes on through dlc.compile, the callable on good
and bad arguments (wrong shapes, dtypes, counts) and dlc-run --check. This is the
CI-sized run over the exported seeds; ``python bench/fuzz_mutants.py --onnx
--count 5000`` is the long one, over ONNX's node test models too.

Failures of a known bug, each pinned by a strict xfail in tests/regressions/, are
counted apart (:data:`KNOWN_BUGS`): when the bug is fixed, its regression test
passes, fails as strict, and its entry here goes.
"""

from __future__ import annotations

import functools

from tests.fuzz.harness import Check, MutantResult, Outcome, run_mutants
from tests.fuzz.onnx_mutate import check_onnx_mutant, make_onnx_mutant

CI_MUTANTS = 150
CI_BASE_SEED = 0

KNOWN_BUGS: dict[str, str] = {}
"""Failure signatures (prefixes) of known importer bugs, and their regression test."""


def known(check: Check) -> bool:
    signature = check.signature.removeprefix("error: ")
    return any(signature.startswith(prefix) for prefix in KNOWN_BUGS)


def describe(result: MutantResult) -> str:
    mutant = result.mutant
    checks = "\n".join(f"--- {c.name}\n{c.detail}" for c in result.failures)
    return f"mutant {mutant.index} of {mutant.seed} ({mutant.mutations}):\n{checks}"


def test_a_mutant_is_the_same_on_every_call():
    make = functools.partial(make_onnx_mutant, seeds="exported")
    assert make(17, 3) == make(17, 3)
    assert make(17, 3) != make(18, 3)


def test_onnx_mutants_import_or_fail_with_a_clean_diagnostic():
    make = functools.partial(make_onnx_mutant, seeds="exported")
    results = list(
        run_mutants(
            range(CI_MUTANTS),
            CI_BASE_SEED,
            jobs=2,
            timeout=120,
            make=make,
            check=check_onnx_mutant,
        )
    )
    assert len(results) == CI_MUTANTS
    unknown = [r for r in results if any(not known(check) for check in r.failures)]
    assert not unknown, "\n\n".join(describe(r) for r in unknown[:3])
    outcomes = {r.outcome for r in results}
    assert {Outcome.SUCCEEDED, Outcome.DIAGNOSTIC} <= outcomes
    compiled = [r for r in results if any(c.name == "call" for c in r.checks)]
    assert len(compiled) >= CI_MUTANTS // 20
