"""Bad input never crashes dlc: mutants of valid IR through every entry point.

Each mutant (see tests/fuzz/mutate.py) goes through dlc-opt three ways, dlc.compile,
the compiled callable on good and bad arguments, and dlc-run --check (see
tests/fuzz/harness.py). Every run must succeed or fail with a clean diagnostic; a
traceback, an internal compiler error, a hang or a crashed process fails the test.
This is the CI-sized run; ``python bench/fuzz_mutants.py --count 10000`` is the
long one.
"""

from __future__ import annotations

import dlc
from tests.fuzz.harness import MutantResult, Outcome, run_mutants
from tests.fuzz.mutate import make_mutant
from tests.fuzz.seeds import all_seeds

CI_MUTANTS = 800
CI_BASE_SEED = 0


def describe(result: MutantResult) -> str:
    mutant = result.mutant
    checks = "\n".join(f"--- {c.name}\n{c.detail}" for c in result.failures)
    return (
        f"mutant {mutant.index} of {mutant.seed} ({', '.join(mutant.mutations)}):\n"
        f"{mutant.text}\n{checks}"
    )


def test_every_seed_is_valid_ir():
    for seed in all_seeds():
        dlc.parse(seed.text, seed.name)


def test_a_mutant_is_the_same_on_every_call():
    assert make_mutant(17, 3) == make_mutant(17, 3)
    assert make_mutant(17, 3) != make_mutant(18, 3)


def test_mutants_succeed_or_fail_with_a_clean_diagnostic():
    results = list(run_mutants(range(CI_MUTANTS), CI_BASE_SEED, jobs=2, timeout=60))
    assert len(results) == CI_MUTANTS
    failures = [r for r in results if r.outcome is Outcome.FAILURE]
    assert not failures, "\n\n".join(describe(r) for r in failures[:3])
    outcomes = {r.outcome for r in results}
    assert outcomes == {Outcome.SUCCEEDED, Outcome.DIAGNOSTIC}
    ran_native = [r for r in results if any(c.name == "call" for c in r.checks)]
    assert len(ran_native) >= CI_MUTANTS // 50
