# kornia/tracking/planar_tracker.py CA102 nth 1 (line 249, match_initial) and nth 2 (line 313, track_next_frame),
# both reached from HomographyTracker.forward: `self.inliers_num = inliers.sum().item()`, inliers the (N,) bool
# mask returned by RANSAC: .item() breaks plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


class Holder(torch.nn.Module):
    def forward(self, H, inliers):
        self.inliers_num = inliers.sum().item()
        if self.inliers_num < 30:
            return H * 0, False
        return H.clone(), True


check(Holder(), torch.eye(3), torch.rand(100) < 0.5, mode="default")
