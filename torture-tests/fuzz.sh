#!/usr/bin/env bash
# Fuzz one Jazzer target of torture-tests for a while; see torture-tests/FUZZING.md.
#
#   torture-tests/fuzz.sh <TestClass>[#method] [minutes]     e.g. fuzz.sh ParserFuzzTest 10
#
# Without this script (no JAZZER_FUZZ) the same tests only replay their inputs directories.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <TestClass>[#method] [minutes]   (e.g. ParserFuzzTest RoundTripFuzzTest FramerFuzzTest HostileFramesFuzzTest HandshakeFuzzTest; see FUZZING.md)" >&2
  exit 2
fi
target=$1
minutes=${2:-5}
if ! [[ $minutes =~ ^[0-9]+$ ]] || (( minutes < 1 )); then
  echo "minutes must be a positive integer: $minutes" >&2
  exit 2
fi

cd "$(dirname "$0")/.."

# JAZZER_FUZZ switches @FuzzTest from replaying inputs to fuzzing (one fuzz test per run).
# jazzer.max_duration overrides @FuzzTest(maxDuration); Surefire hands -D user properties to the
# test JVM, where Jazzer reads them as its settings. jazzer.instrument: Surefire's manifest-only
# class path hides the class directories from Jazzer's default filter, so name what to
# instrument for coverage (the parser, and the generators the round-trip targets drive).
# JUnit's timeout mode is disabled: JUnit would time the whole fuzzing run against the targets'
# @Timeout, which Jazzer already applies to each input (libFuzzer -timeout).
# -am builds sip.message and sip.testkit first; their own tests are filtered out by -Dtest.
export JAZZER_FUZZ=1
exec ./mvnw -B -pl torture-tests -am test \
  -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.max_duration="${minutes}m" \
  -Djazzer.instrument='sip.**' \
  -Djunit.jupiter.execution.timeout.mode=disabled
