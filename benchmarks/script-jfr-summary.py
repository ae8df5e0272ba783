"""Where `parley run SCRIPT` spends its CPU, from a JFR recording (script-load.sh JFR=1).

    python3 benchmarks/script-jfr-summary.py RECORDING.jfr [JFR_TOOL]

Prints the optimizing runtime's work (Truffle compilations: how many, compile seconds, when the
last one ended: before that the script partly runs in the interpreter and the Graal compiler,
itself Java code on HotSpot, competes for the CPU), then the CPU samples of Java threads after
that point by thread group, and how the script workers' samples split between JavaScript
(Truffle frames only), JavaScript calling into Parley (a host call: Truffle frames below sip.*
frames) and Java alone (the worker's queue, the binding outside JS). The image is linked with
--strip-debug, so frames have no line numbers; the split is by frame, which is enough for that.
"""
import collections
import json
import re
import subprocess
import sys
from datetime import datetime

jfr, tool = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "jfr"


def events(names):
    out = subprocess.run([tool, "print", "--json", "--events", names, jfr], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["recording"]["events"]


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def seconds(iso):   # PT1M2.5S
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?([\d.]+)S", iso)
    return int(m.group(1) or 0) * 3600 + int(m.group(2) or 0) * 60 + float(m.group(3)) if m else 0.0


def group(thread):
    name = thread.get("javaName") or ""
    if not name:
        return "virtual threads (transactions, proxy, timers' tasks)"
    return re.sub(r"[-#]?\d+$", "", name)


samples = events("jdk.ExecutionSample")
if not samples:
    sys.exit("no execution samples in " + jfr)
t0 = min(ts(e["values"]["startTime"]) for e in samples)
span = max(ts(e["values"]["startTime"]) for e in samples) - t0
comps = events("jdk.graal.compiler.truffle.Compilation")
done = 0.0
if comps:
    ends = sorted((ts(e["values"]["startTime"]) - t0 + seconds(e["values"]["duration"]), seconds(e["values"]["duration"]))
                  for e in comps)
    total = sum(d for _, d in ends)
    failed = sum(1 for e in comps if not e["values"].get("success", True))
    # The warm-up's compilations end at the first compilation followed by 10 s without any; a
    # few later ones come when traffic takes a new path (the 503s of a shutdown, say).
    done = ends[-1][0]
    starts = sorted(ts(e["values"]["startTime"]) - t0 for e in comps)
    for end, _ in ends:
        following = [t for t in starts if t > end]
        if not following or following[0] - end >= 10:
            done = end
            break
    late = sum(1 for end, _ in ends if end > done)
    print(f"Truffle compilations: {len(comps)} ({failed} failed), {total:.1f} s of compiler time; the warm-up's"
          f" ended {done:.0f} s into the {span:.0f} s recording, {late} compilation(s) later (the last ends at {ends[-1][0]:.0f} s)")
else:
    print("Truffle compilations: none recorded (interpreter only, or the event is off)")

by_thread, script = collections.Counter(), collections.Counter()
host = collections.Counter()
n = 0
for e in samples:
    v = e["values"]
    if ts(v["startTime"]) - t0 < done:
        continue
    n += 1
    g = group(v["sampledThread"])
    by_thread[g] += 1
    if g != "parley-script":
        continue
    frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
              for f in (v["stackTrace"] or {}).get("frames", [])]
    js = next((i for i, m in enumerate(frames) if m.startswith(("com.oracle.truffle", "org.graalvm.truffle"))), None)
    sip = next((i for i, m in enumerate(frames) if m.startswith("sip.")), None)
    if js is None:
        script["Java only (worker queue, binding outside JavaScript)"] += 1
    elif sip is not None and sip < js:
        script["JavaScript calling into Parley (host calls)"] += 1
        host[frames[sip]] += 1
    else:
        script["JavaScript alone (Truffle frames only)"] += 1
if not n:
    sys.exit("no samples after the last compilation")
print(f"CPU samples of Java threads from then on ({n}), by thread group:")
for k, c in by_thread.most_common(10):
    print(f"  {c * 100 / n:5.1f} %  {k}")
print("the script workers' samples (parley-script), as a share of all:")
for k, c in script.most_common():
    print(f"  {c * 100 / n:5.1f} %  {k}")
if host:
    print("host calls: the first Parley frame under JavaScript")
    for k, c in host.most_common(8):
        print(f"  {c * 100 / n:5.1f} %  {k}")
