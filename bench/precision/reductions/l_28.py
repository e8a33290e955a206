# kornia/tracking/planar_tracker.py CA111 nth 1 (lines 235 and 236, HomographyTracker.match_initial, called by
# forward for a frame without a previous homography): `match_dict["keypoints0"][match_dict["batch_indexes"] == 0]`,
# the matcher's (N, 2) float keypoints indexed by a bool comparison of its int64 batch indexes: data-dependent
# length, so plain torch.compile breaks. (track_next_frame repeats the same pattern.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(match_dict):
    keypoints0 = match_dict["keypoints0"][match_dict["batch_indexes"] == 0]
    return keypoints0.sum(0)


n = 50
check(f, {"keypoints0": torch.rand(n, 2) * 100, "keypoints1": torch.rand(n, 2) * 100,
          "batch_indexes": torch.zeros(n, dtype=torch.long)}, mode="default")
