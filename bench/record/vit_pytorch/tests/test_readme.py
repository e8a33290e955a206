# README-style calls of vit_pytorch 1.26.11 models, on CPU, with tiny sizes.
#
# Every model is called twice, with a different batch size and/or image size.
# Python's `random` is seeded too, since several trainers draw from it.
#
# Listed lines not executed here: none.
#
# Deviations from the README, forced by this CPU / torch 2.13 setup:
# - levjepa.py:188 is reached with VideoTransformer(block_causal = False), so flex_attention runs
#   without a block mask: with the default block_causal = True, create_block_mask is handed the
#   torch.compile-wrapped mask function that levjepa.py builds, and on torch 2.13 it fails with
#   "AssertionError: Expected 4 or 5 positional args, got 0" (it cannot read the wrapped signature).
# - flex_attention has no backward on CPU ("FlexAttention does not support backward on CPU"), and
#   refuses inputs that require grad, so LeVJEPA's loss and ViTND's forward run under torch.no_grad()
#   (levjepa_nd.py catches that error itself and falls back to dense attention, so it trains as usual).
# - MPP is given a DeepViT: the README's `vit_pytorch.ViT` now keeps its cls token as (1, dim),
#   which MPP's `repeat(cls_token, '() n d -> b n d')` rejects (EinopsError).
#
# Note: `import vit_pytorch` imports dino.py, which imports torchvision (as do es_vit.py, lejepa.py
# and levjepa.py). No CPU build of torchvision matching torch installs here, so measure.py puts
# ../stubs (a stand-in for the few transforms those trainers build) on the path.

import random

import pytest
import torch

from vit_pytorch import ViT, Dino
from vit_pytorch.ats_vit import ViT as ATSViT
from vit_pytorch.cvt import CvT
from vit_pytorch.deepvit import DeepViT
from vit_pytorch.es_vit import EsViTTrainer
from vit_pytorch.jet_vit import JetViT
from vit_pytorch.lejepa import LeJEPA
from vit_pytorch.levjepa import LeVJEPA, VideoTransformer
from vit_pytorch.levjepa_nd import LeVJEPAND, NDTransformer
from vit_pytorch.mpp import MPP
from vit_pytorch.na_vit import NaViT
from vit_pytorch.na_vit_nested_tensor import NaViT as NestedNaViT
from vit_pytorch.na_vit_nested_tensor_3d import NaViT as NestedNaViT3D
from vit_pytorch.vit_nd import ViTND

@pytest.fixture(autouse = True)
def seed():
    torch.manual_seed(0)
    random.seed(0)

def tiny_vit():
    return ViT(
        image_size = 32,
        patch_size = 8,
        num_classes = 10,
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64
    )

# ats_vit.py:88

def test_ats_vit():
    v = ATSViT(
        image_size = 32,
        patch_size = 8,
        num_classes = 10,
        dim = 32,
        depth = 2,
        max_tokens_per_depth = (8, 4), # a tuple that denotes the maximum number of tokens that any given layer should have
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        dropout = 0.1,
        emb_dropout = 0.1
    )

    for batch in (1, 2):
        img = torch.randn(batch, 3, 32, 32)

        preds = v(img)
        assert preds.shape == (batch, 10)

        preds, token_ids = v(img, return_sampled_token_ids = True)

# dino.py:64

def test_dino():
    model = tiny_vit()

    learner = Dino(
        model,
        image_size = 32,
        hidden_layer = 'to_latent',
        projection_hidden_size = 32,
        projection_layers = 2,
        num_classes_K = 64
    )

    for batch in (2, 3):
        images = torch.randn(batch, 3, 32, 32)
        loss = learner(images)
        loss.backward()
        learner.update_moving_average()

# es_vit.py:91

def test_es_vit():
    cvt = CvT(
        num_classes = 10,
        s1_emb_dim = 16,
        s1_emb_kernel = 7,
        s1_emb_stride = 4,
        s1_heads = 1,
        s1_depth = 1,
        s1_mlp_mult = 2,
        s2_emb_dim = 32,
        s2_emb_stride = 2,
        s2_heads = 2,
        s2_depth = 1,
        s2_mlp_mult = 2,
        s3_emb_dim = 32,
        s3_emb_stride = 2,
        s3_heads = 2,
        s3_depth = 1,
        s3_mlp_mult = 2,
        dropout = 0.
    )

    learner = EsViTTrainer(
        cvt,
        image_size = 32,
        hidden_layer = 'layers',
        projection_hidden_size = 32,
        projection_layers = 2,
        num_classes_K = 64
    )

    for batch in (2, 3):
        images = torch.randn(batch, 3, 32, 32)
        loss = learner(images)
        loss.backward()
        learner.update_moving_average()

# jet_vit.py:238 (stage 1, random choice between window and linear attention)

def test_jet_vit():
    model = JetViT(
        image_size = 32,
        patch_size = 8,
        num_classes = 10,
        dim = 32,
        depth = 2,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        window_size = 2,
        attn_layers = [('WA', 'LA')] * 2   # randomly sample between window and linear attention
    )

    for batch in (1, 2):
        img = torch.randn(batch, 3, 32, 32)
        out = model(img)
        assert out.shape == (batch, 10)

# lejepa.py:110

def test_lejepa():
    model = tiny_vit()

    learner = LeJEPA(
        model,
        image_size = 32,
        hidden_layer = 'to_latent',
        projection_hidden_size = 32,
        projection_layers = 2,
        num_classes_K = 64,
        sigreg_loss_kwargs = dict(num_slices = 64, domain = (-5, 5), num_knots = 17)
    )

    for batch in (2, 3):
        images = torch.randn(batch, 3, 32, 32)
        loss = learner(images)
        loss.backward()

