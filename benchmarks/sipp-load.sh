#!/usr/bin/env bash
# SIPp UAC -> Parley UAS (sip.bench.load.LoadUas) over UDP on loopback: SIPp's built-in `uac`
# scenario (INVITE, 200, ACK, BYE, 200; -d 0), the call rate ramped step by step. Per step it
# prints SIPp's successful/failed calls and retransmissions, the rate SIPp really reached, the
# CPU seconds per 1000 calls of the UAS process (/proc/<pid>/stat) and of SIPp, and the UAS's
# transaction counters; then the heap after the run and the highest clean rate: every call
# successful, none failed, retransmissions < 1 % of calls, and >= 90 % of the asked rate reached.
#
#   benchmarks/sipp-load.sh                          # RATES="500 1000 2000 3000 4000 5000"
#   RATES="3000 3500" SECONDS_PER_STEP=20 benchmarks/sipp-load.sh
#   JFR=1 RATES=3000 benchmarks/sipp-load.sh         # also record the UAS with JFR, print hot methods
#   UAS=sipp benchmarks/sipp-load.sh                 # SIPp's uas in Parley's place: the harness's ceiling
#
# Environment: RATES, SECONDS_PER_STEP (10), PAUSE (2: seconds between steps), STOP_AFTER (2:
# unclean steps in a row that end the ramp), PORT (5070), T1_MS (500: the UAS's T1; the RFC
# default keeps every call's transactions 32 s), JAVA (temurin 25), JAVA_OPTS, DRAIN (1: after
# the ramp wait up to 45 s for the UAS's transactions to end, then measure the heap again),
# JFR (0), KEEP (0: keep the work directory with SIPp's files and the UAS's output), SIPP_OPTS
# (more SIPp options; default "-buff_size 1048576", the UDP buffer Parley asks for, so that SIPp's
# own socket does not drop the answers at high rates).
# Needs sipp (Debian sip-tester) and, for the table, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=benchmarks/target/benchmarks.jar
RATES=${RATES:-500 1000 2000 3000 4000 5000}
STEP_S=${SECONDS_PER_STEP:-10}
PAUSE=${PAUSE:-2}
STOP_AFTER=${STOP_AFTER:-2}
PORT=${PORT:-5070}
T1_MS=${T1_MS:-500}
UAS=${UAS:-parley}
DRAIN=${DRAIN:-1}
command -v sipp >/dev/null || { echo "sipp is not installed (Debian: apt-get install sip-tester)" >&2; exit 1; }

# Rebuild when the jar is missing or older than anything it is made from (as run-jmh.sh does).
if [[ ! -f $JAR ]] || [[ -n $(find pom.xml benchmarks/pom.xml benchmarks/src modules \
        -path '*/target' -prune -o -newer "$JAR" -print -quit) ]]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
        ./mvnw -B -q -pl benchmarks -am package -DskipTests 2>&1 | grep -v -e 'sun.misc.Unsafe' -e 'HiddenClassDefiner' || true
    [[ -f $JAR ]] || { echo "build failed" >&2; exit 1; }
fi

work=$(mktemp -d)
clk=$(getconf CLK_TCK)
mkfifo "$work/uas.in"
jfr_opts=()
[[ ${JFR:-0} == 1 ]] && jfr_opts=(-XX:StartFlightRecording=filename="$work/uas.jfr",settings=profile,dumponexit=true)
if [[ $UAS == sipp ]]; then
    # The harness's own ceiling: SIPp's built-in uas in Parley's place, answering stats itself.
    ( sipp -sn uas -i 127.0.0.1 -p "$PORT" -t u1 -nostdin -buff_size 1048576 >"$work/uas.err" 2>&1 &
      sipp_pid=$!
      echo "ready pid=$sipp_pid protocol=udp port=$PORT (SIPp uas)"
      while read -r line; do echo "$line n/a"; done
      kill "$sipp_pid" ) <"$work/uas.in" >"$work/uas.out" &
