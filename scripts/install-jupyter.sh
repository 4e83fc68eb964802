#!/usr/bin/env bash
# Installs the Debian Jupyter clients that the kernel tests drive: jupyter-client, nbclient,
# nbconvert, jupyter-console, jupyter_kernel_test and ipykernel. Installs only what is missing,
# and only as root with apt-get; exits 0 when everything is present, 3 when an install is impossible.
set -euo pipefail

"$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/apt-install.sh" jupyter-client python3-nbclient jupyter-nbconvert \
    jupyter-console python3-jupyter-kernel-test python3-ipykernel
echo "Jupyter clients are installed."
