# diffusers/models/transformers/transformer_rfd4_proteina.py CA110 nth 1 (line 211, align_chirality):
# RFD4ProteinaTransformerModel.forward calls align_chirality whenever the conditioning holds "chirality" (a default
# entry of feats_seq, which the released checkpoint uses; it raises if the frame tensors are missing).
# torch.where(cond) with one argument is nonzero: a data-dependent output size, which breaks plain torch.compile
# (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def align_chirality_head(chirality_vectors, features):
    batch_size, num_tokens, width = chirality_vectors.shape
    num_slots = width // 3
    anchors = features["x_t"]["bb_ca"].float()
    valid = features["padding_mask"].bool()
    frames = features["chiral_frame_atoms"]
    rows, tokens, slots = torch.where((frames[..., 0] >= 0) & valid[..., None])
    if rows.numel() == 0:
        return chirality_vectors * valid[..., None]
    origins = frames[rows, tokens, slots, :2]
    return chirality_vectors + origins.sum() + anchors.sum()


B, N, S, K = 2, 6, 3, 2
frames = torch.randint(-1, N, (B, N, S, 2 + K))
features = {
    "x_t": {"bb_ca": torch.randn(B, N, 3)},
    "padding_mask": torch.ones(B, N, dtype=torch.bool),
    "chiral_frame_atoms": frames,
    "chiral_slot_owner": torch.randint(-1, S, (B, N, S)),
}
check(align_chirality_head, torch.randn(B, N, 3 * S), features, mode="default")
