package com.helpdeskconnect.sandbox.model;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** An entity schema (an OData collection): its columns and the defaults Creatio fills on insert. */
public final class EntitySchema {
    private final String name;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private final Map<String, Function<Clock, Object>> defaults = new LinkedHashMap<>();

    EntitySchema(String name) {
        this.name = name;
        column("Id", EdmType.GUID, null);
        column("CreatedOn", EdmType.DATE_TIME, null);
        column("CreatedById", EdmType.GUID, "Contact");
        column("ModifiedOn", EdmType.DATE_TIME, null);
        column("ModifiedById", EdmType.GUID, "Contact");
    }

    public String name() {
        return name;
    }

    public Collection<Column> columns() {
        return Collections.unmodifiableCollection(columns.values());
    }

    public Optional<Column> column(String columnName) {
        return Optional.ofNullable(columns.get(columnName));
    }

    /** Finds a lookup column by its navigation name ({@code Owner} for {@code OwnerId}). */
    public Optional<Column> navigation(String navigationName) {
        return column(navigationName + "Id").filter(Column::isLookup);
    }

    /** Value to store when an insert leaves the column out. */
    public Object defaultValue(Column column, Clock clock) {
        Function<Clock, Object> supplier = defaults.get(column.name());
        return supplier != null ? supplier.apply(clock) : column.type().emptyValue();
    }

    EntitySchema text(String columnName) {
        return column(columnName, EdmType.STRING, null);
    }

    EntitySchema lookup(String columnName, String target) {
        return column(columnName, EdmType.GUID, target);
    }

    EntitySchema date(String columnName) {
        return column(columnName, EdmType.DATE_TIME, null);
    }

    EntitySchema integer(String columnName) {
        return column(columnName, EdmType.INT32, null);
    }

    EntitySchema flag(String columnName) {
        return column(columnName, EdmType.BOOLEAN, null);
    }

    EntitySchema guid(String columnName) {
        return column(columnName, EdmType.GUID, null);
    }

    EntitySchema required(String columnName) {
        Column c = columns.get(columnName);
        columns.put(columnName, new Column(c.name(), c.type(), c.lookupTarget(), true));
        return this;
    }

    EntitySchema defaultTo(String columnName, Object value) {
        defaults.put(columnName, clock -> value);
        return this;
    }

    EntitySchema defaultToNow(String columnName) {
        defaults.put(columnName, Instant::now);
        return this;
    }

    EntitySchema column(String columnName, EdmType type, String lookupTarget) {
        columns.put(columnName, new Column(columnName, type, lookupTarget, false));
        return this;
    }
}
