# transformers models/modernbert/modular_modernbert.py:595 CA111 `labels = labels[mask_tokens]`.
# modular_*.py files are code-generation sources: modeling_modernbert.py says it is generated from it, and the lazy
# import structure of transformers skips files named modular_* (utils/import_utils.py create_import_structure_from_path:
# `elif not entry.name.startswith(("convert_", "modular_"))`), so nothing imports or runs this copy; the runtime copy
# in modeling_modernbert.py is judged on its own.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import re

root = pathlib.Path(__file__).parents[2] / ".corpus/precision/transformers/transformers"
imports = [p for p in root.rglob("*.py") if p.name != "modular_modernbert.py"
           and re.search(r"(import|from)\s+[\w.]*modular_modernbert", p.read_text(encoding="utf-8", errors="ignore"))]
generated = "automatically generated from src/transformers/models/modernbert/modular_modernbert.py" in (
    root / "models/modernbert/modeling_modernbert.py").read_text(encoding="utf-8")
print("modules importing modular_modernbert:", imports, "| modeling file generated from it:", generated)
claim(bool(imports) or not generated, "modular_modernbert.py runs when a ModernBERT model is compiled")
