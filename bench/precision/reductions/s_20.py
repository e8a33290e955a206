# kornia losses/mutual_information.py CA111 at :280 `other_signal[..., self.mask]`, :284 `intermediate[..., self.mask]`,
# :324 `other_mask[self.mask]`, :325 `self.signal[..., common_mask]`, :327 `other_signal[..., other_mask]`, :330
# `other_signal[..., common_mask]`: the MI/NMI losses with roi masks (documented arguments; judged before for the
# `if other_mask.all():` of the same path, l_32) gather the masked samples with boolean masks: data-dependent sizes,
# plain torch.compile breaks (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class MILossFromRef(torch.nn.Module):  # self.signal: the reference samples inside self.mask
    def __init__(self, signal, mask):
        super().__init__()
        self.signal = signal
        self.mask = mask

    def forward(self, other_signal, other_mask):
        common_mask = other_mask[self.mask]
        ref_signal = self.signal[..., common_mask]
        other = other_signal[..., other_mask]
        return ref_signal.mean() + other.mean()


mask = torch.tensor([True, True, False, True, True, True])
check(MILossFromRef(torch.rand(5), mask), torch.rand(6), torch.tensor([True, False, True, True, True, True]), mode="default")
