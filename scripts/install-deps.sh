#!/usr/bin/env bash
# Installs the Debian packages the toolkit needs to build, test and run. Idempotent; quiet when all is there.
# Usage: scripts/install-deps.sh [--bench | --fuzz]   (--bench adds what ../shared/bench/torch_ref.py needs,
# --fuzz clang and libFuzzer for scripts/fuzz.sh)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libdnnl-dev ocl-icd-opencl-dev opencl-c-headers  # oneDNN; its CMake package needs the OpenCL headers
  libsentencepiece-dev sentencepiece
  libyaml-cpp-dev libboost-program-options-dev
  libgtest-dev libbenchmark-dev zlib1g-dev
  libopenmpi-dev openmpi-bin  # data-parallel training (mpirun)
  libcpp-httplib-dev  # the serve program
  pybind11-dev python3-dev python3-pytest  # the Python module (build/python) and its tests
  python3-matplotlib  # scripts/plot-*.py
  ca-certificates curl
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch python3-sentencepiece libopenblas0-openmp time)  # time: peak RSS in bench-vs-torch.sh
fi
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang-15 libfuzzer-15-dev libomp-15-dev)
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
