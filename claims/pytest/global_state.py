"""The global torch state a claim test must leave as it found it (docs/integrity.md, "A report that
cannot lie").

A test that changes the default dtype, draws from the global random generator, turns off grad
mode or switches deterministic algorithms changes what every later test in its process computes:
with the default dtype left at float64, an expected-FAILS test of float32 rounding later in the
run passed (XPASS) when the order was reversed. The plugin snapshots this state before each
claim test and compares it after; a difference is the test's ERROR, one line naming what
changed, and the state is put back so the tests after it run as they would have.
"""

from __future__ import annotations

from typing import Any


def snapshot() -> dict[str, Any]:
    """Default dtype, the CPU (and, once CUDA is in use, every CUDA device's) random generator
    state, grad mode and the deterministic-algorithms flags."""
    import torch

    state = {
        "default dtype": torch.get_default_dtype(),
        "torch random state": torch.get_rng_state(),
        "grad mode": torch.is_grad_enabled(),
        "deterministic algorithms": (
            torch.are_deterministic_algorithms_enabled(),
            torch.is_deterministic_algorithms_warn_only_enabled(),
        ),
    }
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state["CUDA random state"] = torch.cuda.get_rng_state_all()
    return state


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two snapshots, each as 'name (before -> after)' or its name."""
    found = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if not _same(old, new):
            tensors = _is_tensor(old) or isinstance(old, list)
            found.append(name if tensors else f"{name} ({old} -> {new})")
    return found


def restore(state: dict[str, Any]) -> None:
    """Put back what ``snapshot`` recorded."""
    import torch

    torch.set_default_dtype(state["default dtype"])
    torch.set_rng_state(state["torch random state"])
    torch.set_grad_enabled(state["grad mode"])
    enabled, warn_only = state["deterministic algorithms"]
    torch.use_deterministic_algorithms(enabled, warn_only=warn_only)
    if "CUDA random state" in state:
        torch.cuda.set_rng_state_all(state["CUDA random state"])


def _is_tensor(value: Any) -> bool:
    return type(value).__name__ == "Tensor"


def _same(old: Any, new: Any) -> bool:
    import torch

    if _is_tensor(old) or _is_tensor(new):
        return _is_tensor(old) and _is_tensor(new) and torch.equal(old, new)
    if isinstance(old, list) or isinstance(new, list):
        return (
            isinstance(old, list)
            and isinstance(new, list)
            and len(old) == len(new)
            and all(torch.equal(a, b) for a, b in zip(old, new, strict=True))
        )
    return old == new
