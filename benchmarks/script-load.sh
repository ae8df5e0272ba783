#!/usr/bin/env bash
STEP_S=${SECONDS_PER_STEP:-${SECONDS:-0}}   # first line: bash's own SECONDS counts up from here
# One routing logic, three implementations, side by side under the same SIPp load (issue 6, §5):
#
#   a  parley-js    examples/proxy.js under the `parley` image (distribution/target/parley/bin/parley
#                   run SCRIPT --listen udp:127.0.0.1:5074), optimizing Truffle runtime on
#   b  parley-java  the same logic in Java under Parley: sip.bench.load.LoadProxy --unregistered 404
#                   (ProxyRouting.Unregistered.NOT_FOUND) on 127.0.0.1:5072
#   c  kamailio-js  Kamailio 5.6 + app_jsdt (Duktape): benchmarks/kamailio/registrar-proxy-js.cfg
#                   running benchmarks/kamailio/registrar-proxy.js, on 127.0.0.1:5070
#
# The logic: REGISTER -> registrar; any other out-of-dialog request -> relay with Record-Route to
# the contacts registered for the Request-URI's AoR, 404 when there are none. SIPp UAC
# (benchmarks/sipp/uac-call.xml: INVITE sip:bench@proxy, 200, ACK and BYE through the Record-Route
# set) -> proxy -> SIPp UAS on 127.0.0.1:5090 (benchmarks/sipp/uas-answer.xml, 200 at once). Before
# every run the UAS's AoR sip:bench@proxy is registered through the proxy under test
# (benchmarks/sipp/register-callee.xml, Contact sip:bench@127.0.0.1:5090), so every call goes
# through lookup; when a proxy starts, an INVITE to an unregistered AoR must get 404
# (benchmarks/sipp/uac-unknown.xml). Everything runs in a network namespace of its own
# (unshare -n, only lo up): nothing can leave the machine.
#
# The three proxies stay up for the whole ladder; each gets an unrecorded warm-up run first (the
# JIT and Truffle compile the hot paths: WARMUP); then at each rate the sides take turns (a b c a b c with
# REPEAT=2) so they see the same background load. A run is clean when every call succeeded, none
# failed, retransmissions < 1 % of calls and SIPp reached >= 90 % of the rate; a side's clean rate
# is the highest at which all its runs were clean; a side leaves the ladder after STOP_AFTER unclean
# rates in a row. Per run: calls, failed, retransmissions, rate reached, the proxy's CPU seconds
# per 1000 calls (utime+stime of all its processes: the whole JVM with GC, JIT and Truffle's
# compiler threads; Kamailio's workers), INVITE->200 latency p50/p99 (every call's SIPp response
# time, -trace_rtt; SIPp's clock ticks every 4 ms on this kernel, so "0" means under 4 ms), the
# proxy's PSS and the 1-minute load. The summary gives each side's clean rate and the ratios
# against the issue's targets: a >= 0.9 x b and a >= 1.5 x c.
#
#   benchmarks/script-load.sh                                         # the default ladder, all sides
#   RATES="1000 2000 3000" SECONDS_PER_STEP=20 REPEAT=2 benchmarks/script-load.sh
#   SIDES=parley-js RATES=2000 SECONDS_PER_STEP=30 JFR=1 benchmarks/script-load.sh   # profile (a)
#
# Environment:
#   RATES             calls/s, ascending; default "500 1000 1500 2000 2500 3000 3500 4000"
#   SECONDS_PER_STEP  seconds of load a run (SECONDS works too); default 10
#   SIDES             any of "parley-js parley-java kamailio-js" (default: all three, in that order)
#   REPEAT            runs per side and rate, interleaved; default 1
#   PAUSE             seconds between runs; default 35 (Parley keeps a call's transactions 32 s after
#                     their final response, Timers J/L/M: a shorter pause lets their timers and
#                     collection run during the next side's run, reported as "bg" CPU)
#   WARMUP            seconds of the unrecorded first run of each side; default 60: the optimizing
#                     runtime's compiler (Graal on HotSpot, itself compiled by HotSpot's JIT first)
#                     needs ~70 s of traffic on a busy 2-core machine before proxy.js runs compiled
#   WARMUP_RATE       calls/s of that run; default 500 (a rate the interpreter keeps up with, so the
#                     warm-up does not end in a retransmission storm)
#   STOP_AFTER        unclean rates in a row that end a side's ladder; default 2
#   SCRIPT            the script of side a; default examples/proxy.js
#   PARLEY            the launcher of side a; default distribution/target/parley/bin/parley (built
#                     with ./mvnw -pl distribution -am package when missing or older than the sources)
#   PARLEY_WORKERS    --workers of side a; default: parley's own (the machine's processors)
#   KAM_CHILDREN      UDP workers of Kamailio (-n); default 2; KAM_SHM_MB / KAM_PKG_MB: -m / -M, 2048 / 64
#   JAVA              temurin 25 (side b, jcmd/jfr); JAVA_OPTS: more options for side b
#   PARLEY_JAVA_OPTS  more JVM options for side a (the launcher's own variable)
#   JFR               1: record sides a and b with JFR (settings=profile) over the whole ladder, print
#                     where the time goes (side a: benchmarks/script-jfr-summary.py — Truffle compilations,
#                     CPU by thread after them, JavaScript vs host calls; side b: benchmarks/jfr-summary.sh)
#                     and keep benchmarks/target/script-load-*.jfr
#                     (side a only when the image has jdk.jfr: the script says how to build one)
#   SIPP_OPTS         more SIPp options for UAC and UAS; default "-buff_size 1048576"
#   KEEP              1: keep the work directory (SIPp's files, proxy logs, rows.tsv)
#   NETNS             0: do not enter a new network namespace (default 1)
# Needs sipp (Debian sip-tester), kamailio (Debian kamailio, app_jsdt included), python3,
# util-linux unshare, iproute2.
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."
# tree, cpu_ticks, pss_mb, wait_udp
source benchmarks/lib/proc.sh
root=$(pwd)
(( STEP_S > 0 )) || STEP_S=10
export SECONDS_PER_STEP=$STEP_S

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=$root/benchmarks/target/benchmarks.jar
PARLEY=${PARLEY:-$root/distribution/target/parley/bin/parley}
RATES=${RATES:-500 1000 1500 2000 2500 3000 3500 4000}
SIDES=${SIDES:-parley-js parley-java kamailio-js}
REPEAT=${REPEAT:-1}
PAUSE=${PAUSE:-35}
WARMUP=${WARMUP:-60}
WARMUP_RATE=${WARMUP_RATE:-500}
STOP_AFTER=${STOP_AFTER:-2}
KAM_CHILDREN=${KAM_CHILDREN:-2}
SIPP=$root/benchmarks/sipp
UAS_PORT=5090     # the registered Contact
UAC_PORT=5060
REG_PORT=5061     # the registering client and the 404 check
read -r -a sipp_opts <<<"${SIPP_OPTS--buff_size 1048576}"
declare -A port=([parley-js]=5074 [parley-java]=5072 [kamailio-js]=5070)   # 5070: the cfg's listen
declare -A label=([parley-js]="a parley-js" [parley-java]="b parley-java" [kamailio-js]="c kamailio-js")

