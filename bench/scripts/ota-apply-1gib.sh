#!/usr/bin/env bash
# Applies a patch to a synthetic 1 GiB image pair with vgate's streaming applier (JVM heap capped at
# 64 MiB), jbsdiff 1.0's in-memory patcher and Debian's bspatch; prints wall time, CPU time and peak RSS
# of each and checks every output against the new image. Needs: bzip2, bspatch (Debian package bsdiff),
# GNU time (/usr/bin/time), ~4 GiB free disk in WORK and ~4 GiB free RAM (for jbsdiff and bspatch).
# Usage: bench/scripts/ota-apply-1gib.sh [WORK_DIR] [SIZE_MIB]      (results in docs/benchmarks.md#ota)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=${1:-/tmp/vgate-ota-bench}
mib=${2:-1024}
jar=bench/target/benchmarks.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package -pl bench -am
mkdir -p "$work"
java -cp "$jar" dev.vgate.bench.ota.ImagePairGenerator "$work" "$mib" 1
measure() { # name command...
  local name=$1; shift
  /usr/bin/time -f "$name: wall %e s, user %U s, sys %S s, max RSS %M KB" "$@" 2>&1 | grep -v '^\[' || true
  cmp "$work/out.img" "$work/new.img" && echo "$name: output identical to new.img"
  rm -f "$work/out.img"
}
measure vgate java -Xmx64m -cp "$jar" dev.vgate.bench.ota.ApplyCommand vgate "$work/old.img" "$work/patch.bin" "$work/out.img"
measure jbsdiff java -Xmx4g -cp "$jar" dev.vgate.bench.ota.ApplyCommand jbsdiff "$work/old.img" "$work/patch.bin" "$work/out.img"
measure bspatch bspatch "$work/old.img" "$work/out.img" "$work/patch.bin"
