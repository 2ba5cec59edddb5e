"""A tiny random Llama for the chat-model instrument tests (tests/experiments/conftest.py's
fixtures drive it with the real tokenizer).

Built in-process from a LlamaConfig (seeded; nothing is downloaded): SiLU-gated MLPs like
SmolLM2's, the real tokenizer's vocabulary size so the real tokenizer drives it, a hidden size of
16 so a test costs milliseconds, and neuron 0 of each MLP planted inactive. Its answers are
gibberish; the tests check algebra (packing, gradients, hooks, sampling), not behaviour.
"""

from __future__ import annotations

import types

import torch

VOCAB = 49152  # SmolLM2's vocabulary, so its tokenizer's ids are valid


def tiny_llama(*, seed: int = 0, dtype: torch.dtype = torch.float32, layers: int = 2):
    """A randomly initialised 2-layer Llama (hidden 16, MLP 24, 4 heads, 2 KV heads), eval mode."""
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=VOCAB,
        hidden_size=16,
        intermediate_size=24,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=256,
        tie_word_embeddings=True,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=2,
    )
    model = LlamaForCausalLM(config)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        # Every matrix redrawn from the seed, N(0, 1/fan_in) rather than the 0.02 init, so
        # preactivations of both signs and non-trivial gradients reach every layer.
        for parameter in model.parameters():
            if parameter.dim() == 2:
                parameter.normal_(0.0, parameter.shape[1] ** -0.5, generator=generator)
        # A planted inactive neuron: every token embedding gets +10 in dimension 0 (the tied
        # unembedding then adds the same 10 h_0 to every logit, which softmax ignores), and
        # neuron 0 of every MLP reads -x_0, so its gate is negative on every token.
        model.model.embed_tokens.weight[:, 0] = 10.0
        for layer in model.model.layers:
            layer.mlp.gate_proj.weight[0] = 0.0
            layer.mlp.gate_proj.weight[0, 0] = -1.0
    if dtype == torch.float64:
        # LlamaRMSNorm computes in float32 (meant to upcast half precision), which would put
        # float32 rounding into a float64 model; this one keeps the input's dtype.
        for module in model.modules():
            if type(module).__name__ == "LlamaRMSNorm":
                module.forward = types.MethodType(_rms_norm_in_input_dtype, module)
    return model.to(dtype).eval()


def _rms_norm_in_input_dtype(self, hidden: torch.Tensor) -> torch.Tensor:
    variance = hidden.pow(2).mean(-1, keepdim=True)
    return self.weight * (hidden * torch.rsqrt(variance + self.variance_epsilon))
