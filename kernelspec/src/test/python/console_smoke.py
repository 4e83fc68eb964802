"""Smoke test of jupyter console on the Skiff Java kernel: runs two inputs and checks the printed results."""
import os
import subprocess
import sys

KERNEL = os.environ.get("SKIFF_KERNEL_NAME", "skiff-java")

completed = subprocess.run(
    ["jupyter-console", "--simple-prompt", f"--kernel={KERNEL}", "--ZMQTerminalInteractiveShell.kernel_timeout=120"],
    input='System.out.println("console says " + (6 * 7));\n"x".repeat(3)\nexit\n',
    capture_output=True, text=True, timeout=180)
output = completed.stdout + completed.stderr
print(output)
for expected in ("console says 42", '"xxx"'):
    if expected not in output:
        print(f"jupyter console output lacks {expected!r}")
        sys.exit(1)
sys.exit(completed.returncode)