for side in $SIDES; do
    [[ -n ${port[$side]:-} ]] || { echo "unknown side '$side' (parley-js, parley-java, kamailio-js)" >&2; exit 2; }
done
for tool in sipp python3 unshare ip; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
[[ $SIDES != *kamailio* ]] || command -v kamailio >/dev/null || { echo "kamailio is not installed (Debian: apt-get install kamailio)" >&2; exit 1; }
SCRIPT=${SCRIPT:-examples/proxy.js}
[[ $SIDES != *parley-js* || -f $SCRIPT ]] || { echo "no $SCRIPT (side parley-js runs it)" >&2; exit 1; }
SCRIPT=$(readlink -f "$SCRIPT")

stale() {   # $1 newer than every source it is built from? ($2... the sources)
    local out=$1; shift
    [[ ! -e $out ]] || [[ -n $(find "$@" -path '*/target' -prune -o -newer "$out" -print -quit 2>/dev/null) ]]
}
if [[ ${SCRIPT_LOAD_IN_NETNS:-0} != 1 ]]; then
    # Build outside the namespace (Maven may need the network), then run again inside it.
    jhome=$(dirname "$(dirname "$(readlink -f "$JAVA")")")
    if [[ $SIDES == *parley-java* ]] && stale "$JAR" pom.xml benchmarks/pom.xml benchmarks/src modules; then
        JAVA_HOME=$jhome ./mvnw -B -q -pl benchmarks -am package -DskipTests 2>&1 | grep -v -e 'sun.misc.Unsafe' -e 'HiddenClassDefiner' || true
        [[ -f $JAR ]] || { echo "build of $JAR failed" >&2; exit 1; }
    fi
    if [[ $SIDES == *parley-js* && $PARLEY == "$root/distribution/target/parley/bin/parley" ]] \
            && stale "$PARLEY" pom.xml distribution modules; then
        [[ -f distribution/pom.xml ]] || { echo "no distribution/ module: side parley-js needs the parley image (or PARLEY=...)" >&2; exit 1; }
        echo "building the parley image (./mvnw -pl distribution -am package -DskipTests)..."
        JAVA_HOME=$jhome ./mvnw -B -q -pl distribution -am package -DskipTests 2>&1 | grep -v -e 'sun.misc.Unsafe' -e 'HiddenClassDefiner' || true
        [[ -x $PARLEY ]] || { echo "build of $PARLEY failed" >&2; exit 1; }
    fi
    export SCRIPT_LOAD_IN_NETNS=1
    if [[ ${NETNS:-1} == 1 ]]; then
        userns=(); (( EUID == 0 )) || userns=(-r)
        exec unshare "${userns[@]}" -n -- bash -c 'ip link set lo up && exec "$0" "$@"' "$self" "$@"
    fi
