# kornia feature/sold2/sold2_detector.py CA111 at :312 `candidate_index_map[detection_results]`, :325
# `heatmap[heatmap > valid_thresh]`, :409 `candidate_map[start_point_idxs[final_mask], end_point_idxs[final_mask]] = 0`
# and :556 `patch_points[patch_center_dist <= self.local_patch_radius, :]`: LineSegmentDetectionModule.detect (run by
# SOLD2.forward on every image; judged TRUE before for its other lines) selects junction pairs, heatmap values and
# patch points with boolean masks: data-dependent sizes, graph breaks in plain torch.compile (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def detect(heatmap, candidate_index_map, detection_results, valid_thresh: float = 1e-2):
    detected = candidate_index_map[detection_results]
    heatmap_values = heatmap[heatmap > valid_thresh]
    return detected, heatmap_values


check(detect, torch.rand(8, 8), torch.randint(0, 8, (6, 2)), torch.rand(6) > 0.5, mode="default")
