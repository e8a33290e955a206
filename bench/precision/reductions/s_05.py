# sentence_transformers multi_vector_encoder/modules/token_pooling.py:105 (CA111)
# `pooled_list = [self.pool_one(emb[m]) for emb, m in zip(token_embeddings.unbind(0), attention_mask.unbind(0))]`: TokenPooling.forward
# (a module of the multi-vector encoder, run on every encode/training step) keeps each row's real tokens with the
# boolean attention mask: a data-dependent length, a graph break in plain torch.compile (GB0036). (Zipping the
# tensors themselves also breaks, at the same line; the reduction unbinds them first to show the index breaks.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class TokenPooling(torch.nn.Module):
    def pool_one(self, emb):
        return emb[: max(1, emb.shape[0] // 2)]

    def forward(self, features):
        token_embeddings = features["token_embeddings"]
        attention_mask = features["attention_mask"].bool()
        if token_embeddings.shape[0] == 0:
            return features
        pooled_list = [self.pool_one(emb[m]) for emb, m in zip(token_embeddings.unbind(0), attention_mask.unbind(0))]
        return pooled_list


features = {"token_embeddings": torch.randn(2, 6, 4), "attention_mask": torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]])}
check(TokenPooling(), features, mode="default")
