# torchtune/modules/loss/kd_losses.py CA104 nth 2 (line 251, ForwardKLWithChunkedOutputLoss.forward):
# `if sum_masks == 0:` (sum_masks is a 0-d Tensor).
# Scope: torchtune's compile path, training.compile_loss, special-cases ForwardKLWithChunkedOutputLoss
# and compiles only `loss.fkl_loss` (called with normalize=False, which returns before its own
# sum_masks check); the chunking forward containing line 251 deliberately stays eager, so the flagged
# line is not traced in normal use.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles

claim(False, "compile_loss compiles only fkl_loss for ForwardKLWithChunkedOutputLoss; its forward (line 251) runs eagerly")
