package com.helpdeskconnect.sandbox.odata;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.sandbox.model.Column;
import com.helpdeskconnect.sandbox.model.CreatioDates;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Writes rows the way Creatio's OData 4 service does: every column, no nulls, 7-digit UTC dates. */
public final class EntityJson {
    private EntityJson() {
    }

    /** The row's columns (all, or only {@code select}) into {@code target}. */
    public static ObjectNode write(EntitySchema schema, Map<String, Object> row, List<Column> select, ObjectNode target) {
        Collection<Column> columns = select.isEmpty() ? schema.columns() : select;
        for (Column column : columns) {
            Object value = row.get(column.name());
            if (value == null) {
                value = column.type().emptyValue();
            }
            switch (column.type()) {
                case DATE_TIME -> target.put(column.name(), CreatioDates.format((Instant) value));
                case INT32 -> target.put(column.name(), (Integer) value);
                case DECIMAL -> target.put(column.name(), (BigDecimal) value);
                case BOOLEAN -> target.put(column.name(), (Boolean) value);
                default -> target.put(column.name(), (String) value);
            }
        }
        return target;
    }

    public static ObjectNode write(EntitySchema schema, Map<String, Object> row) {
        return write(schema, row, List.of(), JsonNodeFactory.instance.objectNode());
    }
}
