# Sourced (sh, bash): points podman and buildah at the repository's container configuration.
#   . deploy/image/env.sh && podman images
# CONTAINERS_CONF     deploy/image/containers.conf (runc, cgroupfs, file logs/events)
# CONTAINERS_STORAGE_CONF  deploy/image/storage.conf (overlay), or storage-vfs.conf when the
#                          kernel cannot mount overlayfs (or WEFT_STORAGE_DRIVER=vfs).
weft_image_dir=$(cd "$(dirname -- "${BASH_SOURCE:-$0}")" 2>/dev/null && pwd)
if [ ! -f "$weft_image_dir/containers.conf" ]; then
  # $0 is the sourcing shell under plain sh: fall back to the working directory's repository.
  weft_image_dir=$(pwd)/deploy/image
fi
if [ ! -f "$weft_image_dir/containers.conf" ]; then
  echo "weft: deploy/image/env.sh: cannot find deploy/image (source it from the repository root)" >&2
  return 1 2>/dev/null || exit 1
fi
weft_overlay_ok() {
  grep -qw overlay /proc/filesystems 2>/dev/null && return 0
  command -v modprobe >/dev/null 2>&1 && modprobe -q overlay 2>/dev/null \
    && grep -qw overlay /proc/filesystems 2>/dev/null
}
CONTAINERS_CONF=$weft_image_dir/containers.conf
if [ "${WEFT_STORAGE_DRIVER:-overlay}" = vfs ] || ! weft_overlay_ok; then
  CONTAINERS_STORAGE_CONF=$weft_image_dir/storage-vfs.conf
else
  CONTAINERS_STORAGE_CONF=$weft_image_dir/storage.conf
fi
export CONTAINERS_CONF CONTAINERS_STORAGE_CONF
unset weft_image_dir
