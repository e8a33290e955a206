# sentence_transformers sentence_transformer/modules/lstm.py:58 CA137 `packed = self.encoder(packed)`.
# LSTM (a sentence_transformers Module, i.e. an nn.Module) is the documented BiLSTM layer of
# [WordEmbeddings, LSTM, Pooling] models; with model.compile() its forward runs inside the compiled
# SentenceTransformer forward. self.encoder is an nn.LSTM: Dynamo refuses to wrap it ("Attempted to wrap RNN, GRU,
# or LSTM"). pack_padded_sequence on the line before already breaks (a skipped function), Dynamo resumes after it
# and breaks again at this line: both breaks are listed.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class LSTM(nn.Module):
    def __init__(self, embedding_dimension=8, hidden_dim=4):
        super().__init__()
        self.encoder = nn.LSTM(embedding_dimension, hidden_dim, num_layers=1, dropout=0, bidirectional=True,
                               batch_first=True)

    def forward(self, features):
        token_embeddings = features["token_embeddings"]
        sentence_lengths = torch.clamp(features["sentence_lengths"], min=1)
        packed = nn.utils.rnn.pack_padded_sequence(
            token_embeddings, sentence_lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        packed = self.encoder(packed)
        unpack = nn.utils.rnn.pad_packed_sequence(packed[0], batch_first=True)[0]
        features.update({"token_embeddings": unpack})
        return features


features = {"token_embeddings": torch.randn(2, 6, 8), "sentence_lengths": torch.tensor([6, 3])}
check(LSTM(), features, mode="default")
