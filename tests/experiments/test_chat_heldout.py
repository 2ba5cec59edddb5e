"""Held-out log-odds are exact probabilities of prefix-free answer forms; overlaps are Jaccard."""

import pytest
import torch

from claims.experiments.chat import heldout, prompts
from claims.experiments.chat.heldout import answer_forms, jaccard
from claims.experiments.chat.prompts import ChatPrompt
from claims.experiments.chat.sampling import prompt_ids

HELD_OUT = prompts.split("heldout", 4)


def test_every_shipped_prompt_has_prefix_free_answer_forms(tokenizer):
    for prompt in prompts.all_prompts():
        forms = answer_forms(tokenizer, prompt)
        assert forms and len(set(forms)) == len(forms), prompt
        for form in forms:
            assert not any(other != form and form[: len(other)] == other for other in forms)
            text = tokenizer.decode(list(form)).strip().lower()
            assert text in {a.lower() for a in prompt.answers}, (prompt, text)


def test_a_form_whose_tokens_start_with_another_form_is_dropped(tokenizer):
    # " four" and " fourteen"-like overlaps: " 4" is [" ", "4"] and " 44" is [" ", "4", "4"].
    prompt = ChatPrompt("heldout", "q", "It has", ("4", "44"))
    forms = answer_forms(tokenizer, prompt)
    assert forms == [tuple(tokenizer(" 4", add_special_tokens=False)["input_ids"])]


class MergingTokenizer:
    """A stub tokenizer that merges "is" and " blue" into one token."""

    def __call__(self, text, add_special_tokens=False):
        words = text.replace("is blue", "isblue").split(" ")
        return {"input_ids": [hash(w) % 1000 for w in words]}


def test_a_form_that_merges_with_the_lead_in_is_an_error_naming_the_prompt():
    prompt = ChatPrompt("heldout", "What colour?", "The sky is", ("blue",))
    with pytest.raises(ValueError, match="'What colour\\?': 'blue' merges with the lead-in"):
        answer_forms(MergingTokenizer(), prompt)


def test_answer_log_probabilities_equal_full_sequence_sums(tiny_chat):
    found = heldout.answer_log_probabilities(tiny_chat, HELD_OUT)
    for h, prompt in enumerate(HELD_OUT):
        context = heldout.context_ids(tiny_chat.tokenizer, prompt)
        per_form = []
        for form in answer_forms(tiny_chat.tokenizer, prompt):
            with torch.no_grad():
                logits = tiny_chat.model(input_ids=torch.tensor([context + list(form)])).logits[0]
            log_probs = torch.log_softmax(logits, dim=-1)
            per_form.append(sum(log_probs[len(context) + j - 1, t] for j, t in enumerate(form)))
        expected = torch.logsumexp(torch.stack(per_form), 0)
        assert float(found[h]) == pytest.approx(float(expected), rel=1e-10)


def test_log_odds_are_log_p_minus_log_one_minus_p(tiny_chat):
    log_p = heldout.answer_log_probabilities(tiny_chat, HELD_OUT)
    odds = heldout.answer_log_odds(tiny_chat, HELD_OUT)
    p = log_p.exp()
    torch.testing.assert_close(odds, (p / (1 - p)).log(), rtol=1e-9, atol=1e-9)


def test_the_template_prefix_is_the_system_message_and_user_header(tokenizer):
    skip = heldout.template_prefix_length(tokenizer)
    ids = prompt_ids(tokenizer, HELD_OUT[0].instruction)
    assert ids[:skip] == prompt_ids(tokenizer, "x")[:skip]
    assert tokenizer.decode(ids[:skip]).endswith("<|im_end|>\n<|im_start|>user\n")
    assert tokenizer.decode(ids[skip:]).startswith(HELD_OUT[0].instruction)


def test_jaccard_of_small_sets():
    a = torch.tensor([True, True, False, False])
    b = torch.tensor([True, False, True, False])
    assert jaccard(a, b) == 1 / 3
    assert jaccard(a, a) == 1.0
    assert jaccard(torch.zeros(3, dtype=torch.bool), torch.zeros(3, dtype=torch.bool)) == 1.0


def test_a_prompt_overlaps_itself_completely_and_counts_only_its_own_tokens(tiny_chat):
    prompt = HELD_OUT[0]
    assert heldout.active_set_overlaps(tiny_chat, [prompt], [prompt], min_activity=0.3) == [1.0]
    activity = heldout.prompt_activity(tiny_chat, [prompt])
    own = len(prompt_ids(tiny_chat.tokenizer, prompt.instruction)) - heldout.template_prefix_length(
        tiny_chat.tokenizer
    )
    assert set((activity * own).round().unique().tolist()) <= set(range(own + 1))
    assert activity[:, 0].max() == 0  # the planted inactive neuron
