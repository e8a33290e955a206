# diffusers pipelines/deprecated/blip_diffusion/modeling_blip2.py:169 CA112 `logger.warning(...)` under
# `if getattr(self.config, "gradient_checkpointing", False) and torch.is_grad_enabled(): if use_cache:`. The deprecated
# BLIP-Diffusion pipeline only runs inference: nothing in diffusers sets a `gradient_checkpointing` attribute on the
# QFormer's config (the model's own flag is self.gradient_checkpointing = False), so getattr gives False and the
# branch is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
root = pathlib.Path(__file__).parents[2] / ".corpus/precision/diffusers/diffusers"
setters = [(str(p.relative_to(root)), line.strip()) for p in root.rglob("*.py")
           for line in p.read_text(encoding="utf-8", errors="ignore").splitlines()
           if "config.gradient_checkpointing" in line.replace(" ", "") and "=" in line.split("config.gradient_checkpointing", 1)[-1][:3]]
print("assignments to a config's gradient_checkpointing:", setters)
claim(bool(setters), "something in diffusers turns on config.gradient_checkpointing for the QFormer")
