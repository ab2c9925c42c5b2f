package dev.weft.e2e.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * An HTTP front for fabric8's CRUD mock that holds thousands of read-only peer Nodes the way an API
 * server's watch cache does: as ready-made JSON, served in LIST pages at memory speed. The mock
 * behind it answers everything else (the agent's own Node, Leases, Events, watches, the Nodes a
 * test creates or patches), and its items are appended to every Node LIST, whose resourceVersion
 * is the mock's, so a watch started from it continues at the mock. The mock alone needs minutes to
 * load and seconds to list 5000 Nodes of 8 KB, which would measure the mock, not the agent.
 *
 * <p>The static peers never change and never appear in watch events. LISTs with label or field
 * selectors are refused (400): the front could not filter its peers.
 */
public final class NodeListFront {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "upgrade",
            "host", "content-length", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
            "sec-websocket-accept", "sec-websocket-protocol");
    private static final int SNAPSHOTS_KEPT = 8;

    private final Vertx vertx;
    private final HttpClient backend;
    private final String backendHost;
    private final int backendPort;
    private final List<byte[]> peers;
    // continue tokens refer to one snapshot of the mock's Nodes, kept by resourceVersion
    private final Map<String, List<byte[]>> snapshots = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<byte[]>> eldest) {
            return size() > SNAPSHOTS_KEPT;
        }
    };
    private HttpServer server;

    NodeListFront(Vertx vertx, String backendHost, int backendPort, List<byte[]> peers) {
        this.vertx = vertx;
        this.backendHost = backendHost;
        this.backendPort = backendPort;
        this.backend = vertx.createHttpClient();
        this.peers = List.copyOf(peers);
    }

    /** Listens on {@code host:port}; completes once bound. */
    Future<HttpServer> listen(String host, int port) {
        server = vertx.createHttpServer();
        server.requestHandler(this::handle);
        return server.listen(port, host);
    }

    private void handle(HttpServerRequest req) {
        if (req.method() == HttpMethod.GET && req.path().equals("/api/v1/nodes") && !"true".equals(req.getParam("watch"))) {
            list(req);
        } else if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
            proxyWebSocket(req);
        } else {
            proxy(req);
        }
    }

    private void list(HttpServerRequest req) {
        if (req.getParam("labelSelector") != null || req.getParam("fieldSelector") != null) {
            status(req, 400, "BadRequest", "the bench API front does not filter its static peers by selector");
            return;
        }
        long limit = parseLong(req.getParam("limit"), 0);
        String cont = req.getParam("continue");
        if (cont != null && !cont.isEmpty()) {
            int colon = cont.lastIndexOf(':');
            List<byte[]> mock;
            synchronized (snapshots) {
                mock = colon < 0 ? null : snapshots.get(cont.substring(0, colon));
            }
            if (mock == null) {
                status(req, 410, "Expired", "the continue token is no longer valid");
                return;
            }
            page(req, cont.substring(0, colon), mock, parseLong(cont.substring(colon + 1), -1), limit);
            return;
        }
        backend.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(backendHost).setPort(backendPort)
                        .setURI("/api/v1/nodes"))
                .compose(r -> r.send().compose(HttpClientResponse::body))
                .onSuccess(body -> {
                    try {
                        JsonNode list = JSON.readTree(body.getBytes());
                        String rv = list.path("metadata").path("resourceVersion").asText("0");
                        List<byte[]> mock = new ArrayList<>();
                        for (JsonNode item : list.path("items")) {
                            mock.add(JSON.writeValueAsBytes(item));
                        }
                        synchronized (snapshots) {
                            snapshots.put(rv, mock);
                        }
                        page(req, rv, mock, 0, limit);
                    } catch (java.io.IOException | RuntimeException e) {
                        status(req, 500, "InternalError", "cannot read the mock's Node list: " + e);
                    }
                })
                .onFailure(e -> status(req, 502, "BadGateway", "mock API server: " + e.getMessage()));
    }

    /** Items {@code from..from+limit} of peers followed by the mock's Nodes. */
    private void page(HttpServerRequest req, String rv, List<byte[]> mock, long from, long limit) {
        long total = peers.size() + (long) mock.size();
        if (from < 0 || from > total) {
            status(req, 400, "BadRequest", "bad continue token");
            return;
        }
        long to = limit > 0 ? Math.min(total, from + limit) : total;
        StringBuilder meta = new StringBuilder("{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"")
                .append(rv).append('"');
        if (to < total) {
            meta.append(",\"continue\":\"").append(rv).append(':').append(to).append("\",\"remainingItemCount\":")
                    .append(total - to);
        }
        meta.append("},\"items\":[");
        Buffer out = Buffer.buffer((int) Math.min(Integer.MAX_VALUE, (to - from) * 8400 + 256));
        out.appendString(meta.toString());
        for (long i = from; i < to; i++) {
            if (i > from) {
                out.appendByte((byte) ',');
            }
            out.appendBytes(i < peers.size() ? peers.get((int) i) : mock.get((int) (i - peers.size())));
        }
        out.appendString("]}");
        req.response().putHeader("Content-Type", "application/json").end(out);
    }

    private void proxy(HttpServerRequest req) {
        req.pause();
        RequestOptions o = new RequestOptions().setMethod(req.method()).setHost(backendHost).setPort(backendPort)
                .setURI(req.uri()).setHeaders(endToEnd(req.headers()));
        backend.request(o).onSuccess(creq -> {
            creq.response().onSuccess(cresp -> {
                var resp = req.response().setStatusCode(cresp.statusCode());
                resp.headers().addAll(endToEnd(cresp.headers()));
                String length = cresp.getHeader("Content-Length");
                if (length != null) {
                    resp.putHeader("Content-Length", length);
                } else {
                    resp.setChunked(true);
                }
                cresp.pipeTo(resp);
            }).onFailure(e -> failIfOpen(req, e));
            String length = req.getHeader("Content-Length");
            if (length != null) {
                creq.putHeader("Content-Length", length);
            } else {
                creq.setChunked(true);
            }
            req.pipeTo(creq);
        }).onFailure(e -> failIfOpen(req, e));
    }

    private void proxyWebSocket(HttpServerRequest req) {
        req.pause();
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(backendHost).setPort(backendPort)
                .setURI(req.uri()).setHeaders(endToEnd(req.headers()));
        String protocols = req.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            o.setSubProtocols(List.of(protocols.split("\\s*,\\s*")));
        }
        backend.webSocket(o).onSuccess(up -> req.toWebSocket().onSuccess(down -> splice(down, up))
                .onFailure(e -> up.close())).onFailure(e -> {
                    int code = e instanceof UpgradeRejectedException u ? u.getStatus() : 502;
                    failIfOpen(req, code, e);
                });
    }

    private static void splice(ServerWebSocket down, WebSocket up) {
        up.textMessageHandler(down::writeTextMessage);
        up.binaryMessageHandler(down::writeBinaryMessage);
        down.textMessageHandler(up::writeTextMessage);
        down.binaryMessageHandler(up::writeBinaryMessage);
        up.closeHandler(v -> {
            if (!down.isClosed()) {
                Short code = up.closeStatusCode();
                down.close(code == null ? (short) 1000 : code, up.closeReason());
            }
        });
        down.closeHandler(v -> {
            if (!up.isClosed()) {
                up.close();
            }
        });
        up.exceptionHandler(e -> down.close());
        down.exceptionHandler(e -> up.close());
    }

    private static MultiMap endToEnd(MultiMap headers) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        headers.forEach((k, v) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                out.add(k, v);
            }
        });
        return out;
    }

    private static void failIfOpen(HttpServerRequest req, Throwable e) {
        failIfOpen(req, 502, e);
    }

    private static void failIfOpen(HttpServerRequest req, int code, Throwable e) {
        if (!req.response().headWritten() && !req.response().ended()) {
            status(req, code, "BadGateway", "mock API server: " + e.getMessage());
        } else {
            req.connection().close();
        }
    }

    private static void status(HttpServerRequest req, int code, String reason, String message) {
        String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + quote(message) + ",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
        req.response().setStatusCode(code).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "\"\"";
        }
    }

    private static long parseLong(String s, long otherwise) {
        try {
            return s == null || s.isEmpty() ? otherwise : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
