"""Hypothesis profiles for the property tests.

``ci`` (the default) keeps the whole property run to about a minute on two cores
and is derandomized: each test draws the same examples on every run, so a red CI
is a change's fault, never a new draw's. ``long`` is random and deep, for hunting
bugs before a commit: ``pytest --hypothesis-profile=long tests``.
"""

from hypothesis import settings

settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile("ci")
