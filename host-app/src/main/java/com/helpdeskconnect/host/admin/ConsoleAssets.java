package com.helpdeskconnect.host.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files, read once from the jar ({@code /admin/...}): the page, its script and its
 * style sheet. A fixed list, so a request can name nothing else (no path to traverse). Script and
 * style are files of their own: the page's Content-Security-Policy allows only {@code 'self'}.
 */
public final class ConsoleAssets {
    /** A file and its content type. */
    public record Asset(String contentType, byte[] body) {}

    private static final Map<String, String> FILES = Map.of(
            "admin.js", "text/javascript; charset=utf-8",
            "admin.css", "text/css; charset=utf-8");

    private final Asset page;
    private final Map<String, Asset> assets;

    public ConsoleAssets() {
        this.page = new Asset("text/html; charset=utf-8", read("index.html"));
        java.util.HashMap<String, Asset> loaded = new java.util.HashMap<>();
        FILES.forEach((name, type) -> loaded.put(name, new Asset(type, read(name))));
        this.assets = Map.copyOf(loaded);
    }

    public Asset page() {
        return page;
    }

    public Optional<Asset> asset(String name) {
        return Optional.ofNullable(assets.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/admin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("/admin/" + name + " is missing from the host jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