# levjepa.py:87, 188

def test_levjepa():
    encoder = VideoTransformer(
        image_size = 32,
        patch_size = 16,
        frames = 2,
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        block_causal = False  # the default block causal mask fails on torch 2.13, see top of file
    )

    learner = LeVJEPA(
        encoder,
        image_size = 32,
        local_size = 32,
        num_local_views = 2,
        num_classes_K = 32,
        projection_hidden = 32,
        drop_ratio = 0.5,
        sigreg_loss_kwargs = dict(num_proj = 64, knots = 17)
    )

    for shape in ((1, 3, 2, 32, 32), (2, 3, 4, 32, 32)):
        video = torch.randn(shape)

        with torch.no_grad():   # flex attention has no backward on cpu
            learner(video)

    with torch.no_grad():
        embed = learner(video, return_embedding = True)

    assert embed.shape == (2, 32)

# levjepa_nd.py:91

def test_levjepa_nd():
    augment = lambda x: x + torch.randn_like(x) * 0.1

    encoder = NDTransformer(
        ndim = 3,
        input_shape = (4, 16, 16),
        patch_size = (1, 8, 8),
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64
    )

    learner = LeVJEPAND(
        encoder,
        input_shape = (4, 16, 16),
        augment_src = augment,
        augment_tgt = augment,
        num_classes_K = 32,
        projection_hidden = 32,
        drop_ratio = 0.5,
        sigreg_loss_kwargs = dict(num_proj = 64, knots = 17)
    )

    for batch in (1, 2):
        video = torch.randn(batch, 3, 4, 16, 16)
        loss = learner(video)
        loss.backward()

    embed = learner(video, return_embedding = True)
    assert embed.shape == (2, 32)

# mpp.py:72

def test_mpp():
    model = DeepViT(
        image_size = 32,
        patch_size = 8,
        num_classes = 10,
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        dropout = 0.1,
        emb_dropout = 0.1
    )

    mpp_trainer = MPP(
        transformer = model,
        patch_size = 8,
        dim = 32,
        mask_prob = 0.15,          # probability of using token in masked prediction task
        random_patch_prob = 0.30,  # probability of randomly replacing a token being used for mpp
        replace_prob = 0.50        # probability of replacing a token being used for mpp with the mask token
    )

    for batch in (1, 2):
        images = torch.FloatTensor(batch, 3, 32, 32).uniform_(0., 1.)
        loss = mpp_trainer(images)
        loss.backward()

# na_vit.py:318, 330, 371

def test_na_vit():
    v = NaViT(
        image_size = 64,
        patch_size = 16,
        num_classes = 10,
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        dropout = 0.1,
        emb_dropout = 0.1,
        token_dropout_prob = 0.1  # token dropout of 10% (keep 90% of tokens)
    )

    images = [
        [torch.randn(3, 64, 64), torch.randn(3, 32, 32)],
        [torch.randn(3, 32, 64), torch.randn(3, 64, 32)],
        [torch.randn(3, 16, 64)]
    ]

    preds = v(images)
    assert preds.shape == (5, 10)

    images = [
        torch.randn(3, 64, 64),
        torch.randn(3, 32, 32),
        torch.randn(3, 32, 64)
    ]

    preds = v(
        images,
        group_images = True,
        group_max_seq_len = 16
    )

    assert preds.shape == (3, 10)

# na_vit_nested_tensor.py:274

def test_na_vit_nested_tensor():
    v = NestedNaViT(
        image_size = 64,
        patch_size = 16,
        num_classes = 10,
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        dropout = 0.,
        emb_dropout = 0.,
        token_dropout_prob = 0.1
    )

    images = [
        torch.randn(3, 64, 64), torch.randn(3, 32, 32),
        torch.randn(3, 32, 64)
    ]

    assert v(images).shape == (3, 10)

    images = [torch.randn(3, 64, 32), torch.randn(3, 16, 64)]

    assert v(images).shape == (2, 10)

# na_vit_nested_tensor_3d.py:290

def test_na_vit_nested_tensor_3d():
    v = NestedNaViT3D(
        image_size = 32,
        max_frames = 4,
        patch_size = 16,
        frame_patch_size = 2,
        num_classes = 10,
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        dropout = 0.,
        emb_dropout = 0.,
        token_dropout_prob = 0.1
    )

    volumes = [
        torch.randn(3, 2, 32, 32), torch.randn(3, 4, 16, 16),
        torch.randn(3, 4, 16, 32)
    ]

    assert v(volumes).shape == (3, 10)

    volumes = [torch.randn(3, 2, 32, 16), torch.randn(3, 4, 32, 32)]

    assert v(volumes).shape == (2, 10)

# vit_nd_masking.py:92 (flex attention, taken on x86 cpus with avx2)

def test_vit_nd_causal():
    model = ViTND(
        ndim = 3,
        input_shape = (4, 16, 16),
        patch_size = (2, 8, 8),
        num_classes = 10,
        dim = 32,
        depth = 1,
        heads = 2,
        dim_head = 16,
        mlp_dim = 64,
        causal_dims = (0,) # time dimension is causal
    )

    for batch in (1, 2):
        video = torch.randn(batch, 3, 4, 16, 16)

        with torch.no_grad():   # flex attention has no backward on cpu
            logits = model(video)
            cls_token, patch_embeddings = model(video, return_nd_patches = True)

        assert logits.shape == (batch, 10)
        assert patch_embeddings.shape == (batch, 32, 2, 2, 2)
