#!/usr/bin/env bash
STEP_S=${SECONDS_PER_STEP:-${SECONDS:-0}}   # first line: bash's own SECONDS counts up from here
# Parley's proxy and registrar side by side with Kamailio 5.6, same machine, same scenarios, over
# UDP on loopback, in a network namespace of their own (nothing can leave the machine):
#
#   calls:          SIPp UAC (../shared/bench/sipp/uac-rr.xml: INVITE, 200, ACK and BYE through
#                   the Record-Route set) -> proxy -> SIPp UAS on 127.0.0.1:5090 (uas-200.xml)
#   registrations:  SIPp REGISTER of a new AoR a call (benchmarks/sipp/register.xml, Expires 3600)
#                   -> registrar, answered 200
#
# Kamailio runs ../shared/bench/kamailio/proxy-native.cfg (calls) or registrar-proxy.cfg
# (registrations) on 127.0.0.1:5070; Parley runs sip.bench.load.LoadProxy (the registrar, then
# "registered AoR, else the fixed UAS", record-routing) on 127.0.0.1:$PARLEY_PORT. Both proxies
# stay up for the whole ladder of a test; at each rate the sides take turns (K, P, K, P with
# REPEAT=2) so both see the same background load. Per run it records SIPp's calls, successful,
# failed and retransmissions, the rate SIPp reached, the proxy's CPU seconds per 1000 calls (all
# its processes, /proc/<pid>/stat), SIPp's, the proxy's memory (PSS of all its processes, and
# Parley's heap in use) and the 1-minute load average. A run is clean when every call succeeded,
# none failed, retransmissions < 1 % of calls and SIPp reached >= 90 % of the rate; a side's
# clean rate is the highest rate at which all its runs were clean. The summary puts both sides
# and the Parley/Kamailio ratios in one table.
#
#   benchmarks/proxy-load.sh                                   # both tests, both sides
#   RATES="1500 2000 2500" SECONDS_PER_STEP=20 REPEAT=2 benchmarks/proxy-load.sh
#   SIDES=parley TESTS=calls JFR=1 RATES=3000 benchmarks/proxy-load.sh   # profile Parley
#
# Environment:
#   RATES             call rates (calls/s), ascending; default "500 1000 1500 2000 2500 3000 3500 4000 5000"
#   REG_RATES         registration rates; default "1000 2000 3000 4000 5000 6000 8000 10000"
#   SECONDS_PER_STEP  seconds of load a run (SECONDS works too); default 10
#   SIDES             "kamailio parley" (default), or one of them; "direct" adds SIPp UAC -> SIPp
#                     UAS with no proxy between (calls only): the harness's own ceiling
#   TESTS             "calls registrations" (default), or one of them
#   REPEAT            runs per side and rate, interleaved; default 1
#   PAUSE             seconds between runs; default 35: Parley keeps each call's transactions 32 s
#                     after their final response (RFC 3261/6026 Timers J, L, M; Kamailio's wait timer
#                     is 5 s), so a shorter pause lets their timers and collection run during
#                     Kamailio's next run (the "bg" CPU each run reports)
#   WARMUP            seconds of an unrecorded first run per side at the ladder's first rate (the
#                     JIT compiles Parley's hot paths, Kamailio fills its memory pools); default 10, 0: none
#   STOP_AFTER        unclean rates in a row that end a side's ladder; default 2
#   KAM_CHILDREN      UDP workers of Kamailio (-n); default 2, as proxy-native.cfg says (the
#                     registrar config says 1: -n 2 gives it the same two as the proxy)
#   KAM_SHM_MB / KAM_PKG_MB  Kamailio's -m / -M; default 2048 / 64 (the shared bench README's)
#   PARLEY_PORT       default 5072; JAVA (temurin 25), JAVA_OPTS (default none: the JVM's own)
#   JFR               1: record Parley with JFR and print the hot frames and allocation sites
#                     (benchmarks/jfr-summary.sh), the GC pauses, and keep benchmarks/target/proxy-load.jfr
#   HISTO             1: after each test, Parley's heap histogram after a full GC (jcmd), top 20:
#                     what the transactions still alive hold
#   SIPP_OPTS         more SIPp options for UAC and UAS; default "-buff_size 1048576"
#   KEEP              1: keep the work directory (SIPp's files, proxy logs, rows.tsv)
#   NETNS             0: do not enter a new network namespace (default 1)
# Needs sipp (Debian sip-tester), kamailio (Debian kamailio), python3, util-linux unshare, iproute2.
set -euo pipefail
self=$(readlink -f "$0")
cd "$(dirname "$self")/.."
# tree, cpu_ticks, pss_mb, wait_udp
source benchmarks/lib/proc.sh
(( STEP_S > 0 )) || STEP_S=10
export SECONDS_PER_STEP=$STEP_S

JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAR=benchmarks/target/benchmarks.jar
SHARED=${SHARED:-../shared/bench}
RATES=${RATES:-500 1000 1500 2000 2500 3000 3500 4000 5000}
REG_RATES=${REG_RATES:-1000 2000 3000 4000 5000 6000 8000 10000}
SIDES=${SIDES:-kamailio parley}
TESTS=${TESTS:-calls registrations}
REPEAT=${REPEAT:-1}
PAUSE=${PAUSE:-35}
WARMUP=${WARMUP:-10}
STOP_AFTER=${STOP_AFTER:-2}
KAM_CHILDREN=${KAM_CHILDREN:-2}
PARLEY_PORT=${PARLEY_PORT:-5072}
KAM_PORT=5070   # fixed by the shared configurations
UAS_PORT=5090   # fixed by proxy-native.cfg and LoadProxy's default
read -r -a sipp_opts <<<"${SIPP_OPTS--buff_size 1048576}"

for tool in sipp python3 unshare ip; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done
[[ $SIDES != *kamailio* ]] || command -v kamailio >/dev/null || { echo "kamailio is not installed (Debian: apt-get install kamailio)" >&2; exit 1; }
[[ -f $SHARED/sipp/uac-rr.xml ]] || { echo "no $SHARED/sipp/uac-rr.xml (set SHARED to the shared bench directory)" >&2; exit 1; }
SHARED=$(cd "$SHARED" && pwd)

if [[ ${PROXY_LOAD_IN_NETNS:-0} != 1 ]]; then
    # Build outside the namespace (Maven may need the network), then run again inside it.
    if [[ $SIDES == *parley* ]] && { [[ ! -f $JAR ]] || [[ -n $(find pom.xml benchmarks/pom.xml benchmarks/src modules \
            -path '*/target' -prune -o -newer "$JAR" -print -quit) ]]; }; then
        JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
            ./mvnw -B -q -pl benchmarks -am package -DskipTests 2>&1 | grep -v -e 'sun.misc.Unsafe' -e 'HiddenClassDefiner' || true
        [[ -f $JAR ]] || { echo "build failed" >&2; exit 1; }
    fi
    export PROXY_LOAD_IN_NETNS=1
    if [[ ${NETNS:-1} == 1 ]]; then
        userns=(); (( EUID == 0 )) || userns=(-r)
        exec unshare "${userns[@]}" -n -- bash -c 'ip link set lo up && exec "$0" "$@"' "$self" "$@"
    fi
fi

work=$(mktemp -d)
clk=$(getconf CLK_TCK)
rows="$work/rows.tsv"
: >"$rows"
rows_out=$rows   # where run_once appends; the warm-up runs go elsewhere
declare -A proxy_pid=() proxy_port=()
parley_in=""

# The process tree of a proxy: Kamailio forks its workers, the JVM is one process.

# Where the JVM's CPU went over its whole life, by thread group (GC, JIT, the virtual threads'
# carriers, transport readers, timers): the GC's share is what sampling profilers do not show.
thread_cpu() {
    python3 - "$1" "$clk" <<'PY'
import collections, glob, re, sys
pid, clk = sys.argv[1], int(sys.argv[2])
groups = collections.Counter()
for stat in glob.glob(f"/proc/{pid}/task/*/stat"):
    try:
        text = open(stat).read()
    except OSError:
        continue
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    # comm is cut at 15 characters: "ForkJoinPool-1-", "C2 CompilerThre"
    if name.startswith("ForkJoinPool"):
        name = "virtual-thread carriers"
    elif name.startswith(("GC Thread", "G1 ", "Z", "VM Periodic")) or "GC" in name:
        name = "GC"
    elif "CompilerThre" in name:
        name = "JIT"
    else:
        name = re.sub(r"[#-]?\d+$", "", name.strip()) or "?"
    groups[name] += ticks
total = sum(groups.values())
if total:
    parts = ", ".join(f"{n} {t / clk:.1f} s ({t * 100 / total:.0f} %)" for n, t in groups.most_common(8))
    print(f"Parley CPU by thread group since start ({total / clk:.1f} s): {parts}")
PY
}

