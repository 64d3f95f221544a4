#!/usr/bin/env bash
# Patch size on a real pair: the network-driver modules (kernel/drivers/net/**/*.ko, uncompressed,
# concatenated in path order) of Debian's linux-image-6.1.0-49-amd64 and linux-image-6.1.0-56-amd64
# (~78 MB each), diffed by vgate ota make-patch, Debian's bsdiff, xdelta3 -9 and zstd -19 --long=27
# --patch-from. Needs: apt-get download access to bookworm-security, bsdiff, xdelta3, zstd, GNU time.
# Usage: bench/scripts/ota-patch-sizes.sh [WORK_DIR]               (results in docs/benchmarks.md#ota)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$PWD
work=${1:-/tmp/vgate-ota-sizes}
jar=$repo/agent/target/vgate.jar
[ -f "$jar" ] || ./mvnw -q -B -DskipTests package -pl agent -am
mkdir -p "$work" && cd "$work"
for v in 49 56; do
  if [ ! -f "net-$v.bin" ]; then
    apt-get download "linux-image-6.1.0-$v-amd64"
    rm -rf "x$v" && mkdir "x$v" && dpkg-deb -x linux-image-6.1.0-$v-amd64_*.deb "x$v"
    (cd "x$v/lib/modules/6.1.0-$v-amd64" && find kernel/drivers/net -name '*.ko' | LC_ALL=C sort | xargs cat) > "net-$v.bin"
  fi
done
t() { /usr/bin/time -f "$1: wall %e s, user %U s, max RSS %M KB" "${@:2}"; }
[ -f keys/release.pem ] || java -jar "$jar" ota keygen --out keys >/dev/null
t vgate java -Xmx3g -jar "$jar" ota make-patch net-49.bin net-56.bin --key keys/release --version 6.1.192 --out vgate
t bsdiff bsdiff net-49.bin net-56.bin bsdiff.patch
t xdelta3 xdelta3 -9 -f -e -s net-49.bin net-56.bin xdelta3.patch
t zstd zstd -q -f -19 --long=27 --patch-from=net-49.bin net-56.bin -o zstd.patch
ls -l vgate/patch.bin bsdiff.patch xdelta3.patch zstd.patch
# every patch must rebuild net-56.bin
bspatch net-49.bin check.bin bsdiff.patch && cmp check.bin net-56.bin && echo "bsdiff patch: ok"
java -jar "$jar" ota apply --trust keys/trust.yaml --manifest vgate/manifest.bin --patch vgate/patch.bin --from net-49.bin --to check.bin \
  && cmp check.bin net-56.bin && echo "vgate patch: ok"
rm -f check.bin
