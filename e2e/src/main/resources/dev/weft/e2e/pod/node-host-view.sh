#!/bin/sh
# node-host-view.sh ROOT SCRATCH PATH... -- COMMAND [ARG...]
#
# Runs COMMAND seeing node ROOT's file system at each host PATH (ROOT/run/flannel at /run/flannel,
# ...), as a process on that node would. Must run in a private mount namespace of its own
# (unshare --mount --propagation private): nothing here reaches the machine's mounts or files.
# A PATH whose parent lacks it gets it without writing to the machine: the parent is replaced, in
# this namespace only, by a tmpfs on SCRATCH holding bind mounts of all its entries plus the new one.
set -eu
root=$1
scratch=$2
shift 2
mount -t tmpfs -o mode=0700 weft-view "$scratch"
n=0
shadowed=" "

shadow() {
  case $shadowed in *" $1 "*) return 0 ;; esac
  n=$((n + 1))
  s=$scratch/$n
  mkdir "$s"
  mount -t tmpfs -o mode=0755 weft-view "$s"
  for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    [ -e "$e" ] || [ -L "$e" ] || continue
    b=${e##*/}
    if [ -L "$e" ]; then
      ln -s "$(readlink "$e")" "$s/$b"
    elif [ -d "$e" ]; then
      mkdir "$s/$b" && mount --rbind "$e" "$s/$b"
    else
      : > "$s/$b" && mount --bind "$e" "$s/$b"
    fi
  done
  mount --move "$s" "$1"
  shadowed="$shadowed$1 "
}

# ensure PATH KIND: PATH exists as a directory (d) or file (f), made in shadows only
ensure() {
  [ -e "$1" ] && return 0
  ensure "$(dirname "$1")" d
  shadow "$(dirname "$1")"
  if [ "$2" = d ]; then mkdir "$1"; else : > "$1"; fi
}

while [ $# -gt 0 ] && [ "$1" != -- ]; do
  path=$1
  shift
  case $path in /*) ;; *) echo "node-host-view: $path is not absolute" >&2; exit 2 ;; esac
  src=$root$path
  if [ -d "$src" ]; then ensure "$path" d; else ensure "$path" f; fi
  mount --bind "$src" "$path"
done
[ "${1:-}" = -- ] || { echo "node-host-view: missing -- COMMAND" >&2; exit 2; }
shift
exec "$@"
