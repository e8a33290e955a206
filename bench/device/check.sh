#!/bin/sh
# The GPU check of issue 28 (run on the device machine, whose torch is a CUDA build): the
# fixtures' verdicts with --device cpu and --device cuda on the same machine, and a project whose
# clean CPU-only forward cannot run on the GPU as written (a target failure, not a break).
# Writes its JSON reports under $OUT (or ./out).
set -u
OUT=${OUT:-out}
mkdir -p "$OUT"
export PYTHONPATH=$(pwd)
python -c "import torch, sys; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0))" | tee "$OUT/torch.txt"
for device in cpu cuda; do
  python -m compile_audit scan fixtures/ --confirm --no-cache --device "$device" --output-format json \
    -o "$OUT/fixtures-$device.json" 2> "$OUT/fixtures-$device.log"
  (cd tests/data/device_project && python -m compile_audit verify . --device "$device" --output-format json \
    -o "$OUT/device-project-$device.json" 2> "$OUT/device-project-$device.log")
done
ls -la "$OUT"
