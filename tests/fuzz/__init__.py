"""Mutation fuzzing: valid IR is damaged at random (mutate.py) and run through every
user-facing entry point (harness.py); bad input must give a clean diagnostic, never a
traceback, a hang or a crash. tests/test_fuzz_mutants.py is the CI-sized run,
bench/fuzz_mutants.py the long one."""