else
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    "$JAVA" ${JAVA_OPTS:-} "${jfr_opts[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$JAR" sip.bench.load.LoadUas --port "$PORT" --t1-ms "$T1_MS" \
        <"$work/uas.in" >"$work/uas.out" 2>"$work/uas.err" &
fi
uas_pid=$!
exec 3>"$work/uas.in"   # the UAS exits when this, its stdin, closes

finish() {
    exec 3>&- 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$uas_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$uas_pid" 2>/dev/null || true
    wait "$uas_pid" 2>/dev/null || true
    # SIPp's uas (UAS=sipp) ends gracefully: it lets its calls' 4 s timewait run out first.
    for _ in $(seq 100); do [[ -n ${cpu_pid:-} ]] && kill -0 "$cpu_pid" 2>/dev/null || break; sleep 0.1; done
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap finish EXIT

# Sends one command to the UAS and prints its one-line answer.
ask() {
    local before
    before=$(wc -l <"$work/uas.out")
    echo "$1" >&3
    for _ in $(seq 600); do
        if (( $(wc -l <"$work/uas.out") > before )); then tail -1 "$work/uas.out"; return; fi
        kill -0 "$uas_pid" 2>/dev/null || { echo "UAS died:" >&2; cat "$work/uas.err" >&2; exit 1; }
        sleep 0.05
    done
    echo "UAS did not answer '$1'" >&2; exit 1
}
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }   # utime + stime

for _ in $(seq 300); do
    grep -q '^ready' "$work/uas.out" 2>/dev/null && break
    kill -0 "$uas_pid" 2>/dev/null || { echo "UAS failed to start:" >&2; cat "$work/uas.err" >&2; exit 1; }
    sleep 0.1
done
grep -q '^ready' "$work/uas.out" || { echo "UAS not ready after 30 s" >&2; exit 1; }
# The process whose CPU is measured: the JVM, or SIPp's uas (not the subshell around it).
cpu_pid=$(sed -n 's/^ready pid=\([0-9]*\).*/\1/p' "$work/uas.out" | head -1)
[[ -r /proc/${cpu_pid:-none}/stat ]] || { echo "no process '$cpu_pid' to measure: $(head -1 "$work/uas.out")" >&2; exit 1; }

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); $("$JAVA" -version 2>&1 | head -1)"
echo "UAS: $(head -1 "$work/uas.out"), T1 ${T1_MS} ms, JAVA_OPTS='${JAVA_OPTS:-}'"
echo "SIPp: $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1) -sn uac -t u1 -d 0, ${STEP_S} s a step"

rows="$work/rows.tsv"
unclean=0
for rate in $RATES; do
    total=$((rate * STEP_S))
    stf="$work/uac-$rate.csv"
    before=$(cpu_ticks "$cpu_pid")
    TIMEFORMAT='%U %S'
    { time timeout $((STEP_S + 90)) sipp -sn uac 127.0.0.1:"$PORT" -i 127.0.0.1 -t u1 \
        -r "$rate" -m "$total" -l $((rate * 4)) -d 0 -nostdin \
        -trace_stat -stf "$stf" -fd 1 -timeout $((STEP_S + 60))s -timeout_error -recv_timeout 10000 \
        -trace_err -error_file "$work/uac-$rate-errors.log" ${SIPP_OPTS--buff_size 1048576} >"$work/uac-$rate.out" 2>&1 || true ; } 2>"$work/uac-$rate.time"
    after=$(cpu_ticks "$cpu_pid")
    read -r sipp_user sipp_sys <"$work/uac-$rate.time"
    stats=$(ask stats)
    python3 - "$stf" "$rate" "$total" "$((after - before))" "$clk" "$sipp_user" "$sipp_sys" "$stats" >>"$rows" <<'PY'
