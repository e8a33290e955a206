# peft/tuners/lora/variants.py CA113 nth 1 (line 756, get_alora_offsets_for_forward): the warn fires only when an
# aLoRA adapter is active and the forward gets inputs_embeds without input_ids; it reports that aLoRA cannot work
# then ("Disabling aLoRA for this forward pass"): the invocation tokens are searched for in input_ids. aLoRA is
# driven with input_ids (training and PeftModelForCausalLM.forward calls); without an aLoRA adapter the helper
# returns at once. Compiling the helper the way it is called (input_ids given; also a plain-LoRA model) traces no
# warnings.warn: the only breaks are the offset search's own (CA110/CA102, o_13/o_14).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings

import torch
from torch._dynamo.utils import counters
from o_13 import AloraConfig, calculate_alora_offsets


class LoraConfigStub:
    alora_invocation_tokens = None


def is_alora_relevant_in_batch(model, adapter_names=None):
    is_alora_relevant = False
    if getattr(model.active_peft_config, "alora_invocation_tokens", None):
        is_alora_relevant = True
    elif adapter_names:
        for name in adapter_names:
            if name == "__base__":
                continue
            config_ = model.peft_config.get(name)
            if config_ and getattr(config_, "alora_invocation_tokens", None):
                is_alora_relevant = True
                break
    return is_alora_relevant


def get_alora_offsets_for_forward(model, input_ids=None, inputs_embeds=None, **kwargs):
    adapter_names_for_offset_calc = kwargs.get("adapter_names", None)
    if not is_alora_relevant_in_batch(model, adapter_names_for_offset_calc):
        return kwargs
    alora_offsets = kwargs.get("alora_offsets")
    if alora_offsets is None:
        if input_ids is None and inputs_embeds is not None:
            warnings.warn(
                "Cannot calculate aLoRA offsets when only inputs_embeds are provided. Disabling aLoRA for this forward pass."
            )
            kwargs["alora_offsets"] = None
        elif input_ids is not None:
            kwargs["alora_offsets"] = calculate_alora_offsets(
                model.peft_config, model.active_adapter, input_ids, adapter_names=adapter_names_for_offset_calc
            )
        else:
            kwargs["alora_offsets"] = None
    return kwargs


class Model(torch.nn.Module):
    def __init__(self, config):
        super().__init__()
        self.peft_config = {"default": config}
        self.active_adapter = "default"
        self.active_peft_config = config
        self.lin = torch.nn.Embedding(10, 4)

    def forward(self, input_ids=None, inputs_embeds=None):
        kwargs = get_alora_offsets_for_forward(self, input_ids, inputs_embeds)
        x = self.lin(input_ids) if inputs_embeds is None else inputs_embeds
        return x.sum() + len(kwargs)


input_ids = torch.tensor([[5, 1, 2, 3], [1, 2, 3, 4]])
reasons = []
for config in (AloraConfig([1, 2]), LoraConfigStub()):
    torch._dynamo.reset()
    counters.clear()
    torch.compile(Model(config), backend="eager")(input_ids=input_ids)
    reasons += [str(r).strip().splitlines()[0] for r in {**counters["graph_break"], **counters["unimplemented"]}]
print("graph breaks:", sorted(set(reasons)))
claim(any("warn" in r.lower() for r in reasons), "no warnings.warn is traced when the model is called with input_ids")
