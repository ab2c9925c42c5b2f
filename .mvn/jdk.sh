# Sourced by every weft entry point (mvnw, ./dev, bin/weft): selects a JDK >= 25.
# Order: $JAVA_HOME when it is a JDK >= 25, else the newest JDK >= 25 under /usr/lib/jvm.
weft_jdk_major() {
  [ -x "$1/bin/javac" ] && [ -r "$1/release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release"
}
weft_pick_jdk() {
  weft_best=; weft_best_v=0
  if [ -n "${JAVA_HOME:-}" ]; then
    weft_v=$(weft_jdk_major "$JAVA_HOME") || weft_v=0
    if [ "${weft_v:-0}" -ge 25 ]; then return 0; fi
  fi
  case $- in *f*) weft_noglob=1; set +f ;; *) weft_noglob= ;; esac
  for weft_d in /usr/lib/jvm/*; do
    weft_v=$(weft_jdk_major "$weft_d") || continue
    if [ "${weft_v:-0}" -ge 25 ] && [ "$weft_v" -gt "$weft_best_v" ]; then weft_best=$weft_d; weft_best_v=$weft_v; fi
  done
  if [ -n "$weft_noglob" ]; then set -f; fi
  if [ -z "$weft_best" ]; then
    echo "weft: no JDK 25 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm): install one, e.g. 'apt-get install temurin-25-jdk', or point JAVA_HOME at it" >&2
    return 1
  fi
  JAVA_HOME=$weft_best; export JAVA_HOME
}
weft_pick_jdk
