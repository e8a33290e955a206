# kornia/feature/adalam/adalam.py CA113 nth 1 (line 118, match_adalam: `warnings.warn("Custom configuration contains
# a key which is not recognized ...")`). The warning runs only for a key of the caller's config that is not an
# AdaLAM setting: a user error ("an unknown key warns and is ignored"), not a path of normal use. The compiled caller,
# GeometryAwareDescriptorMatcher('adalam', params).forward, passes its params dict; with valid keys (or none, the
# default) the merge loop never reaches the warning. (fullgraph fails earlier, at get_adalam_default_config(): Dynamo
# 2.13 does not build a TypedDict with NotRequired keys; that is line 113, not this finding.) Real
# get_adalam_default_config, match_adalam's merge code verbatim; the graph breaks plain torch.compile meets are
# listed: the warning is among them only with an unknown key.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
import warnings
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
from kornia.feature.adalam.adalam import get_adalam_default_config


def merged_config(desc1, config=None):  # match_adalam, lines 113-124
    config_ = get_adalam_default_config()
    config_["device"] = desc1.device
    if config is not None:
        for key, val in config.items():
            if key not in config_:
                warnings.warn(
                    f"Custom configuration contains a key which is not recognized ({key}). "
                    f"Known configurations are {list(config_.keys())}.",
                    stacklevel=2,
                )
                continue
            config_[key] = val
    return desc1 * config_["min_inliers"] + config_["ransac_iters"]


from torch._dynamo.utils import counters


def breaks(config):
    torch._dynamo.reset()
    counters.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.compile(merged_config, backend="eager")(torch.randn(100, 128), config)
    reasons = [str(r) for r in {**counters["graph_break"], **counters["unimplemented"]}]
    return reasons, len(caught)


params = {"min_inliers": 10, "ransac_iters": 256, "refit": False}  # GeometryAwareDescriptorMatcher('adalam', params)
valid, n_valid = breaks(params)
typo, n_typo = breaks({**params, "min_inlier": 10})
print("valid config:", n_valid, "warnings; breaks:", [r.splitlines()[0] for r in valid])
print("unknown key: ", n_typo, "warnings; breaks:", [r.splitlines()[0] for r in typo])
warn_break = lambda reasons: any("warn" in r for r in reasons)
assert warn_break(typo) and not n_valid
claim(warn_break(valid), "warnings.warn at line 118 is traced when the compiled matcher runs with a valid AdaLAM config")
