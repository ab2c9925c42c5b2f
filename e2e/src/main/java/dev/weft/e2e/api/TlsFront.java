package dev.weft.e2e.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * HTTPS in front of the plain mock server, with a certificate for the addresses clients really
 * use (the API server's underlay address and loopback), as a real API server's certificate names
 * its service and host addresses. fabric8's own HTTPS mode signs only for localhost, which pods
 * given {@code KUBERNETES_SERVICE_HOST} would rightly refuse. The certificate is self-signed and
 * is its own CA ({@code ca.crt}); its key never leaves this process.
 */
final class TlsFront implements AutoCloseable {
    private final SSLServerSocket server;
    private final InetSocketAddress backend;

    private TlsFront(SSLServerSocket server, InetSocketAddress backend) {
        this.server = server;
        this.backend = backend;
    }

    /** Listens on {@code bind:port}, writes the CA certificate (PEM) to {@code caFile}, pipes to {@code backend}. */
    static TlsFront start(InetAddress bind, int port, InetSocketAddress backend, Path caFile) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair key = gen.generateKeyPair();
        X509Certificate cert = certificate(key, List.of(bind, InetAddress.getLoopbackAddress()));
        writePem(cert, caFile);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = new char[0];
        ks.setKeyEntry("api", key.getPrivate(), pw, new java.security.cert.Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket s = (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(port, 256, bind);
        TlsFront front = new TlsFront(s, backend);
        Thread.ofPlatform().daemon().name("tls-front-accept").start(front::acceptLoop);
        return front;
    }

    private static X509Certificate certificate(KeyPair key, List<InetAddress> addresses) throws Exception {
        X500Name name = new X500Name("CN=weft-e2e-apiserver");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(7))), name, key.getPublic());
        GeneralName[] sans = addresses.stream().map(a -> new GeneralName(GeneralName.iPAddress, a.getHostAddress()))
                .toArray(GeneralName[]::new);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private static void writePem(X509Certificate cert, Path file) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(cert);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, out.toString());
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("tls-front: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client; Socket up = new Socket()) {
            up.connect(backend, 5_000);
            Thread back = Thread.ofVirtual().start(() -> pipe(up, client));
            pipe(client, up);
            back.join();
        } catch (IOException | InterruptedException e) {
            // a client that went away mid-handshake or mid-watch: nothing to report
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // closed from the other side
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException e) {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
