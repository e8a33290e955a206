# kornia/feature/sold2/sold2_detector.py CA110 nth 1 (line 584, line_map_to_segments): SOLD2_detector.forward calls
# it per image with the int32 (N, N) line map from LineSegmentDetectionModule.detect. One-argument torch.where of
# it is nonzero: a data-dependent number of segments, so plain torch.compile breaks at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.feature.sold2.sold2_detector import line_map_to_segments

junctions = torch.rand(6, 2) * 64
line_map = torch.zeros(6, 6, dtype=torch.int32)
line_map[0, 3] = line_map[3, 0] = line_map[1, 4] = line_map[4, 1] = 1
check(line_map_to_segments, junctions, line_map, mode="default")
