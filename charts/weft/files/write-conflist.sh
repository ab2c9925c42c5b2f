#!/bin/sh
# Sidecar of the agent: the runtime must not find weft's conflist before the agent has written
# subnet.env (pods would fail to start), and init containers run before the agent, so this
# waits for the file, installs the conflist atomically, then idles (a DaemonSet container must
# keep running). Giving up after SUBNET_ENV_WAIT_SECONDS makes the kubelet restart it, which
# shows up as restarts in `kubectl get pods`.
# Env: SUBNET_FILE, CONFLIST_SRC, CNI_CONF_DIR, SUBNET_ENV_WAIT_SECONDS.
set -eu
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; exit 0' TERM INT
waited=0
while [ ! -s "$SUBNET_FILE" ]; do
  if [ "$waited" -ge "$SUBNET_ENV_WAIT_SECONDS" ]; then
    echo "weft: $SUBNET_FILE did not appear within ${SUBNET_ENV_WAIT_SECONDS}s; see the agent container's log" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
dst="$CNI_CONF_DIR/10-weft.conflist"
tmp="$CNI_CONF_DIR/.10-weft.conflist.weft-tmp"
cp "$CONFLIST_SRC" "$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$dst"
echo "weft: $SUBNET_FILE present, wrote $dst"
while :; do
  sleep 3600 &
  pid=$!
  wait "$pid" || true
done
