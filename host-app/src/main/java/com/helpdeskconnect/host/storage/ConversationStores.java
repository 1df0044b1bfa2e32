package com.helpdeskconnect.host.storage;

/**
 * The conversation side of the database, one store per concern, as the API and the setup check
 * use them together: conversations and their transcript, the intake of events, the outbox, and
 * what agents change in the helpdesk. Closing it stops the intake's writer.
 */
public record ConversationStores(ConversationStore conversations, EventIntake intake, OutboxStore outbox,
                                 HelpdeskChanges changes) implements AutoCloseable {

    public static ConversationStores open(Database db, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        ConversationStore conversations = new ConversationStore(db);
        return new ConversationStores(conversations, new EventIntake(conversations, mapper), new OutboxStore(db, mapper),
                new HelpdeskChanges(conversations, mapper));
    }

    /** Commits what the intake and the outbox writer already took, then stops them. */
    @Override
    public void close() {
        intake.close();
        outbox.close();
    }
}
