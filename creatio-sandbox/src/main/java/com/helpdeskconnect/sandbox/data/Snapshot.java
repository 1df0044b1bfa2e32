package com.helpdeskconnect.sandbox.data;

import java.util.List;
import java.util.Map;

/**
 * The whole database at one moment.
 *
 * @param tables rows per entity schema name, in insertion order
 * @param lastCaseNumber the counter behind {@code SR00000001}-style case numbers
 */
public record Snapshot(Map<String, List<Map<String, Object>>> tables, long lastCaseNumber) {
}
