package com.helpdeskconnect.api.settings;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one component of a connector's settings record for the admin's form.
 * Whether it is required comes from Jakarta constraints ({@code @NotNull}, {@code @NotBlank},
 * {@code @NotEmpty}); whether it is secret, from its type ({@link Secret}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Setting {
    /** The form label ("Instance URL"). */
    String label();

    /** One or two sentences of help shown under the field; may be empty. */
    String help() default "";

    /** The value used when the admin leaves the field out, in the raw form ("false", "3600"); empty for none. */
    String defaultValue() default "";

    /**
     * For a {@link Secret}: the host generates a random value when the admin leaves it empty, keeps it
     * and shows it on the integration (a webhook secret the admin pastes into the helpdesk).
     *
     * @since 2.0.0
     */
    boolean generated() default false;

    /**
     * For a {@link Secret}: the settings it belongs to (the URL it is sent to, the client id it goes
     * with). When an admin changes one of them, a secret sent back masked is not kept: it must be
     * entered again, so a stored secret never follows a changed URL. Empty means every URL setting.
     *
     * @since 2.0.0
     */
    String[] boundTo() default {};
}
