#!/bin/sh
# Completes the jlink image: the launcher in bin/, the Graal compiler jar in graal/.
# Usage: finish-image.sh IMAGE LAUNCHER GRAAL_DIR   (run by the distribution module's build)
set -eu
image=$1 launcher=$2 graal=$3
cp "$launcher" "$image/bin/parley"
chmod 755 "$image/bin/parley"
mkdir -p "$image/graal"
cp "$graal"/compiler-*.jar "$image/graal/"
