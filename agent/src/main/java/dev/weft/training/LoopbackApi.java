package dev.weft.training;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A small in-memory Kubernetes API on loopback for the AOT training run: Nodes (get, list, watch,
 * merge patch, JSON patch of status), subnet-lock Leases (list, create) and Events (create), in
 * the JSON the real API server speaks. Watches are answered over a WebSocket, as fabric8 asks
 * first, or as a chunked HTTP stream; each sends one event and stays open. Only what the agent's
 * start needs; anything else is a 404 Status.
 */
final class LoopbackApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODES = "/api/v1/nodes";
    private static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/";
    private static final String EVENTS = "/api/v1/namespaces/default/events";

    private final ConcurrentMap<String, ObjectNode> nodes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ObjectNode> leases = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong(100);
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final EventLoopGroup group;
    private final Channel channel;

    private LoopbackApi() throws IOException {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("training-api", true), NioIoHandler.newFactory());
        try {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("interrupted while binding", e);
        }
    }

    /** Starts the server on a free loopback port. */
    static LoopbackApi start() throws IOException {
        return new LoopbackApi();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** Adds or replaces a Node, given as its JSON. */
    void putNode(String json) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(json);
        stamp(n);
        nodes.put(n.path("metadata").path("name").asText(), n);
    }

    /** The stored Node, as JSON; null when there is none. */
    String node(String name) {
        ObjectNode n = nodes.get(name);
        return n == null ? null : n.toString();
    }

    /** How many requests each {@code METHOD /path kind} got, for the training's summary. */
    Map<String, Long> requests() {
        Map<String, Long> out = new LinkedHashMap<>();
        requests.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    private void stamp(ObjectNode o) {
        ObjectNode meta = o.withObjectProperty("metadata");
        meta.put("resourceVersion", String.valueOf(version.incrementAndGet()));
        if (!meta.has("uid")) {
            meta.put("uid", java.util.UUID.nameUUIDFromBytes(meta.path("name").asText().getBytes(StandardCharsets.UTF_8))
                    .toString());
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private WebSocketServerHandshaker handshaker;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String path = q.path();
            boolean watch = q.parameters().containsKey("watch");
            requests.computeIfAbsent(req.method() + " " + kind(path) + (watch ? " watch" : ""), k -> new AtomicLong())
                    .incrementAndGet();
            if (watch) {
                watch(ctx, req);
                return;
            }
            String body = req.content().toString(StandardCharsets.UTF_8);
            Reply r = route(req.method(), path, body, req.headers().get(HttpHeaderNames.CONTENT_TYPE, ""));
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status,
                    Unpooled.copiedBuffer(r.json, StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setContentLength(resp, resp.content().readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(resp, keepAlive);
            var f = ctx.writeAndFlush(resp);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** One MODIFIED event per Node, then a bookmark; the stream stays open. */
        private void watch(ChannelHandlerContext ctx, FullHttpRequest req) {
            StringBuilder events = new StringBuilder();
            nodes.values().forEach(n -> events.append(event("MODIFIED", n)).append('\n'));
            ObjectNode mark = JSON.createObjectNode().put("kind", "Node").put("apiVersion", "v1");
            mark.putObject("metadata").put("resourceVersion", String.valueOf(version.get()));
            events.append(event("BOOKMARK", mark)).append('\n');
            if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                handshaker = new WebSocketServerHandshakerFactory("ws://" + req.headers().get(HttpHeaderNames.HOST) + req.uri(),
                        null, false).newHandshaker(req);
                if (handshaker == null) {
                    WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                    return;
                }
                handshaker.handshake(ctx.channel(), req).addListener(f -> {
                    if (f.isSuccess()) {
                        events.toString().lines().forEach(l -> ctx.writeAndFlush(new TextWebSocketFrame(l)));
                    }
                });
                return;
            }
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(events, StandardCharsets.UTF_8)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static String event(String type, JsonNode object) {
        ObjectNode e = JSON.createObjectNode().put("type", type);
        e.set("object", object);
        return e.toString();
    }

    private record Reply(HttpResponseStatus status, String json) {
    }

    private static String kind(String path) {
        if (path.startsWith(NODES)) {
            return path.endsWith("/status") ? "nodes/status" : "nodes";
        }
        return path.startsWith(LEASES) ? "leases" : path.startsWith(EVENTS) ? "events" : path;
    }

    private Reply route(HttpMethod method, String path, String body, String contentType) throws IOException {
        if (path.equals(NODES) && method.equals(HttpMethod.GET)) {
            return list("NodeList", nodes);
        }
        if (path.startsWith(NODES + "/")) {
            String[] parts = path.substring(NODES.length() + 1).split("/");
            ObjectNode n = nodes.get(parts[0]);
            if (n == null) {
                return notFound(path);
            }
            if (method.equals(HttpMethod.PATCH)) {
                synchronized (n) {
                    JsonNode patch = JSON.readTree(body);
                    if (contentType.contains("json-patch")) {
                        try {
                            JsonPatch.apply(n, (ArrayNode) patch);
                        } catch (IllegalArgumentException e) {
                            return status(HttpResponseStatus.UNPROCESSABLE_ENTITY, "Invalid", e.getMessage());
                        }
                    } else {
                        JsonPatch.merge(n, patch);
                    }
                    stamp(n);
                }
            }
            return new Reply(HttpResponseStatus.OK, n.toString());
        }
        if (path.startsWith(LEASES) && path.contains("/leases")) {
            if (method.equals(HttpMethod.GET)) {
                return list("LeaseList", leases);
            }
            if (method.equals(HttpMethod.POST)) {
                ObjectNode lease = (ObjectNode) JSON.readTree(body);
                stamp(lease);
                String name = lease.path("metadata").path("name").asText();
                return leases.putIfAbsent(name, lease) == null ? new Reply(HttpResponseStatus.CREATED, lease.toString())
                        : status(HttpResponseStatus.CONFLICT, "AlreadyExists", "leases \"" + name + "\" already exists");
            }
        }
        if (path.equals(EVENTS) && method.equals(HttpMethod.POST)) {
            ObjectNode e = (ObjectNode) JSON.readTree(body);
            stamp(e);
            return new Reply(HttpResponseStatus.CREATED, e.toString());
        }
        return notFound(path);
    }

    private Reply list(String kind, Map<String, ObjectNode> items) {
        ObjectNode l = JSON.createObjectNode().put("kind", kind).put("apiVersion",
                kind.equals("LeaseList") ? "coordination.k8s.io/v1" : "v1");
        l.putObject("metadata").put("resourceVersion", String.valueOf(version.get()));
        items.values().forEach(l.putArray("items")::add);
        return new Reply(HttpResponseStatus.OK, l.toString());
    }

    private static Reply notFound(String path) {
        return status(HttpResponseStatus.NOT_FOUND, "NotFound", path + " not found");
    }

    private static Reply status(HttpResponseStatus code, String reason, String message) {
        ObjectNode s = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                .put("message", message).put("reason", reason).put("code", code.code());
        s.putObject("metadata");
        return new Reply(code, s.toString());
    }
}