import sys
stf, rate, total, ticks, clk, su, ss, stats = sys.argv[1:]
rate, total, ticks, clk = int(rate), int(total), int(ticks), int(clk)
lines = open(stf, encoding="latin-1").read().splitlines()
head, last = lines[0].split(";"), lines[-1].split(";")
col = lambda n: last[head.index(n)]
ok, failed, retrans = int(col("SuccessfulCall(C)")), int(col("FailedCall(C)")), int(col("Retransmissions(C)"))
cps = float(col("CallRate(C)"))
s = dict(kv.split("=", 1) for kv in stats.split()[1:] if "=" in kv)
uas_cpu = ticks / clk
clean = ok == total and failed == 0 and retrans * 100 < total and cps >= 0.9 * rate
per_k = lambda sec: sec / ok * 1000 if ok else float("nan")
print("\t".join(map(str, [rate, total, ok, failed, retrans, f"{retrans * 100 / total:.2f}", f"{cps:.0f}",
      f"{uas_cpu:.1f}", f"{per_k(uas_cpu):.3f}", f"{per_k(float(su) + float(ss)):.3f}",
      s.get("overload_rejected", "-"), s.get("live_server", "-"), s.get("heap_used_mb", "-"),
      "yes" if clean else "no"])))
PY
    tail -1 "$rows" | awk -F'\t' '{ printf "rate %s: ok %s/%s failed %s retrans %s (%s%%) reached %s/s, UAS CPU %s s (%s s/1000 calls), clean %s\n", $1, $3, $2, $4, $5, $6, $7, $8, $9, $14 }'
    if [[ $(tail -1 "$rows" | cut -f14) == yes ]]; then unclean=0; else unclean=$((unclean + 1)); fi
    (( unclean >= STOP_AFTER )) && break
    sleep "$PAUSE"
done

end_stats=$(ask stats)
live=$(ask gc)
drained=""
if [[ $DRAIN == 1 && $UAS == parley ]]; then
    for _ in $(seq 450); do
        [[ $(field "$(ask stats)" live_server) == 0 ]] && break
        sleep 0.1
    done
    drained=$(ask gc)
fi

echo
printf '%-6s %7s %7s %6s %7s %7s %7s %8s %12s %12s %6s %8s %8s %5s\n' rate calls ok failed retrans 'retr%' 'cps' 'UAS cpu' 'UAS s/1000' 'SIPp s/1000' '503s' 'live tx' 'heap MB' clean
awk -F'\t' '{ printf "%-6s %7s %7s %6s %7s %7s %7s %8s %12s %12s %6s %8s %8s %5s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 }' "$rows"
echo
if [[ $UAS == parley ]]; then
    echo "after the ramp: heap in use $(field "$end_stats" heap_used_mb) MB of $(field "$end_stats" heap_committed_mb) MB committed," \
         "$(field "$end_stats" live_server) live server transactions"
    echo "after a full GC (live set, transactions still live): $(field "$live" heap_used_mb) MB"
    [[ -n $drained ]] && echo "after every transaction ended and a full GC: $(field "$drained" heap_used_mb) MB" \
         "($(field "$drained" live_server) live server transactions)"
fi
best=$(awk -F'\t' '$14 == "yes" { r = $1 } END { print r }' "$rows")
echo "highest clean rate: ${best:-none} calls/s (failed = 0, retransmissions < 1 %, >= 90 % of the rate reached)"

if [[ ${JFR:-0} == 1 ]]; then
    exec 3>&-
    wait "$uas_pid" 2>/dev/null || true
    jfr=$(dirname "$JAVA")/jfr
    echo
    "$jfr" view --width 160 hot-methods "$work/uas.jfr"
    echo "top frames of jdk.ExecutionSample, aggregated:"
    "$jfr" print --events jdk.ExecutionSample "$work/uas.jfr" | grep -A1 'stackTrace = \[' | grep -v -e 'stackTrace' -e '^--' \
        | sed 's/line:.*//; s/^ *//' | sort | uniq -c | sort -rn | head -25
    "$jfr" view --width 160 allocation-by-site "$work/uas.jfr" | head -25
fi
