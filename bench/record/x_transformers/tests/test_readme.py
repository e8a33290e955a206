# README-style calls of x_transformers 2.31.10 models, on CPU, with tiny sizes.
#
# Every model is called twice, with a different batch size and/or sequence length.
# Python's `random` is seeded too, since several wrappers draw from it.
#
# Listed lines not executed here: none.
#
# Deviations from the README examples:
# - UniversalPretrainWrapper is given a tiny data generator (TinyDataGenerator below): the default
#   SyntheticDataGenerator.generate is decorated with @torch.compile, which would compile inside the test.
# - EntropyBasedTokenizer, NextLatentWrapper, XMLatentDecoder, UniversalPretrainWrapper and the
#   NonAutoregressiveWrapper critic are not in the README; they are called as their docstrings /
#   `__main__` blocks show.
#
# Note: x_transformers imports torch_einops_utils (>= 0.1.41, a declared dependency);
# it has to be importable next to the sources for these tests to run at all.

import random

import pytest
import torch
from torch import nn

from x_transformers import (
    TransformerWrapper,
    Decoder,
    AutoregressiveWrapper,
    BeliefStateWrapper,
    NextLatentWrapper,
    NonAutoregressiveWrapper,
    ContinuousTransformerWrapper,
    ContinuousAutoregressiveWrapper,
    XValTransformerWrapper,
    XValAutoregressiveWrapper,
    XLAutoregressiveWrapper,
    EntropyBasedTokenizer,
    Encoder
)

from x_transformers.up_wrapper import UniversalPretrainWrapper
from x_transformers.xm_latent_decoder import XMLatentDecoder

@pytest.fixture(autouse = True)
def seed():
    torch.manual_seed(0)
    random.seed(0)

# autoregressive_wrapper.py:691 (continuous next embed loss), x_transformers.py:3646 (layer dropout)

def test_autoregressive_continuous_pred_head_and_layer_dropout():
    model = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 32,
        add_continuous_pred_head = True,
        attn_layers = Decoder(
            dim = 32,
            depth = 2,
            heads = 2,
            layer_dropout = 0.1   # stochastic depth - dropout entire layer
        )
    )

    model = AutoregressiveWrapper(model)
    model.train()

    for shape in ((1, 16), (2, 24)):
        x = torch.randint(0, 64, shape)
        loss = model(x)
        loss.backward()

# belief_state_wrapper.py:340, 383

def test_belief_state_wrapper():
    forward_model = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 32,
        attn_layers = Decoder(dim = 32, depth = 1, heads = 2)
    )

    backward_model = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 32,
        attn_layers = Decoder(dim = 32, depth = 1, heads = 2)
    )

    model = BeliefStateWrapper(
        forward_decoder = forward_model,
        backward_decoder = backward_model,
        pred_distance = True,
        cond_on_distance = True
    )

    for shape in ((1, 8), (2, 12)):
        seq = torch.randint(0, 64, shape)
        loss = model(seq)
        loss.backward()

# continuous.py:385 (rollout)

def test_continuous_autoregressive_rollout():
    model = ContinuousTransformerWrapper(
        dim_in = 8,
        dim_out = 8,
        max_seq_len = 32,
        attn_layers = Decoder(
            dim = 32,
            depth = 1,
            heads = 2
        )
    )

    model = ContinuousAutoregressiveWrapper(model)

    for shape in ((1, 12, 8), (2, 16, 8)):
        x = torch.randn(shape)
        loss = model(x, rollout_steps = 2)
        loss.backward()

    generated = model.generate(torch.randn(1, 8), 4)
    assert generated.shape == (4, 8)

# entropy_based_tokenizer.py:161, 182, 215

def test_entropy_based_tokenizer():
    model = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 32,
        attn_layers = Decoder(dim = 32, depth = 1, heads = 2)
    )

    tokenizer = EntropyBasedTokenizer(
        model,
        entropy_threshold = 2.5,
        max_token_size = 4
    )

    for shape in ((1, 16), (2, 20)):
        seq = torch.randint(0, 64, shape)

        token_lengths = tokenizer(seq)
        assert token_lengths.shape[0] == shape[0]

        segmented = tokenizer(seq, return_segmented_seq = True)
        assert len(segmented) == shape[0]

# next_latent_wrapper.py:112 (gru dynamics)

