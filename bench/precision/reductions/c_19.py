# Reduces: x_transformers x_transformers/entropy_based_tokenizer.py:215 CA103 (one_seq.split(one_token_length.tolist()))
# one_token_length is a row of the int64 token_lengths (differences of arange indices), filtered by > 0;
# integer .tolist() is captured as SymInts under fullgraph=True and the split compiles.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

def segment(seq, token_lengths):
    segmented_seq = []
    for one_seq, one_token_length in zip(seq, token_lengths):
        one_token_length = one_token_length[one_token_length > 0]
        splitted_seq = one_seq.split(one_token_length.tolist())
        segmented_seq.append(splitted_seq)
    return segmented_seq

seq = torch.randint(0, 256, (2, 10))
token_lengths = torch.tensor([[3, 4, 3, 0], [2, 2, 2, 4]], dtype=torch.int64)
check(segment, seq, token_lengths)
