package com.helpdeskconnect.zendesk.sandbox.model;

/** What a create or update answers: the ticket after the write and the write's audit. */
public record WriteResult(Ticket ticket, Audit audit) {
}
