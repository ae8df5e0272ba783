#!/usr/bin/env bash
# Summarises a JFR recording (settings=profile) of a Parley load program: where the CPU samples
# and the allocation samples fall, counted at the top frame (the JDK or Parley method on CPU) and
# at the first Parley frame (sip.*, the code that called into the JDK), with line numbers, so a
# hot spot reads as file:line.
#
#   benchmarks/jfr-summary.sh recording.jfr [TOP]        # TOP rows a table, default 20
#
# Needs the JDK's jfr (JAVA's directory, default temurin 25) and python3.
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
jfr=$(dirname "$JAVA")/jfr
rec=${1:?usage: jfr-summary.sh recording.jfr [TOP]}
top=${2:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$jfr" print --stack-depth 64 --events jdk.ExecutionSample "$rec" >"$tmp/cpu.txt"
"$jfr" print --stack-depth 64 --events jdk.ObjectAllocationSample "$rec" >"$tmp/alloc.txt"
python3 - "$tmp/cpu.txt" "$tmp/alloc.txt" "$top" <<'PY'
import collections, re, sys

cpu_file, alloc_file, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
frame_re = re.compile(r"^\s+(\S.*?)\s+line:\s*(\d+)")
weight_re = re.compile(r"^\s+weight = ([\d.,]+)\s*(bytes|kB|MB|GB)")
class_re = re.compile(r"^\s+objectClass = (\S+)")
units = {"bytes": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}

def events(path):
    """Yields (fields, frames) per event; frames as 'method line N', top first."""
    fields, frames, in_stack = {}, [], False
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith("jdk."):
            if frames or fields:
                yield fields, frames
            fields, frames, in_stack = {}, [], False
        elif "stackTrace = [" in line:
            in_stack = True
        elif in_stack:
            m = frame_re.match(line)
            if m:
                frames.append((m.group(1), int(m.group(2))))
            elif line.strip().startswith("]"):
                in_stack = False
        else:
            m = weight_re.match(line)
            if m:
                fields["weight"] = float(m.group(1).replace(",", "")) * units[m.group(2)]
            m = class_re.match(line)
            if m:
                fields["class"] = m.group(1)
    if frames or fields:
        yield fields, frames

def short(method):
    # "sip.router.internal.Foo.bar(int, String)" -> "sip.router.internal.Foo.bar"
    return method.split("(")[0]

def first_parley(frames):
    for m, ln in frames:
        if m.startswith("sip."):
            return f"{short(m)}:{ln}"
    return "(no sip.* frame)"

def table(title, counter, total, unit):
    print(f"\n{title}")
    for key, n in counter.most_common(top):
        v = f"{n / 1024 ** 2:9.1f} MB" if unit == "bytes" else f"{n:9d}"
        print(f"  {v} {n * 100 / total:5.1f} %  {key}")

def cls(method):
    # "sip.router.internal.Foo$Bar.baz" -> "sip.router.internal.Foo" (nested classes fold into their file)
    return short(method).rsplit(".", 1)[0].split("$")[0]

cpu_top, cpu_parley, cpu_incl = collections.Counter(), collections.Counter(), collections.Counter()
cpu_class = collections.Counter()
n = 0
for _, frames in events(cpu_file):
    if not frames:
        continue
    n += 1
    cpu_top[f"{short(frames[0][0])}:{frames[0][1]}"] += 1
    cpu_parley[first_parley(frames)] += 1
    for m in {short(m) for m, _ in frames if m.startswith("sip.")}:
        cpu_incl[m] += 1
    for c in {cls(m) for m, _ in frames if m.startswith("sip.")}:
        cpu_class[c] += 1
print(f"CPU: {n} execution samples")
if n:
    table("top frame (method:line on CPU)", cpu_top, n, "samples")
    table("first Parley frame (sip.* method:line that led there)", cpu_parley, n, "samples")
    table("Parley methods on the stack (inclusive)", cpu_incl, n, "samples")
    table("Parley classes (source files) on the stack (inclusive)", cpu_class, n, "samples")

by_site, by_class = collections.Counter(), collections.Counter()
total = 0.0
for fields, frames in events(alloc_file):
    w = fields.get("weight", 0.0)
    if not frames or not w:
        continue
    total += w
    by_site[f"{fields.get('class', '?')} at {first_parley(frames)}"] += w
    by_class[fields.get("class", "?")] += w
print(f"\nallocation: {total / 1024 ** 2:.0f} MB sampled (weights of jdk.ObjectAllocationSample)")
if total:
    table("by class and first Parley frame", by_site, total, "bytes")
    table("by class", by_class, total, "bytes")
PY