stop_proxies() {
    if [[ -n ${proxy_pid[parley]:-} ]]; then
        exec 3>&- 2>/dev/null || true   # LoadProxy exits when its stdin closes
        # up to 60 s: with JFR=1 the JVM writes its recording on the way out
        for _ in $(seq 600); do kill -0 "${proxy_pid[parley]}" 2>/dev/null || break; sleep 0.1; done
    fi
    for side in "${!proxy_pid[@]}"; do
        [[ -n ${proxy_pid[$side]} ]] || continue
        kill "${proxy_pid[$side]}" 2>/dev/null || true
        wait "${proxy_pid[$side]}" 2>/dev/null || true
    done
    proxy_pid=()
}
finish() {
    stop_proxies
    jobs -p | xargs -r kill 2>/dev/null || true   # a SIPp still running after an interrupt
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap finish EXIT


# Sends one command to LoadProxy and prints its one-line answer.
ask() {
    local before
    before=$(wc -l <"$work/parley.out")
    echo "$1" >&3
    for _ in $(seq 600); do
        if (( $(wc -l <"$work/parley.out") > before )); then tail -1 "$work/parley.out"; return; fi
        kill -0 "${proxy_pid[parley]}" 2>/dev/null || { echo "LoadProxy died:" >&2; tail -20 "$work/parley.err" >&2; exit 1; }
        sleep 0.05
    done
    echo "LoadProxy did not answer '$1'" >&2; exit 1
}
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

start_kamailio() {  # $1 = test
    local cfg=$SHARED/kamailio/proxy-native.cfg
    [[ $1 == registrations ]] && cfg=$SHARED/kamailio/registrar-proxy.cfg
    mkdir -p "$work/kamailio"
    # -DD: the creator stays in the foreground (our child), its workers fork from it.
    kamailio -f "$cfg" -P "$work/kamailio/pid" -w "$work/kamailio" -m "${KAM_SHM_MB:-2048}" -M "${KAM_PKG_MB:-64}" \
        -n "$KAM_CHILDREN" -DD >"$work/kamailio-$1.log" 2>&1 &
    proxy_pid[kamailio]=$!
    proxy_port[kamailio]=$KAM_PORT
    wait_udp "$KAM_PORT" "${proxy_pid[kamailio]}" || { echo "Kamailio did not start:" >&2; tail -20 "$work/kamailio-$1.log" >&2; exit 1; }
    sleep 1   # the workers fork after the socket is bound
    echo "Kamailio: $(kamailio -v | head -1 | sed 's/version: //'), $(basename "$cfg"), -n $KAM_CHILDREN, $(tree "${proxy_pid[kamailio]}" | wc -l) processes"
}

start_parley() {
    local jfr_opts=()
    [[ ${JFR:-0} == 1 ]] && jfr_opts=(-XX:StartFlightRecording=filename="$work/parley.jfr",settings=profile,dumponexit=true)
    rm -f "$work/parley.in"; mkfifo "$work/parley.in"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    "$JAVA" ${JAVA_OPTS:-} "${jfr_opts[@]}" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$JAR" sip.bench.load.LoadProxy --port "$PARLEY_PORT" --uas "127.0.0.1:$UAS_PORT" \
        <"$work/parley.in" >"$work/parley.out" 2>"$work/parley.err" &
    proxy_pid[parley]=$!
    proxy_port[parley]=$PARLEY_PORT
    exec 3>"$work/parley.in"
    for _ in $(seq 300); do
        grep -q '^ready .*uas=' "$work/parley.out" 2>/dev/null && break
        kill -0 "${proxy_pid[parley]}" 2>/dev/null || { echo "LoadProxy failed to start:" >&2; cat "$work/parley.err" >&2; exit 1; }
        sleep 0.1
    done
    grep -q '^ready' "$work/parley.out" || { echo "LoadProxy not ready after 30 s" >&2; exit 1; }
    echo "Parley: $(grep -m1 "^ready" "$work/parley.out"), $("$JAVA" -version 2>&1 | head -1), JAVA_OPTS='${JAVA_OPTS:-}'"
}

# One run: $1 test, $2 side, $3 rate, $4 repeat number, $5 seconds (default SECONDS_PER_STEP).
# Appends a row to $rows_out.
run_once() {
    local test=$1 side=$2 rate=$3 rep=$4 total=$(($3 * ${5:-$STEP_S})) pid=${proxy_pid[$2]} port=${proxy_port[$2]}
    local tag="$test-$side-$rate-$rep" stf load before=0 after=0 heap="-" uas_pid="" uas_ticks=0 other bg0=0 bg1=0
    stf="$work/$tag.csv"
    local scenario=$SHARED/sipp/uac-rr.xml
    if [[ $test == calls ]]; then
        sipp -sf "$SHARED/sipp/uas-200.xml" -i 127.0.0.1 -p "$UAS_PORT" -nostdin -trace_err \
            -error_file "$work/$tag-uas-errors.log" "${sipp_opts[@]}" >"$work/$tag-uas.out" 2>&1 &
        uas_pid=$!
        wait_udp "$UAS_PORT" "$uas_pid" || { echo "SIPp UAS did not start:" >&2; cat "$work/$tag-uas.out" >&2; exit 1; }
    else
        scenario=benchmarks/sipp/register.xml
    fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    [[ -n $pid ]] && before=$(cpu_ticks "$pid")
    for other in "${!proxy_pid[@]}"; do   # the other proxies, idle in principle
        [[ $other != "$side" && -n ${proxy_pid[$other]} ]] && bg0=$((bg0 + $(cpu_ticks "${proxy_pid[$other]}")))
    done
    TIMEFORMAT='%U %S'
    { time timeout $((total / rate + 90)) sipp -sf "$scenario" -i 127.0.0.1 -p 5060 "127.0.0.1:$port" -s bench \
        -r "$rate" -m "$total" -l $((rate * 4)) -d 0 -nostdin -trace_stat -stf "$stf" -fd 1 \
        -timeout $((total / rate + 60))s -timeout_error -recv_timeout 10000 \
        -trace_err -error_file "$work/$tag-errors.log" "${sipp_opts[@]}" >"$work/$tag.out" 2>&1 || true ; } 2>"$work/$tag.time"
    [[ -n $pid ]] && after=$(cpu_ticks "$pid")
    for other in "${!proxy_pid[@]}"; do
        [[ $other != "$side" && -n ${proxy_pid[$other]} ]] && bg1=$((bg1 + $(cpu_ticks "${proxy_pid[$other]}")))
    done
    if [[ -n $uas_pid ]]; then
        uas_ticks=$(cpu_ticks "$uas_pid")
        kill "$uas_pid" 2>/dev/null || true; wait "$uas_pid" 2>/dev/null || true
    fi
    [[ $side == parley ]] && heap=$(field "$(ask stats)" heap_used_mb)
    read -r su ss <"$work/$tag.time"
    python3 - "$stf" "$test" "$side" "$rate" "$rep" "$total" "$((after - before))" "$clk" "$su" "$ss" \
        "$( [[ -n $pid ]] && pss_mb "$pid" || echo 0)" "$heap" "$load" "$uas_ticks" "$((bg1 - bg0))" >>"$rows_out" <<'PY'
import sys
stf, test, side, rate, rep, total, ticks, clk, su, ss, pss, heap, load, uas_ticks, bg = sys.argv[1:]
rate, total, ticks, clk = int(rate), int(total), int(ticks), int(clk)
try:
    lines = open(stf, encoding="latin-1").read().splitlines()
    head, last = lines[0].split(";"), lines[-1].split(";")
    col = lambda n: last[head.index(n)]
    ok, failed, retrans = int(col("SuccessfulCall(C)")), int(col("FailedCall(C)")), int(col("Retransmissions(C)"))
    cps = float(col("CallRate(C)"))
except (OSError, IndexError, ValueError):
    ok, failed, retrans, cps = 0, total, 0, 0.0   # SIPp wrote no statistics: count all as failed
cpu = ticks / clk
clean = ok == total and failed == 0 and retrans * 100 < total and cps >= 0.9 * rate
per_k = lambda sec: f"{sec / ok * 1000:.3f}" if ok else "nan"
print("\t".join(map(str, [test, side, rate, rep, total, ok, failed, retrans, f"{retrans * 100 / total:.2f}",
      f"{cps:.0f}", f"{cpu:.1f}", per_k(cpu), per_k(float(su) + float(ss)), pss, heap, load,
      "yes" if clean else "no", per_k(int(uas_ticks) / clk) if test == "calls" else "-", f"{int(bg) / clk:.1f}"])))
PY
    tail -1 "$rows_out" | awk -F'\t' '{ printf "%-13s %-8s rate %5s #%s: ok %6s/%-6s failed %5s retrans %5s (%5s%%) reached %5s/s  proxy CPU %5s s = %6s s/1000 (SIPp UAC %s, UAS %s)  PSS %5s MB  heap %5s MB  load %5s  bg %s s  clean %s\n", $1, $2, $3, $4, $6, $5, $7, $8, $9, $10, $11, $12, $13, $18, $14, $15, $16, $19, $17 }'
}

echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ { print $2 }') GB;" \
     "$(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*' | head -1); ${STEP_S} s a run, REPEAT=$REPEAT, load averages now: $(cut -d' ' -f1-3 /proc/loadavg)"
