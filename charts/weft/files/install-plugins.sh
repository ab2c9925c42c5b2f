#!/bin/sh
# Init container: put the standard plugins weft's CNI chain needs into the host's CNI bin dir,
# unless the host already has a version that speaks the conflist's cniVersion.
# Env: PLUGIN_DIR (the image's plugins), CNI_BIN_DIR (host bin dir), PLUGINS, CNI_VERSION.
set -eu
supports() {
  # A plugin answers VERSION with JSON listing its supportedVersions.
  CNI_COMMAND=VERSION "$1" </dev/null 2>/dev/null | grep -q "\"$CNI_VERSION\""
}
for plugin in $PLUGINS; do
  src="$PLUGIN_DIR/$plugin"
  dst="$CNI_BIN_DIR/$plugin"
  if [ -x "$dst" ] && supports "$dst"; then
    echo "weft: keeping the host's $dst"
    continue
  fi
  [ -x "$src" ] || { echo "weft: $src missing from the image" >&2; exit 1; }
  # Copy then rename, so the runtime never executes a half-written binary.
  tmp="$CNI_BIN_DIR/.$plugin.weft-tmp"
  cp "$src" "$tmp"
  chmod 0755 "$tmp"
  mv -f "$tmp" "$dst"
  echo "weft: installed $dst"
done
