#!/bin/sh
# Finishes an agent distribution for a fast start:
#   lib/classpath   the jars in a fixed order (weft-agent.jar first, then by name), read by bin/weft
#   lib/weft.aot    the JDK 25 AOT cache from a training run (dev.weft.training.AotTraining)
# The training runs through bin/weft itself (WEFT_AOT=train), so the cache is made with exactly
# the JVM options, class path and Java runtime the launcher uses; a cache is only valid for those.
# The training needs no privileges: a loopback API fixture, a loopback health server, a read-only
# netlink dump. Then the launcher must map the cache (-XX:AOTMode=on fails loudly otherwise).
#
#   build-aot-cache.sh <dist dir> [<java home>]
# Run by Maven in the package phase (with its own java.home) and by deploy/Dockerfile after the
# jlink'd runtime is in <dist>/runtime (which bin/weft then prefers).
set -eu
dist=$1 java_home=${2:-${JAVA_HOME:-}}
lib=$dist/lib

say() { echo "[weft-agent-aot] $*"; }
die() { echo "[weft-agent-aot] ERROR: $*" >&2; exit 1; }

[ -x "$dist/bin/weft" ] || die "$dist/bin/weft is missing; assemble the distribution first"
[ -f "$lib/weft-agent.jar" ] || die "$lib/weft-agent.jar is missing"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/weft-agent-aot.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

(cd "$lib" && { echo weft-agent.jar; ls -1 | grep '\.jar$' | grep -vx weft-agent.jar | LC_ALL=C sort; }) \
  > "$scratch/classpath"
bad=$(grep -v '^[A-Za-z0-9._+-]*$' "$scratch/classpath" || true)
[ -z "$bad" ] || die "jar names must be plain (letters, digits, . _ + -): $bad"
mv "$scratch/classpath" "$lib/classpath"
rm -f "$lib/weft.aot"

# A clean environment, as a DaemonSet runs the agent: no stray JAVA_TOOL_OPTIONS or WEFT_JAVA_OPTS.
run() {
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$scratch" ${java_home:+JAVA_HOME="$java_home"} "$@"
}

say "training run for the AOT cache"
mkdir "$scratch/train"
started=$(date +%s)
run WEFT_AOT=train "$dist/bin/weft" "$scratch/train" >"$scratch/train.log" 2>&1 \
  || die "the AOT training run failed: $(tail -30 "$scratch/train.log")"
[ -s "$lib/weft.aot" ] || die "the training run wrote no AOT cache: $(tail -30 "$scratch/train.log")"
say "$(grep -h 'training:' "$scratch/train.log" | tail -1) ($(($(date +%s) - started)) s)"

say "verifying the launcher maps the cache"
log=$scratch/verify.log
out=$(run WEFT_JAVA_OPTS="-XX:AOTMode=on -Xlog:aot=info:stderr -Xlog:class+load=info:stderr" \
  "$dist/bin/weft" --version 2>"$log") || die "bin/weft --version failed with the AOT cache: $(tail -5 "$log")"
case $out in "weft "*) ;; *) die "unexpected --version output: $out" ;; esac
grep -q 'Using AOT-linked classes: true' "$log" || die "the JVM did not map the AOT cache: $(grep aot "$log" | tail -5)"
for class in dev.weft.app.Main dev.weft.app.WeftCli; do
  grep -q "^\[.*\] $class source: shared objects file" "$log" || die "$class was not loaded from the AOT cache"
done
say "wrote $lib/weft.aot ($(du -h "$lib/weft.aot" | cut -f1))"
