# diffusers/pipelines/deprecated/versatile_diffusion/modeling_text_unet.py CA104 nth 1 (line 249,
# GLIGENTextBoundingboxProjection.forward): `if positive_embeddings:`.
# The only mode in which this line works is feature_type="text-image", where positive_embeddings
# is left at its default None (phrases_embeddings / image_embeddings are passed instead); `if None`
# is a constant. (In "text-only" mode it is a (B, max_objs, 768) tensor and eager itself raises
# "Boolean value of Tensor with more than one value is ambiguous"; moreover the versatile-diffusion
# UNetFlatConditionModel is used with attention_type="default", so position_net is never built.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class Proj(nn.Module):
    def __init__(self, positive_len=16, position_dim=8, out_dim=16):
        super().__init__()
        self.null_positive_feature = nn.Parameter(torch.zeros([positive_len]))
        self.linears = nn.Linear(positive_len + position_dim, out_dim)
        self.linears_text = nn.Linear(positive_len + position_dim, out_dim)
        self.linears_image = nn.Linear(positive_len + position_dim, out_dim)
        self.null_text_feature = nn.Parameter(torch.zeros([positive_len]))
        self.null_image_feature = nn.Parameter(torch.zeros([positive_len]))
        self.null_position_feature = nn.Parameter(torch.zeros([position_dim]))
        self.proj_box = nn.Linear(4, position_dim)  # stands for fourier_embedder

    def forward(self, boxes, masks, positive_embeddings=None, phrases_masks=None, image_masks=None,
                phrases_embeddings=None, image_embeddings=None):
        masks = masks.unsqueeze(-1)
        xyxy_embedding = self.proj_box(boxes)
        xyxy_null = self.null_position_feature.view(1, 1, -1)
        xyxy_embedding = xyxy_embedding * masks + (1 - masks) * xyxy_null
        if positive_embeddings:
            positive_null = self.null_positive_feature.view(1, 1, -1)
            positive_embeddings = positive_embeddings * masks + (1 - masks) * positive_null
            objs = self.linears(torch.cat([positive_embeddings, xyxy_embedding], dim=-1))
        else:
            phrases_masks = phrases_masks.unsqueeze(-1)
            image_masks = image_masks.unsqueeze(-1)
            text_null = self.null_text_feature.view(1, 1, -1)
            image_null = self.null_image_feature.view(1, 1, -1)
            phrases_embeddings = phrases_embeddings * phrases_masks + (1 - phrases_masks) * text_null
            image_embeddings = image_embeddings * image_masks + (1 - image_masks) * image_null
            objs_text = self.linears_text(torch.cat([phrases_embeddings, xyxy_embedding], dim=-1))
            objs_image = self.linears_image(torch.cat([image_embeddings, xyxy_embedding], dim=-1))
            objs = torch.cat([objs_text, objs_image], dim=1)
        return objs


B, N = 1, 30
m = Proj()
check(lambda b, mk, pm, im, pe, ie: m(b, mk, phrases_masks=pm, image_masks=im, phrases_embeddings=pe, image_embeddings=ie),
      torch.rand(B, N, 4), torch.ones(B, N), torch.ones(B, N), torch.ones(B, N), torch.randn(B, N, 16), torch.randn(B, N, 16))
