# kornia feature/sold2/sold2_detector.py:481 `refined_segment_lst.append(segment[max_idx][None])` (CA144):
# refine_segment_perturb (the default use_junction_refinement path of SOLD2's detector) picks the best candidate
# with `max_idx = torch.argmax(segment_results)`, a 0-d tensor, and indexes a tensor with it: Dynamo reads its value
# (data-dependent operator) and fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def refine(segments, scores):
    refined = []
    for idx in range(segments.shape[0]):
        segment = segments[idx]
        max_idx = torch.argmax(scores[idx])
        refined.append(segment[max_idx][None])
    return torch.cat(refined, 0)


check(refine, torch.rand(3, 5, 2, 2), torch.rand(3, 5))
