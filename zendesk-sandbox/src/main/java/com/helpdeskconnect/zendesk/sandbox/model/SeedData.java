package com.helpdeskconnect.zendesk.sandbox.model;

import java.util.List;

/**
 * The ids of everything a fresh sandbox holds. Ids are large, as Zendesk's are (use {@code long});
 * ticket ids count from 1 per account, as in Zendesk.
 */
public final class SeedData {
    /** "Support", the default group; every agent belongs to it. */
    public static final long GROUP_SUPPORT = 360_000_000_101L;
    /** "Billing": only Bob and the admins. */
    public static final long GROUP_BILLING = 360_000_000_102L;

    /** The integration's admin, the user of {@code --email} / {@code --api-token}. */
    public static final long USER_INTEGRATION = 360_000_001_001L;
    /** "Alice Agent", alice@sandbox.example, in Support. */
    public static final long USER_ALICE = 360_000_001_002L;
    /** "Bob Agent", bob@sandbox.example, in Support and Billing. */
    public static final long USER_BOB = 360_000_001_003L;
    /** "Carla Customer", carla@customer.example, an end user. */
    public static final long USER_CUSTOMER = 360_000_001_004L;
    /** An end user with an API token: authenticates, but may not use agent endpoints (403). */
    public static final long USER_RESTRICTED = 360_000_001_005L;

    public static final String ALICE_EMAIL = "alice@sandbox.example";
    public static final String BOB_EMAIL = "bob@sandbox.example";
    public static final String CUSTOMER_EMAIL = "carla@customer.example";

    /** System fields, in Zendesk's order. */
    public static final long FIELD_SUBJECT = 360_000_010_001L;
    public static final long FIELD_DESCRIPTION = 360_000_010_002L;
    public static final long FIELD_STATUS = 360_000_010_003L;
    public static final long FIELD_TYPE = 360_000_010_004L;
    public static final long FIELD_PRIORITY = 360_000_010_005L;
    public static final long FIELD_GROUP = 360_000_010_006L;
    public static final long FIELD_ASSIGNEE = 360_000_010_007L;

    /** Custom "Sentiment" dropdown: Positive/positive, Neutral/neutral, Negative/negative, Very unhappy/very_unhappy.
     */
    public static final long FIELD_SENTIMENT = 360_000_020_001L;
    /** Custom "Product" dropdown: Billing/product_billing, Mobile app/product_mobile_app, Web app/product_web_app. */
    public static final long FIELD_PRODUCT = 360_000_020_002L;
    /** Custom "AI summary" multi-line text. */
    public static final long FIELD_AI_SUMMARY = 360_000_020_003L;
    /** Custom "Order number" text. */
    public static final long FIELD_ORDER_NUMBER = 360_000_020_004L;
    /** Custom "Escalated by AI" checkbox (tag {@code ai_escalated}). */
    public static final long FIELD_ESCALATED = 360_000_020_005L;
    /** Custom "Refund amount" decimal. */
    public static final long FIELD_REFUND_AMOUNT = 360_000_020_006L;
    /** Custom "Topics" multi-select: Shipping/topic_shipping, Returns/topic_returns, Account/topic_account. */
    public static final long FIELD_TOPICS = 360_000_020_007L;
    /** Custom "Legacy code" text, inactive. */
    public static final long FIELD_LEGACY = 360_000_020_008L;

    public static final List<String> PRIORITIES = List.of("urgent", "high", "normal", "low");
    public static final List<String> TYPES = List.of("problem", "incident", "question", "task");

    private SeedData() {
    }

    /** The seeded ticket fields, system ones first. */
    public static List<TicketField> ticketFields() {
        return List.of(
                system(FIELD_SUBJECT, "subject", "Subject", List.of()),
                system(FIELD_DESCRIPTION, "description", "Description", List.of()),
                system(FIELD_STATUS, "status", "Status", List.of(
                        new FieldOption(0, "Open", "open", false), new FieldOption(0, "Pending", "pending", false),
                        new FieldOption(0, "On-hold", "hold", false), new FieldOption(0, "Solved", "solved", false))),
                system(FIELD_TYPE, "tickettype", "Type", List.of(
                        new FieldOption(0, "Question", "question", false),
                        new FieldOption(0, "Incident", "incident", false),
                        new FieldOption(0, "Problem", "problem", false), new FieldOption(0, "Task", "task", false))),
                system(FIELD_PRIORITY, "priority", "Priority", List.of(
                        new FieldOption(0, "Low", "low", false), new FieldOption(0, "Normal", "normal", false),
                        new FieldOption(0, "High", "high", false), new FieldOption(0, "Urgent", "urgent", false))),
                system(FIELD_GROUP, "group", "Group", List.of()),
                system(FIELD_ASSIGNEE, "assignee", "Assignee", List.of()),
                TicketField.custom(FIELD_SENTIMENT, "tagger", "Sentiment", List.of(
                        new FieldOption(360_000_030_001L, "Positive", "positive", false),
                        new FieldOption(360_000_030_002L, "Neutral", "neutral", false),
                        new FieldOption(360_000_030_003L, "Negative", "negative", false),
                        new FieldOption(360_000_030_004L, "Very unhappy", "very_unhappy", false))),
                TicketField.custom(FIELD_PRODUCT, "tagger", "Product", List.of(
                        new FieldOption(360_000_030_011L, "Billing", "product_billing", false),
                        new FieldOption(360_000_030_012L, "Mobile app", "product_mobile_app", false),
                        new FieldOption(360_000_030_013L, "Web app", "product_web_app", false))),
                TicketField.custom(FIELD_AI_SUMMARY, "textarea", "AI summary", List.of()),
                TicketField.custom(FIELD_ORDER_NUMBER, "text", "Order number", List.of()),
                new TicketField(FIELD_ESCALATED, "checkbox", "Escalated by AI", "Escalated by AI", false, true, false,
                        "ai_escalated", List.of()),
                TicketField.custom(FIELD_REFUND_AMOUNT, "decimal", "Refund amount", List.of()),
                TicketField.custom(FIELD_TOPICS, "multiselect", "Topics", List.of(
                        new FieldOption(360_000_030_021L, "Shipping", "topic_shipping", false),
                        new FieldOption(360_000_030_022L, "Returns", "topic_returns", false),
                        new FieldOption(360_000_030_023L, "Account", "topic_account", false))),
                TicketField.custom(FIELD_LEGACY, "text", "Legacy code", List.of()).inactive());
    }

    private static TicketField system(long id, String type, String title, List<FieldOption> options) {
        boolean required = type.equals("subject") || type.equals("description");
        return new TicketField(id, type, title, title, true, true, required, null, options);
    }
}
