"""Frontends: models from other frameworks turned into nn-dialect modules.

Each frontend is a package named after its format (:mod:`dlc.frontends.onnx`). It
produces an ordinary ``builtin.module`` of ``func.func`` and ``nn`` ops, the same IR
a user writes by hand, so that everything after the import (dlc-opt, dlc-run,
``dlc.compile``) works on it unchanged.
"""
