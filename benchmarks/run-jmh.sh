#!/usr/bin/env bash
# Runs the JMH benchmarks on JDK 25 and prints ns/op, B/op and JAIN-SIP/Parley ratios.
#
#   benchmarks/run-jmh.sh                      # every benchmark
#   benchmarks/run-jmh.sh 'ParseBenchmark'     # a regex over benchmark names
#   FORKS=2 ITER=10 benchmarks/run-jmh.sh Parse -prof stack   # more JMH options after the regex
#
# Environment: JAVA (default temurin 25), FORKS (1), WARMUPS (3), ITER (5), WTIME/RTIME (JMH
# default 10s), RESULT (benchmarks/target/jmh-result.json). Sizes are options here and not
# extra arguments because JMH rejects an option given twice.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=benchmarks/target/benchmarks.jar
RESULT=${RESULT:-benchmarks/target/jmh-result.json}
REGEX=${1:-'sip\.bench\.'}
shift || true

# Rebuild when the jar is missing or older than anything it is made from (the modules included,
# so a `git merge main` is picked up).
if [[ ! -f $JAR ]] || [[ -n $(find pom.xml benchmarks/pom.xml benchmarks/src modules \
        -path '*/target' -prune -o -newer "$JAR" -print -quit) ]]; then
    # Maven runs on the JDK 25 too: on JDK 17 the jar plugin's `jar` tool rejects sip.message's
    # class-version-69 module-info.class the first time the modular jar is written.
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
        ./mvnw -B -q -pl benchmarks -am package -DskipTests 2>&1 | grep -v -e 'sun.misc.Unsafe' -e 'HiddenClassDefiner' || true
    [[ -f $JAR ]] || { echo "build failed" >&2; exit 1; }
fi

times=()
[[ -n ${WTIME:-} ]] && times+=(-w "$WTIME")
[[ -n ${RTIME:-} ]] && times+=(-r "$RTIME")

"$JAVA" -version 2>&1 | head -1
"$JAVA" -jar "$JAR" "$REGEX" -prof gc -f "${FORKS:-1}" -wi "${WARMUPS:-3}" -i "${ITER:-5}" \
    "${times[@]}" -rf json -rff "$RESULT" "$@"

python3 - "$RESULT" <<'PY'
import json, sys
from collections import defaultdict

runs = json.load(open(sys.argv[1]))
rows = {}
by_class = defaultdict(dict)
for r in runs:
    name = r["benchmark"].rsplit(".", 2)
    cls, method = name[-2], name[-1]
    params = r.get("params")
    if params:  # e.g. the echo benchmarks' protocol: one row per parameter set
        method += "[" + ",".join(f"{v}" for v in params.values()) + "]"
    pm = r["primaryMetric"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    row = (pm["score"], pm["scoreError"], pm["scoreUnit"],
           alloc["score"] if alloc else float("nan"), alloc["scoreError"] if alloc else float("nan"))
    rows[(cls, method)] = row
    by_class[cls][method] = row

def num(x):
    x = float(x)  # JMH writes "NaN" as a string when there are too few samples
    return "n/a" if x != x else f"{x:,.1f}"

print()
print(f"{'benchmark':<34} {'time/op':>12} {'± error':>10} {'unit':>6} {'B/op':>10} {'± error':>8}")
for (cls, method), (t, te, unit, b, be) in rows.items():
    print(f"{cls + '.' + method:<34} {num(t):>12} {num(te):>10} {unit:>6} {num(b):>10} {num(be):>8}")

if any("jainSip" in ms for ms in by_class.values()):
    print()
    print("JAIN-SIP / Parley in this run (higher is better for Parley; target >= 10x):")
for cls, ms in by_class.items():
    if "jainSip" not in ms:
        continue
    jt, _, _, jb, _ = ms["jainSip"]
    for m, (t, _, _, b, _) in ms.items():
        if m == "jainSip":
            continue
        bt = jb / b if b == b and b > 0 else float("nan")
        print(f"  {cls + '.' + m:<32} time {jt / t:6.1f}x   alloc {num(bt)}x")
echo = by_class.get("TransportEchoBenchmark", {})
raw = by_class.get("RawSocketEchoBenchmark", {})
floor = by_class.get("EchoFloorBenchmark", {}).get("roundTrip")
if echo and raw:
    print()
    print("Transport echo against bare JDK sockets in this run (1.0x = no cost over raw sockets):")
    for m, (t, _, _, b, _) in echo.items():
        r = raw.get(m)
        if r:
            extra = f"   transport garbage {b - floor[3]:,.0f} B/round trip over the floor" if floor else ""
            print(f"  {m:<16} Parley/raw throughput {t / r[0]:5.2f}x   {b:,.0f} B/op{extra}")
print("Error bars are JMH's 99.9% confidence intervals; overlapping bars mean no measured difference.")
PY
