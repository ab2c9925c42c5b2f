#!/bin/sh
# Cleanup init container: remove what the install containers put on the host, conflist first
# so the runtime stops choosing weft for new pods. The standard plugins stay: other software
# may use them. The install prefix is emptied only when it is a directory named "weft", so a
# prefix like /usr/local set by mistake is never wiped.
# Env: CNI_CONF_DIR, CNI_BIN_DIR, INSTALL_PREFIX.
set -eu
rm -f "$CNI_CONF_DIR/10-weft.conflist" "$CNI_CONF_DIR/.10-weft.conflist.weft-tmp"
rm -f "$CNI_BIN_DIR/weft"
case "${INSTALL_PREFIX%/}" in
*/weft)
  find "$INSTALL_PREFIX" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  echo "weft: emptied $INSTALL_PREFIX"
  ;;
*)
  echo "weft: not emptying $INSTALL_PREFIX (not a directory named weft); remove weft's files there by hand" >&2
  ;;
esac
echo "weft: removed the conflist and the weft launcher"
