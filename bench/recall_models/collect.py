#!/usr/bin/env python3
"""Where bare Dynamo really breaks the graph on real model code from pip-installed libraries.

    python3 bench/recall_models/collect.py                 # every model (about 15 minutes on 2 cores)
    python3 bench/recall_models/collect.py --only transformers/mixtral vit_pytorch/cait
    python3 bench/recall_models/collect.py --list          # the model ids

The reference the static layer's recall is scored against (issue 29). Each model is a library's
own class built from its own constructor with tiny sizes, put in eval mode and called under
``torch.no_grad()`` with small CPU inputs: once eagerly (a model that fails there is recorded as
``eager-failed`` and skipped), then, after ``torch._dynamo.reset()``, through
``torch._dynamo.explain(model)(*args, **kwargs)`` (Dynamo's tracing with an eager backend: nothing
is lowered) while ``torch._logging.set_logs(graph_breaks=True)`` feeds a logging handler, since
explain misses the breaks that make Dynamo skip a whole frame. Every model runs in its own
subprocess (``nice -n 10``, one at a time, 120 s timeout) of a venv made once, with exact pins, at
``~/.cache/compile-audit/recall-models-venv``. Nothing here is written to produce breaks: the code
that breaks is the libraries'.

Each break is placed at the innermost frame inside the model's library (a path relative to
site-packages, e.g. ``transformers/models/mixtral/modeling_mixtral.py``); a break whose innermost
frame lies in another package (einops, torch itself) keeps that frame under ``via``.
Writes ``bench/recall_models/breaks.json`` (README.md beside this file says what it holds) and
prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "breaks.json"
VENV = Path.home() / ".cache" / "compile-audit" / "recall-models-venv"
TIMEOUT_S = 120

#: exact pins. torchvision is left out on purpose: its PyPI wheels are CUDA builds whose ops do
#: not load against the CPU torch (so `import torchvision` fails), and timm needs it; vit-pytorch's
#: package __init__ imports torchvision too, so its submodules are imported past that __init__.
PINS = {
    "torch": "2.13.0",
    "transformers": "4.46.3",
    "diffusers": "0.35.2",
    "x-transformers": "2.31.10",
    "vit-pytorch": "1.26.14",
    "monai": "1.6.1",
    "torch-geometric": "2.8.1",
    "kornia": "0.9.2",
    "vector-quantize-pytorch": "1.34.1",
}
#: installed without their dependencies: vit-pytorch requires torchvision (see above); einops, its
#: other dependency, comes with x-transformers
NO_DEPS = ("vit-pytorch",)
#: library (as pinned) -> its top-level packages in site-packages
PACKAGES = {
    "transformers": ("transformers",),
    "diffusers": ("diffusers",),
    "x-transformers": ("x_transformers",),
    "vit-pytorch": ("vit_pytorch",),
    "monai": ("monai",),
    "torch-geometric": ("torch_geometric",),
    "kornia": ("kornia",),
    "vector-quantize-pytorch": ("vector_quantize_pytorch",),
}
#: model-id prefix -> library
PREFIX = {"transformers": "transformers", "diffusers": "diffusers", "x_transformers": "x-transformers",
          "vit_pytorch": "vit-pytorch", "monai": "monai", "pyg": "torch-geometric", "kornia": "kornia",
          "vq": "vector-quantize-pytorch"}


# --------------------------------------------------------------------------------------------
# the venv


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> None:
    stamp = VENV / "recall-models-pins.json"
    recipe = {"pins": PINS, "no_deps": list(NO_DEPS), "without": ["torchvision"]}
    if stamp.exists() and json.loads(stamp.read_text()) == recipe:
        return
    if not venv_python().exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    reqs = [f"{name}=={version}" for name, version in PINS.items() if name not in NO_DEPS]
    print(f"collect: installing {' '.join(reqs)} into {VENV}", flush=True)
    pip = [str(venv_python()), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, *reqs], check=True)
    subprocess.run([*pip, "--no-deps", *(f"{name}=={PINS[name]}" for name in NO_DEPS)], check=True)
    # a torchvision some earlier install brought in breaks `import transformers` (is_torchvision_available)
    subprocess.run([str(venv_python()), "-m", "pip", "uninstall", "-q", "-y", "torchvision"], check=False,
                   capture_output=True)
    stamp.write_text(json.dumps(recipe))


# --------------------------------------------------------------------------------------------
# the models (built only in the child, inside the venv)

MODELS: dict[str, object] = {}


def model(model_id: str):
    def register(fn):
        assert model_id.split("/")[0] in PREFIX, model_id
        MODELS[model_id] = fn
        return fn
    return register


def _ids(n=8, vocab=128):
    import torch
    return torch.randint(4, vocab, (1, n))


# ---- transformers: a library class from its Config with tiny sizes, token/pixel/audio inputs

TXT = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, vocab_size=128,
           max_position_embeddings=64)


def _hf(model_cls, config_cls, inputs="text", **cfg):
    import torch
    import transformers as T
    config = getattr(T, config_cls)(**cfg)
    m = getattr(T, model_cls)(config)
    if inputs == "text":
        ids = _ids()
        return m, (), {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    if inputs == "text-noattn":
        return m, (), {"input_ids": _ids()}
    if inputs == "labels":
        ids = _ids()
        return m, (), {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids}
    if inputs == "seq2seq":
        ids = _ids()
        return m, (), {"input_ids": ids, "attention_mask": torch.ones_like(ids), "decoder_input_ids": _ids(4)}
    if inputs == "pixels":
        return m, (), {"pixel_values": torch.randn(1, cfg.get("num_channels", 3), 32, 32)}
    if inputs == "audio":
        return m, (), {"input_values": torch.randn(1, 1600)}
    raise ValueError(inputs)


def _register_transformers():
    dec = dict(TXT, num_key_value_heads=2)
    specs = {
        "llama": ("LlamaForCausalLM", "LlamaConfig", "labels", dec),
        "mistral": ("MistralModel", "MistralConfig", "text", dec),
        "mixtral": ("MixtralForCausalLM", "MixtralConfig", "labels", dict(dec, num_local_experts=4)),
        "qwen2": ("Qwen2Model", "Qwen2Config", "text", dec),
        "qwen2_moe": ("Qwen2MoeModel", "Qwen2MoeConfig", "text",
                      dict(dec, num_experts=4, num_experts_per_tok=2, moe_intermediate_size=32,
                           shared_expert_intermediate_size=32)),
        "olmoe": ("OlmoeModel", "OlmoeConfig", "text", dict(dec, num_experts=4, num_experts_per_tok=2)),
        "jetmoe": ("JetMoeModel", "JetMoeConfig", "text",
                   dict(hidden_size=32, num_hidden_layers=2, num_key_value_heads=2, kv_channels=16,
                        intermediate_size=64, vocab_size=128, num_local_experts=4, num_experts_per_tok=2)),
        "granitemoe": ("GraniteMoeModel", "GraniteMoeConfig", "text", dict(dec, num_local_experts=4, num_experts_per_tok=2)),
        "dbrx": ("DbrxModel", "DbrxConfig", "text",
                 dict(d_model=32, n_heads=2, n_layers=2, vocab_size=128, max_seq_len=64,
                      attn_config={"kv_n_heads": 2}, ffn_config={"moe_num_experts": 4, "moe_top_k": 2, "ffn_hidden_size": 64})),
        "phimoe": ("PhimoeModel", "PhimoeConfig", "text", dict(dec, num_local_experts=4, num_experts_per_tok=2)),
        "switch_transformers": ("SwitchTransformersModel", "SwitchTransformersConfig", "seq2seq",
                                dict(d_model=32, d_kv=16, d_ff=64, num_layers=2, num_decoder_layers=2, num_heads=2,
                                     num_experts=4, vocab_size=128, num_sparse_encoder_layers=1,
                                     num_sparse_decoder_layers=1)),
        "nllb_moe": ("NllbMoeModel", "NllbMoeConfig", "seq2seq",
                     dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                          decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, num_experts=4,
                          vocab_size=128, max_position_embeddings=64, expert_capacity=4)),
        "gemma2": ("Gemma2Model", "Gemma2Config", "text", dict(dec, head_dim=16)),
        "phi3": ("Phi3Model", "Phi3Config", "text", dict(dec, pad_token_id=0)),
        "falcon": ("FalconModel", "FalconConfig", "text", dict(TXT, num_kv_heads=2)),
        "bloom": ("BloomModel", "BloomConfig", "text", dict(hidden_size=32, n_layer=2, n_head=2, vocab_size=128)),
        "gpt_neox": ("GPTNeoXModel", "GPTNeoXConfig", "text", TXT),
        "gptj": ("GPTJModel", "GPTJConfig", "text", dict(n_embd=32, n_layer=2, n_head=2, rotary_dim=8, vocab_size=128, n_positions=64)),
        "codegen": ("CodeGenModel", "CodeGenConfig", "text", dict(n_embd=64, n_layer=2, n_head=4, rotary_dim=8, vocab_size=128, n_positions=64, n_ctx=64)),
        "mpt": ("MptModel", "MptConfig", "text", dict(d_model=32, n_heads=2, n_layers=2, vocab_size=128, max_seq_len=64)),
        "opt": ("OPTModel", "OPTConfig", "text", dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, ffn_dim=64, vocab_size=128, max_position_embeddings=64, word_embed_proj_dim=32)),
        "xglm": ("XGLMModel", "XGLMConfig", "text", dict(d_model=32, num_layers=2, attention_heads=2, ffn_dim=64, vocab_size=128, max_position_embeddings=64)),
        "ctrl": ("CTRLModel", "CTRLConfig", "text", dict(n_embd=32, n_layer=2, n_head=2, dff=64, vocab_size=128, n_positions=64)),
        "mamba": ("MambaModel", "MambaConfig", "text-noattn", dict(hidden_size=32, num_hidden_layers=2, state_size=4, vocab_size=128)),
        "rwkv": ("RwkvModel", "RwkvConfig", "text-noattn", dict(hidden_size=32, num_hidden_layers=2, attention_hidden_size=32, intermediate_size=64, vocab_size=128, context_length=64)),
        "reformer": ("ReformerModel", "ReformerConfig", "text",
                     dict(hidden_size=32, num_attention_heads=2, attention_head_size=16, feed_forward_size=64,
                          vocab_size=128, attn_layers=["local", "lsh"], axial_pos_shape=[4, 2],
                          axial_pos_embds_dim=[16, 16], max_position_embeddings=8, local_attn_chunk_length=4,
                          lsh_attn_chunk_length=4, num_buckets=2, is_decoder=False)),
        "xlnet": ("XLNetModel", "XLNetConfig", "text", dict(d_model=32, n_layer=2, n_head=2, d_inner=64, vocab_size=128)),
        "bert": ("BertForSequenceClassification", "BertConfig", "text", TXT),
        "albert": ("AlbertModel", "AlbertConfig", "text", dict(TXT, embedding_size=16)),
        "deberta_v2": ("DebertaV2Model", "DebertaV2Config", "text", dict(TXT, relative_attention=True, position_buckets=8, pos_att_type=["p2c", "c2p"])),
        "longformer": ("LongformerModel", "LongformerConfig", "text", dict(TXT, attention_window=4)),
        "big_bird": ("BigBirdModel", "BigBirdConfig", "text", dict(TXT, attention_type="block_sparse", block_size=2, num_random_blocks=1, max_position_embeddings=64)),
        "funnel": ("FunnelModel", "FunnelConfig", "text", dict(d_model=32, n_head=2, d_head=16, d_inner=64, block_sizes=[1, 1], vocab_size=128)),
        "canine": ("CanineModel", "CanineConfig", "text", dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64, num_hash_buckets=64, downsampling_rate=2, max_position_embeddings=64, local_transformer_stride=4)),
        "xlm": ("XLMModel", "XLMConfig", "text", dict(emb_dim=32, n_layers=2, n_heads=2, vocab_size=128, max_position_embeddings=64)),
        "luke": ("LukeModel", "LukeConfig", "text", dict(TXT, entity_vocab_size=16, entity_emb_size=16)),
        "nystromformer": ("NystromformerModel", "NystromformerConfig", "text", dict(TXT, num_landmarks=4, segment_means_seq_len=8)),
        "yoso": ("YosoModel", "YosoConfig", "text", dict(TXT, use_expectation=True)),
        "mra": ("MraModel", "MraConfig", "text", TXT),
        "esm": ("EsmModel", "EsmConfig", "text", dict(TXT, pad_token_id=1, position_embedding_type="rotary")),
        "tapas": ("TapasModel", "TapasConfig", "text", TXT),
        "t5": ("T5ForConditionalGeneration", "T5Config", "labels", dict(d_model=32, d_kv=16, d_ff=64, num_layers=2, num_heads=2, vocab_size=128, decoder_start_token_id=0, pad_token_id=0)),
        "bart": ("BartForConditionalGeneration", "BartConfig", "labels", dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, vocab_size=128, max_position_embeddings=64)),
        "prophetnet": ("ProphetNetModel", "ProphetNetConfig", "seq2seq", dict(hidden_size=32, encoder_ffn_dim=64, decoder_ffn_dim=64, num_encoder_layers=2, num_decoder_layers=2, num_encoder_attention_heads=2, num_decoder_attention_heads=2, vocab_size=128, max_position_embeddings=64, ngram=2, num_buckets=8)),
        "led": ("LEDModel", "LEDConfig", "seq2seq", dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, vocab_size=128, max_encoder_position_embeddings=64, max_decoder_position_embeddings=64, attention_window=4)),
        "fsmt": ("FSMTModel", "FSMTConfig", "seq2seq", dict(langs=["en", "de"], src_vocab_size=128, tgt_vocab_size=128, d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, max_position_embeddings=64)),
        "longt5": ("LongT5Model", "LongT5Config", "seq2seq", dict(d_model=32, d_kv=16, d_ff=64, num_layers=2, num_heads=2, vocab_size=128, encoder_attention_type="transient-global", local_radius=2, global_block_size=4)),
        "vit": ("ViTModel", "ViTConfig", "pixels", dict(TXT, image_size=32, patch_size=8)),
        "beit": ("BeitModel", "BeitConfig", "pixels", dict(TXT, image_size=32, patch_size=8, use_relative_position_bias=True)),
        "swin": ("SwinModel", "SwinConfig", "pixels", dict(image_size=32, patch_size=4, embed_dim=16, depths=[1, 1], num_heads=[2, 2], window_size=4)),
        "swinv2": ("Swinv2Model", "Swinv2Config", "pixels", dict(image_size=32, patch_size=4, embed_dim=16, depths=[1, 1], num_heads=[2, 2], window_size=4)),
        "convnext": ("ConvNextModel", "ConvNextConfig", "pixels", dict(hidden_sizes=[16, 32], depths=[1, 1], num_stages=2)),
        "dinov2": ("Dinov2Model", "Dinov2Config", "pixels", dict(TXT, image_size=32, patch_size=8)),
        "segformer": ("SegformerModel", "SegformerConfig", "pixels", dict(num_encoder_blocks=2, depths=[1, 1], sr_ratios=[2, 1], hidden_sizes=[16, 32], patch_sizes=[7, 3], strides=[4, 2], num_attention_heads=[1, 2], mlp_ratios=[2, 2])),
        "levit": ("LevitModel", "LevitConfig", "pixels", dict(image_size=32, hidden_sizes=[16, 32, 48], num_attention_heads=[1, 2, 3], depths=[1, 1, 1], key_dim=[8, 8, 8])),
        "mobilevit": ("MobileViTModel", "MobileViTConfig", "pixels", dict(image_size=32, hidden_sizes=[16, 24, 32], neck_hidden_sizes=[8, 8, 16, 16, 24, 24, 32])),
        "clip_vision": ("CLIPVisionModel", "CLIPVisionConfig", "pixels", dict(TXT, image_size=32, patch_size=8)),
        "wav2vec2": ("Wav2Vec2Model", "Wav2Vec2Config", "audio", dict(TXT, conv_dim=(16, 16), conv_stride=(5, 4), conv_kernel=(10, 4), num_conv_pos_embeddings=8, num_conv_pos_embedding_groups=2)),
        "hubert": ("HubertModel", "HubertConfig", "audio", dict(TXT, conv_dim=(16, 16), conv_stride=(5, 4), conv_kernel=(10, 4), num_conv_pos_embeddings=8, num_conv_pos_embedding_groups=2)),
        "wavlm": ("WavLMModel", "WavLMConfig", "audio", dict(TXT, conv_dim=(16, 16), conv_stride=(5, 4), conv_kernel=(10, 4), num_conv_pos_embeddings=8, num_conv_pos_embedding_groups=2, num_buckets=16)),
    }
    # encoder-decoders and speech encoders whose layers carry their own LayerDrop / SpecAugment code
    s2s = dict(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2, decoder_attention_heads=2,
               encoder_ffn_dim=64, decoder_ffn_dim=64, vocab_size=128, max_position_embeddings=64, pad_token_id=1,
               decoder_start_token_id=2)
    aud = dict(TXT, conv_dim=(16, 16), conv_stride=(5, 4), conv_kernel=(10, 4), num_conv_pos_embeddings=8,
               num_conv_pos_embedding_groups=2)
    specs.update({
        "marian": ("MarianMTModel", "MarianConfig", "labels", dict(s2s, decoder_vocab_size=128)),
        "mbart": ("MBartForConditionalGeneration", "MBartConfig", "labels", s2s),
        "pegasus": ("PegasusForConditionalGeneration", "PegasusConfig", "labels", s2s),
        "m2m100": ("M2M100ForConditionalGeneration", "M2M100Config", "labels", s2s),
        "blenderbot": ("BlenderbotForConditionalGeneration", "BlenderbotConfig", "labels", s2s),
        "blenderbot_small": ("BlenderbotSmallForConditionalGeneration", "BlenderbotSmallConfig", "labels", s2s),
        "plbart": ("PLBartForConditionalGeneration", "PLBartConfig", "labels", s2s),
        "mvp": ("MvpForConditionalGeneration", "MvpConfig", "labels", s2s),
        "bigbird_pegasus": ("BigBirdPegasusForConditionalGeneration", "BigBirdPegasusConfig", "labels",
                            dict(s2s, attention_type="original_full")),
        "pegasus_x": ("PegasusXForConditionalGeneration", "PegasusXConfig", "labels",
                      dict(s2s, num_global_tokens=4, block_size=4)),
        "trocr": ("TrOCRForCausalLM", "TrOCRConfig", "labels",
                  dict(d_model=32, decoder_layers=2, decoder_attention_heads=2, decoder_ffn_dim=64, vocab_size=128,
                       max_position_embeddings=64)),
        "data2vec_audio": ("Data2VecAudioModel", "Data2VecAudioConfig", "audio", dict(aud, conv_pos_kernel_size=5)),
        "sew": ("SEWModel", "SEWConfig", "audio", dict(aud, squeeze_factor=2)),
        "sew_d": ("SEWDModel", "SEWDConfig", "audio", dict(aud, squeeze_factor=2, position_buckets=8,
                                                               max_position_embeddings=64)),
        "unispeech": ("UniSpeechModel", "UniSpeechConfig", "audio", aud),
        "unispeech_sat": ("UniSpeechSatModel", "UniSpeechSatConfig", "audio", aud),
        "wav2vec2_conformer": ("Wav2Vec2ConformerModel", "Wav2Vec2ConformerConfig", "audio",
                               dict(aud, conv_depthwise_kernel_size=3, position_embeddings_type="rotary")),
    })
    for name, (mcls, ccls, inputs, cfg) in specs.items():
        model(f"transformers/{name}")(lambda mcls=mcls, ccls=ccls, inputs=inputs, cfg=cfg: _hf(mcls, ccls, inputs, **cfg))


_register_transformers()


@model("transformers/whisper")
def _whisper():
    import torch
    import transformers as T
    cfg = T.WhisperConfig(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                          decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, vocab_size=128,
                          num_mel_bins=8, max_source_positions=16, max_target_positions=32,
                          decoder_start_token_id=1, pad_token_id=0)
    return T.WhisperModel(cfg), (), {"input_features": torch.randn(1, 8, 32), "decoder_input_ids": _ids(4)}


@model("transformers/detr")
def _detr():
    import torch
    import transformers as T
    cfg = T.DetrConfig(use_timm_backbone=False, use_pretrained_backbone=False, backbone_config=T.ResNetConfig(
        embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], out_features=["stage1", "stage2"]),
        d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=64, decoder_ffn_dim=64, num_queries=4)
    return T.DetrModel(cfg), (), {"pixel_values": torch.randn(1, 3, 32, 32)}


# ---- diffusers: tiny configs in the style of the library's own tests


@model("diffusers/unet2d")
def _unet2d():
    import torch
    from diffusers import UNet2DModel
    m = UNet2DModel(sample_size=16, in_channels=3, out_channels=3, block_out_channels=(32, 64), layers_per_block=1,
                    down_block_types=("DownBlock2D", "AttnDownBlock2D"), up_block_types=("AttnUpBlock2D", "UpBlock2D"),
                    attention_head_dim=8, norm_num_groups=8)
    return m, (torch.randn(1, 3, 16, 16), torch.tensor([10])), {}


@model("diffusers/unet2d_condition")
def _unet2d_cond():
    import torch
    from diffusers import UNet2DConditionModel
    m = UNet2DConditionModel(sample_size=16, in_channels=4, out_channels=4, block_out_channels=(32, 64),
                             layers_per_block=1, down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
                             up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"), cross_attention_dim=32,
                             attention_head_dim=8, norm_num_groups=8)
    return m, (torch.randn(1, 4, 16, 16), torch.tensor([10]), torch.randn(1, 4, 32)), {}


@model("diffusers/unet1d")
def _unet1d():
    import torch
    from diffusers import UNet1DModel
    m = UNet1DModel(block_out_channels=(8, 8, 16, 16), in_channels=14, out_channels=14, time_embedding_type="positional",
                    use_timestep_embedding=True, flip_sin_to_cos=False, freq_shift=1.0, out_block_type="OutConv1DBlock",
                    mid_block_type="MidResTemporalBlock1D", down_block_types=("DownResnetBlock1D",) * 4,
                    up_block_types=("UpResnetBlock1D",) * 3, act_fn="swish")
    return m, (torch.randn(1, 14, 16), torch.tensor([10])), {}


@model("diffusers/autoencoder_kl")
def _vae():
    import torch
    from diffusers import AutoencoderKL
    m = AutoencoderKL(block_out_channels=(32, 64), in_channels=3, out_channels=3,
                      down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                      latent_channels=4, norm_num_groups=8)
    return m, (torch.randn(1, 3, 32, 32),), {}


@model("diffusers/vq_model")
def _vq():
    import torch
    from diffusers import VQModel
    m = VQModel(block_out_channels=(32, 64), in_channels=3, out_channels=3,
                down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                latent_channels=3, norm_num_groups=8, num_vq_embeddings=16)
    return m, (torch.randn(1, 3, 32, 32),), {}


@model("diffusers/autoencoder_tiny")
def _taesd():
    import torch
    from diffusers import AutoencoderTiny
    m = AutoencoderTiny(encoder_block_out_channels=(8, 8), decoder_block_out_channels=(8, 8), num_encoder_blocks=(1, 1),
                        num_decoder_blocks=(1, 1), latent_channels=4)
    return m, (torch.randn(1, 3, 16, 16),), {}


@model("diffusers/transformer2d")
def _t2d():
    import torch
    from diffusers import Transformer2DModel
    m = Transformer2DModel(num_attention_heads=2, attention_head_dim=8, in_channels=16, num_layers=1, norm_num_groups=8,
                           cross_attention_dim=16)
    return m, (torch.randn(1, 16, 8, 8),), {"encoder_hidden_states": torch.randn(1, 4, 16)}


@model("diffusers/dit")
def _dit():
    import torch
    from diffusers import DiTTransformer2DModel
    m = DiTTransformer2DModel(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=8, num_layers=1,
                              sample_size=8, patch_size=2, num_embeds_ada_norm=10)
    return m, (torch.randn(1, 4, 8, 8),), {"timestep": torch.tensor([3]), "class_labels": torch.tensor([1])}


@model("diffusers/pixart")
def _pixart():
    import torch
    from diffusers import PixArtTransformer2DModel
    m = PixArtTransformer2DModel(sample_size=8, num_layers=1, patch_size=2, attention_head_dim=8, num_attention_heads=2,
                                 caption_channels=32, in_channels=4, cross_attention_dim=16, out_channels=8,
                                 attention_bias=True, activation_fn="gelu-approximate", num_embeds_ada_norm=1000,
                                 norm_type="ada_norm_single", norm_elementwise_affine=False, norm_eps=1e-6)
    return m, (torch.randn(1, 4, 8, 8),), {"encoder_hidden_states": torch.randn(1, 4, 32), "timestep": torch.tensor([3]),
                                           "added_cond_kwargs": {"aspect_ratio": None, "resolution": None}}


@model("diffusers/sd3")
def _sd3():
    import torch
    from diffusers import SD3Transformer2DModel
    m = SD3Transformer2DModel(sample_size=8, patch_size=2, in_channels=4, num_layers=2, attention_head_dim=8,
                              num_attention_heads=2, caption_projection_dim=16, joint_attention_dim=32,
                              pooled_projection_dim=16, out_channels=4, pos_embed_max_size=16)
    return m, (torch.randn(1, 4, 8, 8),), {"encoder_hidden_states": torch.randn(1, 4, 32),
                                           "pooled_projections": torch.randn(1, 16), "timestep": torch.tensor([3])}


@model("diffusers/flux")
def _flux():
    import torch
    from diffusers import FluxTransformer2DModel
    m = FluxTransformer2DModel(patch_size=1, in_channels=4, num_layers=1, num_single_layers=1, attention_head_dim=16,
                               num_attention_heads=2, joint_attention_dim=32, pooled_projection_dim=32,
                               axes_dims_rope=[4, 4, 8])
    return m, (), {"hidden_states": torch.randn(1, 16, 4), "encoder_hidden_states": torch.randn(1, 4, 32),
                   "pooled_projections": torch.randn(1, 32), "timestep": torch.tensor([1.0]),
                   "img_ids": torch.zeros(16, 3), "txt_ids": torch.zeros(4, 3)}


@model("diffusers/prior_transformer")
def _prior():
    import torch
    from diffusers import PriorTransformer
    m = PriorTransformer(num_attention_heads=2, attention_head_dim=4, num_layers=2, embedding_dim=8, num_embeddings=7,
                         additional_embeddings=4)
    return m, (), {"hidden_states": torch.randn(1, 8), "timestep": 2, "proj_embedding": torch.randn(1, 8),
                   "encoder_hidden_states": torch.randn(1, 7, 8)}


@model("diffusers/controlnet")
def _controlnet():
    import torch
    from diffusers import ControlNetModel
    m = ControlNetModel(block_out_channels=(32, 64), layers_per_block=1, in_channels=4,
                        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"), cross_attention_dim=32,
                        attention_head_dim=8, norm_num_groups=8, conditioning_embedding_out_channels=(16, 32))
    return m, (torch.randn(1, 4, 16, 16), torch.tensor([10]), torch.randn(1, 4, 32), torch.randn(1, 3, 32, 32)), {}


@model("diffusers/cogvideox")
def _cogvideox():
    import torch
    from diffusers import CogVideoXTransformer3DModel
    m = CogVideoXTransformer3DModel(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=4,
                                    time_embed_dim=2, text_embed_dim=16, num_layers=1, sample_width=8, sample_height=8,
                                    sample_frames=9, patch_size=2, temporal_compression_ratio=4,
                                    max_text_seq_length=8)
    return m, (), {"hidden_states": torch.randn(1, 1, 4, 8, 8), "encoder_hidden_states": torch.randn(1, 8, 16),
                   "timestep": torch.tensor([3])}


@model("diffusers/wan")
def _wan():
    import torch
    from diffusers import WanTransformer3DModel
    m = WanTransformer3DModel(patch_size=(1, 2, 2), num_attention_heads=2, attention_head_dim=12, in_channels=4,
                              out_channels=4, text_dim=16, freq_dim=256, ffn_dim=32, num_layers=2,
                              cross_attn_norm=True, qk_norm="rms_norm_across_heads", rope_max_seq_len=32)
    return m, (), {"hidden_states": torch.randn(1, 4, 2, 8, 8), "encoder_hidden_states": torch.randn(1, 4, 16),
                   "timestep": torch.tensor([3])}


@model("diffusers/ltx_video")
def _ltx():
    import torch
    from diffusers import LTXVideoTransformer3DModel
    m = LTXVideoTransformer3DModel(in_channels=4, out_channels=4, patch_size=1, patch_size_t=1, num_attention_heads=2,
                                   attention_head_dim=8, cross_attention_dim=16, num_layers=1, caption_channels=16)
    return m, (), {"hidden_states": torch.randn(1, 2 * 4 * 4, 4), "encoder_hidden_states": torch.randn(1, 4, 16),
                   "timestep": torch.tensor([3]), "encoder_attention_mask": torch.ones(1, 4),
                   "num_frames": 2, "height": 4, "width": 4}


@model("diffusers/sana")
def _sana():
    import torch
    from diffusers import SanaTransformer2DModel
    m = SanaTransformer2DModel(patch_size=1, in_channels=4, out_channels=4, num_layers=1, num_attention_heads=2,
                               attention_head_dim=4, num_cross_attention_heads=2, cross_attention_head_dim=4,
                               cross_attention_dim=8, caption_channels=8, sample_size=8)
    return m, (), {"hidden_states": torch.randn(1, 4, 8, 8), "encoder_hidden_states": torch.randn(1, 4, 8),
                   "timestep": torch.tensor([3])}


@model("diffusers/lumina2")
def _lumina2():
    import torch
    from diffusers import Lumina2Transformer2DModel
    m = Lumina2Transformer2DModel(sample_size=4, patch_size=2, in_channels=4, hidden_size=8, num_layers=2,
                                  num_refiner_layers=1, num_attention_heads=1, num_kv_heads=1, multiple_of=16,
                                  ffn_dim_multiplier=None, norm_eps=1e-5, scaling_factor=1.0, axes_dim_rope=(4, 2, 2),
                                  axes_lens=(128, 128, 128), cap_feat_dim=8)
    return m, (), {"hidden_states": torch.randn(1, 4, 4, 4), "encoder_hidden_states": torch.randn(1, 4, 8),
                   "timestep": torch.tensor([0.5]), "encoder_attention_mask": torch.ones(1, 4, dtype=torch.bool)}


@model("diffusers/auraflow")
def _auraflow():
    import torch
    from diffusers import AuraFlowTransformer2DModel
    m = AuraFlowTransformer2DModel(sample_size=8, patch_size=2, in_channels=4, num_mmdit_layers=1,
                                   num_single_dit_layers=1, attention_head_dim=8, num_attention_heads=2,
                                   joint_attention_dim=32, caption_projection_dim=16, pos_embed_max_size=64)
    return m, (), {"hidden_states": torch.randn(1, 4, 8, 8), "encoder_hidden_states": torch.randn(1, 4, 32),
                   "timestep": torch.tensor([3])}


# ---- x-transformers: the library's wrappers with the attention-layer options its README documents


def _xt(layers="Decoder", wrapper_kwargs=None, **attn):
    import x_transformers as X
    kw = dict(dim=32, depth=2, heads=2)
    kw.update(attn)
    m = X.TransformerWrapper(num_tokens=128, max_seq_len=64, attn_layers=getattr(X, layers)(**kw),
                             **(wrapper_kwargs or {}))
    return m, (_ids(),), {}


_XT = {
    "decoder": dict(),
    "encoder_rotary": dict(layers="Encoder", rotary_pos_emb=True),
    "decoder_alibi": dict(alibi_pos_bias=True, alibi_num_heads=1),
    "decoder_rel_pos_bias": dict(rel_pos_bias=True),
    "decoder_dynamic_pos_bias": dict(dynamic_pos_bias=True, dynamic_pos_bias_log_distance=False),
    "decoder_mem_kv_glu": dict(attn_num_mem_kv=4, ff_glu=True, wrapper_kwargs={"num_memory_tokens": 2}),
    "decoder_macaron_sandwich": dict(macaron=True, sandwich_norm=True, residual_attn=True),
    "decoder_shift_tokens": dict(shift_tokens=1),
    "decoder_hyper_connections": dict(num_residual_streams=2),
    "decoder_value_residual": dict(add_value_residual=True, attn_qk_norm=True),
    "encoder_sparse_topk": dict(layers="Encoder", attn_sparse_topk=2),
    "decoder_xpos": dict(rotary_xpos=True, rotary_pos_emb=True),
}
for _name, _kw in _XT.items():
    model(f"x_transformers/{_name}")(lambda _kw=_kw: _xt(**_kw))


@model("x_transformers/xtransformer")
def _xtrans():
    import x_transformers as X
    m = X.XTransformer(dim=32, enc_num_tokens=128, enc_depth=2, enc_heads=2, enc_max_seq_len=64, dec_num_tokens=128,
                       dec_depth=2, dec_heads=2, dec_max_seq_len=64, tie_token_emb=True)
    return m, (_ids(), _ids()), {}


@model("x_transformers/continuous")
def _xcont():
    import torch
    import x_transformers as X
    m = X.ContinuousTransformerWrapper(dim_in=8, dim_out=8, max_seq_len=64,
                                       attn_layers=X.Encoder(dim=32, depth=2, heads=2))
    return m, (torch.randn(1, 8, 8),), {"mask": torch.ones(1, 8, dtype=torch.bool)}


@model("x_transformers/vit_wrapper")
def _xvit():
    import torch
    import x_transformers as X
    m = X.ViTransformerWrapper(image_size=32, patch_size=8, num_classes=10,
                               attn_layers=X.Encoder(dim=32, depth=2, heads=2))
    return m, (torch.randn(1, 3, 32, 32),), {}


# ---- vit-pytorch: its model classes, imported past the package __init__ (which imports torchvision)


def _vitp(module, cls, image=32, in_channels=3, **kw):
    import importlib
    import importlib.util
    import types
    import torch
    if "vit_pytorch" not in sys.modules:
        spec = importlib.util.find_spec("vit_pytorch")
        pkg = types.ModuleType("vit_pytorch")
        pkg.__path__ = list(spec.submodule_search_locations)
        sys.modules["vit_pytorch"] = pkg
    m = getattr(importlib.import_module(f"vit_pytorch.{module}"), cls)(**kw)
    return m, (torch.randn(1, in_channels, image, image),), {}


_VIT = dict(image_size=32, patch_size=8, num_classes=10, dim=32, depth=2, heads=2, mlp_dim=64)
_VITP = {
    "vit": ("vit", "ViT", {}, _VIT),
    "simple_vit": ("simple_vit", "SimpleViT", {}, _VIT),
    "cait": ("cait", "CaiT", {}, dict(_VIT, cls_depth=1, dropout=0.0, emb_dropout=0.0, layer_dropout=0.05)),
    "deepvit": ("deepvit", "DeepViT", {}, _VIT),
    "cross_vit": ("cross_vit", "CrossViT", {}, dict(image_size=32, num_classes=10, depth=1, sm_dim=16, sm_patch_size=8,
                                                     sm_enc_depth=1, sm_enc_heads=2, sm_enc_mlp_dim=32, lg_dim=32,
                                                     lg_patch_size=16, lg_enc_depth=1, lg_enc_heads=2, lg_enc_mlp_dim=64,
                                                     cross_attn_depth=1, cross_attn_heads=2)),
    "t2t": ("t2t", "T2TViT", {}, dict(dim=32, image_size=32, depth=2, heads=2, mlp_dim=64, num_classes=10,
                                      t2t_layers=((7, 4), (3, 2), (3, 2)))),
    "pit": ("pit", "PiT", {}, dict(image_size=32, patch_size=8, dim=32, num_classes=10, depth=(1, 1), heads=2, mlp_dim=64)),
    "levit": ("levit", "LeViT", {"image": 64}, dict(image_size=64, num_classes=10, stages=3, dim=(16, 32, 48), depth=1,
                                         heads=(1, 2, 3), mlp_mult=2)),
    "cvt": ("cvt", "CvT", {}, dict(num_classes=10, s1_emb_dim=16, s1_depth=1, s1_heads=1, s2_emb_dim=32, s2_depth=1,
                                   s2_heads=2, s3_emb_dim=48, s3_depth=1, s3_heads=2)),
    "max_vit": ("max_vit", "MaxViT", {}, dict(num_classes=10, dim_conv_stem=16, dim=16, dim_head=8, depth=(1, 1),
                                               window_size=2, mbconv_expansion_rate=2, mbconv_shrinkage_rate=0.25)),
    "regionvit": ("regionvit", "RegionViT", {"image": 64}, dict(dim=(16, 32, 64, 128), depth=(1, 1, 1, 1),
                                                                 window_size=2, num_classes=10)),
    "scalable_vit": ("scalable_vit", "ScalableViT", {}, dict(num_classes=10, dim=16, heads=(1, 1, 1, 1), depth=(1, 1, 1, 1),
                                                              reduction_factor=(2, 2, 1, 1), window_size=(2, 2, None, None),
                                                              ssa_dim_key=(8, 8, 8, 8))),
    "sep_vit": ("sep_vit", "SepViT", {"image": 224}, dict(num_classes=10, dim=8, dim_head=8, heads=(1, 2, 2, 2),
                                                           depth=(1, 1, 1, 1))),
    "twins_svt": ("twins_svt", "TwinsSVT", {"image": 64}, dict(
        num_classes=10, s1_emb_dim=16, s2_emb_dim=32, s3_emb_dim=48, s4_emb_dim=64, s3_depth=1, s4_depth=1,
        **{f"s{i}_{k}": 2 for i in (1, 2, 3, 4) for k in ("local_patch_size", "global_k")})),
    "crossformer": ("crossformer", "CrossFormer", {"image": 64}, dict(num_classes=10, depth=(1, 1, 1, 1),
                                                                       global_window_size=(2, 2, 1, 1), local_window_size=2)),
    "nest": ("nest", "NesT", {}, dict(image_size=32, patch_size=4, dim=16, heads=2, num_hierarchies=2,
                                      block_repeats=(1, 1), num_classes=10)),
    "mobile_vit": ("mobile_vit", "MobileViT", {"image": 64}, dict(image_size=(64, 64), dims=[16, 24, 32], channels=[8, 8, 16, 16, 24, 24, 32, 32, 48, 48, 64],
                                                        num_classes=10)),
    "cct": ("cct", "CCT", {}, dict(img_size=(32, 32), embedding_dim=32, n_conv_layers=1, kernel_size=3, stride=1, padding=1,
                                   pooling_kernel_size=3, pooling_stride=2, pooling_padding=1, num_layers=2, num_heads=2,
                                   mlp_ratio=2.0, num_classes=10)),
    "xcit": ("xcit", "XCiT", {}, dict(_VIT, cls_depth=1, local_patch_kernel_size=3, layer_dropout=0.0)),
    "ats_vit": ("ats_vit", "ViT", {}, dict(_VIT, max_tokens_per_depth=(8, 4))),
    "vit_with_patch_merger": ("vit_with_patch_merger", "ViT", {}, dict(_VIT, patch_merge_layer=1, patch_merge_num_tokens=4)),
    "learnable_memory_vit": ("learnable_memory_vit", "ViT", {}, _VIT),
    "vit_for_small_dataset": ("vit_for_small_dataset", "ViT", {}, _VIT),
    "na_vit": ("na_vit", "NaViT", {}, dict(_VIT, token_dropout_prob=0.0)),
}
for _name, (_mod, _cls, _kw, _ctor) in _VITP.items():
    model(f"vit_pytorch/{_name}")(lambda _mod=_mod, _cls=_cls, _kw=_kw, _ctor=_ctor: _vitp(_mod, _cls, **_kw, **_ctor))


# ---- MONAI: its networks with small channel counts, 2D inputs where the network allows


def _monai(cls, shape, **kw):
    import torch
    import monai.networks.nets as N
    return getattr(N, cls)(**kw), (torch.randn(*shape),), {}


_MONAI = {
    "unet": ("UNet", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2, channels=(8, 16, 32), strides=(2, 2), num_res_units=1)),
    "basic_unet": ("BasicUNet", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2, features=(8, 8, 16, 16, 32, 8))),
    "attention_unet": ("AttentionUnet", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2, channels=(8, 16, 32), strides=(2, 2))),
    "segresnet": ("SegResNet", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2, init_filters=8, blocks_down=(1, 1, 1), blocks_up=(1, 1))),
    "swin_unetr": ("SwinUNETR", (1, 1, 64, 64), dict(spatial_dims=2, in_channels=1, out_channels=2, feature_size=12, depths=(1, 1, 1, 1), num_heads=(1, 1, 1, 1))),
    "unetr": ("UNETR", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2, img_size=(32, 32), feature_size=8, hidden_size=32, mlp_dim=64, num_heads=2)),
    "dynunet": ("DynUNet", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2, kernel_size=[3, 3, 3], strides=[1, 2, 2], upsample_kernel_size=[2, 2], filters=[8, 16, 32])),
    "vnet": ("VNet", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2)),
    "densenet121": ("DenseNet121", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=2, init_features=8, growth_rate=8, block_config=(1, 1, 1, 1))),
    "vit": ("ViT", (1, 1, 32, 32), dict(in_channels=1, img_size=(32, 32), patch_size=(8, 8), hidden_size=32, mlp_dim=64, num_layers=2, num_heads=2, spatial_dims=2, classification=True)),
    "highresnet": ("HighResNet", (1, 1, 16, 16), dict(spatial_dims=2, in_channels=1, out_channels=2)),
    "autoencoder": ("AutoEncoder", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, out_channels=1, channels=(8, 16), strides=(2, 2))),
    "varautoencoder": ("VarAutoEncoder", (1, 1, 32, 32), dict(spatial_dims=2, in_shape=(1, 32, 32), out_channels=1, latent_size=4, channels=(8, 16), strides=(2, 2))),
    "resnet": ("ResNet", (1, 1, 32, 32), dict(block="basic", layers=(1, 1, 1, 1), block_inplanes=(8, 16, 32, 64), spatial_dims=2, n_input_channels=1, num_classes=2)),
    "efficientnet": ("EfficientNetBN", (1, 3, 32, 32), dict(model_name="efficientnet-b0", pretrained=False, spatial_dims=2, in_channels=3, num_classes=2)),
    "senet": ("SEResNet50", (1, 1, 32, 32), dict(spatial_dims=2, in_channels=1, num_classes=2, layers=(1, 1, 1, 1))),
    "autoencoderkl": ("AutoencoderKL", (1, 1, 16, 16), dict(spatial_dims=2, in_channels=1, out_channels=1, channels=(8, 16), latent_channels=2, num_res_blocks=1, norm_num_groups=8, attention_levels=(False, True))),
    "vqvae": ("VQVAE", (1, 1, 16, 16), dict(spatial_dims=2, in_channels=1, out_channels=1, channels=(8, 16), num_res_channels=(8, 16), num_res_layers=1, downsample_parameters=((2, 4, 1, 1), (2, 4, 1, 1)), upsample_parameters=((2, 4, 1, 1, 0), (2, 4, 1, 1, 0)), num_embeddings=16, embedding_dim=4)),
}
for _name, (_cls, _shape, _kw) in _MONAI.items():
    model(f"monai/{_name}")(lambda _cls=_cls, _shape=_shape, _kw=_kw: _monai(_cls, _shape, **_kw))


@model("monai/diffusion_unet_timestep")
def _monai_dunet_t():
    import torch
    import monai.networks.nets as N
    m = N.DiffusionModelUNet(spatial_dims=2, in_channels=1, out_channels=1, channels=(8, 16),
                             attention_levels=(False, True), num_res_blocks=1, num_head_channels=8, norm_num_groups=8)
    return m, (torch.randn(1, 1, 16, 16), torch.tensor([5])), {}


# ---- PyTorch Geometric: its model zoo on a small random graph


def _graph(n=12, e=40, f=8, seed=0):
    import torch
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, f, generator=g), torch.randint(0, n, (2, e), generator=g)


def _pyg_basic(cls, **kw):
    import torch_geometric.nn.models as M
    x, ei = _graph()
    return getattr(M, cls)(in_channels=8, hidden_channels=16, num_layers=2, out_channels=4, **kw), (x, ei), {}


_PYG = {
    "gcn": ("GCN", {}),
    "graphsage": ("GraphSAGE", {}),
    "gin": ("GIN", {}),
    "gat": ("GAT", {"heads": 2}),
    "edgecnn": ("EdgeCNN", {}),
    "gcn_jk": ("GCN", {"jk": "lstm"}),
}
for _name, (_cls, _kw) in _PYG.items():
    model(f"pyg/{_name}")(lambda _cls=_cls, _kw=_kw: _pyg_basic(_cls, **_kw))


@model("pyg/pna")
def _pna():
    import torch
    import torch_geometric.nn.models as M
    x, ei = _graph()
    m = M.PNA(in_channels=8, hidden_channels=16, num_layers=2, out_channels=4, aggregators=["mean", "min", "max", "std"],
              scalers=["identity", "amplification", "attenuation"], deg=torch.tensor([0, 2, 4, 3, 2, 1]))
    return m, (x, ei), {}


@model("pyg/graph_unet")
def _gunet():
    import torch_geometric.nn.models as M
    x, ei = _graph()
    return M.GraphUNet(8, 16, 4, depth=2), (x, ei), {}


@model("pyg/attentive_fp")
def _afp():
    import torch
    import torch_geometric.nn.models as M
    x, ei = _graph()
    m = M.AttentiveFP(in_channels=8, hidden_channels=16, out_channels=4, edge_dim=3, num_layers=2, num_timesteps=2)
    return m, (x, ei, torch.randn(ei.size(1), 3), torch.zeros(x.size(0), dtype=torch.long)), {}


@model("pyg/linkx")
def _linkx():
    import torch_geometric.nn.models as M
    x, ei = _graph()
    return M.LINKX(num_nodes=12, in_channels=8, hidden_channels=16, out_channels=4, num_layers=2), (x, ei), {}


@model("pyg/deepgcn")
def _deepgcn():
    import torch
    from torch_geometric.nn import DeepGCNLayer, GENConv
    x, ei = _graph(f=16)
    layer = DeepGCNLayer(GENConv(16, 16, aggr="softmax", t=1.0, learn_t=True, num_layers=2, norm="layer"),
                         torch.nn.LayerNorm(16), torch.nn.ReLU(), block="res+", dropout=0.1)
    return layer, (x, ei), {}


@model("pyg/rect")
def _rect():
    import torch_geometric.nn.models as M
    x, ei = _graph()
    return M.RECT_L(8, 16), (x, ei), {}


@model("pyg/pmlp")
def _pmlp():
    import torch_geometric.nn.models as M
    x, ei = _graph()
    return M.PMLP(8, 16, 4, num_layers=2), (x, ei), {}


@model("pyg/sgformer")
def _sgformer():
    import torch
    import torch_geometric.nn.models as M
    x, ei = _graph()
    m = M.SGFormer(in_channels=8, hidden_channels=16, out_channels=4, trans_num_layers=1, trans_num_heads=1,
                   gnn_num_layers=2)
    return m, (x, ei, torch.zeros(12, dtype=torch.long)), {}


@model("pyg/polynormer")
def _polynormer():
    import torch
    import torch_geometric.nn.models as M
    x, ei = _graph()
    m = M.Polynormer(in_channels=8, hidden_channels=16, out_channels=4, local_layers=1, global_layers=1, heads=1)
    return m, (x, ei, torch.zeros(12, dtype=torch.long)), {}


# ---- more transformers: detection, keypoints, segmentation prompts, time series, codecs


@model("transformers/speech_to_text")
def _s2t():
    import torch
    import transformers as T
    cfg = T.Speech2TextConfig(d_model=32, encoder_layers=2, decoder_layers=2, encoder_attention_heads=2,
                              decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, vocab_size=128,
                              max_source_positions=64, max_target_positions=64, input_feat_per_channel=8,
                              num_conv_layers=1, conv_channels=8, conv_kernel_sizes=[5])
    return T.Speech2TextModel(cfg), (), {"input_features": torch.randn(1, 16, 8), "decoder_input_ids": _ids(4)}


@model("transformers/superpoint")
def _superpoint():
    import torch
    import transformers as T
    cfg = T.SuperPointConfig(encoder_hidden_sizes=[8, 8, 16, 16], decoder_hidden_size=32, descriptor_decoder_dim=32,
                             max_keypoints=32)
    return T.SuperPointForKeypointDetection(cfg), (), {"pixel_values": torch.rand(1, 3, 64, 64)}


@model("transformers/owlvit")
def _owlvit():
    import torch
    import transformers as T
    cfg = T.OwlViTConfig(text_config=dict(TXT, max_position_embeddings=16),
                         vision_config=dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                            intermediate_size=64, image_size=32, patch_size=8), projection_dim=32)
    ids = _ids()
    return T.OwlViTForObjectDetection(cfg), (), {"input_ids": ids, "attention_mask": torch.ones_like(ids),
                                                  "pixel_values": torch.randn(1, 3, 32, 32)}


@model("transformers/deformable_detr")
def _deformable_detr():
    import torch
    import transformers as T
    cfg = T.DeformableDetrConfig(use_timm_backbone=False, use_pretrained_backbone=False, backbone=None,
                                 backbone_config=T.ResNetConfig(embedding_size=8, hidden_sizes=[8, 16, 16], depths=[1, 1, 1],
                                                                out_features=["stage2", "stage3"]),
                                 d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                                 decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64, num_queries=4,
                                 num_feature_levels=2, encoder_n_points=2, decoder_n_points=2)
    return T.DeformableDetrModel(cfg), (), {"pixel_values": torch.randn(1, 3, 64, 64)}


@model("transformers/perceiver")
def _perceiver():
    import torch
    import transformers as T
    cfg = T.PerceiverConfig(num_latents=8, d_latents=32, d_model=32, num_blocks=1, num_self_attends_per_block=1,
                            num_self_attention_heads=2, num_cross_attention_heads=1, vocab_size=128,
                            max_position_embeddings=64, qk_channels=32, v_channels=32)
    ids = _ids()
    return T.PerceiverForMaskedLM(cfg), (), {"inputs": ids, "attention_mask": torch.ones_like(ids)}


def _series(model_cls, config_cls, **extra):
    import torch
    import transformers as T
    cfg = getattr(T, config_cls)(prediction_length=4, context_length=8, lags_sequence=[1, 2], d_model=16,
                                 encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                                 decoder_attention_heads=2, encoder_ffn_dim=16, decoder_ffn_dim=16,
                                 num_time_features=1, **extra)
    past = 8 + 2
    return getattr(T, model_cls)(cfg), (), {
        "past_values": torch.randn(1, past), "past_time_features": torch.randn(1, past, 1),
        "past_observed_mask": torch.ones(1, past), "future_values": torch.randn(1, 4),
        "future_time_features": torch.randn(1, 4, 1)}


model("transformers/informer")(lambda: _series("InformerModel", "InformerConfig"))
model("transformers/time_series_transformer")(lambda: _series("TimeSeriesTransformerModel", "TimeSeriesTransformerConfig"))


# ---- kornia: its feature detectors/matchers and augmentation pipelines (nn.Modules), no weights


@model("kornia/sift_feature")
def _k_sift():
    import torch
    import kornia.feature as KF
    return KF.SIFTFeature(num_features=32), (torch.rand(1, 1, 64, 64),), {}


@model("kornia/disk")
def _k_disk():
    import torch
    import kornia.feature as KF
    return KF.DISK(desc_dim=32), (torch.rand(1, 3, 64, 64),), {"n": 32}


@model("kornia/loftr")
def _k_loftr():
    import torch
    import kornia.feature as KF
    return KF.LoFTR(pretrained=None), ({"image0": torch.rand(1, 1, 64, 64), "image1": torch.rand(1, 1, 64, 64)},), {}


@model("kornia/sold2")
def _k_sold2():
    import torch
    import kornia.feature as KF
    return KF.SOLD2(pretrained=False), (torch.rand(1, 1, 64, 64),), {}


@model("kornia/dedode")
def _k_dedode():
    import torch
    import kornia.feature as KF
    return KF.DeDoDe(detector_model="L", descriptor_model="B", amp_dtype=torch.float32), (torch.rand(1, 3, 64, 64),), {"n": 32}


@model("kornia/hardnet")
def _k_hardnet():
    import torch
    import kornia.feature as KF
    return KF.HardNet(pretrained=False), (torch.rand(4, 1, 32, 32),), {}


@model("kornia/scale_space_detector")
def _k_ssd():
    import torch
    import kornia.feature as KF
    return KF.ScaleSpaceDetector(num_features=32), (torch.rand(1, 1, 64, 64),), {}


@model("kornia/tiny_vit")
def _k_tinyvit():
    import torch
    import kornia.contrib as KC
    m = KC.TinyViT(img_size=64, num_classes=10, embed_dims=(16, 32, 32, 64), depths=(1, 1, 1, 1), num_heads=(1, 2, 2, 4),
                   window_sizes=(2, 2, 4, 2))
    return m, (torch.randn(1, 3, 64, 64),), {}


@model("kornia/augmentation_sequential")
def _k_augseq():
    import torch
    import kornia.augmentation as KA
    m = KA.AugmentationSequential(KA.RandomResizedCrop((32, 32), p=1.0), KA.RandomHorizontalFlip(),
                                  KA.ColorJiggle(0.2, 0.2, 0.2, 0.1, p=1.0), KA.RandomAffine(degrees=15.0, p=1.0),
                                  KA.RandomGaussianBlur((3, 3), (0.1, 2.0), p=1.0), KA.RandomErasing(p=1.0))
    return m, (torch.rand(2, 3, 32, 32),), {}


@model("kornia/photometric_augmentations")
def _k_photo():
    import torch
    import kornia.augmentation as KA
    m = KA.AugmentationSequential(
        KA.RandomPlanckianJitter(p=1.0), KA.RandomPlasmaShadow(p=1.0), KA.RandomSolarize(p=1.0),
        KA.RandomPosterize(p=1.0), KA.RandomEqualize(p=1.0), KA.RandomSharpness(p=1.0), KA.RandomGamma(p=1.0),
        KA.RandomMotionBlur(3, 35.0, 0.5, p=1.0), KA.RandomMedianBlur(p=1.0), KA.RandomChannelShuffle(p=1.0),
        KA.RandomGrayscale(p=0.5), KA.RandomAutoContrast(p=1.0), KA.RandomClahe(p=1.0), KA.RandomRain(p=1.0),
        KA.RandomSnow(p=1.0))
    return m, (torch.rand(2, 3, 32, 32),), {}


@model("kornia/geometric_augmentations")
def _k_geo():
    import torch
    import kornia.augmentation as KA
    m = KA.AugmentationSequential(
        KA.RandomPerspective(0.3, p=1.0), KA.RandomThinPlateSpline(p=1.0), KA.RandomElasticTransform(p=1.0),
        KA.RandomRotation(30.0, p=1.0), KA.RandomCrop((24, 24), p=1.0), KA.RandomFisheye(
            torch.tensor([-0.3, 0.3]), torch.tensor([-0.3, 0.3]), torch.tensor([0.9, 1.0]), p=1.0),
        KA.RandomVerticalFlip(), KA.Resize((32, 32)), KA.RandomShear(10.0, p=1.0))
    return m, (torch.rand(2, 3, 32, 32),), {}


@model("kornia/rand_augment")
def _k_randaug():
    import torch
    import kornia.augmentation as KA
    return KA.auto.RandAugment(n=2, m=10), (torch.rand(2, 3, 32, 32),), {}


@model("kornia/trivial_augment")
def _k_trivial():
    import torch
    import kornia.augmentation as KA
    return KA.auto.TrivialAugment(), (torch.rand(2, 3, 32, 32),), {}


@model("kornia/auto_augment")
def _k_autoaug():
    import torch
    import kornia.augmentation as KA
    return KA.auto.AutoAugment(), (torch.rand(2, 3, 32, 32),), {}


@model("kornia/canny")
def _k_canny():
    import torch
    import kornia.filters as KFi
    return KFi.Canny(), (torch.rand(1, 3, 32, 32),), {}


# ---- vector-quantize-pytorch: its quantizers (codebook updates run in train mode)


def _vq(cls, shape=(1, 16, 32), **kw):
    import torch
    import vector_quantize_pytorch as V
    return getattr(V, cls)(**kw), (torch.randn(*shape),), {}


_VQ = {
    "vector_quantize": ("VectorQuantize", (1, 16, 32), dict(dim=32, codebook_size=64)),
    "vector_quantize_kmeans_cosine": ("VectorQuantize", (1, 16, 32), dict(dim=32, codebook_size=64, kmeans_init=True,
                                                                         kmeans_iters=2, use_cosine_sim=True,
                                                                         threshold_ema_dead_code=2)),
    "residual_vq": ("ResidualVQ", (1, 16, 32), dict(dim=32, num_quantizers=2, codebook_size=64)),
    "grouped_residual_vq": ("GroupedResidualVQ", (1, 16, 32), dict(dim=32, num_quantizers=2, groups=2, codebook_size=64)),
    "fsq": ("FSQ", (1, 16, 3), dict(levels=[8, 5, 5])),
    "residual_fsq": ("ResidualFSQ", (1, 16, 32), dict(dim=32, levels=[8, 5, 5], num_quantizers=2)),
    "lfq": ("LFQ", (1, 16, 8), dict(dim=8, codebook_size=256, entropy_loss_weight=0.1)),
    "residual_lfq": ("ResidualLFQ", (1, 16, 32), dict(dim=32, codebook_size=256, num_quantizers=2)),
    "latent_quantize": ("LatentQuantize", (1, 32, 16), dict(levels=[5, 5, 8], dim=32, commitment_loss_weight=0.1,
                                                            quantization_loss_weight=0.1)),
    "sim_vq": ("SimVQ", (1, 16, 32), dict(dim=32, codebook_size=64)),
    "random_projection": ("RandomProjectionQuantizer", (1, 16, 32), dict(dim=32, codebook_size=64, codebook_dim=16)),
}
for _name, (_cls, _shape, _kw) in _VQ.items():
    model(f"vq/{_name}")(lambda _cls=_cls, _shape=_shape, _kw=_kw: _vq(_cls, _shape, **_kw))


# ---- more PyTorch Geometric


@model("pyg/lightgcn")
def _lightgcn():
    import torch_geometric.nn.models as M
    _, ei = _graph()
    return M.LightGCN(num_nodes=12, embedding_dim=16, num_layers=2), (ei,), {}


@model("pyg/label_propagation")
def _labelprop():
    import torch
    import torch_geometric.nn.models as M
    _, ei = _graph()
    y = torch.randint(0, 3, (12,))
    return M.LabelPropagation(num_layers=2, alpha=0.9), (y, ei), {"mask": torch.arange(12) < 6}


@model("pyg/neural_fingerprint")
def _nfp():
    import torch
    import torch_geometric.nn.models as M
    x, ei = _graph()
    return M.NeuralFingerprint(8, 16, 4, num_layers=2), (x, ei, torch.zeros(12, dtype=torch.long)), {}


# --------------------------------------------------------------------------------------------
# the child: one model, in the venv

_HEADERS = ("Encountered graph break", "Failed to handle graph break", "Graph break encountered", "Graph break")
_FILE_RE = re.compile(r'^\s*File "(.+)", line (\d+), in (.+)$')
_AT_RE = re.compile(r"in user code at (.+):(\d+)\s*$", re.M)
_GB_RE = re.compile(r"\bgb(\d{4})\b", re.I)


def _title(reason: str) -> str:
    """The break's own first line: Dynamo prefixes a header ('Encountered graph break when
    attempting to trace CALL: ...:') before the GB title ('Dynamic shape operator')."""
    lines = [ln.strip() for ln in reason.splitlines() if ln.strip()]
    for i, ln in enumerate(lines):
        if ln.startswith(_HEADERS) and ln.endswith(":") and i + 1 < len(lines):
            continue
        return ln
    return lines[0] if lines else ""


