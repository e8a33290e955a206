# diffusers/pipelines/latent_diffusion/pipeline_latent_diffusion.py CA104 nth 1 (line 520,
# LDMBertEncoderLayer.forward): `if hidden_states.dtype == torch.float16 and (torch.isinf(hidden_states).any()
# or torch.isnan(hidden_states).any()):`. With the pipeline loaded in float16 (torch_dtype=torch.float16,
# the usual inference dtype) the dtype test is True and the any() tensors are branched on.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def layer_tail(hidden_states, residual):
    hidden_states = residual + hidden_states
    if hidden_states.dtype == torch.float16 and (
        torch.isinf(hidden_states).any() or torch.isnan(hidden_states).any()
    ):
        clamp_value = torch.finfo(hidden_states.dtype).max - 1000
        hidden_states = torch.clamp(hidden_states, min=-clamp_value, max=clamp_value)
    return (hidden_states,)


check(layer_tail, torch.randn(1, 77, 32, dtype=torch.float16), torch.randn(1, 77, 32, dtype=torch.float16))
