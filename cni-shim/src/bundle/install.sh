#!/bin/sh
# Installs the weft CNI plugin from this bundle. The host needs no Java: the bundle brings its own.
#
#   install.sh [--prefix DIR] [--cni-bin-dir DIR]
#     --prefix DIR        where the runtime, jar and AOT cache go   (default /opt/weft)
#     --cni-bin-dir DIR   where the 'weft' launcher goes            (default /opt/cni/bin)
#
# Layout: DIR/cni/<build id>/{runtime,lib} and the launcher CNI_BIN_DIR/weft with that directory
# baked in. Each build gets its own directory and the launcher is replaced atomically last, so a
# pod being set up during an upgrade runs either the old build or the new one, never a jar with
# another build's AOT cache. Older builds are removed, except the one the previous launcher used.
set -eu

prefix=/opt/weft
cni_bin_dir=/opt/cni/bin

usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }
die() { echo "weft install: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --cni-bin-dir) [ $# -ge 2 ] || die "--cni-bin-dir needs a directory"; cni_bin_dir=$2; shift 2 ;;
    --cni-bin-dir=*) cni_bin_dir=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

# The paths are baked into a shell script: only plain absolute paths are accepted.
check_path() {
  case $2 in
    /*) ;;
    *) die "$1 '$2' must be an absolute path" ;;
  esac
  case $2 in
    *[!A-Za-z0-9._/+-]*) die "$1 '$2' may only contain letters, digits and . _ / + -" ;;
    */../*|*/..|*/./*|*/.) die "$1 '$2' must not contain . or .. components" ;;
  esac
}
check_path --prefix "$prefix"
check_path --cni-bin-dir "$cni_bin_dir"
prefix=${prefix%/}; cni_bin_dir=${cni_bin_dir%/}
[ -n "$prefix" ] || die "--prefix must not be /"

here=$(cd "$(dirname "$0")" && pwd)
for f in BUILD_ID runtime/bin/java lib/weft-cni.jar lib/classpath lib/jvm.options; do
  [ -e "$here/$f" ] || die "incomplete bundle: $here/$f is missing"
done
id=$(cat "$here/BUILD_ID")
case $id in *[!0-9a-f]*|'') die "bad BUILD_ID '$id'" ;; esac
if command -v sha256sum >/dev/null 2>&1 && [ -f "$here/lib/SHA256SUMS" ]; then
  # plain -c: GNU coreutils and busybox (minimal init-container images) both have it
  (cd "$here/lib" && sha256sum -c SHA256SUMS >/dev/null 2>&1) || die "bundle files do not match lib/SHA256SUMS"
fi

home=$prefix/cni/$id
launcher=$cni_bin_dir/weft
previous=
if [ -f "$launcher" ]; then
  previous=$(sed -n "s|^home=$prefix/cni/\([0-9a-f]*\)\$|\1|p" "$launcher" | head -n 1)
fi

mkdir -p "$prefix/cni" "$cni_bin_dir"
if [ ! -x "$home/runtime/bin/java" ]; then
  staging=$prefix/cni/.install-$id-$$
  rm -rf "$staging"
  mkdir -p "$staging"
  cp -pR "$here/runtime" "$here/lib" "$staging/"
  rm -rf "$home"
  mv "$staging" "$home"
fi

opts=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$home/lib/jvm.options" | tr '\n' ' ')
classpath=
while IFS= read -r jar; do
  case $jar in ''|*[!A-Za-z0-9._+-]*) die "bad jar name '$jar' in lib/classpath" ;; esac
  classpath=${classpath:+$classpath:}$home/lib/$jar
done < "$home/lib/classpath"
tmp=$cni_bin_dir/.weft.tmp.$$
cat > "$tmp" <<LAUNCHER
#!/bin/sh
# weft CNI plugin launcher, written by install.sh (build $id). It runs the shim on its private
# Java runtime with its AOT cache. WEFT_CNI_AOT=off runs without the cache; WEFT_CNI_JAVA_OPTS
# adds JVM options (diagnostics, e.g. -Xlog:aot).
set -f
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS
home=$home
aot=-XX:AOTCache=\$home/lib/weft-cni.aot
if [ "\${WEFT_CNI_AOT:-on}" = off ] || [ ! -r "\$home/lib/weft-cni.aot" ]; then aot=; fi
exec "\$home/runtime/bin/java" $opts\$aot \${WEFT_CNI_JAVA_OPTS:-} -cp $classpath dev.weft.cni.Main
LAUNCHER
chmod 0755 "$tmp"
mv -f "$tmp" "$launcher"

reply=$(echo '{"cniVersion":"1.0.0"}' | CNI_COMMAND=VERSION "$launcher" 2>&1) || die "installed launcher failed: $reply"
case $reply in *supportedVersions*) ;; *) die "installed launcher answered VERSION with: $reply" ;; esac

for d in "$prefix"/cni/*; do
  b=${d##*/}
  [ -d "$d" ] && [ "$b" != "$id" ] && [ "$b" != "$previous" ] && [ "$b" != current ] || continue
  case $b in *[!0-9a-f]*) continue ;; esac
  rm -rf "$d"
done
ln -sfn "$id" "$prefix/cni/current"
echo "weft CNI plugin $(cat "$here/VERSION" 2>/dev/null || echo "") (build $id) installed: $launcher -> $home"