fi

work=$(mktemp -d)
clk=$(getconf CLK_TCK)
rows=$work/rows.tsv
: >"$rows"
rows_out=$rows   # where run_once appends; the warm-up runs go elsewhere
declare -A proxy_pid=()

jvm_of() {      # the JVM of a side: the launcher itself, or its java child
    local p
    for p in $(tree "$1"); do
        [[ $(cat "/proc/$p/comm" 2>/dev/null) == java ]] && { echo "$p"; return; }
    done
    echo "$1"
}

stop_proxies() {
    local side
    local jvm
    for side in "${!proxy_pid[@]}"; do
        # one SIGTERM each (a second one makes parley stop at once, without its JFR dump); the
        # JVM's own when the launcher did not exec it
        jvm=$(jvm_of "${proxy_pid[$side]}")
        kill "$jvm" 2>/dev/null || true
        [[ $jvm == "${proxy_pid[$side]}" ]] || kill "${proxy_pid[$side]}" 2>/dev/null || true
    done
    for side in "${!proxy_pid[@]}"; do
        # up to 60 s: with JFR=1 a JVM writes its recording on the way out
        for _ in $(seq 600); do kill -0 "${proxy_pid[$side]}" 2>/dev/null || break; sleep 0.1; done
        wait "${proxy_pid[$side]}" 2>/dev/null || true
    done
    proxy_pid=()
    exec 3>&- 2>/dev/null || true
}
finish() {
    stop_proxies
    jobs -p | xargs -r kill 2>/dev/null || true   # a SIPp still running after an interrupt
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap finish EXIT

start_kamailio() {
    local cfg=$root/benchmarks/kamailio/registrar-proxy-js.cfg js=$root/benchmarks/kamailio/registrar-proxy.js
    mkdir -p "$work/kamailio"
    # -DD: the creator stays in the foreground (our child), its workers fork from it.
    kamailio -f "$cfg" -A "JSFILE=\"$js\"" -P "$work/kamailio/pid" -w "$work/kamailio" \
        -m "${KAM_SHM_MB:-2048}" -M "${KAM_PKG_MB:-64}" -n "$KAM_CHILDREN" -DD >"$work/kamailio-js.log" 2>&1 &
    proxy_pid[kamailio-js]=$!
    wait_udp "${port[kamailio-js]}" "$!" || { echo "Kamailio did not start:" >&2; tail -20 "$work/kamailio-js.log" >&2; exit 1; }
    sleep 1   # the workers fork after the socket is bound
    echo "c kamailio-js: $(kamailio -v | head -1 | sed 's/version: //'), $(basename "$cfg") + $(basename "$js"), -n $KAM_CHILDREN," \
         "$(tree "${proxy_pid[kamailio-js]}" | wc -l) processes, 127.0.0.1:${port[kamailio-js]}"
}

start_parley_java() {
    local jfr_opts=()
    [[ ${JFR:-0} == 1 ]] && jfr_opts=(-XX:StartFlightRecording=filename="$work/parley-java.jfr",settings=profile,dumponexit=true)
    rm -f "$work/java.in"; mkfifo "$work/java.in"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    "$JAVA" ${JAVA_OPTS:-} "${jfr_opts[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$JAR" sip.bench.load.LoadProxy --port "${port[parley-java]}" --unregistered 404 \
        <"$work/java.in" >"$work/parley-java.out" 2>"$work/parley-java.err" &
    proxy_pid[parley-java]=$!
    exec 3>"$work/java.in"   # LoadProxy runs until its stdin closes (or SIGTERM)
    for _ in $(seq 300); do
        grep -q '^ready .*unregistered=404' "$work/parley-java.out" 2>/dev/null && break
        kill -0 "${proxy_pid[parley-java]}" 2>/dev/null || { echo "LoadProxy failed to start:" >&2; cat "$work/parley-java.err" >&2; exit 1; }
        sleep 0.1
    done
    grep -q '^ready' "$work/parley-java.out" || { echo "LoadProxy not ready after 30 s" >&2; exit 1; }
    echo "b parley-java: LoadProxy --unregistered 404, $("$JAVA" -version 2>&1 | head -1), JAVA_OPTS='${JAVA_OPTS:-}', 127.0.0.1:${port[parley-java]}"
}

start_parley_js() {
    local args=(run "$SCRIPT" --listen "udp:127.0.0.1:${port[parley-js]}") opts=${PARLEY_JAVA_OPTS:-}
    [[ -n ${PARLEY_WORKERS:-} ]] && args+=(--workers "$PARLEY_WORKERS")
    if [[ ${JFR:-0} == 1 ]]; then
        if "$(dirname "$PARLEY")/java" --list-modules 2>/dev/null | grep -q '^jdk.jfr'; then
            opts+=" -XX:StartFlightRecording=filename=$work/parley-js.jfr,settings=profile,dumponexit=true"
        else
            echo "a parley-js: no JFR, the image has no jdk.jfr module; for a profile build one that has:"
            echo "  ./mvnw -B -q -pl distribution -am package -DskipTests -Dparley.image=\$PWD/distribution/target/parley-jfr \\"
            echo "      -Dparley.image.modules=<distribution/pom.xml's list>,jdk.jfr   and run with PARLEY=distribution/target/parley-jfr/bin/parley"
        fi
    fi
    PARLEY_JAVA_OPTS=$opts "$PARLEY" "${args[@]}" >"$work/parley-js.out" 2>"$work/parley-js.err" &
    proxy_pid[parley-js]=$!
    for _ in $(seq 600); do
        grep -q '^parley: ready' "$work/parley-js.out" 2>/dev/null && break
        kill -0 "${proxy_pid[parley-js]}" 2>/dev/null || { echo "parley failed to start:" >&2; cat "$work/parley-js.out" "$work/parley-js.err" >&2; exit 1; }
        sleep 0.1
    done
    grep -q '^parley: ready' "$work/parley-js.out" || { echo "parley not ready after 60 s" >&2; cat "$work/parley-js.err" >&2; exit 1; }
    echo "a parley-js: ${PARLEY#"$root"/} run ${SCRIPT#"$root"/} --listen udp:127.0.0.1:${port[parley-js]}," \
         "PARLEY_JAVA_OPTS='$opts'; $(grep -m1 '^parley: loaded' "$work/parley-js.out" | sed 's/^parley: //');" \
         "$(grep -m1 -i -e 'optimizing' -e 'interpret' "$work/parley-js.out" "$work/parley-js.err" | sed 's/^[^:]*:parley: //')"
    if grep -qi -e 'interpret' "$work/parley-js.out" "$work/parley-js.err"; then
        echo "  WARNING: the optimizing Truffle runtime is OFF: $(grep -h -i -m1 -e interpret "$work/parley-js.out" "$work/parley-js.err")"
    fi
}

# Registers sip:bench@127.0.0.1:PORT -> sip:bench@127.0.0.1:5090 through the proxy of side $1.
register_callee() {
    sipp -sf "$SIPP/register-callee.xml" -i 127.0.0.1 -p "$REG_PORT" "127.0.0.1:${port[$1]}" -s bench \
        -key callee "127.0.0.1:$UAS_PORT" -m 1 -nostdin -timeout 15s -timeout_error \
        -trace_err -error_file "$work/$1-register-errors.log" >"$work/$1-register.out" 2>&1 \
        || { echo "$1: REGISTER of the callee through the proxy failed:" >&2; tail -20 "$work/$1-register-errors.log" >&2; exit 1; }
}
check_unknown() {   # INVITE sip:nobody@proxy must get 404
    if sipp -sf "$SIPP/uac-unknown.xml" -i 127.0.0.1 -p "$REG_PORT" "127.0.0.1:${port[$1]}" -s nobody -m 1 \
            -nostdin -timeout 15s -timeout_error -trace_err -error_file "$work/$1-unknown-errors.log" >"$work/$1-unknown.out" 2>&1; then
        echo "  ${label[$1]}: INVITE to an unregistered AoR -> 404: yes"
    else
        echo "${label[$1]}: INVITE to an unregistered AoR did not get 404:" >&2; tail -20 "$work/$1-unknown-errors.log" >&2; exit 1
    fi
}

# One run: $1 side, $2 rate, $3 repeat number (w: warm-up), $4 seconds (default STEP_S).
run_once() {
    local side=$1 rate=$2 rep=$3 total=$(($2 * ${4:-$STEP_S})) pid=${proxy_pid[$1]}
    local tag="$side-$rate-$rep" load before after uas_pid other bg0=0 bg1=0 su ss
    register_callee "$side"
    sipp -sf "$SIPP/uas-answer.xml" -i 127.0.0.1 -p "$UAS_PORT" -nostdin -trace_err \
        -error_file "$work/$tag-uas-errors.log" "${sipp_opts[@]}" >"$work/$tag-uas.out" 2>&1 &
    uas_pid=$!
    wait_udp "$UAS_PORT" "$uas_pid" || { echo "SIPp UAS did not start:" >&2; cat "$work/$tag-uas.out" >&2; exit 1; }
    load=$(cut -d' ' -f1 /proc/loadavg)
    before=$(cpu_ticks "$pid")
    for other in "${!proxy_pid[@]}"; do   # the other proxies, idle in principle
        [[ $other != "$side" ]] && bg0=$((bg0 + $(cpu_ticks "${proxy_pid[$other]}")))
    done
    # SIPp writes response times only in whole batches of -rtt_freq calls: one that divides the run's total.
    local rtt_freq=1
    if (( total % 1000 == 0 )); then rtt_freq=1000; elif (( total % 100 == 0 )); then rtt_freq=100; fi
    TIMEFORMAT='%U %S'
    { time (cd "$work" && timeout $((total / rate + 90)) sipp -sf "$SIPP/uac-call.xml" -i 127.0.0.1 -p "$UAC_PORT" \
        "127.0.0.1:${port[$side]}" -s bench -r "$rate" -m "$total" -l $((rate * 4)) -nostdin \
        -trace_stat -stf "$work/$tag.csv" -fd 1 -trace_rtt -rtt_freq "$rtt_freq" \
        -timeout $((total / rate + 60))s -timeout_error -recv_timeout 10000 \
        -trace_err -error_file "$work/$tag-errors.log" "${sipp_opts[@]}" >"$work/$tag.out" 2>&1) || true ; } 2>"$work/$tag.time"
    after=$(cpu_ticks "$pid")
    for other in "${!proxy_pid[@]}"; do
        [[ $other != "$side" ]] && bg1=$((bg1 + $(cpu_ticks "${proxy_pid[$other]}")))
    done
    kill "$uas_pid" 2>/dev/null || true; wait "$uas_pid" 2>/dev/null || true
    mv "$work"/uac-call_*_rtt.csv "$work/$tag-rtt.csv" 2>/dev/null || : >"$work/$tag-rtt.csv"
    read -r su ss <"$work/$tag.time"
    python3 - "$work/$tag.csv" "$work/$tag-rtt.csv" "$side" "$rate" "$rep" "$total" "$((after - before))" "$clk" \
        "$(pss_mb "$pid")" "$load" "$((bg1 - bg0))" "$su" "$ss" >>"$rows_out" <<'PY'
import sys
stf, rtt, side, rate, rep, total, ticks, clk, pss, load, bg, su, ss = sys.argv[1:]
rate, total, ticks, clk = int(rate), int(total), int(ticks), int(clk)
try:
    lines = open(stf, encoding="latin-1").read().splitlines()
    head, last = lines[0].split(";"), lines[-1].split(";")
    col = lambda n: last[head.index(n)]
    ok, failed, retrans = int(col("SuccessfulCall(C)")), int(col("FailedCall(C)")), int(col("Retransmissions(C)"))
    cps = float(col("CallRate(C)"))
except (OSError, IndexError, ValueError):
    ok, failed, retrans, cps = 0, total, 0, 0.0   # SIPp wrote no statistics: count all as failed
times = []
for line in open(rtt, encoding="latin-1").read().splitlines()[1:]:
    f = line.split(";")
    if len(f) >= 3 and f[2].strip() == "1":
        times.append(float(f[1]))
times.sort()
pct = lambda p: f"{times[min(len(times) - 1, int(p * len(times)))]:.0f}" if times else "nan"
cpu = ticks / clk
clean = ok == total and failed == 0 and retrans * 100 < total and cps >= 0.9 * rate
per_k = lambda sec: f"{sec / ok * 1000:.3f}" if ok else "nan"
print("\t".join(map(str, [side, rate, rep, total, ok, failed, retrans, f"{retrans * 100 / total:.2f}", f"{cps:.0f}",
      f"{cpu:.1f}", per_k(cpu), pct(0.50), pct(0.99), pss, load, "yes" if clean else "no", f"{int(bg) / clk:.1f}",
      per_k(float(su) + float(ss))])))
PY
    tail -1 "$rows_out" | awk -F'\t' '{ printf "%-12s rate %5s #%s: ok %6s/%-6s failed %5s retrans %5s (%5s%%) reached %5s/s  CPU %5s s = %6s s/1000 (UAC %s)  INVITE->200 p50 %s ms p99 %s ms  PSS %5s MB  load %5s  bg %s s  clean %s\n", $1, $2, $3, $5, $4, $6, $7, $8, $9, $10, $11, $18, $12, $13, $14, $15, $17, $16 }'
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ { print $2 }') GB;" \
     "$(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1); ${STEP_S} s a run, REPEAT=$REPEAT, PAUSE=$PAUSE s, load averages now: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $(readlink /proc/self/ns/net) != "$(readlink /proc/1/ns/net 2>/dev/null)" ]] && echo "network: a namespace of its own, loopback only"

sides=""
for side in $SIDES; do
    case $side in
        parley-js) start_parley_js ;;
        parley-java) start_parley_java ;;
        kamailio-js) start_kamailio ;;
    esac
    register_callee "$side"
    check_unknown "$side"
    sides+=" $side"
