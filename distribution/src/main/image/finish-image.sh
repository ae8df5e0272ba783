#!/bin/sh
# Completes the jlink image: the launcher in bin/, the Graal compiler jar in graal/.
# Usage: finish-image.sh IMAGE LAUNCHER GRAAL_DIR   (run by the distribution module's build)
set -eu
image=$1 launcher=$2 graal=$3
cp "$launcher" "$image/bin/parley"
chmod 755 "$image/bin/parley"
mkdir -p "$image/graal"
cp "$graal"/compiler-*.jar "$image/graal/"
# The CDS archive for heaps over 32 GB (no compressed oops): 14 MB a router never uses; such a VM
# just starts without class-data sharing.
rm -f "$image/lib/server/classes_nocoops.jsa"
