# monai/networks/blocks/warp.py CA118 nth 1 (line 128, Warp.get_reference_grid, called from Warp.forward):
# with the documented option Warp(jitter=True) the reference grid is built in forward on the first call (and
# whenever the batch/spatial shape changes) and seeded with torch.random.manual_seed(seed) inside
# torch.random.fork_rng(). Dynamo cannot trace either: the enclosing `with fork_rng()` already fails
# (GB0208, returns a _GeneratorContextManager), and manual_seed itself is a skipped function (GB0007).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def get_reference_grid(ddf, jitter=True, seed=0):
    mesh_points = [torch.arange(0, dim) for dim in ddf.shape[2:]]
    grid = torch.stack(torch.meshgrid(*mesh_points, indexing="ij"), dim=0)
    grid = torch.stack([grid] * ddf.shape[0], dim=0)
    grid = grid.to(ddf)
    if jitter:
        with torch.random.fork_rng():
            torch.random.manual_seed(seed)
            grid += torch.rand_like(grid)
    return grid


def warp_grid(ddf):
    return get_reference_grid(ddf, jitter=True) + ddf


check(warp_grid, torch.randn(2, 2, 8, 8))
