#!/usr/bin/env bash
# Builds the weft image (deploy/Dockerfile) with podman, daemonless, without any image registry:
# the two base images the Dockerfile starts from are made here from Debian's package archive.
#
#   deploy/image/build.sh [--tag TAG]       (root; from anywhere in the repository)
#
#   localhost/weft-base:<suite>             mmdebstrap of Debian <suite> (variant apt, what a
#                                           -slim image holds), imported with podman import
#   localhost/weft-jdk:<jdk>-<suite>        that base + this machine's JDK at /opt/java/openjdk
#                                           (JAVA_HOME, PATH set), curl and unzip for ./mvnw,
#                                           binutils for jlink --strip-debug (as eclipse-temurin)
#   TAG (default: the image deploy/weft.yaml names)
#                                           podman build -f deploy/Dockerfile with those two as
#                                           BASE_IMAGE and JDK_IMAGE
#
# The base images are reused while present (their tags carry the suite and the JDK version);
# WEFT_IMAGE_REBUILD_BASE=1 makes them again. The Dockerfile's build stage runs with the host
# network (Maven Central, Debian) and sees this machine's Maven repository read-only as a
# second, read-only local repository (maven.repo.local.tail), so it only downloads what that
# lacks; its own Maven cache mount keeps the rest between builds.
#
# Environment: WEFT_IMAGE_SUITE (default trixie, the Dockerfile's BASE_IMAGE), WEFT_IMAGE_MIRROR
# (default http://deb.debian.org/debian), WEFT_HOST_M2 (default ~/.m2/repository),
# WEFT_STORAGE_DRIVER=vfs (see env.sh).
# Last line of output on success: "weft image: TAG <size> MB, built in <s> s".
set -euo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
tag=
while [ $# -gt 0 ]; do
  case $1 in
    --tag) [ $# -ge 2 ] || { echo "build.sh: --tag needs a value" >&2; exit 2; }; tag=$2; shift 2 ;;
    --tag=*) tag=${1#--tag=}; shift ;;
    *) echo "usage: deploy/image/build.sh [--tag TAG]" >&2; exit 2 ;;
  esac
done
[ -n "$tag" ] || tag=$(sed -n 's/^ *image: *"\{0,1\}\([^" ]*\)"\{0,1\} *$/\1/p' deploy/weft.yaml | head -n 1)
case $tag in
  ''|*[!A-Za-z0-9._:/-]*) echo "build.sh: bad image tag '$tag'" >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (podman's root storage, mmdebstrap)" >&2; exit 1; }
for t in podman mmdebstrap runc; do
  command -v "$t" >/dev/null || { echo "build.sh: $t is missing (apt-get install podman buildah mmdebstrap runc uidmap)" >&2; exit 1; }
done

# shellcheck source=deploy/image/env.sh
. deploy/image/env.sh
# shellcheck source=.mvn/jdk.sh
. ./.mvn/jdk.sh

suite=${WEFT_IMAGE_SUITE:-trixie}
mirror=${WEFT_IMAGE_MIRROR:-http://deb.debian.org/debian}
case $suite in *[!a-z]*|'') echo "build.sh: bad WEFT_IMAGE_SUITE '$suite'" >&2; exit 2 ;; esac
jdk_version=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\)".*/\1/p' "$JAVA_HOME/release")
[ -n "$jdk_version" ] || { echo "build.sh: no JAVA_VERSION in $JAVA_HOME/release" >&2; exit 1; }
base=localhost/weft-base:$suite
# The JDK image's tag names its recipe too: bump jdk_recipe whenever build_jdk changes what it installs,
# so a machine holding the old one builds it again.
jdk_recipe=2
jdk=localhost/weft-jdk:$jdk_version-$suite-r$jdk_recipe
# A rootful podman would give containers nofile=1048576, above what a CI host may let us set:
# the containers get our own hard limits instead (podman lowers its own nproc to 32768 first).
hard_nofile=$(ulimit -Hn); hard_nproc=$(ulimit -Hu)
[ "$hard_nofile" = unlimited ] && hard_nofile=1048576
if [ "$hard_nproc" = unlimited ] || [ "$hard_nproc" -gt 32768 ]; then hard_nproc=32768; fi
limits=(--ulimit "nofile=$hard_nofile:$hard_nofile" --ulimit "nproc=$hard_nproc:$hard_nproc")

