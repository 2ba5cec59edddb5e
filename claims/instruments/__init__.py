"""Instruments: building blocks a reviewer composes into checks for any argument about learning.

activations (torch and SymPy forms), layers, nets, residual, gated, backprop (small networks with
every preactivation exposed), optimizers (real torch optimizer steps, with options, parameter
groups and None gradients), training (a multi-step MLP trainer keeping every step's exact
gradient), finite_difference (autograd vs central differences, by gradcheck), strategies (Hypothesis),
symbolic (SymPy that never takes "undecided" for proved), certified (Arb ball arithmetic),
statistics (intervals and decision rules), gradient_share.
Nothing here knows a particular source text or claim.
"""