def _traceback_frames(text: str) -> list[tuple[str, int, int | None]]:
    """(file, line, 0-based column or None), outermost first, from a formatted traceback whose
    caret line (when printed) marks the expression; the source line is printed dedented."""
    import linecache
    frames = []
    lines = text.splitlines()
    for i, ln in enumerate(lines):
        m = _FILE_RE.match(ln)
        if not m:
            continue
        path, lineno, col = m.group(1), int(m.group(2)), None
        if i + 2 < len(lines) and re.fullmatch(r"\s*[~^]+\s*", lines[i + 2] or "x"):
            caret = lines[i + 2]
            shown = lines[i + 1]
            real = linecache.getline(path, lineno)
            offset = (len(caret) - len(caret.lstrip())) - (len(shown) - len(shown.lstrip()))
            col = (len(real) - len(real.lstrip())) + offset if real else None
        elif i + 1 < len(lines) and not _FILE_RE.match(lines[i + 1]):
            real = linecache.getline(path, lineno)  # no carets: the expression is the whole line
            col = len(real) - len(real.lstrip()) if real.strip() else None
        frames.append((path, lineno, col))
    return frames


def child(model_id: str, out_path: str) -> None:
    import logging
    import sysconfig

    import torch
    import torch._dynamo

    roots = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}, key=len, reverse=True)
    library = PREFIX[model_id.split("/")[0]]
    own = PACKAGES[library]

    def rel(path: str) -> str | None:
        for root in roots:
            if path.startswith(root + os.sep):
                return os.path.relpath(path, root)
        return None

    def owner(relpath: str | None) -> str | None:
        if relpath is None:
            return None
        return relpath.split(os.sep)[0].removesuffix(".py")

    def place(frames):
        """(innermost frame in the model's library, innermost frame outside torch and this harness)."""
        mine = other = None
        for path, line, col in reversed(frames):
            r = rel(path)
            if r is None:
                continue
            top = owner(r)
            if other is None and top not in ("torch", "functorch"):
                other = (r, line, col)
            if top in own:
                mine = (r, line, col)
                break
        return mine, other

    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    result = {"status": "ok", "train_status": None, "breaks": []}

    def write():
        Path(out_path).write_text(json.dumps(result))

    def error(exc):
        text = str(exc).strip()
        return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"[:300]

    torch.manual_seed(0)
    try:
        m, args, kwargs = MODELS[model_id]()
    except Exception as exc:
        result.update(status="eager-failed", error=error(exc))
        write()
        return

    breaks: dict[tuple, dict] = {}
    located: dict[tuple, tuple] = {}  # Dynamo's location -> the placed frames, for suppressed duplicates

    def add(mode, source, frames, at, reason_text, message=""):
        title = _title(reason_text)
        mine, other = place(frames) if frames else (None, None)
        if at is not None:
            if mine is None and other is None and at in located:
                mine, other = located[at]
            elif frames:
                located.setdefault(at, (mine, other))
            if mine is None and other is None:
                r = rel(at[0])
                if r is not None:
                    other = (r, at[1], None)
                    if owner(r) in own:
                        mine = other
        where = mine or other
        if where is None:
            return
        gb = _GB_RE.search(message or reason_text)
        key = (where[0], where[1], title)
        entry = breaks.get(key)
        if entry is None:
            entry = breaks[key] = {
                "file": where[0], "line": where[1], "col": None if where[2] is None else where[2] + 1,
                "reason": title, "gb": f"GB{gb.group(1)}" if gb else None, "in_library": mine is not None,
                "via": None if (other is None or other == mine or mine is None) else f"{other[0]}:{other[1]}",
                "modes": [], "sources": [],
            }
        if entry["col"] is None and where[2] is not None:
            entry["col"] = where[2] + 1
        if entry["gb"] is None and gb:
            entry["gb"] = f"GB{gb.group(1)}"
        if mode not in entry["modes"]:
            entry["modes"].append(mode)
        if source not in entry["sources"]:
            entry["sources"].append(source)

    torch._logging.set_logs(graph_breaks=True)
    logging.getLogger("torch._dynamo").addHandler(Keep())
    # eval under no_grad (inference), then train with autograd on (a training step's forward):
    # the model's code paths differ (dropout, layer drop, stochastic depth, codebook updates)
    for mode in ("eval", "train"):
        status_key = "status" if mode == "eval" else "train_status"
        is_eval = mode == "eval"
        m.train(not is_eval)
        torch.manual_seed(0)
        try:
            with torch.set_grad_enabled(not is_eval):
                m(*args, **kwargs)
        except Exception as exc:  # the model's own failure on this torch/CPU
            result[status_key] = "eager-failed"
            result[f"{mode}_error" if not is_eval else "error"] = error(exc)
            if is_eval:
                break
            continue
        torch._dynamo.reset()
        records.clear()
        torch.manual_seed(0)
        explanation = None
        try:
            with torch.set_grad_enabled(not is_eval):
                explanation = torch._dynamo.explain(m)(*args, **kwargs)
            result[status_key] = "ok"
        except Exception as exc:
            result[status_key] = "explain-failed"
            result[f"{mode}_error" if not is_eval else "error"] = error(exc)
        if explanation is not None:
            result[f"{mode}_graph_count"] = explanation.graph_count
            result[f"{mode}_graph_break_count"] = explanation.graph_break_count
            for br in explanation.break_reasons:
                frames = [(fs.filename, fs.lineno, getattr(fs, "colno", None)) for fs in br.user_stack]
                at = (frames[-1][0], frames[-1][1]) if frames else None
                add(mode, "explain", frames, at, br.reason)
        for record in list(records):
            try:
                message = record.getMessage()
            except Exception:
                continue
            if "Graph Break Reason:" not in message:
                continue
            found = _AT_RE.search(message.split("\n", 1)[0] + "\n")
            at = (found.group(1), int(found.group(2))) if found else None
            reason = message.split("Graph Break Reason:", 1)[1].split("User code traceback:", 1)[0]
            reason = reason.split("*** While handling this graph break", 1)[0]
            tb = message.split("User code traceback:", 1)[1] if "User code traceback:" in message else ""
            add(mode, "log", _traceback_frames(tb), at, reason, message)
    result["breaks"] = sorted(breaks.values(), key=lambda b: (b["file"], b["line"], b["reason"]))
    write()