scratch=$(mktemp -d "${TMPDIR:-/tmp}/weft-image.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
present() { [ "${WEFT_IMAGE_REBUILD_BASE:-0}" != 1 ] && podman image exists "$1"; }

build_base() {
  local t0; t0=$(date +%s.%N)
  # The three sources a debian:<suite>-slim image has; docs, man pages and locales left out.
  mmdebstrap --quiet --mode=root --variant=apt --format=tar \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$suite" "$scratch/base.tar" \
    "deb $mirror $suite main" "deb $mirror $suite-updates main" \
    "deb ${mirror%/debian}/debian-security $suite-security main"
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    --message "weft: mmdebstrap --variant=apt $suite ($mirror)" \
    "$scratch/base.tar" "$base" >/dev/null
  rm -f "$scratch/base.tar"
  echo "weft image: base $base made in $(secs "$t0") s"
}

build_jdk() {
  local t0 ctx; t0=$(date +%s.%N)
  # The context: this machine's JDK (its cacerts copied as a file: Debian's is a symlink into
  # /etc/ssl/certs/java) and the certificate authorities this machine added itself (a proxy's,
  # say), so the build stage reaches Maven Central exactly as this machine does.
  ctx=$scratch/jdk-context
  mkdir -p "$ctx/local-ca"
  cp -a "$JAVA_HOME" "$ctx/jdk"
  cp --remove-destination -L "$JAVA_HOME/lib/security/cacerts" "$ctx/jdk/lib/security/cacerts"
  if [ -d /usr/local/share/ca-certificates ]; then
    find /usr/local/share/ca-certificates -name '*.crt' -type f -exec cp {} "$ctx/local-ca/" \;
  fi
  cat > "$scratch/Containerfile.jdk" <<EOF
FROM $base
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \\
 && apt-get install -y -q --no-install-recommends ca-certificates curl unzip binutils \\
 && rm -rf /var/lib/apt/lists/*
COPY local-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
COPY jdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN java -version
EOF
  podman build --pull=never --network host "${limits[@]}" \
    --label "dev.weft.jdk.version=$jdk_version" \
    -f "$scratch/Containerfile.jdk" -t "$jdk" "$ctx" >"$scratch/jdk.log" 2>&1 \
    || { tail -n 40 "$scratch/jdk.log" >&2; echo "build.sh: building $jdk failed" >&2; exit 1; }
  rm -rf "$ctx"
  echo "weft image: JDK image $jdk ($JAVA_HOME) made in $(secs "$t0") s"
}

t_start=$(date +%s.%N)
if present "$base"; then echo "weft image: reusing $base"; else build_base; fi
if present "$jdk"; then echo "weft image: reusing $jdk"; else build_jdk; fi

m2=${WEFT_HOST_M2:-$HOME/.m2/repository}
m2_args=()
if [ -d "$m2" ]; then
  m2_args=(-v "$m2:/var/cache/weft-host-m2:ro" --build-arg "MAVEN_ARGS=-Dmaven.repo.local.tail=/var/cache/weft-host-m2")
fi
t0=$(date +%s.%N)
podman build --pull=never --network host "${limits[@]}" "${m2_args[@]}" \
  --build-arg "JDK_IMAGE=$jdk" --build-arg "BASE_IMAGE=$base" \
  --ignorefile deploy/Dockerfile.dockerignore \
  -f deploy/Dockerfile -t "$tag" . >"$scratch/build.log" 2>&1 \
  || { tail -n 60 "$scratch/build.log" >&2; echo "build.sh: podman build of $tag failed" >&2; exit 1; }
echo "weft image: podman build -f deploy/Dockerfile in $(secs "$t0") s"
size=$(podman image inspect --format '{{.Size}}' "$tag")
printf 'weft image: %s %.0f MB, built in %s s\n' "$tag" "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')" "$(secs "$t_start")"
