package com.helpdeskconnect.sandbox.identity;

/** What a caller does to an entity; Creatio grants each separately per object. */
public enum Operation { READ, CREATE, UPDATE, DELETE }
