package com.helpdeskconnect.sandbox.inspection;

import com.helpdeskconnect.sandbox.data.DataStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only views of the sandbox's data and traffic for tests and the demo. */
public final class Inspector {
    private final DataStore store;
    private final RequestJournal journal;

    public Inspector(DataStore store, RequestJournal journal) {
        this.store = store;
        this.journal = journal;
    }

    /** Every case in creation order, each with its activities (oldest first) and portal messages. */
    public List<CaseView> cases() {
        return store.select("Case", row -> true).stream().map(this::view).toList();
    }

    public Optional<CaseView> findCase(String caseId) {
        return store.find("Case", caseId).map(this::view);
    }

    /** All rows of one collection, e.g. {@code rows("Contact")}. */
    public List<Map<String, Object>> rows(String entity) {
        return store.select(entity, row -> true);
    }

    public Optional<Map<String, Object>> find(String entity, String id) {
        return store.find(entity, id);
    }

    /** {@code requestCount("POST", "/0/odata/Case")}, {@code requestCount("PATCH", "/0/odata/Case({id})")}. */
    public int requestCount(String method, String pathTemplate) {
        return journal.count(method, pathTemplate);
    }

    /** Counts keyed {@code "METHOD /path/template"}. */
    public Map<String, Integer> requestCounts() {
        return journal.counts();
    }

    public List<RecordedRequest> requests() {
        return journal.requests();
    }

    private CaseView view(Map<String, Object> caseRow) {
        Object id = caseRow.get("Id");
        List<Map<String, Object>> activities = store.select("Activity", row -> id.equals(row.get("CaseId")))
                .stream()
                .sorted(Comparator.comparing(row -> (java.time.Instant) row.get("CreatedOn")))
                .toList();
        List<Map<String, Object>> messages = store.select("PortalMessage", row -> id.equals(row.get("EntityId")));
        return new CaseView(caseRow, activities, messages);
    }
}
