package dev.weft.http;

import java.util.Objects;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;

/**
 * The pipeline of one health/metrics connection: HTTP/1.1 codec with small limits (probes send
 * tiny requests), an aggregator that refuses bodies over 8 KiB, a read timeout so idle or
 * half-open connections do not pile up, and the shared {@link HealthHandler}.
 */
public final class HealthServerInitializer extends ChannelInitializer<Channel> {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_CONTENT = 8192;
    static final int READ_TIMEOUT_SECONDS = 30;

    private final HealthHandler handler;

    public HealthServerInitializer(HealthHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS));
        p.addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CONTENT));
        p.addLast("aggregate", new HttpObjectAggregator(MAX_CONTENT));
        p.addLast("health", handler);
    }
}