[[ $(readlink /proc/self/ns/net) != "$(readlink /proc/1/ns/net 2>/dev/null)" ]] && echo "network: a namespace of its own, loopback only"

for test in $TESTS; do
    rates=$RATES
    [[ $test == registrations ]] && rates=$REG_RATES
    echo
    echo "== $test =="
    sides=""
    for side in $SIDES; do
        case $side in
            kamailio) start_kamailio "$test" ;;
            parley) start_parley ;;
            direct) [[ $test == calls ]] || continue
                    proxy_pid[direct]=""; proxy_port[direct]=$UAS_PORT
                    echo "direct: SIPp UAC -> SIPp UAS, no proxy" ;;
            *) echo "unknown side '$side' (kamailio, parley, direct)" >&2; exit 1 ;;
        esac
        sides+=" $side"
    done
    declare -A unclean=()
    for side in $sides; do unclean[$side]=0; done
    if (( WARMUP > 0 )); then
        rows_out=$work/warmup.tsv
        for side in $sides; do
            echo -n "warm-up, not counted: "
            run_once "$test" "$side" "$(awk '{ print $1 }' <<<"$rates")" w "$WARMUP"
            sleep "$PAUSE"
        done
        rows_out=$rows
    fi
    for rate in $rates; do
        active=0
        for rep in $(seq "$REPEAT"); do
            for side in $sides; do
                (( unclean[$side] >= STOP_AFTER )) && continue
                active=1
                run_once "$test" "$side" "$rate" "$rep"
                sleep "$PAUSE"
            done
        done
        (( active )) || break
        for side in $sides; do
            (( unclean[$side] >= STOP_AFTER )) && continue
            if awk -F'\t' -v t="$test" -v s="$side" -v r="$rate" '$1 == t && $2 == s && $3 == r && $17 != "yes" { bad = 1 } END { exit !bad }' "$rows"; then
                unclean[$side]=$((unclean[$side] + 1))
            else
                unclean[$side]=0
            fi
        done
    done
    if [[ -n ${proxy_pid[parley]:-} ]]; then
        s=$(ask stats); g=$(ask gc)
        echo "Parley after the ladder: heap $(field "$s" heap_used_mb) MB in use of $(field "$s" heap_committed_mb) MB committed;" \
             "after a full GC $(field "$g" heap_used_mb) MB; $(field "$s" live_server) live server transactions," \
             "$(field "$s" bindings) bindings, $(field "$s" overload_rejected) overload 503s"
        thread_cpu "${proxy_pid[parley]}"
        if [[ ${HISTO:-0} == 1 ]]; then
            "$(dirname "$JAVA")/jcmd" "${proxy_pid[parley]}" GC.class_histogram 2>&1 | head -24
        fi
    fi
    stop_proxies
