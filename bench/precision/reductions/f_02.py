# f_02: peft peft/peft_model.py:1673 (CA113 warnings.warn in PeftModel._adjust_prompt_learning_kwargs),
# called from PeftModelForCausalLM.forward (and the other task forwards) for prompt-learning methods.
# kwargs is the forward's **kwargs dict; when the caller passes position_ids (a Tensor) and the method is
# prompt tuning / p-tuning (not prefix tuning), the warn is traced on every call.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import enum
import warnings
import torch
import torch.nn as nn


class PeftType(str, enum.Enum):
    PROMPT_TUNING = "PROMPT_TUNING"
    PREFIX_TUNING = "PREFIX_TUNING"
    CARTRIDGE = "CARTRIDGE"


class Cfg:
    peft_type = PeftType.PROMPT_TUNING
    num_virtual_tokens = 3


class PromptModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.peft_config = Cfg()
        self.word_embeddings = nn.Embedding(10, 4)
        self.prompt = nn.Parameter(torch.randn(3, 4))

    def _adjust_prompt_learning_kwargs(self, peft_config, *, kwargs, remove_token_type_ids=True):
        if kwargs.get("position_ids", None) is not None:
            if peft_config.peft_type in (PeftType.PREFIX_TUNING, PeftType.CARTRIDGE):
                kwargs["position_ids"] = kwargs["position_ids"] + peft_config.num_virtual_tokens
            else:
                warnings.warn("Position ids are not supported for parameter efficient tuning. Ignoring position ids.")
                kwargs["position_ids"] = None

        if remove_token_type_ids and kwargs.get("token_type_ids", None) is not None:
            warnings.warn("Token type ids are not supported for parameter efficient tuning. Ignoring token type ids")
            kwargs["token_type_ids"] = None

    def forward(self, input_ids=None, attention_mask=None, **kwargs):
        peft_config = self.peft_config
        batch_size = input_ids.shape[0]
        if attention_mask is not None:
            prefix_attention_mask = torch.ones(batch_size, peft_config.num_virtual_tokens).to(attention_mask.device)
            attention_mask = torch.cat((prefix_attention_mask, attention_mask), dim=1)
        self._adjust_prompt_learning_kwargs(peft_config, kwargs=kwargs)
        inputs_embeds = self.word_embeddings(input_ids)
        prompts = self.prompt.unsqueeze(0).expand(batch_size, -1, -1)
        return torch.cat((prompts, inputs_embeds), dim=1), attention_mask


ids = torch.randint(0, 10, (2, 5))
check(PromptModel(), ids, attention_mask=torch.ones(2, 5), position_ids=torch.arange(5).unsqueeze(0).expand(2, -1))
