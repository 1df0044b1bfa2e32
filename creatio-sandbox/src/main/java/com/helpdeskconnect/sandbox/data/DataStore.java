package com.helpdeskconnect.sandbox.data;

import com.helpdeskconnect.sandbox.model.Column;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The sandbox's database: one table per schema, rows in insertion order. One lock for everything:
 * simple, and far faster than the few hundred requests per second the sandbox must serve.
 * Listeners hear every committed write, in commit order, while the lock is held, so they must only
 * enqueue work.
 */
public final class DataStore {
    private static final Set<String> AUDIT_COLUMNS = Set.of("CreatedById", "ModifiedById");

    private final SchemaCatalog schemas;
    private final Clock clock;
    private final Map<String, Map<String, Map<String, Object>>> tables = new HashMap<>();
    private final List<Consumer<RecordChange>> listeners = new CopyOnWriteArrayList<>();
    private long lastCaseNumber;

    public DataStore(SchemaCatalog schemas, Clock clock) {
        this.schemas = schemas;
        this.clock = clock;
        reset();
    }

    public void onChange(Consumer<RecordChange> listener) {
        listeners.add(listener);
    }

    /** Drops every row and the case counter, then loads the standard rows again. */
    public synchronized void reset() {
        tables.clear();
        lastCaseNumber = 0;
        for (EntitySchema schema : schemas.all()) {
            tables.put(schema.name(), new LinkedHashMap<>());
        }
        StandardRows.seed().forEach((entity, rows) -> {
            EntitySchema schema = schemas.find(entity).orElseThrow();
            rows.forEach(row -> insertRow(schema, row, StandardRows.CONTACT_SUPERVISOR, false));
        });
    }

    /**
     * Inserts a row: columns left out take the schema defaults, audit columns are filled, a Case
     * without a Number gets the next {@code SR00000001}-style number.
     *
     * @return the stored row
     * @throws DuplicateKeyException when the Id exists
     * @throws ForeignKeyException when a lookup value names no record
     */
    public synchronized Map<String, Object> insert(EntitySchema schema, Map<String, Object> values,
            String actorContactId) {
        Map<String, Object> row = insertRow(schema, values, actorContactId, true);
        publish(new RecordChange(schema.name(), RecordChange.Kind.ADDED, null, copy(row)));
        return copy(row);
    }

    /**
     * @throws RecordNotFoundException when no row has that Id
     * @throws ForeignKeyException when a lookup value names no record
     */
    public synchronized void update(EntitySchema schema, String id, Map<String, Object> changes,
            String actorContactId) {
        Map<String, Object> row = table(schema.name()).get(id);
        if (row == null) {
            throw new RecordNotFoundException(schema.name(), id);
        }
        checkReferences(schema, changes, "UPDATE");
        Map<String, Object> before = copy(row);
        row.putAll(changes);
        row.put("ModifiedOn", now());
        row.put("ModifiedById", actorContactId);
        publish(new RecordChange(schema.name(), RecordChange.Kind.MODIFIED, before, copy(row)));
    }

    /** @throws RecordNotFoundException when no row has that Id */
    public synchronized void delete(EntitySchema schema, String id) {
        Map<String, Object> removed = table(schema.name()).remove(id);
        if (removed == null) {
            throw new RecordNotFoundException(schema.name(), id);
        }
        publish(new RecordChange(schema.name(), RecordChange.Kind.DELETED, removed, null));
    }

    /** Every row of every table and the case counter, as one consistent copy. */
    public synchronized Snapshot snapshot() {
        Map<String, List<Map<String, Object>>> copy = new LinkedHashMap<>();
        tables.forEach((entity, rows) -> copy.put(entity, rows.values().stream().map(DataStore::copy).toList()));
        return new Snapshot(copy, lastCaseNumber);
    }

    /**
     * Replaces all data with a snapshot (taken by {@link #snapshot()}, possibly by an earlier
     * process). Tables the snapshot lacks start empty; no listener hears it.
     */
    public synchronized void restore(Snapshot snapshot) {
        for (Map<String, Map<String, Object>> table : tables.values()) {
            table.clear();
        }
        snapshot.tables().forEach((entity, rows) -> {
            Map<String, Map<String, Object>> table = table(entity);
            rows.forEach(row -> table.put((String) row.get("Id"), new LinkedHashMap<>(row)));
        });
        lastCaseNumber = snapshot.lastCaseNumber();
    }

    public synchronized Optional<Map<String, Object>> find(String entity, String id) {
        Map<String, Object> row = table(entity).get(id);
        return row == null ? Optional.empty() : Optional.of(copy(row));
    }

    /** Rows of one table matching the predicate, in insertion order. */
    public synchronized List<Map<String, Object>> select(String entity, Predicate<Map<String, Object>> filter) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> row : table(entity).values()) {
            if (filter.test(row)) {
                result.add(copy(row));
            }
        }
        return result;
    }

    private Map<String, Object> insertRow(EntitySchema schema, Map<String, Object> values, String actorContactId,
            boolean checkReferences) {
        Map<String, Map<String, Object>> table = table(schema.name());
        Object requestedId = values.get("Id");
        String id = Guids.isEmpty(requestedId) ? Guids.random() : (String) requestedId;
        if (table.containsKey(id)) {
            throw new DuplicateKeyException(schema.name(), id);
        }
        if (checkReferences) {
            checkReferences(schema, values, "INSERT");
        }
        Instant now = now();
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column column : schema.columns()) {
            Object value = values.containsKey(column.name())
                    ? values.get(column.name())
                    : schema.defaultValue(column, clock);
            row.put(column.name(), value);
        }
        row.put("Id", id);
        row.put("CreatedOn", now);
        row.put("ModifiedOn", now);
        row.put("CreatedById", actorContactId);
        row.put("ModifiedById", actorContactId);
        if ("Case".equals(schema.name()) && "".equals(row.get("Number"))) {
            row.put("Number", String.format("SR%08d", ++lastCaseNumber));
        }
        table.put(id, row);
        return row;
    }

    /**
     * Lookup values given by the writer must name an existing row. Audit columns are the server's,
     * and targets the sandbox has no table for ({@code Account}) cannot be checked.
     */
    private void checkReferences(EntitySchema schema, Map<String, Object> values, String statement) {
        for (Column column : schema.columns()) {
            Object value = values.get(column.name());
            if (!column.isLookup() || AUDIT_COLUMNS.contains(column.name()) || Guids.isEmpty(value)) {
                continue;
            }
            Map<String, Map<String, Object>> target = tables.get(column.lookupTarget());
            if (target != null && !target.containsKey(value)) {
                throw new ForeignKeyException(statement, schema.name(), column.name(), column.lookupTarget());
            }
        }
    }

    private Map<String, Map<String, Object>> table(String entity) {
        Map<String, Map<String, Object>> table = tables.get(entity);
        if (table == null) {
            throw new IllegalArgumentException("No such table: " + entity);
        }
        return table;
    }

    private Instant now() {
        return clock.instant();
    }

    private void publish(RecordChange change) {
        listeners.forEach(listener -> listener.accept(change));
    }

    private static Map<String, Object> copy(Map<String, Object> row) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(row));
    }
}
