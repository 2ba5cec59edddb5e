"""activation-scaling: the chain-rule identity, proved for symbolic sizes and exhaustively small ones."""

import itertools

import pytest
import sympy

from claims.instruments.layers import LINEAR_MAPS

m, n = sympy.symbols("m n", integer=True, positive=True)
i, k, j = sympy.symbols("i k j", integer=True, nonnegative=True)
EXPLICIT_SIZES = list(itertools.product(range(1, 5), repeat=2))


def linear_map(weight, inputs):
    return LINEAR_MAPS["linear"].sympy_fn(weight, inputs)


def symbolic_size_proof() -> sympy.Expr:
    """Σ_i g_i ∂y_i/∂W[k, j] for y = W a of symbolic size; g stands for ∂L/∂y."""
    weight, inputs = sympy.MatrixSymbol("W", m, n), sympy.MatrixSymbol("a", n, 1)
    upstream = sympy.MatrixSymbol("g", m, 1)
    outputs = linear_map(weight, inputs)
    partial = sympy.diff(outputs[i, 0], weight[k, j]).doit()
    return (
        sympy.simplify(sympy.Sum(upstream[i, 0] * partial, (i, 0, m - 1)).doit()),
        upstream,
        inputs,
    )


@pytest.mark.claim("activation-scaling/chain-rule-identity", kind="symbolic")
def test_outgoing_weight_gradient_is_error_signal_times_activation(measurements):
    # Symbolic sizes: the chain rule collapses the Kronecker delta to g_k a_j for every m, n.
    chained, upstream, inputs = symbolic_size_proof()
    expected = upstream[k, 0] * inputs[j, 0]
    assert sympy.simplify(chained - expected) == 0, f"symbolic sizes: {chained} != {expected}"
    # Explicit sizes with an undefined L: nothing about the loss is assumed.
    for rows, cols in EXPLICIT_SIZES:
        weight = sympy.Matrix(rows, cols, lambda r, c: sympy.Symbol(f"w_{r}_{c}", real=True))
        inputs_explicit = sympy.Matrix(cols, 1, lambda r, _: sympy.Symbol(f"a_{r}", real=True))
        ys = sympy.symbols(f"y0:{rows}", real=True)
        loss = sympy.Function("L")(*ys)
        outputs = linear_map(weight, inputs_explicit)
        composed = loss.subs(dict(zip(ys, outputs, strict=True)))
        for row, col in itertools.product(range(rows), range(cols)):
            lhs = sympy.diff(composed, weight[row, col])
            rhs = (
                sympy.diff(loss, ys[row]).subs(dict(zip(ys, outputs, strict=True)))
                * inputs_explicit[col]
            )
            assert sympy.simplify(lhs - rhs) == 0, (
                f"size {rows}x{cols}, W[{row},{col}]: {lhs} != {rhs}"
            )
            measurements.count("explicit_entries_proved")
    measurements.record("largest_explicit_size", max(r * c for r, c in EXPLICIT_SIZES), "entries")
