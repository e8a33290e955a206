# torchao/prototype/paretoq/models/modeling_llama_quant.py CA104 nth 1 (line 114,
# LlamaRotaryEmbedding._dynamic_frequency_update, called from forward when rope_type is "dynamic"):
# seq_len = torch.max(position_ids) + 1 is a 0-d Tensor, so `if seq_len > self.max_seq_len_cached:`
# branches on tensor data.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class Rope(torch.nn.Module):
    def __init__(self, max_position_embeddings=64, dim=8):
        super().__init__()
        self.rope_type = "dynamic"
        self.max_seq_len_cached = max_position_embeddings
        self.original_max_seq_len = max_position_embeddings
        self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim)), persistent=False)

    def _dynamic_frequency_update(self, position_ids, device):
        seq_len = torch.max(position_ids) + 1
        if seq_len > self.max_seq_len_cached:  # growth
            self.max_seq_len_cached = seq_len

    @torch.no_grad()
    def forward(self, x, position_ids):
        if "dynamic" in self.rope_type:
            self._dynamic_frequency_update(position_ids, device=x.device)
        freqs = self.inv_freq[None, :, None] @ position_ids[:, None, :].float()
        return freqs.cos(), freqs.sin()


check(Rope(), torch.randn(1, 10, 8), torch.arange(10)[None])
