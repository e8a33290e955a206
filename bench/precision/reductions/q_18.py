# peft/tuners/p_tuning/model.py CA137 nth 1 (line 126, PromptEncoder.forward): with the documented
# PromptEncoderConfig(encoder_reparameterization_type="LSTM"), get_prompt calls the prompt encoder in every training
# forward (inference_mode=False) and forward runs self.lstm_head, a torch.nn.LSTM: Dynamo does not trace nn.LSTM
# (GB0014) and fullgraph=True fails at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class PromptEncoder(torch.nn.Module):
    def __init__(self, n=4, d=8, h=8):
        super().__init__()
        self.embedding = torch.nn.Embedding(n, d)
        self.lstm_head = torch.nn.LSTM(input_size=d, hidden_size=h, num_layers=2, dropout=0.0, bidirectional=True,
                                       batch_first=True)
        self.mlp_head = torch.nn.Sequential(torch.nn.Linear(h * 2, h * 2), torch.nn.ReLU(), torch.nn.Linear(h * 2, d))

    def forward(self, indices):
        input_embeds = self.embedding(indices)
        return self.mlp_head(self.lstm_head(input_embeds)[0])


check(PromptEncoder(), torch.arange(4).unsqueeze(0))
