# Reduces: diffusers diffusers/pipelines/shap_e/renderer.py:575 CA110 (used_vertex_indices = torch.unique(selected_tris.view(-1)))
# MeshDecoder.forward (ShapERenderer.decode_to_mesh): selected_tris is an int64 index tensor; torch.unique has a
# data-dependent output size -> graph break in default torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

def remap(selected_tris, edge_midpoints):
    used_vertex_indices = torch.unique(selected_tris.view(-1))
    used_edge_midpoints = edge_midpoints[used_vertex_indices]
    old_index_to_new_index = torch.zeros(len(edge_midpoints), dtype=torch.long)
    old_index_to_new_index[used_vertex_indices] = torch.arange(len(used_vertex_indices), dtype=torch.long)
    faces = torch.gather(old_index_to_new_index, 0, selected_tris.view(-1)).reshape(selected_tris.shape)
    return used_edge_midpoints, faces

check(remap, torch.randint(0, 60, (25, 3), dtype=torch.long), torch.randn(60, 3), mode="default")