done
declare -A unclean=()
for side in $sides; do unclean[$side]=0; done
if (( WARMUP > 0 )); then
    rows_out=$work/warmup.tsv
    for side in $sides; do
        echo -n "warm-up, not counted: "
        run_once "$side" "$WARMUP_RATE" w "$WARMUP"
        sleep "$PAUSE"
    done
    rows_out=$rows
fi
for rate in $RATES; do
    active=0
    for rep in $(seq "$REPEAT"); do
        for side in $sides; do
            (( unclean[$side] >= STOP_AFTER )) && continue
            active=1
            run_once "$side" "$rate" "$rep"
            sleep "$PAUSE"
        done
    done
    (( active )) || break
    for side in $sides; do
        (( unclean[$side] >= STOP_AFTER )) && continue
        if awk -F'\t' -v s="$side" -v r="$rate" '$1 == s && $2 == r && $16 != "yes" { bad = 1 } END { exit !bad }' "$rows"; then
            unclean[$side]=$((unclean[$side] + 1))
        else
            unclean[$side]=0
        fi
    done
done
stop_proxies

echo
python3 "$root/benchmarks/script-load-summary.py" "$rows" "$SIDES"

if [[ ${JFR:-0} == 1 ]]; then
    for side in parley-js parley-java; do
        [[ -f $work/$side.jfr ]] || continue
        cp "$work/$side.jfr" "benchmarks/target/script-load-$side.jfr"
        echo; echo "== JFR of $side: benchmarks/target/script-load-$side.jfr =="
        if [[ $side == parley-js ]]; then
            python3 benchmarks/script-jfr-summary.py "$work/$side.jfr" "$(dirname "$JAVA")/jfr" || true
        else
            benchmarks/jfr-summary.sh "$work/$side.jfr" || true
        fi
    done
fi
