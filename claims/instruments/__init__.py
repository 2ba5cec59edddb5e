"""Instruments: building blocks a reviewer composes into checks for any argument about learning.

activations (torch and SymPy forms), layers, nets, residual, gated, backprop (small networks with
every preactivation exposed), optimizers (real torch optimizer steps), strategies (Hypothesis),
symbolic (SymPy that never takes "undecided" for proved), certified (Arb ball arithmetic),
statistics (intervals and decision rules), gradient_share, parametrize (tests per grid cell).
Nothing here knows a particular source text or claim.
"""