# --------------------------------------------------------------------------------------------
# the parent: run every model, merge


def run_one(model_id: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="recall-models-") as tmp:
        out = Path(tmp) / "result.json"
        log = Path(tmp) / "stderr.txt"
        argv = ["nice", "-n", "10", str(venv_python()), str(Path(__file__).resolve()), "--child", model_id, str(out)]
        env = {**os.environ, "PYTHONHASHSEED": "0", "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1",
               "OMP_NUM_THREADS": "1", "TRANSFORMERS_VERBOSITY": "error", "PYTHONWARNINGS": "ignore"}
        start = time.perf_counter()
        with open(log, "w") as err:
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, start_new_session=True)
            try:
                proc.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the child's own session: only what this run started
                proc.wait()
                return {"status": "timeout", "seconds": round(time.perf_counter() - start, 1), "breaks": []}
        seconds = round(time.perf_counter() - start, 1)
        if not out.exists():
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            return {"status": "crashed", "seconds": seconds, "error": " | ".join(tail)[-400:], "breaks": []}
        result = json.loads(out.read_text())
        result["seconds"] = seconds
        return result


def versions() -> dict:
    code = ("import json, importlib.metadata as m; "
            f"print(json.dumps({{n: m.version(n) for n in {list(PINS)!r}}}))")
    return json.loads(subprocess.run([str(venv_python()), "-c", code], capture_output=True, text=True,
                                     check=True).stdout)