done

echo
python3 - "$rows" <<'PY'
import sys, collections, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = collections.defaultdict(list)            # (test, side, rate) -> rows
for r in rows:
    by[(r[0], r[1], int(r[2]))].append(r)
unit = {"calls": "calls/s", "registrations": "registrations/s"}
def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")
def num(x):
    try:
        return float(x)
    except ValueError:
        return float("nan")
for test in dict.fromkeys(r[0] for r in rows):
    sides = list(dict.fromkeys(r[1] for r in rows if r[0] == test))
    rates = sorted({int(r[2]) for r in rows if r[0] == test})
    both = "kamailio" in sides and "parley" in sides
    print(f"{test} ({unit[test]}), preliminary unless the machine was quiet: per side and rate all runs'"
          f" calls summed, medians of proxy CPU s per 1000 {test}, PSS and 1-min load average")
    hdr = f"{'rate':>6}"
    for s in sides:
        hdr += f" | {s[:8]:<8} {'ok/calls':>15} {'fail':>5} {'retr%':>6} {'cpu/1k':>6} {'PSS':>5} {'load':>5} {'clean':>5}"
    if both:
        hdr += f" | {'cpu P/K':>7}"
    print(hdr)
    for rate in rates:
        line = f"{rate:>6}"
        cpu = {}
        for s in sides:
            rs = by.get((test, s, rate), [])
            if not rs:
                line += f" | {'':<8} {'-':>15} {'':>5} {'':>6} {'':>6} {'':>5} {'':>5} {'':>5}"
                continue
            ok = sum(int(r[5]) for r in rs); calls = sum(int(r[4]) for r in rs)
            fail = sum(int(r[6]) for r in rs); retr = sum(int(r[7]) for r in rs)
            cpu[s] = med([num(r[11]) for r in rs]) if s != "direct" else float("nan")
            clean = all(r[16] == "yes" for r in rs)
            c = "-" if cpu[s] != cpu[s] else f"{cpu[s]:.3f}"
            line += (f" | {len(rs)} run{'s' if len(rs) > 1 else ' '}   {ok:>7}/{calls:<7} {fail:>5} {retr * 100 / calls:>6.2f}"
                     f" {c:>6} {int(med([num(r[13]) for r in rs])):>5} {med([num(r[15]) for r in rs]):>5.2f}"
                     f" {'yes' if clean else 'NO':>5}")
        if both and "kamailio" in cpu and "parley" in cpu and cpu["kamailio"] > 0:
            line += f" | {cpu['parley'] / cpu['kamailio']:>7.2f}"
        print(line)
    best = {}
    for s in sides:
        clean = [rate for rate in rates if by.get((test, s, rate)) and all(r[16] == "yes" for r in by[(test, s, rate)])]
        best[s] = max(clean) if clean else 0
        print(f"  {s}: highest clean rate {best[s] or 'none'} {unit[test]}")
    if both:
        ratio = f"{best['parley'] / best['kamailio']:.2f}x" if best["kamailio"] else "n/a (Kamailio never clean)"
        print(f"  Parley/Kamailio highest clean rate: {ratio}")
    print()
PY
echo "clean: every call successful, 0 failed, retransmissions < 1 % of calls, >= 90 % of the rate reached;"
echo "cpu/1k: CPU seconds of all the proxy's processes per 1000 calls; PSS: the proxy's memory (MB) after the run;"
echo "cpu P/K: Parley's CPU per call over Kamailio's (below 1: Parley is cheaper)"

if [[ ${JFR:-0} == 1 && $SIDES == *parley* ]]; then
    jfr=$(dirname "$JAVA")/jfr
    [[ -f $work/parley.jfr ]] || { echo "no recording in $work/parley.jfr" >&2; exit 1; }
    cp "$work/parley.jfr" benchmarks/target/proxy-load.jfr && echo "recording: benchmarks/target/proxy-load.jfr"
    benchmarks/jfr-summary.sh "$work/parley.jfr"
    echo
    "$(dirname "$JAVA")/jfr" view --width 120 gc-pauses "$work/parley.jfr" | grep -e Total -e Number -e Median -e P9
fi
