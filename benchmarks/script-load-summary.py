"""The summary table of benchmarks/script-load.sh: python3 script-load-summary.py ROWS.tsv "SIDES".

ROWS.tsv has one line per run (script-load.sh's run_once): side, rate, repeat, calls, ok, failed,
retransmissions, retr %, rate reached, CPU s, CPU s/1000, p50 ms, p99 ms, PSS MB, load, clean,
bg CPU s, SIPp UAC CPU s/1000. Per side and rate the runs' calls are summed and the other figures
are medians; a side's clean rate is the highest rate at which every run was clean.
"""
import collections
import statistics
import sys

LABEL = {"parley-js": "a parley-js", "parley-java": "b parley-java", "kamailio-js": "c kamailio-js"}
TARGETS = (("parley-js", "parley-java", 0.9, "a >= 0.9 x b"), ("parley-js", "kamailio-js", 1.5, "a >= 1.5 x c"))


def num(x):
    try:
        return float(x)
    except ValueError:
        return float("nan")


def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def fmt(x, digits=0):
    return "-" if x != x else f"{x:.{digits}f}"


rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
order = [s for s in sys.argv[2].split() if any(r[0] == s for r in rows)]
by = collections.defaultdict(list)
for r in rows:
    by[(r[0], int(r[1]))].append(r)
rates = sorted({int(r[1]) for r in rows})
clean_at = {k: all(r[15] == "yes" for r in v) for k, v in by.items()}

print("Per rate and side (runs' calls summed; CPU, latency, PSS and load are medians over the runs):")
print(f"{'calls/s':>7}  {'side':<14} {'runs':>4} {'ok/calls':>15} {'failed':>6} {'retr%':>6} {'reached':>7}"
      f" {'CPU s/1k':>8} {'p50 ms':>6} {'p99 ms':>6} {'PSS MB':>6} {'load':>5} {'clean':>5}")
for rate in rates:
    for s in order:
        rs = by.get((s, rate))
        if not rs:
            continue
        ok, calls = sum(int(r[4]) for r in rs), sum(int(r[3]) for r in rs)
        fail, retr = sum(int(r[5]) for r in rs), sum(int(r[6]) for r in rs)
        print(f"{rate:>7}  {LABEL[s]:<14} {len(rs):>4} {f'{ok}/{calls}':>15} {fail:>6} {retr * 100 / calls:>6.2f}"
              f" {fmt(med([num(r[8]) for r in rs])):>7} {fmt(med([num(r[10]) for r in rs]), 3):>8}"
              f" {fmt(med([num(r[11]) for r in rs])):>6} {fmt(med([num(r[12]) for r in rs])):>6}"
              f" {fmt(med([num(r[13]) for r in rs])):>6} {fmt(med([num(r[14]) for r in rs]), 2):>5}"
              f" {'yes' if clean_at[(s, rate)] else 'NO':>5}")
print()

best = {}
for s in order:
    clean = [rate for rate in rates if by.get((s, rate)) and clean_at[(s, rate)]]
    best[s] = max(clean) if clean else 0
common = [rate for rate in rates if all(by.get((s, rate)) and clean_at[(s, rate)] for s in order)]
at = max(common) if common else None
top = max(rates)

print("Summary (clean: every call successful, 0 failed, retransmissions < 1 %, >= 90 % of the rate reached;")
print("CPU: all the proxy's processes per 1000 calls; p50/p99: INVITE->200 at SIPp's UAC, 4 ms clock ticks, 0 = under 4 ms):")
hdr = f"  {'side':<14} {'highest clean calls/s':>21}"
if at:
    print(f"  (CPU and INVITE->200 latency at {at} calls/s, the highest rate where every side was clean)")
    hdr += f" | {'CPU s/1k':>8} {'p50 ms':>6} {'p99 ms':>6}"
print(hdr)
for s in order:
    line = f"  {LABEL[s]:<14} {best[s] or 'none':>21}"
    if at:
        rs = by[(s, at)]
        line += (f" | {fmt(med([num(r[10]) for r in rs]), 3):>8} {fmt(med([num(r[11]) for r in rs])):>6}"
                 f" {fmt(med([num(r[12]) for r in rs])):>6}")
    below = [str(rate) for rate in rates if rate < best[s] and by.get((s, rate)) and not clean_at[(s, rate)]]
    if best[s] == top:
        line += "  (the top of the ladder: a lower bound)"
    if below:
        line += f"  (but unclean at {', '.join(below)})"
    print(line)
for a, b, target, text in TARGETS:
    if a in best and b in best:
        if not best[b]:
            print(f"  {text}: n/a ({LABEL[b]} never clean)")
            continue
        ratio = best[a] / best[b]
        bound = " (a lower bound: a was clean at the top of the ladder)" if best[a] == top else ""
        verdict = "MET" if ratio >= target else "NOT MET"
        print(f"  {text}: {best[a]} / {best[b]} = {ratio:.2f}x -> {verdict}{bound}")