def merge(models: dict) -> list[dict]:
    lines: dict[tuple, dict] = {}
    for model_id, res in models.items():
        for b in res.get("breaks", []):
            key = (b["file"], b["line"])
            entry = lines.setdefault(key, {"file": b["file"], "line": b["line"], "col": b["col"],
                                           "library": _library_of(b["file"]), "in_library": b["in_library"],
                                           "reason": b["reason"], "gb": b["gb"], "reasons": [], "modes": [],
                                           "models": []})
            for mode in b.get("modes", ()):
                if mode not in entry["modes"]:
                    entry["modes"].append(mode)
            if entry["col"] is None:
                entry["col"] = b["col"]
            if entry["gb"] is None:
                entry["gb"] = b["gb"]
            if b["reason"] not in entry["reasons"]:
                entry["reasons"].append(b["reason"])
            if model_id not in entry["models"]:
                entry["models"].append(model_id)
    return sorted(lines.values(), key=lambda e: (e["file"], e["line"]))


def _library_of(relpath: str) -> str:
    top = relpath.split("/")[0].removesuffix(".py")
    for library, packages in PACKAGES.items():
        if top in packages:
            return library
    return top


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="model ids (or library prefixes) to run; the rest are kept from breaks.json")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODEL", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.list:
        print("\n".join(MODELS))
        return 0
    ensure_venv()
    chosen = list(MODELS)
    previous = {}
    if args.only:
        chosen = [m for m in MODELS if any(m == o or m.startswith(o.rstrip("/") + "/") for o in args.only)]
        if OUT.exists():
            previous = json.loads(OUT.read_text()).get("models", {})
    start = time.perf_counter()
    models = {m: r for m, r in previous.items() if m in MODELS}
    for i, model_id in enumerate(chosen, 1):
        res = run_one(model_id)
        models[model_id] = res
        extra = f" ({res['error'][:120]})" if res.get("error") else ""
        train = f"/{res['train_status']}" if res.get("train_status") else ""
        print(f"[{i}/{len(chosen)}] {model_id}: {res['status']}{train}, {len(res['breaks'])} breaks, {res['seconds']} s"
              f"{extra}", flush=True)
    models = {m: models[m] for m in MODELS if m in models}
    lines = merge(models)
    pins = versions()
    OUT.write_text(json.dumps({
        "torch": pins.pop("torch"),
        "libraries": pins,
        "settings": {"mode": "eval, torch.no_grad()", "tool": "torch._dynamo.explain + graph_breaks log",
                     "timeout_s": TIMEOUT_S, "col": "1-based"},
        "models": models,
        "lines": lines,
    }, indent=1) + "\n")
    summarize(models, lines, time.perf_counter() - start)
    return 0


