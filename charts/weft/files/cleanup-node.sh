#!/bin/sh
# Cleanup init container: run `weft cleanup` once no agent runs on this node any more,
# otherwise the agent would rebuild what cleanup removes. With hostNetwork the agent's health
# port is reachable from here; bash's /dev/tcp probes it without extra tools.
# Env: WEFT (the launcher), HEALTHZ_HOST, HEALTHZ_PORT, AGENT_STOP_WAIT_SECONDS.
set -eu
waited=0
while bash -c "exec 3<>/dev/tcp/$HEALTHZ_HOST/$HEALTHZ_PORT" 2>/dev/null; do
  if [ "$waited" -ge "$AGENT_STOP_WAIT_SECONDS" ]; then
    echo "weft: an agent still answers on $HEALTHZ_HOST port $HEALTHZ_PORT; delete the weft DaemonSet first" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
exec "$WEFT" cleanup
