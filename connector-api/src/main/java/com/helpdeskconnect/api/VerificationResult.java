package com.helpdeskconnect.api;

import com.helpdeskconnect.api.errors.ErrorKind;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of {@link HelpdeskConnection#verify}: either fine, or what is wrong in words an admin
 * can act on ("Invalid credentials: check the Client ID and Client secret").
 *
 * @param ok      whether the integration will work
 * @param kind    on failure, what kind of problem it is; null when ok
 * @param message on failure, a user-facing message that never contains a secret; empty when ok
 * @param field   on failure, the setting to fix, if one is to blame; null otherwise
 */
public record VerificationResult(boolean ok, ErrorKind kind, String message, String field) {

    public VerificationResult {
        if (ok && kind != null) {
            throw new IllegalArgumentException("A successful verification has no error kind");
        }
        if (!ok) {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
        message = message == null ? "" : message;
    }

    public static VerificationResult success() {
        return new VerificationResult(true, null, "", null);
    }

    public static VerificationResult failure(ErrorKind kind, String message) {
        return new VerificationResult(false, kind, message, null);
    }

    public static VerificationResult failure(ErrorKind kind, String message, String field) {
        return new VerificationResult(false, kind, message, field);
    }

    public Optional<String> fieldName() {
        return Optional.ofNullable(field);
    }
}