def summarize(models: dict, lines: list[dict], seconds: float) -> None:
    def count(key):
        status: dict[str, int] = {}
        for res in models.values():
            status[str(res.get(key))] = status.get(str(res.get(key)), 0) + 1
        return ", ".join(f"{n} {s}" for s, n in sorted(status.items()))
    print(f"\nmodels: {len(models)}; eval pass: {count('status')}; train pass: {count('train_status')}; "
          f"run took {seconds:.0f} s")
    print(f"distinct break lines: {len(lines)} "
          f"({sum(1 for e in lines if e['in_library'])} inside the model's own library; "
          f"{sum(1 for e in lines if 'eval' in e['modes'])} hit in eval, "
          f"{sum(1 for e in lines if e['modes'] == ['train'])} only in train), "
          f"from {len({m for e in lines for m in e['models']})} models")
    print(f"{'library':24} {'models':>6} {'ok':>4} {'w/ break':>8} {'lines':>6}")
    for library in PACKAGES:
        ids = [m for m in models if PREFIX[m.split("/")[0]] == library]
        ok = [m for m in ids if models[m]["status"] == "ok"]
        broke = [m for m in ids if models[m]["breaks"]]
        n = sum(1 for e in lines if e["library"] == library)
        print(f"{library:24} {len(ids):>6} {len(ok):>4} {len(broke):>8} {n:>6}")
    others = sorted({e["library"] for e in lines} - set(PACKAGES))
    for library in others:
        print(f"{library:24} {'':>6} {'':>4} {'':>8} {sum(1 for e in lines if e['library'] == library):>6}")


if __name__ == "__main__":
    sys.exit(main())