def test_next_latent_wrapper_gru():
    model = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 32,
        attn_layers = Decoder(dim = 32, depth = 1, heads = 2)
    )

    wrapper = NextLatentWrapper(
        model,
        dim = 32,
        num_rollouts = 2,
        dynamics_type = 'gru'
    )

    for shape in ((1, 12), (2, 16)):
        token_ids = torch.randint(0, 64, shape)
        loss = wrapper(token_ids)
        loss.backward()

# nonautoregressive_wrapper.py:54, 356, 362

def test_nonautoregressive_wrapper_with_self_critic():
    model = TransformerWrapper(
        num_tokens = 65,
        max_seq_len = 16,
        attn_layers = Encoder(dim = 32, depth = 1, heads = 2)
    )

    model = NonAutoregressiveWrapper(
        model,
        mask_id = 64,
        steps = 2,
        self_token_critic = True,
        use_simple_mdlm_loss_weight = False
    )

    for batch in (1, 2):
        seq = torch.randint(0, 64, (batch, 16))
        losses = model(seq)
        losses.loss.backward()

    generated = model.generate(batch_size = 1)
    assert generated.shape == (1, 16)

# up_wrapper.py:239 (reset of the data generator)

class TinyDataGenerator(nn.Module):
    # stands in for the default SyntheticDataGenerator, whose generate() is decorated with torch.compile

    def __init__(self, num_tokens):
        super().__init__()
        self.num_tokens = num_tokens
        self.to_logits = nn.Linear(1, num_tokens)

    def reset_(self):
        self.to_logits.reset_parameters()

    @torch.no_grad()
    def generate(self, length, seed = None, condition = None):
        return torch.randint(0, self.num_tokens, (condition.shape[0], length))

def test_universal_pretrain_wrapper():
    model = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 32,
        attn_layers = Decoder(dim = 32, depth = 1, heads = 2)
    )

    for batch_size, seq_len in ((2, 16), (4, 24)):
        wrapper = UniversalPretrainWrapper(
            model,
            data_generator = TinyDataGenerator(64),
            batch_size = batch_size,
            seq_len = seq_len,
            seed_length = 4,
            num_reset = 2,
            reset_turing_machine_every = 1
        )

        loss = wrapper()
        loss.backward()

# xl_autoregressive_wrapper.py:473 (test time training update)

def test_xl_autoregressive_wrapper_ttt():
    model_xl = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 8,
        max_mem_len = 16,
        attn_layers = Decoder(
            dim = 32,
            depth = 1,
            heads = 2,
            rotary_pos_emb = True
        )
    )

    xl_wrapper = XLAutoregressiveWrapper(
        model_xl,
        tbptt_steps = 2,
        ttt_module_paths = ('attn_layers.layers.1.1.ff.2',)
    )

    for shape in ((1, 25), (2, 17)):
        seg = torch.randint(0, 64, shape)  # sequence exceeding max length, automatically segmented and memory managed
        loss = xl_wrapper(seg)
        loss.backward()

# xm_latent_decoder.py:237 (latent dropout during training)

def test_xm_latent_decoder_latent_drop():
    model = TransformerWrapper(
        num_tokens = 64,
        max_seq_len = 32,
        attn_layers = Decoder(dim = 32, depth = 1, heads = 2)
    )

    decoder = XMLatentDecoder(
        model,
        num_latents = 2,
        candidates = 2,
        latent_drop_prob = 0.5
    )

    decoder.train()

    for shape in ((1, 12), (2, 16)):
        seq = torch.randint(0, 64, shape)

        for _ in range(2):
            loss = decoder(seq)
            loss.mean().backward()

# xval.py:304

def test_xval_autoregressive_wrapper():
    model = XValTransformerWrapper(
        num_tokens = 4,
        numerical_token_id = 3,
        max_seq_len = 32,
        attn_layers = Decoder(
            dim = 32,
            depth = 1,
            heads = 2
        )
    )

    model = XValAutoregressiveWrapper(model)

    for shape in ((1, 17), (2, 23)):
        ids = torch.randint(0, 4, shape)
        nums = torch.randn(shape)

        loss = model(ids, nums)
        loss.backward()

    start_ids = torch.randint(0, 4, (1, 1))
    start_nums = torch.randn(1, 1)

    ids_out, num_out, is_number_mask = model.generate(start_ids, start_nums, 4)
    assert ids_out.shape == (1, 4)
