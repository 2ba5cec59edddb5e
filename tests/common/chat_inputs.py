"""Hand-made inputs for the chat-model instrument tests: REINFORCE rollouts of prompts of
different lengths and answers of 1 to 5 tokens (so both passes are padded), prompts whose reward
the random tiny model earns about half the time, and a two-layer seed run with known updates."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from claims.experiments.chat.attribution import Attribution, Census
from claims.experiments.chat.experiment import SeedRun
from claims.experiments.chat.reinforce import NeuronUpdates, Training
from claims.experiments.chat.sampling import Rollouts

# Token ids of two prompts and eight answers (four samples each), and the answers' rewards.
PROMPT_IDS = ((1, 9690, 198, 2683, 359, 253, 198, 1, 520), (1, 9690, 198, 77, 1, 520, 9531))
ANSWER_IDS = (
    (35716, 3231, 2),
    (5,),
    (11, 12, 13, 14, 2),
    (300, 2),
    (7, 8),
    (2,),
    (9, 10, 11),
    (40,),
)
REWARDS = (1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0)


def rollouts(samples: int = 4) -> Rollouts:
    return Rollouts(0, samples, ("a", "b"), PROMPT_IDS, ANSWER_IDS, ("",) * 8, REWARDS, (0.0,) * 8)


@dataclass(frozen=True)
class ParityPrompt:
    """A prompt whose reward the random tiny model earns about half the time."""

    instruction: str

    def reward(self, completion: str) -> float:
        return float(len(completion) % 2 == 0)


PARITY_PROMPTS = [
    ParityPrompt(f"Say something about {word}.") for word in ("cats", "rain", "maps", "tea")
]


def hand_made_run(inactive_neurons: list[int]) -> SeedRun:
    """Two layers of four neurons; update of neuron j in layer i is 1 + 4 i + j."""
    updates = torch.arange(1.0, 9.0, dtype=torch.float64).reshape(2, 4)
    negative_counts = torch.zeros(2, 4, dtype=torch.long)
    open_counts = torch.tensor([[0, 1, 5, 10], [2, 10, 0, 3]])
    for j in inactive_neurons:
        negative_counts.view(-1)[j] = 10
    census = Census(
        tokens=10,
        neurons=4,
        negative=(0, 0),
        negative_slope_above_epsilon=(0, 0),
        negative_above_minus_t=(0, 0),
    )
    attribution = Attribution(census, open_counts, negative_counts, None, None, None)
    training = Training("adam", 1, 1e-3, [0.0], [0.0], NeuronUpdates(updates, updates, updates))
    return SeedRun(
        0, None, attribution, {"adam": training}, torch.zeros(1), {"adam": torch.ones(1)}
    )
