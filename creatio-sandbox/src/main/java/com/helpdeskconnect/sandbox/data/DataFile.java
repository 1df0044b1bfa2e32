package com.helpdeskconnect.sandbox.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.sandbox.model.Column;
import com.helpdeskconnect.sandbox.model.CreatioDates;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link DataStore} in a JSON file so that a restarted sandbox has the same cases,
 * activities and counters. A change schedules one write a short delay later (a burst of writes
 * costs one file write); {@link #close()} writes the last state. Each write goes to a temporary
 * file in the same folder that then replaces the data file, so a crash leaves the old or the new
 * file, never half of one.
 *
 * <p>Format: {@code {"format":1,"lastCaseNumber":N,"tables":{"Case":[{column: value, …}], …}}},
 * values as OData writes them (dates with 7 fraction digits).
 */
public final class DataFile implements AutoCloseable {
    static final int FORMAT = 1;

    private static final Logger LOG = LoggerFactory.getLogger(DataFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final SchemaCatalog schemas;
    private final DataStore store;
    private final Duration delay;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "creatio-sandbox-data-file");
        thread.setDaemon(true);
        return thread;
    });

    private DataFile(Path path, SchemaCatalog schemas, DataStore store, Duration delay) {
        this.path = path.toAbsolutePath();
        this.schemas = schemas;
        this.store = store;
        this.delay = delay;
    }

    /**
     * Loads {@code path} into {@code store} when it exists (else writes the store's current data
     * there), then saves every later change.
     *
     * @throws IllegalArgumentException when the file cannot be read or is not a sandbox data file
     * @throws UncheckedIOException when the file cannot be written
     */
    public static DataFile open(Path path, SchemaCatalog schemas, DataStore store, Duration delay) {
        DataFile file = new DataFile(path, schemas, store, delay);
        if (Files.exists(file.path)) {
            store.restore(file.read());
        } else {
            file.write();
        }
        store.onChange(change -> file.changed());
        return file;
    }

    public Path path() {
        return path;
    }

    /** Asks for a write soon; cheap, called under the store's lock. */
    public void changed() {
        if (scheduled.compareAndSet(false, true)) {
            writer.schedule(this::writeScheduled, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes the current state now and stops the background writer. */
    @Override
    public void close() {
        writer.shutdownNow();
        write();
    }

    private void writeScheduled() {
        scheduled.set(false);
        try {
            write();
        } catch (RuntimeException e) {
            LOG.warn("Could not save the sandbox data to {}: {}", path, e.getMessage());
        }
    }

    private synchronized void write() {
        Snapshot snapshot = store.snapshot();
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT).put("lastCaseNumber", snapshot.lastCaseNumber());
        ObjectNode tables = root.putObject("tables");
        snapshot.tables().forEach((entity, rows) -> {
            ArrayNode array = tables.putArray(entity);
            rows.forEach(row -> array.add(toJson(row)));
        });
        try {
            Path folder = path.getParent();
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, path.getFileName().toString(), ".tmp");
            try {
                JSON.writeValue(temporary.toFile(), root);
                try {
                    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the sandbox data file " + path + ": " + e.getMessage(), e);
        }
    }

    private Snapshot read() {
        JsonNode root;
        try {
            root = JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the sandbox data file " + path + ": " + e.getMessage(), e);
        }
        if (root == null || root.path("format").asInt() != FORMAT || !root.path("tables").isObject()) {
            throw new IllegalArgumentException(path + " is not a Creatio sandbox data file (format " + FORMAT + ")");
        }
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> table : root.get("tables").properties()) {
            EntitySchema schema = schemas.find(table.getKey()).orElse(null);
            if (schema == null) {
                LOG.warn("{}: skipping unknown table {}", path, table.getKey());
                continue;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode json : table.getValue()) {
                rows.add(toRow(schema, json));
            }
            tables.put(schema.name(), rows);
        }
        return new Snapshot(tables, root.path("lastCaseNumber").asLong());
    }

    private static ObjectNode toJson(Map<String, Object> row) {
        ObjectNode json = JSON.createObjectNode();
        row.forEach((column, value) -> {
            if (value instanceof Instant instant) {
                json.put(column, CreatioDates.format(instant));
            } else if (value instanceof Integer number) {
                json.put(column, number);
            } else if (value instanceof BigDecimal number) {
                json.put(column, number);
            } else if (value instanceof Boolean flag) {
                json.put(column, flag);
            } else {
                json.put(column, value == null ? null : value.toString());
            }
        });
        return json;
    }

    /** Columns the schema no longer has (a custom column not declared this time) are dropped. */
    private Map<String, Object> toRow(EntitySchema schema, JsonNode json) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : schema.columns()) {
            try {
                row.put(column.name(), column.type().fromJson(json.get(column.name())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + schema.name() + "." + column.name() + ": "
                        + e.getMessage(), e);
            }
        }
        return row;
    }
}
