#!/usr/bin/env bash
# Installs the Debian Jupyter clients that the kernel tests drive: jupyter-client, nbclient,
# nbconvert, jupyter-console, jupyter_kernel_test and ipykernel. Installs only what is missing,
# and only as root with apt-get; exits 0 when everything is present, 3 when an install is impossible.
set -euo pipefail

PACKAGES=(jupyter-client python3-nbclient jupyter-nbconvert jupyter-console python3-jupyter-kernel-test python3-ipykernel)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "Jupyter clients are installed."
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Cannot install ${missing[*]}: apt-get is missing. Install these Debian packages or their equivalents." >&2
    exit 3
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "Cannot install ${missing[*]}: run this script as root, or run: sudo apt-get install ${missing[*]}" >&2
    exit 3
fi

echo "Installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    apt-get update -qq
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        echo "apt-get failed to install ${missing[*]}" >&2
        exit 3
    fi
fi
echo "Installed ${missing[*]}"
