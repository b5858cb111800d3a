#!/usr/bin/env bash
# One-call GPU check: on a Linux x64 machine with an NVIDIA GPU (its Vulkan driver and libvulkan1) and no network,
# runs bench:kernels and bench:gan on webgpu through Dawn in Node, with PyTorch CUDA (fp32, TF32 off) as the
# baseline, then PyTorch alone with TF32 on, reported apart. Prepare on a machine with the checkout:
#   npx tsx bench/device/pack.ts --with-node      # → bench/device/out/ (bundles, dawn.node, Node, PyTorch scripts)
# then, on the GPU machine, from the checkout (or a copy of bench/device/out/):
#   bash bench/device/gpu-check.sh [--quick]      # --quick: 32×32 only, fewer steps (about 10 minutes)
# Figures to report: ms per step and the ratio to PyTorch, per workload; each conv kernel's share of the matMul.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here"
[ -d "$here/out/repo" ] && out="$here/out"
[ -d "$out/repo/bench" ] || { echo "no bundle: run 'npx tsx bench/device/pack.ts --with-node' first" >&2; exit 1; }

# Node: the machine's own (18 or later), else the one packed beside the bundle.
node_bin="$(command -v node || true)"
if [ -z "$node_bin" ] || [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" -lt 18 ]; then
  [ -f "$out/node.xz" ] || { echo "no Node 18+ here and none packed (pack.ts --with-node)" >&2; exit 1; }
  node_bin="$out/node/bin/node"
  if [ ! -x "$node_bin" ]; then
    mkdir -p "$out/node/bin"
    xz -dc "$out/node.xz" > "$node_bin" 2>/dev/null || python3 -c 'import lzma, sys; sys.stdout.buffer.write(lzma.open(sys.argv[1]).read())' "$out/node.xz" > "$node_bin"
    chmod +x "$node_bin"
  fi
fi
dawn="$out/repo/bench/dist/linux-x64/dawn.node"
[ -f "$dawn" ] || gzip -dc "$dawn.gz" > "$dawn"
echo "node $("$node_bin" --version); $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'nvidia-smi: none')"

sizes="32,64"; steps=""; quick=false
for arg in "$@"; do [ "$arg" = "--quick" ] && quick=true; done
if $quick; then sizes="32"; steps="--steps=3 --warmup=1"; fi

python="${PYTHON:-python3}"
if "$python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() and hasattr(torch, "set_default_device") else 1)' 2>/dev/null; then
  export ZT_TORCH_DEVICE=cuda
  "$python" -c 'import torch; print("torch", torch.__version__, "on", torch.cuda.get_device_name(0))'
else
  echo "PyTorch with CUDA (torch 2.0 or later) not found: the ratios will be against PyTorch on the CPU"
fi

cd "$out/repo"
echo; echo "== bench:kernels (conv kernels against the adapter's matMul)"
"$node_bin" bench/kernels.mjs --sizes="$sizes"
echo; echo "== bench:gan on webgpu, PyTorch TF32 off"
ZT_TORCH_TF32=0 "$node_bin" bench/gan.mjs --backends=webgpu --sizes="$sizes" $steps
if [ "${ZT_TORCH_DEVICE:-}" = cuda ]; then
  echo; echo "== PyTorch alone, TF32 on (for reference; the target is against TF32 off)"
  ZT_TORCH_TF32=1 "$node_bin" bench/gan.mjs --backends= --sizes="$sizes" $steps
fi
