"""Measures the Skiff Java kernel with jupyter_client: time from process start to the first
kernel_info_reply, the round trip of executing `1+1` (p50 and p99), and the resident memory of the
idle kernel after those cells.

Usage: JUPYTER_PATH=... /usr/bin/python3 bench/kernel-bench.py [KERNEL_NAME] [ROUNDS]
The kernel spec must be installed (KernelSpecInstaller); KERNEL_NAME defaults to skiff-java.
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

name = sys.argv[1] if len(sys.argv) > 1 else "skiff-java"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 300

km = KernelManager(kernel_name=name)
started = time.perf_counter()
km.start_kernel()
kc = km.client()
kc.start_channels()
while True:
    kc.kernel_info()
    try:
        reply = kc.get_shell_msg(timeout=0.05)
    except Exception:
        continue
    if reply["msg_type"] == "kernel_info_reply":
        break
start_seconds = time.perf_counter() - started

kc.execute_interactive("1+1", timeout=120)  # waits for JShell to finish starting
for _ in range(50):
    kc.execute_interactive("1+1", timeout=30, output_hook=lambda m: None)
times = []
for _ in range(rounds):
    t = time.perf_counter()
    kc.execute_interactive("1+1", timeout=30, output_hook=lambda m: None)
    times.append((time.perf_counter() - t) * 1000)
times.sort()
time.sleep(2)
pid = km.provisioner.process.pid
with open(f"/proc/{pid}/status") as status:
    rss_kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
kc.stop_channels()
km.shutdown_kernel(now=False)

print(f"start to first kernel_info_reply: {start_seconds:.2f} s")
print(f"1+1 round trip over {rounds}: p50 {statistics.median(times):.1f} ms, "
      f"p99 {times[int(len(times) * 0.99) - 1]:.1f} ms")
print(f"idle resident memory: {rss_kib / 1024:.0f} MiB")
