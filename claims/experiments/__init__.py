"""Experiments and models of one argument: "Did Claude 3 Opus align itself via gradient hacking?".

policies, reinforcement, factorial, schedules, random_policies (twin circuits and random policies
under REINFORCE), tiny_transformer (a two-mechanism transformer), minilm (all-MiniLM-L6-v2, a real
GELU encoder), reinforcement_figures. They take their design constants (seeds, steps, margins) as
arguments from the catalog; another argument's experiments get a package of their own.
"""
