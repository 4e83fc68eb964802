#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing, with apt-get, as root.
# Exits 0 when all are present afterwards, 3 when an install is impossible here (no apt-get, not
# root, or apt-get failed), with a message saying what to install by hand.
set -euo pipefail

missing=()
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
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
# The package lists may be stale or absent on a fresh machine; refresh them only when needed.
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    apt-get update -qq
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
        echo "apt-get failed to install ${missing[*]}" >&2
        exit 3
    fi
fi
echo "Installed ${missing[*]}"
