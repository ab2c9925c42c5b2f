#!/bin/sh
# Builds the weft CNI plugin bundle, target/weft-cni-bundle.tar.gz, holding weft-cni/:
#   runtime/            a private Java runtime, jlink'd with only the modules jdeps finds
#   lib/weft-cni.jar    the shim, then its runtime dependencies (none today) in lib/ as well
#   lib/classpath       the jars of the class path, in order, one per line (the cache is tied to it)
#   lib/weft-cni.aot    its JDK 25 AOT cache, from a training run (dev.weft.cni.Training)
#   lib/jvm.options     the JVM options shared by training and the launcher
#   install.sh          installs it (see install.sh --help)
#   BUILD_ID            names the install directory, so a cache always sits next to its own jar
# Run by Maven in the package phase:
#   build-bundle.sh <java.home> <jar> <target dir> <version> [<dependency jar dir>]
set -eu
java_home=$1 jar=$2 target=$3 version=$4 deps=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$target/bundle
stage=$root/weft-cni
out=$target/weft-cni-bundle.tar.gz
scratch=$(mktemp -d "${TMPDIR:-/tmp}/weft-cni-bundle.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

say() { echo "[weft-cni-bundle] $*"; }
die() { echo "[weft-cni-bundle] ERROR: $*" >&2; exit 1; }

[ -x "$java_home/bin/jlink" ] || die "$java_home has no jlink; build with a full JDK 25"
[ -f "$jar" ] || die "$jar does not exist; the jar must be built first"

rm -rf "$root" "$out"
mkdir -p "$stage/lib"
cp "$jar" "$stage/lib/weft-cni.jar"
echo weft-cni.jar > "$stage/lib/classpath"
if [ -n "$deps" ] && [ -d "$deps" ]; then
  for d in "$deps"/*.jar; do
    [ -f "$d" ] || continue
    cp "$d" "$stage/lib/"
    basename "$d" >> "$stage/lib/classpath"
  done
fi
cp_list=$(sed "s|^|$stage/lib/|" "$stage/lib/classpath" | paste -sd: -)
cp "$here/install.sh" "$stage/install.sh"
cp "$here/jvm.options" "$stage/lib/jvm.options"
chmod 0755 "$stage/install.sh"

# jar names are plain (checked again by install.sh), so word splitting the list is safe
# shellcheck disable=SC2046
modules=$(cd "$stage/lib" && "$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps \
  --multi-release 25 $(cat classpath))
say "modules (jdeps): $modules"
# --generate-cds-archive gives the runtime a default CDS archive: the fallback when the AOT cache cannot be used.
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$stage/runtime" >"$scratch/jlink.log" 2>&1 \
  || die "jlink failed: $(tail -20 "$scratch/jlink.log")"

# The options file, without comments, as arguments.
opts=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$stage/lib/jvm.options" | tr '\n' ' ')
java="$stage/runtime/bin/java"

say "training run for the AOT cache"
mkdir "$scratch/train"
# shellcheck disable=SC2086
# A clean environment, as runtimes exec plugins: the cache then holds the classes of that locale.
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  "$java" $opts -XX:AOTCacheOutput="$stage/lib/weft-cni.aot" -cp "$cp_list" \
  dev.weft.cni.Training "$scratch/train" >"$scratch/train.log" 2>&1 \
  || die "the AOT training run failed: $(tail -20 "$scratch/train.log")"
[ -s "$stage/lib/weft-cni.aot" ] || die "the training run wrote no AOT cache"

say "verifying the cache is used"
log=$scratch/verify.log
# shellcheck disable=SC2086
reply=$(echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION "$java" $opts -XX:AOTCache="$stage/lib/weft-cni.aot" \
  -Xlog:aot=info:stderr -Xlog:class+load=info:stderr -cp "$cp_list" dev.weft.cni.Main 2>"$log") \
  || die "the shim failed with its AOT cache: $(tail -5 "$log")"
case $reply in *supportedVersions*) ;; *) die "unexpected VERSION reply: $reply" ;; esac
grep -q 'Using AOT-linked classes: true' "$log" || die "the JVM did not map the AOT cache: $(grep aot "$log" | tail -5)"
grep -q 'dev.weft.cni.Main source: shared objects file' "$log" \
  || die "dev.weft.cni.Main was not loaded from the AOT cache"

# The install directory is named after the jar and the runtime: the cache was trained against exactly these.
build_id=$(cd "$stage/lib" && cat $(cat classpath) classpath jvm.options ../runtime/release | sha256sum | cut -c1-16)
echo "$build_id" > "$stage/BUILD_ID"
# shellcheck disable=SC2046
(cd "$stage/lib" && sha256sum $(cat classpath) classpath weft-cni.aot > SHA256SUMS)
echo "$version" > "$stage/VERSION"

tar -C "$root" -cf - weft-cni | gzip -1 > "$out"
say "wrote $out ($(du -h "$out" | cut -f1), build $build_id)"
