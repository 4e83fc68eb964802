#!/usr/bin/env bash
# Measures the wall time of 'skiff run' on a script that makes one remote call, split into JVM start,
# CLI start, script compile, first call and shutdown, beside the same script run by plain
# 'java -cp ... groovy.ui.GroovyMain' with the same JVM options and classpath.
#
# Usage: bench/skiff-run.sh [RUNS]      (default 10 runs of each command; prints medians in ms)
#
# It first runs './skiff version' so that the launcher builds and records its class data archive.
# Then it times four commands on the same script, RUNS times each, in turn:
#   launcher: ./skiff run SCRIPT, that is the bash launcher and then the CLI.
#   cli:      java OPTIONS -cp CP dev.skiff.dsl.cli.Main run SCRIPT, the CLI without the launcher.
#   compile:  ./skiff run SCRIPT with SKIFF_SCRIPT_CACHE=false, so the script is compiled every time,
#             as on the first run of a new or changed script.
#   groovy:   java OPTIONS -cp CP groovy.ui.GroovyMain -b dev.skiff.dsl.SkiffScript SCRIPT.
# The groovy command records the script's classes with dev.skiff.dsl.ClassCapture through
# --configscript, so its remote call works as it does under skiff. Run it on an otherwise idle
# machine, because other load changes the results a lot.
set -euo pipefail

runs="${1:-10}"
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SKIFF_HOME="$work/home"

cat > "$work/one_call.groovy" <<'GROOVY'
def bench = app('bench')
def square = bench.function('square') { int x -> x * x }
long started = System.nanoTime()
def result = square.remote(7)
System.err.println "first call ${(System.nanoTime() - started).intdiv(1_000_000)} ms"
println result
GROOVY
cat > "$work/capture.groovy" <<'GROOVY'
configuration.bytecodePostprocessor = new dev.skiff.dsl.ClassCapture()
GROOVY

"$root/skiff" version > /dev/null
jar="$(ls "$root"/dsl/target/skiff-dsl-*.jar | head -1)"
classpath="$jar:$(cat "$root/dsl/target/skiff.classpath")"
options=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
if [[ -f "$root/dsl/target/skiff-cli.jsa" ]]; then
    options+=(-XX:SharedArchiveFile="$root/dsl/target/skiff-cli.jsa")
fi

# Prints the wall time of the command in ms and appends its stderr to $work/NAME.stderr.
time_ms() {
    local name="$1" start end
    shift
    start=$(date +%s%N)
    SKIFF_TIMINGS=1 "$@" > "$work/stdout" 2>> "$work/$name.stderr"
    end=$(date +%s%N)
    if [[ "$(cat "$work/stdout")" != "49" ]]; then
        echo "unexpected output from $*: $(cat "$work/stdout")" >&2
        exit 1
    fi
    echo $(( (end - start) / 1000000 ))
}

median() {
    sort -n | awk '{ values[NR] = $1 } END { print (NR % 2) ? values[(NR + 1) / 2] : int((values[NR / 2] + values[NR / 2 + 1]) / 2) }'
}

# One warm-up run of each, so that the engine's worker class data archive exists in SKIFF_HOME.
time_ms warmup "$root/skiff" run "$work/one_call.groovy" > /dev/null

declare -A totals
names=(launcher cli compile groovy)
for name in "${names[@]}"; do
    : > "$work/$name.times"
    : > "$work/$name.stderr"
done
for ((i = 0; i < runs; i++)); do
    time_ms launcher "$root/skiff" run "$work/one_call.groovy" >> "$work/launcher.times"
    time_ms cli java "${options[@]}" -cp "$classpath" dev.skiff.dsl.cli.Main run "$work/one_call.groovy" \
        >> "$work/cli.times"
    time_ms compile env SKIFF_SCRIPT_CACHE=false "$root/skiff" run "$work/one_call.groovy" >> "$work/compile.times"
    time_ms groovy java "${options[@]}" -cp "$classpath" groovy.ui.GroovyMain -b dev.skiff.dsl.SkiffScript \
        --configscript "$work/capture.groovy" "$work/one_call.groovy" >> "$work/groovy.times"
done

for name in "${names[@]}"; do
    totals[$name]=$(median < "$work/$name.times")
done
# Prints the median of phase $2 in the runs whose stderr files are named in $1.
phase() {
    local files=()
    for name in $1; do
        files+=("$work/$name.stderr")
    done
    grep -ho "$2 [0-9]* ms" "${files[@]}" | awk '{ print $(NF - 1) }' | median
}
phases() {
    echo "jvm start $(phase "$1" 'jvm start'), cli start $(phase "$1" 'cli start')," \
        "compile $(phase "$1" 'compile'), first call $(phase "$1" 'first call')," \
        "script body $(phase "$1" 'script body'), shutdown $(phase "$1" 'shutdown')"
}

echo "runs: $runs of each; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u)"
echo "median wall time (ms): launcher ${totals[launcher]}, cli ${totals[cli]}," \
    "launcher compiling every time ${totals[compile]}, groovy ${totals[groovy]}"
echo "launcher overhead (launcher - cli): $(( totals[launcher] - totals[cli] )) ms"
echo "skiff CLI beside plain GroovyMain (cli - groovy): $(( totals[cli] - totals[groovy] )) ms"
echo "median phases of the launcher and cli runs (ms): $(phases 'launcher cli')"
echo "median phases of the runs compiling every time (ms): $(phases compile)"

