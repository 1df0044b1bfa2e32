package com.helpdeskconnect.sandbox.odata;

import com.helpdeskconnect.sandbox.model.EdmType;
import java.util.Map;
import java.util.Optional;

/** A typed node of a parsed {@code $filter} or {@code $orderby}, evaluated against one row. */
interface Expression {

    /** Reads other rows when a path navigates a lookup ({@code Status/IsFinal}). */
    interface RowFinder {
        Optional<Map<String, Object>> find(String entity, String id);
    }

    /** The OData type of the value, null for the {@code null} literal. */
    EdmType type();

    Object evaluate(Map<String, Object> row, RowFinder rows);
}
