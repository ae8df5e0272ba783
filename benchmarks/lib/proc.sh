# Process measurements shared by proxy-load.sh and script-load.sh (sourced, not run): what a
# proxy's processes cost, read from /proc, and waiting for it to listen.

tree() {        # a process and all its descendants (a launcher's JVM, Kamailio's workers)
    local p
    echo "$1"
    for p in $(pgrep -P "$1" || true); do tree "$p"; done
}
cpu_ticks() {   # utime + stime of every process of the tree
    local t=0 p v
    for p in $(tree "$1"); do
        v=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
        t=$((t + v))
    done
    echo "$t"
}
pss_mb() {      # proportional set size of the tree: Kamailio's shared memory counted once
    local kb=0 p v
    for p in $(tree "$1"); do
        v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
        kb=$((kb + ${v:-0}))
    done
    echo $((kb / 1024))
}
wait_udp() {    # until something listens on 127.0.0.1:$1 over UDP (60 s at most), or the process $2 is gone
    for _ in $(seq 600); do
        ss -Hlun "sport = :$1" | grep -q . && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
