"""Hypothesis profiles for the property tests.

``ci`` (the default) keeps the whole property run to about a minute on two cores;
``long`` is for hunting bugs: ``pytest --hypothesis-profile=long tests``.
"""

from hypothesis import settings

settings.register_profile("ci", max_examples=50, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile("ci")
