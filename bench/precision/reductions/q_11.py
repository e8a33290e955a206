# diffusers/pipelines/deprecated/spectrogram_diffusion/continuous_encoder.py CA103 nth 1 (line 79,
# SpectrogramContEncoder.forward): the pipeline passes a bool (1, T) encoder_continuous_mask, so seq_lens =
# mask.sum(-1) is int64 and tuple(seq_lens.tolist()) breaks plain torch.compile (GB0033).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def forward(encoder_inputs, encoder_inputs_mask):
    max_positions = encoder_inputs.shape[1]
    input_positions = torch.arange(max_positions, device=encoder_inputs.device)
    seq_lens = encoder_inputs_mask.sum(-1)
    input_positions = torch.roll(input_positions.unsqueeze(0), tuple(seq_lens.tolist()), dims=0)
    return encoder_inputs + input_positions.unsqueeze(-1)


check(forward, torch.randn(1, 6, 4), torch.ones((1, 6), dtype=bool), mode="default")
