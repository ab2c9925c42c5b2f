package dev.weft.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /healthz /readyz /metrics} server: one event-loop thread on Netty's native epoll
 * transport, or NIO (logged once) where epoll cannot load. One thread is plenty for probes and a
 * scrape every few seconds, and keeps the footprint small.
 */
public final class HealthServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

    private final EventLoopGroup group;
    private final Channel channel;
    private final String transport;

    private HealthServer(EventLoopGroup group, Channel channel, String transport) {
        this.group = group;
        this.channel = channel;
        this.transport = transport;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and starts serving.
     *
     * @throws IOException when the address cannot be bound; the message names the address and the cause
     */
    public static HealthServer start(InetSocketAddress address, HealthHandler handler) throws IOException {
        boolean epoll = Epoll.isAvailable();
        if (!epoll) {
            LOG.warn("native epoll transport unavailable ({}); serving health and metrics over NIO",
                    String.valueOf(Epoll.unavailabilityCause()));
        }
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("weft-http", true), io);
        try {
            Channel ch = new ServerBootstrap()
                    .group(group)
                    .channel(type)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_BACKLOG, 64)
                    .childHandler(new HealthServerInitializer(handler))
                    .bind(address).sync().channel();
            HealthServer s = new HealthServer(group, ch, epoll ? "epoll" : "nio");
            LOG.info("serving /healthz /readyz /metrics on {} ({})", s.localAddress(), s.transport);
            return s;
        } catch (Exception e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot serve health/metrics on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The bound address; with port 0 this tells the port the kernel chose. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    /** Closes the listening socket and the event loop, waiting at most two seconds. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
